"""Wait until a web server answers HTTP 200, or say clearly why it did not.

Used by ``scripts/run.sh`` (``make run``) so that the URL and the demo login are printed only
once the server answers. Standard library only: it runs before anything else is known to work.

    python scripts/wait_for_web.py URL [--timeout SECONDS] [--pid PID]

Exit status 0 when ``URL`` answered 200; 1 with a message on stderr naming the URL and the last
answer (a status or a connection error) when the timeout passed, or naming the process when
``PID`` (the process manager) exited first: then waiting longer cannot help.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request

# Each attempt is short: a server that is starting refuses at once; one that hangs must not
# eat the whole timeout in a single request.
ATTEMPT_TIMEOUT_S = 2.0
INTERVAL_S = 0.25


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def _attempt(url: str) -> str | None:
    """None when ``url`` answered 200; otherwise what happened, for the error message."""
    try:
        with urllib.request.urlopen(url, timeout=ATTEMPT_TIMEOUT_S) as response:  # noqa: S310 (a local URL given by the caller)
            status = int(response.status)
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"no answer ({reason})"
    return None if status == 200 else f"HTTP {status}"


def wait_for(url: str, timeout: float, pid: int | None = None) -> str | None:
    """Poll ``url`` until it answers 200 (returns None) or the timeout passes or ``pid``
    exits (returns the reason as a sentence)."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = _attempt(url)
        if outcome is None:
            return None
        last = outcome
        if pid is not None and not _alive(pid):
            return (
                f"the processes stopped before {url} answered (last: {last}); "
                "their output above says why"
            )
        if time.monotonic() >= deadline:
            return f"{url} did not answer HTTP 200 within {timeout:g} s (last: {last})"
        time.sleep(INTERVAL_S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--pid", type=int, default=None, help="stop waiting if it exits")
    parser.add_argument("--name", default="the web server", help="what is waited for")
    args = parser.parse_args(argv)
    reason = wait_for(args.url, args.timeout, args.pid)
    if reason is None:
        return 0
    print(f"error: {args.name} is not answering: {reason}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
