"""Read a WordPress eXtended RSS (WXR) export into plain records.

Parsed with defusedxml: entity expansion ("billion laughs"), external entities and DTDs
are refused. A malformed or truncated export is an error naming its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import Location, Problem, VeilError

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WP_VERSIONS = ("1.2", "1.1", "1.0")


@dataclass(frozen=True)
class WxrComment:
    comment_id: str
    parent_id: str
    author: str
    date: str  # "YYYY-MM-DD HH:MM:SS", the blog's local time
    html: str
    approved: bool
    kind: str  # "" or "comment" for comments; pingback/trackback otherwise


@dataclass(frozen=True)
class WxrItem:
    post_id: str
    post_type: str  # post, page, attachment, ...
    status: str  # publish, private, draft, pending, future, trash, auto-draft, inherit
    title: str
    slug: str
    date: str
    link: str
    html: str
    excerpt: str
    password: str
    parent_id: str
    attachment_url: str
    image_alt: str  # an attachment's own alt text (`_wp_attachment_image_alt`), if written
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    comments: tuple[WxrComment, ...] = field(default=())


@dataclass(frozen=True)
class WxrSite:
    title: str
    base_url: str
    items: tuple[WxrItem, ...]


def read_wxr(path: Path) -> WxrSite:
    try:
        tree = SafeET.parse(path, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise VeilError([Problem(Location(path), f"this export declares entities or a DTD, "
                                 f"which veil refuses to read ({type(exc).__name__})",
                                 "export again from WordPress (Tools → Export); a real "
                                 "export has no <!DOCTYPE> or <!ENTITY>")]) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise VeilError([Problem(Location(path, line), f"this export is not well-formed XML: "
                                 f"{exc}", "the file may be cut short: export it again")]) \
            from None
    root = tree.getroot()
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise VeilError([Problem(Location(path, 1), "this is not a WordPress export (no "
                                 "<rss><channel>)", "use the file from Tools → Export")])
    wp = _wp_namespace(root, channel)
    items = tuple(_item(element, wp) for element in channel.findall("item"))
    return WxrSite(
        title=_text(channel, "title"),
        base_url=_text(channel, f"{{{wp}}}base_blog_url") or _text(channel, "link"),
        items=items,
    )


def _wp_namespace(root: Element, channel: Element) -> str:
    for version in WP_VERSIONS:
        uri = f"http://wordpress.org/export/{version}/"
        if channel.find(f"{{{uri}}}wxr_version") is not None or root.find(
                f".//{{{uri}}}post_id") is not None:
            return uri
    return f"http://wordpress.org/export/{WP_VERSIONS[0]}/"


def _text(element: Element, tag: str) -> str:
    found = element.find(tag, NS) if ":" in tag and not tag.startswith("{") else element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _item(element: Element, wp: str) -> WxrItem:
    def wpt(name: str) -> str:
        return _text(element, f"{{{wp}}}{name}")

    categories, tags = [], []
    for category in element.findall("category"):
        name = (category.text or "").strip()
        if not name:
            continue
        (tags if category.get("domain") == "post_tag" else categories).append(name)
    return WxrItem(
        post_id=wpt("post_id"),
        post_type=wpt("post_type") or "post",
        status=wpt("status") or "draft",
        title=_text(element, "title"),
        slug=wpt("post_name"),
        date=wpt("post_date"),
        link=_text(element, "link"),
        html=_raw(element, f"{{{NS['content']}}}encoded"),
        excerpt=_raw(element, f"{{{NS['excerpt']}}}encoded"),
        password=_raw(element, f"{{{wp}}}post_password"),
        parent_id=wpt("post_parent"),
        attachment_url=wpt("attachment_url"),
        image_alt=_postmeta(element, wp, "_wp_attachment_image_alt"),
        categories=tuple(dict.fromkeys(categories)),
        tags=tuple(dict.fromkeys(tags)),
        comments=tuple(_comment(c, wp) for c in element.findall(f"{{{wp}}}comment")),
    )


def _postmeta(element: Element, wp: str, key: str) -> str:
    for meta in element.findall(f"{{{wp}}}postmeta"):
        if _text(meta, f"{{{wp}}}meta_key") == key:
            return _text(meta, f"{{{wp}}}meta_value")
    return ""


def _raw(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _comment(element: Element, wp: str) -> WxrComment:
    def wpt(name: str) -> str:
        return _text(element, f"{{{wp}}}{name}")

    return WxrComment(
        comment_id=wpt("comment_id"),
        parent_id=wpt("comment_parent"),
        author=wpt("comment_author"),
        date=wpt("comment_date"),
        html=_raw(element, f"{{{wp}}}comment_content"),
        approved=wpt("comment_approved") == "1",
        kind=wpt("comment_type"),
    )
