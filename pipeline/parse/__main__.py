"""`python -m pipeline.parse FILE...`: print what the parser reads from each file, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.parse import parse_document
from pipeline.parse.serialize import as_dict


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m pipeline.parse FILE.md [FILE.md ...]", file=sys.stderr)
        return 2
    for name in argv:
        path = Path(name)
        doc = parse_document(path.read_bytes(), source_path=str(path))
        print(json.dumps(as_dict(doc), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
