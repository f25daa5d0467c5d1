# tap.py: the data checks' report, in TAP (meson's protocol: 'tap').
# SPDX-License-Identifier: GPL-3.0-or-later
import sys


def report(checks):
    """Prints CHECKS, a list of (passed, name), as TAP and exits: 1 when any failed."""
    print(f"1..{len(checks)}")
    failed = 0
    for i, (ok, name) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        failed += not ok
    sys.exit(1 if failed else 0)
