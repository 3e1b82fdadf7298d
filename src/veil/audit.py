"""After rendering, before writing: prove that nothing withheld reached any output file.

The visibility table decides what goes where; this check does not trust it. It scans the
bytes of every output for the titles, addresses and sentences of posts that must not be
there, and fails the build, naming the file and what it holds. Text that the author also
published in a public post is not a leak and is not reported; so a public post's own body,
cut out of its page by its exact HTML, is not searched there.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, compress, count, pairwise, repeat
from operator import add
from pathlib import Path, PurePosixPath
from typing import Protocol, overload
from urllib.parse import unquote, urljoin, urlsplit

from markupsafe import escape

from . import srcset
from .errors import Location, Problem
from .fingerprints import fingerprint
from .images import LOCATION_FIX, has_location, is_image, location_refusal, looks_like_image
from .model import Document
from .site import Site
from .urls import Linker, output_path_for
from .visibility import Visibility

TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json", ".js", ".css", ".svg", ".webmanifest")
MIN_SENTENCE = 32
MIN_TITLE = 12  # no needle is shorter than this
FEW_OUTPUTS = 16  # checked without an index of the needles
FEW_NEEDLES = 32  # looked for one by one in a text, without an index
MANY_OUTPUTS = 200  # public titles and excerpts are left out of the check's text
ATTRIBUTES_KEPT = 4096  # attribute texts whose needles are kept (then forgotten at once)
_TAG = re.compile(r"<[^>]*>")
# Tags inside a line of text; every other tag ends a block, which a reader sees apart from
# the next one ("friends.</p><p>Now" reads "friends. Now", not "friends.Now").
# (a, abbr, b, bdi, bdo, cite, code, data, del, dfn, em, i, ins, kbd, mark, q, s, samp, small,
# span, strong, sub, sup, time, u, var, wbr: written as a tree, which matches twice as fast)
_INLINE_TAG = re.compile(r"</?(?=[abcdeikmqstuvwABCDEIKMQSTUVW])(?:a(?:bbr)?|b(?:d[io])?"
                         r"|c(?:ite|ode)|d(?:ata|el|fn)|em|i(?:ns)?|kbd|mark|q"
                         r"|s(?:amp|mall|pan|trong|u[bp])?|time|u|var|wbr)(?=[\s/>])[^>]*>",
                         re.IGNORECASE)
_INNER_START = re.compile(r"[^\w\s](?=\S)")  # a needle may start after this, or after a space
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
# Sentences kept in the cache are told apart by how they were taken and split.
_SPLITTING = ":" + hashlib.sha256(
    f"html {_TAG.pattern} {_INLINE_TAG.pattern} {MIN_SENTENCE} {_SENTENCE_END.pattern} "
    "str.split".encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Needle:
    text: str
    what: str  # "title", "address", "text"
    doc: Document


def _squash(text: str) -> str:
    return " ".join(text.split())


def _plain(markup: str) -> str:
    """The text of HTML as a reader sees it, on one line."""
    return _squash(_text_of(markup, " "))


# Attribute values a reader or a search engine may be shown (a meta description, alt text, a
# tooltip); links, classes and styles are left out.
_TEXT_ATTRIBUTE = re.compile(r"""=(?<!href=)(?<!src=)(?<!class=)(?<!style=)(?<!\bid=)"""
                             r"""(?<!\brel=)(?<!type=)(?:"([^"]*)"|'([^']*)')""")


def _attribute_texts(markup: str, public: frozenset[str] = frozenset()) -> list[str]:
    """Each value once (a page's description is in three meta tags); a value shorter than
    the shortest needle cannot hold one, nor can one of the `public` texts."""
    values = dict.fromkeys(double or single for double, single in _TEXT_ATTRIBUTE.findall(markup))
    return [_squash(html.unescape(value)) for value in values
            if len(value) >= MIN_TITLE and value.strip() not in public]


# Text between two tags, long enough to hold a needle.
_TEXT_NODE = re.compile(r">([^<>]{" + str(MIN_TITLE) + ",})<")


def _without_public_texts(markup: str, public: frozenset[str]) -> str:
    """`markup` with every text between two tags that is one of the `public` texts (a
    public post's title or excerpt, as a template writes it) cut out like a public post's
    body: listings and feeds are mostly these. Only a text whose tags on both sides end a
    block is cut: one inside a line (`reading <em>A Public Title</em> on the train`) is
    part of the sentence around it, which a needle may be."""
    pieces = []
    last = 0
    for match in _TEXT_NODE.finditer(markup):
        start, end = match.span(1)
        if (match.group(1).strip() in public
                and not _INLINE_TAG.match(markup, markup.rfind("<", 0, start))
                and not _INLINE_TAG.match(markup, end)):
            pieces += [markup[last:start], _CUT]
            last = end
    if not pieces:
        return markup
    pieces.append(markup[last:])
    return "".join(pieces)


def _public_texts(docs: Iterable[Document]) -> frozenset[str]:
    """The titles and excerpts of public documents, escaped as a template escapes them."""
    texts = (str(escape(text)) for doc in docs for text in (doc.title, doc.rendered.excerpt))
    return frozenset(text for text in texts if len(text) >= MIN_TITLE)


def _text_of(markup: str, block_break: str) -> str:
    return html.unescape(_TAG.sub(block_break, _INLINE_TAG.sub("", markup)))


def _html_sentences(markup: str) -> list[str]:
    """The sentences of a body's or comment's HTML, taken as pages are read (`_plain`) so
    that the two always agree, and never across a tag that separates text (a needle
    taken from the Markdown instead would miss "diary,<br>I went" on a page)."""
    return list(_sentences(_text_of(markup, "\n")))


