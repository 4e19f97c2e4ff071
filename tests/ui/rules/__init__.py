"""Tests of ui.rules."""
