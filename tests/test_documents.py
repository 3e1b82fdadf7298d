"""The names a linked PDF, Word or LibreOffice file carries in its properties are found."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from veil.documents import MAX_INFLATED_BYTES, document_authors, is_document

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/">'
    "<dc:title>Notes</dc:title><dc:creator>{creator}</dc:creator>"
    "<cp:lastModifiedBy>{modified_by}</cp:lastModifiedBy></cp:coreProperties>")
APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
       'extended-properties"><Application>Microsoft Office Word</Application>'
       "<Company>Acme Insurance</Company></Properties>")
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>')
CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')
DOCUMENT = (f'<w:document xmlns:w="{W}"><w:body><w:p>'
            '<w:ins w:id="1" w:author="Jane Q. Real" w:date="2024-01-01T00:00:00Z">'
            "<w:r><w:t>added</w:t></w:r></w:ins>"
            '<w:del w:id="2" w:author="Editor Two"><w:r><w:delText>gone</w:delText></w:r>'
            "</w:del></w:p></w:body></w:document>")
COMMENTS = (f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Reviewer Name" '
            'w:initials="RN"><w:p><w:r><w:t>see me</w:t></w:r></w:p></w:comment></w:comments>')

ODF_META = (
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
    "<meta:generator>LibreOffice/7.6</meta:generator>"
    "<meta:initial-creator>Jane Q. Real</meta:initial-creator><dc:creator>jreal</dc:creator>"
    "</office:meta></office:document-meta>")
ODF_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text><text:p>Hi'
    "<office:annotation><dc:creator>Odf Reviewer</dc:creator><dc:date>2024-01-01</dc:date>"
    "<text:p>note</text:p></office:annotation></text:p></office:text></office:body>"
    "</office:document-content>")

XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'pdf:Author="Xmp Attribute Author" xmp:CreatorTool="Microsoft Word">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Q. Real</rdf:li><rdf:li>jreal</rdf:li></rdf:Seq>"
    b"</dc:creator><pdf:Producer>Microsoft Word for Microsoft 365</pdf:Producer>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF with a cross-reference table; its objects are numbered from 1, in order."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)
    return bytes(out)


def _pdf_with_info(info: bytes) -> bytes:
    return _pdf(CATALOG, PAGES, PAGE, info, trailer=b"/Info 4 0 R")


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _packed_pdf(*packed: bytes) -> bytes:
    """A PDF 1.5 as Word saves one: the objects after the page, numbered from 5 (the first is
    the Info dictionary), are in a Flate-compressed object stream, found by an xref stream."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate((CATALOG, PAGES, PAGE), 1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    header, bodies = [], b""
    for number, body in enumerate(packed, 5):
        header.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    index = b" ".join(header) + b"\n"
    offsets[4] = len(out)
    out += b"4 0 obj\n%s\nendobj\n" % _stream(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(index)),
        zlib.compress(index + bodies))
    xref_number = 5 + len(packed)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[number], 0) for number in range(1, 5)]
    rows += [struct.pack(">BIH", 2, 4, position) for position in range(len(packed))]
    rows.append(struct.pack(">BIH", 1, len(out), 0))
    xref = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (xref_number, _stream(
        b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Info 5 0 R" % (xref_number + 1),
        b"".join(rows)))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _docx() -> bytes:
    return _zip({
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
        "docProps/core.xml": CORE.format(creator="Jane Q. Real", modified_by="jreal"),
        "docProps/app.xml": APP, "word/document.xml": DOCUMENT,
        "word/comments.xml": COMMENTS})


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for name, content in (("meta.xml", ODF_META), ("content.xml", ODF_CONTENT)):
            archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _declare_size(archive: bytes, member: str, size: int) -> bytes:
    """The zip with member's uncompressed size, in both its headers, replaced by size."""
    patched = bytearray(archive)
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = patched.find(signature)
        while start >= 0:
            if patched[start + name_at:start + name_at + len(name)] == name:
                struct.pack_into("<I", patched, start + size_at, size)
            start = patched.find(signature, start + 1)
    return bytes(patched)


