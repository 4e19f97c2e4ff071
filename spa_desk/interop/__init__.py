"""Files other systems read: the contacts CSV (SPEC 10)."""
