"""The trainer's screens (SPEC 7): replaying a sample call."""
