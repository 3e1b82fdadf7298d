"""The preview server answers only to its own address and never leaves the built site."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import CliRun, SiteDir
from veil.cli import EXIT_USAGE
from veil.serve import PreviewState, make_server


@pytest.fixture
def preview(site: SiteDir, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    site.post("hello", "Hello there", body="A first post.")
    site.build()
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    (site.out / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (site.out / "empty-folder").mkdir()
    (site.out / ".git").mkdir()  # a deploy checkout kept in the folder by builds
    (site.out / ".git" / "config").write_text(
        "url = https://writer:token-1234@git.example/blog", encoding="utf-8")
    server = make_server(site.out, PreviewState(), threading.Lock(), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], site.out
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_host=True)
    if host != "":  # "" sends no Host header at all
        connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_pages_are_served_with_the_reload_script(preview: tuple[int, Path]) -> None:
    port, _ = preview
    status, body = _get(port, "/posts/hello/index.html")
    assert status == 200 and b"A first post." in body
    assert b"/__veil/reload.js" in body
    assert _get(port, "/", host=f"localhost:{port}")[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "192.168.1.5:{port}",
                                  ""])
def test_requests_for_another_host_are_refused(preview: tuple[int, Path], host: str) -> None:
    port, _ = preview
    status, body = _get(port, "/posts/hello/index.html", host=host.format(port=port))
    assert status == 403
    assert b"A first post." not in body


@pytest.mark.parametrize("path", [
    "/../veil.yaml", "/%2e%2e/veil.yaml", "/posts/%2E%2E/%2E%2E/veil.yaml", "/escape.txt",
    "/..%2fveil.yaml", "/posts/..\\..\\veil.yaml", "/.git/config", "//.git/config",
    "/%2egit/config", "/.GIT/config",
])
def test_no_path_leaves_the_built_site(preview: tuple[int, Path], path: str) -> None:
    port, _ = preview
    status, body = _get(port, path)
    assert status in (403, 404)
    assert b"outside the site" not in body and b"base_url" not in body
    assert b"token" not in body


def test_folders_are_never_listed(preview: tuple[int, Path]) -> None:
    port, _ = preview
    status, body = _get(port, "/empty-folder/")
    assert status == 404
    assert b"Directory listing" not in body and b"empty-folder" not in body


def test_a_port_in_use_is_a_clear_error_naming_the_way_out(
        preview: tuple[int, Path], site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    """`veil serve` started while another preview holds the port says so, and how to pick
    another port, without a traceback."""
    port, _ = preview
    result = run_cli("serve", "--site", str(site.root), "--port", str(port))
    assert result.code == EXIT_USAGE
    assert f"port {port} is already in use" in result.err and "--port" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("cache", ["site/.veil-cache", "site"])
def test_a_drafts_preview_never_puts_drafts_or_the_cache_into_the_publish_folder(
        site: SiteDir, run_cli: Callable[..., CliRun], cache: str) -> None:
    """The drafts preview is built inside the cache folder: one inside the publish folder
    is refused, as `veil build` refuses it, before anything is written."""
    site.post("hello", "Hello there", body="A first post.")
    site.post("unsent", "Unsent", body="A draft only I have read.", draft="true")
    site.build()
    before = site.files()
    outcome: list[CliRun] = []
    serving = threading.Thread(target=lambda: outcome.append(run_cli(
        "serve", "--drafts", "--site", str(site.root), "--port", "0",
        "--cache-dir", str(site.root / cache))), daemon=True)
    serving.start()
    serving.join(60)
    assert outcome, "the preview started instead of refusing the cache folder"
    result = outcome[0]
    assert result.code != 0 and "Traceback" not in result.err
    assert "--cache-dir" in result.err
    assert site.files() == before
