"""The Rules screen: the screening rules in force, kept, checked and previewed (SPA managers)."""
