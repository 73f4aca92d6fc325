"""The delivery worker: claim due notifications, send them, repeat. SIGTERM ends it cleanly
after the current message."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from rapport.notifications.delivery import deliver_due, sweep


class Command(BaseCommand):
    help = "Deliver queued client notifications (run one or more)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--idle-sleep", type=float, default=1.0)
        parser.add_argument("--once", action="store_true", help="Deliver what is due, then exit.")

    def handle(
        self,
        *args: Any,
        batch: int = 50,
        idle_sleep: float = 1.0,
        once: bool = False,
        **options: Any,
    ) -> None:
        worker = f"{socket.gethostname()}:{os.getpid()}"
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        last_sweep = float("-inf")  # sweep at start, then every 30 s
        while not stop.is_set():
            close_old_connections()
            if time.monotonic() - last_sweep > 30:
                sweep()
                last_sweep = time.monotonic()
            sent = deliver_due(worker=worker, limit=batch)
            if once and not sent:
                return
            if not sent:
                stop.wait(idle_sleep)
