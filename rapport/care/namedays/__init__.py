"""Birthdays, company anniversaries and name days, greeted on the morning of the day (P31)."""
