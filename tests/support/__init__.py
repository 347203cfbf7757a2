"""Helpers every test area shares: the one place tests (and bench/) import test helpers from.

Test modules never import each other; a helper two test modules need lives here.
`tests/test_imports.py` checks it.
"""
