"""Render a Markdown body to HTML, with links to other sources left as placeholders.

The result depends only on the file's own text and place, so it can be cached by content
hash: relative links become ``veil-src:<path under content/>`` and root-relative ones
``veil:<site path>``; later stages swap these for real, page-relative URLs.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.linkify import linkify as inline_linkify
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .. import srcset
from ..model import LinkNote, Rendered
from ..text import slugify


def _renderer_digest() -> str:
    """Changes whenever rendering could: this module's code or the Markdown libraries."""
    import linkify_it
    import markdown_it
    import mdit_py_plugins

    parts = (Path(__file__).read_bytes(), Path(srcset.__file__).read_bytes(),
             markdown_it.__version__.encode(),
             mdit_py_plugins.__version__.encode(), linkify_it.__version__.encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


SOURCE_LINK = "veil-src:"  # followed by a path relative to content/
SITE_LINK = "veil:"  # followed by a site path such as /posts/slug/
EXCERPT_WORDS = 40


def _heading_id(text: str) -> str:
    return slugify(text) or "section"


RENDERER_DIGEST = _renderer_digest()


def _may_link(text: str) -> bool:
    """Only text holding one of these can end as a link we keep (see `_unlink_bare_names`).
    Plain substring tests: a regular expression with alternatives scans far slower."""
    return "://" in text or "@" in text or "www." in text.lower()


class _GuardedLinkify(LinkifyIt):  # type: ignore[misc]
    """linkify-it tests every paragraph, then every piece of text in it, with large regular
    expressions; text that cannot hold a link we keep is turned away first.

    The paragraph test is only that: linkify-it's own paragraph test is a quick "may hold
    a link" (slower than the Markdown parse of the paragraph around it), and each piece
    of text is tested again in full anyway."""

    def pretest(self, text: str) -> bool:
        return _may_link(text)

    def test(self, text: str) -> bool:
        return _may_link(text) and bool(super().test(text))


# A link destination that markdown-it-py's normalizeLink gives back unchanged: a lowercase
# http(s) host, then unreserved characters, a query of `name=value&...`, a fragment. Most
# links are this, and normalizing one costs as much as parsing its paragraph.
_NORMAL_LINK = re.compile(r"(?:https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?=[/?#]|\Z))?(?!//)"
                          r"[A-Za-z0-9._~/-]*(?:\?[A-Za-z0-9._~/=&+-]*)?(?:#[A-Za-z0-9._~-]*)?")


def _normalize_link(url: str) -> str:
    # (a host longer than 255 characters the library drops: such a link is left to it)
    if len(url) < 256 and _NORMAL_LINK.fullmatch(url):
        return url
    return normalize_url.normalizeLink(url)


@cache
def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True, "html": True})
    md.normalizeLink = _normalize_link  # type: ignore[method-assign]
    md.linkify = _GuardedLinkify()
    md.enable(["table", "strikethrough", "linkify"])
    md.inline.ruler.at("linkify", _inline_linkify_that_moves_on)
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_id)
    md.core.ruler.push("veil_links", _rewrite_links)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    for rule in ("fence", "code_block"):
        md.add_render_rule(rule, _focusable_code(md.renderer.rules[rule]))
    return md


