"""Tests of spa_desk.people."""
