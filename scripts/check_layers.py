#!/usr/bin/env python3
"""Checks that wordlens' rooms depend only downwards.

    cli -> compare -> encoder -> word2vec -> tokenizer -> common

A source file in a room may include headers of its own room and of the rooms
below it, never of a room above. Also checks that each room's CMake library
links only to the room directly below it (or lower), so a new upward arrow
cannot slip in through CMake either.

Usage: scripts/check_layers.py [REPO_ROOT]    (exit 1 and one line per
violation, naming file, line and the include, if any is found)
"""
import pathlib
import re
import sys

ROOMS = ["common", "tokenizer", "word2vec", "encoder", "compare", "cli"]
LIBS = {"wl_common": "common", "wl_tokenizer": "tokenizer", "wl_word2vec": "word2vec",
        "wl_encoder": "encoder", "wl_compare": "compare"}
RANK = {room: i for i, room in enumerate(ROOMS)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/[^"]+"')


def check(root: pathlib.Path) -> list:
    problems = []
    for room in ROOMS:
        folder = root / room
        if not folder.is_dir():
            problems.append(f"{room}/: missing room folder")
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".h", ".cc"):
                continue
            for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) not in RANK:
                    continue
                if RANK[m.group(1)] > RANK[room]:
                    rel = path.relative_to(root)
                    problems.append(f"{rel}:{lineno}: {room}/ includes {m.group(1)}/, a room above it "
                                    f"({' -> '.join(reversed(ROOMS))}): {line.strip()}")
        cmake = folder / "CMakeLists.txt"
        if cmake.is_file():
            text = cmake.read_text()
            for m in re.finditer(r"target_link_libraries\(\s*(\S+)([^)]*)\)", text, re.S):
                for lib in re.findall(r"\bwl_[a-z0-9]+\b", m.group(2)):
                    if lib in LIBS and RANK[LIBS[lib]] >= RANK[room]:
                        problems.append(f"{cmake.relative_to(root)}: {m.group(1)} links {lib}, "
                                        f"which is not below {room}/")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    problems = check(root)
    for p in problems:
        print(f"check_layers: {p}")
    if problems:
        return 1
    print(f"check_layers: ok ({' -> '.join(reversed(ROOMS))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
