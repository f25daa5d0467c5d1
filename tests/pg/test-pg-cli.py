#!/usr/bin/env python3
# test-pg-cli.py: HQ on PostgreSQL as people run it: serve --pg and batch import --pg, processes and all.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-pg-cli.py CLI SEEDS_DIR PG_BINDIR.  A real PostgreSQL 15 in
# a folder of its own (Unix socket only; as the user nobody when run as
# root), a real deployment made with the CLI (HQ, kiosks K1 and K2), the
# receiver on 127.0.0.1.  TAP on standard output.

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

CLI = os.path.abspath(sys.argv[1])
SEEDS = os.path.abspath(sys.argv[2])
PG_BIN = sys.argv[3]
LOOPBACK = '127.0.0.1'


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
        return f'exit {self.status}\nstdout: {self.out[:2000]!r}\nstderr: {self.err[:2000]!r}'


def cli(*args, db=None, stdin=b'', timeout=300):
    argv = [CLI] + (['--db', db] if db else []) + list(args)
    return Result(subprocess.run(argv, input=stdin, capture_output=True, env=env(), timeout=timeout))


def ok(result, what):
    assert result.status == 0, f'{what} failed: {result!r}'
    return result


# ---- a PostgreSQL of the test's own ----

def count(db, sql):
    """One number read from a site's file, read-only."""
    with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as conn:
        return conn.execute(sql).fetchone()[0]


class Cluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='sd-pg-cli-')
        self.as_nobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'] \
            if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            os.chown(self.dir, 65534, 65534)
        data = os.path.join(self.dir, 'data')
        self.run(os.path.join(PG_BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'shelterdesk', '-E', 'UTF8',
                 '--locale=C', '--no-sync')
        self.run(os.path.join(PG_BIN, 'pg_ctl'), '-D', data, '-l', os.path.join(self.dir, 'log'), '-w', 'start',
                 '-o', f'-k {self.dir} -p 5432 -c listen_addresses= -c fsync=off')
        self.data = data

    def run(self, *argv):
        subprocess.run(self.as_nobody + list(argv), check=True, capture_output=True, cwd=self.dir, timeout=120)

    def conninfo(self, db):
        return f'host={self.dir} port=5432 user=shelterdesk dbname={db}'

    def psql(self, db, sql):
        r = subprocess.run(['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', self.conninfo(db),
                            '-c', sql], capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr.decode()
        return r.stdout.decode().strip()

    def new_database(self, name):
        self.psql('postgres', f'CREATE DATABASE {name}')
        return self.conninfo(name)

    def stop(self):
        try:
            self.run(os.path.join(PG_BIN, 'pg_ctl'), '-D', self.data, '-m', 'immediate', '-w', 'stop')
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


PG = None
DEPLOYMENT = None


def make_deployment():
    """HQ on the demo city, K1 and K2 enrolled at HQ by their first batches."""
    d = tempfile.mkdtemp(prefix='sd-pg-cli-deploy-')
    hq, k1, k2 = (os.path.join(d, n) for n in ('hq.sqlite', 'k1.sqlite', 'k2.sqlite'))
    ok(cli('init', '--site-name', 'HQ', db=hq), 'init hq')
    ok(cli('seed', 'load', SEEDS, db=hq), 'seed load')
    bundle = os.path.join(d, 'deploy.sdbundle')
    made = ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq), 'deploy bundle').json()
    stick = os.path.join(d, 'stick')
    os.mkdir(stick)
    for name, db in (('K1', k1), ('K2', k2)):
        ok(cli('init', '--site-name', name, db=db), f'init {name}')
        enrolled = ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json', db=db),
                      f'enrol {name}').json()
        first = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=db), 'first batch').json()
        ok(cli('batch', 'import', '--enrol', enrolled['fingerprint'], first['file'], db=hq), f'enrol {name} at HQ')
    shutil.rmtree(stick)
    return d


