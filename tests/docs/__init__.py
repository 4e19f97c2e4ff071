"""Tests of the project's documents."""
