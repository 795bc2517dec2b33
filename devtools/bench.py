"""`make bench`: how fast ingest is, against a baseline measured on the same files in the same run.

    .venv/bin/python -m devtools.bench                        # 1,000 / 20,000 / 100,000 files
    .venv/bin/python -m devtools.bench --sizes 1000,20000     # smaller
    .venv/bin/python -m devtools.bench --against HEAD~5       # an older version beside this one
    .venv/bin/python -m devtools.bench --profile 20000        # where the time goes (one process)
    .venv/bin/python -m devtools.bench --reingests-only       # the 100k re-runs alone, ~1 min

For each size a generated corpus (seed 11, as issue 15 measured: `generate --count 20000
--seed 11`) is reused from `bench-data/` (git-ignored) or made there. Then:
- baseline: read every file and split its front matter with python-frontmatter, one process:
  the least any ingest must do;
- full ingest: `python -m pipeline.cli ingest DIR --full` as a child process, its peak memory
  sampled over the child and its workers, its CPU seconds and the bytes it wrote from wait4;
- on the 20,000 corpus (or the nearest size): parse_document alone over the same files in this
  process, so the loader's own share (ingest CPU minus parsing CPU) is known;
- on the largest corpus: re-runs with nothing changed and with one file changed (twice: the
  first after a full load, then as every later run does), command start included;
- the dashboard pages on the largest database (dashboard.timing).
`--against REV` exports that git revision into bench-data/ and runs the ingests of both
versions, so the before/after table comes from one run on one machine. Nothing is asserted:
this prints figures and the targets beside them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from devtools.measure import Run, run_measured

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench-data"
DEFAULT_SIZES = (1_000, 20_000, 100_000)
DEFAULT_SEED = 11
SHARE_SIZE = 20_000
END = date(2026, 11, 27)
START = END - timedelta(days=730)
TARGET_RATIO_20K = 10.0
TARGET_REINGEST_SECONDS = 1.0
TARGET_PEAK_BYTES = 1024**3
TARGET_PAGE_SECONDS = 1.0


@dataclass
class Version:
    name: str
    root: Path
    """A checkout of the code: this one, or an exported older revision."""


# ---------------------------------------------------------------------------------------------
# Corpora and versions


def _generator_fingerprint() -> str:
    """Changes when the generator's code does, so a stale corpus is made again, not reused."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "devtools" / "generate").glob("*.py"), key=lambda p: p.name):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_for(count: int, seed: int) -> Path:
    """The folder of `count` generated postmortems for `seed`, made unless already complete."""
    from devtools.generate import generate_corpus, write_corpus

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


def export_revision(rev: str) -> Version:
    """`git archive` of `rev` under bench-data/, bytecode compiled, made once per commit."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = BENCH_DIR / f"rev-{sha}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
        _compile(folder)
        (folder / ".complete").write_text(sha)
    return Version(sha if sha.startswith(rev) else f"{rev} ({sha})", folder)


def _compile(root: Path) -> None:
    # This machine sets PYTHONDONTWRITEBYTECODE: without .pyc files every start compiles.
    packages = [str(root / p) for p in ("pipeline", "dashboard", "devtools") if (root / p).is_dir()]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True)


# ---------------------------------------------------------------------------------------------
# Measurements


def baseline_seconds(files: list[Path]) -> float:
    """Read every file and split its front matter: what any ingest has to do at least.

    The files are read once before, untimed: a corpus just generated may not be in the page
    cache yet (1.5 s against 0.04 s for 1,000 files), and the ingests find it there."""
    import frontmatter

    for path in files:
        path.read_bytes()
    started = time.perf_counter()
    for path in files:
        frontmatter.parse(path.read_bytes().decode("utf-8-sig"))
    return time.perf_counter() - started


PARSE_ONLY = """
import gc, sys, time
from pathlib import Path
from pipeline.parse import parse_document
files = sorted(Path(sys.argv[1]).glob("*.md"))
data = [path.read_bytes() for path in files]
parse_document(data[0], str(files[0]))
gc.collect()
started = time.process_time()
for path, blob in zip(files, data):
    parse_document(blob, str(path))
print(time.process_time() - started)
"""


def parse_cpu_seconds(version: Version, folder: Path) -> float:
    """CPU seconds of that version's parse_document alone over the folder, one process, warm."""
    env = dict(os.environ, PYTHONPATH=str(version.root))
    out = subprocess.run(
        [sys.executable, "-c", PARSE_ONLY, str(folder)],
        cwd=version.root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def ingest(version: Version, folder: Path, db: Path, *, full: bool, workers: int, timeout: float):
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(db), "-q"]
    cmd += ["--workers", str(workers)] if workers else []
    cmd += ["--full"] if full else []
    env = dict(os.environ, PYTHONPATH=str(version.root))
    return run_measured(cmd, timeout, cwd=version.root, env=env)


def command_start_seconds(version: Version) -> float:
    """The quickest of three `postmortems --help`: interpreter, imports, typer."""
    env = dict(os.environ, PYTHONPATH=str(version.root))
    cmd = [sys.executable, "-m", "pipeline", "--help"]
    return min(run_measured(cmd, 60, cwd=version.root, env=env).seconds for _ in range(3))


