#!/bin/sh
# build.sh: ShelterDesk for Windows, cross-built on Debian 12.
#
#   packaging/windows/build.sh           the installer, build-win64/ShelterDesk-VERSION-setup.exe
#   packaging/windows/build.sh --test    the cross-build and its tests under Wine (no installer):
#                                        the unit, qr, crash and cli suites, the COM port and
#                                        the desk's window (suite windows), on an Xvfb and one
#                                        Wine server of their own (SD_WIN_SUITES picks suites)
#
# The dependencies come from build-prefix.sh (cached, keyed by the recipe);
# ShelterDesk is cross-built into build-win64 with the cross file and the
# prefix's own, installed into build-win64/stage, completed with the DLLs
# it imports, GLib's compiled schemas, GTK's and libadwaita's translations,
# the symbolic icons and the fonts, and packed by NSIS (shelterdesk.nsi).
#
# Environment: SD_WIN_CACHE as for build-prefix.sh.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
host=x86_64-w64-mingw32
build=$root/build-win64
log () { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

t0=$(date +%s)
prefix=$("$here/build-prefix.sh")
log "dependencies: $prefix ($(( $(date +%s) - t0 )) s)"

t1=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" --cross-file "$here/cross-mingw64.txt" \
    --cross-file "$prefix/share/shelterdesk/cross-prefix.txt" --prefix=/ShelterDesk --bindir=bin \
    --buildtype=release -Dpost_install=false -Dwerror=true > "$build.setup.log" 2>&1 ||
    { tail -30 "$build.setup.log" >&2; rm -rf "$build"; exit 1; }
  rm -f "$build.setup.log"
fi
meson compile -C "$build" > "$build/compile.log" 2>&1 || { grep -E "error|FAILED" "$build/compile.log" | head -40 >&2; exit 1; }
log "ShelterDesk for Windows: $(( $(date +%s) - t1 )) s"

if [ "${1:-}" = --test ] && [ -z "${SD_XVFB_DISPLAY:-}" ]; then
  # The whole run on one X server of its own: Wine's desktop, started
  # below for every test, is tied to the display it was started on, and
  # the desk's window test draws on it.
  exec "$root/tests/ui/run-under-xvfb.sh" sh -c 'SD_XVFB_DISPLAY=$DISPLAY exec "$0" --test' "$0"
fi
if [ "${1:-}" = --test ]; then
  # Everything is slower under Wine (a program starts in about a second).
  suites=""
  for suite in ${SD_WIN_SUITES:-unit qr windows crash cli}; do
    suites="$suites --suite $suite"
  done
  # One Wine server for the whole run, with its services and desktop
  # started here, with nothing on their standard files, and ended after
  # it.  Left to the tests, the server ends as its last program ends (a
  # program started in that moment fails: "recvmsg: Connection reset by
  # peer"), and the services and desktop it starts for a test program
  # inherit that program's pipes, so that the runner waits on them until
  # every other Wine program has ended (tests/windows/wine-keeper.c).
  # It also saves each program the start of the server: 0.4 s a program
  # instead of 1 to 4.
  export WINEPREFIX="$build/wine" WINEDEBUG=-all SD_WINE_READY=1
  /usr/lib/wine/wineserver64 -k 2> /dev/null || true
  mkdir -p "$WINEPREFIX"  # a fresh build's prefix: the server needs its folder, wineboot fills it
  /usr/lib/wine/wineserver64 -p < /dev/null > /dev/null 2>&1
  trap '/usr/lib/wine/wineserver64 -k' EXIT
  /usr/lib/wine/wine64 wineboot --init < /dev/null > /dev/null 2>&1
  /usr/lib/wine/wine64 "$build/tests/wine-keeper.exe" < /dev/null > /dev/null 2>&1 &
  # shellcheck disable=SC2086
  meson test -C "$build" --print-errorlogs --timeout-multiplier 3 $suites
  exit $?
fi

# ---- the installer's tree ----
stage=$build/stage
tree=$stage/ShelterDesk
rm -rf "$stage"
DESTDIR=$stage meson install -C "$build" --no-rebuild --skip-subprojects > /dev/null
# Tests and development files are not shipped.
rm -rf "$tree/include" "$tree/lib"

# Every DLL the programs import, and theirs, from the prefix or the
# compiler's runtime (harfbuzz and ICU are C++).
runtime=$(dirname "$($host-gcc -print-file-name=libstdc++-6.dll)")
find_dll () {
  for dir in "$prefix/bin" "$runtime" "/usr/$host/lib"; do
    found=$(find "$dir" -maxdepth 1 -iname "$1" 2>/dev/null | head -1)
    [ -n "$found" ] && { echo "$found"; return 0; }
  done
  return 1
}
queue=$(ls "$tree"/bin/*.exe)
while [ -n "$queue" ]; do
  next=""
  for file in $queue; do
    for dll in $($host-objdump -p "$file" | sed -n 's/^[[:space:]]*DLL Name: //p'); do
      [ -f "$tree/bin/$dll" ] && continue
      if path=$(find_dll "$dll"); then
        cp "$path" "$tree/bin/$dll"
        next="$next $tree/bin/$dll"
      fi
      # Anything else is Windows' own (kernel32, user32, winscard…).
    done
  done
  queue=$next
done

# GLib starts child processes (the drill's, the demo card) through its
# helpers, and the session bus that keeps the desk to one window through
# gdbus.exe: nothing imports them.
cp "$prefix"/bin/gspawn-win64-helper*.exe "$prefix/bin/gdbus.exe" "$tree/bin/"

# GLib's schemas (ShelterDesk's and GTK's), compiled here.
mkdir -p "$tree/share/glib-2.0/schemas"
cp "$prefix"/share/glib-2.0/schemas/*.xml "$tree/share/glib-2.0/schemas/" 2>/dev/null || true
glib-compile-schemas "$tree/share/glib-2.0/schemas"

# GTK's, libadwaita's and GLib's own words in the languages ShelterDesk has.
for lang in $(sed -n 's/^\([a-z_A-Z]*\).*/\1/p' "$root/po/LINGUAS"); do
  for domain in gtk40 libadwaita glib20; do
    mo=$prefix/share/locale/$lang/LC_MESSAGES/$domain.mo
    [ -f "$mo" ] || continue
    mkdir -p "$tree/share/locale/$lang/LC_MESSAGES"
    cp "$mo" "$tree/share/locale/$lang/LC_MESSAGES/"
  done
done

# The symbolic icons the desk's buttons name (GTK builds in only its own).
mkdir -p "$tree/share/icons/Adwaita"
cp /usr/share/icons/Adwaita/index.theme "$tree/share/icons/Adwaita/"
cp -r /usr/share/icons/Adwaita/symbolic "$tree/share/icons/Adwaita/" 2>/dev/null ||
  cp -r /usr/share/icons/Adwaita/scalable "$tree/share/icons/Adwaita/"
cp -r "$prefix/share/icons/hicolor" "$tree/share/icons/" 2>/dev/null || true

# The fonts (Noto Sans CJK, Noto Sans Devanagari) are installed by the build
# (data/meson.build), with their licences.
cp /usr/share/doc/fonts-noto-cjk/copyright "$tree/share/shelterdesk/fonts/LICENSE-Noto-CJK.txt"
cp /usr/share/doc/fonts-noto-core/copyright "$tree/share/shelterdesk/fonts/LICENSE-Noto.txt"

# GTK's settings for this install: the Windows theme's look is not the
# desk's; Adwaita is.
mkdir -p "$tree/etc/gtk-4.0"
printf '[Settings]\ngtk-theme-name=Adwaita\ngtk-font-name=Noto Sans CJK JP, Noto Sans Devanagari 11\n' > "$tree/etc/gtk-4.0/settings.ini"

version=$(sed -n "s/^  version: '\(.*\)',/\1/p" "$root/meson.build")
out=$build/ShelterDesk-$version-setup.exe
makensis -V2 -DVERSION="$version" -DTREE="$tree" -DOUT="$out" "$here/shelterdesk.nsi" > "$build/nsis.log" 2>&1 ||
  { tail -30 "$build/nsis.log" >&2; exit 1; }
log "installer: $out ($(du -h "$out" | cut -f1)), $(( $(date +%s) - t0 )) s in all"
echo "$out"
