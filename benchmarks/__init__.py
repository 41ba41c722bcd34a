"""Benchmarks run by `make bench` (`python -m benchmarks`): every module here with a `main()` is one benchmark.

Each prints one line per figure, measured side by side in the same run (docs/interface.md):
`BENCH <name> app=<value> raw=<value> unit=<unit> ratio=<app/raw, higher is better> peak_rss_mb=<value>`.
"""
