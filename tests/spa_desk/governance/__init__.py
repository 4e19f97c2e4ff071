"""Tests of spa_desk.governance."""
