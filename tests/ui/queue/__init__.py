"""Tests of ui.queue."""