# ---------------------------------------------------------------- PDF


def test_pdf_info_author_is_found() -> None:
    pdf = _pdf_with_info(b"<< /Title (Notes) /Author (Jane Q. Real) /Creator (Microsoft Word)"
                         b" /Producer (macOS Quartz PDFContext) >>")
    assert is_document("notes.pdf", pdf)
    assert document_authors("notes.pdf", pdf) == ["Jane Q. Real"]


def test_pdf_literal_string_escapes_are_read() -> None:
    pdf = _pdf_with_info(rb"<< /Author (Ren\351e \(RR\) Back\\slash \0501\051 Lo\
ng (nested) name\n) >>")
    assert document_authors("a.pdf", pdf) == ["Renée (RR) Back\\slash (1) Long (nested) name"]


def test_pdf_utf16_hex_author_is_found() -> None:
    name = "Zoë Łukasiewicz"
    hex_name = ("FEFF" + name.encode("utf-16-be").hex().upper()).encode()
    pdf = _pdf_with_info(b"<< /Author <%s> >>" % hex_name)
    assert document_authors("a.pdf", pdf) == [name]


def test_pdf_written_by_another_program_names_its_author() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PDF", author="Zoë Real", creator="Scanner App",
                                  producer="Pillow", title="Scan")
    assert document_authors("scan.pdf", out.getvalue()) == ["Zoë Real"]


def test_pdf_doc_encoded_hex_author_is_found() -> None:
    pdf = _pdf_with_info(b"<< /Author <4A 61 6E 65 20 95 6F 64 7A> >>")  # 0x95 is Ł
    assert document_authors("a.pdf", pdf) == ["Jane Łodz"]


def test_pdf_author_in_a_compressed_object_stream_is_found() -> None:
    pdf = _packed_pdf(b"<< /Author (Jane Q. Real) /Creator (Microsoft\\256 Word for Microsoft"
                      b" 365) /Producer (Microsoft\\256 Word) >>")
    assert b"Jane" not in pdf
    assert document_authors("export.pdf", pdf) == ["Jane Q. Real"]


def test_pdf_author_given_by_reference_is_followed() -> None:
    packed = _packed_pdf(b"<< /Author 6 0 R >>", b"(Packed Person)")
    assert document_authors("a.pdf", packed) == ["Packed Person"]
    plain = _pdf(CATALOG, PAGES, PAGE, b"<< /Author 5 0 R >>", b"<FEFF004A006F>",
                 trailer=b"/Info 4 0 R")
    assert document_authors("b.pdf", plain) == ["Jo"]


