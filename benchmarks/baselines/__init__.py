"""Reference loop detectors that our text-loop watchdog is benchmarked against.

- :mod:`benchmarks.baselines.gemini_loop`: a port of Gemini CLI's streaming
  content-loop detection (hash 50-character windows, count close repeats).
- :mod:`benchmarks.baselines.naive_rescan`: the obvious approach that re-scans
  the tail of the stream for every period on every chunk.

Both expose ``feed(text) -> bool`` (True once a loop is detected, and it stays
True) and ``reset()``. Each module runs a self-check when executed directly.
"""
