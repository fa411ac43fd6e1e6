"""Benchmarks: skdeep measured side by side with its peers, reported as ratios."""