def test_pdf_xmp_creators_are_found() -> None:
    metadata = _stream(b"/Type /Metadata /Subtype /XML", XMP)
    pdf = _pdf(b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>", PAGES, PAGE, metadata)
    assert document_authors("a.pdf", pdf) == ["Xmp Attribute Author", "Jane Q. Real", "jreal"]


def test_pdf_compressed_xmp_is_found() -> None:
    metadata = _stream(b"/Type /Metadata /Subtype /XML /Filter /FlateDecode",
                       zlib.compress(XMP))
    pdf = _pdf(b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>", PAGES, PAGE, metadata)
    assert document_authors("a.pdf", pdf) == ["Xmp Attribute Author", "Jane Q. Real", "jreal"]


def test_pdf_comment_authors_are_found_but_form_field_names_are_not() -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R 6 0 R] >>"
    note = b"<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /T (jreal) /Contents (hm) >>"
    field = b"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [0 0 90 20] /T (full_name) >>"
    pdf = _pdf(CATALOG, PAGES, page, b"<< >>", note, field)
    assert document_authors("a.pdf", pdf) == ["jreal"]
    packed = _packed_pdf(b"<< >>", note.replace(b"(jreal)", b"<FEFF004A00610079>"), field)
    assert document_authors("b.pdf", packed) == ["Jay"]


def test_pdf_name_spelled_with_hex_escapes_is_read() -> None:
    pdf = _pdf_with_info(b"<< /Auth#6fr (Hidden Spelling) /Authority (Not A Person) >>")
    assert document_authors("a.pdf", pdf) == ["Hidden Spelling"]


def test_earlier_revision_author_is_found_too() -> None:
    pdf = _pdf_with_info(b"<< /Author (Jane Q. Real) >>")
    update = b"4 0 obj\n<< /Author (Pen Name) >>\nendobj\n"
    assert document_authors("a.pdf", pdf + update) == ["Jane Q. Real", "Pen Name"]


def test_pdf_without_author_names_no_one() -> None:
    assert document_authors("a.pdf", _pdf(CATALOG, PAGES, PAGE)) == []
    assert document_authors("a.pdf", _pdf_with_info(b"<< /Title (Notes) /Author () >>")) == []


def test_pdf_creator_and_producer_are_programs_not_people() -> None:
    pdf = _pdf_with_info(b"<< /Creator (Microsoft Word) /Producer (Microsoft: Print To PDF) >>")
    assert document_authors("a.pdf", pdf) == []


def test_pdf_is_known_by_its_bytes_whatever_its_name() -> None:
    pdf = _pdf_with_info(b"<< /Author (Jane Q. Real) >>")
    assert is_document("download", pdf)
    assert document_authors("download", b"junk before the header\n" + pdf) == ["Jane Q. Real"]


def test_pdf_inflation_stops_at_the_budget() -> None:
    # an object stream that inflates past the budget is cut off, and the Info dictionary
    # written out in the file is still read
    flood = _stream(b"/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
                    zlib.compress(b" " * (MAX_INFLATED_BYTES + 1024 * 1024), 9))
    pdf = _pdf(CATALOG, PAGES, PAGE, flood, b"<< /Author (Jane Q. Real) >>",
               trailer=b"/Info 5 0 R")
    assert document_authors("a.pdf", pdf) == ["Jane Q. Real"]


def test_encrypted_pdf_strings_are_not_taken_for_names() -> None:
    ciphertext = b"<< /Author <8F12C3A07E5B99D1> /Producer <77AB01> >>"
    encrypt = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >>"
    pdf = _pdf(CATALOG, PAGES, PAGE, ciphertext, encrypt, trailer=b"/Info 4 0 R /Encrypt 5 0 R")
    assert document_authors("a.pdf", pdf) == []
    clear_metadata = _stream(b"/Type /Metadata /Subtype /XML", XMP)
    pdf = _pdf(CATALOG, PAGES, PAGE, ciphertext, encrypt, clear_metadata,
               trailer=b"/Info 4 0 R /Encrypt 5 0 R")
    assert document_authors("a.pdf", pdf) == ["Xmp Attribute Author", "Jane Q. Real", "jreal"]


def test_broken_and_truncated_pdfs_name_no_one_without_failing() -> None:
    pdf = _packed_pdf(b"<< /Author (Jane Q. Real) >>")
    assert document_authors("a.pdf", pdf[: pdf.index(b"endobj", pdf.index(b"/ObjStm"))]) == [
        "Jane Q. Real"]  # cut off after its object stream, a download still names its author
    for cut in range(pdf.index(b"/ObjStm"), len(pdf), 3):  # at most a piece of the name
        assert all("Jane Q. Real".startswith(name) for name in document_authors("a", pdf[:cut]))
    assert document_authors("a.pdf", b"%PDF-1.4\n1 0 obj << /Author (unterminated") == [
        "unterminated"]
    assert document_authors("a.pdf", b"%PDF-1.4\n<< /Author <FEFF00") == ["\ufffd"]
    assert document_authors("a.pdf", b"%PDF-1.4\n<< /Author 99 0 R >>") == []
    corrupt = _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", b"\x78\x9cnot zlib")
    assert document_authors("a.pdf", _pdf(CATALOG, PAGES, PAGE, corrupt)) == []


# ---------------------------------------------------------------- Office Open XML


def test_docx_properties_comments_and_tracked_changes_name_their_people() -> None:
    docx = _docx()
    assert is_document("letter.docx", docx)
    assert document_authors("letter.docx", docx) == [
        "Jane Q. Real", "jreal", "Acme Insurance", "Editor Two", "Reviewer Name"]


def test_docx_is_known_by_its_contents_whatever_its_name() -> None:
    assert document_authors("letter", _docx())[:2] == ["Jane Q. Real", "jreal"]


def test_properties_where_the_package_relationships_put_them() -> None:
    rels = RELS.replace("docProps/core.xml", "/meta/props.xml")
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": rels,
                 "meta/props.xml": CORE.format(creator="Moved Person", modified_by="")})
    assert document_authors("a.docx", docx) == ["Moved Person"]


