#!/usr/bin/env python3
"""Compares kbls with lychee on one corpus: time, peak memory, and the set of broken links.

Usage:
    python3 benches/compare_lychee.py DIR [--kbls PATH] [--lychee PATH] [--runs N]
                                          [--expected DIR.broken.tsv]

DIR is a corpus, for example one written by
`cargo run --release --example gen_corpus -- /tmp/c10k 10000`, which also writes the intended
findings to `/tmp/c10k.broken.tsv` (used by default when it exists).

Both tools run offline. lychee: `lychee --offline --include-fragments --no-progress DIR` (timed
as is, then once more with `--format json` to read its findings). kbls:
`kbls check . --format json --quiet --today 2026-11-28` in DIR. Each finding becomes
(source file, target file, fragment), so that kbls's `broken-link` and `broken-anchor` findings
and lychee's failures can be compared as sets. With the generator's list of intended findings,
each tool is also compared with that.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse

TODAY = "2026-11-28"


def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time; returns (wall seconds, CPU seconds, peak RSS in KiB,
    stdout bytes, exit code)."""
    with tempfile.NamedTemporaryFile("r") as rss:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", rss.name] + cmd
        proc = subprocess.run(full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # GNU time prints "Command exited with non-zero status N" first when the exit code isn't 0.
        wall, user, system, kib = rss.read().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(kib), proc.stdout, proc.returncode


def measure(name, cmd, cwd, runs):
    times, cpu_times, peaks = [], [], []
    for _ in range(runs):
        seconds, cpu, kib, _, code = timed(cmd, cwd)
        times.append(seconds)
        cpu_times.append(cpu)
        peaks.append(kib)
    return {
        "tool": name,
        "min": min(times),
        "median": statistics.median(times),
        "cpu": min(cpu_times),
        "rss_mib": max(peaks) / 1024,
        "exit": code,
    }


def resolve(source, dest, root):
    """The absolute target of `dest` written in `source`."""
    dest = urllib.parse.unquote(dest.strip().strip("<>"))
    if dest.startswith("/"):
        return os.path.normpath(os.path.join(root, dest.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(source), dest))


def reference_destination(text, label):
    pattern = re.compile(r"^ {0,3}\[" + re.escape(label) + r"\]:\s*(<[^>]*>|\S+)", re.I | re.M)
    match = pattern.search(text)
    return match.group(1) if match else None


def kbls_findings(root, report):
    """kbls's broken-link, broken-anchor and link-outside-root findings as
    (source, line, target, fragment), and the wiki-link ones, which lychee does not check."""
    keys, wiki = set(), []
    texts = {}
    for d in report["diagnostics"]:
        if d["code"] not in ("broken-link", "broken-anchor", "link-outside-root"):
            continue
        source = os.path.normpath(os.path.join(root, d["path"]))
        if source not in texts:
            with open(source, encoding="utf-8") as f:
                texts[source] = f.read()
        text = texts[source]
        line = text.split("\n")[d["line"] - 1].rstrip("\r")
        # Columns count Unicode scalar values, as Python indexes str.
        start = d["column"] - 1
        end = d["end_column"] - 1 if d["end_line"] == d["line"] else len(line)
        written = line[start:end]
        if line.rfind("[[", 0, start + 1) > line.rfind("]]", 0, start + 1):
            wiki.append(f"{d['path']}:{d['line']}:{d['column']} {d['code']}: {d['message']}")
            continue
        if start > 0 and line[start - 1] == "[" and line[end : end + 1] == "]":
            # A reference link, reported at its label: the destination is in the definition.
            dest = reference_destination(text, written) or ""
        elif d["code"] == "broken-anchor":
            # The range is the fragment; the path runs back to the `(` or `<` that opens it.
            opener = max(line.rfind("(", 0, start), line.rfind("<", 0, start))
            dest = line[opener + 1 : start - 1] + "#" + written
        else:
            dest = written
            if line[end : end + 1] == "#":
                fragment = re.match(r"#[^)\s>]*", line[end:]).group(0)
                dest += fragment
        path, _, fragment = dest.partition("#")
        target = source if path == "" else resolve(source, path, root)
        keys.add((source, d["line"], target, urllib.parse.unquote(fragment)))
    return keys, wiki


def lychee_findings(root, report):
    """lychee's failures as (source, line, target, fragment), line None without a span, and
    the failures that are not `file:` URLs (links lychee could not resolve)."""
    keys, other = set(), []
    failures = report.get("error_map") or report.get("fail_map") or {}
    for source, entries in failures.items():
        source = os.path.normpath(os.path.join(root, source))
        for entry in entries:
            url = urllib.parse.urlsplit(entry["url"])
            line = (entry.get("span") or {}).get("line")
            if url.scheme != "file":
                where = f"{os.path.relpath(source, root)}:{line}"
                other.append(f"{where} {entry['url']} ({entry['status']['text']})")
                continue
            target = os.path.normpath(urllib.parse.unquote(url.path))
            keys.add((source, line, target, urllib.parse.unquote(url.fragment)))
    return keys, other


def expected_findings(root, tsv):
    keys = set()
    with open(tsv, encoding="utf-8") as f:
        for row in f:
            path, line, dest = row.rstrip("\n").split("\t")
            source = os.path.normpath(os.path.join(root, path))
            path, _, fragment = dest.partition("#")
            keys.add((source, int(line), resolve(source, path, root), fragment))
    return keys


def show_difference(name_a, a, name_b, b, root, limit=15):
    """Compares two finding sets by (source, target, fragment), then also by line."""
    without_line = lambda keys: {(s, t, f) for s, _, t, f in keys}
    only_a = sorted(without_line(a) - without_line(b))
    only_b = sorted(without_line(b) - without_line(a))
    both = len(without_line(a) & without_line(b))
    print(f"  {name_a} and {name_b}: {both} in both, {len(only_a)} only in {name_a}, "
          f"{len(only_b)} only in {name_b}")
    for label, rows in ((f"only in {name_a}", only_a), (f"only in {name_b}", only_b)):
        for source, target, fragment in rows[:limit]:
            rel = os.path.relpath(source, root)
            dest = os.path.relpath(target, os.path.dirname(source))
            print(f"    {label}: {rel} -> {dest}{'#' + fragment if fragment else ''}")
        if len(rows) > limit:
            print(f"    ... and {len(rows) - limit} more {label}")
    lines_known = all(line is not None for _, line, _, _ in a | b)
    if lines_known and not only_a and not only_b:
        moved = sorted(a ^ b, key=str)
        print(f"  lines: {'the same' if not moved else f'{len(moved)} findings on other lines'}")
        for source, line, target, fragment in moved[:limit]:
            print(f"    {os.path.relpath(source, root)}:{line} -> {os.path.relpath(target, root)}#{fragment}")
    return not only_a and not only_b


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--kbls", default=None, help="kbls binary (default: target/release/kbls)")
    parser.add_argument("--lychee", default=shutil.which("lychee") or "lychee")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--expected", default=None)
    args = parser.parse_args()

    root = os.path.realpath(args.dir)
    here = os.path.dirname(os.path.realpath(__file__))
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "target"))
    kbls = args.kbls or os.path.join(target_dir, "release", "kbls")
    expected = args.expected or root + ".broken.tsv"

    version = subprocess.run([args.lychee, "--version"], capture_output=True, text=True).stdout
    print(f"corpus {root}; {version.strip()}; kbls {kbls}")

    lychee_cmd = [args.lychee, "--offline", "--include-fragments", "--no-progress", "."]
    kbls_cmd = [kbls, "check", ".", "--format", "json", "--quiet", "--today", TODAY]
    # One run of each first, so both start with the corpus in the page cache.
    lychee_json = timed(lychee_cmd[:-1] + ["--format", "json", "."], root)[3]
    kbls_json = timed(kbls_cmd, root)[3]

    rows = [measure("kbls check", kbls_cmd, root, args.runs),
            measure("lychee --offline --include-fragments", lychee_cmd, root, args.runs)]
    print()
    print(f"| tool | wall min | wall median | CPU (user+sys, min) | peak RSS | exit |"
          f"   ({args.runs} runs)")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['tool']} | {row['min']:.2f} s | {row['median']:.2f} s | "
              f"{row['cpu']:.2f} s | {row['rss_mib']:.0f} MiB | {row['exit']} |")
    print()

    kbls_set, kbls_wiki = kbls_findings(root, json.loads(kbls_json))
    lychee_set, lychee_other = lychee_findings(root, json.loads(lychee_json))
    print(f"broken links and anchors: kbls {len(kbls_set)}, lychee {len(lychee_set)}")
    for row in kbls_wiki:
        print(f"  not compared, kbls wiki-link finding: {row}")
    for row in lychee_other:
        print(f"  not compared, lychee failure without a file URL: {row}")
    same = show_difference("kbls", kbls_set, "lychee", lychee_set, root)
    if os.path.exists(expected):
        truth = expected_findings(root, expected)
        print(f"intended ({os.path.basename(expected)}): {len(truth)}")
        same &= show_difference("kbls", kbls_set, "intended", truth, root)
        same &= show_difference("lychee", lychee_set, "intended", truth, root)
    print("RESULT:", "same set" if same else "the sets differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
