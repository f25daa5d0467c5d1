#!/usr/bin/env python3
# test-crash.py: kill a writer with SIGKILL at random moments; every acknowledged write must survive.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-crash.py CRASH_WRITER SHELTERDESK_CLI [ROUNDS]
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

WRITER, CLI = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 25
rng = random.Random(20261122)


# Under Wine a program takes about a second to start, longer than the
# kills' random moments: there the moment is counted from the writer's
# first acknowledged write (so a kill while the database is being made is
# left to the Linux run).
UNDER_WINE = bool(os.environ.get('SD_UNDER_WINE'))


def first_line(proc):
    """What PROC writes up to the end of its first line (or its end)."""
    data = b''
    while not data.endswith(b'\n'):
        byte = os.read(proc.stdout.fileno(), 1)
        if not byte:
            break
        data += byte
    return data


def verify(db, acks):
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try:
        problems = []
        if con.execute('PRAGMA integrity_check').fetchone()[0] != 'ok':
            problems.append('integrity_check failed')
        tables = {'household': 'households', 'person': 'persons', 'event': 'person_events'}
        for kind, row_id in acks:
            table = tables[kind]
            if con.execute(f'SELECT count(*) FROM {table} WHERE id = ?', (row_id,)).fetchone()[0] != 1:
                problems.append(f'acknowledged {kind} {row_id} is missing')
            elif con.execute('SELECT count(*) FROM oplog WHERE tbl = (SELECT n FROM oplog_tables WHERE name = ?) '
                             'AND row_id = ?', (table, bytes.fromhex(row_id.replace('-', '')))).fetchone()[0] == 0:
                problems.append(f'acknowledged {kind} {row_id} has no op-log entries')
        for site, n, top in con.execute('SELECT site, count(*), max(seq) FROM oplog GROUP BY site'):
            if n != top:
                problems.append(f'op-log sequence of {site} has gaps ({n} entries, max {top})')
        return problems
    finally:
        con.close()


def main():
    print(f'1..{ROUNDS + 2}', flush=True)
    failed = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'crash.sqlite')
        acks = []
        for n in range(1, ROUNDS + 1):
            proc = subprocess.Popen([WRITER, db, str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            first = b''
            try:
                if UNDER_WINE:
                    first = first_line(proc)
                time.sleep(rng.uniform(0.05, 0.4))
            finally:
                proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=60)
            out = first + out
            round_acks = []
            for line in out.decode('utf-8', 'replace').splitlines():
                parts = line.split()
                # A line cut short by the kill was never acknowledged.
                if len(parts) >= 3 and parts[0] == 'ACK' and len(parts[2]) == 36:
                    round_acks.append((parts[1], parts[2]))
            acks += round_acks
            total += len(round_acks)
            problems = verify(db, round_acks)
            if err.strip():
                problems.append('writer said: ' + err.decode('utf-8', 'replace').strip())
            if problems:
                failed += 1
                print(f'not ok {n} - round {n}: {len(round_acks)} new acknowledged writes')
                for p in problems[:10]:
                    print(f'# {p}')
            else:
                print(f'ok {n} - round {n}: {len(round_acks)} new acknowledged writes all present')
        # Every write acknowledged in any round, once more at the end.
        final = verify(db, acks)
        print(f'{"ok" if not final else "not ok"} {ROUNDS + 1} - all {len(acks)} acknowledged writes present at the end')
        for p in final[:10]:
            print(f'# {p}')
        failed += bool(final)
        check = subprocess.run([CLI, '--db', db, 'check'], capture_output=True, text=True,
                               env=dict(os.environ, LANGUAGE='C'))
        good = check.returncode == 0 and check.stdout.strip() == 'ok'
        print(f'{"ok" if good else "not ok"} {ROUNDS + 2} - shelterdesk-cli check after {ROUNDS} kills')
        if not good:
            failed += 1
            print('# ' + (check.stdout + check.stderr).strip().replace('\n', '\n# '))
    print(f'# {total} acknowledged writes verified after {ROUNDS} SIGKILLs')
    return 1 if failed else 0


sys.exit(main())
