"""Tests of spa_desk.cli."""