# Put between texts that no needle may run across (a page's text before and after the
# public post's own body): no needle holds a line break, and the spaces keep the words
# around it starts and ends of words.
_CUT = " \n "


class ShownBody(Protocol):
    """A document's body as its page shows it."""

    @property
    def html(self) -> str: ...


def _sentences(text: str) -> Iterable[str]:
    for piece in _SENTENCE_END.split(text):
        piece = _squash(piece)
        if len(piece) >= MIN_SENTENCE:
            yield piece


# href, src, a form's action, an object's data, a video's poster, a quote's cite, and content
# without spaces (a meta tag's address, not its description); written as look-behinds so
# the search can skip to each `="` (four times quicker)
_ATTR = re.compile(r'="(?:(?:(?<=href=")|(?<=src=")|(?<=action=")|(?<=\sdata=")'
                   r'|(?<=poster=")|(?<=cite="))([^"]*)'
                   r'|(?<=content=")([^"\s#?]*)(?=["#?]))')
# a refresh's address: <meta http-equiv="refresh" content="0; url=/posts/a/">
_REFRESH_URL = re.compile(r"""(?i)\burl\s*=\s*['"]?([^'"\s>;#?]+)""")
_BASE_HREF = re.compile(r"""(?i)<base\b[^>]*?\bhref\s*=\s*(?:"([^"]*)|'([^']*)|([^\s>]+))""")
_ADDRESS_END = re.compile(r"[^\s<>\"'#?]*")
# href and src written otherwise (upper case, spaces around "=", single quotes or none), as
# hand-written HTML may have them; looked for only where a cheap count says they may be
_OTHER_LINK = re.compile(r"""(?i)(?<![\w-])(?:href|src)\s*=\s*"""
                         r"""(?:"([^"]*)|'([^']*)|([^\s"'=<>`]+))""")
_SPACED_SRC = re.compile(rb"src\s+=")
# the candidates of a srcset ("a.jpg 1x, b.jpg 2x") and CSS url(...) values
_SRCSET = re.compile(srcset.ATTRIBUTE, re.IGNORECASE)
_CSS_URL = re.compile(r"""(?i)\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^\s"')]*))""")


def _may_link_otherwise(data: bytes, low: bytes) -> bool:
    """Whether an output (`low`: in lower case) may hold a link that `_ATTR` does not see
    (`_OTHER_LINK`): counting is quicker than looking for them, and almost every output
    has none."""
    href = data.count(b'href="')  # as written: an upper-case HREF=" is counted below only
    hrefs = low.count(b"href")
    return ((hrefs != href and hrefs != href + low.count(b"hreflang"))
            or low.count(b"src=") != data.count(b'src="')
            or _SPACED_SRC.search(low) is not None)


def _referenced_paths(path: str, raw: str, base_url: str, base_path: str,
                      names: frozenset[str] | None = None, data: bytes | None = None,
                      written: list[tuple[str, str]] | None = None) -> set[str]:
    """Every site path an output links to, relative or absolute, as "/posts/slug/"; with
    `names`, only those that may end in one of them (`_last_name`): the rest are left out
    before they are resolved. `data`: `raw`'s bytes, when the caller has them. Links written
    in any of the ways HTML allows are taken, not only `href="..."` and `src="..."`.
    `written`: filled with each link (as written, not a meta tag's content) and the site
    path it leads to from the page's folder."""
    folder = posixpath.dirname(path)
    pairs = _ATTR.findall(raw)
    targets = {link or address for link, address in pairs}
    data = raw.encode("utf-8", "surrogatepass") if data is None else data
    low = data.lower()
    has_base = b"<base" in low
    if names is not None and (has_base or not names.isdisjoint(folder.split("/"))):
        names = None  # a relative link may lead into a withheld folder without naming it
    if _may_link_otherwise(data, low):
        targets.update(next(filter(None, m.groups()), "") for m in _OTHER_LINK.finditer(raw))
    if b"url=" in low or b"url =" in low:
        targets.update(_REFRESH_URL.findall(raw))
    if b"srcset" in low:
        for quoted in _SRCSET.findall(raw):
            value = html.unescape("".join(quoted))
            # as a browser reads it, and, to be sure, every piece between commas
            targets.update(address for address, _ in srcset.candidates(value))
            targets.update(piece.split()[0] for piece in value.split(",") if piece.split())
    if b"url(" in low:
        targets.update("".join(value) for value in _CSS_URL.findall(raw))
    targets = set(map(_address_part, targets))
    if names is not None:
        targets = {t for t in targets if _may_end_in(t, names)}
    here = {target: _site_path(*_climbed(folder, target), base_url, base_path)
            for target in targets}
    found = set(here.values())
    if has_base:  # relative links start from the base instead
        for hrefs in _BASE_HREF.findall(raw):
            href = _address_part(next(filter(None, hrefs), ""))
            base = _site_path(*_climbed(folder, href), base_url, base_path)
            if base is not None:
                based = (base.strip("/") if base.endswith("/")
                         else posixpath.dirname(base).strip("/"))
                found.update(_site_path(*_climbed(based, target), base_url, base_path)
                             for target in targets)
    if written is not None:
        meta = {_address_part(a) for link, a in pairs if not link} - {
            _address_part(link) for link, _ in pairs if link}
        written += [(target, resolved) for target, resolved in here.items()
                    if resolved is not None and target not in meta]
    for address in _full_addresses(raw, base_url):  # feeds, sitemaps: bare addresses
        if names is None or _may_end_in(address, names):
            found.add(_site_path("", base_url + address, base_url, base_path))
    found.discard(None)  # other sites, and bare addresses no browser opens
    return found  # type: ignore[return-value]


