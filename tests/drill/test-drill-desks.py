#!/usr/bin/env python3
# test-drill-desks.py: the drill with people (issue 18): `drill run --desks`
# opens the real desk on HQ and on each kiosk, under one X server, while
# the machine plays the day at a pace; the desks read the files the drill
# writes all along, and the proof must still hold; every desk is still
# up at the end, with its window. TAP.
#
# Usage (inside an X server, tests/ui/run-under-xvfb.sh):
#   test-drill-desks.py SHELTERDESK_CLI SEEDS_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from drill_tap import ok

CLI, SEEDS = sys.argv[1], sys.argv[2]
SCENARIO = os.path.join(SEEDS, 'scenarios', 'm7-day1.csv')


def desks_of(out):
    """The desk processes the drill opened on OUT's databases: pid → database."""
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                argv = f.read().split(b'\0')
        except OSError:
            continue
        if len(argv) >= 3 and os.path.basename(argv[0]) == b'shelterdesk' and argv[1] == b'--db' and \
                argv[2].decode().startswith(out):
            found[int(pid)] = os.path.basename(argv[2].decode())
    return found


def windows():
    r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--class', 'shelterdesk'], capture_output=True,
                       text=True)
    return [w for w in r.stdout.split() if w]


def main():
    print('1..4')
    env = dict(os.environ, GDK_BACKEND='x11', GSK_RENDERER='cairo', GTK_A11Y='none')
    with tempfile.TemporaryDirectory(prefix='sd-drill-desks-') as top:
        out = os.path.join(top, 'drill')
        # 24 hours at 3600×: some 25 s of wall time with the desks open.
        drill = subprocess.Popen([CLI, 'drill', 'run', '--scenario', SCENARIO, '--kiosks', '3', '--seed', '3',
                                  '--speed', '3600', '--desks', '--out', out, '--json'], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen, up = {}, []
        try:
            deadline = time.monotonic() + 120
            while drill.poll() is None and time.monotonic() < deadline:
                seen.update(desks_of(out))
                if len(seen) == 4 and len(up) < 4:
                    up = max(up, windows(), key=len)
                time.sleep(0.5)
            stdout, stderr = drill.communicate(timeout=600)
            ok(sorted(seen.values()) == ['hq.sqlite', 'kiosk-1.sqlite', 'kiosk-2.sqlite', 'kiosk-3.sqlite'] and
               len(up) >= 4, 'a desk opened on HQ and on each kiosk, each with its window', (seen, up))
            result = json.loads(stdout) if stdout.strip() else {}
            ok(drill.returncode == 0 and result.get('proof', {}).get('holds'),
               'with the desks open on the files, the proof holds', (stderr, result.get('proof')))
            ok(result.get('seconds', {}).get('day', 0) >= 20,
               'the day ran at its pace: 24 h at 3600× took %.1f s' % result.get('seconds', {}).get('day', 0))
            alive = [pid for pid in seen if os.path.exists('/proc/%d' % pid)]
            ok(len(alive) == 4 and len(windows()) >= 4, 'every desk is still up at the end, for the review',
               (alive, windows()))
        finally:
            if drill.poll() is None:
                drill.kill()
            for pid in desks_of(out):
                os.kill(pid, signal.SIGTERM)


main()
