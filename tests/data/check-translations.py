#!/usr/bin/env python3
# check-translations.py: Japanese is the first language, so ja.po must be
# complete (no untranslated or fuzzy message) and in step with the sources.
# SPDX-License-Identifier: GPL-3.0-or-later
import subprocess
import sys

po = sys.argv[1]
checks = []

fmt = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", po],
                     capture_output=True, text=True)
stats = fmt.stderr.strip()
checks.append((fmt.returncode == 0, f"msgfmt --check accepts ja.po ({stats})"))
checks.append(("untranslated" not in stats, "no untranslated messages in ja.po"))
checks.append(("fuzzy" not in stats, "no fuzzy messages in ja.po"))

# In step: every message in the sources (xgettext over POTFILES.in) has a
# Japanese translation in ja.po.
import os
import pathlib
import tempfile

# tap.py, beside this file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402

root = pathlib.Path(po).resolve().parent.parent
KEYWORDS = ["--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
            "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2", "--keyword=EN_"]

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "shelterdesk.pot")
    files = [l.strip() for l in (root / "po" / "POTFILES.in").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    sources = [f for f in files if f.endswith(".c")]
    others = [f for f in files if not f.endswith(".c")]
    steps = [["xgettext", "--from-code=UTF-8", "--language=C", *KEYWORDS, "-o", pot, *sources],
             ["xgettext", "--from-code=UTF-8", "-j", "-o", pot, *others]]
    errors = ""
    for step in steps:
        run = subprocess.run(step, cwd=root, capture_output=True, text=True)
        if run.returncode != 0:
            errors += run.stderr
    checks.append((not errors, "xgettext reads every file in POTFILES.in" + (": " + errors if errors else "")))
    cmp = subprocess.run(["msgcmp", "--use-untranslated", po, pot], capture_output=True, text=True)
    missing = [l for l in cmp.stderr.splitlines() if "this message is used but not defined" in l]
    checks.append((cmp.returncode == 0, f"ja.po has every message of the sources ({len(missing)} missing)"))
    for l in missing[:20]:
        print("# " + l)

tap.report(checks)