def _full_addresses(raw: str, base_url: str) -> Iterator[str]:
    """What follows each full address of this site written in an output (`_address_part`
    of it: "posts/a/" for "https://example.org/posts/a/#top")."""
    start = 0
    while (start := raw.find(base_url, start)) != -1:
        start += len(base_url)
        match = _ADDRESS_END.match(raw, start)
        yield _address_part(match.group(0) if match else "")


def _last_name(target: str) -> str:
    """The last name of the site path a link (`_address_part`) leads to ("/posts/slug/"
    for "../slug/index.html": "slug"), as far as the link alone tells; "" or a dot where
    it does not (the folder the link is in, or one climbed to)."""
    if "%" in target:
        target = unquote(target)
    target = target.replace("\\", "/").rstrip("/")  # a folder without its last "/"
    if target.endswith("/index.html") or target == "index.html":
        target = target[:-len("index.html")]
    return target.rstrip("/").rpartition("/")[2]


@lru_cache(maxsize=8192)  # a page's links to the rest of the site repeat on every page
def _may_end_in(target: str, names: frozenset[str]) -> bool:
    """Whether a link may lead to a withheld address, or into its folder (a withheld post's
    photo names the post's address): its last name, or any other, is one of `names`."""
    name = _last_name(target)
    if (name in names or name in ("", ".", "..")
            # "https:slug" is relative; only an address with a host has a last name of its own
            or (":" in target.partition("/")[0] and not _FULL_URL.match(target))):
        return True
    inner = unquote(target) if "%" in target else target
    return not names.isdisjoint(inner.replace("\\", "/").split("/"))


_FULL_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]")  # "https://x", "//x"


def _climbed(folder: str, target: str) -> tuple[str, str]:
    """A relative link's leading "../" taken into its folder: the same link from sibling
    folders (every post's page to the tags) is then one entry of `_site_path`'s cache.
    A full address does not depend on the folder at all."""
    if _FULL_URL.match(target):
        return "", target
    climbed = False
    while folder and target.startswith("../") and not target.startswith("..//"):
        folder, target, climbed = folder.rpartition("/")[0], target[3:], True
    # what followed "../" must not start the link anew: "../a:b" is a path where "a:b" is
    # not, and a link's leading spaces or backslash are read otherwise than inner ones
    first = target[:1]
    if climbed and first and (":" in target.partition("/")[0]
                              or not (first.isalnum() or first in "._-~%")):
        target = "./" + target
    return folder, target


_URL_NOISE = str.maketrans("", "", "\t\n\r")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))  # what browsers take off both ends of a link
# "///host/x", "https:////host/x", and a scheme other than the page's with one slash or
# none ("http:host/x" on an https site): browsers read all of these as "scheme://host/x"
_LOOSE_AUTHORITY = re.compile(r"^(?:(?P<scheme>https?):)?/{2,}|^(?P<bare>https?):/?(?!/)",
                              re.IGNORECASE)


def _address_part(target: str) -> str:
    """A link as a browser reads it before following it: entities decoded, surrounding
    spaces and inner tabs and line breaks dropped, the query and fragment cut."""
    if (target.isprintable() and "&" not in target and "#" not in target
            and "?" not in target and target[:1] != " " and target[-1:] != " "):
        return target  # most links: nothing to take off (four times quicker)
    if "&" in target:
        target = html.unescape(target)
    target = target.strip(_C0_OR_SPACE).translate(_URL_NOISE)
    return target.partition("#")[0].partition("?")[0]


@lru_cache(maxsize=4096)
def _site_path(folder: str, target: str, base_url: str, base_path: str) -> str | None:
    """The site path a link (`_address_part`) in an output in `folder` leads to, as a
    browser follows it (any spelling of this site's address, "\\" read as "/", dot
    segments resolved); None for other sites and schemes. A path outside the site's base
    is taken as the site's: "/posts/a/" where the site lives at /blog/ is still counted as
    /blog/posts/a/."""
    # ";" escaped: urljoin drops an empty one ("/posts/a;"), which a browser keeps
    target = target.replace("\\", "/").replace(";", "%3B")
    site_scheme = base_url.partition(":")[0].lower()
    loose = _LOOSE_AUTHORITY.match(target)
    if loose and (loose["scheme"] or not loose["bare"] or loose["bare"].lower() != site_scheme):
        scheme = loose["scheme"] or loose["bare"]
        target = (f"{scheme}:" if scheme else "") + "//" + target[loose.end():]
    try:
        joined = urlsplit(urljoin(base_url + folder + ("/" if folder else ""), target))
        port = joined.port
    except ValueError:  # not an address a browser opens
        return None
    site = urlsplit(base_url)
    if (joined.scheme not in ("http", "https") or joined.hostname != site.hostname
            or port not in (None, 80, 443, site.port)):
        return None
    path = unquote(joined.path) or "/"
    if "/." in path or "//" in path:  # "%2E%2E" is ".." too; "/a//b" taken as "/a/b"
        folder_like = path.endswith(("/", "/.", "/.."))
        path = "/" + posixpath.normpath(path).lstrip("/")
        path += "/" if folder_like and not path.endswith("/") else ""
    if path.startswith(base_path):
        path = "/" + path[len(base_path):]
    return _as_url(path)


def _as_url(target: str) -> str:
    bare = target.rstrip("/")  # "/a/index.html/" is served as "/a/" by some hosts
    if bare.endswith("/index.html"):
        return bare[: -len("index.html")]
    if not target.endswith("/") and "." not in posixpath.basename(target):
        target += "/"
    return target


