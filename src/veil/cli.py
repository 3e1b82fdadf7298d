"""The `veil` command: parse arguments, call the library, print, choose the exit code.

Exit codes: 0 success, 1 a problem with the site's content, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .build import build_site, render_site
from .cache import default_cache_dir
from .config import load_config
from .content_warnings import load_vocabulary
from .errors import Diagnostics, Problem, UsageError, VeilError
from .pipeline.discover import discover
from .pipeline.frontmatter import split_front_matter
from .scaffold import init_site, new_post
from .text import slugify
from .write import check_cache_dir

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veil", description="Build a calm, private, warning-first blog from Markdown.")
    parser.add_argument("--version", action="version", version=f"veil {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="make a new site in DIR")
    init.add_argument("dir", type=Path, metavar="DIR")

    new = commands.add_parser("new", help="start a new post (a draft) with its front matter")
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--warning", "-w", action="append", default=[], metavar="W",
                     help="a content warning (repeat for several)")
    new.add_argument("--series", "-s", metavar="S", help="the series this post belongs to")
    new.add_argument("--site", type=Path, default=Path("."), metavar="DIR")

    build = commands.add_parser("build", help="build the site into its output folder")
    build.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                       help="the site folder (default: here)")
    build.add_argument("--output", "-o", type=Path, metavar="DIR",
                       help="where to write the site (default: DIR/site)")
    _cache_option(build)
    build.add_argument("--strict", action="store_true",
                       help="treat warnings (unknown warning terms, broken links, missing alt "
                            "text) as errors")

    watch = commands.add_parser("watch", help="rebuild the site whenever a source changes")
    watch.add_argument("--site", type=Path, default=Path("."), metavar="DIR")
    watch.add_argument("--output", "-o", type=Path, metavar="DIR")
    _cache_option(watch)

    serve = commands.add_parser("serve", help="preview the site locally, reloading on changes")
    serve.add_argument("--site", type=Path, default=Path("."), metavar="DIR")
    serve.add_argument("--port", "-p", type=int, default=8000, metavar="N")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--drafts", action="store_true",
                       help="also show private, draft and future posts (never published)")
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    _cache_option(serve)

    importer = commands.add_parser("import", help="import posts from another blogging tool")
    sources = importer.add_subparsers(dest="source", required=True, metavar="SOURCE")
    wordpress = sources.add_parser("wordpress", help="a WordPress export (Tools → Export)")
    wordpress.add_argument("export", type=Path, metavar="EXPORT.xml")
    wordpress.add_argument("--site", type=Path, default=Path("."), metavar="DIR")
    wordpress.add_argument("--media", type=Path, metavar="DIR",
                           help="a copy of wp-content/uploads to take images from")
    wordpress.add_argument("--dry-run", action="store_true", help="report, write nothing")
    wordpress.add_argument("--series-from", metavar="category:NAME",
                           help="make the posts of this category (or tag:NAME) a series")
    wordpress.add_argument("--anonymise-comments", action="store_true",
                           help="replace commenters' names with Reader 1, Reader 2...")

    check = commands.add_parser("check", help="validate the site without writing anything")
    check.add_argument("--site", type=Path, default=Path("."), metavar="DIR")
    check.add_argument("--strict", action="store_true")
    _cache_option(check)
    return parser


def _print_problems(problems: list[Problem] | tuple[Problem, ...], root: Path) -> None:
    for problem in problems:
        print(problem.format(root.resolve()), file=sys.stderr)


def _cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--cache-dir", type=Path, metavar="DIR",
                         help="where to keep what builds reuse (default: SITE/.veil-cache, "
                         "or $VEIL_CACHE_DIR); safe to delete")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = getattr(args, "site", None) or Path(".")
    try:
        return _run(args)
    except UsageError as exc:
        print(f"veil: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except VeilError as exc:
        _print_problems(exc.problems, root)
        count = len(exc.problems)
        print(f"veil: {count} problem{'s' if count != 1 else ''} found; nothing was written.",
              file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        print(f"veil: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":
        return _init(args.dir)
    if args.command == "new":
        return _new(args)
    if args.command == "build":
        return _build(args)
    if args.command == "check":
        return _check(args)
    if args.command == "import":
        return _import(args)
    if args.command in ("watch", "serve"):
        return _watch_and_serve(args)
    raise UsageError(f"unknown command {args.command}")


def _init(folder: Path) -> int:
    created = init_site(folder, datetime.now(UTC))
    print(f"Made a new site in {folder}:")
    for path in created:
        print(f"  {path}")
    print(f"Next: edit {folder / 'veil.yaml'}, then run `veil build --site {folder}`.")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    root: Path = args.site
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    vocabulary = load_vocabulary(root, diagnostics)
    diagnostics.raise_if_errors()
    assert config is not None
    next_part = _next_part(root, args.series) if args.series else None
    path, notes = new_post(config, vocabulary, args.title, args.warning, args.series,
                           datetime.now(config.timezone), next_part)
    for note in notes:
        print(f"{path}: warning: {note}", file=sys.stderr)
    print(f"Wrote {path} (a draft: set `draft: false` when it is ready to publish).")
    return EXIT_OK


def _next_part(root: Path, series: str) -> int:
    wanted = slugify(series)
    count = 0
    for source in discover(root).documents:
        split = split_front_matter(source.path.read_text(encoding="utf-8"), source.path)
        if isinstance(split, Problem):
            continue
        value = split.front.data.get("series")
        if isinstance(value, str) and slugify(value) == wanted:
            count += 1
    return count + 1


def _progress_printer() -> Callable[[int, int], None] | None:
    """On a terminal, a build that takes more than a second shows how far it is."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    shown = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if now - started < 1.0 or (now - shown[0] < 0.1 and done < total):
            return
        shown[0] = now
        end = "\n" if done == total else ""
        print(f"\rRendering {done}/{total} outputs", end=end, file=sys.stderr, flush=True)

    return show


