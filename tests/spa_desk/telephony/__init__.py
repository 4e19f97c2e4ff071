"""Tests of spa_desk.telephony."""
