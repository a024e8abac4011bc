#!/usr/bin/env python3
"""Include-tree rules for respio's headers that no compiler checks.

Usage: check_headers.py [INCLUDE_DIR]   (default: the repository's include/)

1. Every .hpp/.ipp under include/respio has an include guard that spells its path:
   include/respio/resp/impl/parser.ipp -> RESPIO_RESP_IMPL_PARSER_IPP.
2. The protocol layers (include/respio/resp/, include/respio/commands/) reach nothing from
   boost/asio, directly or through other respio headers: they must stay usable and fuzzable
   without Asio.
3. No public header (outside impl/) includes respio/**/impl/internal/ directly. src.hpp is the
   exception: it is the one TU of separate compilation, which compiles the internals.

Prints one line per violation and exits 1 if there is any.
"""

import re
import sys
from pathlib import Path

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
DIRECTIVE_RE = re.compile(r"^\s*#\s*(\w+)\s*(\S*)")
ASIO_RE = re.compile(r"^boost/asio(\.hpp$|/)")
INTERNAL_RE = re.compile(r"^respio/(.+/)?impl/internal/")
ASIO_FREE_DIRS = ("respio/resp/", "respio/commands/")


def expected_guard(rel: str) -> str:
    # rel is "respio/resp/impl/parser.ipp"; the guard drops nothing: RESPIO_RESP_IMPL_PARSER_IPP.
    return re.sub(r"[^A-Za-z0-9]", "_", rel).upper()


def directives(text: str):
    """(line number, directive, first argument) of each preprocessor line, comments aside."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    for number, line in enumerate(text.splitlines(), 1):
        m = DIRECTIVE_RE.match(line)
        if m:
            yield number, m.group(1), m.group(2)


def check_guard(rel: str, text: str, problems: list) -> None:
    guard = expected_guard(rel)
    found = list(directives(text))
    if len(found) < 3 or found[0][1] != "ifndef" or found[1][1] != "define":
        problems.append(f"{rel}:1: no include guard (expected #ifndef {guard} / #define {guard} first)")
        return
    if found[0][2] != guard or found[1][2] != guard:
        problems.append(f"{rel}:{found[0][0]}: include guard {found[0][2]} should be {guard}")
    elif found[-1][1] != "endif":
        problems.append(f"{rel}:{found[-1][0]}: the include guard's #endif must be the last directive")
    # Code after the guard's #endif would be outside the guard.
    tail = text.splitlines()[found[-1][0]:]
    if any(line.strip() and not line.strip().startswith("//") for line in tail):
        problems.append(f"{rel}:{found[-1][0]}: code after the include guard's #endif")


def includes(text: str):
    for number, line in enumerate(text.splitlines(), 1):
        m = INCLUDE_RE.match(line)
        if m:
            yield number, m.group(1)


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "include")
    files = sorted(p for p in (root / "respio").rglob("*") if p.suffix in (".hpp", ".ipp") and p.is_file())
    if not files:
        print(f"check_headers: no headers under {root / 'respio'}")
        return 1
    sources = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}
    graph = {rel: list(includes(text)) for rel, text in sources.items()}
    problems = []

    for rel, text in sources.items():
        check_guard(rel, text, problems)

    # Rule 2: walk respio's own includes from each protocol-layer file, looking for boost/asio. One
    # report per offending #include, with the shortest chain that reaches it from the layer.
    asio_hits = {}
    for start in sources:
        if not start.startswith(ASIO_FREE_DIRS):
            continue
        seen = {start}
        queue = [[start]]
        while queue:
            chain = queue.pop(0)
            rel = chain[-1]
            for number, target in graph[rel]:
                if ASIO_RE.match(target):
                    hit = chain + [target]
                    if (rel, number) not in asio_hits or len(hit) < len(asio_hits[rel, number]):
                        asio_hits[rel, number] = hit
                elif target in sources and target not in seen:
                    seen.add(target)
                    queue.append(chain + [target])
    for (rel, number), chain in sorted(asio_hits.items()):
        problems.append(f"{rel}:{number}: {' -> '.join(chain)}: the protocol layer must not depend on Asio")

    # Rule 3: public headers keep out of impl/internal/.
    for rel in sources:
        if "/impl/" in rel or rel == "respio/src.hpp":
            continue
        for number, target in graph[rel]:
            if INTERNAL_RE.match(target):
                problems.append(f"{rel}:{number}: public header includes {target} (impl/internal/ is private)")

    for p in problems:
        print(p)
    if problems:
        print(f"check_headers: {len(problems)} problem(s) in {len(sources)} files")
        return 1
    print(f"check_headers: {len(sources)} files ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