# (output path, needle number, for a text needle the site paths the output links to)
Finding = tuple[str, int, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Scan:
    """What the check found in one output."""

    findings: tuple[Finding, ...] = ()
    # text needles found on a public post's page that the post itself holds: no leak, and
    # no leak anywhere else either
    public: tuple[int, ...] = ()


class SentenceStore(Protocol):
    def sentences(self, keys: Iterable[str]) -> dict[str, list[str]]: ...

    def save_sentences(self, sentences: dict[str, list[str]]) -> None: ...


def _sentences_of(docs: list[Document], store: SentenceStore | None) -> dict[str, list[str]]:
    """The sentences of each document's body: from the store when it has them (reading a
    body from the cache and splitting it costs more)."""
    keys = {d.rendered.key + _SPLITTING for d in docs}
    found = store.sentences(keys) if store is not None else {}
    made = {}
    for doc in docs:
        key = doc.rendered.key + _SPLITTING
        if key not in found and key not in made:
            made[key] = _html_sentences(doc.rendered.html)
    if store is not None and made:
        store.save_sentences(made)
    every = {**found, **made}
    return {d.rendered.key: every[d.rendered.key + _SPLITTING] for d in docs}


def sentences_to_keep(bodies: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The sentences of these bodies (rendered key, HTML), as `_sentences_of` finds them
    in its store: split ahead, where the bodies are rendered, for posts that will be
    hidden (so the check need not split them before it starts)."""
    return {key + _SPLITTING: _html_sentences(markup) for key, markup in bodies}


def _hidden(site: Site) -> list[Document]:
    """Every document that is not public: the withheld ones first, then the written ones."""
    written = {v: v.is_written for v in Visibility}
    docs = [d for d in site.all_documents_for_routing()
            if site.visibility(d) is not Visibility.PUBLIC]
    return ([d for d in docs if not written[site.visibility(d)]]
            + [d for d in docs if written[site.visibility(d)]])


def needles_signature(site: Site) -> str:
    """Everything the needles of `site` are made from: two sites with the same signature
    look for the same text in the same places."""
    # plain strings and None: their repr stands for them, and is quicker to make than JSON
    made_from = repr([
        (d.source_key, d.rendered.key, site.visibility(d).value, d.url, d.title, d.summary,
         [c.html for c in d.comments],
         group.series.url if (group := site.series_of(d)) is not None else None)
        for d in _hidden(site)])
    return fingerprint("needles", hashlib.sha256(
        made_from.encode("utf-8", "surrogatepass")).hexdigest())


def leak_check_for(site: Site, bodies: Mapping[str, ShownBody], store: SentenceStore | None,
                   previous: LeakCheck | None) -> LeakCheck:
    """The previous build's check when its needles would be the same (`veil watch`)."""
    if previous is not None and previous.made_for(site):
        previous.use_site(site, bodies)
        return previous
    if previous is not None and previous.signature == needles_signature(site):
        previous.use_site(site, bodies)
        return previous
    return LeakCheck(site, bodies, store)


class LeakCheck:
    """The needles of one site, ready to check output files one by one (also in worker
    processes). Text that a public post also holds is not a leak; that is decided only
    for needles found somewhere, so the public text is read only when needed.

    Text needles are numbered; `texts`, `kinds` and `owners` hold each one's text, what
    it is and the number of the document it comes from (in `docs`). Address needles are
    numbered after the text needles, one per document."""

    _KINDS = ("title", "summary", "text")
    _public_pages: dict[str, Document] | None = None
    _document_addresses: frozenset[str] | None = None
    _public_texts: frozenset[str] = frozenset()  # of this build's public documents
    # the outputs of the last build checked, and their folders
    _folders_of: tuple[frozenset[str] | None, frozenset[str]] = (None, frozenset())

    def __init__(self, site: Site, bodies: Mapping[str, ShownBody],
                 store: SentenceStore | None = None):
        self.use_site(site, bodies)
        self.signature = needles_signature(site)
        self.docs = _hidden(site)
        # What `made_for` compares: the needles and `docs` were made together from this
        # site; never refresh one without the other.
        self._made_from = (site, [d.rendered.key for d in self.docs])
        texts: list[str] = []
        self.kinds = bytearray()
        self.owners = array("I")
        self.text_allowed: list[Callable[[str], bool]] = []  # by document
        self.address_allowed: list[Callable[[str], bool]] = []  # by document
        self.addresses: dict[str, list[int]] = {}  # address -> documents
        self._named: dict[str, list[int]] = {}  # last name of an address -> documents
        self.planned: frozenset[str] | None = None  # every output path of the build
        self.planned_folders: frozenset[str] = frozenset()  # their folders, as "a/b/"
        sentences = _sentences_of(self.docs, store)
        for number, doc in enumerate(self.docs):
            # Protected text is encrypted even on its page; unlisted text is on its page only.
            own = output_path_for(doc.url)
            self.text_allowed.append(
                _in_own_folder(own)
                if site.visibility(doc) is Visibility.UNLISTED else (lambda path: False))
            self.address_allowed.append(_address_allowed_in(site, doc))
            self.addresses.setdefault(doc.url, []).append(number)
            self._named.setdefault(_last_name(doc.url), []).append(number)
            title, summary = _squash(doc.title), _squash(doc.summary or "")
            found = [*sentences[doc.rendered.key],
                     *(text for c in doc.comments for text in _html_sentences(c.html))]
            kinds = [2] * len(found)
            if len(summary) >= MIN_TITLE:
                found.insert(0, summary)
                kinds.insert(0, 1)
            if len(title) >= MIN_TITLE:
                found.insert(0, title)
                kinds.insert(0, 0)
            texts += found
            self.kinds += bytes(kinds)
            self.owners.extend([number] * len(found))
        # as they are until many outputs are to be checked (`prepare`): made compact then,
        # before worker processes are forked, not for the few outputs of a one-post edit
        self.texts: list[str] | _Texts = texts
        self._attribute_findings: dict[str, frozenset[int]] = {}
        # the last names of the withheld addresses; None when one has none (the home page),
        # so that every link is looked at
        names = self._named.keys()
        self._address_names = (None if names & {"", ".", ".."} else frozenset(names))
        self._index: _NeedleIndex | _NeedleScan | None = None

    def made_for(self, site: Site) -> bool:
        """The needles were made from this very site, whose hidden documents still have the
        bodies they had then (`veil watch` swaps edited bodies into the site it keeps; all
        else of a document stays as it was)."""
        made_in, keys = self._made_from
        return made_in is site and all(
            d.rendered.key == key for d, key in zip(self.docs, keys, strict=True))

    def use_site(self, site: Site, bodies: Mapping[str, ShownBody]) -> None:
        """The site being built: its settings, messages, public posts and the bodies its
        pages show, by source (the needles may be an earlier build's, when they are the
        same)."""
        if getattr(self, "site", None) is not site:
            self._public_pages = None
            self._document_addresses = None
        self.site = site
        self.bodies = bodies

    @property
    def public_pages(self) -> dict[str, Document]:
        """The public documents by their page's path (a needle found on such a page that
        the document itself holds is not a leak)."""
        if self._public_pages is None:
            site = self.site
            self._public_pages = {output_path_for(d.url): d for d in site.written_documents()
                                  if site.visibility(d) is Visibility.PUBLIC}
        return self._public_pages

    def prepare(self, outputs: int, planned: frozenset[str] | None = None) -> None:
        """Before checking this many outputs (in this process or in forked workers): an
        index of all needles pays for itself only over many outputs. `planned`: the path
        of every output of the build (a link to none of them leads nowhere)."""
        if planned != self._folders_of[0]:  # a watch rebuild mostly plans the same outputs
            folders: set[str] = set()
            for output in planned or ():
                at = output.find("/")
                while at != -1:
                    folders.add(output[:at + 1])
                    at = output.find("/", at + 1)
            self._folders_of = (planned, frozenset(folders))
        self.planned, self.planned_folders = planned, self._folders_of[1]
        # made here once, not in each forked worker; the texts anew in each build, as a
        # public post's edited body changes its excerpt, and only for many outputs (at
        # 10,000 posts they take 25 ms to make, more than a rebuild's few outputs save)
        public = self.public_pages
        self.document_addresses  # noqa: B018 - made here once, not in each forked worker
        self._public_texts = (_public_texts(public.values()) if outputs > MANY_OUTPUTS
                              else frozenset())
        if outputs > FEW_OUTPUTS and isinstance(self.texts, list):
            self.texts = _Texts(self.texts)
        if self._index is None or (outputs > FEW_OUTPUTS
                                   and isinstance(self._index, _NeedleScan)):
            numbers = range(len(self.texts))
            self._index = (_NeedleIndex(self.texts, numbers) if outputs > FEW_OUTPUTS
                           else _NeedleScan(self.texts, numbers))
            if isinstance(self.texts, _Texts):
                self.texts.forget_prefixes()  # the index holds them (a megabyte less)

    def forget_outputs(self) -> None:
        """Let go of the build's output paths once every output is checked (the check
        itself may serve the next build of `veil watch`, which gives its own)."""
        self.planned, self.planned_folders = None, frozenset()

    def needle(self, number: int) -> Needle:
        if number < len(self.texts):
            return Needle(self.texts[number], self._KINDS[self.kinds[number]],
                          self.docs[self.owners[number]])
        doc = self.docs[number - len(self.texts)]
        return Needle(doc.url, "address", doc)

    def scan(self, path: str, data: bytes) -> Scan:
        """Needles in this output where they may not be, by number."""
        if not path.endswith(TEXT_SUFFIXES) or not self.docs:
            return Scan()
        config = self.site.config
        markup = data.decode("utf-8", "replace")
        # the addresses linked to that may be withheld; every one where text is found
        written: list[tuple[str, str]] = []
        linked = _referenced_paths(path, markup, config.base_url, config.base_path,
                                   self._address_names, data, written)
        found: list[Finding] = []
        public: list[int] = []
        if self.texts:
            if self._index is None:
                self.prepare(FEW_OUTPUTS + 1)
            assert self._index is not None
            own = self.public_pages.get(path)
            reading, attributes = self._page_texts(path, markup, own)
            found_here = self._index.found_in(_CUT.join(reading), self.texts)
            for attribute in attributes:
                found_here |= self._found_in_attribute(attribute)
            numbers = [n for n in sorted(found_here)
                       if not self.text_allowed[self.owners[n]](path)]
            if numbers and own is not None:
                own_text = _public_text(own)  # settled here, in the worker
                public = [n for n in numbers if _occurs_as_words(self.texts[n], own_text)]
                numbers = [n for n in numbers if n not in public]
            if numbers:
                linked = _referenced_paths(path, markup, config.base_url, config.base_path,
                                           data=data)
            shown = tuple(linked)
            found += [(path, number, shown) for number in numbers]
        offset = len(self.texts)
        shown = [self.addresses[address] for target in linked
                 if (address := self._withheld_address(target)) is not None]
        shown += [self._named_by_broken_link(target, resolved) for target, resolved in written]
        for docs in shown:
            for doc in docs:
                if not self.address_allowed[doc](path):
                    found.append((path, offset + doc, ()))
        return Scan(tuple(found), tuple(public))

    def _named_by_broken_link(self, written: str, resolved: str) -> list[int]:
        """The withheld documents a link that leads to no output of this build names, by a
        name it writes that is no folder of the build (`<a href="secret/">` written on
        another post's page leads nowhere, but shows the slug; `tags/secret/` is the tag
        page of that name)."""
        if (self.planned is None or resolved in self.addresses
                or output_path_for(resolved) in self.planned
                or resolved.lstrip("/") + "/" in self.planned_folders):
            return []
        inner = unquote(written) if "%" in written else written
        found = []
        for name in inner.replace("\\", "/").split("/"):
            docs = self._named.get(name)
            if not docs:
                continue
            at = resolved.find(f"/{name}/")
            folder = resolved[1:at + len(name) + 2] if at != -1 else resolved.lstrip("/") + "/"
            if folder not in self.planned_folders:
                found += docs
        return found

    def _withheld_address(self, path: str) -> str | None:
        """The withheld address that a site path is, or is inside: a path belongs to the
        deepest document whose address holds it ("/posts/a/photo.jpg" to "/posts/a/", but
        "/posts/a/b/" to a public "/posts/a/b/" if there is one)."""
        if path in self.addresses:
            return path
        if path in self.document_addresses:
            return None  # a public document's own address
        folder = path
        while (cut := folder.rstrip("/").rfind("/")) > 0:
            folder = folder[:cut + 1]
            if folder in self.document_addresses:
                return folder if folder in self.addresses else None
        return None

    @property
    def document_addresses(self) -> frozenset[str]:
        """The address of every document of the site being built, whatever its privacy."""
        if self._document_addresses is None:
            self._document_addresses = frozenset(
                d.url for d in self.site.all_documents_for_routing())
        return self._document_addresses

    def _found_in_attribute(self, text: str) -> frozenset[int]:
        """The needles in an attribute's text, kept: most pages repeat most of theirs (the
        viewport, the content security policy, the descriptions of warnings)."""
        found = self._attribute_findings.get(text)
        if found is None:
            if len(self._attribute_findings) >= ATTRIBUTES_KEPT:
                self._attribute_findings.clear()
            assert self._index is not None
            found = self._attribute_findings[text] = frozenset(
                self._index.found_in(text, self.texts))
        return found

    def _page_texts(self, path: str, markup: str, own: Document | None
                    ) -> tuple[list[str], list[str]]:
        """The text of an output, and the texts of its attributes a reader may be shown
        (no needle runs from one to another); of a public post's page, without the post's
        own body, which is public by definition and most of the page (scanning it would be
        most of the check). Only the first place where the body occurs whole is cut:
        anything else on the page, the body shown a second time included, is still
        scanned. Public posts' titles and excerpts are cut wherever a tag holds one
        whole."""
        body = self.bodies.get(own.source_key) if own is not None else None
        shown = Linker(self.site.config, path).relocate(body.html) if body is not None else ""
        start = markup.find(shown) if shown else -1
        if start != -1:
            markup = markup[:start] + _CUT + markup[start + len(shown):]
        feed = path.endswith(FEED_NAMES)
        if feed:
            markup = self._without_public_bodies(markup)
        public = self._public_texts
        markup = _without_public_texts(markup, public)
        read = _text_of(markup, " ")
        reading = [_squash(read)]
        if feed:
            # A feed holds HTML escaped as XML text: read once, it still shows `<em>` and
            # `&amp;` between the words a reader sees. Read again, as a feed reader shows
            # it (both kept: a stray "<" in a title would make the second reading drop
            # text up to the next ">").
            reading.append(_plain(read))
        return reading, _attribute_texts(markup, public)

    def _without_public_bodies(self, feed: str) -> str:
        """A feed without the bodies of the public posts it links to, each cut where it
        occurs whole, as a feed's text holds it (absolute links, escaped as XML text):
        like a public post's body on its own page, public by definition, and most of the
        feed."""
        config = self.site.config
        base_url, linker = config.base_url, Linker(config, "feed.xml")
        seen: set[str] = set()
        for written in dict.fromkeys(_full_addresses(feed, base_url)):
            address = _site_path("", base_url + written, base_url, config.base_path)
            doc = self.public_pages.get(output_path_for(address)) if address else None
            if doc is None or doc.source_key in seen:
                continue
            seen.add(doc.source_key)
            body = self.bodies.get(doc.source_key)
            shown = _as_xml_text(linker.absolutize(body.html)) if body is not None else ""
            at = feed.find(shown) if shown else -1
            if at != -1:
                feed = feed[:at] + _CUT + feed[at + len(shown):]
        return feed

    def problems(self, scans: Iterable[Scan]) -> list[Problem]:
        """The findings that are leaks, as problems naming file and source."""
        findings = [f for scan in scans for f in scan.findings]
        if not findings:
            return []
        offset = len(self.texts)
        known_public = {n for scan in scans for n in scan.public}
        text_findings = [f for f in findings if f[1] < offset and f[1] not in known_public]
        places = {path for path, _, _ in text_findings}
        for linked in {id(f[2]): f[2] for f in text_findings}.values():  # shared by outputs
            places.update(linked)
        also_public = known_public | self._also_public(
            {number for _, number, _ in text_findings}, places)
        return [_problem(self.site, path, self.needle(number))
                for path, number in sorted({(path, number) for path, number, _ in findings})
                if number not in also_public]

    def _also_public(self, numbers: set[int], places: set[str]) -> set[int]:
        """The text needles among `numbers` that a public post also holds. The public posts
        shown where needles were found (their own pages, or a listing's or feed's entries)
        are read first, the others only while needles are left; one post's text at a time
        (at 10,000 posts, all of them at once would be 150 MB). Of the others, a post
        whose HTML lacks the longest word of every needle left is passed over, and read
        only if a needle is still left after all the rest (a word cut by a tag, as in
        `un<em>do</em>`, is not in the HTML as it is in the text)."""
        if not numbers:
            return set()
        public = list(self.public_pages.values())
        shown = [d for d in public if d.url in places or output_path_for(d.url) in places]
        first = {d.source_key for d in shown}
        index = _NeedleIndex(self.texts, numbers) if len(numbers) > FEW_NEEDLES else None
        left = set(numbers)
        words = {n: _longest_word(self.texts[n]) for n in numbers}
        passed_over: list[Document] = []
        for doc in shown + [d for d in public if d.source_key not in first]:
            if not left:
                break
            if doc.source_key not in first:
                markup = doc.rendered.html
                if not any(words[n] in markup for n in left):
                    passed_over.append(doc)
                    continue
            left -= self._held_by(doc, left, index)
        for doc in passed_over:
            if not left:
                break
            left -= self._held_by(doc, left, index)
        return numbers - left

    def _held_by(self, doc: Document, numbers: set[int], index: _NeedleIndex | None
                 ) -> set[int]:
        """The needles among `numbers` that the public `doc` holds."""
        text = _public_text(doc)
        if index is not None and len(numbers) > FEW_NEEDLES:
            return index.found_in(text, self.texts) & numbers
        # a few needles: looked for one by one, quicker than the index
        return {n for n in numbers if _occurs_as_words(self.texts[n], text)}


FEED_NAMES = ("feed.xml", "atom.xml")  # the site's feeds and each series'


def _as_xml_text(text: str) -> str:
    """`text` escaped as a feed writer escapes an element's text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _longest_word(text: str) -> str:
    return max(_WORD.findall(text), key=len, default="")


_WORD = re.compile(r"[^\W_]+")


def _public_text(doc: Document) -> str:
    return _squash(doc.title) + _CUT + _plain(doc.rendered.html)


class _Texts(Sequence[str]):
    """The text needles, as one block of UTF-8 (at 10,000 posts, a hundred thousand
    strings of their own would take a third more memory in every process)."""

    def __init__(self, texts: list[str]):
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        self._block = b"".join(encoded)
        self._starts = array("Q", accumulate(map(len, encoded), initial=0))
        self._char_starts = array("Q", accumulate(map(len, texts), initial=0))
        self._prefixes: list[str] | None = None

    @property
    def prefixes(self) -> list[str]:
        """What each is looked up by (`_prefix`), cut from the block decoded once: decoding
        a hundred thousand texts one by one costs a rebuild 90 ms at 10,000 posts. Made
        when first asked for, not with the texts: strings made while those are alive
        would keep the memory they leave from being given back."""
        if self._prefixes is None:
            whole = self._block.decode("utf-8", "surrogatepass")
            wide, narrow = MIN_SENTENCE, MIN_TITLE
            starts = self._char_starts
            self._prefixes = [whole[start:min(end, start + (wide if end - start >= wide
                                                            else narrow))]
                              for start, end in pairwise(starts)]
        return self._prefixes

    def forget_prefixes(self) -> None:
        self._prefixes = None

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, number: int) -> str: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[str]: ...

    def __getitem__(self, number: int | slice) -> str | Sequence[str]:
        if isinstance(number, slice):
            return [self[n] for n in range(*number.indices(len(self)))]
        if not 0 <= number < len(self):
            raise IndexError(number)
        return self._block[self._starts[number]:self._starts[number + 1]].decode(
            "utf-8", "surrogatepass")


class _NeedleIndex:
    """Finds many needles in a text at once. Each needle is filed under its prefix
    (`_prefixes`); the text's windows of those widths at word starts are collected, and
    only needles whose window occurs are looked for. The needles of a prefix are found
    by bisecting the prefixes' hashes in order: an array, not a list of the prefixes,
    because a forked worker that touched the strings themselves (their reference counts)
    would copy the pages holding them, up to 20 MB in each process at 10,000 posts. (A
    dict of every prefix would take 7 MB more in every process.) Workers share the
    hashes: they fork from the process that filed them."""

    def __init__(self, texts: Sequence[str], numbers: Iterable[int]):
        numbers = list(numbers)
        prefixes = _prefixes(texts, numbers)
        filed = sorted(zip(map(hash, prefixes), numbers, strict=True))
        self.hashes = array("q", [hashed for hashed, _ in filed])
        self.numbers = array("I", [number for _, number in filed])
        self.widths = sorted({len(p) for p in prefixes})
        self.prefixes = frozenset(prefixes)  # looked up without touching the strings

    def found_in(self, text: str, texts: Sequence[str]) -> set[int]:
        """The needles in `text` (squashed, like the needles)."""
        found: set[int] = set()
        hashes, filed = self.hashes, len(self.hashes)
        for windows in _windows(text, self.widths):
            for prefix in set(filter(self.prefixes.__contains__, windows)):
                hashed = hash(prefix)
                at = bisect_left(hashes, hashed)
                # another prefix of the same hash only adds a needle that is not there
                while at < filed and hashes[at] == hashed:
                    number = self.numbers[at]
                    if number not in found and _occurs_as_words(texts[number], text):
                        found.add(number)
                    at += 1
        return found


class _NeedleScan:
    """`_NeedleIndex` turned around, for a few outputs: each output's windows are
    collected, and every needle's first characters are looked up in them (quicker than
    filing a hundred thousand needles to check one page)."""

    def __init__(self, texts: Sequence[str], numbers: Iterable[int]):
        self.numbers = list(numbers)
        self.prefixes = _prefixes(texts, self.numbers)
        self.widths = sorted({len(p) for p in self.prefixes})

    def found_in(self, text: str, texts: Sequence[str]) -> set[int]:
        candidates: set[int] = set()
        for windows in map(set, _windows(text, self.widths)):
            candidates.update(compress(self.numbers, map(windows.__contains__, self.prefixes)))
        return {number for number in candidates if _occurs_as_words(texts[number], text)}


def _prefixes(texts: Sequence[str], numbers: list[int]) -> list[str]:
    """What each needle is looked up by (`_prefix`)."""
    if isinstance(texts, _Texts):
        return list(map(texts.prefixes.__getitem__, numbers))
    wide, narrow = MIN_SENTENCE, MIN_TITLE  # (`_prefix` of each, written out: quicker)
    return [text[:wide] if len(text) >= wide else text[:narrow]
            for text in map(texts.__getitem__, numbers)]


def _prefix(text: str) -> str:
    """Its first 12 characters, or 32 for a needle as long as a sentence (so few share
    them)."""
    return text[:MIN_SENTENCE] if len(text) >= MIN_SENTENCE else text[:MIN_TITLE]


WINDOWS_AT_ONCE = 4096  # word starts whose windows are held at a time


def _windows(text: str, widths: Sequence[int]) -> Iterator[Iterator[str]]:
    """The text's pieces of these widths that start where a needle may start, a part of
    the text at a time (the windows of a 1 MB sitemap, all at once, would take 30 MB)."""
    starts = _word_starts(text)
    for first in range(0, len(starts), WINDOWS_AT_ONCE):
        part = starts[first:first + WINDOWS_AT_ONCE]
        yield chain.from_iterable([  # made now, for this part: not when read
            map(text.__getitem__, map(slice, part, map(add, part, repeat(width))))
            for width in widths])


def _word_starts(text: str) -> list[int]:
    """Where a needle may start in a squashed text: at each character not preceded by
    part of a word, that is, after a space or after punctuation (counting word lengths
    is far quicker than testing every character)."""
    starts = list(map(add, accumulate(map(len, text.split(" ")), initial=0), count()))
    starts.pop()  # one past the end
    starts += [match.end() for match in _INNER_START.finditer(text)]
    return starts


def _occurs_as_words(needle: str, text: str) -> bool:
    """`needle` in `text`, starting and ending on word boundaries ("New" is not in
    "Newer"). A needle ending in punctuation ends a word wherever it ends ("friends." is
    in "friends.Now"); one starting with it must still start after a space or punctuation,
    where `_word_starts` looks."""
    start = text.find(needle)
    needs_end_boundary = _is_word_char(needle[-1])
    while start != -1:
        end = start + len(needle)
        if not (start > 0 and _is_word_char(text[start - 1])) and not (
                needs_end_boundary and end < len(text) and _is_word_char(text[end])):
            return True
        start = text.find(needle, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _in_own_folder(page: str) -> Callable[[str], bool]:
    """An unlisted post's page, or a file beside it (its own photo, a drawing that links
    to the photo)."""
    folder = posixpath.dirname(page) + "/"
    return lambda path: path == page or (folder != "/" and path.startswith(folder))


def _address_allowed_in(site: Site, doc: Document) -> Callable[[str], bool]:
    """Where a non-public post's address may be: its own page and the files beside it;
    for a protected post (whose files are inside its payload) its page and the listings
    that show it as a locked entry (home, archive, its series page)."""
    visibility = site.visibility(doc)
    if visibility is not Visibility.PROTECTED:
        return (_in_own_folder(output_path_for(doc.url)) if visibility.is_written
                else lambda path: False)
    own = output_path_for(doc.url)
    series = site.series_of(doc)
    series_page = output_path_for(series.series.url) if series else None

    def allowed(path: str) -> bool:
        return (path in (own, "index.html", series_page)
                or path.startswith(("page/", "archive/")))

    return allowed


def image_problem(path: str, data: bytes) -> Problem | None:
    """A published image that still carries a location, or a file that may hold one that
    veil cannot take out (a phone's HEIC photo or video, copied from static/, say)."""
    where = PurePosixPath(path)
    if is_image(where) or looks_like_image(data):
        try:
            located = has_location(data)
        except Exception:
            located = True
        if located:
            return Problem(Location(Path(path)), f"output `{path}` still carries GPS data "
                           "after cleaning, or cannot be read to tell. Nothing was written.",
                           "remove the location from the image, or re-save it as JPEG, PNG "
                           "or WebP")
        return None
    # (a page may quote the words a file keeps a place in; it keeps none itself)
    refusal = None if path.endswith(TEXT_SUFFIXES) else location_refusal(where, data)
    if refusal is not None:
        return Problem(Location(Path(path)), f"output `{path}`: {refusal}. Nothing was "
                       "written.", LOCATION_FIX)
    return None


def _problem(site: Site, path: str, needle: Needle) -> Problem:
    level = {Visibility.UNLISTED: "unlisted", Visibility.PROTECTED: "protected"}.get(
        site.visibility(needle.doc), "unpublished")
    shown = needle.text if len(needle.text) <= 60 else needle.text[:57] + "..."
    return Problem(
        Location(needle.doc.source),
        f"leak check: output `{path}` would contain the {needle.what} of this {level} "
        f"{needle.doc.kind.value}: “{shown}”. Nothing was written.",
        "take it out of whatever puts it there: HTML written into a post, or a template "
        "of this site (a template must use only the collections it is given); if nothing "
        "of yours does, this is a bug in veil: please report it",
    )
