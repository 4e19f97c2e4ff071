"""People's records: opened with consent, found while the handler types, changed without
overwriting anyone else's change.
"""
