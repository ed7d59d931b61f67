"""Benchmarks that print figures (not tests): `uv run python -m bench --help`."""
