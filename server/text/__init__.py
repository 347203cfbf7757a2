"""The language of financial statements, one module per concept, shared by readers and agents.

`labels` (how a line label is compared), `dates` (how a date is found), `sentences` (how a
paragraph is split). Nothing here knows a document model: plain strings in, plain values out.
"""
