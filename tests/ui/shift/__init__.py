"""Tests of ui.shift."""
