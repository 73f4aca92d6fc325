"""Print an API token, a staff session cookie and a portal session cookie for bench/http.sh.

Output is shell assignments (``eval "$(python bench/http_credentials.py)"``):

    API_TOKEN=rpt_…
    STAFF_COOKIE=sessionid=…
    PORTAL_COOKIE=sessionid=…
    DEEP_CONTACTS=/api/v1/contacts/?cursor=…
    MACHINE_SPEED='Python speed: …'

Run it with the same SECRET_KEY and DATABASE_URL as the server: sessions are signed with the
key and stored in the database. The previous token of this script is revoked, so they do not
pile up on the settings page.
"""

from __future__ import annotations

import shlex
import sys

import _setup

_setup.django_setup(production_like=True)

from django.conf import settings  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.accounts.models import ApiToken, Membership  # noqa: E402
from rapport.accounts.services import api_token_create, api_token_revoke  # noqa: E402
from rapport.clients.models import Client, Contact  # noqa: E402
from rapport.clients.portal_links.services import portal_link_create  # noqa: E402
from rapport.projects.models import Project  # noqa: E402

TOKEN_NAME = "bench http.sh"  # noqa: S105 - a label, not a secret
HOST = "127.0.0.1"


def main() -> int:
    _setup.require_migrated()
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user__email=_setup.BENCH_EMAIL)
        .first()
    )
    if membership is None:
        print(f"No {_setup.BENCH_EMAIL}: run bench/seed.py first.", file=sys.stderr)
        return 1
    for old in ApiToken.objects.filter(
        workspace=membership.workspace, name=TOKEN_NAME, revoked_at__isnull=True
    ):
        api_token_revoke(membership=membership, token_id=old.pk)
    _token, secret = api_token_create(membership=membership, name=TOKEN_NAME)

    staff = HttpClient(HTTP_HOST=HOST)
    staff.force_login(membership.user, backend=settings.AUTHENTICATION_BACKENDS[-1])

    # The same kind of contact as bench/pages.py uses: of an active client with active work.
    client = (
        Client.objects.for_workspace(membership.workspace)
        .active()
        .filter(status=Client.Status.ACTIVE, projects__status=Project.Status.ACTIVE)
        .order_by("id")
        .first()
    )
    contact = Contact.objects.filter(client=client, archived_at__isnull=True).order_by("id").first()
    if contact is None:
        print("No contact of an active client: run bench/seed.py first.", file=sys.stderr)
        return 1
    portal = HttpClient(HTTP_HOST=HOST)
    _link, link_token = portal_link_create(contact=contact, actor=membership.user)
    response = portal.post(reverse("portal:open", args=[link_token]))
    if response.status_code != 302:
        print(f"Portal confirm answered {response.status_code}", file=sys.stderr)
        return 1

    name = settings.SESSION_COOKIE_NAME
    print(f"API_TOKEN={shlex.quote(secret)}")
    print(f"STAFF_COOKIE={shlex.quote(f'{name}={staff.cookies[name].value}')}")
    print(f"PORTAL_COOKIE={shlex.quote(f'{name}={portal.cookies[name].value}')}")
    # A page of the contacts list 10,000 rows deep, and the machine's speed for the report.
    from rapport.api.pagination import encode_cursor

    before = (
        Contact.objects.for_workspace(membership.workspace)
        .filter(archived_at__isnull=True)
        .order_by("name", "id")
        .values_list("name", "id")[9_999]
    )
    print(f"DEEP_CONTACTS={shlex.quote('/api/v1/contacts/?cursor=' + encode_cursor('n', before))}")
    print(f"MACHINE_SPEED={shlex.quote(_setup.machine_speed())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
