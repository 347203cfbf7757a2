"""Outside sources the external agent checks a report against (see `base.Source`)."""
