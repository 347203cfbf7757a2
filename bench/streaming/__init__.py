"""Streaming benchmarks (issue 8): latency, overhead and loop lag, memory, throughput.

Each module runs with one command, prints a table and ends with one JSON line:

    .venv/bin/python -m bench.streaming.latency      # WS and SSE vs a bare websockets server
    .venv/bin/python -m bench.streaming.overhead     # subscribers' cost, event-loop lag
    .venv/bin/python -m bench.streaming.memory       # per idle connection, per finished audit
    .venv/bin/python -m bench.streaming.throughput   # audits per minute, 1 and 4 uploaders

`--tiny` runs each at smoke-test size (tests/bench/test_bench_smoke.py).
"""
