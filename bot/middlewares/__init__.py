"""Per-update plumbing: drop repeats, open a unit of work, know who is asking."""
