#!/usr/bin/env python3
# test-sync-net.py: HQ's receiver and a kiosk's push over loopback, with real processes and databases; TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-sync-net.py PATH/TO/shelterdesk-cli PATH/TO/seeds
#
# Every test gets a fresh copy of one deployment made with the CLI as a
# person makes it (init, seed load, deploy bundle, deploy enrol, the
# kiosk's first batch imported at HQ with its fingerprint): HQ, kiosk K1
# (enrolled) and kiosk K2 (enrolled from the bundle, never by HQ).  The
# receiver is `shelterdesk-cli serve` on 127.0.0.1 with a free port,
# started and ended by pid.  Python's standard library only (openssl for
# the TLS test).

import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

CLI = os.path.abspath(sys.argv[1])
SEEDS = os.path.abspath(sys.argv[2])
LOOPBACK = '127.0.0.1'


class Skip(Exception):
    pass


def env():
    e = dict(os.environ)
    e.pop('SHELTERDESK_DB', None)
    e['LANGUAGE'] = 'C'
    e.setdefault('LC_ALL', 'C.UTF-8')
    return e


class Result:
    def __init__(self, proc):
        self.status = proc.returncode
        self.out = proc.stdout.decode('utf-8')
        self.err = proc.stderr.decode('utf-8', errors='replace')

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f'exit {self.status}\nstdout: {self.out!r}\nstderr: {self.err!r}'


def cli(*args, db=None, stdin=b'', timeout=120):
    argv = [CLI] + (['--db', db] if db else []) + list(args)
    return Result(subprocess.run(argv, input=stdin, capture_output=True, env=env(), timeout=timeout))


def ok(result, what):
    assert result.status == 0, f'{what} failed: {result!r}'
    return result


def fails(result, what, status=1):
    assert result.status == status, f'{what}: expected exit {status}: {result!r}'
    assert result.err.startswith('shelterdesk-cli: '), f'{what}: no message: {result!r}'
    return result


# ---- the deployment, made once and copied for each test ----

TEMPLATE = None


def make_template():
    d = tempfile.mkdtemp(prefix='sd-net-template-')
    hq, k1, k2 = (os.path.join(d, n) for n in ('hq.sqlite', 'k1.sqlite', 'k2.sqlite'))
    ok(cli('init', '--site-name', 'HQ', db=hq), 'init hq')
    ok(cli('seed', 'load', SEEDS, db=hq), 'seed load')
    bundle = os.path.join(d, 'deploy.sdbundle')
    made = ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq), 'deploy bundle').json()
    fingerprints = {}
    for name, db in (('K1', k1), ('K2', k2)):
        ok(cli('init', '--site-name', name, db=db), f'init {name}')
        enrolled = ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json', db=db),
                      f'enrol {name}').json()
        fingerprints[name] = enrolled['fingerprint']
    # K1's first batch, enrolled at HQ after "comparing" the fingerprint.
    stick = os.path.join(d, 'stick')
    os.mkdir(stick)
    first = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=k1), 'first batch').json()
    ok(cli('batch', 'import', '--enrol', fingerprints['K1'], first['file'], db=hq), 'enrol K1 at HQ')
    shutil.rmtree(stick)
    return d, fingerprints


def copy_deployment(tmp):
    for name in os.listdir(TEMPLATE[0]):
        shutil.copy(os.path.join(TEMPLATE[0], name), tmp)
    return (os.path.join(tmp, 'hq.sqlite'), os.path.join(tmp, 'k1.sqlite'), os.path.join(tmp, 'k2.sqlite'))


FAMILIES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤']
GIVENS = ['太郎', '花子', '一郎', '美咲', '健', '陽菜', '大輔', '結衣']


def add_households(db, n, seed):
    rng = random.Random(seed)
    ids = []
    for i in range(n):
        family = FAMILIES[rng.randrange(len(FAMILIES))]
        household = {
            'shelter': 'S01', 'stay': 'shelter', 'address': f'みなと川市東町{seed}-{i}',
            'members': [{'name': f'{family} {GIVENS[m % len(GIVENS)]}{seed}{i}',
                         'birth_date': f'{1940 + rng.randrange(80)}-0{1 + m}-1{m}'} for m in range(3)],
        }
        added = ok(cli('evacuee', 'add', '--json', '--allow-duplicates', db=db,
                       stdin=json.dumps(household, ensure_ascii=False).encode()), 'evacuee add').json()
        ids += added['person_ids']
    return ids


