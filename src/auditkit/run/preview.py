"""``auditkit preview``: a round's briefing in the browser, rendered again in this warm process on every save.

Like ``quarto preview``: the command renders the briefing once (paying for the imports once), serves it on
127.0.0.1 (:mod:`auditkit.run.preview_server`), watches the parameters file, its codebooks and data and those of
its baselines (:mod:`auditkit.run.preview_watch`), and on each save validates and renders again
(:mod:`auditkit.run.preview_render`); the page then reloads itself. A save that does not validate shows its
errors, as the command line prints them, with a link to the last briefing that rendered. Nothing is written:
``reports/`` is ``auditkit run``'s, with the PDF and the Word document.
"""

from __future__ import annotations

import sys
import threading
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import PreviewError
from auditkit.run.preview_render import PreviewPages, RenderOutcome
from auditkit.run.preview_server import PreviewServer, PreviewState, open_server
from auditkit.run.preview_watch import FileWatcher

__all__ = ["DEFAULT_PORT", "Preview", "describe_render", "serve_preview", "start_preview"]

#: The port ``auditkit preview`` listens on unless ``--port`` says otherwise; the same each time, so a reload or a
#: bookmark finds it again.
DEFAULT_PORT = 4848

#: Called with each line the preview has to say (where it is, each render).
Say = Callable[[str], None]


def describe_render(outcome: RenderOutcome, parameters: Path) -> str:
    """One line about a render, for the terminal.

    Returns
    -------
    str
        Such as ``'Rendered llr-2017.yaml in 0.4 s.'`` or ``'llr-2017.yaml has problems; the page shows them
        (Error: The data has 1 problem: …).'``, the error on one line.
    """
    if outcome.preview is not None:
        return f"Rendered {parameters.name} in {outcome.seconds:.1f} s."
    first = (outcome.error or "").splitlines()[0] if outcome.error else ""
    return f"{parameters.name} has problems; the page shows them ({first})"


@dataclass
class Preview:
    """A preview that is listening and watching: its ``server``, its ``pages`` and ``watcher``; ``error`` is set
    when watching stopped with a :class:`~auditkit.errors.PreviewError`."""

    server: PreviewServer
    pages: PreviewPages
    watcher: FileWatcher
    error: PreviewError | None = None

    @property
    def url(self) -> str:
        """The address the preview serves, ``http://127.0.0.1:PORT/``."""
        return self.server.url


def start_preview(parameters: str | Path, port: int = DEFAULT_PORT, say: Say = print) -> Preview:
    """Listen on 127.0.0.1:``port``, render the round once and start watching its files; not yet serving.

    Raises :class:`~auditkit.errors.PreviewError` when the parameters file does not exist, the port is taken or a
    folder cannot be watched. A round that does not validate is no reason to stop: the page shows its errors.

    Returns
    -------
    Preview
        Ready for :func:`serve_preview`.
    """
    path = Path(parameters).expanduser().absolute()
    if not path.is_file():
        raise PreviewError("parameters", Path(parameters))
    state = PreviewState()
    server = open_server(port, state)  # first: a port in use is said at once, before the imports of a render
    try:
        pages = PreviewPages(path)
        preview: Preview | None = None

        def render() -> None:
            try:
                outcome = pages.render()
            except Exception:  # noqa: BLE001 - a bug must not stop the preview; its traceback goes to the terminal
                traceback.print_exc()
                say("auditkit failed while rendering (a bug: the traceback above says where); save again to retry.")
                return
            state.publish(pages.pages)
            say(describe_render(outcome, path))

        def stop_watching(error: PreviewError) -> None:
            if preview is not None:
                preview.error = error
            threading.Thread(target=server.shutdown, daemon=True).start()

        render()
        watcher = FileWatcher(pages.files, pages.loaded, render, stop_watching)
        watcher.start()
        preview = Preview(server=server, pages=pages, watcher=watcher)
        return preview
    except BaseException:
        server.server_close()
        raise


def serve_preview(preview: Preview, open_browser: bool = False) -> None:
    """Serve the preview until Ctrl-C (or until a folder cannot be watched any more), then stop cleanly.

    With ``open_browser`` the page opens in the system's web browser. Raises the
    :class:`~auditkit.errors.PreviewError` that stopped the watching, if one did.
    """
    try:
        if open_browser:
            webbrowser.open(preview.url)
        preview.server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.watcher.stop()
        preview.server.server_close()
        sys.stdout.flush()
    if preview.error is not None:
        raise preview.error
