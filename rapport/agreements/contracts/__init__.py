"""Contracts made from accepted quotes, and amendments made from change requests (P08, P19).

A document is rendered once, in the client's language, from the workspace's terms
(:mod:`.terms`) and the quote (:mod:`.documents`); its PDF bytes and their SHA-256 are stored and
never change after the first signature (ADR 0007). Signing lives in
:mod:`rapport.agreements.signing`.
"""
