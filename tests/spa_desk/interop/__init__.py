"""Tests of spa_desk.interop."""