def test_spreadsheet_and_slide_comment_authors_are_found() -> None:
    sheet_comments = ('<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                      'main"><authors><author>Sheet Person</author></authors></comments>')
    xlsx = _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/comments1.xml": sheet_comments})
    assert document_authors("book.xlsx", xlsx) == ["Sheet Person"]
    slide_authors = ('<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/'
                     'presentationml/2006/main"><p:cmAuthor id="0" name="Slide Person" '
                     'initials="SP" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>')
    pptx = _zip({"[Content_Types].xml": CONTENT_TYPES, "ppt/commentAuthors.xml": slide_authors})
    assert document_authors("talk.pptx", pptx) == ["Slide Person"]


def test_outlook_review_properties_are_found() -> None:
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
              'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
              '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
              'pid="2" name="_AuthorEmail"><vt:lpwstr>jane@example.org</vt:lpwstr></property>'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" '
              'name="Department"><vt:lpwstr>Claims</vt:lpwstr></property></Properties>')
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "docProps/custom.xml": custom})
    assert document_authors("a.docx", docx) == ["jane@example.org"]


def test_workbook_embedded_in_a_document_is_read() -> None:
    workbook = _zip({"[Content_Types].xml": CONTENT_TYPES, "docProps/core.xml":
                     CORE.format(creator="Chart Maker", modified_by="")})
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES,
                 "word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook})
    assert document_authors("a.docx", docx) == ["Chart Maker"]


def test_docx_without_people_names_no_one() -> None:
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES,
                 "docProps/core.xml": CORE.format(creator="", modified_by=" "),
                 "docProps/app.xml": APP.replace("Acme Insurance", ""),
                 "word/document.xml": f'<w:document xmlns:w="{W}"><w:body/></w:document>'})
    assert document_authors("a.docx", docx) == []


def test_malformed_part_gives_the_names_before_its_fault_and_others_still_count() -> None:
    broken = CORE.format(creator="Before Fault", modified_by="x").replace("</cp:core", "<oops")
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "docProps/core.xml": broken,
                 "word/comments.xml": COMMENTS})
    assert document_authors("a.docx", docx) == ["Before Fault", "x", "Reviewer Name"]


def test_xml_entity_expansion_is_refused() -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              '<cp:coreProperties xmlns:cp="urn:x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
              "<dc:creator>&b;</dc:creator></cp:coreProperties>")
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "docProps/core.xml": laughs,
                 "word/comments.xml": COMMENTS})
    assert document_authors("a.docx", docx) == ["Reviewer Name"]


# ---------------------------------------------------------------- OpenDocument


def test_odt_meta_and_annotation_authors_are_found() -> None:
    odt = _odt()
    assert is_document("story.odt", odt)
    assert is_document("story", odt)
    assert document_authors("story.odt", odt) == ["Jane Q. Real", "jreal", "Odf Reviewer"]


# ---------------------------------------------------------------- what is not read


def test_broken_zip_names_no_one() -> None:
    broken = b"PK\x03\x04" + os.urandom(300)
    assert is_document("letter.docx", broken)
    assert document_authors("letter.docx", broken) == []
    assert document_authors("letter.odt", _odt()[:200]) == []
    assert not is_document("archive", broken)


