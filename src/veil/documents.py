"""Who a linked document says made it.

Writers publish under a pen name, but a PDF, Word or LibreOffice file linked from a post
keeps the names its programs wrote into it: the author and last editor in its properties,
the account behind each comment or tracked change, the employer the office suite was
registered to. One such name in a published file undoes the pen name, so these names are
read here, for the build to show the writer before the file goes out. Nothing is changed.

The bytes are untrusted. XML is parsed with defusedxml (no entity expansion, no external
entities); zip members and compressed PDF streams are inflated only up to a budget per
document; input that cannot be read gives the names read before it, never an exception.
"""

from __future__ import annotations

import contextlib
import io
import lzma
import posixpath
import re
import string
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import PurePosixPath
from typing import IO, Literal
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

Kind = Literal["pdf", "office"]

PDF_SUFFIXES = frozenset({".pdf"})
OOXML_SUFFIXES = frozenset({
    ".docx", ".docm", ".dotx", ".dotm",
    ".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xlam",
    ".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm", ".ppam", ".sldx", ".sldm",
    ".vsdx", ".vsdm", ".vstx", ".vstm"})
ODF_SUFFIXES = frozenset({".odt", ".ott", ".ods", ".ots", ".odp", ".otp", ".odg", ".otg",
                          ".odm"})
_OFFICE_SUFFIXES = OOXML_SUFFIXES | ODF_SUFFIXES

# All zip members and PDF streams of one document together, nested documents included.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
# A document inside a document (a chart's workbook inside a letter) is read; one inside
# that too, no deeper.
_MAX_NESTING = 2
# PDF strings are read byte by byte: a file of nothing but "/Author (" must stay quick.
_MAX_PDF_TEXT = 4 * 1024 * 1024
_MAX_PDF_VALUES = 10_000

_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
# Readers accept a PDF whose header comes after up to a kilobyte of other bytes.
_PDF_HEADER_WINDOW = 1024

_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError,
               ValueError, zlib.error, lzma.LZMAError)  # RuntimeError: encrypted members
_XML_ERRORS = (ParseError, DefusedXmlException, ValueError, LookupError)
_BLANK = string.whitespace + "\x00\ufeff"


def document_authors(name: str, data: bytes) -> list[str]:
    """The people, accounts and organisations a document names in its own properties, its
    comments and its tracked changes, each once, in the order found; [] for a file that is
    not a PDF, Office Open XML or OpenDocument file, or that names no one."""
    kind = _kind(name, data)
    if kind is None:
        return []
    return _unique(_authors(kind, data, _Budget(), depth=0))


def is_document(name: str, data: bytes) -> bool:
    """A PDF, Office Open XML or OpenDocument file, by its name or by its bytes."""
    return _kind(name, data) is not None


def _kind(name: str, data: bytes) -> Kind | None:
    suffix = PurePosixPath(name).suffix.lower()
    if data.startswith(_ZIP_MAGIC) and (suffix in _OFFICE_SUFFIXES or _looks_like_office(data)):
        return "office"
    if _PDF_MAGIC in data[:_PDF_HEADER_WINDOW] or suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in _OFFICE_SUFFIXES:
        return "office"
    return None


def _looks_like_office(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name.lower() for name in archive.namelist()}
    except _ZIP_ERRORS:
        return False
    return not names.isdisjoint({"[content_types].xml", "meta.xml"})


@dataclass
class _Budget:
    """What reading one document may still cost: bytes inflated from zip members and PDF
    streams; PDF strings read, and their bytes."""

    inflated: int = MAX_INFLATED_BYTES
    pdf_text: int = _MAX_PDF_TEXT
    pdf_values: int = _MAX_PDF_VALUES

    def inflate(self, size: int) -> bool:
        """Whether size more bytes may be inflated; if so, they are counted."""
        if size > self.inflated:
            return False
        self.inflated -= size
        return True


def _authors(kind: Kind, data: bytes, budget: _Budget, depth: int) -> Iterator[str]:
    if kind == "pdf":
        yield from _pdf_authors(data, budget)
    else:
        yield from _office_authors(data, budget, depth)