def query(db, sql, *params):
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=30)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def site_id(db):
    return ok(cli('info', '--json', db=db), 'info').json()['site_id']


def origin_ops(db, origin):
    return query(db, 'SELECT o.seq, o.hlc, o.kind, o.fields FROM oplog o JOIN oplog_sites s ON s.n = o.site '
                     'WHERE s.site_id = ? ORDER BY o.seq', origin)


def persons(db, ids):
    marks = ','.join('?' * len(ids))
    return query(db, f'SELECT id, name, birth_date, household_id FROM persons WHERE id IN ({marks}) ORDER BY id',
                 *ids)


def status(db):
    return ok(cli('sync', 'status', '--json', db=db), 'sync status').json()


def peer(db, name_or_role):
    for p in status(db)['peers']:
        if p['name'] == name_or_role or p['role'] == name_or_role:
            return p
    raise AssertionError(f'no peer {name_or_role}')


def holds_everything_of(hq, kiosk):
    """HQ holds every change the kiosk made, exactly once, as the kiosk made it."""
    origin = site_id(kiosk)
    mine, there = origin_ops(kiosk, origin), origin_ops(hq, origin)
    assert mine == there, f'HQ holds {len(there)} of the kiosk\'s {len(mine)} changes, or different ones'
    assert len({seq for seq, *_ in there}) == len(there), 'a change twice'


# ---- processes ----

def free_port():
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Process:
    """A long-running CLI process (or PROGRAM) whose output lines are collected as they come."""

    def __init__(self, *args, db, program=CLI, extra_env=None):
        self.proc = subprocess.Popen([program, '--db', db] + list(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=dict(env(), **(extra_env or {})))
        self.lines = []
        self.err = []
        self.cond = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True),
                        threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self.readers:
            t.start()

    def _read(self, stream, into):
        for raw in stream:
            with self.cond:
                into.append(raw.decode('utf-8', errors='replace').rstrip('\n'))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_line(self, pattern, timeout=30, start=0):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines[start:]:
                    m = regex.search(line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not any(t.is_alive() for t in self.readers)):
                    raise AssertionError(f'no line matching {pattern!r}; stdout {self.lines!r}, '
                                         f'stderr {self.err!r}, exit {self.proc.poll()}')
                self.cond.wait(min(left, 0.5))

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for t in self.readers:
            t.join(timeout=5)
        return self.proc.returncode


RUNNING = []


def start(process):
    RUNNING.append(process)
    return process


class Receiver(Process):
    def __init__(self, hq, *extra, port=0):
        super().__init__('serve', '--listen', f'{LOOPBACK}:{port}', *extra, db=hq)
        m = self.wait_line(r'(https?)://127\.0\.0\.1:(\d+)')
        self.scheme, self.port = m.group(1), int(m.group(2))
        self.url = f'{self.scheme}://{LOOPBACK}:{self.port}'

    def check_clean(self):
        """Nothing GLib would warn about, and no personal data in what it printed."""
        assert not any('CRITICAL' in line or 'WARNING' in line for line in self.err), self.err
        for line in self.lines + self.err:
            for family in FAMILIES:
                assert family not in line, f'a name in the log: {line!r}'


def request(port, method, path, body=None, headers=None, timeout=30):
    con = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        con.request(method, path, body=body, headers=headers or {})
        response = con.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data
    finally:
        con.close()


def hello(port):
    code, _, data = request(port, 'GET', '/sync/v1/hello')
    assert code == 200, (code, data)
    return json.loads(data)


