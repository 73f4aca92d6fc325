"""The pulse (P23): five faces at the end of every update and in the portal, the trend per
client and project, and the alert when it drops (docs/pulse.md, ADR 0033)."""
