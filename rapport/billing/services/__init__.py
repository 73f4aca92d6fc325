"""Billing's writes, one module per purpose.

* :mod:`.invoices`: a draft's lines, issuing (number, PDF, message to the client), cancelling;
* :mod:`.stages`: the invoice of a stage of the agreed payment schedule;
* :mod:`.time_entries`: time worked, and the hourly invoice that bills it;
* :mod:`.payments`: money received against an issued invoice.

Payment methods are written in :mod:`rapport.billing.payment_methods`, revision rounds in
:mod:`rapport.billing.revisions.services`, the kickoff in :mod:`rapport.billing.kickoff`.
"""
