"""Use cases: each takes a unit of work and plain values, applies the core's rules, writes the
change and its audit row in one transaction, and returns what the caller needs to show."""
