#!/usr/bin/env python3
# run-mutations.py: applies each mutation of mutations.py, rebuilds, runs the tests that must catch it, reverts.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A green suite says little until it is shown to go red on a real bug:
# issue 10's spot-check found that half of ten plausible bugs passed every
# test.  This script keeps that check in the repository.  Usage:
#
#     python3 tests/mutations/run-mutations.py build [--full] [--only NAME ...]
#
# BUILD is a configured meson build directory of this tree.  For each
# mutation the source file is changed in place, BUILD is rebuilt, and the
# suites the mutation names (all but fuzz and bench with --full) run; the
# mutation is "caught" when a test fails.  The file is always put back
# byte for byte, on failure and on Ctrl+C too, and checked with
# `git diff --quiet`; at the end BUILD is rebuilt from the clean tree, so
# it never keeps a mutant.  It prints a table and exits 1 when a mutation
# survived (or no longer applies, or does not build), 2 when the tree or
# the unmutated tests are not fit to start from.
#
# Slow (a rebuild and a test run per mutation), so not part of ./run test:
# run it before resolving a store or desk issue.

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from mutations import MUTATIONS  # noqa: E402

NEVER = ["fuzz", "bench"]  # fuzz needs clang's libFuzzer; bench only measures
# The card suites share one machine-wide pcscd with anyone else testing on
# the machine; no mutation here is in card code, so a narrow run leaves
# them out (--full runs them).
UNLESS_NAMED = ["card"]


def run_child(cmd, log):
    """Runs CMD with its output to LOG; returns its exit status."""
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # SIGTERM lets meson stop its tests the way they clean up (the UI
        # tests' wrapper stops its Xvfb); the SIGKILL subprocess.run sends
        # would leave them running.  One SIGINT would only cancel one test.
        child.terminate()
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def git_clean(path):
    return subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "--", path]).returncode == 0


def compile_build(build, log_path):
    with open(log_path, "w") as log:
        return run_child(["meson", "compile", "-C", str(build)], log) == 0


def run_tests(build, suites, logbase):
    """Runs SUITES (all but NEVER when None); returns (passed, failed test names)."""
    cmd = ["meson", "test", "-C", str(build), "--no-rebuild", "--print-errorlogs", "--logbase", logbase]
    for suite in suites or []:
        cmd += ["--suite", suite]
    for suite in NEVER + [s for s in UNLESS_NAMED if suites is not None and s not in suites]:
        cmd += ["--no-suite", suite]
    with open(build / "meson-logs" / (logbase + ".out"), "w") as out:
        rc = run_child(cmd, out)
    failed = []
    try:
        with open(build / "meson-logs" / (logbase + ".json")) as log:
            for line in log:
                entry = json.loads(line)
                if entry.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL"):
                    # "shelterdesk:unit / test-oplog" → "test-oplog"
                    failed.append(entry["name"].split(" / ")[-1])
    except FileNotFoundError:
        pass
    # A non-zero exit with no test named (meson itself failed) still counts.
    if rc != 0 and not failed:
        failed.append("(meson test exit %d)" % rc)
    return rc == 0, failed


def apply(mutation, original):
    """Writes the mutant of ORIGINAL, the file's bytes as git has them."""
    path = ROOT / mutation["file"]
    text = original.decode("utf-8")
    found = text.count(mutation["find"])
    if found != 1:
        raise LookupError("%s: the text to change occurs %d times in %s (the list is out of date)"
                          % (mutation["name"], found, mutation["file"]))
    path.write_bytes(text.replace(mutation["find"], mutation["replace"]).encode("utf-8"))


def restore(mutation, original):
    (ROOT / mutation["file"]).write_bytes(original)
    if not git_clean(mutation["file"]):
        print("FATAL: %s is not back to what git has after %s; see `git diff %s`"
              % (mutation["file"], mutation["name"], mutation["file"]), file=sys.stderr)
        sys.exit(3)