def incident_count(db_path: Path) -> int:
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM incidents").fetchall()[0][0]


class OneFile:
    """A file of the corpus given a new ending (unique per call), restored afterwards."""

    def __init__(self, files: list[Path]) -> None:
        self.path = files[len(files) // 2]
        self.original = self.path.read_bytes()
        st = self.path.stat()
        self.times = (st.st_atime_ns, st.st_mtime_ns)

    def change(self) -> None:
        note = f"\n<!-- reviewed again by the benchmark at {time.time_ns()} -->\n"
        self.path.write_bytes(self.original + note.encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)
        os.utime(self.path, ns=self.times)


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


def _failed(run: Run, what: str, timeout: float) -> str | None:
    if run.timed_out:
        return f"{what}: killed after {timeout:.0f} s"
    if run.returncode != 0:
        return f"{what} failed (exit {run.returncode}): {run.output[-1500:]}"
    return None


def full_ingests(sizes, versions, args) -> tuple[list[list[str]], dict, list[str]]:
    """The full-ingest table rows; (size, version name) -> (db, Run, baseline s); notes."""
    rows: list[list[str]] = []
    done: dict = {}
    notes: list[str] = []
    for size in sizes:
        folder = corpus_for(size, args.seed)
        files = sorted(folder.glob("*.md"))
        base = baseline_seconds(files)
        for version in versions:
            db = _bench_db(size, version)
            run = ingest(version, folder, db, full=True, workers=args.workers, timeout=args.timeout)
            problem = _failed(run, f"full ingest of {size:,} ({version.name})", args.timeout)
            if problem:
                notes.append(problem)
                print(f"  {problem}", flush=True)
                continue
            print(f"  full ingest {size:,} ({version.name}): {run.seconds:.1f} s", flush=True)
            done[size, version.name] = (db, run, base)
            rows.append(
                [
                    f"{size:,}",
                    version.name,
                    f"{run.seconds:.2f}",
                    f"{run.cpu_seconds:.1f}",
                    f"{len(files) / run.seconds:,.0f}",
                    _mb(run.peak_tree_rss),
                    _mb(run.peak_tree_pss),
                    f"{base:.2f}",
                    f"{run.seconds / base:.1f}x",
                    f"{incident_count(db):,}",
                ]
            )
    return rows, done, notes


def loader_share(size: int, seed: int, done: dict, versions) -> list[list[str]]:
    folder = corpus_for(size, seed)
    files = sorted(folder.glob("*.md"))
    rows = []
    for version in versions:
        if (size, version.name) not in done:
            continue
        _db, run, _base = done[size, version.name]
        parse_cpu = parse_cpu_seconds(version, folder)
        outside = run.cpu_seconds - parse_cpu
        rows.append(
            [
                version.name,
                f"{run.cpu_seconds:.1f}",
                f"{parse_cpu:.1f}",
                f"{outside:.1f}",
                f"{outside / run.cpu_seconds:.0%}",
                f"{outside / len(files) * 1000:.2f} ms",
            ]
        )
    return rows


def reingests(size: int, folder: Path, done: dict, versions, args) -> list[list[str]]:
    files = sorted(folder.glob("*.md"))
    rows = []
    for version in versions:
        if (size, version.name) not in done:
            continue
        db, _run, base = done[size, version.name]
        one = OneFile(files)
        rows.append(_reingest_row("nothing changed", version, folder, db, base, args))
        try:
            # The first incremental load after --full has no spare close to the database yet,
            # the second patches the --full file; the third is what every later run does.
            for label in ("1st after --full", "2nd", "3rd and later"):
                one.change()
                rows.append(_reingest_row(f"one file, {label}", version, folder, db, base, args))
        finally:
            one.restore()
        ingest(version, folder, db, full=False, workers=args.workers, timeout=60)
    return rows


def _reingest_row(label: str, version: Version, folder: Path, db: Path, base: float, args):
    run = ingest(version, folder, db, full=False, workers=args.workers, timeout=60)
    summary = _failed(run, label, 60) or run.output.strip().splitlines()[-1]
    return [
        label,
        version.name,
        f"{run.seconds:.2f}",
        f"{run.cpu_seconds:.2f}",
        _mb(run.peak_tree_rss),
        f"{run.written_bytes / 1024**2:,.1f} MB",
        f"{run.seconds / base:.2f}x",
        summary.split(" in ")[0].split(": ", 1)[-1][:60],
    ]


def page_rows(db_path: Path) -> list[list[str]]:
    import logging

    from dashboard.timing import bench_entries

    # AppTest outside a server logs warnings about its missing runtime on every page.
    logging.disable(logging.WARNING)
    rows = []
    for name, page in bench_entries():
        try:
            seconds = page(db_path)
        except Exception as exc:  # noqa: BLE001 - a broken page is a row of the report
            rows.append([name, f"failed: {str(exc)[:60]}", ""])
            continue
        rows.append([name, f"{seconds:.2f}", f"<= {TARGET_PAGE_SECONDS:.2f}"])
    return rows


def profile(count: int, seed: int) -> None:
    """cProfile one full ingest in this process with one worker: where the time goes."""
    import cProfile
    import pstats
    import tempfile

    from pipeline.ingest import ingest as run_ingest

    folder = corpus_for(count, seed)
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        run_ingest([folder], Path(tmp) / "profile.duckdb", full=True, workers=1)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)


