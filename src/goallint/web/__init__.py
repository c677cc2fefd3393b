"""`goallint serve`: a local web page for drafters (see docs/web.md). Needs the `web` extra."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    *, host: str = "127.0.0.1", port: int = 8000, max_size: int, timeout: float, rule_dirs: list[Path] | None = None
) -> None:
    import uvicorn

    from goallint.web.app import create_app

    app = create_app(max_size=max_size, timeout=timeout, rule_dirs=rule_dirs)
    for error in app.state.rule_errors:  # a broken rule file is left out of the page, and said so
        print(error, file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
