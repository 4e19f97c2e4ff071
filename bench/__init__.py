"""Benchmarks for SPA Desk: each prints its figures beside a baseline measured in the same run."""
