"""Tests of spa_desk.handoff."""
