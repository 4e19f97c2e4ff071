"""Fictional identities: made-up people, places, phone numbers and NHS numbers that can never point
at a real person (demo data, tests, the anonymiser).
"""
