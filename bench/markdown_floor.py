#!/usr/bin/env python3
"""How far veil's Markdown rendering is from markdown-it-py's own floor, on the bench corpus.

    python bench/markdown_floor.py                 # 1,000 posts of bench/gen_corpus.py, 5 rounds
    python bench/markdown_floor.py --posts 2000 --rounds 7

Three renderers take turns on the same bodies in one process, round by round (this
machine's speed drifts, so only figures from the same rounds compare):

  floor       markdown-it-py's CommonMark with tables, strikethrough and footnotes, the
              configuration the performance goals name as the floor;
  veil        veil's renderer (the floor plus linkify, heading anchors, link placeholders,
              raw HTML allowed), as a build calls it;
  post        a whole post as a build parses it: read, front matter, fields, Markdown.

Each is given in milliseconds per post (median over the rounds), with its ratio to the
floor. A cold build pays `post` once per post, shared out over the cores.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from veil.config import load_config
    from veil.content_warnings import load_vocabulary
    from veil.errors import Diagnostics, Problem
    from veil.pipeline.discover import discover
    from veil.pipeline.frontmatter import split_front_matter
    from veil.pipeline.markdown import render_markdown
    from veil.pipeline.parse import parse_source

    with tempfile.TemporaryDirectory(prefix="veil-md-floor-") as folder:
        site = Path(folder)
        subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(args.posts),
                        str(site / "content" / "posts"), "--seed", str(args.seed)], check=True)
        (site / "veil.yaml").write_text("title: Bench\nbase_url: https://example.org/\n")
        diagnostics = Diagnostics()
        config = load_config(site, diagnostics)
        vocabulary = load_vocabulary(site, diagnostics)
        assert config is not None
        sources = discover(site).documents
        bodies = []
        for source in sources:
            split = split_front_matter(source.path.read_text(encoding="utf-8"), source.path)
            assert not isinstance(split, Problem), split
            bodies.append((source.key, split.body, split.body_first_line))

        floor = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)

        def render_floor() -> None:
            for _, body, _ in bodies:
                floor.render(body)

        def render_veil() -> None:
            for key, body, line in bodies:
                render_markdown(body, key, line)

        def parse_posts() -> None:
            for source in sources:
                parse_source(source, config, vocabulary, Diagnostics())

        renderers: dict[str, Callable[[], None]] = {
            "floor": render_floor, "veil": render_veil, "post": parse_posts}
        for render in renderers.values():
            render()  # warm up: imports, compiled expressions, the file cache
        times: dict[str, list[float]] = {name: [] for name in renderers}
        for _ in range(args.rounds):
            for name, render in renderers.items():
                started = time.perf_counter()
                render()
                times[name].append((time.perf_counter() - started) / len(bodies) * 1000)

    words = statistics.median(len(body.split()) for _, body, _ in bodies)
    print(f"{len(bodies)} posts (median {words:.0f} words), {args.rounds} rounds")
    floor_ms = statistics.median(times["floor"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:6s} {median:6.2f} ms per post  ({median / floor_ms:.2f}× the floor; "
              f"rounds {', '.join(f'{v:.2f}' for v in values)})")
    print(f"at 10,000 posts on 2 cores, `post` alone is "
          f"{statistics.median(times['post']) * 10_000 / 2 / 1000:.1f} s of a cold build")


if __name__ == "__main__":
    main()
