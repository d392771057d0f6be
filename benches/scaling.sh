#!/usr/bin/env bash
# The scaling guard (issue 33): acre must stay linear on every input shape. For each shape,
# the same generator makes a small input and one 8 times larger; the command runs on both
# (whole process, fastest of 3) and the guard FAILS when the large input takes more than 12
# times the small one (linear work gives about 8; quadratic work gives about 64).
#
#   review: 1 MB and 8 MB of report prose (benches/review_corpus.md repeated), of one claim
#           repeated one per line, and of prose on one long line; text and JSON
#   check:  1,000- and 8,000-item cases; a chain of items each depending on the next
#   explain and report: the chain of dependencies; a chain of 1,000 and 8,000 sources each
#           echoing the one before
#   fmt --check: the 1,000- and 8,000-item cases, which it changes every few lines
#   review of a PDF of 500 and 4,000 pages
#
# Run from the project root after `cargo build --release`:  bash benches/scaling.sh
# .ci/run runs it. Prints one line per shape with both times and the ratio.
set -euo pipefail
acre="${ACRE:-target/release/acre}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$acre" <<'PY'
import os, subprocess, sys, time

out, acre = sys.argv[1], sys.argv[2]
corpus = open("benches/review_corpus.md", encoding="utf-8").read()
MB = 1 << 20


def sized(unit, size):
    """`unit` repeated to `size` bytes, cut at a line end."""
    text = unit * (size // len(unit) + 1)
    cut = text.rfind("\n", 0, size)
    return text[: cut + 1 if cut > 0 else size]


claim = "APT31 was almost certainly responsible for the 2021 reconnaissance of the accounts.\n"
one_line = corpus.replace("\n", " ")
TERMS = ["remote chance", "highly unlikely", "unlikely", "likely", "highly likely", "almost certain"]


def case(n, chain=False):
    t = ['case "scale" { question "Who?" }', "hypothesis h0", "hypothesis h1", "hypothesis h2 catch-all"]
    t += [f"source s{s} reliability {'ABC'[s % 3]}" for s in range(10)]
    for i in range(n):
        t.append(f"evidence e{i} {{")
        t.append(f"  from s{i % 10} credibility {i % 6 + 1}")
        if chain and i > 0:
            t.append(f"  depends on e{i - 1}")
        t.append(f"  given h0: {TERMS[i % 6]}")
        t.append(f"  otherwise: {TERMS[(i + 2) % 6]}")
        t.append("}")
    return "\n".join(t) + "\n"


def echo_case(n):
    t = ['case "echoes" { question "Who?" }', "hypothesis h0", "hypothesis h1 catch-all"]
    t.append("source s0 reliability B")
    t += [f"source s{s} reliability C echoes s{s - 1}" for s in range(1, n)]
    for i in range(10):
        t += [f"evidence e{i} {{", f"  from s{(i * 97) % n} credibility 2",
              f"  given h0: {TERMS[i % 6]}", f"  otherwise: {TERMS[(i + 2) % 6]}", "}"]
    return "\n".join(t) + "\n"


shapes = []
for name, unit, args in [
    ("review prose, text", corpus, []),
    ("review prose, JSON", corpus, ["--format", "json"]),
    ("review one claim repeated, JSON", claim, ["--format", "json"]),
    ("review one long line, JSON", one_line, ["--format", "json"]),
]:
    files = []
    for size in (1 * MB, 8 * MB):
        path = os.path.join(out, f"{len(shapes)}-{size}.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(sized(unit, size) if unit is not one_line else (unit * (size // len(unit) + 1))[:size])
        files.append(path)
    shapes.append((name, [["review", f, *args] for f in files]))
for name, chain in [("check, items", False), ("check, a chain of dependencies", True)]:
    files = []
    for n in (1000, 8000):
        path = os.path.join(out, f"case-{chain}-{n}.acre")
        open(path, "w").write(case(n, chain))
        files.append(path)
    shapes.append((name, [["check", f] for f in files]))
    if not chain:
        # the formatter puts a blank line between blocks: a change every few lines
        shapes.append(("fmt --check, changes throughout", [["fmt", "--check", f] for f in files]))
    if chain:
        shapes.append(("explain, a chain of dependencies", [["explain", f] for f in files]))
def pdf(pages):
    """A PDF of `pages` pages, one sentence each, in Helvetica."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for i in range(pages):
        text = f"BT /F1 12 Tf 72 720 Td (Page {i}: it is likely that APT31 did it.) Tj ET".encode()
        objs.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objs)} 0 R /Resources << /Font << /F1 3 0 R >> >> >>".encode())
        kids.append(len(objs))
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {pages} >>".encode()
    body, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offsets.append(len(body))
        body += f"{i + 1} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def written(stem, ext, sizes, make):
    """A file `stem-SIZE.ext` of `make(SIZE)` for each size (bytes or text), their paths."""
    paths = []
    for n in sizes:
        path = os.path.join(out, f"{stem}-{n}.{ext}")
        data = make(n)
        open(path, "wb" if isinstance(data, bytes) else "w").write(data)
        paths.append(path)
    return paths


shapes.append(("review a PDF, pages", [["review", f] for f in written("pages", "pdf", (500, 4000), pdf)]))
shapes.append(("report, a chain of echoes", [["report", f] for f in written("echoes", "acre", (1000, 8000), echo_case)]))


def fastest(cmd, runs=3, limit=None):
    """The fastest of `runs`; `None` when a run passed `limit` seconds (it is stopped)."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        try:
            subprocess.run([acre, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


failed = []
print(f"scaling guard: {acre}, fastest of 3, the 8x input may take at most 12x")
for name, (small, large) in shapes:
    a = fastest(small)
    # a run past 12x (with room for start-up) is stopped: the guard has its answer
    b = fastest(large, limit=12 * max(a, 0.005) + 2)
    if b is None:
        print(f"  {name:<36} {a:7.3f} s -> stopped after {12 * max(a, 0.005) + 2:.1f} s  TOO SLOW")
        failed.append(name)
        continue
    # process start-up is a floor under both: it is not the command's work
    ratio = b / max(a, 0.005)
    verdict = "ok" if ratio <= 12 else "TOO SLOW"
    print(f"  {name:<36} {a:7.3f} s -> {b:7.3f} s  x{ratio:5.1f}  {verdict}")
    if ratio > 12:
        failed.append(name)
if failed:
    print("scaling guard FAILED: " + ", ".join(failed) + " grew faster than linearly")
    sys.exit(1)
print("scaling guard passed")
PY
