"""Checking an uploaded file as a zip before it is stored, without extracting anything to disk.

Pure: reads the file object it is given and returns a report or raises ``ValidationError`` with a clear,
translated message. The checks, in order:

1. size: at most ``HAAT_DELIVERY_MAX_BYTES``;
2. readable as a zip at all (end-of-central-directory record, central directory);
3. at least one and at most ``HAAT_DELIVERY_MAX_ENTRIES`` entries (nested archives count as one entry each);
4. every name: not empty, no control or text-direction characters, no backslash (Windows path), no drive
   letter, not absolute, no ``.`` or ``..`` segment, no duplicate;
5. every entry: a file or a folder (no symbolic links, devices or pipes), not encrypted, a compression
   method Python can read, and no two entries sharing the same bytes (overlapping-entry bombs);
6. declared sizes: total uncompressed at most ``HAAT_DELIVERY_MAX_UNCOMPRESSED``; compression ratio, per
   entry and for the whole archive, at most ``HAAT_DELIVERY_MAX_RATIO`` (judged only above ``RATIO_FLOOR``
   bytes: a tiny blank file compresses very well and harms nobody);
7. every entry decompressed in memory, chunk by chunk, its CRC-32 checked and its real size compared with
   the declared one; a nested zip small enough to hold in memory is opened (not recursed into) and refused
   when its own declared sizes would be a bomb.
"""

from __future__ import annotations

import io
import itertools
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Ratios are judged only above this many uncompressed bytes.
RATIO_FLOOR = 64 * 1024
# Nested zips up to this size (uncompressed) are opened in memory and their declared sizes checked.
NESTED_INSPECT_MAX = 32 * 1024 * 1024
CHUNK = 1024 * 1024
MAX_NAME_LENGTH = 1024
SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
NESTED_SUFFIXES = (".zip", ".jar", ".apk", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".epub")
_DRIVE = re.compile(r"^[A-Za-z]:")
# Bidirectional-text controls hide a file's real extension ("evil\u202egpj.exe" shows as "evilexe.jpg").
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ENCRYPTED_FLAGS = 0x1 | 0x40  # traditional PKWARE encryption; strong encryption


@dataclass(frozen=True)
class ZipEntry:
    """One entry of a zip's central directory."""

    name: str
    size: int
    compressed_size: int
    is_dir: bool = False


@dataclass(frozen=True)
class ZipReport:
    """What a checked zip holds."""

    entries: tuple[ZipEntry, ...]
    count: int
    total_size: int
    archive_size: int


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _size_of(fileobj: IO[bytes]) -> int:
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _printable(name: str) -> str:
    """The name as it may be shown in an error message: control characters escaped, at most 80 characters."""
    shown = "".join(
        ch if unicodedata.category(ch) != "Cc" and ch not in _BIDI else f"\\u{ord(ch):04x}" for ch in name
    )
    return shown if len(shown) <= 80 else shown[:77] + "…"


def check_name(name: str) -> None:
    """Refuse an entry name that could write outside the folder it is extracted to, or mislead a reader."""
    shown = _printable(name)
    if not name or name in {"/", "\\"}:
        raise _refuse(_("The zip has an entry without a name."), "empty_name")
    if len(name) > MAX_NAME_LENGTH:
        raise _refuse(
            _("The zip has an entry whose name is too long: %(name)s") % {"name": shown}, "long_name"
        )
    if any(unicodedata.category(ch) == "Cc" or ch in _BIDI for ch in name):
        raise _refuse(
            _("The zip has an entry whose name contains control characters: %(name)s") % {"name": shown},
            "control_characters",
        )
    if "\\" in name:
        raise _refuse(
            _("The zip has a Windows-style path with backslashes: %(name)s. Use forward slashes.")
            % {"name": shown},
            "backslash",
        )
    if _DRIVE.match(name):
        raise _refuse(
            _("The zip has an entry with a drive letter: %(name)s. Paths must be relative.")
            % {"name": shown},
            "drive",
        )
    if name.startswith("/"):
        raise _refuse(
            _("The zip has an absolute path: %(name)s. Paths must be relative.") % {"name": shown},
            "absolute_path",
        )
    segments = name.rstrip("/").split("/")
    if any(segment in {"..", "."} for segment in segments):
        raise _refuse(
            _("The zip has a path that leaves its folder (“..”): %(name)s.") % {"name": shown},
            "parent_path",
        )
    if any(segment == "" for segment in segments):
        raise _refuse(
            _("The zip has a path with an empty folder name: %(name)s.") % {"name": shown}, "empty_segment"
        )


def _check_entry(info: zipfile.ZipInfo) -> None:
    shown = _printable(info.filename)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise _refuse(
            _("The zip has a symbolic link: %(name)s. Links are not allowed; include the file itself.")
            % {"name": shown},
            "symlink",
        )
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise _refuse(
            _("The zip has an entry that is not a file or a folder: %(name)s.") % {"name": shown},
            "special_file",
        )
    if info.flag_bits & _ENCRYPTED_FLAGS:
        raise _refuse(
            _("The zip has an encrypted entry: %(name)s. Upload it without a password.") % {"name": shown},
            "encrypted",
        )
    if info.compress_type not in SUPPORTED_METHODS:
        raise _refuse(
            _("The zip uses a compression method we cannot read for %(name)s. Use ordinary (deflate) zip.")
            % {"name": shown},
            "compression_method",
        )


def _bomb_message() -> str:
    return _(
        "The zip expands far more than ordinary work does (more than %(ratio)s times its size). It looks like a "
        "zip bomb and was refused."
    ) % {"ratio": settings.HAAT_DELIVERY_MAX_RATIO}


