"""Confide's benchmark: ``make bench`` (docs/performance.md).

Not an app: nothing in the apps imports it, and only the benchmark's own server uses its settings
(``bench.settings``), which add the record page's unprotected twin and a query counter.
"""
