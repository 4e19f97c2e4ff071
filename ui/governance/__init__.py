"""The Governance menu and its screens: user accounts and the audit log."""
