"""Tests of spa_desk.access."""
