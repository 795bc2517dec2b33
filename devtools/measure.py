"""Run a command as a child process and measure it: wall time, CPU, memory, bytes written.

No psutil here: the process tree comes from /proc, its proportional memory (PSS) from
/proc/PID/smaps_rollup, CPU time and bytes written from wait4's rusage.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    seconds: float
    peak_tree_rss: int
    """Largest sum of RSS over the child and its descendants, sampled every 50 ms. Pages the
    workers share with the parent after fork count once per process, so this overstates."""
    peak_tree_pss: int
    """Largest sum of PSS (shared pages split between their users): what the tree really holds."""
    max_single_rss: int
    """Largest RSS of any one process of the tree (wait4's ru_maxrss)."""
    returncode: int
    output: str
    timed_out: bool = False
    cpu_seconds: float = 0.0
    """User + system CPU of the child and the workers it waited for: steadier than wall time
    on a machine shared with other work."""
    written_bytes: int = 0
    """Bytes the tree caused to be written to storage (wait4's ru_oublock, 512-byte units)."""


def _children_of(root_pid: int) -> set[int]:
    """root_pid and all its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces; fields after the closing parenthesis are fixed
        fields = stat[stat.rindex(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    tree = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _tree_memory(root_pid: int) -> tuple[int, int]:
    """(RSS, PSS) summed over the tree, in bytes."""
    rss = pss = 0
    for pid in _children_of(root_pid):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                rss += int(fh.read().split()[1]) * PAGE_SIZE
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            pass
    return rss, pss


def run_measured(cmd: list[str], timeout: float, *, cwd: Path, env: dict | None = None) -> Run:
    """Run `cmd` as a child, timing it and watching the memory of its whole process tree.
    A run longer than `timeout` seconds is killed (its whole process group) and marked."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a timeout can stop its workers too
    )
    peak_rss = peak_pss = 0
    timed_out = False
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss, timed_out
        while not done.is_set():
            rss, pss = _tree_memory(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            if not timed_out and time.perf_counter() - started > timeout:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        seconds=seconds,
        peak_tree_rss=peak_rss,
        peak_tree_pss=peak_pss,
        max_single_rss=usage.ru_maxrss * 1024,
        returncode=proc.returncode,
        output=output,
        timed_out=timed_out,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        written_bytes=usage.ru_oublock * 512,
    )
