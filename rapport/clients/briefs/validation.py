"""The checks of what a provider types into a questionnaire and what a contact answers or
uploads. Each returns the cleaned value or raises :class:`ApplicationError` naming the field."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from rapport.accounts.models import LANGUAGE_CHOICES
from rapport.clients.models import BriefQuestion
from rapport.core.errors import ApplicationError

MAX_TEXT = 10000
MAX_CHOICES = 20
# Uploads: a size limit and an allow-list of extensions, each with the content types a
# browser may declare for it (octet-stream is what some send for anything).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_OFFICE = {"application/octet-stream", "application/zip", "application/x-zip-compressed"}
ALLOWED_UPLOADS: dict[str, set[str]] = {
    ".pdf": {"application/pdf", "application/octet-stream"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
    ".txt": {"text/plain"},
    ".csv": {"text/csv", "text/plain", "application/vnd.ms-excel"},
    ".doc": {"application/msword", "application/octet-stream"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        *_OFFICE,
    },
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", *_OFFICE},
    ".pptx": {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        *_OFFICE,
    },
    ".odt": {"application/vnd.oasis.opendocument.text", *_OFFICE},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet", *_OFFICE},
    ".zip": {"application/zip", "application/x-zip-compressed", "application/octet-stream"},
}


def upload_content_type(name: str) -> str:
    """The content type a stored brief file is served with (from its extension, never from
    what the uploader declared)."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# --- Questionnaires (the provider) -------------------------------------------------------------


def clean_template(*, title: str, language: str) -> str:
    """The title of a new questionnaire, stripped; its language must be one we speak."""
    title = title.strip()
    if not title:
        raise ApplicationError(_("Give the questionnaire a title."), field="title")
    if len(title) > 200:
        raise ApplicationError(_("At most 200 characters."), field="title")
    if language not in dict(LANGUAGE_CHOICES):
        raise ApplicationError(_("Choose a language."), field="language")
    return title


def clean_question(
    *, kind: str, text: str, help_text: str, choices: list[str] | str
) -> tuple[str, str, list[str]]:
    """The question's text, hint and options, cleaned (in the order the form shows them)."""
    if kind not in BriefQuestion.Kind.values:
        raise ApplicationError(_("Choose the kind of answer."), field="kind")
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write the question."), field="text")
    if len(text) > 300:
        raise ApplicationError(_("At most 300 characters."), field="text")
    help_text = help_text.strip()
    if len(help_text) > 300:
        raise ApplicationError(_("At most 300 characters."), field="help_text")
    return text, help_text, clean_choices(kind, choices)


def clean_choices(kind: str, choices: list[str] | str) -> list[str]:
    """The options of a choice question (one a line, or a list): stripped, without repeats;
    none for the other kinds."""
    if isinstance(choices, str):
        choices = choices.splitlines()
    cleaned: list[str] = []
    for choice in (c.strip() for c in choices):
        if choice and choice not in cleaned:
            cleaned.append(choice[:200])
    if kind != BriefQuestion.Kind.CHOICE:
        return []
    if len(cleaned) < 2:
        raise ApplicationError(
            _("A choice question needs at least two options, one per line."), field="choices"
        )
    if len(cleaned) > MAX_CHOICES:
        raise ApplicationError(_("At most %(n)s options.") % {"n": MAX_CHOICES}, field="choices")
    return cleaned


# --- Answers (the contact) ---------------------------------------------------------------------


def clean_answer_text(question: dict[str, Any], text: str | None, field: str) -> str:
    """A text or choice answer, stripped; a choice must be one of the options (or blank)."""
    value = (text or "").strip()
    if len(value) > MAX_TEXT:
        raise ApplicationError(_("At most %(n)s characters.") % {"n": MAX_TEXT}, field=field)
    if question["kind"] == BriefQuestion.Kind.CHOICE and value and value not in question["choices"]:
        raise ApplicationError(_("Choose one of the options."), field=field)
    return value


def check_upload(upload: UploadedFile[bytes], field: str) -> str:
    """Refuse what we do not keep; return the extension of an acceptable file."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    allowed = ALLOWED_UPLOADS.get(extension)
    if allowed is None:
        raise ApplicationError(
            _("Files of this type cannot be sent here. Send one of: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_UPLOADS))},
            field=field,
        )
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in allowed:
        raise ApplicationError(
            _("This file does not look like a %(ext)s file.") % {"ext": extension}, field=field
        )
    limit = getattr(settings, "BRIEF_UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES)
    if (upload.size or 0) > limit:
        raise ApplicationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field=field,
        )
    if not upload.size:
        raise ApplicationError(_("The file is empty."), field=field)
    return extension
