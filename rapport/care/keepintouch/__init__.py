"""Keeping in touch after delivery, loyalty for returning clients, win-back drafts (P30, P31,
P34; docs/keeping-in-touch.md, ADR 0037)."""
