"""Files published from the content folder: images cleaned and renamed, others as they are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import Location, Problem, VeilError
from ..images import ImageError, clean_image, is_image, published_name


def published_path(path: Path, folder: Path) -> str:
    """`path` relative to `folder`, with the file name it is published under."""
    rel = path.relative_to(folder)
    return (rel.parent / published_name(path)).as_posix()


def file_producer(path: Path) -> Callable[[], bytes]:
    if not is_image(path):
        return path.read_bytes

    def produce() -> bytes:
        try:
            return clean_image(path.read_bytes())
        except ImageError as exc:
            raise VeilError([Problem(Location(path), str(exc),
                                     "re-save the image as JPEG, PNG, WebP or GIF")]) from None

    return produce
