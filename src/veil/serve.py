"""`veil serve`: a local preview that reloads itself after every rebuild.

Safety first: it listens on 127.0.0.1 unless told otherwise, answers only requests whose
Host is that address or localhost (a web page elsewhere cannot reach it through DNS
rebinding), lists no folders, and serves nothing outside the built site (`..`, encoded
dots and symlinks are refused). Pages get a small script that listens for Server-Sent
Events: "reload" after a good build, "problem" with the message after a failed one,
shown over the last good page until the file is fixed.
"""

from __future__ import annotations

import errno
import http.server
import json
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import UsageError
from .watch import Rebuild

RELOAD_PATH = "/__veil/reload.js"
EVENTS_PATH = "/__veil/events"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")

RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var overlay = null;
  function showProblem(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.id = "veil-problem";
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#26231f;color:#fbfaf7;" +
        "font:1rem/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647;" +
        "border-top:4px solid #c2410c";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "veil could not build the site:\\n\\n" + text;
  }
  var source = new EventSource("/__veil/events");
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("problem", function (event) {
    showProblem(JSON.parse(event.data).text);
  });
})();
"""


class PreviewState:
    """The last build's outcome, and a condition that wakes the event streams."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.epoch = 0
        self.problem: str | None = None

    def publish(self, rebuild: Rebuild) -> None:
        with self.changed:
            self.epoch += 1
            self.problem = ("\n".join(p.format() for p in rebuild.problems)
                            if rebuild.failed else None)
            self.changed.notify_all()


def make_server(output: Path, state: PreviewState, lock: threading.Lock, host: str = "127.0.0.1",
                port: int = 8000) -> http.server.ThreadingHTTPServer:
    root = output.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "veil"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows rebuilds, not every request

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            if not self._host_allowed():
                self._plain(403, "This preview answers only to its own address.")
                return
            path = urlsplit(self.path).path
            if path == RELOAD_PATH:
                self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
            elif path == EVENTS_PATH:
                self._events()
            else:
                self._file(path)

        def _host_allowed(self) -> bool:
            bound_port = self.server.server_address[1]
            allowed = {f"{name}:{bound_port}" for name in LOOPBACK}
            if host not in LOOPBACK:
                allowed.add(f"{host}:{bound_port}")
            return (self.headers.get("Host") or "").lower() in allowed

        def _file(self, raw_path: str) -> None:
            target = _resolve(root, raw_path)
            if target is None:
                self._plain(403, "Not inside this site.")
                return
            with lock:  # never read a site that is being swapped in
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    missing = root / "404.html"
                    body = missing.read_bytes() if missing.is_file() else b"Not found"
                    self._send(404, "text/html; charset=utf-8", _with_reload(body))
                    return
                data = target.read_bytes()
            kind = _content_type(target)
            if kind.startswith("text/html"):
                data = _with_reload(data)
            self._send(200, kind, data)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with state.changed:
                seen = state.epoch
                problem = state.problem
            try:
                if problem:
                    self._event("problem", {"text": problem})
                while True:
                    with state.changed:
                        state.changed.wait_for(lambda seen=seen: state.epoch != seen, timeout=15)
                        epoch, problem = state.epoch, state.problem
                    if epoch == seen:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                        continue
                    seen = epoch
                    if problem:
                        self._event("problem", {"text": problem})
                    else:
                        self._event("reload", {})
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                return

        def _event(self, name: str, data: dict[str, str]) -> None:
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

        def _plain(self, status: int, text: str) -> None:
            self._send(status, "text/plain; charset=utf-8", text.encode())

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    try:
        server = http.server.ThreadingHTTPServer((host.strip("[]"), port), Handler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise UsageError(f"port {port} is already in use (another `veil serve`, or another "
                         "program): stop it, or preview on another port with --port N, "
                         "such as --port 8001") from None
    server.daemon_threads = True
    return server


def _resolve(root: Path, raw_path: str) -> Path | None:
    """The file a URL path names, or None when it would leave the site."""
    path = unquote(raw_path)
    if "\x00" in path or "\\" in path:
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    normal = posixpath.normpath("/" + path).lstrip("/")
    if ".git" in (part.casefold() for part in normal.split("/")):
        return None  # kept in the folder by builds, never built by them
    target = (root / normal) if normal not in ("", ".") else root
    try:
        resolved = target.resolve()
    except OSError:
        return None
    if resolved != root and root not in resolved.parents:
        return None  # a symlink that points out of the site
    return target


_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".json": "application/json",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".ico": "image/x-icon",
    ".pdf": "application/pdf", ".woff2": "font/woff2",
}


def _content_type(path: Path) -> str:
    return _TYPES.get(path.suffix.lower(), "application/octet-stream")


_CONNECT_NONE = re.compile(rb"connect-src 'none'")


def _with_reload(html: bytes) -> bytes:
    """The page, plus the reload script; its CSP lets the preview's event stream through."""
    html = _CONNECT_NONE.sub(b"connect-src 'self'", html)
    tag = f'<script src="{RELOAD_PATH}" defer></script>'.encode()
    if b"</head>" in html:
        return html.replace(b"</head>", tag + b"</head>", 1)
    return html + tag
