"""Benchmarks for mist-check: a seeded corpus generator (generate.py) and a runner (run.py)."""
