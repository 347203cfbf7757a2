"""Benchmark and realistic table shapes for the numeric agent."""
