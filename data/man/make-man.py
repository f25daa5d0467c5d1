#!/usr/bin/env python3
# make-man.py: writes a manual page from a program's own --help, so the
# page is made from the same option tables the program parses and cannot
# drift from them.  Run at build time on the programs just built.
#
#     make-man.py PROGRAM NAME SUMMARY OUT [--commands]
#
# With --commands (shelterdesk-cli) each command listed under "Commands:"
# is asked for its own --help too, and gets a subsection with its options.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys


def run_help(program, args):
    env = dict(os.environ, LANGUAGE="C", LC_ALL="C.UTF-8", SHELTERDESK_DB="")
    out = subprocess.run([program, *args, "--help"], env=env, capture_output=True, text=True, check=True)
    return out.stdout


def sections(text):
    """Splits GOption's help into {heading: [lines]}; the description is the
    paragraph after the usage."""
    result = {"": []}
    current = ""
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            current = line[:-1]
            result[current] = []
        else:
            result.setdefault(current, []).append(line)
    return result


def entries(lines):
    """Option or command lines: two-space indent, a name, two or more spaces,
    a description (which may wrap onto further, deeper-indented lines)."""
    items = []
    for line in lines:
        m = re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line)
        if m and not line.startswith("   "):
            items.append([m.group(1), m.group(2) or ""])
        elif items and line.startswith("   ") and line.strip():
            items[-1][1] += " " + line.strip()
    return items


def roff(text):
    text = text.replace("\\", "\\\\").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def options_block(parts, skip=("-h, --help",)):
    out = []
    for heading in parts:
        if heading.endswith("Options") and heading != "Help Options":
            for name, desc in entries(parts[heading]):
                if name in skip:
                    continue
                out.append(".TP\n.B %s\n%s" % (roff(name), roff(desc)))
    return out


def main():
    program, name, summary, out_path = sys.argv[1:5]
    commands = "--commands" in sys.argv[5:]
    top = sections(run_help(program, []))
    usage = " ".join(l.strip() for l in top.get("Usage", []) if l.strip())
    description = [l.strip() for l in top.get("", []) if l.strip()]
    if not description:
        # GOption puts the description right after the usage lines.
        usage_lines = [l.strip() for l in top.get("Usage", []) if l.strip()]
        usage, description = usage_lines[0], usage_lines[1:]

    page = [
        '.TH %s 1 "" "ShelterDesk" "User Commands"' % name.upper(),
        ".SH NAME",
        "%s \\- %s" % (roff(name), roff(summary)),
        ".SH SYNOPSIS",
        ".B %s" % roff(usage.split(" ", 1)[0]),
        roff(usage.split(" ", 1)[1]) if " " in usage else "",
        ".SH DESCRIPTION",
        roff(" ".join(description)),
        ".SH OPTIONS",
        *options_block(top),
        ".TP\n.B \\-h, \\-\\-help\nShow the options and exit.",
    ]
    if commands:
        page.append(".SH COMMANDS")
        for command, desc in entries(top.get("Commands", [])):
            words = [w for w in command.split() if not re.match(r"^[A-Z_|\[\]\-.]+$", w)]
            page.append(".SS %s\n%s" % (roff(command), roff(desc)))
            sub = sections(run_help(program, words))
            page.extend(o for o in options_block(sub, skip=("-h, --help", "--db=FILE")))
    page += [".SH ENVIRONMENT"]
    if commands:
        page.append(".TP\n.B SHELTERDESK_DB\nThe database file when \\fB\\-\\-db\\fR is not given.")
        page.append(".TP\n.B LANGUAGE\nThe language of messages.")
    else:
        page.append(".TP\n.B LANGUAGE\nThe language of the desk; unset, the desk's language setting "
                    "(Japanese unless changed).")
        page.append(".SH FILES\n.TP\n.B /var/lib/shelterdesk/site.sqlite\n"
                    "The site database of a kiosk installed from the Debian package.")
    page += [
        ".SH SEE ALSO",
        "\\fBshelterdesk\\fR(1), \\fBshelterdesk\\-cli\\fR(1); /usr/share/doc/shelterdesk/",
    ]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(p for p in page if p != "") + "\n")


if __name__ == "__main__":
    main()