def _unique(names: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for name in names:
        cleaned = name.strip(_BLANK)
        if cleaned:
            found.setdefault(cleaned)
    return list(found)


# ---------------------------------------------------------------- Office Open XML, ODF


@dataclass(frozen=True)
class _Fields:
    """Where an XML part names people: elements whose text does, attributes whose value
    does, and custom properties (<property name="...">) whose value does. Matched by local
    name, so the strict and transitional Office namespaces are both read."""

    elements: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()
    properties: frozenset[str] = frozenset()

    def names_by_text(self, element: Element) -> bool:
        local = _local(element.tag)
        return local in self.elements or (
            local == "property" and element.get("name") in self.properties)


# Application, Template and generator are programs, not people: not read.
_PROPERTY_FIELDS = _Fields(
    elements=frozenset({"creator", "lastModifiedBy", "Company", "Manager",
                        "initial-creator", "printed-by"}),
    # written by Outlook's "send for review"
    properties=frozenset({"_AuthorEmail", "_AuthorEmailDisplayName"}))
# w:author of comments and tracked changes; w15:person and its signed-in account
_WORD_FIELDS = _Fields(attributes=frozenset({"author", "userId"}))
_SHEET_COMMENT_FIELDS = _Fields(elements=frozenset({"author"}))
_SHEET_PEOPLE_FIELDS = _Fields(attributes=frozenset({"displayName", "userId"}))
_SLIDE_PEOPLE_FIELDS = _Fields(attributes=frozenset({"name", "userId"}))
# dc:creator of annotations and tracked changes
_ODF_BODY_FIELDS = _Fields(elements=frozenset({"creator"}))

_DEFAULT_PROPERTY_PARTS = frozenset({"docprops/core.xml", "docprops/app.xml",
                                     "docprops/custom.xml"})
_PROPERTY_RELATIONSHIPS = ("/core-properties", "/extended-properties", "/custom-properties")


def _office_authors(data: bytes, budget: _Budget, depth: int) -> Iterator[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return
    with archive:
        property_parts = _property_parts(archive, budget)
        members = [member for member in archive.infolist() if not member.is_dir()]
        # properties first, so that a large body cannot spend the budget they need
        members.sort(key=lambda member: _fields_for(member.filename.lower(), property_parts)
                     is not _PROPERTY_FIELDS)
        for member in members:
            fields = _fields_for(member.filename.lower(), property_parts)
            if fields is not None:
                yield from _part_authors(archive, member, fields, budget)
            elif depth < _MAX_NESTING and _is_embedded_document(member.filename):
                yield from _embedded_authors(archive, member, budget, depth)


def _property_parts(archive: zipfile.ZipFile, budget: _Budget) -> frozenset[str]:
    """Where the package's relationships put its properties (nearly always docProps/)."""
    parts = set(_DEFAULT_PROPERTY_PARTS)
    with contextlib.suppress(KeyError, *_ZIP_ERRORS, *_XML_ERRORS):
        member = archive.getinfo("_rels/.rels")
        if budget.inflate(member.file_size):
            for relationship in SafeET.fromstring(archive.read(member)).iter():
                if relationship.get("Type", "").endswith(_PROPERTY_RELATIONSHIPS):
                    target = posixpath.normpath("/" + relationship.get("Target", ""))
                    parts.add(target.lstrip("/").lower())
    return frozenset(parts)


def _fields_for(part: str, property_parts: frozenset[str]) -> _Fields | None:
    """The fields that name people in a zip member, by its lower-cased path."""
    folder, _, base = part.rpartition("/")
    if part in property_parts or base == "meta.xml":
        return _PROPERTY_FIELDS
    if not base.endswith(".xml"):
        return None
    top = part.partition("/")[0]
    if top == "word":
        return _WORD_FIELDS
    if top == "xl" and base.startswith("comments"):
        return _SHEET_COMMENT_FIELDS
    if folder == "xl/persons":
        return _SHEET_PEOPLE_FIELDS
    if part in ("ppt/commentauthors.xml", "ppt/authors.xml"):
        return _SLIDE_PEOPLE_FIELDS
    if base in ("content.xml", "styles.xml"):
        return _ODF_BODY_FIELDS
    return None


def _part_authors(archive: zipfile.ZipFile, member: zipfile.ZipInfo, fields: _Fields,
                  budget: _Budget) -> Iterator[str]:
    # zipfile stops at the declared size, so what is taken from the budget is all that is
    # inflated, whatever the compressed bytes hold
    if not budget.inflate(member.file_size):
        return
    try:
        with archive.open(member) as part:
            yield from _xml_people(part, fields)
    except _ZIP_ERRORS:
        return


def _is_embedded_document(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in _OFFICE_SUFFIXES | PDF_SUFFIXES


def _embedded_authors(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _Budget,
                      depth: int) -> Iterator[str]:
    if not budget.inflate(member.file_size):
        return
    try:
        data = archive.read(member)
    except _ZIP_ERRORS:
        return
    kind = _kind(member.filename, data)
    if kind is not None:
        yield from _authors(kind, data, budget, depth + 1)


def _xml_people(source: IO[bytes], fields: _Fields) -> Iterator[str]:
    """The names an XML document holds in fields; those before a parse error count."""
    try:
        yield from _streamed_people(source, fields)
    except (*_XML_ERRORS, *_ZIP_ERRORS):
        return


def _streamed_people(source: IO[bytes], fields: _Fields) -> Iterator[str]:
    # Read as a stream, each element dropped once read, so a large body stays small.
    open_elements: list[Element] = []
    inside_field = 0
    for event, element in SafeET.iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            inside_field += fields.names_by_text(element)
            for attribute, value in element.attrib.items():
                if _local(attribute) in fields.attributes:
                    yield value
            continue
        open_elements.pop()
        if fields.names_by_text(element):
            inside_field -= 1
            yield from _texts(element)
        if not inside_field and open_elements:
            # the first child: every sibling before it has been dropped already
            open_elements[-1].remove(element)


def _texts(element: Element) -> Iterator[str]:
    """Each piece of text in an element: one per rdf:li of an XMP list."""
    for node in element.iter():
        if node.text and node.text.strip():
            yield node.text


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# ---------------------------------------------------------------- PDF

_WHITE = rb"[\0\t\n\f\r ]"
# what may follow a name or keyword: white space, a delimiter, or the end
_TOKEN_END = rb"(?![^\0\t\n\f\r ()<>\[\]{}/%])"
_SPACE_AND_COMMENTS = re.compile(rb"(?:" + _WHITE + rb"+|%[^\r\n]*)*")
_REFERENCE = re.compile(rb"(\d{1,10})" + _WHITE + rb"+\d{1,5}" + _WHITE + rb"+R" + _TOKEN_END)
_OBJ_KEYWORD = re.compile(rb"obj" + _TOKEN_END)
# what precedes "obj": searched for only behind each "obj", as a pattern that starts with
# digits would be tried at every byte of the file
_OBJECT_NUMBER = re.compile(
    rb"(?<![0-9])([0-9]{1,10})" + _WHITE + rb"+[0-9]{1,5}" + _WHITE + rb"+\Z")
_OBJECT_NUMBER_WINDOW = 64
_STREAM_START = re.compile(rb">>" + _WHITE + rb"*stream(?:\r\n|\n|\r)")
# Only these streams can hold properties: object streams (packed dictionaries, such as
# the Info dictionary of a PDF that Word saves) and XMP metadata. Page contents, fonts and
# images are not inflated.
_PROPERTY_STREAM = re.compile(rb"/Type" + _WHITE + rb"*/(?:ObjStm|Metadata)" + _TOKEN_END)
# the trailer's /Encrypt: every string and stream of the file is enciphered
_ENCRYPTION = re.compile(
    rb"/Encrypt" + _WHITE + rb"*(?:<<|\d{1,10}" + _WHITE + rb"+\d{1,5}" + _WHITE + rb"+R)")
_FIRST_OFFSET = re.compile(rb"/First" + _WHITE + rb"+(\d{1,10})")
_INTEGER = re.compile(rb"\d{1,10}")
_XMP_START = re.compile(rb"<(x:x[am]pmeta|rdf:RDF)" + _TOKEN_END)
_LITERAL_PLAIN = re.compile(rb"[^()\\]+")
_MARKUP_ANNOTATION = re.compile(
    rb"/Subtype" + _WHITE + rb"*/(?:Text|FreeText|Line|Square|Circle|Polygon|PolyLine"
    rb"|Highlight|Underline|Squiggly|StrikeOut|Stamp|Caret|Ink|FileAttachment|Sound|Redact"
    rb"|Popup)" + _TOKEN_END)
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
# A PDF 2.0 text string may mark its language between two ESC characters.
_LANGUAGE_MARK = re.compile("\x1b[^\x1b]*\x1b")

_MAX_STREAM_DICTIONARY = 4096
_MAX_PDF_OBJECT = 1024 * 1024
_MAX_ANNOTATION = 64 * 1024
_MAX_PDF_STRING = 4096  # longer is no name; its start is still reported
_INFLATE_CHUNK = 64 * 1024

_XMP_FIELDS = _Fields(elements=frozenset({"creator", "contributor", "Author"}),
                      attributes=frozenset({"Author"}))

# Where PDFDocEncoding, the encoding of text strings without a byte order mark, differs
# from Latin-1.
_PDFDOC_DIFFERENCES = {
    **dict(zip(range(0x18, 0x20), "˘ˇˆ˙˝˛˚˜", strict=True)),
    **dict(zip(range(0x80, 0xA1), "•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž\ufffd€", strict=True)),
}
_ESCAPED = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
            ord("f"): b"\f", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


def _pdf_name(name: str) -> re.Pattern[bytes]:
    """A PDF name however it is spelled: any character may be written #xx (/Auth#6fr)."""
    spelled = b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(char.encode()), ord(char))
                       for char in name)
    return re.compile(b"/" + spelled + _TOKEN_END)


# /Creator and /Producer name programs, not people: not read.
_AUTHOR_KEY = _pdf_name("Author")
# the title of a comment is the name of whoever wrote it
_ANNOTATION_AUTHOR_KEY = _pdf_name("T")


class _PdfObjects:
    """Object bodies by number, for following a reference. The objects written out in the
    file are indexed when a reference is first followed: most files need none."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._plain: dict[int, bytes] | None = None
        self._packed: dict[int, bytes] = {}
        self.packed_bodies: list[bytes] = []

    def add_packed(self, objects: Iterable[tuple[int, bytes]]) -> None:
        for number, body in objects:
            self.packed_bodies.append(body)
            self._packed[number] = body

    def get(self, number: int) -> bytes | None:
        if self._plain is None:
            self._plain = dict(_plain_objects(self._data))
        return self._plain.get(number, self._packed.get(number))


def _pdf_authors(data: bytes, budget: _Budget) -> Iterator[str]:
    if _ENCRYPTION.search(data):
        # Its strings would read as noise: only metadata left in the clear is read.
        yield from _xmp_authors(data)
        return
    # Every /Author in the file is read, not only the one the trailer names: a PDF edited
    # in place still holds the Info dictionary of each earlier revision.
    sources = [data]
    objects = _PdfObjects(data)
    for dictionary, content in _property_streams(data, budget):
        sources.append(content)
        objects.add_packed(_packed_objects(dictionary, content))
    for source in sources:
        yield from _pdf_values(source, _AUTHOR_KEY, objects, budget)
        yield from _xmp_authors(source)
    packed_comments = (body for body in objects.packed_bodies if _MARKUP_ANNOTATION.search(body))
    for comment in chain(_plain_comments(data), packed_comments):
        yield from _pdf_values(comment, _ANNOTATION_AUTHOR_KEY, objects, budget)


def _plain_comments(source: bytes) -> Iterator[bytes]:
    """The comments (markup annotations) written out in the file, each an object's body."""
    read_to = 0
    for subtype in _MARKUP_ANNOTATION.finditer(source):
        if subtype.start() < read_to:
            continue
        window_start = max(0, subtype.start() - _MAX_ANNOTATION)
        start = source.rfind(b"obj", window_start, subtype.start())
        end = source.find(b"endobj", subtype.end(), subtype.end() + _MAX_ANNOTATION)
        read_to = end if end >= 0 else subtype.end() + _MAX_ANNOTATION
        yield source[start + 3 if start >= 0 else window_start:read_to]


def _plain_objects(source: bytes) -> Iterator[tuple[int, bytes]]:
    """Objects written out in the file ("12 0 obj ... endobj"), without their stream data."""
    headers = list(_object_headers(source))
    ends = [header_start for _, header_start, _ in headers[1:]] + [len(source)]
    for (number, _, start), next_header in zip(headers, ends, strict=False):
        end = min(next_header, start + _MAX_PDF_OBJECT)
        stream = _STREAM_START.search(source, start, end)
        if stream:
            end = stream.start() + 2
        end_keyword = source.find(b"endobj", start, end)
        yield number, source[start:end if end_keyword < 0 else end_keyword]


def _object_headers(source: bytes) -> Iterator[tuple[int, int, int]]:
    """Each "12 0 obj": the object's number, where its header starts and its body starts."""
    for keyword in _OBJ_KEYWORD.finditer(source):
        window_start = max(0, keyword.start() - _OBJECT_NUMBER_WINDOW)
        number = _OBJECT_NUMBER.search(source[window_start:keyword.start()])
        if number:
            yield int(number[1]), window_start + number.start(), keyword.end()


def _property_streams(data: bytes, budget: _Budget) -> Iterator[tuple[bytes, bytes]]:
    """Each Flate-compressed object or metadata stream: its dictionary and inflated data."""
    for stream in _STREAM_START.finditer(data):
        if budget.inflated <= 0:
            return
        dictionary = _stream_dictionary(data, stream.start() + 2)
        if _PROPERTY_STREAM.search(dictionary) and b"/FlateDecode" in dictionary:
            content = _inflate(data, stream.end(), budget)
            if content:
                yield dictionary, content


def _stream_dictionary(data: bytes, end: int) -> bytes:
    window = data[max(0, end - _MAX_STREAM_DICTIONARY):end]
    start = window.rfind(b"obj")
    return window if start < 0 else window[start + 3:]


def _inflate(data: bytes, start: int, budget: _Budget) -> bytes:
    """A zlib stream starting at start, up to the budget; what precedes a corrupt part."""
    end = data.find(b"endstream", start)
    compressed = memoryview(data)[start:end if end >= 0 else len(data)]
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    for offset in range(0, len(compressed), _INFLATE_CHUNK):
        if budget.inflated <= 0 or inflater.eof:
            break
        try:
            part = inflater.decompress(compressed[offset:offset + _INFLATE_CHUNK],
                                       budget.inflated)
        except zlib.error:
            break
        budget.inflated -= len(part)
        parts.append(part)
    return b"".join(parts)


def _packed_objects(dictionary: bytes, content: bytes) -> Iterator[tuple[int, bytes]]:
    """The objects of an object stream: its header pairs numbers with offsets."""
    first = _FIRST_OFFSET.search(dictionary)
    if first is None:
        return
    first_offset = int(first[1])
    numbers = [int(number) for number in
               _INTEGER.findall(content, 0, min(first_offset, len(content)))]
    pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
    starts = [first_offset + offset for _, offset in pairs]
    for index, (number, _) in enumerate(pairs):
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(content)
        if end <= start:
            end = len(content)
        yield number, content[start:min(end, start + _MAX_PDF_OBJECT)]


def _pdf_values(source: bytes, key: re.Pattern[bytes], objects: _PdfObjects,
                budget: _Budget) -> Iterator[str]:
    for match in key.finditer(source):
        if budget.pdf_text <= 0 or budget.pdf_values <= 0:
            return
        budget.pdf_values -= 1
        text = _pdf_string(source, match.end(), objects, budget)
        if text is not None:
            yield text


def _pdf_string(source: bytes, position: int, objects: _PdfObjects | None,
                budget: _Budget) -> str | None:
    """The text string at position, or the one a reference there points to."""
    space = _SPACE_AND_COMMENTS.match(source, position)
    position = space.end() if space else position
    opening = source[position:position + 2]
    if opening[:1] == b"(":
        return _pdf_text(_literal_string(source, position + 1, budget))
    if opening[:1] == b"<" and opening != b"<<":
        return _pdf_text(_hex_string(source, position + 1, budget))
    reference = _REFERENCE.match(source, position)
    if reference and objects is not None:
        body = objects.get(int(reference[1]))
        if body is not None:
            # one step only: a reference to a reference is not a text string
            return _pdf_string(body, 0, None, budget)
    return None


def _literal_string(source: bytes, start: int, budget: _Budget) -> bytes:
    """The bytes of a (literal string) whose opening parenthesis is just before start."""
    out = bytearray()
    depth = 0
    index = start
    end = min(len(source), start + _MAX_PDF_STRING, start + budget.pdf_text)
    while index < end:
        plain = _LITERAL_PLAIN.match(source, index, end)
        if plain:
            out += plain[0]
            index = plain.end()
            continue
        byte = source[index]
        index += 1
        if byte == 0x5C:  # backslash
            index = _unescape(source, index, end, out)
            continue
        if byte == 0x28:  # balanced parentheses need no escape
            depth += 1
        elif depth == 0:
            break
        else:
            depth -= 1
        out.append(byte)
    budget.pdf_text -= index - start
    return bytes(out)


def _unescape(source: bytes, index: int, end: int, out: bytearray) -> int:
    """Append what the escape after a backslash stands for; return where it ends."""
    if index >= end:
        return index
    escaped = source[index]
    if escaped in _ESCAPED:
        out += _ESCAPED[escaped]
        return index + 1
    if 0x30 <= escaped <= 0x37:  # \d, \dd or \ddd in octal
        digits_end = index
        while digits_end < min(index + 3, end) and 0x30 <= source[digits_end] <= 0x37:
            digits_end += 1
        out.append(int(source[index:digits_end], 8) & 0xFF)
        return digits_end
    if escaped == 0x0D:  # a backslash before the end of a line joins the lines
        return index + 2 if source[index + 1:index + 2] == b"\n" else index + 1
    if escaped == 0x0A:
        return index + 1
    out.append(escaped)  # an unknown escape is the character itself
    return index + 1


def _hex_string(source: bytes, start: int, budget: _Budget) -> bytes:
    """The bytes of a <hex string> whose opening bracket is just before start."""
    limit = min(len(source), start + 2 * _MAX_PDF_STRING, start + budget.pdf_text)
    end = source.find(b">", start, limit)
    scanned = source[start:end if end >= 0 else limit]
    budget.pdf_text -= len(scanned) + 1
    digits = _NOT_HEX.sub(b"", scanned)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _pdf_text(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        text = raw[2:].decode("utf-16-be", "replace")
    elif raw.startswith(b"\xff\xfe"):
        text = raw[2:].decode("utf-16-le", "replace")
    elif raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", "replace")
    else:
        text = raw.decode("latin-1").translate(_PDFDOC_DIFFERENCES)
    return _LANGUAGE_MARK.sub("", text)


def _xmp_authors(source: bytes) -> Iterator[str]:
    for packet in _xmp_packets(source):
        yield from _xml_people(io.BytesIO(packet), _XMP_FIELDS)


def _xmp_packets(source: bytes) -> Iterator[bytes]:
    unclosed: set[bytes] = set()  # searched to the end once, never again
    position = 0
    while (start := _XMP_START.search(source, position)) is not None:
        closing = b"</" + start[1] + b">"
        end = -1 if closing in unclosed else source.find(closing, start.end())
        if end < 0:
            unclosed.add(closing)
            position = start.end()
            continue
        position = end + len(closing)
        yield source[start.start():position]
