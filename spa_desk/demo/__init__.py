"""Fictional demo data at the reference SPA's volume: people, staff, services and contacts.

Everything made here is invented: NHS numbers in the 999 test range, Ofcom drama telephone
numbers, and names, streets and postcodes of the fictional town of Saltmarsh (postcode area ZY).
"""
