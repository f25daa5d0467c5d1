#!/usr/bin/env python3
# check-evacuee-translations.py: what evacuees read (EN_ messages) must be
# translated into every language ShelterDesk offers them, in step with the
# sources, with each translation's printf formats the message's own.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-evacuee-translations.py SOURCE_ROOT [--update]
#   --update  brings every catalogue in step with the sources (msgmerge),
#             after a message for evacuees was added or changed; then
#             translate what it leaves empty (po/glossary.md).
import os
import pathlib
import re
import subprocess
import sys

import tempfile

# tap.py, beside this file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402

root = pathlib.Path(sys.argv[1]).resolve()
folder = root / "po" / "evacuee"
checks = []

linguas = [l.strip() for l in (folder / "LINGUAS").read_text().splitlines() if l.strip() and not l.startswith("#")]
# The languages the core offers (sd-evacuee-text.c) but English, which is
# the messages themselves; and the catalogues it builds in.
offered = re.findall(r'^  \{ "([^"]+)", "', (root / "src" / "core" / "i18n" / "sd-evacuee-text.c").read_text(), re.M)
built = re.findall(r'alias="([^"]+)\.mo"', (root / "src" / "core" / "i18n" / "evacuee.gresource.xml").read_text())
expected = [code for code in offered if code != "en"]
checks.append((linguas == expected, f"LINGUAS lists the languages offered but English ({', '.join(expected)})"))
checks.append((built == linguas, "the core builds in every catalogue of LINGUAS"))

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "shelterdesk-evacuee.pot")
    files = [l.strip() for l in (root / "po" / "POTFILES.in").read_text().splitlines()
             if l.strip() and not l.startswith("#") and l.strip().endswith(".c")]
    # EN_ only: the desk's own messages are not the evacuees'.
    run = subprocess.run(["xgettext", "--from-code=UTF-8", "--language=C", "--keyword", "--keyword=EN_",
                          "--add-comments=TRANSLATORS", "-o", pot, *files], cwd=root, capture_output=True, text=True)
    checks.append((run.returncode == 0 and os.path.exists(pot),
                   "xgettext reads the sources" + (": " + run.stderr if run.returncode else "")))
    if "--update" in sys.argv[2:] and os.path.exists(pot):
        for code in linguas:
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--update", "--backup=none",
                            str(folder / f"{code}.po"), pot], check=True)
            subprocess.run(["msgattrib", "--no-obsolete", "-o", str(folder / f"{code}.po"),
                            str(folder / f"{code}.po")], check=True)
    if os.path.exists(pot):
        n_messages = len(re.findall(r'^msgid "(?!")', open(pot, encoding="utf-8").read(), re.M))
        checks.append((n_messages > 0, f"the sources have messages for evacuees ({n_messages})"))
    for code in linguas:
        po = folder / f"{code}.po"
        if not po.exists():
            checks.append((False, f"{code}.po exists"))
            continue
        text = po.read_text(encoding="utf-8")
        header_language = re.search(r'^"Language: ([^\\]*)\\n"', text, re.M)
        checks.append((header_language is not None and header_language.group(1) == code,
                       f"{code}.po says it is {code}"))
        # --check: every translation keeps its message's printf formats.
        fmt = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                             capture_output=True, text=True)
        stats = fmt.stderr.strip()
        checks.append((fmt.returncode == 0, f"msgfmt --check accepts {code}.po ({stats})"))
        checks.append(("untranslated" not in stats and "fuzzy" not in stats,
                       f"{code}.po has no untranslated or fuzzy message"))
        if os.path.exists(pot):
            cmp = subprocess.run(["msgcmp", po, pot], capture_output=True, text=True)
            missing = [l for l in cmp.stderr.splitlines() if "this message is used but not defined" in l]
            checks.append((cmp.returncode == 0, f"{code}.po has every message for evacuees ({len(missing)} missing)"))
            for l in missing[:10]:
                print("# " + l)
            # Nor messages the sources no longer have (msgmerge them away).
            # (--no-wrap: a long message is one line, in both.)
            extra = subprocess.run(["msgcomm", "--less-than=2", "--no-location", "--no-wrap", str(po), pot,
                                    "-o", "-"], capture_output=True, text=True)
            flat = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True).stdout
            stale = [m for m in re.findall(r'^msgid "(.+)"', extra.stdout, re.M)
                     if f'msgid "{m}"' in flat]
            checks.append((not stale, f"{code}.po has no message the sources dropped ({len(stale)})"))

tap.report(checks)
