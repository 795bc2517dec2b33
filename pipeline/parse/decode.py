"""Turn the raw file content into text with '\\n' line ends, or say why it is not text."""

from __future__ import annotations

from pipeline.parse.problems import ProblemLog

_BOM = b"\xef\xbb\xbf"
# Bytes that never appear in a text file (all C0 controls except tab, LF, FF, CR, ESC).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_SNIFF = 8192


def decode(data: str | bytes, log: ProblemLog) -> str | None:
    """Return the document text (BOM stripped, CRLF/CR folded to LF), or None after an error."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if raw.startswith(_BOM):
            raw = raw[3:]
        elif raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            # UTF-16 with its BOM (Windows editors): text, though full of NUL bytes
            try:
                text16 = raw.decode("utf-16")
            except UnicodeDecodeError:
                text16 = None
            if text16 is not None:
                log.add(
                    "not_utf8",
                    "The file is UTF-16 (it starts with a UTF-16 BOM); read as UTF-16.",
                    1,
                )
                return decode(text16, log)
        if b"\x00" in raw:
            log.add("binary_file", "The file contains NUL bytes: it is not a text document.")
            return None
        sample = raw[:_SNIFF]
        if sample and len(sample.translate(None, _CONTROL_BYTES)) < 0.9 * len(sample):
            log.add("binary_file", "More than 10% of the first bytes are control characters.")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            log.add(
                "invalid_utf8",
                f"Byte {exc.start} is not valid UTF-8; undecodable bytes were replaced with U+FFFD.",
                line,
            )
            text = raw.decode("utf-8", errors="replace")
    else:
        text = data
        if "\x00" in text:
            log.add("binary_file", "The text contains NUL characters: it is not a text document.")
            return None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        log.add("empty_file", "The file is empty or holds only whitespace.")
        return None
    return text
