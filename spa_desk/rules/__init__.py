"""The screening rules in force and the screening engine as the desk uses it."""
