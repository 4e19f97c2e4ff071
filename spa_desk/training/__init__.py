"""The trainer's studio (SPEC 7): sample calls, the shipped library and its check."""
