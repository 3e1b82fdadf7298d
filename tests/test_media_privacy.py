"""Files beside the posts never say more than the posts do: a file only hidden posts show
is not published, however it is linked; no file publishes a place or a camera's identity;
the cache, which holds every post's text, never lands where it would be published."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from conftest import SiteDir
from veil.images import embeds_location, is_camera_name

MAKER = "UniqueCameraMaker"
SERIAL = "BODYSERIAL-4711"
PDF = b"%PDF-1.4\n% a scanned letter\n%%EOF\n"


def _exif(*, gps: bool) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = MAKER
    if gps:
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    return bytes(exif.tobytes())


def _photo(*, gps: bool = False, serial: bool = False) -> bytes:
    image = Image.new("RGB", (24, 16), (150, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = MAKER
    if serial:
        exif.get_ifd(0x8769)[0xA431] = SERIAL
    if gps:
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


def _published(site: SiteDir) -> set[str]:
    return set(site.files())


@pytest.mark.parametrize("privacy", ["private", "protected", "draft"])
def test_a_file_only_a_hidden_post_shows_in_html_is_not_published(
        site: SiteDir, privacy: str) -> None:
    front = {"draft": "true"} if privacy == "draft" else {"privacy": privacy}
    if privacy == "protected":
        site.write("secrets.yaml", 'passwords:\n  friends: "tea and biscuits"\n'
                   'address_key: "a-key-of-this-site-only-000000001"\n')
        front["circles"] = "[friends]"
    site.write("content/media/letter.pdf", PDF)
    site.write("content/media/scan.pdf", PDF)
    site.write("content/media/frame.html", "<p>a page of the diary</p>")
    site.write("content/media/drawing.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.write("content/media/room.jpg", _photo())
    site.post("diary", "What happened in March", body=(
        '<a href="../media/letter.pdf">the letter</a>, '
        '<object data="/media/scan.pdf"></object>\n\n'
        '<iframe src="../media/frame.html"></iframe>\n\n'
        '<map><area href="../media/drawing.svg" alt="a drawing"></map>\n\n'
        '<div style="background: url(../media/room.jpg)">my room</div>'), **front)
    site.post("hello", "Hello", body="Hello.")
    site.build()
    published = _published(site)
    assert not [path for path in published if path.startswith("media/")], published


def test_html_links_to_files_in_a_public_post_find_them_as_markdown_does(
        site: SiteDir) -> None:
    site.write("content/media/letter.pdf", PDF)
    site.write("content/media/frame.html", "<p>a calm page</p>")
    site.write("content/posts/walk/map.pdf", PDF)
    site.write("content/posts/walk/index.md", "---\ntitle: A walk\ndate: 2024-01-01\n---\n\n"
               '<a href="map.pdf">the map</a> and <a href="../../archive/">the archive</a>\n')
    # written from the file, as Markdown links are: the page is a folder further down
    site.post("letters", "Letters", body='<a href="../media/letter.pdf">the letter</a>\n\n'
              '<iframe src="../media/frame.html" title="a calm page"></iframe>')
    site.build()
    page = site.read("posts/letters/index.html")
    assert '<a href="../../media/letter.pdf">the letter</a>' in page
    assert 'src="../../media/frame.html"' in page
    page = site.read("posts/walk/index.html")
    assert '<a href="map.pdf">the map</a>' in page
    assert '<a href="../../archive/">the archive</a>' in page  # a folder: left as written
    assert {"media/letter.pdf", "media/frame.html", "posts/walk/map.pdf"} <= _published(site)


def test_media_no_post_shows_is_named_once_even_when_a_build_resumes(
        site: SiteDir) -> None:
    site.write("content/media/old.pdf", PDF)
    site.post("hello", "Hello", body="Hello.")
    first = site.build()
    site.post("hello", "Hello", body="Hello again.")
    second = site.build()
    for result in (first, second):
        assert [w.message for w in result.warnings if "old.pdf" in w.message] == [
            "1 file(s) in content/ that no post or page links to or shows are not "
            "published: `media/old.pdf`"]
    assert "media/old.pdf" not in _published(site)


@pytest.mark.parametrize("name", ["sea.jxl", "IMG_0001.CR3", "walk.orf", "shore.raf",
                                  "layers.psd", "scan.pdf", "notes.xmp"])
def test_a_file_that_holds_a_place_stops_the_build_whatever_its_kind(
        site: SiteDir, run_cli, name: str) -> None:
    # the place as images keep it: EXIF with a GPS part, inside any container
    data = b"\x00\x00\x00\x0cJXL \r\n\x87\n" + b"Exif" + _exif(gps=True) + bytes(64)
    if name == "notes.xmp":
        data = (b'<x:xmpmeta><rdf:Description exif:GPSLatitude="51,30.2N"/>'
                b"</x:xmpmeta>")
    site.write(f"content/posts/trip/{name}", data)
    site.write("content/posts/trip/index.md", "---\ntitle: A trip\ndate: 2024-01-01\n---\n\n"
               f"[the file]({name})\n")
    site.post("hello", "Hello", body="Hello.")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1, result.err
    assert f"content/posts/trip/{name}" in result.err and "Traceback" not in result.err
    assert not (site.out / "index.html").exists(), "nothing is written"


def test_exif_without_a_place_in_a_file_is_published() -> None:
    assert not embeds_location(b"%PDF-1.4\n" + b"Exif\x00\x00" + _exif(gps=False))
    assert embeds_location(b"%PDF-1.4\n" + b"Exif\x00\x00" + _exif(gps=True))
    assert not embeds_location(b"II*\x00\xff\xff\xff\xff" + bytes(32))  # not a structure
    # a GPS part with its version only: a camera with its location off
    version_only = Image.Exif()
    version_only[0x8825] = {0: b"\x02\x03\x00\x00"}
    assert not embeds_location(b"%PDF-1.4\n" + bytes(version_only.tobytes()))
    # a program that reads places names the fields, with no place in them
    assert not embeds_location(b'const tags = {GPSLatitude: 2, "exif:GPSLatitude": 4};')


def test_a_camera_raw_file_that_begins_like_a_tiff_is_refused(site: SiteDir, run_cli) -> None:
    raw = io.BytesIO()  # a readable TIFF, as a raw file's preview is
    Image.new("RGB", (8, 6)).save(raw, "TIFF", exif=_exif(gps=True))
    site.write("content/posts/trip/IMG_0001.DNG", raw.getvalue())
    site.write("content/posts/trip/index.md", "---\ntitle: A trip\ndate: 2024-01-01\n---\n\n"
               "[the raw file](IMG_0001.DNG)\n")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1 and "content/posts/trip/IMG_0001.DNG" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("hidden", ["private", "protected"])
def test_a_photo_beside_a_public_post_that_only_a_hidden_post_shows_is_not_published(
        site: SiteDir, hidden: str) -> None:
    """The public post no longer shows its photo; a hidden post still does: the photo is
    not published (a protected post's images travel inside its payload)."""
    front: dict[str, str] = {"privacy": hidden}
    if hidden == "protected":
        site.write("secrets.yaml", 'passwords:\n  friends: "tea and biscuits"\n'
                   'address_key: "a-key-of-this-site-only-000000001"\n')
        front["circles"] = "[friends]"
    site.write("content/posts/walk/index.md", "---\ntitle: A walk\ndate: 2024-01-01\n---\n\n"
               "We walked to the sea.\n")
    site.write("content/posts/walk/face.jpg", _photo())
    site.post("diary", "Diary", body="![my face](../posts/walk/face.jpg)", **front)
    site.build()
    assert "posts/walk/face.jpg" not in _published(site)


@pytest.mark.parametrize("name", [
    "IMG_20240101_093012~2.jpg", "PXL_20240101_093012345.MP.jpg",
    "PXL_20240101_093012345.PORTRAIT.jpg", "20240101_093012(0).jpg", "IMG_E1234.jpg",
    "IMG_1234 (1).jpg", "IMG_1234-edited.jpg", "Screenshot 2024-01-01 at 09.30.12.png"])
def test_phone_file_names_are_published_neutral(site: SiteDir, name: str) -> None:
    assert is_camera_name(name)
    site.write(f"content/posts/trip/{name}", _photo())
    site.write("content/posts/trip/index.md", "---\ntitle: A trip\ndate: 2024-01-01\n---\n\n"
               f"![a quiet shore](<{name}>)\n")
    site.build()
    published = [path for path in _published(site) if path.startswith("posts/trip/")]
    assert len(published) == 2 and not any("2024" in p or "1234" in p for p in published), \
        published


@pytest.mark.parametrize("name", ["sea.jpg", "a-grey-sea.png", "sunset-over-the-bay.jpg",
                                  "1984 protest march", "Photo 2 of the garden",
                                  "Screenshot of the helpline chat", "2020. A hard year"])
def test_names_a_writer_gave_are_kept(name: str) -> None:
    assert not is_camera_name(name)


def test_static_photos_lose_what_tells_of_the_camera_other_files_stay_as_they_are(
        site: SiteDir) -> None:
    plain = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(plain, "PNG")
    site.write("static/img/me.jpg", _photo(serial=True))
    site.write("static/logo.png", plain.getvalue())
    site.write("static/favicon.ico", b"\x00\x00\x01\x00icon")
    site.post("hello", "Hello", body='Hello. <img src="/img/me.jpg" alt="the sea">')
    site.build()
    published = (site.out / "img" / "me.jpg").read_bytes()
    for told in (MAKER.encode(), SERIAL.encode(), b"taken at home"):
        assert told not in published
    with Image.open(io.BytesIO(published)) as image:
        assert not image.getexif()
    assert (site.out / "logo.png").read_bytes() == plain.getvalue()
    assert (site.out / "favicon.ico").read_bytes() == b"\x00\x00\x01\x00icon"


@pytest.mark.parametrize("inside", ["site/.veil-cache", "content/cache", "static/c"])
def test_a_cache_folder_that_would_be_published_or_read_is_refused(
        site: SiteDir, run_cli, inside: str) -> None:
    site.post("diary", "Private", body="Words only I may read.", privacy="private")
    site.post("hello", "Hello", body="Hello.")
    site.build()
    before = site.files()
    result = run_cli("build", "--site", str(site.root),
                     "--cache-dir", str(site.root / inside))
    assert result.code == 1 and "Traceback" not in result.err
    assert "cache" in result.err and "--cache-dir" in result.err
    assert not (site.root / inside).exists()
    assert site.files() == before


def test_files_beside_a_post_that_no_post_links_to_are_not_published(site: SiteDir) -> None:
    """An editor's backup holds text the writer took out; a camera's raw original beside
    the photo holds the place it was taken: neither is published, and both are named."""
    site.write("content/posts/walk/index.md", "---\ntitle: A walk\ndate: 2024-01-01\n---\n\n"
               "We walked to the sea.\n\n![a grey sea](sea.jpg)\n")
    site.write("content/posts/walk/index.md.orig", "We walked to the sea from 14 Elm Road.")
    site.write("content/posts/walk/sea.jpg", _photo())
    site.write("content/posts/walk/IMG_1234.CR3",
               b"\x00\x00\x00\x18ftypcrx " + b"Exif" + _exif(gps=True))
    result = site.build()
    published = {p for p in _published(site) if p.startswith("posts/walk/")}
    assert published == {"posts/walk/index.html", "posts/walk/sea.jpg"}
    assert [w.message for w in result.warnings if "not published" in w.message] == [
        "2 file(s) in content/ that no post or page links to or shows are not published: "
        "`posts/walk/IMG_1234.CR3`, `posts/walk/index.md.orig`"]


def _pdf_by(author: str) -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Author ("
            + author.encode() + b") /Creator (Microsoft Word) >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")


def test_a_document_that_names_someone_stops_the_build_unless_the_name_is_public(
        site: SiteDir, run_cli) -> None:
    """A PDF keeps its author's name in its properties: under a pen name, a real name there
    would unmask the writer. The site's author and its `public_names` may be there."""
    site.post("hello", "Hello", body="[my worksheet](../media/worksheet.pdf), "
              "[a leaflet](../media/leaflet.pdf)")
    site.write("content/media/leaflet.pdf", _pdf_by("Mind"))
    site.write("content/media/worksheet.pdf", _pdf_by("Jane Q. Real"))
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1 and "Traceback" not in result.err
    assert "content/media/worksheet.pdf" in result.err and "“Jane Q. Real”" in result.err
    assert "leaflet.pdf" in result.err and "“Mind”" in result.err
    assert "public_names" in result.err
    assert not site.out.exists()

    config = (site.root / "veil.yaml").read_text(encoding="utf-8")
    site.write("veil.yaml", config.replace("author: Tester", "author: Jane Q. Real")
               + "public_names: [Mind]\n")
    assert run_cli("build", "--site", str(site.root)).code == 0
    assert (site.out / "media" / "worksheet.pdf").read_bytes() == _pdf_by("Jane Q. Real")

    # a pen name taken since: the published worksheet is checked again
    site.write("veil.yaml", config.replace("author: Tester", "author: Wren")
               + "public_names: [Mind]\n")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1 and "“Jane Q. Real”" in result.err