def _inline_linkify_that_moves_on(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's rule for `scheme://` in running text. While the parser looks for
    the end of a link's label it runs the rules without collecting text, and this one then
    reads text collected before the label: it can claim a link without moving past it
    (in "x.org[http://p://"), and the parser stops with an exception. Such a claim is
    refused; the text stays text."""
    start = state.pos
    # the rule's own first test, made here to spare its call at every character that may
    # end a run of text
    if state.src[start:start + 1] != ":":
        return False
    if not inline_linkify(state, silent):
        return False
    if silent and state.pos <= start:
        state.pos = start
        return False
    return True


def _focusable_code(render):  # type: ignore[no-untyped-def]
    """A code block may scroll sideways; keyboard users need to reach it to scroll it."""
    def rule(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
        return str(render(tokens, idx, options, env)).replace("<pre>", '<pre tabindex="0">', 1)

    return rule


def _table_open(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
    # A wide table scrolls on its own instead of squeezing words apart on a phone; the
    # region is focusable so keyboard users can scroll it too.
    return ('<div class="table-scroll" role="region" aria-label="Table" tabindex="0">\n'
            + self.renderToken(tokens, idx, options, env))


def _table_close(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _rewrite_links(state: StateCore) -> None:
    source_dir: str = state.env["source_dir"]
    notes: list[LinkNote] = state.env["notes"]
    first_line: int = state.env["first_line"]
    for block in state.tokens:
        if block.type == "html_block":
            line = first_line + (block.map[0] if block.map else 0)
            block.content = _rewrite_raw(block.content, source_dir, line, notes)
            continue
        if block.type != "inline" or not block.children:
            continue
        line = first_line + (block.map[0] if block.map else 0)
        _unlink_bare_names(block)
        for token in block.children:
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "html_inline":
                token.content = _rewrite_raw(token.content, source_dir, line, notes)
            elif token.type == "link_open" and token.markup not in ("linkify", "autolink"):
                _rewrite(token, "href", source_dir, line, notes, is_image=False)
            elif token.type == "image":
                token.attrSet("loading", "lazy")
                alt = token.content.strip()
                if not alt:
                    src = str(token.attrGet("src"))
                    notes.append(LinkNote(line, src, src, True, alt_missing=True))
                _rewrite(token, "src", source_dir, line, notes, is_image=True)


def _unlink_bare_names(block: Token) -> None:
    """Keep linkify to addresses a reader would call links (https://..., www..., e-mail):
    a file name such as notes.md is not a link to a stranger's domain."""
    children = block.children or []
    keep: list[Token] = []
    index = 0
    while index < len(children):
        token = children[index]
        if (token.type == "link_open" and token.markup == "linkify"
                and index + 2 < len(children)):
            text = children[index + 1].content
            if "://" not in text and not text.lower().startswith("www.") and "@" not in text:
                keep.append(children[index + 1])  # the text, without the link around it
                index += 3
                continue
        keep.append(token)
        index += 1
    block.children = keep


def _rewrite(token: Token, attr: str, source_dir: str, line: int, notes: list[LinkNote],
             *, is_image: bool) -> None:
    href = str(token.attrGet(attr) or "")
    rewritten = _placeholder(href, source_dir, line, notes, is_image=is_image)
    if rewritten is not None:
        token.attrSet(attr, rewritten)


def _placeholder(href: str, source_dir: str, line: int, notes: list[LinkNote], *,
                 is_image: bool, climbing_out_is_an_error: bool = True) -> str | None:
    """What a link written in a body becomes: a placeholder resolved once every address is
    known (noted in `notes`), or None to leave it as written. A link that climbs out of
    content/ is noted as an error, unless `climbing_out_is_an_error` is false."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, or a fragment on this page
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if parts.path.startswith("/"):
        if parts.path.startswith("/media/"):  # noted, so that what shows it is known
            notes.append(LinkNote(line, unquote(parts.path[1:]), href, is_image))
        return f"{SITE_LINK}{parts.path}{fragment}"
    target = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
    if target == ".." or target.startswith("../"):
        if climbing_out_is_an_error:
            notes.append(LinkNote(line, href, href, is_image, climbs_out=True))
        return None
    notes.append(LinkNote(line, target, href, is_image))
    return f"{SOURCE_LINK}{target}{fragment}"


# A tag in HTML written into a body, and its attributes (quoted values may hold ">")
# (attributes are parted by spaces, by "/", or by nothing after a quoted value)
_RAW_TAG = re.compile(r"""<(?P<tag>[A-Za-z][\w-]*)(?P<attrs>(?:(?:\s+|/+|(?<=["']))"""
                      r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)"""
                      r"""[\s/]*?(?P<end>/?)>""")
# where HTML holds no tags a reader sees: comments, scripts and styles are left alone
_RAW_OPAQUE = re.compile(r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>",
                         re.IGNORECASE | re.DOTALL)
_RAW_ATTR = re.compile(r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<double>[^"]*)"|"""
                       r"""'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")
# what a written tag may show or link to: (tag, attribute) -> whether it shows an image
_RAW_ADDRESSES = {("a", "href"): False, ("area", "href"): False, ("img", "src"): True,
                  ("video", "src"): False, ("video", "poster"): True, ("audio", "src"): False,
                  ("source", "src"): False, ("track", "src"): False, ("embed", "src"): False,
                  ("iframe", "src"): False, ("object", "data"): False}
# links (not media) are followed only to a file: a post, a PDF, a photo (a link to a folder
# may be written from the page, as the reader's browser reads it)
_RAW_LINKS = frozenset({"a", "area"})
# tags whose `srcset` lists images, each with its own address
_RAW_SRCSETS = frozenset({("img", "srcset"), ("source", "srcset")})


def _rewrite_raw(raw: str, source_dir: str, line: int, notes: list[LinkNote]) -> str:
    """Links and media in HTML written into a body go where Markdown's go: a link to
    another post or to a file by its path (`<a href="other-post.md">`, `<a href=
    "../media/letter.pdf">`) as a Markdown link does (one to a post that is not public
    becomes its text), a photo, video, frame or object beside the post or in media/ under
    the name it is published as; so what a post shows is known, and a file only hidden
    posts show is not published. Links to folders, and addresses that climb out of
    content/ (written from the page, not the file), are left as written."""
    low = raw.lower()
    if "href" not in low and "src" not in low and "poster" not in low and "data" not in low:
        return raw

    def rewrite(match: re.Match[str]) -> str:
        tag = match["tag"].lower()
        attrs = [(a["name"], a["double"] if a["double"] is not None
                  else a["single"] if a["single"] is not None else a["bare"], a.group(0))
                 for a in _RAW_ATTR.finditer(match["attrs"])]
        first: list[str] = []
        rest: list[str] = []
        at = line + raw.count("\n", 0, match.start())
        for name, value, written in attrs:
            key = (tag, name.lower())
            if key in _RAW_SRCSETS and value is not None:
                images = html.unescape(value)
                rewritten = srcset.rewrite(images, lambda address: _in_srcset(
                    address, source_dir, at, notes))
                rest.append(written if rewritten == images
                            else f'{name.lower()}="{html.escape(rewritten)}"')
                continue
            if key not in _RAW_ADDRESSES or value is None:
                rest.append(written)
                continue
            address = html.unescape(value)
            if tag in _RAW_LINKS and not _names_a_file(address):
                rest.append(written)
                continue
            # written from the page, HTML may climb out of content/: left as written
            placeholder = _placeholder(address, source_dir, at, notes,
                                       is_image=_RAW_ADDRESSES[key],
                                       climbing_out_is_an_error=False)
            if placeholder is None:
                rest.append(written)
            else:
                first.append(f'{name.lower()}="{html.escape(placeholder)}"')
        if not first and rest == [written for _, _, written in attrs]:
            return match.group(0)
        # the address first, as the Markdown renderer writes it, which `links` resolves
        shown = " ".join([*first, *rest])
        return f"<{tag} {shown}{' /' if match['end'] else ''}>"

    pieces = []
    last = 0
    for opaque in _RAW_OPAQUE.finditer(raw):
        pieces += [_RAW_TAG.sub(rewrite, raw[last:opaque.start()]), opaque.group(0)]
        last = opaque.end()
    pieces.append(_RAW_TAG.sub(rewrite, raw[last:]))
    return "".join(pieces)


def _names_a_file(address: str) -> bool:
    """A link's address ends in a file name with a suffix (`part-one.md`, `../media/
    letter.pdf`), not in a folder (`../archive/`)."""
    path = unquote(urlsplit(address).path)
    return posixpath.splitext(posixpath.basename(path))[1] not in ("", ".")


def _in_srcset(address: str, source_dir: str, line: int, notes: list[LinkNote]) -> str:
    """An image address of a srcset as a placeholder (see `_placeholder`), its path
    percent-encoded: a space or a comma in it would split the srcset otherwise. A fragment
    means nothing to an image and is left out."""
    made = _placeholder(address, source_dir, line, notes, is_image=True,
                        climbing_out_is_an_error=False)
    if made is None:
        return address
    prefix = SOURCE_LINK if made.startswith(SOURCE_LINK) else SITE_LINK
    path = made[len(prefix):]
    fragment = urlsplit(address).fragment
    if fragment:
        path = path[:-len(fragment) - 1]
    return prefix + (quote(path, safe="/") if prefix == SOURCE_LINK else path)


def _plain_text(inline: Token) -> str:
    words = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return "".join(words)


def _shorten(text: str, words: int) -> str:
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.-–—") + "…"


def render_markdown(body: str, source_key: str, first_line: int, key: str = "") -> Rendered:
    md = markdown_parser()
    env = {"source_dir": posixpath.dirname(source_key), "notes": [], "first_line": first_line}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    excerpt = ""
    for index, token in enumerate(tokens):
        if token.type == "inline" and index > 0 and tokens[index - 1].type == "paragraph_open":
            excerpt = _shorten(_plain_text(token), EXCERPT_WORDS)
            if excerpt:
                break
    return Rendered(html, excerpt, tuple(env["notes"]), key)


_WARM_UP_BODY = """## Heading

A [link](other.md), https://example.org/, www.example.org, name@example.org[^1].

| a | b |
| - | - |
| ~~c~~ | *d* |

[^1]: A note.
"""


def warm_up() -> None:
    """Compile what the renderer compiles on first use (linkify's large regular
    expressions take a twentieth of a second), so that a first save does not wait for it."""
    render_markdown(_WARM_UP_BODY, "warm-up.md", 1)


def failing_line(body: str, source_key: str, first_line: int) -> int:
    """Where rendering `body` fails: the first line of the first paragraph that fails on
    its own, or the body's first line when none does."""
    start = 0
    lines = body.split("\n")
    for number, text in enumerate([*lines, ""]):
        if text.strip():
            continue
        if number > start:
            try:
                render_markdown("\n".join(lines[start:number]), source_key, first_line)
            except Exception:  # any failure is the one being looked for
                return first_line + start
        start = number + 1
    return first_line
