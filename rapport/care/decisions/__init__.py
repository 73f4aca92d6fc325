"""The decisions log of a project (P36, P19): recommendations with their options, what the
client chose and why, who decided and when.

``services`` writes (recording, deciding), ``entries`` writes the entries problems and change
requests make themselves, ``selectors`` reads, ``access`` resolves ids within the workspace,
``forms`` and ``views`` are the staff pages, ``receivers`` listens to agreements; the client's
side is ``rapport.portal.decisions``.
"""
