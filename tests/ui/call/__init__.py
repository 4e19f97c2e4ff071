"""Tests of ui.call."""
