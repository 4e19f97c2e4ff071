"""The tamper-evident audit log: appending to it (keyed with the audit key), verifying its chain
and its head, searching and exporting it for the roles that may read it.
"""
