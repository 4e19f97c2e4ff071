"""A call from ring to saved contact: the draft kept while it is on screen, its screening, its
outcome, the save, and the contact lists.
"""
