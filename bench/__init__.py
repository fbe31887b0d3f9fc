"""Benchmarks: each `bench_*.py` script measures one thing; `python -m bench` runs them all."""
