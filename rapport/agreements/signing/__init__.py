"""Signing a document: one-time codes, the client's signature, the countersignature (P08, P19).

The evidence of a signature is the consent text shown, the typed name, the one-time code that
was emailed to the signer (stored only as a keyed hash, :mod:`.codes`), the time, the IP address,
the user agent and the SHA-256 of the stored PDF recomputed at that moment (ADR 0007).
"""