def raw(port, data, read=True, timeout=10):
    """Sends DATA on a new connection and reads what comes back until the server closes it."""
    with socket.create_connection((LOOPBACK, port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not read:
            return b''
        got = b''
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return got


def status_of(answer):
    m = re.match(rb'HTTP/1\.[01] (\d{3})', answer)
    return int(m.group(1)) if m else None


def export_batch(kiosk, tmp):
    out = os.path.join(tmp, 'stick')
    os.makedirs(out, exist_ok=True)
    return ok(cli('batch', 'export', '--to', 'hq', '--out', out, '--json', db=kiosk), 'batch export').json()['file']


# ---- the tests ----

def test_round_trip(tmp):
    hq, k1, _ = copy_deployment(tmp)
    mine = add_households(k1, 3, 1)
    theirs = add_households(hq, 2, 2)
    server = start(Receiver(hq))

    r = fails(cli('sync', 'push', db=k1), 'push without an address', status=2)
    assert 'set-url' in r.err, r
    # An address the pusher could not use is refused, saying what is wrong with it.
    for bad, words in (('hq.example:8443', 'begins with https://'), ('https://hq:99999', '1 to 65535'),
                       ('https://hq example:8443', 'no usable host'), ('https://user@hq:8443', 'user name')):
        r = fails(cli('sync', 'set-url', bad, db=k1), f'set-url {bad}')
        assert words in r.err, r
    ok(cli('sync', 'set-url', server.url, db=k1), 'set-url')
    out = ok(cli('sync', 'push', '--json', db=k1), 'push').json()
    sent = out['sent']
    # The first batch, enrolled by USB stick, was never acknowledged back: HQ says it had those.
    assert sent['result'] == 'imported' and sent['applied'] > 0, out
    assert sent['applied'] + sent['already_had'] == sent['operations'], out
    assert out['received']['applied'] > 0 and out['waiting'] == 0, out
    holds_everything_of(hq, k1)
    assert persons(hq, mine) == persons(k1, mine), 'HQ does not show the kiosk\'s people as they are'
    assert persons(k1, theirs) == persons(hq, theirs), 'the kiosk does not show HQ\'s people'
    assert status(k1)['waiting'] == 0
    # HQ's acknowledgement was recorded: nothing waits, nothing is sent again.
    again = ok(cli('sync', 'push', '--json', db=k1), 'push again').json()
    assert again['sent'] is None and again['received'] is None, again
    text = ok(cli('sync', 'push', db=k1), 'push as text').out
    assert 'Nothing was waiting' in text, text
    assert peer(hq, 'K1')['chain_breaks'] == 0
    server.stop()
    server.check_clean()
    assert len([l for l in server.lines if 'imported' in l]) == 1, server.lines


def test_same_batch_twice(tmp):
    hq, k1, _ = copy_deployment(tmp)
    add_households(k1, 2, 3)
    batch = open(export_batch(k1, tmp), 'rb').read()
    server = start(Receiver(hq))
    headers = {'Content-Type': 'application/x-shelterdesk-batch'}
    code, _, first = request(server.port, 'POST', '/sync/v1/batches', batch, headers)
    assert code == 200, (code, first)
    first = json.loads(first)
    before = query(hq, 'SELECT count (*) FROM oplog')
    code, _, second = request(server.port, 'POST', '/sync/v1/batches', batch, headers)
    assert code == 200, (code, second)
    second = json.loads(second)
    assert first['result'] == 'imported' and first['applied'] > 0, first
    assert second['result'] == 'already-imported' and second['applied'] == 0, second
    assert second['already_had'] == first['operations'], second
    assert second['holds'] == first['holds'] and first['holds'][site_id(k1)] > 0, (first, second)
    assert query(hq, 'SELECT count (*) FROM oplog') == before, 'the second copy changed something'
    assert query(hq, 'SELECT count (*) FROM sync_batches WHERE sha256 = ?', first['batch']) == [(1,)]
    holds_everything_of(hq, k1)
    server.stop()


class Proxy:
    """A TCP relay in front of the receiver that runs TRIGGER once a POST's body has gone through up to
    FRACTION of its length, and then drops the connection."""

    def __init__(self, upstream_port, fraction, trigger):
        self.upstream = upstream_port
        self.fraction = fraction
        self.trigger = trigger
        self.fired = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client):
        try:
            upstream = socket.create_connection((LOOPBACK, self.upstream), timeout=30)
        except OSError:
            client.close()
            return
        threading.Thread(target=self._pump_back, args=(upstream, client), daemon=True).start()
        seen = b''
        try:
            while True:
                chunk = client.recv(65536)
                if not chunk:
                    break
                if not self.fired.is_set():
                    seen += chunk
                    end = seen.find(b'\r\n\r\n')
                    length = re.search(rb'(?i)content-length: *(\d+)', seen)
                    if seen.startswith(b'POST ') and end >= 0 and length:
                        cut = end + 4 + int(int(length.group(1)) * self.fraction)
                        before = len(seen) - len(chunk)
                        if len(seen) >= cut:
                            upstream.sendall(chunk[:max(0, cut - before)])
                            self.fired.set()
                            self.trigger()
                            break
                upstream.sendall(chunk)
        except OSError:
            pass
        for s in (client, upstream):
            try:
                s.close()
            except OSError:
                pass

    def _pump_back(self, upstream, client):
        try:
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                client.sendall(chunk)
        except OSError:
            pass
        try:
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self):
        self.sock.close()


