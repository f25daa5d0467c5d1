#!/usr/bin/env python3
# check-mutations.py: every mutation of tests/mutations/mutations.py still
# applies: its text occurs exactly once in its file.  The mutation run is
# too slow for ./run test; without this, a change of the code silently
# turned one entry into a check of nothing (search-keys-unproven, issue 11).
#
#     check-mutations.py SOURCE_ROOT
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "tests", "mutations"))
from mutations import MUTATIONS  # noqa: E402

print("1..%d" % len(MUTATIONS))
failed = 0
for n, m in enumerate(MUTATIONS, 1):
    with open(os.path.join(root, m["file"]), encoding="utf-8") as f:
        count = f.read().count(m["find"])
    if count == 1:
        print("ok %d - %s applies to %s" % (n, m["name"], m["file"]))
    else:
        failed += 1
        print("not ok %d - %s: its text occurs %d times in %s" % (n, m["name"], count, m["file"]))
sys.exit(1 if failed else 0)
