"""Hostile files, made here (nothing downloaded): zip bombs, zip slip, links, damaged and disguised files, and
an image decompression bomb. Each maker returns ``(file name, bytes)``."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable

from PIL import Image

BombMaker = Callable[[], tuple[str, bytes]]


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def ratio_bomb() -> tuple[str, bytes]:
    """20 MB of zeros deflated to about 20 KB: a ratio near 1000."""
    return "work.zip", _zip([("zeros.bin", b"\0" * (20 * 2**20))])


def nested_bomb() -> tuple[str, bytes]:
    """A zip stored inside a zip: the outer one looks harmless, the inner one expands 32 MB of zeros."""
    inner = _zip([(f"layer{i}.bin", b"\0" * (8 * 2**20)) for i in range(4)])
    return "work.zip", _zip([("nested.zip", inner), ("readme.txt", b"open me")], method=zipfile.ZIP_STORED)


def many_entries(count: int) -> BombMaker:
    def make() -> tuple[str, bytes]:
        return "work.zip", _zip([(f"f{i}.txt", b"x") for i in range(count)])

    return make


def slip_dotdot() -> tuple[str, bytes]:
    return "work.zip", _zip([("docs/../../../etc/cron.d/evil", b"* * * * * root sh")])


def slip_absolute() -> tuple[str, bytes]:
    return "work.zip", _zip([("/etc/passwd", b"root::0:0::/:/bin/sh")])


def slip_windows_drive() -> tuple[str, bytes]:
    # zipfile turns backslashes in names into slashes on write; set the raw name afterwards.
    info = zipfile.ZipInfo("C:/Windows/System32/evil.dll")
    return "work.zip", _zip([(info, b"MZ")])


def slip_backslash() -> tuple[str, bytes]:
    data = _zip([("..xxevil.txt", b"x")], method=zipfile.ZIP_STORED)
    return "work.zip", data.replace(b"..xxevil.txt", b"..\\\\evil.txt"[:12].ljust(12, b"x"))


def symlink() -> tuple[str, bytes]:
    info = zipfile.ZipInfo("secrets")
    info.create_system = 3  # Unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return "work.zip", _zip([(info, b"/etc/shadow"), ("index.html", b"<p>hi</p>")])


def truncated() -> tuple[str, bytes]:
    whole = _zip([("report.txt", bytes(range(256)) * 400)])
    return "work.zip", whole[: len(whole) // 2]


def not_a_zip() -> tuple[str, bytes]:
    return "work.zip", b"#!/bin/sh\nrm -rf --no-preserve-root /\n" * 10


def polyglot() -> tuple[str, bytes]:
    """A real PNG with a zip appended: opens as an image and, for lenient readers, as a zip."""
    return "work.zip", png(8, 8) + _zip([("payload.html", b"<script>alert(1)</script>")])


def control_character_names() -> tuple[str, bytes]:
    return "work.zip", _zip([("report\u202egpj.exe", b"MZ"), ("a\x07b.txt", b"x")])


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def image_bomb() -> tuple[str, bytes]:
    """A PNG declaring 20 000 × 20 000 pixels (400 megapixels, 1.2 GB decoded) in a few hundred KB."""
    width = height = 20_000

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    body = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return "photo.png", data


def zip_named_png() -> tuple[str, bytes]:
    return "photo.png", _zip([("photo.png", png(4, 4))])


def html_named_png() -> tuple[str, bytes]:
    return "photo.png", b"<html><script>alert(document.cookie)</script></html>"


def svg_image() -> tuple[str, bytes]:
    return "photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def image_with_trailing_script() -> tuple[str, bytes]:
    """A valid PNG followed by HTML: accepted, and the trailing payload is gone after re-encoding."""
    return "photo.png", png(8, 8) + b"<script>alert(1)</script>"


def oversized(limit: int, name: str = "big.bin") -> BombMaker:
    def make() -> tuple[str, bytes]:
        return name, b"x" * (limit + 1)

    return make


# Zip entries in the corpus that a delivery must refuse, with the words of the message a user sees.
ZIP_CORPUS: dict[str, tuple[BombMaker, str]] = {
    "ratio-bomb": (ratio_bomb, "zip bomb"),
    "nested-bomb": (nested_bomb, "zip bomb"),
    "many-entries": (many_entries(60), "entries"),
    "slip-dotdot": (slip_dotdot, "leaves its folder"),
    "slip-absolute": (slip_absolute, "absolute path"),
    "slip-windows-drive": (slip_windows_drive, "drive letter"),
    "slip-backslash": (slip_backslash, "backslashes"),
    "symlink": (symlink, "symbolic link"),
    "truncated": (truncated, ""),
    "not-a-zip": (not_a_zip, ""),
    "polyglot": (polyglot, ""),
    "control-characters": (control_character_names, "control characters"),
}

IMAGE_CORPUS: dict[str, tuple[BombMaker, str]] = {
    "image-bomb": (image_bomb, "too many pixels"),
    "zip-named-png": (zip_named_png, "not a readable image"),
    "html-named-png": (html_named_png, "not a readable image"),
    "svg": (svg_image, "not a readable image"),
}
