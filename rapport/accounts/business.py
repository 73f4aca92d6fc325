"""Your business on every paper (P07, P09, P10): the legal identity of a workspace (the seller)
or a client (the buyer), checked before it reaches an invoice, a quote or a contract.

Tax ids are checked with ``python-stdnum`` where the number carries a checksum: a mistyped ΑΦΜ
or CUI is refused at the form, not found by the client's accountant. Every refusal names its
field (``ApplicationError.field``) so the form shows it beside the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.gr import vat as gr_vat
from stdnum.id import npwp as id_npwp
from stdnum.ro import cf as ro_cf
from stdnum.ro import cui as ro_cui

from rapport.accounts.access import require_owner
from rapport.accounts.models import LegalIdentity, Membership, Workspace
from rapport.core.errors import ApplicationError

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 4000
BRAND_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Nr. Reg. Com.: the classic J40/1234/2020 (also F for sole traders, C for cooperatives) and
# the single number used since 2024 (J2020001234409: letter, year, 7 digits, county, check).
TRADE_REGISTER = re.compile(r"^[JFC]\d{1,2}/\d{1,7}/(19|20)\d{2}$|^[JFC](19|20)\d{2}\d{9,10}$")


@dataclass(frozen=True, kw_only=True)
class Identity:
    """The fields of ``LegalIdentity``, as typed in a form."""

    legal_name: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    tax_id: str = ""
    tax_office: str = ""
    trade_register: str = ""
    vat_number: str = ""


IDENTITY_FIELDS = [f.name for f in fields(Identity)]


def _tax_id_clean(country: str, value: str) -> str:
    """The national tax id in its compact form, checked by the rules of ``country``."""
    if not value:
        return ""
    try:
        if country == "GR":
            return str(gr_vat.validate(value))
        if country == "RO":
            # A company's CUI (2 to 10 digits) or a person's CNP (13 digits) as their CIF.
            compact = ro_cf.compact(value)
            if len(compact) == 13:
                return str(ro_cf.validate(compact))
            return str(ro_cui.validate(compact))
        if country == "ID":
            return str(id_npwp.format(id_npwp.validate(value)))
    except stdnum_errors.ValidationError as exc:
        raise ApplicationError(
            _("This is not a valid tax id for %(country)s; check the digits.")
            % {"country": country},
            field="tax_id",
        ) from exc
    if len(value) > 32:
        raise ApplicationError(_("At most 32 characters."), field="tax_id")
    return value


def _max_length(name: str) -> int:
    field = LegalIdentity._meta.get_field(name)
    return int(getattr(field, "max_length", 0) or 0)


def identity_clean(identity: Identity) -> Identity:
    """``identity`` trimmed and checked; raises ``ApplicationError`` naming the first bad field."""
    data = {name: str(getattr(identity, name)).strip() for name in IDENTITY_FIELDS}
    limits = {name: _max_length(name) for name in IDENTITY_FIELDS}
    for name, value in data.items():
        if len(value) > limits[name] or any(ord(c) < 32 for c in value):
            raise ApplicationError(
                _("At most %(count)s characters, on one line.") % {"count": limits[name]},
                field=name,
            )
    country = data["country"].upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise ApplicationError(_("Choose a country."), field="country")
    data["country"] = country
    data["tax_id"] = _tax_id_clean(country, data["tax_id"])
    if data["tax_office"] and country not in ("", "GR"):
        raise ApplicationError(_("A tax office (ΔΟΥ) is used in Greece only."), field="tax_office")
    register = data["trade_register"].upper().replace(" ", "")
    if register and not TRADE_REGISTER.match(register):
        raise ApplicationError(
            _("Write the trade register number as J40/1234/2020."), field="trade_register"
        )
    data["trade_register"] = register
    if data["vat_number"]:
        try:
            data["vat_number"] = str(eu_vat.validate(data["vat_number"]))
        except stdnum_errors.ValidationError as exc:
            raise ApplicationError(
                _("This is not a valid EU VAT number (country code and digits, e.g. EL094259216)."),
                field="vat_number",
            ) from exc
    return Identity(**data)


def identity_apply(target: LegalIdentity, identity: Identity) -> list[str]:
    """Copy a cleaned ``identity`` onto ``target``; the names of the fields written."""
    for name in IDENTITY_FIELDS:
        setattr(target, name, getattr(identity, name))
    return list(IDENTITY_FIELDS)


def _image_size(head: bytes) -> tuple[str, int, int] | None:
    """(kind, width, height) read from a PNG or JPEG header; None for anything else. Pillow is
    not a dependency: these two headers are a few bytes each."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return "png", int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
    if head.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                return None
            marker = head[i + 1]
            length = int.from_bytes(head[i + 2 : i + 4])
            # SOF0 to SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return (
                    "jpeg",
                    int.from_bytes(head[i + 7 : i + 9]),
                    int.from_bytes(head[i + 5 : i + 7]),
                )
            i += 2 + length
    return None


