#!/usr/bin/env python3
# check-potfiles.py: every file with strings a person sees is in po/POTFILES.in.
# SPDX-License-Identifier: GPL-3.0-or-later
import pathlib
import re
import sys
import os

# tap.py, beside this file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

marker_c = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
marker_ui = re.compile(r'translatable="yes"')
found = set()
for path in sorted((root / "src").rglob("*.c")):
    if marker_c.search(path.read_text(encoding="utf-8")):
        found.add(str(path.relative_to(root)))
for path in sorted((root / "ui").glob("*.ui")):
    if marker_ui.search(path.read_text(encoding="utf-8")):
        found.add(str(path.relative_to(root)))

checks = []
for f in sorted(found):
    checks.append((f in listed, f"{f} is listed in po/POTFILES.in"))
for f in sorted(listed):
    checks.append(((root / f).exists(), f"{f} (listed) exists"))

tap.report(checks)
