"""Tests of spa_desk.calls."""
