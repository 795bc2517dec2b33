"""`make bench`: how fast ingest is, measured against a baseline on the same files in the same run.

    .venv/bin/python -m pipeline.bench                      # 1,000 / 10,000 / 100,000
    .venv/bin/python -m pipeline.bench --sizes 1000,10000   # smaller
    .venv/bin/python -m pipeline.bench --profile 10000      # where the time goes (one process)

For each size a generated corpus is reused from `bench-data/` (git-ignored) or made there. Then:
- baseline: read every file and split its front matter with python-frontmatter (one process:
  the least any ingest must do);
- full ingest: `python -m pipeline.cli ingest DIR --full` in a child process, its peak memory
  sampled as the summed RSS of the child and its workers (and the largest single process from
  wait4, which is what /usr/bin/time -v would print) and its CPU seconds (child and workers:
  steadier than wall time when other work shares the machine);
- on the largest corpus: re-ingest after one file changed, and root-cause clustering if
  `pipeline.clusters` is there; dashboard pages registered in PAGE_TIMINGS are timed too.
Nothing is asserted: this prints figures and the targets beside them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench-data"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
END = date(2026, 11, 27)
START = END - timedelta(days=730)
TARGET_SECONDS_100K = 60.0
TARGET_RSS_BYTES = 1.5 * 1024**3
TARGET_REINGEST_SECONDS = 2.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Dashboard page timings: append (name, function(db_path)) and the bench times one call of each
# against the largest database it built. Keep each function self-contained (import inside).
PAGE_TIMINGS: list[tuple[str, Callable[[Path], object]]] = []


# ---------------------------------------------------------------------------------------------
# Corpora


def _generator_fingerprint() -> str:
    """Changes when the generator's code does, so a stale corpus is made again, not reused."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "pipeline" / "generate").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_for(count: int, seed: int) -> Path:
    """The folder of `count` generated postmortems for `seed`, made unless already complete."""
    from pipeline.generate import generate_corpus, write_corpus

    folder = BENCH_DIR / f"corpus-seed{seed}-n{count}"
    marker = folder / ".complete"
    stamp = f"{_generator_fingerprint()} {count} {seed} {START} {END}\n"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    started = time.perf_counter()
    written = write_corpus(generate_corpus(count, seed, START, END), folder)
    marker.write_text(stamp)
    print(
        f"  generated {written:,} postmortems in {folder.relative_to(ROOT)} "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


# ---------------------------------------------------------------------------------------------
# Measurements


def baseline_seconds(files: list[Path]) -> float:
    """Read every file and split its front matter: what any ingest has to do at least."""
    import frontmatter

    started = time.perf_counter()
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        frontmatter.parse(text)
    return time.perf_counter() - started


def _children_of(root_pid: int) -> set[int]:
    """root_pid and all its descendants, from /proc (no psutil here)."""
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


def _tree_rss(root_pid: int) -> int:
    total = 0
    for pid in _children_of(root_pid):
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE_SIZE
        except OSError:
            pass
    return total


@dataclass
class Run:
    seconds: float
    peak_tree_rss: int
    """Largest sum of RSS over the child and its descendants, sampled every 50 ms."""
    max_single_rss: int
    """Largest RSS of any one process of the tree (wait4's ru_maxrss)."""
    returncode: int
    output: str
    timed_out: bool = False
    cpu_seconds: float = 0.0
    """User + system CPU of the child and the workers it waited for: steadier than wall time
    on a machine shared with other work."""


def run_measured(cmd: list[str], timeout: float) -> Run:
    """Run `cmd` as a child, timing it and watching the memory of its whole process tree.
    A run longer than `timeout` seconds is killed (its whole process group) and marked."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a timeout can stop its workers too
    )
    peak = 0
    timed_out = False
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, timed_out
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
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
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, peak, usage.ru_maxrss * 1024, proc.returncode, output, timed_out, cpu)


def ingest_cmd(folder: Path, db_path: Path, full: bool, workers: int = 0) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--db", str(db_path), "-q"]
    if workers:
        cmd += ["--workers", str(workers)]
    return cmd + ["--full"] if full else cmd


def incident_count(db_path: Path) -> int:
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM incidents").fetchone()[0]


def clustering_seconds(db_path: Path) -> tuple[float, int] | None:
    """Time `pipeline.clusters.cluster_root_causes` over every incident of the database."""
    try:
        from pipeline.clusters import CauseText, cluster_root_causes
    except ImportError:
        return None
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            """
            SELECT i.incident_id,
                   concat_ws(chr(10) || chr(10), i.root_cause, w.other_whys, i.what_happened),
                   i.root_cause_category
            FROM incidents AS i
            LEFT JOIN (
                SELECT incident_id, string_agg(text, chr(10) ORDER BY level) AS other_whys
                FROM whys WHERE NOT is_root_cause GROUP BY incident_id
            ) AS w USING (incident_id)
            """
        ).fetchall()
    docs = [CauseText(incident_id, text or "", category) for incident_id, text, category in rows]
    cluster_root_causes(docs[:50])  # warm up: lazy imports (sklearn) are not the clustering
    started = time.perf_counter()
    cluster_root_causes(docs)
    return time.perf_counter() - started, len(docs)


def touch_one_file(files: list[Path]) -> tuple[Path, bytes, tuple[int, int]]:
    """Change one file's content (a reviewer's note at the end); returns what to restore."""
    path = files[len(files) // 2]
    original = path.read_bytes()
    st = path.stat()
    # A note unique to this run, so the content differs from anything loaded before.
    note = f"\n<!-- reviewed again by the benchmark at {time.time_ns()} -->\n"
    path.write_bytes(original + note.encode())
    return path, original, (st.st_atime_ns, st.st_mtime_ns)


def restore_file(path: Path, original: bytes, times: tuple[int, int]) -> None:
    path.write_bytes(original)
    os.utime(path, ns=times)


# ---------------------------------------------------------------------------------------------
# Report


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def profile(count: int, seed: int) -> None:
    """cProfile one full ingest in this process with one worker: where the time goes."""
    import cProfile
    import pstats
    import tempfile

    from pipeline.ingest import ingest

    folder = corpus_for(count, seed)
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        ingest([folder], Path(tmp) / "profile.duckdb", full=True, workers=1)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated corpus sizes (default: 1000,10000,100000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="passed to ingest --workers (default: ingest's own, one per core)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="kill an ingest that runs longer than this many seconds (default: 900)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: profile one single-process ingest of the N-file corpus",
    )
    args = parser.parse_args(argv)
    BENCH_DIR.mkdir(exist_ok=True)
    if args.profile:
        profile(args.profile, args.seed)
        return 0
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        print(
            f"error: --sizes {args.sizes!r} is not a list of numbers like 1000,10000",
            file=sys.stderr,
        )
        return 2

    print(
        f"bench: sizes {', '.join(f'{s:,}' for s in sizes)}, seed {args.seed}, "
        f"{os.cpu_count()} cores, python {sys.version.split()[0]}, "
        f"ingest timeout {args.timeout:.0f} s",
        flush=True,
    )
    full_rows: list[list[str]] = []
    notes: list[str] = []
    largest: tuple[int, Path, Path, float] | None = None
    for size in sizes:
        folder = corpus_for(size, args.seed)
        files = corpus_files(folder)
        base = baseline_seconds(files)
        db_path = BENCH_DIR / f"bench-n{size}.duckdb"
        run = run_measured(
            ingest_cmd(folder, db_path, full=True, workers=args.workers), args.timeout
        )
        if run.timed_out:
            full_rows.append(
                [
                    f"{size:,}",
                    f"> {args.timeout:.0f} (killed)",
                    "",
                    "",
                    _mb(run.peak_tree_rss),
                    _mb(run.max_single_rss),
                    f"{base:.2f}",
                    "",
                    "",
                    "",
                ]
            )
            print(f"  full ingest {size:,}: killed after {args.timeout:.0f} s", flush=True)
            continue
        if run.returncode != 0:
            print(f"  ingest of {size:,} failed (exit {run.returncode}):\n{run.output[-2000:]}")
            return 1
        incidents = incident_count(db_path)
        db_bytes = db_path.stat().st_size
        full_rows.append(
            [
                f"{size:,}",
                f"{run.seconds:.2f}",
                f"{run.cpu_seconds:.1f}",
                f"{len(files) / run.seconds:,.0f}",
                _mb(run.peak_tree_rss),
                _mb(run.max_single_rss),
                f"{base:.2f}",
                f"{run.seconds / base:.1f}x",
                f"{incidents:,}",
                f"{db_bytes / max(incidents, 1) * 1000 / 1024**2:.2f} MB",
            ]
        )
        print(
            f"  full ingest {size:,}: {run.seconds:.2f} s, peak {_mb(run.peak_tree_rss)}",
            flush=True,
        )
        largest = (size, folder, db_path, base)

    print()
    workers = f"--workers {args.workers}" if args.workers else "workers: one per core"
    print(f"Full ingest (`postmortems ingest DIR --full`, child process, {workers})")
    print(
        _table(
            [
                "files",
                "seconds",
                "CPU s",
                "docs/s",
                "peak RSS (tree)",
                "max RSS (1 proc)",
                "baseline s",
                "vs baseline",
                "incidents",
                "DB per 1k",
            ],
            full_rows,
        )
    )

    if largest is None:
        print("\nno full ingest finished; nothing to re-ingest or cluster")
        return 1
    size, folder, db_path, base = largest
    files = corpus_files(folder)
    path, original, times = touch_one_file(files)
    try:
        rerun = run_measured(
            ingest_cmd(folder, db_path, full=False, workers=args.workers), args.timeout
        )
    finally:
        restore_file(path, original, times)
    if rerun.timed_out:
        rerun_seconds, ratio = f"> {args.timeout:.0f} (killed)", ""
    else:
        rerun_seconds, ratio = f"{rerun.seconds:.2f}", f"{rerun.seconds / base:.2f}x"
        if rerun.returncode != 0:
            notes.append(f"re-ingest failed (exit {rerun.returncode}): {rerun.output[-500:]}")
    print()
    print(f"Re-ingest of the {size:,} corpus after one file changed (incremental)")
    print(
        _table(
            [
                "files",
                "seconds",
                "CPU s",
                "peak RSS (tree)",
                "baseline s (read all)",
                "vs baseline",
                "target",
            ],
            [
                [
                    f"{size:,}",
                    rerun_seconds,
                    f"{rerun.cpu_seconds:.1f}",
                    _mb(rerun.peak_tree_rss),
                    f"{base:.2f}",
                    ratio,
                    f"<= {TARGET_REINGEST_SECONDS:.0f} s",
                ]
            ],
        )
    )

    clustered = clustering_seconds(db_path)
    if clustered is not None:
        seconds, n = clustered
        print()
        print(
            f"Root-cause clustering (pipeline.clusters.cluster_root_causes) of {n:,} incidents: "
            f"{seconds:.2f} s"
        )

    if not PAGE_TIMINGS:
        import logging

        from dashboard.timing import bench_entries

        # AppTest outside a server logs warnings about its missing runtime on every page.
        logging.disable(logging.WARNING)

        PAGE_TIMINGS.extend(bench_entries())
    if PAGE_TIMINGS:
        rows = []
        for name, page in PAGE_TIMINGS:
            started = time.perf_counter()
            measured = page(db_path)
            # A page function that times its own render (AppTest run, caches cleared) returns
            # the seconds; otherwise the whole call is timed.
            seconds = measured if isinstance(measured, float) else time.perf_counter() - started
            rows.append([name, f"{seconds:.2f}", "<= 1.00"])
        print()
        print(f"Dashboard pages on the {size:,}-incident database (server time, empty caches)")
        print(_table(["page", "seconds", "target"], rows))

    print()
    print(
        f"Targets: 100,000 files in <= {TARGET_SECONDS_100K:.0f} s with peak RSS < "
        f"{TARGET_RSS_BYTES / 1024**3:.1f} GB; one-file re-ingest <= {TARGET_REINGEST_SECONDS:.0f} s. "
        "Baseline = read + python-frontmatter split, one process."
    )
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
