#!/usr/bin/env python3
# load-safety-web.py: many phones answering through the staff safety web form at once, over loopback.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: load-safety-web.py PATH/TO/shelterdesk-cli [--staff N] [--at-once K] [--bench]
#
# A roster of N staff, every one with a PIN, is loaded as a seed (the PINs
# are hashed with Argon2id as any are); a real-incident roll-call is
# opened; the real receiver (`serve`) listens on 127.0.0.1.  Then:
#
#   load     N phones, K at a time, each signing in, opening the form and
#            answering; every answer must be stored exactly once.
#   during   signed-in staff answer one after another while K other
#            phones keep signing in: how long an answer takes, request
#            to durable commit (the page comes back after the commit).
#
# Each phone comes from its own loopback address (127.0.0.2, .3, …), as
# phones on a LAN do, so the receiver's per-address limits stay as they
# ship.  As a test (suite web) it checks the counts; with --bench it
# also prints the table of docs/safety.md, against two floors measured in
# the same run: a bare HTTP round trip to the same receiver (the sign-in
# page, no store) and bare SQLite committing one row in WAL mode with
# synchronous=FULL, as the store does.  Nothing is asserted on time.

import argparse
import concurrent.futures
import http.client
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument('cli')
parser.add_argument('--staff', type=int, default=100)
parser.add_argument('--at-once', type=int, default=50)
parser.add_argument('--answers', type=int, default=200, help='answers timed while others sign in')
parser.add_argument('--bench', action='store_true')
args = parser.parse_args()
CLI = os.path.abspath(args.cli)
DEPARTMENTS = ['総務部', '企画財政部', '市民部', '福祉部', '健康部', '環境部', '都市整備部', '教育委員会事務局']


def env():
    e = dict(os.environ)
    e.pop('SHELTERDESK_DB', None)
    e.setdefault('LC_ALL', 'C.UTF-8')
    return e


def cli(*argv, db, stdin=b''):
    proc = subprocess.run([CLI, '--db', db] + list(argv), input=stdin, capture_output=True, env=env(), timeout=900)
    assert proc.returncode == 0, f'{argv}: {proc.stderr.decode()}'
    return proc.stdout.decode()


def pin_of(i):
    return str(200000 + i)


def staff_no_of(i):
    return str(5000 + i)


def make_hq(tmp, n):
    seed = os.path.join(tmp, 'seed')
    os.mkdir(seed)
    with open(os.path.join(seed, 'manifest.json'), 'w') as f:
        f.write('{"format": 1, "demo": false, "city": "負荷試験市", "site_name": "負荷試験 本部", '
                '"files": [{"kind": "staff", "path": "staff.csv"}]}')
    with open(os.path.join(seed, 'staff.csv'), 'w', encoding='utf-8') as f:
        f.write('staff_no,name,kana,department,section,rank,role,pin,phone\n')
        for i in range(n):
            f.write(f'{staff_no_of(i)},職員 {i},ショクイン,{DEPARTMENTS[i % len(DEPARTMENTS)]},第{i % 5 + 1}課,'
                    f'主事,{"hq" if i == 0 else "volunteer"},{pin_of(i)},090-0000-{i:04d}\n')
    db = os.path.join(tmp, 'hq.sqlite')
    cli('init', '--site-name', '負荷試験 本部', db=db)
    started = time.monotonic()
    cli('seed', 'load', seed, db=db)
    hashing = time.monotonic() - started
    cli('deploy', 'bundle', '--out', os.path.join(tmp, 'deploy.sdbundle'), db=db)
    cli('safety', 'open', '--title', '負荷試験', db=db)
    return db, hashing


class Server:
    def __init__(self, db):
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([CLI, '--db', db, 'serve', '--listen', '127.0.0.1:0'],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env())
        deadline = time.monotonic() + 30
        while True:
            self.log.seek(0)
            m = re.search(r'http://127\.0\.0\.1:(\d+)', self.log.read().decode('utf-8', errors='replace'))
            if m:
                self.port = int(m.group(1))
                return
            assert self.proc.poll() is None and time.monotonic() < deadline, 'serve did not start'
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)

    def tail(self):
        self.log.seek(0)
        return self.log.read().decode('utf-8', errors='replace')[-3000:]


class Phone:
    def __init__(self, port, address):
        self.port = port
        self.address = address
        self.cookie = None

    def request(self, method, path, fields=None):
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=120, source_address=(self.address, 0))
        headers = {'Accept-Language': 'ja'}
        body = None
        if self.cookie:
            headers['Cookie'] = self.cookie
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        page = r.read().decode('utf-8')
        took = time.perf_counter() - started
        cookie = r.getheader('Set-Cookie')
        if cookie and cookie.startswith('sd_safety='):
            self.cookie = cookie.split(';')[0]
        conn.close()
        return r.status, page, took

    def sign_in(self, staff_no, pin):
        status, _, took = self.request('POST', '/safety/signin', {'staff_no': staff_no, 'pin': pin})
        assert status == 303, f'sign-in {staff_no}: {status}'
        return took

    def answer(self, fields):
        status, page, _ = self.request('GET', '/safety')
        assert status == 200, status
        form = dict(re.findall(r'name="(csrf|rollcall)" value="([^"]*)"', page))
        status, page, took = self.request('POST', '/safety/answer', dict(fields, **form))
        assert status == 200 and 'role="status"' in page, f'answer: {status}'
        return took