def killed_mid_upload(tmp, fraction):
    hq, k1, _ = copy_deployment(tmp)
    add_households(k1, 20, 4)
    port = free_port()
    server = start(Receiver(hq, port=port))
    proxy = Proxy(port, fraction, lambda: server.stop(signal.SIGKILL))
    try:
        first = cli('sync', 'push', '--url', f'http://{LOOPBACK}:{proxy.port}', '--timeout', '10', db=k1)
        assert proxy.fired.is_set(), 'the receiver was never killed'
        assert server.proc.wait(timeout=30) == -signal.SIGKILL
        fails(first, 'push to a receiver killed mid-upload')
        assert 'cannot be reached' in first.err, first
        assert status(k1)['waiting'] > 0
        # HQ comes back on the same address; the kiosk tries again.
        server = start(Receiver(hq, port=port))
        out = ok(cli('sync', 'push', '--url', f'http://{LOOPBACK}:{proxy.port}', '--json', db=k1), 'retry').json()
        assert out['sent']['result'] == 'imported' and out['waiting'] == 0, out
        holds_everything_of(hq, k1)
        # The batch that never got an answer is not counted as one HQ missed.
        assert peer(hq, 'K1')['chain_breaks'] == 0, peer(hq, 'K1')
        server.stop()
    finally:
        proxy.close()


def test_killed_mid_upload(tmp):
    killed_mid_upload(tmp, 0.5)


def test_killed_after_upload(tmp):
    # The whole body went: HQ died importing it, or just after, before answering.
    killed_mid_upload(tmp, 1.0)


def test_watch_retries_after_kill(tmp):
    hq, k1, _ = copy_deployment(tmp)
    add_households(k1, 20, 10)
    port = free_port()
    server = start(Receiver(hq, port=port))
    proxy = Proxy(port, 0.5, lambda: server.stop(signal.SIGKILL))
    try:
        watcher = start(Process('sync', 'push', '--watch', '--json', '--url', f'http://{LOOPBACK}:{proxy.port}',
                                db=k1))
        watcher.wait_line(r'"event":"failed"', timeout=60)
        assert proxy.fired.is_set() and server.proc.wait(timeout=30) == -signal.SIGKILL
        server = start(Receiver(hq, port=port))
        m = watcher.wait_line(r'^\{.*"event":"exchanged".*\}$', timeout=120)
        assert json.loads(m.group(0))['waiting'] == 0, m.group(0)
        holds_everything_of(hq, k1)
        assert peer(hq, 'K1')['chain_breaks'] == 0, peer(hq, 'K1')
        assert watcher.stop() == 0, watcher.err
        server.stop()
    finally:
        proxy.close()


def test_network_returns(tmp):
    hq, k1, _ = copy_deployment(tmp)
    add_households(k1, 3, 5)
    port = free_port()
    url = f'http://{LOOPBACK}:{port}'
    watcher = start(Process('sync', 'push', '--watch', '--json', '--url', url, db=k1))
    watcher.wait_line(r'"event":"failed"', timeout=60)
    assert status(k1)['waiting'] > 0
    # The network "returns": HQ's receiver starts; nobody presses anything.
    server = start(Receiver(hq, port=port))
    m = watcher.wait_line(r'^\{.*"event":"exchanged".*\}$', timeout=120)
    event = json.loads(m.group(0))
    assert event['sent']['result'] == 'imported' and event['waiting'] == 0, event
    holds_everything_of(hq, k1)
    # Nothing waits any more: it stops sending.
    time.sleep(4)
    assert len([l for l in server.lines if 'imported' in l]) == 1, server.lines
    assert watcher.stop() == 0, watcher.err
    assert not any('CRITICAL' in l or 'WARNING' in l for l in watcher.err), watcher.err
    server.stop()
    server.check_clean()


