#!/bin/sh
# post-install.sh: after `meson install`, compile the GSettings schemas and
# refresh the icon cache where they were installed, into DESTDIR too (the
# installed desk then runs from a staged tree).  A distribution package
# builds with -Dpost_install=false: its triggers do this on the target.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
# $1: the datadir option (relative to the prefix, or absolute).
case "${1:?datadir}" in
  /*) datadir="${DESTDIR:-}$1" ;;
  *) datadir="${MESON_INSTALL_DESTDIR_PREFIX:?}/$1" ;;
esac
glib-compile-schemas "$datadir/glib-2.0/schemas"
if command -v gtk4-update-icon-cache >/dev/null 2>&1; then
  gtk4-update-icon-cache -q -t -f "$datadir/icons/hicolor" || true
elif command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f "$datadir/icons/hicolor" || true
fi
