"""Looking before signing (P01-P04): the workspace's checklist, a lead's answers and notes,
conflicts with current clients, and the decision to take the work or decline it politely.

``services`` writes, ``selectors`` reads (the checklist, a lead's answers, its conflicts),
``views``/``forms``/``urls`` are the screening page and the checklist's Settings actions; the
checklist's Settings section is the ``checklist_tags`` library in ``clients.templatetags``.
"""
