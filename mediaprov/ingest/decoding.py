r"""Decoding: bytes of a text file, an HTML page or a WARC payload to text, and which encoding.

The rule, for text and HTML files: a BOM (UTF-8, UTF-16, UTF-32) wins; else strict UTF-8; else
cp1252 when it decodes strictly and yields no control characters besides tab, CR and LF. We do
not use charset-normalizer: on news text the rule above is exact and explainable, while a
statistical guess could silently mis-decode a short file; an undecodable file is quarantined
with the offset of its first bad byte instead. HTML pages and WARC payloads may also name their
charset (a ``<meta>`` tag, a ``Content-Type`` header), which is used when valid UTF-8 is not.

Example:
    >>> decode_bytes("caf\u00e9\r\n".encode("utf-8"))
    ('café\n', 'utf-8')
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

__all__ = [
    "BOMS", "DecodeError", "decode_bytes", "decode_html", "decode_payload", "hash_and_encoding",
]

BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks and the codec each one names, in the order they are tried."""

_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


class DecodeError(ValueError):
    """Bytes that are not text we can decode; the message is the quarantine reason."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    r"""Decode a text or HTML file (BOM, then UTF-8, then cp1252) and normalise line endings.

    Args:
        data: the whole file.

    Returns:
        ``(text, encoding)``: text with ``\n`` line endings and no leading BOM, and the encoding
        used (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-16-be``, ``utf-32-le``,
        ``utf-32-be`` or ``cp1252``).

    Raises:
        DecodeError: "empty file", "binary file (NUL bytes), not text" or "cannot decode: not
            valid UTF-8 or cp1252 (first bad byte at offset N)".

    Example:
        >>> decode_bytes("caf\u00e9\r\n".encode("cp1252"))
        ('café\n', 'cp1252')
    """
    by_bom = next((name for bom, name in BOMS if data.startswith(bom)), None)
    if by_bom is not None:
        bom_length = 4 if by_bom.startswith("utf-32") else 3 if by_bom == "utf-8" else 2
        try:
            text = data[bom_length:].decode(by_bom)
        except UnicodeDecodeError as error:
            raise DecodeError(
                f"cannot decode: invalid {by_bom} after its byte-order mark "
                f"(first bad byte at offset {error.start + bom_length})"
            ) from error
        encoding = "utf-8-sig" if by_bom == "utf-8" else by_bom
    else:
        if not data.strip():
            raise DecodeError("empty file")
        if b"\x00" in data:
            raise DecodeError("binary file (NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            first_bad = error.start
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text = ""
            if not text or _BAD_CONTROL.search(text):
                raise DecodeError(
                    "cannot decode: not valid UTF-8 or cp1252 "
                    f"(first bad byte at offset {first_bad})"
                ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError("empty file")
    return text, encoding


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: BOM, valid UTF-8, the charset its ``<meta>`` declares, then cp1252.

    The declared charset is looked for in the first 4 KB; then :func:`decode_bytes`'s cp1252
    fallback applies. Valid UTF-8 wins over a declared single-byte charset (pages that declare
    ISO-8859-1 but are UTF-8 are common; non-ASCII text in another charset is almost never valid
    UTF-8 by chance).

    Args:
        data: the whole page.

    Returns:
        ``(text, encoding)`` as :func:`decode_bytes` returns them (the encoding may also be the
        codec name of a declared charset).

    Raises:
        DecodeError: as :func:`decode_bytes`.

    Example:
        >>> page = '<html><head><meta charset="iso-8859-2"></head><body>Łódź</body></html>'
        >>> decode_html(page.encode("iso-8859-2"))[1]  # the codec's canonical name
        'iso8859-2'
    """
    declared = _META_CHARSET.search(data[:4096])
    if declared and not any(data.startswith(bom) for bom, _ in BOMS):
        try:
            if _is_utf8(data):
                return decode_bytes(data)
            return decode_payload(data, declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_payload(payload: bytes, charset: str | None) -> tuple[str, str]:
    r"""Decode bytes with a declared charset, falling back to :func:`decode_bytes`.

    Only a text codec counts as a charset: ``punycode``, ``base64`` or ``rot13`` are not. A
    charset that is unknown, fails to decode or yields blank text falls back.

    Args:
        payload: the bytes (a WARC response body, an HTML page).
        charset: the charset its headers or markup declare, or ``None``.

    Returns:
        ``(text, encoding)``: text with ``\n`` line endings and no leading BOM, and the codec's
        canonical name (or what :func:`decode_bytes` used).

    Raises:
        DecodeError: the fallback cannot decode the bytes either.

    Example:
        >>> decode_payload("Łódź".encode("iso-8859-2"), "ISO-8859-2")
        ('Łódź', 'iso8859-2')
        >>> decode_payload(b"plain", "base64")
        ('plain', 'utf-8')
    """
    if charset:
        try:
            info = codecs.lookup(charset)
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(charset)
            if info.name in ("punycode", "idna", "raw-unicode-escape", "unicode-escape"):
                raise LookupError(charset)
            text = payload.decode(info.name)
            if text.strip():
                text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
                return text, info.name
        except (LookupError, UnicodeError, ValueError):
            pass
    return decode_bytes(payload)


def hash_and_encoding(file: Path, head: bytes) -> tuple[str, str | None]:
    r"""SHA-256 of a file and the encoding of the whole file, checked in the same pass.

    The encoding is told from the whole file, not its first bytes, so that a cp1252 file whose
    first accent comes late is not read as UTF-8 and cut short: a BOM wins; else UTF-8 when every
    byte decodes; else cp1252 when no control characters appear; else ``None``.

    Args:
        file: the file, read in chunks of 1 MiB (never whole).
        head: its first bytes (where a BOM would be).

    Returns:
        ``(sha256 hex digest, encoding or None)``; the encoding is a name :func:`open` accepts
        (``utf-8-sig``, ``utf-16`` and ``utf-32`` for files with a BOM).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.csv"; _ = path.write_bytes(b"a,b\n\xe9,1\n")
        >>> hash_and_encoding(path, path.read_bytes())[1]
        'cp1252'
    """
    digest = hashlib.sha256()
    bom = next((name for mark, name in BOMS if head.startswith(mark)), None)
    utf8 = codecs.getincrementaldecoder("utf-8")() if bom is None else None
    cp1252_ok = bom is None
    with open(file, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if utf8 is not None:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = None
            if cp1252_ok and utf8 is None:
                try:
                    cp1252_ok = not _BAD_CONTROL.search(chunk.decode("cp1252"))
                except UnicodeDecodeError:
                    cp1252_ok = False
    if bom is not None:
        encoding: str | None = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16",
                                "utf-16-be": "utf-16", "utf-32-le": "utf-32",
                                "utf-32-be": "utf-32"}[bom]
    elif utf8 is not None:
        try:
            utf8.decode(b"", final=True)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252" if cp1252_ok else None
    else:
        encoding = "cp1252" if cp1252_ok else None
    return digest.hexdigest(), encoding
