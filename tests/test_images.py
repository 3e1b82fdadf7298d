"""Published images carry no location, camera or comment, and camera file names are neutral."""

from __future__ import annotations

import io

from PIL import Image

from conftest import SiteDir
from veil.images import has_location

MAKER = "UniqueCameraMaker"
COMMENT = b"kept-by-the-camera: home address"


def _photo(fmt: str, size: tuple[int, int] = (30, 20), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (150, 120, 90))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = MAKER
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    extra = {"comment": COMMENT} if fmt == "JPEG" else {}
    image.save(out, fmt, exif=exif.tobytes(), **extra)
    return out.getvalue()


def test_photos_with_gps_are_published_clean_in_every_format(site: SiteDir) -> None:
    body = []
    for name, fmt in (("a.jpg", "JPEG"), ("b.png", "PNG"), ("c.webp", "WEBP")):
        data = _photo(fmt)
        assert has_location(data), "the fixture itself must carry GPS"
        site.write(f"content/posts/trip/{name}", data)
        body.append(f"![a quiet place]({name})")
    site.write("content/posts/trip/index.md",
               "---\ntitle: A trip\ndate: 2024-01-01\n---\n\n" + "\n\n".join(body) + "\n")
    site.build()
    for name in ("a.jpg", "b.png", "c.webp"):
        data = (site.out / "posts" / "trip" / name).read_bytes()
        assert not has_location(data), name
        assert MAKER.encode() not in data, name
        assert b"home address" not in data, name
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), name


def test_orientation_is_applied_before_the_metadata_goes(site: SiteDir) -> None:
    site.write("content/media/turned.jpg", _photo("JPEG", size=(30, 20), orientation=6))
    site.post("p", "Turned", body="![a turned photo](../media/turned.jpg)")
    site.build()
    with Image.open(site.out / "media" / "turned.jpg") as image:
        assert image.size == (20, 30)  # rotated, as the camera meant it to be seen


def test_camera_file_names_are_published_under_a_neutral_name(site: SiteDir) -> None:
    site.write("content/posts/beach/IMG_20240101_093012.jpg", _photo("JPEG"))
    site.write("content/posts/beach/index.md", "---\ntitle: Beach\ndate: 2024-01-01\n---\n\n"
               "![waves](IMG_20240101_093012.jpg)\n")
    site.build()
    published = sorted(p.name for p in (site.out / "posts" / "beach").iterdir())
    assert not any("2024" in name for name in published), published
    html = site.read("posts/beach/index.html")
    assert "IMG_2024" not in html
    neutral = next(name for name in published if name.endswith(".jpg"))
    assert f'src="{neutral}"' in html


def test_an_unreadable_image_stops_the_build_naming_the_file(site: SiteDir, run_cli) -> None:
    site.write("content/media/broken.jpg", b"this is not a picture")
    site.post("p", "Broken", body="![a broken picture](../media/broken.jpg)")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "content/media/broken.jpg" in result.err
    assert "Traceback" not in result.err


def test_a_thumbnail_with_its_own_location_goes_with_the_rest(site: SiteDir) -> None:
    """Cameras embed a small preview JPEG, with its own EXIF, inside the photo's metadata."""
    thumbnail = _photo("JPEG", size=(8, 6))
    assert has_location(thumbnail)
    photo = _photo("JPEG")
    # A second APP1 segment right after SOI, carrying the thumbnail as cameras do.
    segment = b"Exif\x00\x00" + thumbnail
    app1 = b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment
    photo = photo[:2] + app1 + photo[2:]
    with Image.open(io.BytesIO(photo)) as image:
        image.load()  # still a valid JPEG
    site.write("content/media/with-thumb.jpg", photo)
    site.post("p", "Thumbs", body="![a photo](../media/with-thumb.jpg)")
    site.build()
    data = (site.out / "media" / "with-thumb.jpg").read_bytes()
    assert not has_location(data)
    assert thumbnail[20:60] not in data
    assert MAKER.encode() not in data


def test_a_photo_is_known_by_its_bytes_not_only_by_its_name(site: SiteDir) -> None:
    """A JPEG called .jfif, or by no image name at all, is cleaned all the same."""
    for name in ("waves.jfif", "garden.jpe", "sea-photo"):
        site.write(f"content/posts/coast/{name}", _photo("JPEG"))
    site.write("content/posts/coast/index.md", "---\ntitle: Coast\ndate: 2024-01-01\n---\n\n"
               "![waves](waves.jfif) ![a garden](garden.jpe)\n\n[the sea](sea-photo)\n")
    site.build()
    for name in ("waves.jfif", "garden.jpe", "sea-photo"):
        data = (site.out / "posts" / "coast" / name).read_bytes()
        assert not has_location(data) and MAKER.encode() not in data, name


def _box(kind: bytes, payload: bytes) -> bytes:
    return (len(payload) + 8).to_bytes(4, "big") + kind + payload


def _iso_media(brand: bytes, *boxes: bytes) -> bytes:
    """An ISO media file (HEIC, MP4, MOV) of this brand, with these boxes after its type."""
    return _box(b"ftyp", brand + b"\x00\x00\x00\x00" + brand + b"mp41") + b"".join(boxes)


def test_files_that_may_say_where_they_were_made_and_cannot_be_cleaned_stop_the_build(
        site: SiteDir, run_cli) -> None:
    """A phone's HEIC photo cannot be rewritten without its location here, nor can a
    video that holds one: the build stops, naming the file. A video without a place in it
    is published, under a neutral name if the camera named it."""
    # recorded data may hold any bytes, those of a location key too, by chance
    site.write("content/posts/walk/VID_20240301_101500.mp4",
               _iso_media(b"isom", _box(b"moov", _box(b"mvhd", bytes(100))),
                          _box(b"mdat", b"\x01\x02\xa9xyz\x03" * 50)))
    site.write("content/posts/walk/index.md", "---\ntitle: Walk\ndate: 2024-01-01\n---\n\n"
               "[a video](VID_20240301_101500.mp4)\n")
    site.build()
    published = sorted(p.name for p in (site.out / "posts" / "walk").iterdir())
    assert not any("2024" in name for name in published), published
    assert any(name.endswith(".mp4") for name in published), published
    for name, data in (("IMG_0001.heic", _iso_media(b"heic")),
                       ("clip.mov", _iso_media(b"qt  ", _box(b"moov", _box(b"udta", _box(
                           b"\xa9xyz", b"+51.5012-000.1181/"))))),
                       ("clip.mp4", _iso_media(b"isom", _box(b"moov", _box(
                           b"meta", b"com.apple.quicktime.location.ISO6709"))))):
        site.write(f"content/media/{name}", data)
        site.post("shows", "Shows it", body=f"[the file](../media/{name})")
        result = run_cli("build", "--site", str(site.root))
        assert result.code == 1, name
        assert f"content/media/{name}" in result.err and "Traceback" not in result.err
        (site.root / "content" / "media" / name).unlink()


def test_a_location_copied_from_static_stops_the_build(site: SiteDir, run_cli) -> None:
    site.post("p", "A post", body="Words.")
    site.write("static/clip.mov", _iso_media(b"qt  ", _box(b"moov", _box(b"udta", _box(
        b"\xa9xyz", b"+51.5012-000.1181/")))))
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1 and "clip.mov" in result.err
    assert not site.out.exists()
