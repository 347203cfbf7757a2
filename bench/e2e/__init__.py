"""End-to-end figures as a user meets them: start-up, one audit over HTTP, `crosscheck audit`.

    .venv/bin/python -m bench.e2e [--runs 10] [--starts 5] [--cli-runs 5] [--workers N] [--tiny]

Everything runs as separate processes, the way a user runs it; see `run.py` for what each
figure measures. The last line printed is one JSON object with every figure.
"""
