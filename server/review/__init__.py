"""The review layer: what a reviewer does with findings, across drafts of one report.

Everything here is recorded in the audit's review log (server/log.py `ReviewLog`), a second
append-only log beside the audit's event log, and read back through the same reduction the
snapshot uses (server/snapshot.py). `desk` takes reviewers' decisions and sign-offs, `drafts`
compares a next draft with the earlier one when its agents have finished, `matching` decides
which findings persist across drafts, `comparison` runs it, `frames` builds the review log's
events.
"""
