"""Crosscheck on real published reports: reading figures, findings and planted-error recall.

    .venv/bin/python -m bench.real [--only NAME] [--format pdf|html|text] [--jobs N]
                                   [--no-agents] [--cache DIR] [--corpus DIR]
    .venv/bin/python -m bench.real --plant ...   (or -m bench.real.plant)

See bench/real/README.md for what is measured and the baseline figures.
"""