def address_of(i):
    return f'127.0.{1 + i // 250}.{2 + i % 250}'


ANSWER = {'safety': 'unhurt', 'location': 'home', 'can_report': 'yes', 'means': 'walk', 'arrival': 'within_30m'}


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000


def floor_sqlite(tmp, n):
    db = sqlite3.connect(os.path.join(tmp, 'floor.sqlite'), isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('PRAGMA synchronous=FULL')
    db.execute('CREATE TABLE a (id TEXT PRIMARY KEY, staff TEXT, safety TEXT, location TEXT, can_report INT, '
               'means TEXT, arrival TEXT, at INT)')
    times = []
    for i in range(n):
        started = time.perf_counter()
        db.execute('BEGIN IMMEDIATE')
        db.execute('INSERT INTO a VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                   (f'{i:032x}', str(i), 'unhurt', 'home', 1, 'walk', 'within_30m', i))
        db.execute('COMMIT')
        times.append(time.perf_counter() - started)
    db.close()
    return times


def main():
    tmp = tempfile.mkdtemp(prefix='sd-web-load-')
    n, k = args.staff, args.at_once
    print('1..2', flush=True)
    server = None
    try:
        db, hashing = make_hq(tmp, n)
        server = Server(db)
        phones = [Phone(server.port, address_of(i)) for i in range(n)]

        # ---- load: N phones, K at a time ----
        sign_ins, answers = [], []

        def one(i):
            sign_ins.append(phones[i].sign_in(staff_no_of(i), pin_of(i)))
            answers.append(phones[i].answer(ANSWER))

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(k) as pool:
            list(pool.map(one, range(n)))
        load_s = time.monotonic() - started
        with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as c:
            stored = c.execute("SELECT count(*), count(DISTINCT staff_id) FROM safety_answers WHERE via = 'web'"
                               ).fetchone()
        ok = stored == (n, n)
        print(f'{"ok" if ok else "not ok"} 1 {n} staff signed in and answered, {k} at a time: '
              f'{stored[0]} answers from {stored[1]} staff stored ({load_s:.1f} s)', flush=True)

        # ---- during: answers while K phones keep signing in ----
        stop = threading.Event()
        checked = []

        def keep_signing_in(j):
            phone = Phone(server.port, address_of(n + j))
            i = j
            while not stop.is_set():
                checked.append(phone.sign_in(staff_no_of(i % n), pin_of(i % n)))
                i += k

        timed = []
        with concurrent.futures.ThreadPoolExecutor(k) as pool:
            flood = [pool.submit(keep_signing_in, j) for j in range(k)]
            time.sleep(1.0)   # the verify pool's queue fills
            for a in range(args.answers):
                fields = dict(ANSWER, arrival=['within_30m', 'within_1h', 'within_2h'][a % 3],
                              message=f'{a}')
                timed.append(phones[a % n].answer(fields))
            stop.set()
            for f in flood:
                f.result()
        with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as c:
            total = c.execute("SELECT count(*) FROM safety_answers WHERE via = 'web'").fetchone()[0]
        ok2 = total == n + args.answers
        print(f'{"ok" if ok2 else "not ok"} 2 {args.answers} answers while {k} phones kept signing in: '
              f'{total - n} stored', flush=True)

        # ---- floors ----
        floor_http = []
        bare = Phone(server.port, '127.0.0.1')
        for _ in range(args.answers):
            floor_http.append(bare.request('GET', '/safety')[2])
        server.stop()
        floor_db = floor_sqlite(tmp, args.answers)

        if args.bench:
            cores = os.cpu_count()
            print(f'# Staff safety web form, {n} staff, {k} phones at a time, loopback, {cores} cores')
            print(f'# Roster with {n} PINs loaded (Argon2id each): {hashing:.1f} s')
            print('#')
            print('# | work | p50 ms | p95 ms | vs HTTP floor (p95) | target |')
            print('# |---|---|---|---|---|')
            print(f'# | floor: HTTP round trip, sign-in page (no store) | {p(floor_http, .5):.1f} | '
                  f'{p(floor_http, .95):.1f} | 1.0× | |')
            print(f'# | floor: bare SQLite, one row committed (WAL, synchronous=FULL) | {p(floor_db, .5):.1f} | '
                  f'{p(floor_db, .95):.1f} | | |')
            print(f'# | load: a sign-in, {k} at a time (Argon2id queued) | {p(sign_ins, .5):.0f} | '
                  f'{p(sign_ins, .95):.0f} | | |')
            print(f'# | load: an answer, {k} at a time | {p(answers, .5):.1f} | {p(answers, .95):.1f} | '
                  f'{p(answers, .95) / p(floor_http, .95):.1f}× | |')
            print(f'# | an answer while {k} phones sign in ({len(checked)} checked meanwhile) | '
                  f'{p(timed, .5):.1f} | {p(timed, .95):.1f} | {p(timed, .95) / p(floor_http, .95):.1f}× | '
                  f'p95 < 50 ms {"✔" if p(timed, .95) < 50 else "✘"} |')
            print(f'# | the whole load: {n} staff sign in and answer | {load_s:.1f} s | | | report |')
        return 0 if ok and ok2 else 1
    except Exception:
        if server is not None:
            print(f'# the receiver ({"running" if server.proc.poll() is None else f"exit {server.proc.poll()}"}) '
                  f'said:\n' + '\n'.join('# ' + line for line in server.tail().splitlines()), flush=True)
        raise
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
