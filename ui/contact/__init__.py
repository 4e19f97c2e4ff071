"""A contact opened from the shift list to read: its screening and outcome in words, and the
person it is about only once consent is recorded (view, controller, words, consent)."""
