"""Tests of spa_desk.demo."""
