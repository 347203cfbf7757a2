"""`python -m bench.numeric`: time the numeric agent (see bench/numeric/run.py)."""

from bench.numeric.run import main

main()
