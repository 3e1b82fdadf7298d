"""`veil import wordpress`: a WordPress export becomes veil posts, never more public.

Status mapping: publish → public, private → private, draft/pending/future → draft,
trash and auto-drafts are skipped; a post password makes the post protected, its
password going to secrets.yaml (never to front matter). A leading "TW:"/"CW:" line,
paragraph or heading becomes `warnings:`. HTML becomes Markdown (markdownify), what cannot
convert stays as HTML cleaned by nh3. Approved comments go to a `comments.yaml` beside the
post, without e-mail, IP or web addresses. Run again, it updates what it wrote before, and
makes private what WordPress no longer publishes (see `earlier`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape, unescape
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import nh3
import yaml
from markdownify import MarkdownConverter

from ..content_warnings import Vocabulary
from ..images import is_camera_name
from ..passwords import ADDRESS_KEY_ENV, SECRETS_FILE, new_address_key, write_secrets
from ..text import slugify
from ..yamlfile import YamlDocument, parse_yaml_mapping
from .earlier import Entry, Place, read_manifest, reconcile, untrashed, write_manifest
from .wxr import WxrComment, WxrItem, WxrSite

STATUS = {"publish": "public", "private": "private", "draft": "draft", "pending": "draft",
          "future": "draft"}
SKIPPED = {"trash": "in the trash", "auto-draft": "an automatic draft",
           "inherit": "a revision"}
WARNING_LABEL = re.compile(
    r"^\s*(?:tw|cw|cn|trigger\s+warnings?|content\s+(?:warnings?|notes?))\s*[:\-–—.]\s*",
    re.IGNORECASE)
# where the terms end and the writing goes on, on the warning's own line
WARNING_TERMS_END = re.compile(r"[.!?](?:\s|$)\s*|\s*—\s*|\s+[-–]\s+")
WARNING_TERMS_SPLIT = re.compile(r",|;|/|\band\b|&")
# longer than this, a "term" is the writing itself: the line is left for its writer
MAX_TERM_WORDS = 4
MAX_TERM_CHARS = 40
COMMENT_TAGS = {"p", "br", "em", "strong", "b", "i", "a", "blockquote", "ul", "ol", "li",
                "code", "pre"}
KEPT_AS_HTML = ("details", "summary", "video", "audio", "source", "sup", "sub", "iframe")


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    unknown_warnings: Counter[str] = field(default_factory=Counter)
    unread_warnings: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)
    missing_media: list[str] = field(default_factory=list)
    made_private: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    secrets: Path | None = None
    comments: int = 0

    def lines(self, dry_run: bool) -> list[str]:
        out = ["Imported (dry run: nothing was written):" if dry_run else "Imported:"]
        for status in ("public", "protected", "private", "draft", "page"):
            if self.counts[status]:
                out.append(f"  {self.counts[status]:4} {status}")
        out.append(f"  {self.comments:4} approved comments, without e-mail, IP or web addresses")
        if self.skipped:
            out.append(f"Skipped {len(self.skipped)}:")
            out += [f"  {line}" for line in self.skipped]
        if self.made_private:
            out.append(f"Made private, as WordPress no longer publishes them "
                       f"({len(self.made_private)}). Their text is kept; to publish one "
                       "again, remove its `privacy: private`:")
            out += [f"  {line}" for line in self.made_private]
        if self.set_aside:
            out.append(f"Set aside, outside content/, as WordPress no longer publishes them "
                       f"and their front matter could not be made private "
                       f"({len(self.set_aside)}):")
            out += [f"  {line}" for line in self.set_aside]
        if self.moved:
            out.append(f"Moved, as their slug changed in WordPress ({len(self.moved)}):")
            out += [f"  {line}" for line in self.moved]
        if self.unknown_warnings:
            out.append("Warning terms not in the vocabulary (kept as written; add them to "
                       "warnings.yaml):")
            for term, count in sorted(self.unknown_warnings.items()):
                guess = self.suggestions.get(term)
                out.append(f"  {term} ({count})" + (f": did you mean `{guess}`?" if guess else ""))
        if self.unread_warnings:
            out.append("Warning lines whose terms could not be told from the writing after "
                       "them (left in the body; add `warnings:` by hand):")
            out += [f"  {label}" for label in self.unread_warnings]
        if self.missing_media:
            out.append(f"Media not found in --media ({len(self.missing_media)}), not fetched:")
            out += [f"  {url}" for url in self.missing_media]
        if self.secrets:
            out.append(f"Passwords of protected posts are in {self.secrets}: keep it private, "
                       "never publish or commit it.")
        return out


@dataclass(frozen=True)
class Planned:
    item: WxrItem
    kind: str  # "posts" or "pages"
    slug: str
    privacy: str
    draft: bool

    @property
    def place(self) -> Place:
        return Place(PurePosixPath("content", self.kind), self.slug)


class _Converter(MarkdownConverter):
    """markdownify, keeping as HTML what Markdown cannot say."""

    def convert_kept(self, el, text, parent_tags=None, **kwargs):  # type: ignore[no-untyped-def]
        return "\n\n" + nh3.clean(str(el)) + "\n\n"


for _tag in KEPT_AS_HTML:
    setattr(_Converter, f"convert_{_tag}", _Converter.convert_kept)


def import_wordpress(export: WxrSite, site_root: Path, vocabulary: Vocabulary, *,
                     media: Path | None, series_from: str | None, anonymise: bool,
                     dry_run: bool) -> ImportReport:
    report = ImportReport()
    planned = _plan(export, report)
    outcome = reconcile(site_root, _earlier_files(export, site_root),
                        {plan.item.post_id: plan.place for plan in planned},
                        _why_not_published(export, planned), dry_run=dry_run)
    report.made_private, report.moved = outcome.made_private, outcome.moved
    report.set_aside = outcome.set_aside
    imported: dict[str, Entry] = {}
    by_link = _link_map(export, planned)
    attachments = {i.post_id: i for i in export.items if i.post_type == "attachment"}
    series_name = _series_name(series_from)
    passwords: dict[str, str] = {}
    anonymous: dict[str, str] = {}
    for plan in planned:
        item = plan.item
        html = _wpautop(_shortcodes(_without_camera_names(item.html), attachments))
        leading = _take_warning_line(html)
        html = leading.body
        if leading.unread:
            report.unread_warnings.append(f"“{item.title or 'untitled'}” (id {item.post_id})")
        terms = []
        for written in leading.terms:
            term = vocabulary.resolve(written)
            if term is None:
                report.unknown_warnings[written.lower()] += 1
                guess = vocabulary.suggest(written)
                if guess:
                    report.suggestions[written.lower()] = guess
                term = written.lower()
            if term not in terms:
                terms.append(term)
        comments = _kept_comments(item)
        up = "../" if _is_bundle(plan) else ""  # a bundle sits one deeper
        html = _rewrite_links(html, plan, by_link, up)
        html, copies = _media(html, up, site_root, media, report)
        body = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert(
            nh3.clean(html, tags=nh3.ALLOWED_TAGS | {"details", "summary", "video", "audio",
                                                      "source", "figure", "figcaption"},
                      attributes=_allowed_attributes())).strip() + "\n"
        front: dict[str, object] = {"title": item.title or "Untitled", "date": _date(item)}
        if terms:
            front["warnings"] = terms
        if plan.privacy != "public":
            front["privacy"] = plan.privacy
        if plan.privacy == "protected":
            circle = f"wp-{plan.slug}"
            front["circles"] = [circle]
            passwords[circle] = item.password
        if plan.kind == "posts":
            tags = list(dict.fromkeys([*item.categories, *item.tags]))
            if series_name and series_name in _series_source(item, series_from):
                front["series"] = series_name
                tags.remove(series_name)
            if tags:
                front["tags"] = tags
        if plan.draft:
            front["draft"] = True
        # a protected post's address says nothing of it (see `route`): its WordPress slug,
        # often an earlier title, would
        if plan.slug != slugify(item.title or "") and plan.privacy != "protected":
            front["slug"] = plan.slug
        report.comments += len(comments)
        report.counts["page" if plan.kind == "pages" else
                      ("draft" if plan.draft else plan.privacy)] += 1
        if dry_run:
            continue
        written = _write_post(site_root, plan, front, body, comments,
                              anonymous if anonymise else None, report)
        imported[item.post_id] = Entry(PurePosixPath(written.relative_to(site_root).as_posix()))
        for source, target in copies:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    if passwords:
        report.secrets = site_root / SECRETS_FILE
        if not dry_run:
            _write_secrets(site_root, passwords)
    if not dry_run:
        write_manifest(site_root, {**outcome.entries, **imported})
    return report


def _earlier_files(export: WxrSite, site_root: Path) -> dict[str, Entry]:
    """The files earlier imports wrote, by WordPress id; for a trashed item that no run
    recorded, the file its slug, from before WordPress renamed it, would have given, unless
    that file is recorded as another item's (WordPress frees a trashed post's slug)."""
    earlier = read_manifest(site_root)
    recorded = {Place.of_file(entry.file) for entry in earlier.values()}
    for item in export.items:
        if item.status != "trash" or item.post_type not in ("post", "page") or \
                item.post_id in earlier:
            continue
        guess = Place(PurePosixPath("content", f"{item.post_type}s"),
                      _slug(item, untrashed(item.slug)))
        if guess not in recorded:
            earlier[item.post_id] = Entry(guess.folder / f"{guess.slug}.md")
    return earlier


def _why_not_published(export: WxrSite, planned: list[Planned]) -> dict[str, str]:
    imported = {plan.item.post_id for plan in planned}
    return {item.post_id: "in the WordPress trash" if item.status == "trash" else
            f"its status in WordPress is now `{item.status}`"
            for item in export.items if item.post_id not in imported}


def _plan(export: WxrSite, report: ImportReport) -> list[Planned]:
    planned = []
    taken: set[tuple[str, str]] = set()
    for item in export.items:
        if item.post_type not in ("post", "page"):
            continue
        label = f"“{item.title or 'untitled'}” (id {item.post_id})"
        if item.status in SKIPPED:
            report.skipped.append(f"{label}: {SKIPPED[item.status]}")
            continue
        if item.status not in STATUS:
            report.skipped.append(f"{label}: unknown status `{item.status}`, not imported")
            continue
        mapped = STATUS[item.status]
        privacy = "private" if mapped == "private" else (
            "protected" if item.password else "public")
        if item.post_type == "page" and privacy == "protected":
            privacy = "private"  # veil protects posts only: never make it more public
        kind = "posts" if item.post_type == "post" else "pages"
        slug = _slug(item, item.slug)
        while (kind, slug) in taken:
            slug = f"{slug}-{item.post_id}"
        taken.add((kind, slug))
        planned.append(Planned(item, kind, slug, privacy, draft=mapped == "draft"))
    return planned


def _slug(item: WxrItem, wordpress_slug: str) -> str:
    return slugify(wordpress_slug) or slugify(item.title) or f"{item.post_type}-{item.post_id}"


def _link_map(export: WxrSite, planned: list[Planned]) -> dict[str, Planned]:
    """Every way WordPress may have linked to an item: its permalink and ?p=ID."""
    base = export.base_url.rstrip("/")
    links: dict[str, Planned] = {}
    for plan in planned:
        item = plan.item
        if item.link:
            links[item.link.rstrip("/")] = plan
        links[f"{base}/?p={item.post_id}"] = plan
        links[f"{base}/?page_id={item.post_id}"] = plan
    return links


def _kept_comments(item: WxrItem) -> list[WxrComment]:
    return [c for c in item.comments if c.approved and c.kind in ("", "comment")]


def _is_bundle(plan: Planned) -> bool:
    """A post with comments is written as a bundle: its folder holds them beside it."""
    return plan.kind == "posts" and bool(_kept_comments(plan.item))


def _rewrite_links(html: str, plan: Planned, by_link: dict[str, Planned], up: str) -> str:
    def replace(match: re.Match[str]) -> str:
        href = match.group(2)
        target = by_link.get(href.rstrip("/").split("#")[0])
        if target is None:
            return match.group(0)
        here = plan.kind
        prefix = up + ("" if target.kind == here else f"../{target.kind}/")
        file = f"{target.slug}/index.md" if _is_bundle(target) else f"{target.slug}.md"
        return f"{match.group(1)}{prefix}{file}{match.group(3)}"

    return re.sub(r'(<a\s[^>]*?href=")([^"]+)(")', replace, html)


_UPLOAD = re.compile(r"/wp-content/uploads/(.+)$")


def _media(html: str, up: str, site_root: Path, media: Path | None,
           report: ImportReport) -> tuple[str, list[tuple[Path, Path]]]:
    copies: list[tuple[Path, Path]] = []
    prefix = up + "../media/"

    def replace(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = re.search(r'src="([^"]+)"', tag)
        if not src:
            return tag
        upload = _UPLOAD.search(urlsplit(src.group(1)).path)
        if not upload:
            return tag
        rel = upload.group(1)
        source = media / rel if media else None
        if source is None or not source.is_file():
            report.missing_media.append(src.group(1))
            return _missing_image_note(tag, rel)
        copies.append((source, site_root / "content" / "media" / rel))
        return tag.replace(src.group(1), prefix + rel)

    return re.sub(r"<img\b[^>]*>", replace, html), copies


def _missing_image_note(tag: str, rel: str) -> str:
    alt = re.search(r'alt="([^"]*)"', tag)
    name = (alt.group(1) if alt else "") or rel
    if is_camera_name(PurePosixPath(name).name):
        return "<em>(image not imported)</em>"
    return f"<em>(image not imported: {name})</em>"


_IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.I)
_IMAGE_TEXT = re.compile(r"""\s(alt|title)\s*=\s*(["'])(.*?)\2""", re.I | re.S)


def _without_camera_names(html: str) -> str:
    """Older WordPress filled an inserted image's alt and title with its file name."""
    def neutral(attribute: re.Match[str]) -> str:
        if not is_camera_name(unescape(attribute.group(3))):
            return attribute.group(0)
        return ' alt=""' if attribute.group(1).lower() == "alt" else ""

    return _IMAGE_TAG.sub(lambda tag: _IMAGE_TEXT.sub(neutral, tag.group(0)), html)


def _attachment_alt(attachment: WxrItem) -> str:
    """Its own alt text, else its caption, else its title: WordPress titles an upload with
    its file name, so a camera's name gives no alt text rather than the date and phone."""
    for text in (attachment.image_alt, _plain_text(attachment.excerpt), attachment.title):
        if text.strip() and not is_camera_name(text):
            return text.strip()
    return ""


_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]")
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
_OTHER_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")