def test_bad_requests(tmp):
    hq, k1, _ = copy_deployment(tmp)
    server = start(Receiver(hq, '--timeout', '2', '--max-bytes', '100000'))
    p = server.port
    before = query(hq, 'SELECT count (*) FROM oplog')

    def refused(answer, code, reason=None):
        assert status_of(answer) in (code if isinstance(code, tuple) else (code,)), (code, answer[:300])
        if reason is not None:
            assert json.loads(answer.split(b'\r\n\r\n', 1)[1])['reason'] == reason, answer[:300]
        hello(p)

    garbage = bytes(random.Random(1).randrange(256) for _ in range(4000))
    refused(raw(p, garbage + b'\r\n\r\n'), 400)
    # Garbage that never ends its headers: dropped at the timeout, unanswered.
    refused(raw(p, garbage.replace(b'\n', b'')), None)
    refused(raw(p, b'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 404, 'not-found')
    refused(raw(p, b'DELETE /sync/v1/batches HTTP/1.1\r\nHost: x\r\n\r\n'), 405, 'wrong-method')
    refused(raw(p, b'GET /sync/v1/batches HTTP/1.1\r\nHost: x\r\n\r\n'), 405, 'wrong-method')
    refused(raw(p, b'PUT /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'), 405)
    refused(raw(p, b'POST /sync/v1/hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'), 405)
    refused(raw(p, b'GET /sync/v1/batches/for/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n'), (400, 404))
    refused(raw(p, b'GET /sync/v1/batches/for/%2e%2e/%2e%2e/etc HTTP/1.1\r\nHost: x\r\n\r\n'), (400, 404))
    refused(raw(p, b'GET /sync/v1/batches/for/nonsense HTTP/1.1\r\nHost: x\r\n\r\n'), 404)
    # Huge, and said so: answered at once, without waiting for the body.
    started = time.monotonic()
    refused(raw(p, b'POST /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-shelterdesk-batch\r\n'
                   b'Content-Length: 1000000000000\r\n\r\n'), 413, 'too-large')
    assert time.monotonic() - started < 2
    # Over the limit by a little, with the body sent anyway.
    refused(raw(p, b'POST /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-shelterdesk-batch\r\n'
                   b'Content-Length: 100001\r\n\r\n' + b'x' * 100001), 413, 'too-large')
    refused(raw(p, b'POST /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n'
                   b'Content-Length: 5\r\n\r\nhello'), 415, 'wrong-type')
    refused(raw(p, b'POST /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-shelterdesk-batch\r\n'
                   b'Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'), 411, 'length-required')
    # Garbage of the right type: read, refused by the batch reader, nothing written.
    code, _, data = request(p, 'POST', '/sync/v1/batches', os.urandom(5000),
                         {'Content-Type': 'application/x-shelterdesk-batch'})
    assert code == 422 and json.loads(data)['reason'] == 'not-a-batch', (code, data)
    code, _, data = request(p, 'POST', '/sync/v1/batches', b'SDBATCH\x01' + os.urandom(300),
                         {'Content-Type': 'application/x-shelterdesk-batch'})
    assert code in (403, 422), (code, data)
    # Headers without end: cut off at 64 KiB, not kept in memory.
    refused(raw(p, b'GET /sync/v1/hello HTTP/1.1\r\n' + b'X-Junk: ' + b'a' * 200000 + b'\r\n\r\n'), None)
    # A request for HQ's batch without the kiosk's signature.
    code, _, data = request(p, 'GET', f'/sync/v1/batches/for/{site_id(k1)}')
    assert code == 401 and json.loads(data)['reason'] == 'challenge', (code, data)
    challenge = hello(p)['challenge']
    code, _, data = request(p, 'GET', f'/sync/v1/batches/for/{site_id(k1)}',
                         headers={'X-ShelterDesk-Challenge': challenge, 'X-ShelterDesk-Signature': '00' * 64})
    assert code == 403 and json.loads(data)['reason'] == 'bad-signature', (code, data)
    code, _, data = request(p, 'GET', f'/sync/v1/batches/for/{site_id(k1)}',
                         headers={'X-ShelterDesk-Challenge': challenge, 'X-ShelterDesk-Signature': '00' * 64})
    assert code == 401, 'a challenge answered twice'

    # Slow clients: a request that stops half-way, headers or body, is dropped
    # after the timeout, and others are served meanwhile.
    slow = []
    for start_of_request in (b'GET /sync/v1/hel',
                             b'POST /sync/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: '
                             b'application/x-shelterdesk-batch\r\nContent-Length: 5000\r\n\r\nSDBATCH',
                             b''):
        s = socket.create_connection((LOOPBACK, p), timeout=20)
        s.sendall(start_of_request)
        slow.append(s)
    hello(p)
    started = time.monotonic()
    for s in slow:
        try:
            while s.recv(65536):
                pass
        except ConnectionResetError:
            pass
        s.close()
    assert time.monotonic() - started < 10, 'slow requests were kept'
    # One address may hold only so many connections at once; the rest are closed.
    many = [socket.create_connection((LOOPBACK, p), timeout=20) for _ in range(40)]
    closed = 0
    for s in many:
        s.settimeout(0.5)
        try:
            if s.recv(1) == b'':
                closed += 1
        except socket.timeout:
            pass
        except ConnectionResetError:
            closed += 1
    for s in many:
        s.close()
    assert closed >= 20, f'only {closed} of 40 connections were closed'
    time.sleep(3)
    hello(p)

    assert server.alive(), server.err
    assert query(hq, 'SELECT count (*) FROM oplog') == before, 'garbage changed the database'
    server.stop()
    server.check_clean()


def test_rate_limit(tmp):
    hq, _, _ = copy_deployment(tmp)
    server = start(Receiver(hq, '--max-requests', '5'))
    for _ in range(5):
        hello(server.port)
    code, headers, data = request(server.port, 'GET', '/sync/v1/hello')
    assert code == 429 and json.loads(data)['reason'] == 'rate-limited', (code, data)
    assert headers.get('Retry-After'), headers
    assert server.alive()
    server.stop()


def test_refused(tmp):
    hq, k1, k2 = copy_deployment(tmp)
    add_households(k2, 1, 6)
    server = start(Receiver(hq))
    before = query(hq, 'SELECT count (*) FROM oplog')
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=k2), 'push from a kiosk HQ never enrolled')
    assert json.loads(r.out)['reason'] == 'unknown-sender', r
    assert 'does not know this kiosk' in r.err and TEMPLATE[1]['K2'] in r.err, r
    assert query(hq, 'SELECT count (*) FROM oplog') == before
    # The batch was never taken: K2 still knows it waits, and counts no batch as sent.
    assert status(k2)['waiting'] > 0 and peer(k2, 'hq')['last_sent_at'] == 0, peer(k2, 'hq')

    ok(cli('deploy', 'revoke', 'K1', db=hq), 'revoke K1')
    add_households(k1, 1, 7)
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=k1), 'push from a revoked kiosk')
    assert json.loads(r.out)['reason'] == 'revoked' and 'revoked this kiosk' in r.err, r
    assert query(hq, 'SELECT count (*) FROM oplog') == before
    assert any('refused: unknown-sender' in l for l in server.lines), server.lines
    server.stop()
    server.check_clean()


