"""Benchmarks of Outcome Coach: `python -m bench.run_all` (see bench/README.md)."""
