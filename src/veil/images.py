"""Publish images without what they say about the person who took them.

Every JPEG, PNG, WebP and GIF is rewritten by Pillow: orientation applied to the pixels,
then saved with no EXIF (so no GPS, camera serial or thumbnail), XMP, IPTC or comments.
Camera-style file names (IMG_20240101_093012.jpg) carry the date and device, so they are
published under a neutral name made from the image's own bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is loaded only when an image is published
    from PIL import Image

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
GPS_IFD = 0x8825
_CAMERA_NAME = re.compile(
    r"^(?:(?:img|dsc|dscn|dscf|pxl|mvimg|photo|image|signal|pict|p|dji|gopr|vid)[ _-]*)?"
    r"\d{4,}[\d _.-]*(?:[ _-]\w+)?$"
    r"|^(?:screenshot|screen shot|whatsapp image|signal-|photo[ _-]\d)",
    re.IGNORECASE,
)


class ImageError(Exception):
    """An image that cannot be read, or that still carries a location after cleaning."""


def is_image(path: PurePosixPath | Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def published_name(path: Path) -> str:
    """The file name an image is published under: camera names become neutral."""
    if is_image(path) and _CAMERA_NAME.match(path.stem):
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
