"""Enqueue the periodic tick once a minute until stopped (SIGTERM/SIGINT end it cleanly)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from rapport.core.tasks import tick


class Command(BaseCommand):
    help = "Run the scheduler: enqueue the tick task at the start of every minute."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue one tick and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            now = timezone.now()
            minute = now.strftime("%Y%m%d%H%M")
            # Several schedulers may run (one per box): the shared cache key lets only one
            # of them enqueue each minute's tick.
            if cache.add(f"tick:{minute}", 1, timeout=180):
                tick.enqueue()
                self.stdout.write(f"tick enqueued for {minute}")
            if once:
                return
            stop.wait(60 - now.second - now.microsecond / 1e6 + 0.05)
