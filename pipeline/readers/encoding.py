"""Raw bytes -> text: the encoding detected or declared, NUL bytes in a few lines marked, a clear error otherwise."""

from ..problems import ExportError

# why: a NUL byte in a line or two is a damaged row; many of them, or one in the header, a binary file
MAX_NUL_SHARE = 0.01


def detect_encoding(data: bytes, name: str) -> str:
    """A file's encoding: a UTF-8 BOM, valid UTF-8, else what charset-normalizer finds (Shift_JIS read as cp932)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _decodes(data, "cp932"):
        return "cp932"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ExportError(name, "encoding not recognised: declare it in the adapter (encoding or encodings)")
    found = best.encoding.lower().replace("_", "-")
    if found in ("shift-jis", "cp932", "ms932", "sjis"):
        return "cp932"
    if found in ("utf-8", "ascii"):
        return "utf-8"
    raise ExportError(name, f"the file looks like {found}; mieruka reads UTF-8 and cp932: re-export it or declare "
                            "the encoding in the adapter")


def decode_rows(data: bytes, encoding: str, name: str) -> tuple[str, list[int]]:
    """decode(), but a NUL byte in a few lines only marks those lines (returned) instead of failing the file."""
    nul = data.count(b"\x00")
    if not nul or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode(data, encoding, name), []
    first_line_end = data.find(b"\n")
    in_header = data.find(b"\x00") < (first_line_end if first_line_end >= 0 else len(data))
    if in_header or nul > max(1, len(data) * MAX_NUL_SHARE):
        return decode(data, encoding, name), []  # raises: a binary file
    lines: list[int] = []
    offset = data.find(b"\x00")
    while offset >= 0:
        lines.append(data[:offset].count(b"\n") + 1)
        offset = data.find(b"\x00", offset + 1)
    return decode(data.replace(b"\x00", b""), encoding, name), sorted(set(lines))


def decode(data: bytes, encoding: str, name: str) -> str:
    """Bytes -> text in the declared encoding; a clear error if the file is in another one."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ExportError(name, "file is UTF-16; export it as UTF-8 or CP932")
    if (nul := data.find(b"\x00")) >= 0:
        raise ExportError(name, "file contains NUL bytes: it is binary, not a text export",
                          row=data[:nul].count(b"\n") + 1)
    if encoding == "cp932" and _is_utf8_with_non_ascii(data):
        raise ExportError(name, "declared encoding cp932, but the file is UTF-8: fix the adapter")
    codec = "utf-8-sig" if encoding.startswith("utf-8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        other = "utf-8" if encoding == "cp932" else "cp932"
        cut = _cut_off(data, exc, encoding)
        if cut and _decodes(data[: exc.start] + data[exc.end:], "utf-8"):  # why: all else is UTF-8
            hint = cut
        elif _decodes(data, other):
            hint = f" (it decodes as {other}: fix the adapter)"
        elif _decodes(_line_at(data, exc.start), other):
            hint = f" (this line is {other}: the file mixes encodings)"
        else:
            hint = cut
        raise ExportError(name, f"not valid {encoding} at byte {exc.start}{hint}", row=line) from exc


def _cut_off(data: bytes, exc: UnicodeDecodeError, encoding: str) -> str:
    """A hint when the bad bytes are the start of a UTF-8 character cut off by the end of the file or of its line
    (an export truncated, or a line cut to a byte length), else ''."""
    if not encoding.startswith("utf-8") or exc.reason not in ("unexpected end of data", "invalid continuation byte"):
        return ""
    if exc.end >= len(data):
        return " (the file ends in the middle of a character: it was cut off; export it again)"
    if data[exc.end:exc.end + 1] in (b"\n", b"\r"):
        return " (a character is cut off at the end of this line: the line was truncated)"
    return ""


def _line_at(data: bytes, offset: int) -> bytes:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return data[start:] if end < 0 else data[start:end]


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return not body.isascii() and _decodes(body, "utf-8")
