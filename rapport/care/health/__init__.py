"""Relationship health (P37, P34): a score per client from named signals, its trend, and the
list of clients at risk with a suggested step (docs/health.md, ADR 0038)."""