def test_random_bytes_and_other_files_are_not_documents() -> None:
    noise = bytes(range(256)) * 8
    assert not is_document("notes.bin", noise)
    assert document_authors("notes.bin", noise) == []
    assert document_authors("notes.pdf", noise) == []
    assert document_authors("notes.docx", noise) == []
    assert document_authors("empty.pdf", b"") == []
    plain_zip = _zip({"readme.txt": "hello", "docProps/core.xml": CORE})
    assert not is_document("bundle.zip", plain_zip)
    assert document_authors("bundle.zip", plain_zip) == []


def test_member_declaring_a_huge_size_is_not_read() -> None:
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES,
                 "docProps/core.xml": CORE.format(creator="Never Read", modified_by=""),
                 "word/comments.xml": COMMENTS})
    forged = _declare_size(docx, "docProps/core.xml", 0xF000_0000)
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:
        assert archive.getinfo("docProps/core.xml").file_size == 0xF000_0000
    assert document_authors("a.docx", forged) == ["Reviewer Name"]


def test_member_inflating_past_the_budget_is_not_read() -> None:
    bomb = CORE.format(creator="Never Read", modified_by="").replace(
        "<dc:title>", " " * (MAX_INFLATED_BYTES + 1) + "<dc:title>")
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "docProps/core.xml": bomb,
                 "word/comments.xml": COMMENTS})
    assert len(docx) < MAX_INFLATED_BYTES // 100
    assert document_authors("a.docx", docx) == ["Reviewer Name"]


def test_member_smaller_than_it_inflates_is_cut_at_its_declared_size() -> None:
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES,
                 "docProps/core.xml": CORE.format(creator="Jane", modified_by="") + " " * 4000,
                 "word/comments.xml": COMMENTS})
    lying = _declare_size(docx, "docProps/core.xml", 100)
    assert document_authors("a.docx", lying) == ["Reviewer Name"]


def test_encrypted_member_is_skipped() -> None:
    docx = bytearray(_docx())
    # set the "encrypted" flag of every member: zipfile then asks for a password
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = docx.find(signature)
        while start >= 0:
            docx[start + flag_at] |= 1
            start = docx.find(signature, start + 1)
    assert document_authors("a.docx", bytes(docx)) == []


FIXTURES = [
    ("a.pdf", _pdf_with_info(b"<< /Author (Jane Q. Real) >>")),
    ("b.pdf", _packed_pdf(b"<< /Author 6 0 R >>", b"(Packed Person)")),
    ("c.pdf", _pdf(CATALOG, PAGES, PAGE, _stream(b"/Type /Metadata /Filter /FlateDecode",
                                                 zlib.compress(XMP)))),
    ("d.docx", _docx()),
    ("e.odt", _odt()),
]


@pytest.mark.parametrize(("name", "data"), FIXTURES)
def test_every_fixture_names_someone(name: str, data: bytes) -> None:
    assert document_authors(name, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixture=st.sampled_from(FIXTURES), cut=st.integers(min_value=0),
       position=st.integers(min_value=0), noise=st.binary(min_size=1, max_size=16))
def test_damaged_documents_never_raise(fixture: tuple[str, bytes], cut: int, position: int,
                                       noise: bytes) -> None:
    name, data = fixture
    damaged = bytearray(data[: len(data) - cut % max(len(data) // 2, 1)])
    start = position % len(damaged)
    damaged[start:start + len(noise)] = noise
    for names in (document_authors(name, bytes(damaged)), document_authors("x", bytes(damaged))):
        assert all(isinstance(found, str) and found.strip() for found in names)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04"]))
def test_arbitrary_bytes_never_raise(data: bytes, prefix: bytes) -> None:
    for name in ("a.pdf", "a.docx", "a.odt", "a"):
        assert isinstance(document_authors(name, prefix + data), list)