def logo_check(upload: UploadedFile[bytes]) -> str:
    """The file extension of an acceptable logo (PNG or JPEG, ≤ 512 KB, sides 16 to 4000 px)."""
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ApplicationError(_("The logo must be at most 512 KB."), field="logo")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    size = _image_size(content)
    if size is None:
        raise ApplicationError(_("The logo must be a PNG or JPEG image."), field="logo")
    kind, width, height = size
    if not (16 <= width <= LOGO_MAX_SIDE and 16 <= height <= LOGO_MAX_SIDE):
        raise ApplicationError(
            _("The logo must be between 16 and 4000 pixels on each side."), field="logo"
        )
    return kind


@transaction.atomic
def workspace_business_update(
    *,
    membership: Membership,
    identity: Identity,
    brand_color: str = "",
    logo: UploadedFile[bytes] | None = None,
    logo_remove: bool = False,
) -> Workspace:
    """Set the workspace's legal identity, brand colour and logo (owner only). Everything is
    checked before anything is written: a bad field leaves the workspace as it was."""
    require_owner(membership)
    clean = identity_clean(identity)
    color = brand_color.strip().lower()
    if color and not BRAND_COLOR.match(color):
        raise ApplicationError(_("Write the colour as #rrggbb."), field="brand_color")
    kind = logo_check(logo) if logo is not None else ""
    workspace = Workspace.objects.select_for_update().get(pk=membership.workspace_id)
    written = identity_apply(workspace, clean)
    workspace.brand_color = color
    old_logo = workspace.logo.name if workspace.logo else ""
    if logo is not None:
        workspace.logo.save(f"ws{workspace.pk}.{kind}", logo, save=False)
    elif logo_remove:
        workspace.logo = ""
    workspace.save(update_fields=[*written, "brand_color", "logo", "updated_at"])
    if old_logo and old_logo != workspace.logo.name:
        name = old_logo
        transaction.on_commit(lambda: workspace.logo.storage.delete(name))
    membership.workspace = workspace
    return workspace


def logo_bytes(workspace: Workspace) -> bytes:
    """The logo's bytes, or b"" without one (or when its file has gone)."""
    if not workspace.logo:
        return b""
    try:
        with workspace.logo.open("rb") as handle:
            return bytes(handle.read())
    except FileNotFoundError:
        return b""


def identity_lines(party: LegalIdentity, *, fallback_name: str) -> dict[str, Any]:
    """A party's identification as a document prints it, with labels in the active language:
    {"name", "address": [lines], "ids": [[label, value]]}. Greek papers write ΑΦΜ and ΔΟΥ,
    Romanian ones CUI/CIF and Nr. Reg. Com., Indonesian ones NPWP."""
    country = party.country
    address = [line for line in (party.street, f"{party.postal_code} {party.city}".strip()) if line]
    if country:
        address.append(country)
    tax_label = {"GR": "ΑΦΜ", "RO": "CUI/CIF", "ID": "NPWP"}.get(country, _("Tax id"))
    ids: list[list[str]] = []
    if party.tax_id:
        ids.append([tax_label, party.tax_id])
    if party.tax_office:
        ids.append(["ΔΟΥ", party.tax_office])
    if party.trade_register:
        ids.append(["Nr. Reg. Com.", party.trade_register])
    if party.vat_number:
        ids.append([_("VAT number"), party.vat_number])
    return {"name": party.legal_name or fallback_name, "address": address, "ids": ids}
