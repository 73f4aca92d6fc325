"""Files and links a provider attaches to a deliverable for the client to review (P06, P13).

Files are checked (an allow-list of extensions, the type the browser declared, a size limit),
stored privately under MEDIA_ROOT with a random name, and streamed only by views that checked
who asks (``attachment_response``). Links must be http(s).
"""

from __future__ import annotations

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from rapport.accounts.models import User
from rapport.clients.briefs.validation import ALLOWED_UPLOADS, upload_content_type
from rapport.core.errors import ApplicationError
from rapport.projects.models import Deliverable, DeliverableAttachment

# A deliverable is often a design or a video: larger than a brief's answer, and in the
# formats designers hand over, besides the documents a brief accepts.
MAX_BYTES = 50 * 1024 * 1024
_ANY = {"application/octet-stream"}
ALLOWED: dict[str, set[str]] = {
    **ALLOWED_UPLOADS,
    ".svg": {"image/svg+xml"},
    ".psd": {"image/vnd.adobe.photoshop", "application/x-photoshop", *_ANY},
    ".ai": {"application/postscript", "application/pdf", "application/illustrator", *_ANY},
    ".eps": {"application/postscript", *_ANY},
    ".fig": _ANY,
    ".sketch": {"application/zip", *_ANY},
    ".mp4": {"video/mp4"},
    ".mov": {"video/quicktime"},
    ".webm": {"video/webm"},
    ".mp3": {"audio/mpeg"},
}
MAX_PER_DELIVERABLE = 20
_URL = URLValidator(schemes=["http", "https"])


def max_bytes() -> int:
    return int(getattr(settings, "DELIVERABLE_UPLOAD_MAX_BYTES", MAX_BYTES))


def _check_upload(upload: UploadedFile[bytes]) -> str:
    """The extension of an acceptable file, or a refusal on the ``file`` field."""
    extension = PurePath(PurePath(upload.name or "").name).suffix.lower()
    allowed = ALLOWED.get(extension)
    if allowed is None:
        raise ApplicationError(
            _("Files of this type cannot be attached. Attach one of: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED))},
            field="file",
        )
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in allowed:
        raise ApplicationError(
            _("This file does not look like a %(ext)s file.") % {"ext": extension}, field="file"
        )
    if not upload.size:
        raise ApplicationError(_("The file is empty."), field="file")
    if upload.size > max_bytes():
        raise ApplicationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)},
            field="file",
        )
    return extension


def _check_room(deliverable: Deliverable) -> Deliverable:
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if locked.archived_at is not None:
        raise ApplicationError(_("This deliverable is archived."), field="deliverable")
    if locked.status == Deliverable.Status.ACCEPTED:
        raise ApplicationError(
            _("The client has approved this deliverable; it can no longer change."),
            field="deliverable",
        )
    if DeliverableAttachment.objects.filter(deliverable=locked).count() >= MAX_PER_DELIVERABLE:
        raise ApplicationError(
            _("At most %(n)s files and links per deliverable.") % {"n": MAX_PER_DELIVERABLE},
            field="deliverable",
        )
    return locked


@transaction.atomic
def deliverable_file_attach(
    *, deliverable: Deliverable, actor: User | None, upload: UploadedFile[bytes]
) -> DeliverableAttachment:
    """Attach a file for the client to download. Refused (on ``file``) when its type is not
    allowed, its declared type does not match its extension, it is empty or too large; and
    (on ``deliverable``) once the client approved the deliverable."""
    extension = _check_upload(upload)
    _check_room(deliverable)
    attachment = DeliverableAttachment(
        workspace_id=deliverable.workspace_id,
        deliverable=deliverable,
        kind=DeliverableAttachment.Kind.FILE,
        # The uploader's name is shown and offered on download, never used as a path.
        name=PurePath(upload.name or "").name[:200] or f"file{extension}",
        size=upload.size or 0,
        added_by=actor,
    )
    attachment.file.save(f"{secrets.token_hex(16)}{extension}", upload, save=False)
    stored, storage = attachment.file.name or "", attachment.file.storage
    # Every check ran before the file was written; should the row still fail, the file goes.
    try:
        attachment.save()
    except Exception:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def deliverable_link_attach(
    *, deliverable: Deliverable, actor: User | None, url: str, name: str = ""
) -> DeliverableAttachment:
    """Attach a link (a prototype, a shared folder, a staging site). Only http(s) links."""
    url = url.strip()
    try:
        _URL(url)
    except ValidationError:
        raise ApplicationError(
            _("Enter a full web address starting with https://."), field="url"
        ) from None
    if len(url) > 1000:
        raise ApplicationError(_("At most 1000 characters."), field="url")
    name = name.strip() or url
    _check_room(deliverable)
    return DeliverableAttachment.objects.create(
        workspace_id=deliverable.workspace_id,
        deliverable=deliverable,
        kind=DeliverableAttachment.Kind.LINK,
        name=name[:200],
        url=url,
        added_by=actor,
    )


@transaction.atomic
def deliverable_attachment_remove(*, attachment: DeliverableAttachment) -> None:
    """Take a file or link off a deliverable the client has not approved yet; a file is
    deleted from storage once the removal is committed."""
    _check_room_for_removal(attachment.deliverable)
    stored = attachment.file.name if attachment.is_file else ""
    storage = attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _check_room_for_removal(deliverable: Deliverable) -> None:
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if locked.status == Deliverable.Status.ACCEPTED:
        raise ApplicationError(
            _("The client has approved this deliverable; it can no longer change."),
            field="deliverable",
        )


def attachment_response(attachment: DeliverableAttachment) -> FileResponse:
    """Stream an attached file as a download: never shown inline, never sniffed, never cached
    by a shared cache; its type comes from its allow-listed extension. Call it only after
    checking that the reader may see the deliverable."""
    if not attachment.is_file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    stored = attachment.file.name or ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=upload_content_type(stored),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
