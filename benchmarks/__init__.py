"""Reproducible benchmarks: micrograd_like against micrograd, PyTorch and a hand-written floor.

Run ``python benchmarks/bench.py`` (see benchmarks/README.md).
"""
