"""Discovery briefs (P05): ask what the client wants to achieve, for whom, with samples.

A workspace keeps questionnaire templates; sending one to a contact copies its questions into
the brief (a snapshot, so editing the template later changes no brief already sent). The
contact fills it in the portal, answer by answer, and sends it; from then on it is read-only.
Uploaded files are private: stored under MEDIA_ROOT with a random name and served only by
access-checked views (staff of the workspace, contacts of the client).

``services`` writes, ``validation`` holds the checks of what a provider or a contact types or
uploads, ``selectors`` reads, ``views``/``forms``/``urls`` are the staff pages (the portal's
pages are in ``rapport.portal.briefs``), ``defaults`` is a new workspace's first questionnaire.
"""