def _shortcodes(html: str, attachments: dict[str, WxrItem]) -> str:
    def caption(match: re.Match[str]) -> str:
        inner = match.group(1)
        image = re.search(r"<img\b[^>]*>", inner)
        text = re.sub(r"<[^>]+>", "", _CAPTION.sub("", inner)).strip()
        if not image:
            return f"<p>{text}</p>"
        tag = image.group(0)
        if not re.search(r'alt="[^"]+"', tag):
            tag = re.sub(r'\salt="[^"]*"', "", tag).replace("<img", f'<img alt="{text}"', 1)
        return f"<p>{tag}</p>" + (f"<p>{text}</p>" if text else "")

    def gallery(match: re.Match[str]) -> str:
        ids = re.search(r'ids="([^"]+)"', match.group(1))
        images = []
        for attachment_id in (ids.group(1).split(",") if ids else []):
            attachment = attachments.get(attachment_id.strip())
            if attachment and attachment.attachment_url:
                alt = escape(_attachment_alt(attachment))
                images.append(f'<p><img src="{attachment.attachment_url}" alt="{alt}"></p>')
        return "".join(images)

    html = _CAPTION.sub(caption, html)
    html = _GALLERY.sub(gallery, html)
    html = _EMBED.sub(lambda m: f'<p><a href="{m.group(1).strip()}">{m.group(1).strip()}</a></p>',
                      html)
    return _OTHER_SHORTCODE.sub("", html)


