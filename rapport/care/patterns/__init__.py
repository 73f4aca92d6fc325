"""Recurring client-caused patterns (P25): detected when a client-caused problem is reported;
the provider is offered a conversation template and a contract clause for next time."""