def interrupted(signum, frame):
    # SIGTERM takes the same way out as Ctrl+C: through every finally.
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(
        description="Applies each mutation of tests/mutations/mutations.py, rebuilds, runs the tests "
                    "that must catch it, and reverts it.")
    parser.add_argument("build", help="a configured meson build directory of this tree")
    parser.add_argument("--full", action="store_true",
                        help="run every suite but fuzz and bench for each mutation, not only the named ones")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this mutation (repeatable)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the first run of the unmutated tests")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args()

    mutations = [m for m in MUTATIONS if not args.only or m["name"] in args.only]
    if args.list:
        for m in MUTATIONS:
            print("%-26s %-26s %s" % (m["name"], m["file"], m["breaks"]))
        return 0
    if not mutations:
        print("No mutation is called %s." % ", ".join(args.only), file=sys.stderr)
        return 2

    build = Path(args.build).resolve()
    if not (build / "build.ninja").exists():
        print("%s is not a configured meson build directory (meson setup %s)" % (build, args.build),
              file=sys.stderr)
        return 2
    dirty = sorted({m["file"] for m in mutations if not git_clean(m["file"])})
    if dirty:
        print("Commit or stash the changes to %s first: a mutation must be revertible to what git has."
              % ", ".join(dirty), file=sys.stderr)
        return 2
    (build / "mutations").mkdir(exist_ok=True)
    signal.signal(signal.SIGTERM, interrupted)

    def suites_of(m):
        return None if args.full else m["suites"]

    results = []
    try:
        if not compile_build(build, build / "mutations" / "baseline-compile.log"):
            print("The unmutated tree does not build; see %s" % (build / "mutations" / "baseline-compile.log"),
                  file=sys.stderr)
            return 2
        if not args.no_baseline:
            # Only a suite that passes unmutated can tell a mutant by failing.
            union = None if args.full else sorted({s for m in mutations for s in m["suites"]})
            print("baseline: %s" % ("every suite" if union is None else ", ".join(union)), flush=True)
            passed, failed = run_tests(build, union, "mutation-baseline")
            if not passed:
                print("The unmutated tree fails %s: fix that first." % ", ".join(failed), file=sys.stderr)
                return 2

        for m in mutations:
            started = time.monotonic()
            print("%s: %s" % (m["name"], m["breaks"]), flush=True)
            # Read before anything is written, so the finally always has it.
            original = (ROOT / m["file"]).read_bytes()
            try:
                apply(m, original)
                if not compile_build(build, build / "mutations" / (m["name"] + "-compile.log")):
                    outcome, failed = "NO BUILD", []
                else:
                    passed, failed = run_tests(build, suites_of(m), "mutation-" + m["name"])
                    outcome = "survived" if passed else "caught"
            except LookupError as e:
                print(e, file=sys.stderr)
                outcome, failed = "STALE", []
            finally:
                restore(m, original)
            results.append((m, outcome, failed, time.monotonic() - started))
            print("  %s in %.0f s" % (outcome, time.monotonic() - started), flush=True)
    except KeyboardInterrupt:
        print("\nInterrupted: every file is back as git has it.", file=sys.stderr)
        return 130
    finally:
        # The build directory holds the last mutant's objects otherwise.
        if not compile_build(build, build / "mutations" / "final-compile.log"):
            print("The clean tree did not rebuild; see %s" % (build / "mutations" / "final-compile.log"),
                  file=sys.stderr)

    print()
    print("| mutation | file | suites run | result | failed tests |")
    print("|---|---|---|---|---|")
    for m, outcome, failed, seconds in results:
        print("| %s | %s | %s | %s | %s |"
              % (m["name"], m["file"], "all" if args.full else ", ".join(m["suites"]),
                 outcome, ", ".join(failed) if failed else "-"))
    caught = sum(1 for r in results if r[1] == "caught")
    print()
    print("%d of %d mutations caught." % (caught, len(results)))
    for m, outcome, failed, seconds in results:
        if outcome != "caught":
            print("NOT CAUGHT: %s (%s): %s; strengthen %s"
                  % (m["name"], outcome, m["breaks"], ", ".join(m["caught_by"])))
        else:
            # Caught, but a test the list counts on no longer catches it:
            # one safety net fewer than the list says.
            missed = [t for t in m["caught_by"] if t not in failed]
            if missed:
                print("note: %s was not caught by %s, as the list says" % (m["name"], ", ".join(missed)))
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