def print_reingests(size: int, done: dict, versions, args) -> None:
    print(
        f"\nRe-runs on the {size:,} corpus (`postmortems ingest DIR`, command start "
        "included; written: bytes the run sent to storage)"
    )
    header = ["change", "version", "seconds", "CPU s", "peak RSS", "written", "vs baseline"]
    rows = reingests(size, corpus_for(size, args.seed), done, versions, args)
    print(_table([*header, "summary"], rows))
    starts = [[v.name, f"{command_start_seconds(v):.2f}"] for v in versions]
    print("\nCommand start (`postmortems --help`, quickest of three)")
    print(_table(["version", "seconds"], starts))


def reingests_only(size: int, versions, args) -> int:
    """The re-runs alone, on each version's database of `size` files from an earlier bench
    (made by a full ingest when missing): a loader change measured in a minute, not twenty."""
    folder = corpus_for(size, args.seed)
    base = baseline_seconds(sorted(folder.glob("*.md")))
    done = {}
    for version in versions:
        db = _bench_db(size, version)
        if not db.exists():
            run = ingest(version, folder, db, full=True, workers=args.workers, timeout=args.timeout)
            if problem := _failed(run, f"full ingest of {size:,} ({version.name})", args.timeout):
                print(f"note: {problem}")
                return 1
        done[size, version.name] = (db, None, base)
    print_reingests(size, done, versions, args)
    return 0


def _bench_db(size: int, version: Version) -> Path:
    return BENCH_DIR / f"bench-n{size}-{version.root.name}.duckdb"


def _arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m devtools.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated corpus sizes (default: 1000,20000,100000)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="generator seed (default: 11)"
    )
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
        "--against",
        metavar="REV",
        help="also run the ingests of this git revision, for a before/after table",
    )
    parser.add_argument("--no-pages", action="store_true", help="skip the dashboard page timings")
    parser.add_argument(
        "--reingests-only",
        action="store_true",
        help="only the re-runs on the largest size, on the database an earlier bench left in "
        "bench-data/ (a full ingest makes it when missing)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: profile one single-process ingest of the N-file corpus",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    BENCH_DIR.mkdir(exist_ok=True)
    if args.profile:
        profile(args.profile, args.seed)
        return 0
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        print(
            f"error: --sizes {args.sizes!r} is not a list of numbers like 1000,20000",
            file=sys.stderr,
        )
        return 2
    _compile(ROOT)
    versions = [Version("this", ROOT)]
    if args.against:
        versions.insert(0, export_revision(args.against))
    print(
        f"bench: sizes {', '.join(f'{s:,}' for s in sizes)}, seed {args.seed}, "
        f"{os.cpu_count()} cores, python {sys.version.split()[0]}, load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )

    if args.reingests_only:
        return reingests_only(max(sizes), versions, args)
    rows, done, notes = full_ingests(sizes, versions, args)
    workers = f"--workers {args.workers}" if args.workers else "workers: one per core"
    print(f"\nFull ingest (`postmortems ingest DIR --full`, child process, {workers})")
    header = [
        "files",
        "version",
        "seconds",
        "CPU s",
        "docs/s",
        "peak RSS (tree)",
        "peak PSS (tree)",
        "baseline s",
        "vs baseline",
        "incidents",
    ]
    print(_table(header, rows))

    share_size = min(sizes, key=lambda s: abs(s - SHARE_SIZE))
    share = loader_share(share_size, args.seed, done, versions)
    if share:
        print(
            f"\nThe loader's share at {share_size:,} files: ingest CPU (child and workers) "
            "minus parse_document alone over the same files (this process, one core)"
        )
        header = [
            "version",
            "ingest CPU s",
            "parse_document CPU s",
            "outside parsing CPU s",
            "share",
            "per document",
        ]
        print(_table(header, share))

    largest = max((s for s, _ in done), default=None)
    if largest is None:
        print("\nno full ingest finished; nothing to re-ingest")
        return 1
    print_reingests(largest, done, versions, args)

    if not args.no_pages:
        db = done[largest, versions[-1].name][0]
        print(f"\nDashboard pages on the {largest:,}-incident database (server time, empty caches)")
        print(_table(["page", "seconds", "target"], page_rows(db)))

    print(
        f"\nTargets: full ingest at 20,000 files <= {TARGET_RATIO_20K:.0f}x the baseline; "
        f"one-file re-ingest at 100,000 <= {TARGET_REINGEST_SECONDS:.0f} s (command start "
        f"included); peak memory <= {TARGET_PEAK_BYTES / 1024**3:.0f} GB at 100,000. "
        "Baseline = read + python-frontmatter split, one process."
    )
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
