"""Measuring and choosing: evals on public sets, the tuning set, rule, calibration and screen fitting."""
