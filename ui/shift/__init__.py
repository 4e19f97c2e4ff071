"""The shift list: the contacts of a shift in the main window."""