def _check_ratios(infos: list[zipfile.ZipInfo], archive_size: int) -> int:
    max_ratio: int = settings.HAAT_DELIVERY_MAX_RATIO
    max_total: int = settings.HAAT_DELIVERY_MAX_UNCOMPRESSED
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise _refuse(
                _("%(name)s: %(reason)s") % {"name": _printable(info.filename), "reason": _bomb_message()},
                "ratio",
            )
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise _refuse(
            _("The zip holds %(size)s when unpacked; the limit is %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(max_total)},
            "uncompressed_size",
        )
    if total > RATIO_FLOOR and total > max_ratio * max(archive_size, 1):
        raise _refuse(_bomb_message(), "ratio")
    return total


def _check_overlap(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse entries whose compressed bytes overlap (one kernel shared by many entries: a zip bomb)."""
    spans = sorted((info.header_offset, info.header_offset + 30 + info.compress_size) for info in infos)
    for (_start, end), (next_start, _end) in itertools.pairwise(spans):
        if next_start < end:
            raise _refuse(_bomb_message(), "overlap")


def _is_nested_archive(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith(NESTED_SUFFIXES)


def _check_nested(info: zipfile.ZipInfo, data: bytes) -> None:
    """A nested zip is one entry; it is not recursed into, but its own declared sizes must not be a bomb."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as nested:
            inner = nested.infolist()
    # zipfile raises NotImplementedError for compression methods it cannot read: a refusal, not a stub.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # not a readable zip: just bytes, already counted and checked as an entry
    if len(inner) > settings.HAAT_DELIVERY_MAX_ENTRIES:
        raise _refuse(
            _("The zip contains an archive (%(name)s) with too many entries.")
            % {"name": _printable(info.filename)},
            "nested_entries",
        )
    try:
        _check_ratios(inner, len(data))
        _check_overlap(inner)
    except ValidationError as exc:
        raise _refuse(
            _("The zip contains an archive (%(name)s) that looks like a zip bomb.")
            % {"name": _printable(info.filename)},
            "nested_bomb",
        ) from exc


def _verify_contents(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry in memory, chunk by chunk: CRC-32 and real size must match the declared ones."""
    for info in infos:
        if info.is_dir():
            continue
        nested = _is_nested_archive(info) and info.file_size <= NESTED_INSPECT_MAX
        kept = bytearray()
        real = 0
        crc = 0
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                if real == 0 and chunk.startswith(b"PK\x03\x04") and info.file_size <= NESTED_INSPECT_MAX:
                    nested = True  # a zip by its signature, whatever its name
                real += len(chunk)
                crc = zlib.crc32(chunk, crc)
                if nested:
                    kept += chunk
        # zipfile stops at the declared size and raises on a CRC mismatch; check both anyway.
        if real != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(info.filename)
        if nested:
            _check_nested(info, bytes(kept))


def check_zip(fileobj: IO[bytes]) -> ZipReport:
    """Check ``fileobj`` (seekable, binary) as a delivery zip; return what it holds or raise
    ``ValidationError`` with one clear message. Leaves the file positioned at its start."""
    archive_size = _size_of(fileobj)
    max_bytes: int = settings.HAAT_DELIVERY_MAX_BYTES
    if archive_size > max_bytes:
        raise _refuse(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(archive_size), "limit": filesizeformat(max_bytes)},
            "too_large",
        )
    not_a_zip = _(
        "The file is not a readable zip archive (or it is damaged or incomplete). Upload a .zip file."
    )
    try:
        if archive_size == 0 or not zipfile.is_zipfile(fileobj):
            raise _refuse(not_a_zip, "not_zip")
        fileobj.seek(0)
        # zipfile tolerates data before the first entry: an image or a program with a zip appended.
        if fileobj.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):  # an entry, or an empty zip's directory
            raise _refuse(not_a_zip, "not_zip")
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if not infos:
                raise _refuse(_("The zip is empty."), "empty")
            max_entries: int = settings.HAAT_DELIVERY_MAX_ENTRIES
            if len(infos) > max_entries:
                raise _refuse(
                    ngettext(
                        "The zip has %(count)s entries; at most %(limit)s is allowed.",
                        "The zip has %(count)s entries; at most %(limit)s are allowed.",
                        max_entries,
                    )
                    % {"count": len(infos), "limit": max_entries},
                    "too_many_entries",
                )
            seen: set[str] = set()
            for info in infos:
                check_name(info.orig_filename)
                key = info.filename.rstrip("/")
                if key in seen:
                    raise _refuse(
                        _("The zip has two entries with the same name: %(name)s.")
                        % {"name": _printable(info.filename)},
                        "duplicate",
                    )
                seen.add(key)
                _check_entry(info)
            total = _check_ratios(infos, archive_size)
            _check_overlap(infos)
            _verify_contents(archive, infos)
    except ValidationError:
        raise
    # What zipfile raises for damaged archives; NotImplementedError means an unsupported compression method.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise _refuse(
            _("The zip is damaged or incomplete (its contents do not match its checksums). Create it again."),
            "damaged",
        ) from exc
    finally:
        fileobj.seek(0)
    entries = tuple(
        ZipEntry(
            name=info.filename, size=info.file_size, compressed_size=info.compress_size, is_dir=info.is_dir()
        )
        for info in infos
    )
    return ZipReport(entries=entries, count=len(entries), total_size=total, archive_size=archive_size)


def read_entries(fileobj: IO[bytes]) -> list[ZipEntry]:
    """The central directory of an already-checked zip: names and sizes, nothing extracted."""
    with zipfile.ZipFile(fileobj) as archive:
        return [
            ZipEntry(
                name=info.filename,
                size=info.file_size,
                compressed_size=info.compress_size,
                is_dir=info.is_dir(),
            )
            for info in archive.infolist()
        ]
