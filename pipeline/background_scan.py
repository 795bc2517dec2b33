"""Stat the corpus in a child process while the load gets ready in this one.

A one-file re-ingest of 100,000 files spends about half its time in the scan (one stat per
file, which cannot be skipped: an edit in place changes no folder) and a third getting ready
(importing DuckDB, opening the previous database, reading its stamps, importing the parser).
Neither needs the other, but a thread cannot overlap them: every stat gives up and takes back
the interpreter lock, and an importing thread keeps it for 5 ms each time. A child forked
before any of that runs `discover.scan_postmortems` on the other core and hands its result
back through a pipe (marshal: ~15 ms to read 100,000 records).

The child is only a way to run the same function sooner: if it cannot be started, dies, or
sends something unreadable, the scan runs here instead, so the result is the same either way.
The child ignores Ctrl-C (the load's process answers it), keeps none of the load's open files,
and is killed and reaped when the load stops early.
"""

from __future__ import annotations

import gc
import marshal
import os
import select
import signal
from pathlib import Path

from pipeline.discover import Scan, Skipped, scan_postmortems


class BackgroundScan:
    """`scan_postmortems(paths)` started in a child process; `result()` waits for it.

    Use with `contextlib.closing` (or call `close`), so a load that stops early reaps it."""

    def __init__(self, paths: list[str | Path]) -> None:
        self.paths = paths
        self.pid: int | None = None
        self.pipe: int | None = None
        self.exited_well = False
        read_end, write_end = os.pipe()
        # SIGINT is blocked across the fork so the child ignores it before one can arrive (as
        # the parser workers do); one that comes meanwhile reaches this process alone.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read_end)
            os.close(write_end)
            return  # no child: result() scans here
        if pid == 0:
            _child(paths, read_end, write_end)  # never returns
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_end)
        self.pid, self.pipe = pid, read_end

    def running(self) -> bool:
        """Whether the child is still scanning: it sends nothing until it is done."""
        if self.pipe is None:
            return False
        poller = select.poll()
        poller.register(self.pipe, select.POLLIN)
        return not poller.poll(0)

    def result(self) -> Scan:
        """The scan: the child's if it finished well, else made here."""
        received = self._receive()
        if received is None:
            return scan_postmortems(self.paths)
        records, skipped = received
        return Scan(records, [Skipped(*s) for s in skipped])

    def _receive(self) -> tuple[list, list] | None:
        if self.pipe is None:
            return None
        chunks = []
        try:
            while chunk := os.read(self.pipe, 1 << 20):
                chunks.append(chunk)
        finally:
            self.close()
        if not self.exited_well:
            return None
        try:
            return marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return None

    def close(self) -> None:
        """Stop the child if it still runs, and reap it (safe to call more than once)."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return
        self.exited_well = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _child(paths: list[str | Path], read_end: int, write_end: int) -> None:
    """Scan, send the result, exit. Nothing of the parent's (its finally blocks, atexit
    handlers, buffered output) runs here: every way out is os._exit."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.close(read_end)
        # None of the parent's descriptors (the terminal, a caller's pipes) stays open here:
        # a child outliving a killed load must not keep them.
        os.closerange(0, write_end)
        os.closerange(write_end + 1, os.sysconf("SC_OPEN_MAX"))
        gc.disable()  # the scan makes no cycles; a collection would walk the parent's objects
        scan = scan_postmortems(paths)
        data = marshal.dumps((scan.records, [(s.path, s.code, s.message) for s in scan.skipped]))
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    finally:
        os._exit(code)
