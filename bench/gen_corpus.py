#!/usr/bin/env python3
"""Write a deterministic corpus of personal-blog posts, for benchmarks (stdlib only).

    python bench/gen_corpus.py N OUTDIR --flavor yaml|hugo|pelican [--seed 42]

Each post comes from its own random generator, seeded with (seed, index), so the first
1,000 posts of a 10,000-post corpus are the 1,000-post corpus, file for file. The
Markdown body is byte-identical in every flavor; only the metadata header differs:

  yaml     veil's front matter: `title`, `date` (YYYY-MM-DD HH:MM), `tags`, `warnings`
           (terms from veil's built-in vocabulary), `privacy` (public/unlisted/private),
           and for posts in a series `series` and `part`.
  hugo     the same YAML, but `date: YYYY-MM-DDTHH:MM:SS` (Hugo rejects the form without
           seconds); private -> `draft: true`, unlisted -> `build: {list: never}`
           (rendered, but left out of lists, feeds and the sitemap).
  pelican  a `Key: value` header; unlisted -> `Status: hidden`, private ->
           `Status: draft`; `Category: Journal`; `Slug:` is the file's stem.

A post has about 600-1,500 words of body (the extras can take it a little past 1,500):
an opening, then 2-5 headed sections of paragraphs, with a list in every post and now
and then a quotation, a table, a code block or a footnote; sentences carry emphasis,
links, bare URLs and inline code. About 85% of the posts are public, 10% unlisted and
5% private; about one in seven belongs to a series.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

FLAVORS = ("yaml", "hugo", "pelican")


def word_list(text: str) -> list[str]:
    return text.split()


VOCABULARY = word_list("""
a the an and but or yet so if when while since until because although though after
before once as than that this these those there here then now still only even just
again almost already always never often sometimes rarely perhaps maybe nearly quite
i me my mine you your we us our they them their she her he him his it its one someone
is am are was were be been have has had do does did can could will would shall should
may might must not no yes all some every each other another more most less much many
of in on at by for to from with without into onto over under through across around
behind beside between among toward against along past near far inside outside
morning noon afternoon evening night dawn dusk winter spring summer autumn season
rain snow wind fog frost sun moon stars cloud weather storm puddle window door hallway
stairs kitchen garden porch attic cellar bedroom bathroom couch blanket pillow lamp
kettle mug cup spoon plate bread soup toast honey apples oranges tea coffee milk salt
letter envelope stamp notebook journal pencil ink page margin diary calendar clock
voice whisper shout breath heartbeat pulse hands fingers shoulders spine chest throat
stomach eyes mouth skin scar bruise ache tremor tears memory memories dream dreams
nightmare silence quiet noise echo song music radio mother father sister brother aunt
uncle grandmother grandfather cousin partner friend friends neighbour stranger doctor
counsellor therapist nurse pharmacist teacher colleague dog cat bird fox heron day
days week weeks month months year years hour hours minute moment today tonight
yesterday tomorrow decade childhood birthday holiday anniversary appointment session
walk walked walking run ran sit sat sitting stand stood lie lay sleep slept wake woke
write wrote written read reading remember remembered forget forgot forgotten carry
carried hold held keep kept leave left return returned speak spoke listen listened
wait waited breathe breathed cry cried laugh laughed learn learned try tried need
needed want wanted know knew think thought feel felt notice noticed see saw hear heard
begin began stop stopped open opened close closed ask asked answer answered
slowly gently softly carefully quietly suddenly finally barely hardly honestly
small little large huge old young new soft hard warm cold heavy light bright dim
pale tired rested safe unsafe afraid calm angry tender honest strange familiar gentle
fragile steady brave ordinary broken whole empty full long short slow quick raw
healing recovery trust boundary boundaries shame anger grief fear hope comfort relief
courage patience kindness rest care help support distance closeness repair
ground path step steps road street lane bridge river stream pond lake sea shore
harbour hill valley field meadow forest woods tree trees branch leaves moss stone
pebble sand city town village bus train station platform ticket car bicycle
""")

TAGS = word_list("""healing therapy family memory anxiety depression recovery boundaries writing
poetry self-care sleep work friendship parenting body anger shame hope journaling nature
music books faith identity queer disability chronic-illness medication ptsd cptsd
relationships community art food walking winter letters dreams rest courage""")

# Canonical terms of veil's built-in warning vocabulary (src/veil/content_warnings.py).
WARNING_TERMS = (
    "self-harm", "suicide", "child abuse", "sexual assault", "eating disorders",
    "dissociation", "medical", "grief", "substance use", "family estrangement",
    "panic attacks", "flashbacks",
)

SERIES_NAMES = (
    "Letters to the Girl I Was", "The Long Thaw", "Tuesday Sessions", "Learning to Rest",
    "What My Body Remembers", "Small Mercies", "Around the Kitchen Table",
    "Walking It Off", "Letters I Will Not Send", "A Year of No", "Ward Notes",
    "After the Service", "Three in the Morning", "The Quiet Years", "Field Notes",
    "Being Believed", "Parenting Myself", "Dry January and After", "Night Shift",
    "Mending", "Safe Rooms", "Counting Days", "Leaving Home", "Everyday Courage",
    "The Waiting Room", "Borrowed Light", "Bread and Salt", "A Map of Old Scars",
    "Trying Again", "Weather Report",
)

URL_HOSTS = ("example.org", "example.net", "example.com")
URL_SECTIONS = ("notes", "reading", "help", "links", "essays", "resources")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FIRST_DAY = datetime(2014, 6, 1)
SPAN_MINUTES = 10 * 365 * 24 * 60
PRIVACY_WEIGHTS = (("public", 85), ("unlisted", 10), ("private", 5))


@dataclass
class Post:
    index: int
    title: str
    date: datetime
    tags: list[str]
    warnings: list[str]
    privacy: str
    series: str | None = None
    part: int | None = None
    body: str = ""
    stem: str = field(init=False)

    def __post_init__(self) -> None:
        self.stem = f"{slugify(self.title)}-{self.index:05d}"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- sentences -----------------------------------------------------------------------


def url(rng: random.Random, words: list[str]) -> str:
    path = "-".join(slugify(w) for w in words if slugify(w))
    return f"https://{rng.choice(URL_HOSTS)}/{rng.choice(URL_SECTIONS)}/{path}"


def decorate(rng: random.Random, words: list[str]) -> list[str]:
    """Mark up a few inner words in place: emphasis, strong, code, a link, a bare URL."""
    n = len(words)
    if n < 6:
        return words
    roll = rng.random()
    at = rng.randrange(1, n - 2)
    if roll < 0.22:
        words[at] = f"*{words[at]}*"
    elif roll < 0.32:
        words[at], words[at + 1] = f"**{words[at]}", f"{words[at + 1]}**"
    elif roll < 0.40:
        target = url(rng, words[at:at + 2])
        words[at], words[at + 1] = f"[{words[at]}", f"{words[at + 1]}]({target})"
    elif roll < 0.43:
        words.insert(at, f"(see {url(rng, words[at:at + 3])})")
    elif roll < 0.45:
        words[at] = f"`{words[at]}.txt`"
    return words


def sentence(rng: random.Random, shortest: int = 5, longest: int = 19) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(shortest, longest))]
    words = decorate(rng, words)
    for k in range(1, len(words) - 1):
        if rng.random() < 0.05 and not words[k].endswith((")", "**")):
            words[k] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice("......?!")


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY).capitalize() for _ in range(rng.randint(3, 7)))


# --- blocks --------------------------------------------------------------------------


def bullet_list(rng: random.Random) -> str:
    items = [sentence(rng, 3, 9).rstrip(".?!") for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.55:
        return "\n".join(f"- {item}" for item in items)
    return "\n".join(f"{k}. {item}" for k, item in enumerate(items, 1))


def quotation(rng: random.Random) -> str:
    return "> " + paragraph(rng)


def sleep_table(rng: random.Random) -> str:
    rows = ["| Day | Hours slept | How it felt |", "| --- | ---: | --- |"]
    for day in WEEKDAYS[: rng.randint(3, 7)]:
        rows.append(f"| {day} | {rng.randint(2, 9)} | {sentence(rng, 2, 5).rstrip('.?!')} |")
    return "\n".join(rows)


def code_block(rng: random.Random) -> str:
    tag = rng.choice(TAGS)
    return "\n".join([
        "```python",
        "# how many entries this month mention it",
        "from pathlib import Path",
        "",
        "entries = Path('journal').glob('*.txt')",
        f"hits = [e for e in entries if {tag!r} in e.read_text()]",
        "print(f'{len(hits)} entries')",
        "```",
    ])


EXTRAS: dict[str, Callable[[random.Random], str]] = {
    "list": bullet_list, "quote": quotation, "table": sleep_table, "code": code_block,
}


def pick_extras(rng: random.Random) -> list[str]:
    extras = ["list"]
    for name, chance in (("quote", 0.30), ("table", 0.05), ("code", 0.08)):
        if rng.random() < chance:
            extras.append(name)
    return extras


def word_count(block: str) -> int:
    return len(block.split())


def section(rng: random.Random, budget: float, extras: list[str]) -> list[str]:
    blocks: list[str] = []
    words = 0
    while words < budget - 40:
        text = paragraph(rng)
        blocks.append(text)
        words += word_count(text)
        if extras and rng.random() < 0.3:
            extra = EXTRAS[extras.pop(rng.randrange(len(extras)))](rng)
            blocks.append(extra)
            words += word_count(extra)
    return blocks


def body(rng: random.Random) -> str:
    target = rng.randint(600, 1500)
    headings = rng.randint(2, 5)
    extras = pick_extras(rng)
    has_footnote = rng.random() < 0.2
    budget = target / (headings + 1)
    blocks = section(rng, budget, extras)
    if has_footnote:
        blocks[0] += "[^1]"
    for _ in range(headings):
        blocks.append(("## " if rng.random() < 0.8 else "### ") + title(rng))
        blocks += section(rng, budget, extras)
    blocks += [EXTRAS[name](rng) for name in extras]
    if has_footnote:
        blocks.append("[^1]: " + sentence(rng, 6, 15))
    return "\n\n".join(blocks) + "\n"


# --- posts ---------------------------------------------------------------------------


def make_post(seed: int, index: int, parts: dict[str, int]) -> Post:
    """Post `index`; `parts` counts the posts of each series so far (in index order)."""
    rng = random.Random(f"veil-bench:{seed}:{index}")
    post = Post(
        index=index,
        title=title(rng),
        date=FIRST_DAY + timedelta(minutes=rng.randrange(SPAN_MINUTES)),
        tags=rng.sample(TAGS, rng.randint(1, 4)),
        warnings=rng.sample(WARNING_TERMS, rng.choice((0, 0, 0, 1, 1, 2, 3))),
        privacy=rng.choices([p for p, _ in PRIVACY_WEIGHTS],
                            [w for _, w in PRIVACY_WEIGHTS])[0],
    )
    if rng.random() < 0.15:
        post.series = rng.choice(SERIES_NAMES)
        parts[post.series] = parts.get(post.series, 0) + 1
        post.part = parts[post.series]
    post.body = body(rng)
    return post


def yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def yaml_header(post: Post, flavor: str) -> str:
    # Hugo reads neither `YYYY-MM-DD HH:MM` nor YAML's own timestamps without seconds.
    when = f"{post.date:%Y-%m-%dT%H:%M:%S}" if flavor == "hugo" else f"{post.date:%Y-%m-%d %H:%M}"
    lines = ["---", f"title: {json.dumps(post.title)}", f"date: {when}",
             f"tags: {yaml_list(post.tags)}"]
    if post.warnings:
        lines.append(f"warnings: {yaml_list(post.warnings)}")
    lines.append(f"privacy: {post.privacy}")
    if post.series:
        lines += [f"series: {json.dumps(post.series)}", f"part: {post.part}"]
    if flavor == "hugo" and post.privacy == "private":
        lines.append("draft: true")
    if flavor == "hugo" and post.privacy == "unlisted":
        lines += ["build:", "  list: never"]
    return "\n".join([*lines, "---", "", ""])


def pelican_header(post: Post) -> str:
    lines = [f"Title: {post.title}", f"Date: {post.date:%Y-%m-%d %H:%M}",
             f"Slug: {post.stem}", "Category: Journal", f"Tags: {', '.join(post.tags)}"]
    if post.warnings:
        lines.append(f"Warnings: {', '.join(post.warnings)}")
    lines.append(f"Privacy: {post.privacy}")
    status = {"unlisted": "hidden", "private": "draft"}.get(post.privacy)
    if status:
        lines.append(f"Status: {status}")
    if post.series:
        lines += [f"Series: {post.series}", f"Part: {post.part}"]
    return "\n".join([*lines, "", ""])


def render(post: Post, flavor: str) -> str:
    header = pelican_header(post) if flavor == "pelican" else yaml_header(post, flavor)
    return header + post.body


def generate(count: int, outdir: Path, flavor: str, seed: int) -> list[Post]:
    outdir.mkdir(parents=True, exist_ok=True)
    parts: dict[str, int] = {}
    posts = [make_post(seed, index, parts) for index in range(count)]
    for post in posts:
        (outdir / f"{post.stem}.md").write_text(render(post, flavor), encoding="utf-8")
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", metavar="N", type=int, help="how many posts")
    parser.add_argument("outdir", metavar="OUTDIR", type=Path)
    parser.add_argument("--flavor", choices=FLAVORS, default="yaml")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generate(args.count, args.outdir, args.flavor, args.seed)


if __name__ == "__main__":
    main()
