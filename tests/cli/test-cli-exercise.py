#!/usr/bin/env python3
# test-cli-exercise.py: tabletop exercises from the command line: exercise new, check and run.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-exercise.py PATH/TO/shelterdesk-cli PATH/TO/seeds
# Shares its helpers with test-cli.py.

import csv as csvmod
import hashlib
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys

_spec = importlib.util.spec_from_file_location(
    'sdcli', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test-cli.py'))
sdcli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sdcli)

cli, ok, fails, info, seeded, SEEDS = sdcli.cli, sdcli.ok, sdcli.fails, sdcli.info, sdcli.seeded, sdcli.SEEDS

M7 = os.path.join(SEEDS, 'scenarios', 'm7-day1.csv')
FLOOD = os.path.join(SEEDS, 'scenarios', 'river-flood.csv')
START = '2026-12-05T05:46:00+09:00'


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def exercise_of(tmp):
    live = seeded(tmp)
    ex = os.path.join(tmp, 'exercise.db')
    r = ok(cli('exercise', 'new', '--from', live, '--out', ex), 'exercise new')
    assert '訓練 EXERCISE' in r.out, r.out
    return live, ex


def test_new(tmp):
    live, ex = exercise_of(tmp)
    data = info(ex)
    assert data['is_exercise'] is True and info(live)['is_exercise'] is False, data
    counts = data['counts']
    assert counts['persons'] == 0 and counts['events'] == 0 and counts['households'] == 0, counts
    assert counts['shelters'] == info(live)['counts']['shelters'], counts
    assert counts['staff'] == info(live)['counts']['staff'], counts
    assert counts['support_persons'] == info(live)['counts']['support_persons'], counts
    ok(cli('check', db=ex), 'check of the exercise')
    # Never over an existing file, and never without both files named.
    r = fails(cli('exercise', 'new', '--from', live, '--out', ex), 1, 'over an existing file')
    assert 'already exists' in r.err, r.err
    fails(cli('exercise', 'new', '--out', os.path.join(tmp, 'x.db')), 2, 'no --from')
    r = fails(cli('exercise', 'new', '--from', os.path.join(tmp, 'none.db'), '--out', os.path.join(tmp, 'y.db')),
              1, 'a deployment that is not there')
    assert not os.path.exists(os.path.join(tmp, 'y.db'))


def test_check(tmp):
    r = ok(cli('exercise', 'check', M7), 'check m7')
    assert 'It can run' in r.out and 'T+23:30' in r.out, r.out
    bad = os.path.join(tmp, 'bad.csv')
    with open(bad, 'w', encoding='utf-8') as f:
        f.write('番号,時刻,内容,機械動作\n1,T+00:00,地震,\n2,T+25:99,余震,\n')
    r = fails(cli('exercise', 'check', bad), 1, 'a bad time')
    assert 'bad.csv, line 3: ' in r.err and 'T+25:99' in r.err, r.err
    with open(bad, 'w', encoding='utf-8') as f:
        f.write('serial,time,description,action\n1,T+0,x,arrivals shelter=S77 people=3\n')
    ok(cli('exercise', 'check', bad), 'no database: shelters not checked')
    _, ex = exercise_of(tmp)
    r = fails(cli('exercise', 'check', bad, db=ex), 1, 'an unknown shelter')
    assert 'line 2' in r.err and 'S77' in r.err, r.err