_BLOCK = re.compile(r"<(p|div|ul|ol|table|blockquote|h[1-6]|pre|figure)\b", re.I)


def _wpautop(html: str) -> str:
    """WordPress stores paragraphs as blank lines and adds <p> when it shows them."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # block editor markers
    paragraphs = re.split(r"\n\s*\n", html.strip())
    out = []
    for paragraph in paragraphs:
        if not paragraph.strip():
            continue
        if _BLOCK.match(paragraph.strip()):
            out.append(paragraph)
        else:
            out.append("<p>" + paragraph.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


@dataclass(frozen=True)
class LeadingWarning:
    terms: list[str]  # empty when the post does not start with a warning
    body: str  # the HTML without the warning
    unread: bool = False  # a warning label whose terms could not be told from the writing


# the first block with text, inside any wrapping <div>s and after empty paragraphs
_LEADING_BLOCK = re.compile(
    r"(?P<before>\s*(?:(?:<div\b[^>]*>|<p\b[^>]*>(?:\s|&nbsp;|<br\s*/?>)*</p>)\s*)*)"
    r"(?P<open><(?P<tag>p|div|h[1-6])\b[^>]*>)(?P<inner>.*?)(?P<close></(?P=tag)\s*>)",
    re.S | re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_PIECE = re.compile(r"<[^>]*>|&#?\w+;|[^<&]+|[<&]")


def _take_warning_line(html: str) -> LeadingWarning:
    """A leading "TW: a, b" paragraph, heading or line becomes warnings and leaves the body;
    what follows the terms on their line stays, after the warning."""
    block = _LEADING_BLOCK.match(html)
    if not block:
        return LeadingWarning([], html)
    line, line_break, later_lines = _first_line(block["inner"])
    text = _plain_text(line)
    label = WARNING_LABEL.match(text)
    if not label:
        return LeadingWarning([], html)
    read = _read_terms(text, label.end())
    if read is None:
        return LeadingWarning([], html, unread=True)
    terms, taken = read
    rest_of_line = _html_after(line, taken)
    kept = (rest_of_line + line_break + later_lines if _has_text(rest_of_line)
            else later_lines.strip())
    rebuilt = block["open"] + kept + block["close"] if _has_text(kept) else ""
    return LeadingWarning(terms, block["before"] + rebuilt + html[block.end():])


def _first_line(inner: str) -> tuple[str, str, str]:
    """A block's first line, the break that ends it, and the lines after."""
    match = _LINE_BREAK.search(inner)
    if not match:
        return inner, "", ""
    return inner[:match.start()], match.group(0), inner[match.end():]


