#!/bin/sh
# run-under-xvfb.sh: runs one command inside its own Xvfb, 1920x1280 so
# that a portrait tablet (800x1280) fits on it as well as a 1366x768 kiosk,
# on a display Xvfb picks itself (-displayfd), and stops that Xvfb by pid
# however the command ends.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

# Inside a run that already has its X server (packaging/windows/build.sh
# --test, whose Wine desktop lives on it): that one.
if [ -n "${SD_XVFB_DISPLAY:-}" ]; then
  DISPLAY=$SD_XVFB_DISPLAY
  export DISPLAY
  unset WAYLAND_DISPLAY
  exec "$@"
fi

fifo_dir=$(mktemp -d)
trap 'kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; rm -rf "$fifo_dir"' EXIT INT TERM
mkfifo "$fifo_dir/display"
Xvfb -displayfd 3 -screen 0 1920x1280x24 -nolisten tcp -noreset 3>"$fifo_dir/display" 2>"$fifo_dir/xvfb.log" &
xvfb_pid=$!
read -r display_number <"$fifo_dir/display" || { cat "$fifo_dir/xvfb.log" >&2; exit 1; }
export DISPLAY=":$display_number"
unset WAYLAND_DISPLAY
"$@"
exit $?
