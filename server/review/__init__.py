"""The review layer: what a reviewer does with findings, across drafts of one report."""
