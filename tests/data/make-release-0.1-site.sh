#!/bin/sh
# make-release-0.1-site.sh: how tests/data/release-0.1-site.sqlite was made,
# by ShelterDesk 0.1.0 at schema 10 (commit dffdc78), for the packaging
# suite's upgrade test (tests/packaging): a later release must open it with
# every row and op-log entry kept.  The same steps as the schema 6 fixture,
# by the release's own CLI.
#
#   git worktree add /tmp/r01 dffdc78 && (cd /tmp/r01 && meson setup build && ninja -C build)
#   CLI=/tmp/r01/build/src/cli/shelterdesk-cli sh tests/data/make-release-0.1-site.sh OUT.sqlite
set -eu
exec sh "$(dirname "$0")/make-schema6-site.sh" "$@"
