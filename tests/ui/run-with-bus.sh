#!/bin/sh
# run-with-bus.sh COMMAND...: runs COMMAND in a D-Bus session of its own
# (dbus-run-session), for the accessibility bus and AT-SPI's registry that
# it starts.  Those print to their standard output, which is the test's
# TAP: so the bus gets stderr, and only COMMAND's output reaches stdout.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
exec 3>&1 1>&2
exec dbus-run-session -- sh -c 'exec "$@" 1>&3 3>&-' run-with-bus "$@"
