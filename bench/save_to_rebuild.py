#!/usr/bin/env python3
"""Time from saving one post to its rebuilt page, as `veil watch`/`veil serve` do it.

    python bench/save_to_rebuild.py                 # the demo blog in content/
    python bench/save_to_rebuild.py --posts 1000    # a generated blog of N posts

The generated blog comes from bench/gen_corpus.py (the corpus bench/compare.py uses).
For each run one post's body is changed on disk and the clock stops when its page in
the output holds the new text; the watcher, debounce included, runs for real.
Prints the cold build, the no-op rebuild and the median save-to-page time (and the
first save's: the watch starts on a site already built, as `veil serve` started again).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "bench" / "gen_corpus.py"
sys.path.insert(0, str(REPO / "src"))

from veil.build import build_site  # noqa: E402
from veil.watch import Rebuilder, SiteWatcher  # noqa: E402


def make_site(folder: Path, posts: int) -> Path:
    if posts == 0:
        for name in ("content", "veil.yaml", "warnings.yaml", "secrets.yaml"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
        return folder
    corpus = folder / "corpus"
    subprocess.run([sys.executable, str(GENERATOR), str(posts), str(corpus), "--flavor",
                    "yaml"], check=True, capture_output=True)
    (folder / "content").mkdir()
    corpus.rename(folder / "content" / "posts")
    (folder / "veil.yaml").write_text("title: Bench\nbase_url: https://example.org/\n")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=0, help="0: the demo blog")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp), args.posts)
        started = time.perf_counter()
        build_site(root)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        build_site(root)
        noop = time.perf_counter() - started

        rebuilder = Rebuilder(root, root / "site")
        rebuilder.build()
        # as `veil serve` does in the background after its first build; done here before
        # the first save, as a writer's first save comes well after the preview opens
        rebuilder.get_ready_for_saves()
        watcher = SiteWatcher(root, rebuilder.build, ignored=(root / "site",
                                                                root / ".veil-cache"))
        watcher.start()
        time.sleep(0.5)
        public = [p for p in sorted((root / "content" / "posts").glob("*.md"))
                  if "privacy: public" in p.read_text(encoding="utf-8")
                  or "privacy:" not in p.read_text(encoding="utf-8")]
        post = public[len(public) // 2]
        page = root / "site" / "posts" / post.stem / "index.html"
        timings = []
        for run in range(args.runs):
            marker = f"Bench edit number {run} of this post."
            text = post.read_text(encoding="utf-8")
            started = time.perf_counter()
            post.write_text(text + f"\n{marker}\n", encoding="utf-8")
            while marker not in (page.read_text(encoding="utf-8") if page.exists() else ""):
                if time.perf_counter() - started > 120:
                    raise SystemExit(f"{page} was not rebuilt within 120 s")
                time.sleep(0.002)
            timings.append(time.perf_counter() - started)
            time.sleep(0.3)
        watcher.stop()
    label = "demo blog" if args.posts == 0 else f"{args.posts} posts"
    print(f"{label}: cold build {cold:.2f} s, no-op rebuild {noop:.2f} s, "
          f"save to rebuilt page median {statistics.median(timings):.3f} s "
          f"(min {min(timings):.3f}, max {max(timings):.3f}, first {timings[0]:.3f}, "
          f"{args.runs} runs)")


if __name__ == "__main__":
    main()
