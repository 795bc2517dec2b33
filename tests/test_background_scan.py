"""The scan a load runs in a child process: the same result as scanning here, whatever happens
to the child, and a child that keeps none of the load's files and never outlives it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pipeline.background_scan import BackgroundScan
from pipeline.discover import path_of, scan_postmortems

PIPE_BYTES = 64 * 1024
"""Linux's pipe buffer: a child with more to send waits, alive, until the load reads."""


def _awkward_corpus(folder: Path) -> Path:
    (folder / "team" / "deep").mkdir(parents=True)
    (folder / "team" / "a.md").write_text("# A\n")
    (folder / "team" / "deep" / "b.markdown").write_text("# B\n")
    (folder / "team" / "notes.txt").write_text("not a postmortem\n")
    (folder / ".hidden.md").write_text("# hidden\n")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.md").symlink_to(folder / "gone.md")  # its stat fails
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "wb") as handle:
        handle.write(b"# not UTF-8 in its name\n")
    return folder


def _big_corpus(folder: Path) -> Path:
    """More records than a pipe holds, so the child is still there when the test looks."""
    folder.mkdir()
    name = "a-postmortem-with-a-long-descriptive-file-name-{:05d}.md"
    for i in range(PIPE_BYTES // 60):
        (folder / name.format(i)).write_bytes(b"")
    return folder


def _pipe_of(pid: int) -> int:
    (fd,) = [
        int(fd)
        for fd in os.listdir(f"/proc/{pid}/fd")
        if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("pipe:")
    ]
    return fd


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_finds_what_a_scan_here_finds(tmp_path):
    corpus = _awkward_corpus(tmp_path / "pm")
    # Overlapping and missing paths too: each file once, each problem said.
    paths = [corpus, corpus / "team" / "a.md", tmp_path / "missing"]
    here = scan_postmortems(paths)
    there = BackgroundScan(paths).result()
    assert there.records == here.records
    assert there.skipped == here.skipped
    found = {path_of(r): r.partition("\0")[2] for r in there.records}
    assert sorted(map(os.path.basename, found)) == [
        "a.md",
        "b.markdown",
        "caf\udce9.md",
        "dangling.md",
    ]
    assert found[str(corpus / "dangling.md")] == ""  # no stamp: it is read, and rejected
    assert found[str(corpus / "team" / "a.md")].split() == [
        str((corpus / "team" / "a.md").stat().st_size),
        str((corpus / "team" / "a.md").stat().st_mtime_ns),
    ]
    assert [s.code for s in there.skipped] == ["symlink_loop", "not_found"]


def test_a_child_that_dies_leaves_the_scan_to_this_process(tmp_path):
    corpus = _big_corpus(tmp_path / "pm")
    scan = BackgroundScan([corpus])
    os.kill(scan.pid, signal.SIGKILL)
    assert scan.result() == scan_postmortems([corpus])
    assert not scan.exited_well


def test_the_child_keeps_none_of_the_loads_files_and_ignores_ctrl_c(tmp_path):
    corpus = _big_corpus(tmp_path / "pm")
    with open(tmp_path / "held-by-the-load", "w"):
        scan = BackgroundScan([corpus])
        descriptors = Path(f"/proc/{scan.pid}/fd")
        # Waiting for the child to close what it inherited; it then blocks on the full pipe.
        deadline = time.monotonic() + 60
        while len(os.listdir(descriptors)) > 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert os.listdir(descriptors) == [str(_pipe_of(scan.pid))]
        os.kill(scan.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        pid = scan.pid
        result = scan.result()
    assert scan.exited_well  # the child's own result, not the scan made here after it died
    assert len(result.records) == PIPE_BYTES // 60
    assert _reaped(pid)


def test_a_load_that_stops_early_stops_and_reaps_the_child(tmp_path):
    scan = BackgroundScan([_big_corpus(tmp_path / "pm")])
    pid = scan.pid
    scan.close()
    scan.close()  # twice is harmless
    assert _reaped(pid)
    assert not Path(f"/proc/{pid}").exists()


def test_running_until_the_child_has_scanned(tmp_path):
    scan = BackgroundScan([_big_corpus(tmp_path / "pm")])
    deadline = time.monotonic() + 60
    while scan.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not scan.running()
    # Done scanning, the child waits, alive, for the load to read what the pipe cannot hold.
    assert not _reaped(scan.pid)
    assert len(scan.result().records) == PIPE_BYTES // 60
    assert scan.exited_well
    assert not scan.running()
