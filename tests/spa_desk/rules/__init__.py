"""Tests of spa_desk.rules."""
