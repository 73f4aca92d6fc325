"""A client who may be upset (P23, P24): the one alert that a hostile or unhappy message and a
drop in the pulse both raise, so the provider meets one de-escalation page whatever the
signal was."""
