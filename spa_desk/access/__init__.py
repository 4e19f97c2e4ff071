"""Who may use the desk: logging in, passwords and user accounts."""