def _read_terms(text: str, start: int) -> tuple[list[str], int] | None:
    """The terms listed from `start` to where the writing goes on (a sentence's end, a dash,
    the line's end) and how far they reach; None when a "term" is too long to be one."""
    end = WARNING_TERMS_END.search(text, start)
    listed = text[start:end.start() if end else len(text)]
    terms = [" ".join(term.split()).strip(".") for term in WARNING_TERMS_SPLIT.split(listed)]
    terms = [term for term in terms if term]
    if not terms or any(len(term) > MAX_TERM_CHARS or len(term.split()) > MAX_TERM_WORDS
                        for term in terms):
        return None
    return terms, end.end() if end else len(text)


def _plain_text(html: str) -> str:
    return "".join(_piece_text(piece) for piece in _HTML_PIECE.findall(html))


def _has_text(html: str) -> bool:
    return bool(_plain_text(html).strip())


def _piece_text(piece: str) -> str:
    return "" if piece.startswith("<") and piece.endswith(">") else unescape(piece)


def _html_after(html: str, text_length: int) -> str:
    """The HTML that follows the first `text_length` characters of its text, without the
    closing tags of what was cut away."""
    seen = 0
    for piece in _HTML_PIECE.finditer(html):
        if seen >= text_length:
            return re.sub(r"^(?:\s*</\w+\s*>)+", "", html[piece.start():]).lstrip()
        text = _piece_text(piece.group())
        if seen + len(text) > text_length and not piece.group().startswith("&"):
            return html[piece.start() + text_length - seen:].lstrip()
        seen += len(text)
    return ""


