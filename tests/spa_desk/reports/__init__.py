"""Tests of spa_desk.reports."""
