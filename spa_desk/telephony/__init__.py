"""What a telephone system tells the desk, and (later) the adapters that turn a real telephone
system's events into it.
"""
