"""Many desks, one SPA, live (SPEC 11): what a desk announces when it changes what other desks
show (a hand-off, a claim, a saved contact, a desk's presence), and the listener that hears it.

On PostgreSQL an announcement is a ``NOTIFY`` sent in the same transaction as the change, so it
reaches the other desks only when the change is committed, and never when it is rolled back.
Payloads carry ids only, never personal data; a desk that lost its connection listens again
and re-reads what it shows. On the embedded SQLite database one desk works alone: there is
nobody to tell, and announcing does nothing.
"""
