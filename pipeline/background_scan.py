"""Stat the corpus in a child process while the load gets ready in this one.

A one-file re-ingest of 100,000 files spends about half its time in the scan (one stat per
file, which cannot be skipped: an edit in place changes no folder) and a third getting ready
(parsing the command line, importing DuckDB, opening the previous database, reading its stamps,
importing the parser). Neither needs the other, but a thread cannot overlap them: every stat
gives up and takes back the interpreter lock, and an importing thread keeps it for 5 ms each
time. A child forked before any of that (`early_scan` forks it as the program starts) runs
`discover.scan_postmortems` on the other core.

The child streams its records: every `discover.BATCH` of them is written to a memory file
(marshal) and announced on a pipe, so the load compares each batch with the previous load's
stamps while later ones are still being stat'ed, instead of all 100,000 after the scan (0.05 s
of set lookups and 0.02 s of unmarshalling). A memory file rather than the pipe itself: the
child never waits for the load to read (a pipe holds 64 KiB; 100,000 records are 13 MB).

The child is only a way to run the same function sooner: if it cannot be started, dies, or
sends something unreadable, the scan runs here instead (and a consumer of the batches is told
to start again), so the result is the same either way. The child ignores Ctrl-C (the load's
process answers it), keeps none of the load's open files, and is killed and reaped when the
load stops early.
"""

from __future__ import annotations

import gc
import marshal
import os
import select
import signal

# Only what the fork needs is imported here: `early_scan` forks before anything else is
# imported, and dataclasses, typing and tempfile would delay that by ~15 ms. The scan's own
# modules are imported by whichever process scans.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.discover import Scan
    from pipeline.previous_load import Comparison as BatchConsumer
    # A consumer takes the records batch by batch as they arrive (`add(records)`) and can be
    # told to forget them all (`restart()`): the same records then come again from the start.

BATCH_WRITTEN = b"b"
SCAN_DONE = b"e"
LENGTH_BYTES = 8


class BackgroundScan:
    """`scan_postmortems(paths)` started in a child process; `result()` waits for it.

    Use with `contextlib.closing` (or call `close`), so a load that stops early reaps it."""

    def __init__(self, paths: list[str | Path]) -> None:
        self.paths = paths
        self.pid: int | None = None
        self.notices: int | None = None
        self.data: int | None = None
        self.exited_well = False
        self._pending = b""
        """Notices read from the pipe but not acted on yet."""
        self._offset = 0
        self._done = False
        try:
            data = _memory_file()
        except OSError:
            return  # no child: result() scans here
        read_end, write_end = os.pipe()
        # SIGINT is blocked across the fork so the child ignores it before one can arrive (as
        # the parser workers do); one that comes meanwhile reaches this process alone.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for fd in (read_end, write_end, data):
                os.close(fd)
            return
        if pid == 0:
            _child(paths, data, write_end)  # never returns
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_end)
        self.pid, self.notices, self.data = pid, read_end, data

    def running(self) -> bool:
        """Whether the child is still scanning."""
        if self.notices is None or self._done or SCAN_DONE in self._pending:
            return False
        poller = select.poll()
        poller.register(self.notices, select.POLLIN)
        while poller.poll(0):
            notices = os.read(self.notices, 4096)
            if not notices:  # the child is gone, done or not
                return False
            self._pending += notices
            if SCAN_DONE in notices:
                return False
        return True

    def result(self, consumer: BatchConsumer | None = None) -> Scan:
        """The scan: the child's if it finished well, else made here. `consumer`, if given,
        is handed every record of the result, in order, as the child finds them."""
        streamed: list[str] = []
        try:
            received = self._receive(streamed, consumer)
        finally:
            self.close()
        if received is None or not self.exited_well:
            if streamed and consumer is not None:
                consumer.restart()
            return self._scan_here(consumer)
        return received

    def _scan_here(self, consumer: BatchConsumer | None) -> Scan:
        from pipeline.discover import scan_postmortems

        scan = scan_postmortems(self.paths)
        if consumer is not None:
            consumer.add(scan.records)
        return scan

    def _receive(self, streamed: list[str], consumer: BatchConsumer | None) -> Scan | None:
        """Act on the child's notices until it says it is done; None if it never does."""
        from pipeline.discover import Scan, Skipped, unique_records

        if self.notices is None:
            return None
        several_paths = len(self.paths) > 1
        while True:
            while not self._pending:
                notices = os.read(self.notices, 4096)
                if not notices:
                    return None
                self._pending += notices
            notice, self._pending = self._pending[:1], self._pending[1:]
            message = self._next_message()
            if message is None:
                return None
            try:
                if notice == BATCH_WRITTEN:
                    batch = message
                else:
                    batch, skipped = message
                    skipped = [Skipped(*s) for s in skipped]
            except (TypeError, ValueError):
                return None
            streamed.extend(batch)
            if consumer is not None and not several_paths:
                consumer.add(batch)
            if notice == SCAN_DONE:
                break
        records = streamed
        if several_paths:
            # Overlapping paths can only be made unique once all is in: no streaming then.
            records = unique_records(streamed)
            if consumer is not None:
                consumer.add(records)
        self._done = True
        return Scan(records, skipped)

    def _next_message(self):
        """The next marshalled message in the memory file, or None if it is unreadable."""
        try:
            length = int.from_bytes(os.pread(self.data, LENGTH_BYTES, self._offset), "little")
            payload = os.pread(self.data, length, self._offset + LENGTH_BYTES)
            if len(payload) != length:
                return None
            self._offset += LENGTH_BYTES + length
            return marshal.loads(payload)
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def close(self) -> None:
        """Stop the child if it still runs, and reap it (safe to call more than once)."""
        for name in ("notices", "data"):
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                if not self._done:  # once it said it is done it is exiting: let it
                    os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return
        self.exited_well = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _memory_file() -> int:
    """A file in memory both processes write and read at their own offsets."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("postmortems-scan", os.MFD_CLOEXEC)
        except OSError:
            pass
    import tempfile

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - only its descriptor is kept
    fd = os.dup(handle.fileno())
    handle.close()
    return fd


def _child(paths: list[str | Path], data: int, notices: int) -> None:
    """Scan, write the batches, exit. Nothing of the parent's (its finally blocks, atexit
    handlers, buffered output) runs here: every way out is os._exit."""
    code = 1
    offset = 0

    def send(message: object, notice: bytes) -> None:
        nonlocal offset
        payload = marshal.dumps(message)
        view = memoryview(len(payload).to_bytes(LENGTH_BYTES, "little") + payload)
        while view:
            written = os.pwrite(data, view, offset)
            offset += written
            view = view[written:]
        os.write(notices, notice)

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        # None of the parent's descriptors (the terminal, a caller's pipes) stays open here:
        # a child outliving a killed load must not keep them.
        keep = sorted((data, notices))
        os.closerange(0, keep[0])
        os.closerange(keep[0] + 1, keep[1])
        os.closerange(keep[1] + 1, os.sysconf("SC_OPEN_MAX"))
        gc.disable()  # the scan makes no cycles; a collection would walk the parent's objects
        from pipeline.discover import scan_postmortems

        scan = scan_postmortems(paths, on_batch=lambda batch: send(batch, BATCH_WRITTEN))
        send((scan.records, [(s.path, s.code, s.message) for s in scan.skipped]), SCAN_DONE)
        code = 0
    finally:
        os._exit(code)
