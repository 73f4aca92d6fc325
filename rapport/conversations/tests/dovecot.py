"""A throwaway Dovecot IMAP server for tests: its own config in a temporary directory, a free
port on 127.0.0.1, plain login allowed (localhost only), one passwd-file user and a maildir.

Messages are delivered with IMAP APPEND, as a mail server would file them."""

from __future__ import annotations

import getpass
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "alice"
PASSWORD = "imap-secret-123"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    port: int
    root: Path

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            status, data = conn.append(f'"{folder}"', "", None, raw)
            assert status == "OK", data
        finally:
            conn.logout()

    def seen(self, folder: str = "INBOX") -> list[bool]:
        """Whether each message of the folder is marked \\Seen, in order."""
        conn = self.client()
        try:
            _status, count = conn.select(f'"{folder}"', readonly=True)
            if int(count[0] or 0) == 0:
                return []
            _typ, data = conn.fetch("1:*", "(FLAGS)")
            return [b"\\Seen" in line for line in data if isinstance(line, bytes)]
        finally:
            conn.logout()

    def recreate(self, folder: str) -> None:
        """Delete and create the folder again: a new UIDVALIDITY, its UIDs start over."""
        conn = self.client()
        try:
            conn.delete(f'"{folder}"')
            conn.create(f'"{folder}"')
        finally:
            conn.logout()


def _mail_user() -> pwd.struct_passwd:
    """Dovecot refuses to keep mail as root: as root the mail belongs to its own user."""
    return pwd.getpwnam("dovecot") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())


def _config(root: Path, port: int) -> str:
    me = getpass.getuser()
    internal, login = ("dovecot", "dovenull") if os.geteuid() == 0 else (me, me)
    mail = _mail_user()
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
}}
"""


def _run(conf: Path, *args: str) -> None:
    # The daemon keeps whatever it inherits open: no pipes, or run() would wait for it.
    subprocess.run(
        [DOVECOT, "-c", str(conf), *args],
        check=not args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.fail("dovecot is not installed (apt-get install dovecot-imapd; scripts/test.sh)")
    # Not pytest's tmp_path: its parents are private to this user, and Dovecot's own users
    # must reach the password file and the maildir.
    root = Path(tempfile.mkdtemp(prefix="rapport-dovecot-"))
    os.chmod(root, 0o755)  # noqa: S103
    mail = _mail_user()
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
        if sub in ("mail", "home"):
            os.chown(root / sub, mail.pw_uid, mail.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port))
    _run(conf)
    server = Dovecot(port=port, root=root)
    try:
        for _ in range(100):
            try:
                server.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.05)
        yield server
    finally:
        _run(conf, "stop")
        shutil.rmtree(root, ignore_errors=True)