def copy_deployment(tmp):
    for name in os.listdir(DEPLOYMENT):
        shutil.copy(os.path.join(DEPLOYMENT, name), tmp)
    return tuple(os.path.join(tmp, n) for n in ('hq.sqlite', 'k1.sqlite', 'k2.sqlite'))


DATABASES = 0


def new_pg_for(hq):
    """A new database, with everything HQ's file holds taken in (HQ moving to PostgreSQL)."""
    global DATABASES
    DATABASES += 1
    conninfo = PG.new_database(f'd{DATABASES}')
    ok(cli('pg', 'load', '--pg', conninfo, db=hq), 'pg load')
    return conninfo, f'd{DATABASES}'


def support_csv(path, n, prefix):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('external_id,name,kana,sex,birth_date,address,phone,reason,consent_share\r\n')
        for i in range(n):
            f.write(f'{prefix}{i:06d},試験 {prefix}{i},シケン,{1 + i % 2},19{40 + i % 50}-0{1 + i % 9}-1{i % 9},'
                    f'みなと川市松原{i % 9 + 1}丁目{i % 30 + 1}-{i % 20 + 1},080-0000-{i % 10000:04d},要介護{1 + i % 5},1\r\n')


class Receiver:
    """serve --pg on 127.0.0.1, any free port."""

    def __init__(self, hq, conninfo):
        self.proc = subprocess.Popen([CLI, '--db', hq, 'serve', '--listen', f'{LOOPBACK}:0', '--pg', conninfo,
                                      '--json'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        line = self.proc.stdout.readline().decode()
        assert line, self.proc.stderr.read().decode()
        self.url = json.loads(line)['url']

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)


def table_sums(db):
    """Each table of PostgreSQL's deployment as one hash, and the op-log's count."""
    sums = {}
    for table in ('shelters', 'households', 'persons', 'person_events', 'staff', 'support_persons',
                  'support_contacts', 'support_reports', 'person_state', 'support_state'):
        key = 'person_id' if table == 'person_state' else 'support_person_id' if table == 'support_state' else 'id'
        sums[table] = PG.psql(db, f'SELECT count (*) || md5 (coalesce (string_agg (t::text, \'|\' ORDER BY {key}), \'\')) '
                                  f'FROM {table} t')
    sums['oplog'] = PG.psql(db, 'SELECT count (*) || md5 (string_agg (site_id || seq || coalesce (fields, \'\'), '
                                '\'|\' ORDER BY site_id, seq)) FROM oplog')
    return sums


# ---- the cases ----

def test_refusals(tmp):
    hq, k1, k2 = copy_deployment(tmp)
    started = time.monotonic()
    r = cli('serve', '--listen', f'{LOOPBACK}:0', '--pg', f'host={tmp}/none port=5432 dbname=x', db=hq, timeout=60)
    assert r.status == 1 and 'Could not connect to PostgreSQL' in r.err, r
    assert time.monotonic() - started < 30, 'a wrong connection string must be said at once'
    r = cli('serve', '--listen', f'{LOOPBACK}:0', '--pg', PG.conninfo('postgres'), '--safety-only', db=hq)
    assert r.status != 0 and '--safety-only' in r.err, r
    # A database of a newer ShelterDesk: refused, said so.
    conninfo, db = new_pg_for(hq)
    PG.psql(db, 'UPDATE shelterdesk_schema SET version = 999')
    r = cli('batch', 'import', '--pg', conninfo, os.path.join(tmp, 'nothing.sdbatch'), db=hq)
    assert r.status == 1 and 'newer ShelterDesk' in r.err, r


def test_serve_push(tmp):
    hq, k1, k2 = copy_deployment(tmp)
    conninfo, db = new_pg_for(hq)
    before = int(PG.psql(db, 'SELECT count (*) FROM oplog'))
    receiver = Receiver(hq, conninfo)
    try:
        support = os.path.join(tmp, 'support.csv')
        support_csv(support, 50, 'P')
        ok(cli('support', 'import', support, db=k1), 'support import at K1')
        ok(cli('sync', 'set-url', receiver.url, db=k1), 'set-url')
        pushed = ok(cli('sync', 'push', '--json', db=k1), 'push').json()
        assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 P%'")) == 50
        assert int(PG.psql(db, 'SELECT count (*) FROM oplog')) >= before + 50
        # What PostgreSQL holds of K1: every change, no hole, a batch just now.
        status = ok(cli('sync', 'status', '--json', '--pg', conninfo, db=hq), 'sync status --pg').json()
        k1_origin = [o for o in status['origins'] if o['name'] == 'K1']
        assert k1_origin and k1_origin[0]['missing'] == 0 and k1_origin[0]['changes'] == k1_origin[0]['highest'] \
            == k1_origin[0]['held_without_hole'] and k1_origin[0]['last_batch_at'] > 0, status
        text = ok(cli('sync', 'status', '--pg', conninfo, db=hq), 'sync status --pg (text)').out
        assert 'K1' in text and 'Batches merged' in text, text
        # HQ's answer told K1 what PostgreSQL holds: nothing waits.
        status = ok(cli('sync', 'status', '--json', db=k1), 'status').json()
        assert status['waiting'] == 0, (pushed, status)
        # The same again: nothing new.
        again = ok(cli('sync', 'push', '--json', db=k1), 'push again').json()
        assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 P%'")) == 50, again
        # HQ's own desk changes reach PostgreSQL with the next batch.
        ok(cli('shelter', 'close', 'S03', db=hq), 'close S03 at HQ')
        support_csv(support, 5, 'Q')
        ok(cli('support', 'import', support, db=k1), 'more at K1')
        ok(cli('sync', 'push', db=k1), 'push more')
        assert PG.psql(db, "SELECT is_open FROM shelters WHERE code = 'S03'") == '0'
    finally:
        receiver.stop()


def test_serve_pull(tmp):
    """Kiosks fetch HQ's batch from PostgreSQL: the changes of the other kiosks, which HQ's file never saw."""
    hq, k1, k2 = copy_deployment(tmp)
    conninfo, db = new_pg_for(hq)
    receiver = Receiver(hq, conninfo)
    try:
        support = os.path.join(tmp, 'support.csv')
        support_csv(support, 40, 'R')
        ok(cli('support', 'import', support, db=k1), 'support import at K1')
        for db_ in (k1, k2):
            ok(cli('sync', 'set-url', receiver.url, db=db_), 'set-url')
        ok(cli('sync', 'push', db=k1), 'K1 pushes')
        # HQ's file has none of K1's people: K2 gets them from PostgreSQL.
        assert count(hq, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 R%'") == 0
        got = ok(cli('sync', 'push', '--json', db=k2), 'K2 exchanges').json()
        assert got['received'] and got['received']['applied'] >= 40, got
        assert count(k2, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 R%'") == 40
        # K2's pull said what it holds: the next has nothing for it.
        again = ok(cli('sync', 'push', '--json', db=k2), 'K2 again').json()
        assert again['received'] is None or again['received']['operations'] == 0, again
        # K1 gets nothing of its own back, but HQ's desk change, made since.
        ok(cli('shelter', 'close', 'S04', db=hq), 'close S04 at HQ')
        back = ok(cli('sync', 'push', '--json', db=k1), 'K1 fetches').json()
        assert back['received'] and 0 < back['received']['operations'] < 40, back
        assert count(k1, "SELECT is_open FROM shelters WHERE code = 'S04'") == 0
        # By USB stick: HQ's batch for K2 from PostgreSQL, imported at K2.
        support_csv(support, 6, 'T')
        ok(cli('support', 'import', support, db=k1), 'more at K1')
        ok(cli('sync', 'push', db=k1), 'K1 pushes more')
    finally:
        receiver.stop()
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    made = ok(cli('batch', 'export', '--pg', conninfo, '--to', 'K2', '--out', stick, '--json', db=hq),
              'batch export --pg').json()
    assert made['operations'] >= 6 and os.path.exists(made['file']), made
    ok(cli('batch', 'import', made['file'], db=k2), 'K2 imports the stick')
    assert count(k2, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 T%'") == 6
    assert count(k2, "SELECT is_open FROM shelters WHERE code = 'S04'") == 0
    # A kiosk that is not of the deployment: said, nothing written.
    r = cli('batch', 'export', '--pg', conninfo, '--to', 'K9', '--out', stick, db=hq)
    assert r.status == 1 and 'K9' in r.err, r
    assert sorted(os.listdir(stick)) == [os.path.basename(made['file'])], os.listdir(stick)
    # HQ's desk, on HQ's file, takes what PostgreSQL holds: then again, nothing.
    assert count(hq, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 R%'") == 0
    fetched = ok(cli('pg', 'fetch', '--pg', conninfo, '--json', db=hq), 'pg fetch').json()
    assert fetched['applied'] >= 46 and fetched['applied'] == fetched['operations'], fetched
    assert count(hq, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 R%'") == 40
    assert count(hq, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 T%'") == 6
    again = ok(cli('pg', 'fetch', '--pg', conninfo, '--json', db=hq), 'pg fetch again').json()
    assert again['operations'] == 0, again
    text = ok(cli('pg', 'fetch', '--pg', conninfo, db=hq), 'pg fetch (text)').out
    assert 'changes taken from' in text, text


def test_two_receivers(tmp):
    """Two receivers (processes) on one database, both kiosks pushing to both
    at once: the state one receiver makes of the same batches."""
    hq, k1, k2 = copy_deployment(tmp)
    conninfo, db = new_pg_for(hq)
    files = []
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    for round in range(3):
        for name, kiosk in (('A', k1), ('B', k2)):
            support = os.path.join(tmp, f'{name}{round}.csv')
            support_csv(support, 300, f'{name}{round}')
            ok(cli('support', 'import', support, db=kiosk), 'support import')
            files.append(ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=kiosk),
                            'export').json()['file'])
    # Each file imported by both receivers at once, in opposite orders.
    procs = [subprocess.Popen([CLI, '--db', hq, 'batch', 'import', '--pg', conninfo] + order,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
             for order in (files, files[::-1])]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    together = table_sums(db)
    single, single_db = new_pg_for(hq)
    ok(cli('batch', 'import', '--pg', single, *files, db=hq), 'one receiver')
    alone = table_sums(single_db)
    assert together == alone, (together, alone)
    assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 A%' "
                           "OR name LIKE '試験 B%'")) == 1800, together


def test_receivers_share_enrolments(tmp):
    """Two receiver machines, each with its copy of HQ's file: a kiosk enrolled
    at one is taken at the other, and a revocation at one is kept by both."""
    hq_a, k1, k2 = copy_deployment(tmp)
    hq_b = os.path.join(tmp, 'hq-b.sqlite')
    shutil.copy(hq_a, hq_b)
    conninfo, db = new_pg_for(hq_a)
    # K3 enrolled at A, after B's copy was made.
    k3 = os.path.join(tmp, 'k3.sqlite')
    bundle = os.path.join(tmp, 'deploy.sdbundle')
    made = ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq_a), 'deploy bundle').json()
    ok(cli('init', '--site-name', 'K3', db=k3), 'init K3')
    enrolled = ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json', db=k3), 'enrol').json()
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    first = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=k3), 'first batch').json()
    ok(cli('batch', 'import', '--enrol', enrolled['fingerprint'], first['file'], db=hq_a), 'enrol K3 at A')
    support = os.path.join(tmp, 'support.csv')
    support_csv(support, 12, 'E')
    ok(cli('support', 'import', support, db=k3), 'support import at K3')
    batch = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=k3), 'K3 batch').json()['file']
    # B has not heard of K3 yet: refused, nothing written.
    r = cli('batch', 'import', '--pg', conninfo, batch, db=hq_b)
    assert r.status == 1 and 'not enrolled' in r.out + r.err, r
    assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 E%'")) == 0
    # A's desk fetches from PostgreSQL (its timer): K3 is shared on the way.
    ok(cli('pg', 'fetch', '--pg', conninfo, db=hq_a), 'pg fetch at A')
    receiver = Receiver(hq_b, conninfo)
    try:
        ok(cli('sync', 'set-url', receiver.url, db=k3), 'K3 to B')
        ok(cli('sync', 'push', db=k3), 'K3 pushes to B')
        assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 E%'")) == 12
        assert count(hq_b, "SELECT count (*) FROM sync_peers WHERE name = 'K3' AND revoked_at IS NULL") == 1
        # K1's pull from B: HQ's batch lists K3 for it, and brings K3's people.
        ok(cli('sync', 'set-url', receiver.url, db=k1), 'K1 to B')
        ok(cli('sync', 'push', db=k1), 'K1 pulls from B')
        assert count(k1, "SELECT count (*) FROM sync_peers WHERE name = 'K3'") == 1
        assert count(k1, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 E%'") == 12
        # K2 lost: revoked at A; shared with the next fetch; B refuses it.
        ok(cli('deploy', 'revoke', 'K2', db=hq_a), 'revoke K2 at A')
        ok(cli('pg', 'fetch', '--pg', conninfo, db=hq_a), 'pg fetch at A again')
        support_csv(support, 3, 'L')
        ok(cli('support', 'import', support, db=k2), 'support import at K2')
        ok(cli('sync', 'set-url', receiver.url, db=k2), 'K2 to B')
        r = cli('sync', 'push', db=k2)
        assert r.status != 0 and 'revoked' in r.out + r.err, r
        assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 L%'")) == 0
        assert count(hq_b, "SELECT count (*) FROM sync_peers WHERE name = 'K2' AND revoked_at IS NOT NULL") == 1
        # A revocation is never undone by a copy that has not heard of it.
        assert PG.psql(db, "SELECT count (*) FROM sync_peers WHERE peer ->> 'name' = 'K2' "
                           "AND revoked_at IS NOT NULL") == '1'
    finally:
        receiver.stop()


def test_killed_mid_copy(tmp):
    """The receiver killed while its COPY streams in: nothing of the batch is
    kept; the batch again lands every change once."""
    hq, k1, k2 = copy_deployment(tmp)
    conninfo, db = new_pg_for(hq)
    support = os.path.join(tmp, 'big.csv')
    support_csv(support, 40000, 'K')
    ok(cli('support', 'import', support, db=k1, timeout=900), 'a big support list at K1')
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    batch = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=k1), 'export').json()
    before = table_sums(db)

    # The server restarted under the receiver mid-COPY: a clear message,
    # nothing kept, and the batch is merged whole when sent again.
    p = subprocess.Popen([CLI, '--db', hq, 'batch', 'import', '--pg', conninfo, batch['file']],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    restarted = False
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline and not restarted:
        if PG.psql(db, "SELECT count (*) FROM pg_stat_activity WHERE query LIKE 'COPY sd_stage%' "
                       "AND state = 'active'") == '1':
            PG.run(os.path.join(PG_BIN, 'pg_ctl'), '-D', PG.data, '-l', os.path.join(PG.dir, 'log'), '-m',
                   'immediate', '-w', 'restart',
                   '-o', f'-k {PG.dir} -p 5432 -c listen_addresses= -c fsync=off')
            restarted = True
    out, err = p.communicate(timeout=120)
    assert restarted, 'the COPY was never caught'
    if restarted:
        assert p.returncode == 1, (out, err)
        print('# the receiver said: ' + json.loads(out)['files'][0]['message'], flush=True)
        message = json.loads(out)['files'][0]['message']
        assert 'PostgreSQL' in message and ('lost' in message or 'SQLSTATE 57' in message or 'SQLSTATE 08' in message), message
        assert '試験' not in message and 'K0' not in message, message
        assert table_sums(db) == before, 'a lost connection left part of its batch'
    killed_in = None
    for attempt in range(5):
        p = subprocess.Popen([CLI, '--db', hq, 'batch', 'import', '--pg', conninfo, batch['file']],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        deadline = time.monotonic() + 120
        while p.poll() is None and time.monotonic() < deadline:
            if PG.psql(db, "SELECT count (*) FROM pg_stat_activity WHERE query LIKE 'COPY sd_stage%' "
                           "AND state = 'active'") == '1':
                p.kill()
                killed_in = 'COPY'
                break
        p.communicate(timeout=60)
        if killed_in:
            break
        # Too quick to catch: what it merged is undone for the next try.
        assert p.returncode == 0
        conninfo, db = new_pg_for(hq)
        before = table_sums(db)
    assert killed_in == 'COPY', 'the COPY was never caught'
    # The server ends the transaction of a client gone: wait for it.
    for _ in range(100):
        if PG.psql(db, "SELECT count (*) FROM pg_stat_activity WHERE query LIKE 'COPY sd_stage%'") == '0':
            break
        time.sleep(0.1)
    assert table_sums(db) == before, 'a killed receiver left part of its batch'
    done = ok(cli('batch', 'import', '--pg', conninfo, batch['file'], db=hq), 'the batch again').json()
    entry = done['files'][0]
    # Every change of the batch but K1's enrolment, which HQ had.
    assert entry['result'] == 'imported' and entry['applied'] == entry['operations'] - entry['already_had'], entry
    assert entry['applied'] >= 40000 and not entry['chain_broken'], entry
    assert int(PG.psql(db, "SELECT count (*) FROM support_persons WHERE name LIKE '試験 K%'")) == 40000
    again = ok(cli('batch', 'import', '--pg', conninfo, batch['file'], db=hq), 'once more').json()
    assert again['files'][0]['result'] == 'already-imported', again


def report_rows(db, conninfo, where):
    """The status report's CSV rows, from HQ's file or from PostgreSQL, but its time."""
    out = os.path.join(tempfile.mkdtemp(prefix='sd-pg-cli-report-'), 'report.csv')
    extra = ['--pg', conninfo] if conninfo else []
    ok(cli('report', 'shelter-status', *where, '--format', 'csv', '--out', out, *extra, db=db), 'report')
    with open(out, encoding='utf-8-sig') as f:
        rows = [line for line in f.read().splitlines() if not line.startswith('"Made at"')]
    shutil.rmtree(os.path.dirname(out))
    return rows


def test_report(tmp):
    """The shelter status report read from PostgreSQL says what HQ's file says,
    for all shelters and for each, after the demo city and a kiosk's day."""
    hq, k1, k2 = copy_deployment(tmp)
    conninfo, db = new_pg_for(hq)
    households = []
    for i in range(12):
        households.append({'shelter': 'S02' if i % 3 else 'S01', 'stay': ['shelter', 'home', 'vehicle'][i % 3],
                           'pets': 'いぬ' if i % 4 == 0 else None,
                           'members': [{'name': f'報告 {i}-{m}', 'birth_date': f'{1930 + 7 * m + i}-0{1 + m}-15',
                                        'sex': ['male', 'female', 'unknown'][m % 3],
                                        'allergies': 'そば' if m == 1 else None, 'language': 'vi' if i == 5 else None}
                                       for m in range(3)]})
    for h in households:
        ok(cli('evacuee', 'add', '--json', '--allow-duplicates', db=k1,
               stdin=json.dumps({k: v for k, v in h.items() if v is not None}, ensure_ascii=False).encode()),
           'evacuee add')
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    batch = ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=k1), 'export').json()['file']
    ok(cli('batch', 'import', batch, db=hq), 'into HQ\'s file')
    ok(cli('batch', 'import', '--pg', conninfo, batch, db=hq), 'into PostgreSQL')
    for where in (['--all'], ['--shelter', 'S01'], ['--shelter', 'S02'], ['--shelter', 'S03']):
        sqlite_rows, pg_rows = report_rows(hq, None, where), report_rows(hq, conninfo, where)
        assert sqlite_rows == pg_rows, (where, sqlite_rows, pg_rows)
    everyone = report_rows(hq, conninfo, ['--all'])
    staying = [int(row.split(',')[1]) for row in everyone if row.startswith('"People staying",')]
    assert staying and staying[0] > 12, everyone
    # HQ's roll-call, answered at HQ's desk: its summary read from PostgreSQL.
    answers = [{'staff_no': no, 'safety': s, 'location': 'home', 'can_report': s == 'unhurt',
                'means': 'car' if s == 'unhurt' else None, 'arrival': 'within_1h' if s == 'unhurt' else None}
               for no, s in (('1001', 'unhurt'), ('1002', 'minor'), ('1003', 'unhurt'))]
    ok(cli('safety', 'answer', '--json', db=hq, stdin=json.dumps(answers).encode()), 'answers at HQ')
    ok(cli('pg', 'load', '--pg', conninfo, db=hq), 'HQ\'s own changes')
    sqlite_summary = ok(cli('safety', 'summary', '--json', db=hq), 'summary').json()
    pg_summary = ok(cli('safety', 'summary', '--json', '--pg', conninfo, db=hq), 'summary --pg').json()
    assert sqlite_summary == pg_summary and pg_summary['all']['answered'] > 0, (sqlite_summary, pg_summary)
    for extra in ([], ['--csv']):
        sqlite_missing = ok(cli('safety', 'missing', *extra, db=hq), 'missing').out
        pg_missing = ok(cli('safety', 'missing', *extra, '--pg', conninfo, db=hq), 'missing --pg').out
        assert sqlite_missing == pg_missing and len(pg_missing.splitlines()) > 2, (sqlite_missing, pg_missing)
    sqlite_support = ok(cli('support', 'summary', '--json', db=hq), 'support summary').json()
    pg_support = ok(cli('support', 'summary', '--json', '--pg', conninfo, db=hq), 'support summary --pg').json()
    assert sqlite_support == pg_support and pg_support['listed'] > 0, (sqlite_support, pg_support)
    r = cli('report', 'shelter-status', '--shelter', 'NOPE', '--format', 'csv', '--out', os.path.join(tmp, 'x.csv'),
            '--pg', conninfo, db=hq)
    assert r.status == 1 and 'no such shelter' in r.err, r