def _build(args: argparse.Namespace) -> int:
    output = args.output.resolve() if args.output else None
    result = build_site(args.site, output, strict=args.strict, progress=_progress_printer(),
                        cache_dir=args.cache_dir)
    _print_problems(result.warnings, args.site)
    report = result.report
    assert report is not None
    where = output or (args.site / "site")
    total = len(result.files)
    if not report.changed:
        print(f"Nothing changed: {where} is up to date ({total} files, "
              f"{result.seconds:.2f} s).")
    else:
        print(f"Built {total} files into {where} in {result.seconds:.2f} s: "
              f"{result.rendered} rendered, {report.written} written, "
              f"{report.unchanged} unchanged, {report.removed} removed.")
    return EXIT_OK


def _print_rebuild(rebuild: Any, root: Path) -> None:
    _print_problems(rebuild.problems, root)
    print(rebuild.summary(), flush=True)


def _watch_and_serve(args: argparse.Namespace) -> int:
    from .serve import PreviewState, make_server
    from .watch import Rebuild, Rebuilder, SiteWatcher

    root: Path = args.site.resolve()
    if not (root / "veil.yaml").is_file():
        raise UsageError(f"{root} is not a veil site: run `veil init DIR` first")
    serving = args.command == "serve"
    drafts = serving and args.drafts
    publish = (args.output.resolve() if getattr(args, "output", None) else root / "site")
    if drafts:  # never into the publish folder
        output = default_cache_dir(root, args.cache_dir) / "preview-drafts"
        # (nor the cache, which then holds the preview, inside it)
        check_cache_dir(default_cache_dir(root, args.cache_dir), publish, root)
    else:
        output = publish
    state = PreviewState()

    def done(rebuild: Rebuild) -> None:
        _print_rebuild(rebuild, root)
        state.publish(rebuild)

    rebuilder = Rebuilder(root, output, preview_drafts=drafts, on_done=done,
                          cache_dir=args.cache_dir)
    watcher = SiteWatcher(root, rebuilder.build,
                          ignored=(output, default_cache_dir(root, args.cache_dir)))
    watcher.start()  # before the first build, so that a save made while it runs is seen
    rebuilder.build()
    threading.Thread(target=rebuilder.get_ready_for_saves, daemon=True).start()
    server = None
    try:
        if serving:
            host = args.host
            if host not in ("127.0.0.1", "localhost", "::1"):
                print(f"warning: listening on {host}: other devices on this network can see "
                      "this preview, drafts included if --drafts is on", file=sys.stderr)
            server = make_server(output, state, rebuilder.lock, host, args.port)
            shown = "127.0.0.1" if host in ("127.0.0.1", "localhost") else host
            url = f"http://{shown}:{server.server_address[1]}/"
            print(f"Previewing {root.name} at {url}" + (" (with drafts)" if drafts else "")
                  + "  (Ctrl+C to stop)", flush=True)
            if args.open:
                import webbrowser

                webbrowser.open(url)
            server.serve_forever()
        else:
            print(f"Watching {root} for changes (Ctrl+C to stop).", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        watcher.stop()
        if server is not None:
            server.server_close()
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .importers.wordpress import import_wordpress
    from .importers.wxr import read_wxr

    root: Path = args.site
    if not (root / "veil.yaml").is_file():
        raise UsageError(f"{root} is not a veil site: run `veil init {root}` first")
    if not args.export.is_file():
        raise UsageError(f"no export file at {args.export}")
    if args.media is not None and not args.media.is_dir():
        raise UsageError(f"--media {args.media} is not a folder")
    diagnostics = Diagnostics()
    vocabulary = load_vocabulary(root, diagnostics)
    diagnostics.raise_if_errors()
    report = import_wordpress(read_wxr(args.export), root, vocabulary, media=args.media,
                              series_from=args.series_from, anonymise=args.anonymise_comments,
                              dry_run=args.dry_run)
    print("\n".join(report.lines(args.dry_run)))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    result = render_site(args.site, strict=args.strict, cache_dir=args.cache_dir)
    _print_problems(result.warnings, args.site)
    count = len(result.warnings)
    print(f"No errors: {len(result.files)} files would be built"
          + (f", {count} warning{'s' if count != 1 else ''}." if count else "."))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
