#!/bin/sh
# test-desk-wine.sh: the Windows desk under Wine, on the X server that
# run-under-xvfb.sh started: a demo database made by the Windows CLI, the
# desk opened on it, its window found by its title, and a screenshot kept
# (SD_WINE_SCREENSHOT, default desk-under-wine.png in the current folder)
# for a person to look at.  TAP.
#
# Usage: test-desk-wine.sh SHELTERDESK.EXE SHELTERDESK-CLI.EXE SEEDS
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
desk=$1 cli=$2 seeds=$3
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver
shot=${SD_WINE_SCREENSHOT:-$PWD/desk-under-wine.png}
tmp=$(mktemp -d)
desk_pid=""
trap '[ -n "$desk_pid" ] && kill "$desk_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

echo "1..4"
# A Wine prefix that is new is still being filled in (its registry: GDK
# warns, fatally here, when the keyboard layouts are not there yet):
# finished first, unless packaging/windows/build.sh did (SD_WINE_READY:
# its server stays up for the whole run, so waiting for the end of every
# Wine program would never end).
if [ -z "${SD_WINE_READY:-}" ]; then
  "$wine" wineboot --update > /dev/null 2>&1
  "$wineserver" --wait 2> /dev/null
fi
if "$wine" "$cli" --db "$tmp/demo.sqlite" init --site-name "みなと川市 災害対策本部" > "$tmp/cli.log" 2>&1 &&
   "$wine" "$cli" --db "$tmp/demo.sqlite" seed load "$seeds" >> "$tmp/cli.log" 2>&1; then
  echo "ok 1 the Windows CLI made the demo database"
else
  sed 's/^/# /' "$tmp/cli.log"
  echo "not ok 1 the Windows CLI made the demo database"
fi

# GL under Wine on Xvfb is software at best: the cairo renderer, as the
# Linux UI tests use.  Warnings are not fatal here (a fatal one would stop
# the desk behind a message box); they are read from its log below.
G_DEBUG=gc-friendly GSK_RENDERER=cairo "$wine" "$desk" --db "$tmp/demo.sqlite" --demo > "$tmp/desk.log" 2>&1 &
desk_pid=$!
found=""
for _ in $(seq 180); do
  found=$(xdotool search --onlyvisible --name "ShelterDesk|避難所" 2>/dev/null | head -1)
  [ -n "$found" ] && break
  kill -0 "$desk_pid" 2>/dev/null || break
  sleep 1
done
if [ -n "$found" ]; then
  echo "ok 2 the desk's window is on the screen"
else
  sed 's/^/# /' "$tmp/desk.log"
  echo "not ok 2 the desk's window is on the screen"
fi

# Its first frames: then the whole screen, kept.
sleep 8
import -window root "$shot" 2> /dev/null
spread=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
if awk -v s="$spread" 'BEGIN { exit !(s > 0.05) }'; then
  echo "ok 3 the screenshot shows something (spread $spread): $shot"
else
  echo "not ok 3 the screenshot shows something (spread $spread): $shot"
fi

# Every warning the desk gave, but those that are Wine's gaps, not the
# desk's: its registry has no keyboard layouts and no layout DLLs, which
# GDK looks up; it has no device node properties; and DirectWrite cannot
# name Wine's own message font, which GDK asks pango to describe (NULL).
grep -E "(WARNING|CRITICAL) \*\*" "$tmp/desk.log" |
  grep -v -e "Keyboard Layout" -e "keyboard layout DLL" -e "device node property" \
    -e "pango_font_description_to_string: assertion 'desc != NULL'" > "$tmp/warnings"
if [ -s "$tmp/warnings" ]; then
  sed 's/^/# /' "$tmp/warnings"
  echo "not ok 4 the desk gave no warning"
else
  echo "ok 4 the desk gave no warning"
fi