def test_other_deployment(tmp):
    _, k1, _ = copy_deployment(tmp)
    other = os.path.join(tmp, 'other-hq.sqlite')
    ok(cli('init', '--site-name', 'Other HQ', db=other), 'init another HQ')
    ok(cli('deploy', 'bundle', '--out', os.path.join(tmp, 'other.sdbundle'), db=other), 'another deployment')
    server = start(Receiver(other))
    add_households(k1, 1, 8)
    r = fails(cli('sync', 'push', '--url', server.url, db=k1), 'push to another deployment\'s HQ')
    assert 'another deployment' in r.err, r
    r = fails(cli('sync', 'push', '--url', f'http://{LOOPBACK}:{free_port()}', db=k1), 'push to nobody')
    assert 'cannot be reached' in r.err, r
    r = cli('sync', 'push', '--url', 'ftp://example', db=k1)
    assert r.status in (1, 2) and 'not an address' in r.err, r
    server.stop()


def mark_exercise(db):
    """Marks DB a tabletop exercise in its file, behind ShelterDesk, which marks only blank databases:
    the sites of one deployment share the mark, so only a changed file reaches the check."""
    con = sqlite3.connect(db, timeout=30)
    try:
        con.execute('UPDATE site SET is_exercise = 1 WHERE id = 1')
        con.commit()
    finally:
        con.close()


