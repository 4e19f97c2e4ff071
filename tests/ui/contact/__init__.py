"""Tests of the read-only contact view."""
