"""Trigram indexes for the clients search, on PostgreSQL only.

The search (``clients.selectors.client_list``) matches ``UPPER(column) LIKE UPPER('%word%')``
in client names and tags and in contacts' names and emails; a leading wildcard defeats a b-tree,
a trigram GIN index does not (the search page at 10,000 clients: 126 ms of queries without them,
docs/performance.md). SQLite has no such index and is left as it is. The indexes are not in the
models' Meta because SQLite could not create them; this migration owns them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = [
    ("client_name_trgm", "clients_client", "name"),
    ("client_tags_trgm", "clients_client", "tag_index"),
    ("contact_name_trgm", "clients_contact", "name"),
    ("contact_email_trgm", "clients_contact", "email"),
]


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table}"
            f" USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_default_brief_templates")]

    operations = [migrations.RunPython(create, drop)]
