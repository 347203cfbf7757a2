"""Benchmarks of the HTML / inline-XBRL reader on the real filings of ../shared/corpus/html."""
