"""The tamper-evident audit log: appending to it, verifying its chain, searching and
exporting it.
"""
