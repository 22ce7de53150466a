"""The web server of ``auditkit preview``: the standard library's ``ThreadingHTTPServer``, on 127.0.0.1 only.

It serves three addresses: ``/``, the briefing as last rendered (or the errors of the last save), ``/last-good``,
the last briefing that rendered, and ``/version``, which a page asks (a long poll) to learn that there is a newer
render, and then reloads itself. The pages show a round's figures and, on the error page, its data values, so
the server answers only a request addressed to it by name, ``127.0.0.1:PORT`` or ``localhost:PORT``: another
web page cannot read it by pointing a name of its own at 127.0.0.1 (DNS rebinding). Nothing else is served.

The standard library's server is enough for one reader on this machine; nothing here is written by hand that
it does.
"""

from __future__ import annotations

import errno
import json
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from auditkit.errors import PreviewError

__all__ = ["HOST", "LONG_POLL_SECONDS", "PreviewServer", "PreviewState", "allowed_hosts", "open_server"]

#: The only address the preview listens on.
HOST = "127.0.0.1"
#: How long a ``/version`` request waits for a newer render before it answers with the same version.
LONG_POLL_SECONDS = 20.0


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` headers the preview on ``port`` answers.

    Returns
    -------
    frozenset of str
        ``'127.0.0.1:PORT'`` and ``'localhost:PORT'``.
    """
    return frozenset({f"{HOST}:{port}", f"localhost:{port}"})


class PreviewState:
    """The pages the server shows, replaced by each render, and the version a page polls for; thread-safe."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self._pages: dict[str, bytes] = {}

    def publish(self, pages: Callable[[int], dict[str, bytes]]) -> int:
        """Show the pages ``pages(version)`` makes for the next version (by address: ``/``, and ``/last-good`` when
        there is one) from now on, and wake every page waiting for it.

        Returns
        -------
        int
            The new version.
        """
        with self._changed:
            self._pages = dict(pages(self.version + 1))
            self.version += 1
            self._changed.notify_all()
            return self.version

    def page(self, path: str) -> bytes | None:
        """The page at ``path``, or None.

        Returns
        -------
        bytes or None
            The page as UTF-8 HTML.
        """
        with self._changed:
            return self._pages.get(path)

    def wait(self, since: int, timeout: float) -> int:
        """Wait until the version is not ``since``, or ``timeout`` seconds.

        Returns
        -------
        int
            The version then.
        """
        with self._changed:
            self._changed.wait_for(lambda: self.version != since, timeout=timeout)
            return self.version


class PreviewServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` that holds the :class:`PreviewState` its handler serves."""

    daemon_threads = True  # a page's long poll never keeps the command from stopping

    def __init__(self, port: int, state: PreviewState):
        self.state = state
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A page that went away while it was answered (it reloaded during a long poll) is no error; anything
        else keeps the standard library's report."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    @property
    def port(self) -> int:
        """The port it listens on (the one the system chose, for ``--port 0``)."""
        return self.server_address[1]

    @property
    def url(self) -> str:
        """The address to open: ``http://127.0.0.1:PORT/``."""
        return f"http://{HOST}:{self.port}/"


def open_server(port: int, state: PreviewState) -> PreviewServer:
    """Listen on 127.0.0.1:``port`` (0: any free port); raises :class:`~auditkit.errors.PreviewError` (``port``)
    when it cannot, such as when another program listens there.

    Returns
    -------
    PreviewServer
        Listening, not yet serving (:meth:`~socketserver.BaseServer.serve_forever` does).
    """
    try:
        return PreviewServer(port, state)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = "another program is listening on that port"
        elif error.errno == errno.EACCES:
            reason = "only the system's administrator may use ports below 1024"
        else:
            reason = (error.strerror or str(error)).rstrip(".").lower()
        raise PreviewError("port", port, reason) from None


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "auditkit-preview"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        """Quiet: each request would otherwise print a line to the terminal."""

    def _send(self, status: HTTPStatus, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host", "")
        if host.lower() in allowed_hosts(self.server.port):
            return True
        sentence = (
            f"This preview answers only at http://{HOST}:{self.server.port}/ or http://localhost:{self.server.port}/, "
            "not at the address this request was sent to.\n"
        )
        self._send(HTTPStatus.FORBIDDEN, sentence.encode("utf-8"), "text/plain; charset=utf-8")
        return False

    def do_HEAD(self) -> None:  # noqa: N802 - the standard library's name
        """As GET, without the body."""
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        """The page at the path, or the version (a long poll); 403 for another Host, 404 for another path."""
        if not self._host_allowed():
            return
        address = urlsplit(self.path)
        if address.path == "/version":
            since = parse_qs(address.query).get("since", [""])[0]
            current = self.server.state.version
            if since.isdigit():
                current = self.server.state.wait(int(since), LONG_POLL_SECONDS)
            self._send(HTTPStatus.OK, json.dumps({"version": current}).encode(), "application/json")
            return
        page = self.server.state.page(address.path)
        if page is None:
            self._send(HTTPStatus.NOT_FOUND, b"Nothing here: the briefing is at /.\n", "text/plain; charset=utf-8")
            return
        self._send(HTTPStatus.OK, page)