def file_sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_exercise(tmp):
    # An exercise HQ: a live kiosk's batch is refused, and HQ's file is as it was.
    hq, k1, _ = copy_deployment(tmp)
    mark_exercise(hq)
    add_households(k1, 1, 10)
    before = file_sha256(hq)
    server = start(Receiver(hq))
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=k1), 'a live kiosk to an exercise HQ')
    assert json.loads(r.out)['reason'] == 'exercise', r
    assert 'HQ of a tabletop exercise (訓練) and this kiosk holds real data' in r.err, r
    assert any('refused: exercise' in l for l in server.lines), server.lines
    server.stop()
    server.check_clean()
    assert file_sha256(hq) == before
    assert status(k1)['waiting'] > 0

    # A live HQ and a kiosk that is an exercise: HQ's batch is refused at the kiosk,
    # and the kiosk's refused at HQ; neither file changes.
    live = os.path.join(tmp, 'live')
    os.mkdir(live)
    hq, k1, _ = copy_deployment(live)
    server = start(Receiver(hq))
    ok(cli('sync', 'push', '--url', server.url, db=k1), 'push while both are live')
    mark_exercise(k1)
    add_households(hq, 1, 11)
    persons_before = query(k1, 'SELECT count (*) FROM persons')
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=k1), 'a live HQ\'s batch to an exercise kiosk')
    assert json.loads(r.out)['reason'] == 'exercise', r
    assert 'holds real data and this database is a tabletop exercise (訓練)' in r.err, r
    assert query(k1, 'SELECT count (*) FROM persons') == persons_before
    add_households(k1, 1, 12)
    server.stop()
    before = file_sha256(hq)
    server = start(Receiver(hq))
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=k1), 'an exercise kiosk to a live HQ')
    assert json.loads(r.out)['reason'] == 'exercise', r
    assert 'HQ of real data and this kiosk is a tabletop exercise (訓練)' in r.err, r
    server.stop()
    server.check_clean()
    assert file_sha256(hq) == before


OUTAGE_SCENARIO = """serial,time,to,description,action
1,T+00:00,,S02 の回線が途絶,network down=2h at=S02
2,T+03:00,本部,回線の復旧を確認せよ,
"""


def test_exercise_outage(tmp):
    # An exercise HQ whose scenario has the network down at S02 for two hours:
    # S02's kiosk's pushes and pulls get 503 until T+02:00 and are taken after it;
    # S05's kiosk is not held up; a USB stick from S02 gets through meanwhile.
    hq = os.path.join(tmp, 'ex-hq.sqlite')
    ok(cli('exercise', 'new', '--from', os.path.join(TEMPLATE[0], 'hq.sqlite'), '--out', hq), 'exercise new')
    bundle = os.path.join(tmp, 'ex.sdbundle')
    made = ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq), 'exercise bundle').json()
    kiosks = {}
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    for name in ('S02 受付', 'S05 受付'):
        db = os.path.join(tmp, name.split()[0] + '.sqlite')
        ok(cli('init', '--site-name', name, db=db), f'init {name}')
        enrolled = ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json', db=db),
                      f'enrol {name}').json()
        first = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=db), f'first batch {name}').json()
        ok(cli('batch', 'import', '--enrol', enrolled['fingerprint'], first['file'], db=hq), f'enrol {name} at HQ')
        kiosks[name.split()[0]] = db
    scenario = os.path.join(tmp, 'outage.csv')
    with open(scenario, 'w', encoding='utf-8') as f:
        f.write(OUTAGE_SCENARIO)
    # 600×: T+02:00 twelve seconds after the start.
    run = start(Process('exercise', 'run', scenario, '--speed', '600', db=hq))
    started = time.monotonic()
    server = start(Receiver(hq))
    for code in ('S02', 'S05'):
        add_households(kiosks[code], 1, 40 + len(code))
    # The outage holds once the engine has played inject 1.
    deadline = time.monotonic() + 30
    while query(hq, "SELECT count (*) FROM exercise_faults WHERE kind = 'network'") == 0:
        assert time.monotonic() < deadline, run.err
        time.sleep(0.1)
    r = fails(cli('sync', 'push', '--url', server.url, '--json', db=kiosks['S02']), 'S02 during the outage')
    assert json.loads(r.out)['reason'] == 'exercise-network-down', r
    assert 'network down for this kiosk until T+02:00' in r.err, r
    assert status(kiosks['S02'])['waiting'] > 0
    assert time.monotonic() - started < 12, 'the test machine was too slow for a 600x outage'
    out = ok(cli('sync', 'push', '--url', server.url, '--json', db=kiosks['S05']), 'S05 is not cut off').json()
    assert out['sent']['result'] == 'imported' and out['waiting'] == 0, out
    # A USB stick from S02 is taken during the outage.
    batch = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=kiosks['S02']), 'S02 to a stick').json()
    ok(cli('batch', 'import', batch['file'], db=hq), 'the stick at HQ')
    holds_everything_of(hq, kiosks['S02'])
    # After T+02:00 the network is back for S02.
    add_households(kiosks['S02'], 1, 50)
    while time.monotonic() - started < 13:
        time.sleep(0.2)
    out = ok(cli('sync', 'push', '--url', server.url, '--json', db=kiosks['S02']), 'S02 after the outage').json()
    assert out['sent']['result'] == 'imported' and out['waiting'] == 0, out
    holds_everything_of(hq, kiosks['S02'])
    assert any('refused: exercise-network-down' in l for l in server.lines), server.lines
    assert run.stop() in (0, -signal.SIGTERM), run.err
    server.stop()
    server.check_clean()


