"""`python -m pipeline.parse FILE...`: print what the parser reads from each file, as JSON.

`python -m pipeline.parse --bench [N] FILE`: parse FILE N times (default 2000) and print the
CPU time per document, the figure the parser's ~1 ms budget is about.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pipeline.parse import parse_document
from pipeline.parse.serialize import as_dict

USAGE = "usage: python -m pipeline.parse FILE.md [...] | --bench [N] FILE.md"


def bench(path: Path, runs: int) -> str:
    data = path.read_bytes()
    for _ in range(min(runs, 50)):  # warm up imports and caches
        parse_document(data)
    start = time.process_time()
    for _ in range(runs):
        parse_document(data)
    per_doc = (time.process_time() - start) / runs * 1000
    return f"{path.name}: {per_doc:.3f} ms/doc (CPU, {runs} parses)"


def main(argv: list[str]) -> int:
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] == "--bench":
        rest = argv[1:]
        runs = int(rest.pop(0)) if rest and rest[0].isdigit() else 2000
        if len(rest) != 1:
            print(USAGE, file=sys.stderr)
            return 2
        print(bench(Path(rest[0]), runs))
        return 0
    for name in argv:
        path = Path(name)
        doc = parse_document(path.read_bytes(), source_path=str(path))
        print(json.dumps(as_dict(doc), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
