"""Tests of ui.shell."""