def test_tls(tmp):
    if shutil.which('openssl') is None:
        raise Skip('no openssl')
    hq, k1, _ = copy_deployment(tmp)
    cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
    made = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                           '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
                           '-addext', 'subjectAltName=IP:127.0.0.1'], capture_output=True)
    assert made.returncode == 0, made.stderr
    server = start(Receiver(hq, '--tls-cert', cert, '--tls-key', key))
    assert server.scheme == 'https', server.lines
    add_households(k1, 2, 9)
    r = fails(cli('sync', 'push', '--url', server.url, db=k1), 'a certificate nobody said to trust')
    assert 'certificate is not trusted' in r.err, r
    r = fails(cli('sync', 'push', '--url', f'http://{LOOPBACK}:{server.port}', '--timeout', '5', db=k1),
              'plain HTTP to HTTPS')
    out = ok(cli('sync', 'push', '--url', server.url, '--tls-ca', cert, '--json', db=k1), 'push over HTTPS').json()
    assert out['sent']['result'] == 'imported' and out['waiting'] == 0, out
    holds_everything_of(hq, k1)
    context = ssl.create_default_context(cafile=cert)
    con = http.client.HTTPSConnection(LOOPBACK, server.port, context=context, timeout=10)
    con.request('GET', '/sync/v1/hello')
    assert con.getresponse().status == 200
    con.close()
    assert server.alive()
    server.stop()
    server.check_clean()


TESTS = [
    ('push and pull round trip; set-url; nothing sent twice', test_round_trip),
    ('the same batch POSTed twice is acknowledged once', test_same_batch_twice),
    ('HQ killed mid-upload, restarted: the kiosk retries, everything once', test_killed_mid_upload),
    ('HQ killed after the upload, before answering: the retry changes nothing twice', test_killed_after_upload),
    ('a watching kiosk: HQ killed mid-upload comes back, the kiosk retries by itself', test_watch_retries_after_kill),
    ('the network returns: the watching kiosk sends without anyone pressing anything', test_network_returns),
    ('garbage, wrong methods, huge and slow requests get 4xx or the door; the receiver goes on', test_bad_requests),
    ('requests per address and minute are bounded', test_rate_limit),
    ('a kiosk HQ never enrolled, and a revoked one, are refused and told why', test_refused),
    ('another deployment\'s HQ, nobody, and a bad address', test_other_deployment),
    ('exercise and live never mix: refused at HQ and at the kiosk, both ways, nothing written', test_exercise),
    ('an exercise\'s network outage at one shelter: its kiosk waits (503), the others and a USB stick do not',
     test_exercise_outage),
    ('HTTPS with a self-signed certificate', test_tls),
]


def main():
    global TEMPLATE
    # SD_NET_ONLY=word: only the tests whose description holds it (by hand).
    only = os.environ.get('SD_NET_ONLY')
    tests = [t for t in TESTS if not only or only in t[0]]
    print(f'1..{len(tests)}', flush=True)
    TEMPLATE = make_template()
    failed = 0
    for n, (name, func) in enumerate(tests, 1):
        tmp = tempfile.mkdtemp(prefix='sd-net-test-')
        try:
            func(tmp)
        except Skip as e:
            print(f'ok {n} - {name} # SKIP {e}')
        except Exception:
            failed += 1
            print(f'not ok {n} - {name}')
            for line in traceback.format_exc().rstrip().split('\n'):
                print(f'# {line}')
        else:
            print(f'ok {n} - {name}')
        finally:
            # Every process a test started ends, by pid, even when it failed.
            while RUNNING:
                RUNNING.pop().stop(signal.SIGKILL)
            shutil.rmtree(tmp, ignore_errors=True)
        sys.stdout.flush()
    shutil.rmtree(TEMPLATE[0], ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
