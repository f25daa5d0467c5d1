#!/bin/sh
# post-install.sh: after `meson install`, compile the GSettings schemas and
# refresh the icon cache where they were installed, into DESTDIR too (the
# installed desk then runs from a staged tree).  A distribution package
# builds with -Dpost_install=false: its triggers do this on the target.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
prefix="${MESON_INSTALL_DESTDIR_PREFIX:?}"
glib-compile-schemas "$prefix/share/glib-2.0/schemas"
if command -v gtk4-update-icon-cache >/dev/null 2>&1; then
  gtk4-update-icon-cache -q -t -f "$prefix/share/icons/hicolor" || true
elif command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f "$prefix/share/icons/hicolor" || true
fi