def test_run(tmp):
    live, ex = exercise_of(tmp)
    before = sha256(live)
    # Never in a live database; nothing written there.
    r = fails(cli('exercise', 'run', FLOOD, '--seed', '3', db=live), 1, 'run on a live database')
    assert 'not an exercise database' in r.err, r.err
    assert sha256(live) == before
    fails(cli('exercise', 'run', FLOOD, '--speed', 'fast', db=ex), 2, 'a bad speed')
    fails(cli('exercise', 'run', FLOOD, '--start', 'yesterday', db=ex), 2, 'a bad start')
    r = ok(cli('exercise', 'run', FLOOD, '--seed', '3', '--start', START, '--json', db=ex), 'run the flood')
    totals = json.loads(r.out)
    assert totals['injects'] == 26 and totals['persons'] + totals['returning'] == 1000, totals
    assert totals['support_reports'] > 0 and totals['safety_answers'] > 0, totals
    assert info(ex)['counts']['persons'] == totals['persons']
    ok(cli('check', db=ex), 'check after the run')
    # The desks' reports read the exercise's day.
    report = os.path.join(tmp, 'status.csv')
    ok(cli('report', 'shelter-status', '--all', '--format', 'csv', '--out', report, db=ex), 'report')
    assert os.path.getsize(report) > 0
    # A second run in the same file is refused.
    r = fails(cli('exercise', 'run', FLOOD, db=ex), 1, 'a second run')
    assert 'exercise new' in r.err, r.err
    with sqlite3.connect(ex) as c:
        states = dict(c.execute('SELECT state, count(*) FROM exercise_injects GROUP BY state').fetchall())
    assert states.get('pending', 0) == 0 and states['done'] > 0 and states['delivered'] > 0, states


def ppm_pixels(path):
    """The pixels of a binary PPM (P6) as (width, height, bytes)."""
    with open(path, 'rb') as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b'P6', parts[0]
    return int(parts[1]), int(parts[2]), parts[4]


def test_report(tmp):
    live, ex = exercise_of(tmp)
    r = fails(cli('exercise', 'report', '--pdf', os.path.join(tmp, 'x.pdf'), db=live), 1, 'review of a live database')
    assert 'not an exercise' in r.err, r.err
    fails(cli('exercise', 'report', db=ex), 2, 'nothing asked')
    r = fails(cli('exercise', 'report', '--pdf', os.path.join(tmp, 'x.pdf'), db=ex), 1, 'review before any run')
    assert 'No scenario' in r.err, r.err
    ok(cli('exercise', 'run', M7, '--seed', '7', '--start', START, db=ex), 'run the earthquake')
    pdf, csv, series = (os.path.join(tmp, n) for n in ('review.pdf', 'review.csv', 'series.csv'))
    ok(cli('exercise', 'report', '--pdf', pdf, '--csv', csv, '--series', series, '--step', '30', db=ex), 'report')
    # Every page says it is an exercise; the injects and their times are there.
    pages = int(next(line.split()[1] for line in
                     subprocess.run(['pdfinfo', pdf], capture_output=True, text=True, check=True).stdout.splitlines()
                     if line.startswith('Pages:')))
    assert pages >= 2, pages
    for page in range(1, pages + 1):
        text = subprocess.run(['pdftotext', '-f', str(page), '-l', str(page), pdf, '-'],
                              capture_output=True, text=True, check=True).stdout
        assert '訓練 EXERCISE' in text, (page, text[:200])
    text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True, check=True).stdout
    assert 'm7-day1' in text and '05:46' in text and '福祉避難所' in text, text[:400]
    # The chart is drawn: the staying line's blue on the first page.
    subprocess.run(['pdftoppm', '-r', '50', '-f', '1', '-l', '1', pdf, os.path.join(tmp, 'page')], check=True)
    width, height, pixels = ppm_pixels(os.path.join(tmp, 'page-1.ppm'))
    blue = sum(1 for i in range(0, len(pixels), 3)
               if abs(pixels[i] - 26) < 30 and abs(pixels[i + 1] - 89) < 30 and abs(pixels[i + 2] - 179) < 30)
    assert blue > 100, blue
    # Every row of both files says it is an exercise, in its first cell.
    with open(csv, encoding='utf-8-sig') as f:
        rows = list(csvmod.reader(f))
    assert rows[0][0].startswith('訓練 EXERCISE') and all(r[0] == '訓練 EXERCISE' for r in rows[1:]), rows[:2]
    injects = [r[1:] for r in rows[1:] if r[1] == 'inject']
    assert len(injects) == 66 and all(r[3] for r in injects), injects[:2]
    with open(series, encoding='utf-8-sig') as f:
        rows = list(csvmod.reader(f))
    assert all(r[0].startswith('訓練 EXERCISE') for r in rows), rows[:2]
    samples = [r[1:] for r in rows[1:]]
    assert samples[0][0] == 'T+00:00' and samples[0][1] == '0', samples[0]
    assert int(samples[-1][1]) > 3000 and len(samples) == 48, (len(samples), samples[-1])


