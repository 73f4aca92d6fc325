"""Saved line items: lines a workspace reuses across quotes (P07)."""
