"""run/preview_server.py: 127.0.0.1 only, the Host header checked, the long poll, and a port in use refused."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from auditkit.errors import PreviewError
from auditkit.run.preview_server import HOST, PreviewState, allowed_hosts, open_server


@pytest.fixture
def served():
    state = PreviewState()
    state.publish(lambda version: {"/": f"<p>page {version}</p>".encode()})
    server = open_server(0, state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server, state
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    answer = connection.getresponse()
    try:
        return answer.status, answer.read()
    finally:
        connection.close()


def test_it_listens_on_127_0_0_1_only(served):
    server, _ = served
    assert server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/"


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_it_answers_a_request_addressed_to_it(served, host):
    server, _ = served
    assert _get(server.port, "/", host.format(port=server.port)) == (200, b"<p>page 1</p>")


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1", "localhost:1{port}", "127.0.0.1.evil.example:{port}", "", None]
)
def test_it_refuses_any_other_host_in_a_sentence_showing_nothing_of_the_round(served, host):
    server, _ = served
    status, body = _get(server.port, "/", None if host is None else host.format(port=server.port))
    assert status == 403
    assert body.decode() == (
        f"This preview answers only at http://127.0.0.1:{server.port}/ or http://localhost:{server.port}/, not at "
        "the address this request was sent to.\n"
    )


def test_the_hosts_it_answers():
    assert allowed_hosts(4848) == frozenset({"127.0.0.1:4848", "localhost:4848"})


def test_an_unknown_path_is_not_found(served):
    server, _ = served
    assert _get(server.port, "/briefing.pdf", f"127.0.0.1:{server.port}") == (
        404,
        b"Nothing here: the briefing is at /.\n",
    )


def test_a_long_poll_answers_when_a_newer_render_is_published(served):
    server, state = served
    host = f"127.0.0.1:{server.port}"
    assert json.loads(_get(server.port, "/version?since=0", host)[1]) == {"version": 1}
    threading.Timer(0.3, lambda: state.publish(lambda version: {"/": b"<p>new</p>"})).start()
    started = time.monotonic()
    assert json.loads(_get(server.port, "/version?since=1", host)[1]) == {"version": 2}
    assert 0.2 < time.monotonic() - started < 10
    assert _get(server.port, "/", host) == (200, b"<p>new</p>")


def test_a_port_in_use_is_refused_in_one_sentence():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PreviewError) as caught:
            open_server(port, PreviewState())
    assert str(caught.value) == (
        f"auditkit preview cannot listen on 127.0.0.1:{port}: another program is listening on that port; choose "
        "another --port."
    )