def _allowed_attributes() -> dict[str, set[str]]:
    attributes = {tag: set(values) for tag, values in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("img", set()).update({"src", "alt", "title", "width", "height"})
    attributes.setdefault("a", set()).update({"href", "title"})
    for tag in ("video", "audio", "source"):
        attributes.setdefault(tag, set()).update({"src", "controls", "type"})
    return attributes


def _date(item: WxrItem) -> str:
    if item.date and not item.date.startswith("0000"):
        return item.date[:16]
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M")


def _write_post(site_root: Path, plan: Planned, front: dict[str, object], body: str,
                comments: list[WxrComment], anonymous: dict[str, str] | None,
                report: ImportReport) -> Path:
    folder = site_root / "content" / plan.kind
    flat, bundle = folder / f"{plan.slug}.md", folder / plan.slug / "index.md"
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + body
    if _is_bundle(plan):
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_text(text, encoding="utf-8")
        flat.unlink(missing_ok=True)  # a re-run updates the post rather than doubling it
        (bundle.parent / "comments.yaml").write_text(
            _comments_yaml(comments, anonymous), encoding="utf-8")
        report.written.append(bundle)
        return bundle
    folder.mkdir(parents=True, exist_ok=True)
    flat.write_text(text, encoding="utf-8")
    if bundle.exists():
        bundle.unlink()
    report.written.append(flat)
    return flat


def _comments_yaml(comments: list[WxrComment], anonymous: dict[str, str] | None) -> str:
    entries = []
    for comment in comments:
        author = comment.author or "A reader"
        if anonymous is not None:
            author = anonymous.setdefault(author, f"Reader {len(anonymous) + 1}")
        entries.append({
            "id": int(comment.comment_id) if comment.comment_id.isdigit() else comment.comment_id,
            "parent": int(comment.parent_id) if comment.parent_id.isdigit() else 0,
            "author": author,
            "date": comment.date[:16],
            "html": nh3.clean(_wpautop(comment.html), tags=COMMENT_TAGS,
                              attributes={"a": {"href"}}),
        })
    header = ("# Comments imported from WordPress: approved ones only, without e-mail, IP or\n"
              "# web addresses. veil shows them, read-only, below the post.\n")
    return header + yaml.safe_dump({"comments": entries}, sort_keys=False, allow_unicode=True)


def _write_secrets(site_root: Path, passwords: dict[str, str]) -> None:
    """Add the imported passwords to secrets.yaml, with an address key for the protected
    posts (`route.url_of`) unless there is one, in the file or the environment."""
    path = site_root / SECRETS_FILE
    merged: dict[str, str] = {}
    key: str | None = None
    if path.is_file():  # read as veil reads it: `0123` stays `0123`
        parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=SECRETS_FILE)
        if isinstance(parsed, YamlDocument):
            written = parsed.data.get("passwords")
            if isinstance(written, dict):
                merged = {str(circle): str(password) for circle, password in written.items()}
            key = str(parsed.data["address_key"]) if parsed.data.get("address_key") else None
    merged.update(passwords)
    if key is None and not os.environ.get(ADDRESS_KEY_ENV):
        key = new_address_key()
    write_secrets(site_root, merged, key)
    gitignore = site_root / ".gitignore"
    lines = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.is_file() else []
    if SECRETS_FILE not in lines:
        gitignore.write_text("\n".join([*lines, SECRETS_FILE]) + "\n", encoding="utf-8")


def _series_source(item: WxrItem, series_from: str | None) -> tuple[str, ...]:
    """The names `--series-from category:NAME` or `tag:NAME` looks in."""
    kind = (series_from or "").partition(":")[0]
    return item.tags if kind == "tag" else item.categories


def _series_name(series_from: str | None) -> str | None:
    if not series_from:
        return None
    return series_from.split(":", 1)[1] if ":" in series_from else series_from
