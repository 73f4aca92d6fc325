"""Problems and mistakes handled in writing, with alternatives for the client (P20, P21, P22).

``services`` writes, ``selectors`` reads, ``access`` resolves ids within the workspace,
``forms`` and ``views`` are the staff pages; the client's side is ``rapport.portal.problems``.
"""
