#!/usr/bin/env python3
# test-drill-desks.py: the drill with people (issue 18): `drill run --desks`
# opens the real desk on HQ and on each kiosk, under one X server, while
# the machine plays the day at a pace; the desks read the files the drill
# writes all along, and the proof must still hold; every desk is still
# up at the end, with its window. A player signs in on kiosk 1's desk with
# the keyboard and acknowledges, then finishes, an inject in its strip while
# the machine plays. TAP.
#
# Usage (inside an X server, tests/ui/run-under-xvfb.sh):
#   test-drill-desks.py SHELTERDESK_CLI SEEDS_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import signal
import sqlite3
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


def xdotool(*args):
    return subprocess.run(['xdotool'] + list(args), capture_output=True, text=True, timeout=30).stdout.split()


def s01_injects(db):
    """The injects for S01's players (and for everyone) on kiosk 1's
    database: serial → state."""
    try:
        with sqlite3.connect('file:%s?mode=ro' % db, uri=True, timeout=5) as conn:
            return dict(conn.execute("SELECT serial, state FROM exercise_injects "
                                     "WHERE recipient LIKE 'S01%' OR recipient = '全員'"))
    except sqlite3.Error:
        return {}


def play(pid, db):
    """A player at kiosk 1's desk, with the keyboard only: signs in (the
    demo's volunteer 1002, PIN 1111), waits for an inject for S01 in the
    strip, presses Alt+A (確認) and Alt+D (完了) for the first one (and
    Enter when there are several). What became of the injects."""
    window = (xdotool('search', '--onlyvisible', '--pid', str(pid)) or [''])[0]
    if not window:
        return {}
    xdotool('windowraise', window)
    xdotool('windowfocus', '--sync', window)
    time.sleep(0.5)
    xdotool('type', '--delay', '30', '1002')
    xdotool('key', 'Return')
    xdotool('type', '--delay', '30', '1111')
    xdotool('key', 'Return')
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and 'delivered' not in s01_injects(db).values():
        time.sleep(0.2)
    time.sleep(2.5)   # the strip reads the file every 2 s
    xdotool('windowfocus', '--sync', window)
    # With one inject in the strip Alt+A presses its 確認; with several it
    # goes to the first, and Enter presses it.
    # The machine plays on meanwhile (a second of the day takes a
    # millisecond), so each press is waited for, up to a deadline, rather
    # than for a fixed second.
    for key, state in (('alt+a', 'acknowledged'), ('alt+d', 'done')):
        before = list(s01_injects(db).values()).count(state)
        for press in (key, 'Return'):
            xdotool('key', press)
            if wait_for(lambda: list(s01_injects(db).values()).count(state) > before, 5):
                break
    return s01_injects(db)


def wait_for(condition, seconds):
    """Whether CONDITION held within SECONDS (asked every 0.1 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def main():
    print('1..5')
    env = dict(os.environ, GDK_BACKEND='x11', GSK_RENDERER='cairo', GTK_A11Y='none')
    with tempfile.TemporaryDirectory(prefix='sd-drill-desks-') as top:
        out = os.path.join(top, 'drill')
        # 24 hours at 3600×: some 25 s of wall time with the desks open.
        drill = subprocess.Popen([CLI, 'drill', 'run', '--scenario', SCENARIO, '--kiosks', '3', '--seed', '3',
                                  '--speed', '3600', '--desks', '--players', '1001,1002', '--out', out, '--json'], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen, up, played = {}, [], None
        try:
            deadline = time.monotonic() + 120
            while drill.poll() is None and time.monotonic() < deadline:
                seen.update(desks_of(out))
                if len(seen) == 4 and len(up) < 4:
                    up = max(up, windows(), key=len)
                if played is None and len(up) >= 4:
                    kiosk1 = [p for p, db in seen.items() if db == 'kiosk-1.sqlite']
                    played = play(kiosk1[0], os.path.join(out, 'kiosk-1.sqlite')) if kiosk1 else {}
                time.sleep(0.5)
            stdout, stderr = drill.communicate(timeout=600)
            ok(sorted(seen.values()) == ['hq.sqlite', 'kiosk-1.sqlite', 'kiosk-2.sqlite', 'kiosk-3.sqlite'] and
               len(up) >= 4, 'a desk opened on HQ and on each kiosk, each with its window', (seen, up))
            result = json.loads(stdout) if stdout.strip() else {}
            ok(drill.returncode == 0 and result.get('proof', {}).get('holds'),
               'with the desks open on the files, the proof holds', (stderr, result.get('proof')))
            ok(result.get('seconds', {}).get('day', 0) >= 20,
               'the day ran at its pace: 24 h at 3600× took %.1f s' % result.get('seconds', {}).get('day', 0))
            ok(played is not None and 'done' in played.values(),
               'a player signed in at kiosk 1 with the keyboard (her own PIN, given by --players) and acknowledged, '
               'then finished, an inject in the strip while the machine played', played)
            alive = [pid for pid in seen if os.path.exists('/proc/%d' % pid)]
            ok(len(alive) == 4 and len(windows()) >= 4, 'every desk is still up at the end, for the review',
               (alive, windows()))
        finally:
            if drill.poll() is None:
                drill.kill()
            for pid in desks_of(out):
                os.kill(pid, signal.SIGTERM)


main()