def test_replay(tmp):
    live, ex = exercise_of(tmp)
    before = sha256(live)
    out = os.path.join(tmp, 'replay.db')
    fails(cli('exercise', 'replay', live, '--out', out, '--speed', '0'), 2, 'a speed of 0')
    fails(cli('exercise', 'replay', live), 2, 'no --out')
    r = ok(cli('exercise', 'replay', live, '--out', out), 'replay the demo day')
    assert 'Replayed' in r.out, r.out
    assert sha256(live) == before
    data = info(out)
    assert data['is_exercise'] is True, data
    for what in ('persons', 'households', 'events', 'staff', 'support_persons', 'shelters'):
        assert data['counts'][what] == info(live)['counts'][what], (what, data['counts'])
    ok(cli('check', '--deep', db=out), 'deep check of the replay')
    r = fails(cli('exercise', 'replay', live, '--out', out), 1, 'over an existing file')
    assert 'already exists' in r.err, r.err


def test_replay_batches(tmp):
    hq = seeded(tmp)
    kiosk = os.path.join(tmp, 'kiosk.db')
    bundle = os.path.join(tmp, 'deploy.sdbundle')
    made = json.loads(ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq), 'deploy bundle').out)
    sdcli.init(kiosk, '--site-name', 'K1')
    enrolled = json.loads(ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json',
                                 db=kiosk), 'deploy enrol').out)
    ok(sdcli.add_household(kiosk, sdcli.YAMADA), 'a household at the kiosk')
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    batch = json.loads(ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=kiosk),
                          'batch export').out)['file']
    ok(cli('batch', 'import', '--enrol', enrolled['fingerprint'], batch, db=hq), 'batch import at HQ')
    out = os.path.join(tmp, 'replay.db')

    # Sealed to HQ: without HQ's database, nothing can open them.
    r = fails(cli('exercise', 'replay', batch, '--out', out), 2, 'batches without --receiver')
    assert 'sealed to the site they were sent to' in r.err and '--receiver' in r.err, r.err
    r = fails(cli('exercise', 'replay', batch, '--receiver', kiosk, '--out', out), 1, 'the kiosk as the receiver')
    assert os.path.basename(batch) in r.err and 'not sent to' in r.err, r.err
    assert not os.path.exists(out)

    before = sha256(hq)
    r = ok(cli('exercise', 'replay', batch, batch, '--receiver', hq, '--out', out), 'replay the batches')
    assert 'Replayed 2 batches' in r.out, r.out
    assert sha256(hq) == before
    data = info(out)
    assert data['is_exercise'] is True and data['site_name'].startswith('Replay: '), data
    for what in ('persons', 'households', 'events', 'staff', 'support_persons', 'shelters'):
        assert data['counts'][what] == info(hq)['counts'][what], (what, data['counts'])
    ok(cli('check', '--deep', db=out), 'deep check of the replay')


TESTS = [
    ('exercise new: the deployment without its evacuees, marked, never over a file', test_new),
    ('exercise check: a scenario refused by line, shelters checked against the exercise', test_check),
    ('exercise run: the river flood headless, never in a live database, once per file', test_run),
    ('exercise report: the review as PDF with its charts, CSV of the injects and of the counts', test_report),
    ('exercise replay: a live day into a new exercise, the source never written', test_replay),
    ('exercise replay: batch files with the database they were sent to, which is only read', test_replay_batches),
]


if __name__ == '__main__':
    sdcli.TESTS = TESTS
    sys.exit(sdcli.main())
