"""Django's own texts that its catalogues leave in English for Greek, Romanian or Indonesian.

Django 6.1 shows "- Select an option -" above every select (model choice fields included) and
has no Greek, Romanian or Indonesian for it yet; a few validator messages are missing too. Our
catalogues come first in ``LOCALE_PATHS``, so naming the messages here puts them in our ``.po``
files, where they get a real translation; Django then finds ours. The msgids must stay exactly
Django's. ``rapport/core/tests/test_widget_texts.py`` fails when a form page shows one of them
in English.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_TEXTS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select.
    gettext_noop("- Select an option -"),
    # django.core.validators and django.forms fields.
    gettext_noop("Enter a valid domain name."),
    gettext_noop("Enter a valid %(protocol)s address."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from "
        "%(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: "
        "%(allowed_extensions)s."
    ),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be "
        "ambiguous or it may not exist."
    ),
)
