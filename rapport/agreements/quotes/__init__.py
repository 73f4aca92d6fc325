"""Quotes: price and scope in writing before any work starts (P06, P07).

A quote is written as a whole: its lines, deliverables and payment schedule are validated
together (:mod:`.validation`) and saved in one transaction, or not at all (:mod:`.services`).
Amounts pass through :mod:`rapport.core.money` (``Decimal`` only, each line rounded to the
currency's minor unit, totals are sums of the rounded lines). Sending it holds the price until
``valid_until``: a commitment of kind QUOTE on the client's ledger, closed as kept when the client
decides or when the quote expires (the price was held either way, :mod:`.scanners`).
"""
