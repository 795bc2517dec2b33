"""The scan a load runs in a child process: the same result as scanning here, whatever happens
to the child, batches handed over as they are found, and a child that keeps none of the load's
files and never outlives it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from pipeline import discover
from pipeline.background_scan import BackgroundScan
from pipeline.discover import path_of, scan_postmortems

FILES = 1500


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
    """Enough files for several batches once BATCH is made small."""
    (folder / "b").mkdir(parents=True)
    name = "a-postmortem-with-a-long-descriptive-file-name-{:05d}.md"
    for i in range(FILES):
        (folder / ("b" if i % 3 else ".") / name.format(i)).write_bytes(b"")
    return folder


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 100 records, so a test corpus streams in several (the child inherits it)."""
    monkeypatch.setattr(discover, "BATCH", 100)


class Collector:
    """A consumer of batches that remembers what it was given."""

    def __init__(self, on_add=None):
        self.records: list[str] = []
        self.batches = 0
        self.restarts = 0
        self.on_add = on_add

    def add(self, records):
        self.records += records
        self.batches += 1
        if self.on_add:
            self.on_add()

    def restart(self):
        self.records = []
        self.restarts += 1


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _state(pid: int) -> str:
    """The process's state letter (R, S, T stopped, Z exited)."""
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rpartition(")")[2].split()[0]


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


def test_batches_reach_the_consumer_in_order_as_found(tmp_path, small_batches):
    corpus = _big_corpus(tmp_path / "pm")
    collector = Collector()
    scan = BackgroundScan([corpus]).result(collector)
    assert scan.records == scan_postmortems([corpus]).records
    assert collector.records == scan.records
    assert collector.batches == FILES // 100 + 1
    assert collector.restarts == 0


def test_overlapping_paths_reach_the_consumer_once_each(tmp_path, small_batches):
    corpus = _big_corpus(tmp_path / "pm")
    paths = [corpus / "b", corpus]
    collector = Collector()
    scan = BackgroundScan(paths).result(collector)
    assert len(scan.records) == FILES
    assert collector.records == scan.records == scan_postmortems(paths).records


def test_a_child_that_dies_leaves_the_scan_to_this_process(tmp_path):
    corpus = _big_corpus(tmp_path / "pm")
    scan = BackgroundScan([corpus])
    os.kill(scan.pid, signal.SIGKILL)
    collector = Collector()
    assert scan.result(collector) == scan_postmortems([corpus])
    assert not scan.exited_well
    assert collector.records == scan_postmortems([corpus]).records


def test_a_child_that_dies_midway_makes_the_consumer_start_again(tmp_path, small_batches):
    corpus = _big_corpus(tmp_path / "pm")
    scan = BackgroundScan([corpus])
    pid = scan.pid
    # Killed when its first batch arrives: whether it had finished by then or not, the consumer
    # ends with every record once, and was told to start again only if the child died.
    collector = Collector(on_add=lambda: collector.batches == 1 and os.kill(pid, signal.SIGKILL))
    result = scan.result(collector)
    assert result == scan_postmortems([corpus])
    assert collector.records == result.records
    assert collector.restarts == (0 if scan.exited_well else 1)
    assert _reaped(pid)


def test_the_child_keeps_none_of_the_loads_files_and_ignores_ctrl_c(tmp_path):
    corpus = _big_corpus(tmp_path / "pm")
    with open(tmp_path / "held-by-the-load", "w"):
        for _attempt in range(50):
            scan = BackgroundScan([corpus])
            pid = scan.pid
            os.kill(pid, signal.SIGSTOP)
            kept = _descriptors_once_closed(pid)
            if kept is not None:
                break
            scan.close()  # it finished before it could be seen: try again
        assert kept is not None
        # Its memory file and the pipe of its notices: nothing of the load's.
        assert sorted(kept) == ["/memfd:postmortems-scan (deleted)", "pipe"]
        os.kill(pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        os.kill(pid, signal.SIGCONT)
        result = scan.result()
    assert scan.exited_well  # the child's own result, not the scan made here after it died
    assert len(result.records) == FILES
    assert _reaped(pid)


def _descriptors_once_closed(pid: int) -> list[str] | None:
    """Let the stopped child run until it holds only its own two descriptors, stop it there
    and name them (pipes by kind); None if it exited before that could be seen."""
    descriptors = f"/proc/{pid}/fd"
    os.kill(pid, signal.SIGCONT)
    try:
        while True:
            if _state(pid) == "Z":
                return None
            names = os.listdir(descriptors)
            if len(names) == 2:
                os.kill(pid, signal.SIGSTOP)
                if _state(pid) == "Z":
                    return None
                links = [os.readlink(f"{descriptors}/{n}") for n in os.listdir(descriptors)]
                if len(links) == 2:
                    return ["pipe" if link.startswith("pipe:") else link for link in links]
                return None
    except OSError:
        return None


def test_a_load_that_stops_early_stops_and_reaps_the_child(tmp_path):
    scan = BackgroundScan([_big_corpus(tmp_path / "pm")])
    pid = scan.pid
    scan.close()
    scan.close()  # twice is harmless
    assert _reaped(pid)
    assert not Path(f"/proc/{pid}").exists()


def test_running_until_the_child_has_scanned(tmp_path, small_batches):
    corpus = _big_corpus(tmp_path / "pm")
    scan = BackgroundScan([corpus])
    deadline = time.monotonic() + 60
    while scan.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not scan.running()
    collector = Collector()
    # Notices read while asking are acted on later: every batch still reaches the consumer.
    assert len(scan.result(collector).records) == FILES
    assert collector.records == scan_postmortems([corpus]).records
    assert scan.exited_well
    assert not scan.running()
