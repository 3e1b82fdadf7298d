"""Publish images without what they say about the person who took them.

Every JPEG, PNG, WebP, GIF and TIFF (whatever its file is called) is rewritten by Pillow:
orientation applied to the pixels, then saved with no EXIF (so no GPS, camera serial or
thumbnail), XMP, IPTC or comments. A HEIC, JPEG XL or camera raw photo, a video that holds
where it was recorded, or any other file that holds a GPS position (a PDF with a phone's
photo in it) cannot be rewritten so: it stops the build.
Camera-style file names (IMG_20240101_093012.jpg) carry the date and device, so they are
published under a neutral name made from the image's own bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # Pillow is loaded only when an image is published
    from PIL import Image

# Changes whenever what is cleaned, or how, changes: published files are made again.
CLEANING = "by-bytes-3"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jfif", ".jpe", ".pjpeg", ".pjp", ".png",
                            ".webp", ".gif", ".tif", ".tiff"})
# Formats a phone writes its location into that veil cannot rewrite without it: still
# images (HEIC, AVIF, camera raw) are refused; videos only when they hold a location.
_UNCLEANABLE_IMAGES = frozenset({
    ".heic", ".heif", ".heics", ".avif", ".avifs", ".jxl", ".jp2", ".j2k", ".jpf", ".jpx",
    ".psd", ".psb",
    # camera raw
    ".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".orf", ".raf",
    ".rw2", ".rwl", ".pef", ".srw", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".mos", ".iiq"})
_VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".3gp", ".3g2", ".qt"})
# where a video keeps its place: QuickTime's ©xyz atom, Apple's and Android's location keys
_VIDEO_LOCATION = (b"\xa9xyz", b"com.apple.quicktime.location", b"location.ISO6709",
                   b"com.android.capture.location")
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00",
                b"MM\x00*")
GPS_IFD = 0x8825
# A camera's or phone's name: a prefix and a number, or a date; then more digits and at most
# two words (IMG_1234, IMG_E1234, PXL_20240101_093012345.MP, IMG_20240101_093012~2,
# 20240101_093012(0), IMG_1234 copy, IMG_1234-2x); or a screenshot's
# (Screenshot 2024-01-01 at 09.30.12).
# A writer's "1984 protest march" or "Photo 2 of the garden" is not one.
_CAMERA_NAME = re.compile(
    r"^(?:(?:img|dsc|dscn|dscf|pxl|mvimg|photo|image|signal|pict|p|dji|gopr|vid|pano|burst)"
    r"[ _-]*(?:e(?=\d))?\d{4,}|\d{8}|\d{4}-\d{2}-\d{2})"
    r"[\d _.~()-]*(?:[ _.~-]+\d*[a-z]+[\d _.~()-]*){0,2}$"
    r"|^(?:screenshot|screen shot|whatsapp image|signal)[ _-]*\d{4}",
    re.IGNORECASE,
)


class ImageError(Exception):
    """An image that cannot be read, or that still carries a location after cleaning."""


LOCATION_FIX = ("convert it to JPEG, PNG or WebP (a video: remove its location, or publish "
                "it elsewhere)")


def is_image(path: PurePosixPath | Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def cannot_clean(path: PurePosixPath | Path) -> bool:
    """A kind of photo veil cannot rewrite without what it says (HEIC, JPEG XL, camera
    raw: some of those begin as TIFF files do, and are refused all the same)."""
    return path.suffix.lower() in _UNCLEANABLE_IMAGES


def looks_like_image(data: bytes) -> bool:
    """JPEG, PNG, GIF, TIFF or WebP bytes, whatever the file is called."""
    return data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def location_refusal(path: PurePosixPath | Path, data: bytes) -> str | None:
    """Why a file that may hold where it was made cannot be published as it is; None when
    it can (images veil rewrites are not asked here)."""
    suffix = path.suffix.lower()
    media_box = data[4:8] == b"ftyp"  # the ISO media format of HEIC, AVIF, MP4 and MOV
    if suffix in _UNCLEANABLE_IMAGES or (media_box and data[8:12].lower() in (
            b"heic", b"heix", b"mif1", b"msf1", b"avif", b"hevc")):
        return ("veil cannot remove the location and camera details from this kind of "
                "image")
    if (suffix in _VIDEO_SUFFIXES or media_box) and any(
            key in part for part in _described(data) for key in _VIDEO_LOCATION):
        return "this video holds the place where it was recorded"
    if embeds_location(data):
        return "this file holds the place where it was made (GPS), which veil cannot take out"
    return None


_TIFF_HEADERS = (b"II*\x00", b"MM\x00*")
# XMP's GPS fields with a value (a program's code that only names them has none)
_XMP_LOCATION = re.compile(rb"exif:GPS(?:Latitude|Longitude)\s*(?:=\s*[\"'][^\"'<>]+[\"']"
                           rb"|>\s*[^<\s][^<]*<)")
HEADERS_LOOKED_AT = 4096  # in one file (random bytes hold a TIFF header now and then)


def embeds_location(data: bytes) -> bool:
    """Whether a file of any kind holds a location the way images keep one: EXIF with GPS
    coordinates (in a PDF's photo, a raw or JPEG XL file), or XMP's (a sidecar)."""
    if _XMP_LOCATION.search(data):
        return True
    for header in _TIFF_HEADERS:
        start = data.find(header)
        looked = 0
        while start != -1 and looked < HEADERS_LOOKED_AT:
            if _tiff_locates(data, start):
                return True
            start = data.find(header, start + 1)
            looked += 1
    return False


_GPS_TAGS = range(0x20)  # the tags of EXIF's GPS part
_GPS_COORDINATES = (0x0002, 0x0004)  # latitude, longitude: three rationals each
_RATIONAL = 5
_LONG = 4


def _tiff_locates(data: bytes, start: int) -> bool:
    """The TIFF structure at `start` (EXIF's) has a GPS part with coordinates, or is one
    (a camera raw file keeps its GPS part as a structure of its own). A GPS part without
    them (a camera with its location off may write one) holds no place."""
    order: Literal["little", "big"] = "little" if data[start:start + 2] == b"II" else "big"
    entries = _ifd(data, start, start + int.from_bytes(data[start + 4:start + 8], order), order)
    for tag, kind, _, value in entries:
        if tag == GPS_IFD and kind == _LONG and _has_coordinates(
                _ifd(data, start, start + value, order)):
            return True
    return all(tag in _GPS_TAGS for tag, _, _, _ in entries) and _has_coordinates(entries)


def _ifd(data: bytes, start: int, at: int, order: Literal["little", "big"]
         ) -> list[tuple[int, int, int, int]]:
    """The entries (tag, type, count, value or offset) of the TIFF directory at `at`;
    none when there is no directory there."""
    if at + 2 > len(data):
        return []
    count = int.from_bytes(data[at:at + 2], order)
    if not 0 < count <= 512 or at + 2 + 12 * count > len(data):
        return []
    return [(int.from_bytes(data[e:e + 2], order), int.from_bytes(data[e + 2:e + 4], order),
             int.from_bytes(data[e + 4:e + 8], order), int.from_bytes(data[e + 8:e + 12], order))
            for e in range(at + 2, at + 2 + 12 * count, 12)]


def _has_coordinates(entries: list[tuple[int, int, int, int]]) -> bool:
    return any(tag in _GPS_COORDINATES and kind == _RATIONAL and count == 3
               for tag, kind, count, _ in entries)


def _described(data: bytes) -> list[bytes]:
    """The boxes of an ISO media file that describe it (`moov`, `meta`, `uuid`), where a
    location is kept, not the recorded data, where the same bytes may occur by chance;
    the whole file when its boxes cannot be read."""
    found: list[bytes] = []
    at = 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        header = 8
        if size == 1 and at + 16 <= len(data):
            size, header = int.from_bytes(data[at + 8:at + 16], "big"), 16
        elif size == 0:
            size = len(data) - at
        if size < header:
            return [data]  # not boxes after all: look everywhere
        if kind in (b"moov", b"meta", b"uuid", b"udta"):
            found.append(data[at:at + size])
        at += size
    return found


def is_camera_name(name: str) -> bool:
    """A file name (or a title made from one) as a camera or phone gave it, which tells
    when and with what a photo was taken; with or without its suffix."""
    name = name.strip()
    return bool(name) and bool(_CAMERA_NAME.match(name)
                               or _CAMERA_NAME.match(PurePosixPath(name).stem))


def published_name(path: Path) -> str:
    """The file name an image is published under: camera names become neutral."""
    suffix = path.suffix.lower()
    if ((suffix in IMAGE_SUFFIXES or suffix in _UNCLEANABLE_IMAGES or suffix in _VIDEO_SUFFIXES)
            and is_camera_name(path.name)):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return f"image-{digest}{path.suffix.lower()}"
    return path.name


def clean_image(data: bytes) -> bytes:
    """The image re-saved without metadata, orientation applied; same format."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as original:
            fmt = original.format
            frames = getattr(original, "n_frames", 1)
            if fmt == "GIF" and frames > 1:
                return _clean_animated_gif(original)
            oriented = ImageOps.exif_transpose(original)
            return _save(oriented, fmt, original)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageError(f"cannot read this image: {exc}") from exc


def _save(image: Image.Image, fmt: str | None, original: Image.Image) -> bytes:
    out = io.BytesIO()
    image = image.copy()
    image.info = {}  # Pillow writes back what info holds (comments, XMP, EXIF)
    icc = original.info.get("icc_profile")
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True, progressive=True,
                   exif=b"", **options)
    elif fmt == "PNG":
        if "transparency" in original.info and image.mode in ("P", "L", "RGB"):
            options["transparency"] = original.info["transparency"]
        image.save(out, "PNG", optimize=True, **options)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=90, exif=b"", xmp=b"", **options)
    elif fmt == "GIF":
        if "transparency" in original.info:
            options["transparency"] = original.info["transparency"]
        image.save(out, "GIF", **options)
    elif fmt == "TIFF":
        image.save(out, "TIFF", compression="tiff_lzw", **options)
    else:
        raise ImageError(f"veil does not publish {fmt} images: use JPEG, PNG, WebP or GIF")
    return out.getvalue()


def _clean_animated_gif(original: Image.Image) -> bytes:
    frames = []
    durations = []
    for index in range(original.n_frames):
        original.seek(index)
        frame = original.copy()
        frame.info = {}
        frames.append(frame)
        durations.append(original.info.get("duration", 100))
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations,
                   loop=original.info.get("loop", 0), disposal=2)
    return out.getvalue()


# what an image may say of who made it, where and with what, as Pillow reads it
_TELLING_INFO = frozenset({"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc"})


def carries_metadata(data: bytes) -> bool:
    """The image holds EXIF (a camera's make, model and serial number; a place), XMP, IPTC,
    comments or text chunks. One that cannot be read is taken to."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(len(image.getexif()) or _TELLING_INFO & image.info.keys()
                        or getattr(image, "text", None))
    except Exception:
        return True


def has_location(data: bytes) -> bool:
    """True when the image still holds GPS data anywhere Pillow can see it."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
            return True
        xmp = image.info.get("xmp") or b""
        text = xmp if isinstance(xmp, bytes) else str(xmp).encode()
        return b"GPSLatitude" in text or b"exif:GPSLatitude" in text