TESTS = [
    ('a wrong connection string, --safety-only with --pg, a newer schema: refused and said', test_refusals),
    ('serve --pg: a kiosk pushes, PostgreSQL holds it, the answer acknowledges it, HQ\'s own changes follow',
     test_serve_push),
    ('serve --pg answers pulls, batch export --pg writes a stick, pg fetch feeds HQ\'s desk: the other kiosks\' '
     'changes, from PostgreSQL',
     test_serve_pull),
    ('two receivers (processes) on one database at once: the state one receiver makes', test_two_receivers),
    ('receivers on two machines share the enrolled kiosks through PostgreSQL: a kiosk enrolled at one is taken '
     'at the other, a revocation at one is kept by both', test_receivers_share_enrolments),
    ('the server restarted under a receiver mid-COPY, a receiver killed mid-COPY: nothing half-merged, said '
     'plainly; the batch again lands every change once', test_killed_mid_copy),
    ('report shelter-status, safety summary and missing, support summary with --pg: what HQ\'s file says',
     test_report),
]


def main():
    global PG, DEPLOYMENT
    print(f'1..{len(TESTS)}', flush=True)
    failed = 0
    PG = Cluster()
    try:
        DEPLOYMENT = make_deployment()
        for n, (name, func) in enumerate(TESTS, 1):
            tmp = tempfile.mkdtemp(prefix='sd-pg-cli-case-')
            try:
                func(tmp)
                print(f'ok {n} - {name}', flush=True)
            except Exception:
                failed += 1
                print(f'not ok {n} - {name}')
                print('\n'.join('# ' + line for line in traceback.format_exc().rstrip().split('\n')), flush=True)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        PG.stop()
        if DEPLOYMENT:
            shutil.rmtree(DEPLOYMENT, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
