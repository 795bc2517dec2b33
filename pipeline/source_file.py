"""Read one postmortem file safely: the one way ingest, lint and the dashboard open sources.

A folder of postmortems can hold anything a shell can make: a FIFO (opening it for reading
blocks until a writer comes), a symlink to /dev/zero (reading never ends), a 50 MB export.
So the file is opened without blocking, checked to be a regular file on the open descriptor
(no window between a check and the open), and read only up to the size limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(slots=True)
class SourceRead:
    data: bytes | None
    """The content, or None when the file was not read (see `code` and `reason`)."""
    size: int | None = None
    mtime_ns: int | None = None
    code: str | None = None
    """'unreadable_file' or 'too_large' when data is None."""
    reason: str | None = None


def read_source(path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceRead:
    """Read a postmortem's bytes, or say why not. Never raises, never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return SourceRead(
            None, code="unreadable_file", reason=f"cannot read file: {exc.strerror or exc}"
        )
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return SourceRead(
                None,
                st.st_size,
                st.st_mtime_ns,
                "unreadable_file",
                "not a regular file (a FIFO, a device or a folder); not opened",
            )
        if st.st_size > max_bytes:
            return SourceRead(
                None, st.st_size, st.st_mtime_ns, "too_large", _too_large(st.st_size, max_bytes)
            )
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            # Asking for one byte more than the size also asks "is that the end?": a file
            # that returns less, and no less than its size, is at its end (one read, not two).
            want = min(remaining, st.st_size + 1) if not chunks else min(remaining, 1 << 20)
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            if len(chunk) < want and max_bytes + 1 - remaining >= st.st_size:
                break
        data = b"".join(chunks)
        if len(data) > max_bytes:  # it grew while we read
            return SourceRead(
                None, len(data), st.st_mtime_ns, "too_large", _too_large(len(data), max_bytes)
            )
        return SourceRead(data, st.st_size, st.st_mtime_ns)
    except OSError as exc:
        return SourceRead(
            None, code="unreadable_file", reason=f"cannot read file: {exc.strerror or exc}"
        )
    finally:
        os.close(fd)


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit "
        "(raise it with --max-file-mb)"
    )
