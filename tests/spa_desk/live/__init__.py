"""Tests of spa_desk.live."""
