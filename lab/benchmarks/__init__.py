"""Benchmarks of the service: run from the checkout's root as ``python -m lab.benchmarks.NAME``."""
