"""Tests of ui.governance."""
