#!/usr/bin/env python3
# test-cli-store.py: the database file under a clumsy operator: damage, read-only media, other users.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli-store.py PATH/TO/shelterdesk-cli PATH/TO/seeds
# Shares its helpers with test-cli.py.  CI runs as root, where file modes
# stop nothing, so the tests of modes run the CLI as the unprivileged
# user "nobody" (setpriv), and the read-only medium is a real read-only
# tmpfs mount in a mount namespace of its own (unshare).

import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys

_spec = importlib.util.spec_from_file_location(
    'sdcli', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test-cli.py'))
sdcli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sdcli)

CLI, Skip, Result = sdcli.CLI, sdcli.Skip, sdcli.Result
cli, ok, fails, info, init, seeded = sdcli.cli, sdcli.ok, sdcli.fails, sdcli.info, sdcli.init, sdcli.seeded
read_bytes, add_household, YAMADA = sdcli.read_bytes, sdcli.add_household, sdcli.YAMADA
UNDER_WINE = sdcli.UNDER_WINE

NOBODY = 65534


def damage(path, offset, length=4096):
    with open(path, 'r+b') as f:
        f.seek(offset)
        # The same bytes each run, so a failure can be repeated.
        f.write(bytes((i * 131 + 7) % 256 for i in range(length)))


def page_of(db, table, leaf=1):
    """The offset of one of TABLE's b-tree leaf pages (dbstat, read before the damage)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                           (table,)).fetchall()
        size = con.execute('PRAGMA page_size').fetchone()[0]
    finally:
        con.close()
    assert len(rows) > leaf, (table, rows)
    return (rows[leaf][0] - 1) * size


def checkpointed(db):
    """Everything in the main file, so that damage to it is damage to the data."""
    con = sqlite3.connect(db)
    try:
        con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    finally:
        con.close()


def listing(db):
    return sorted(os.listdir(os.path.dirname(db)))


# ---- damaged files ----

def test_damaged_is_never_written(tmp):
    db = sdcli.seeded(tmp)
    page = page_of(db, 'persons')  # the review damaged a page of data in the middle of the file
    checkpointed(db)
    damage(db, page)
    before = read_bytes(db)
    for args in (['info'], ['shelter', 'list'], ['evacuee', 'search', 'やまだ']):
        r = fails(cli(*args, db=db), 1, ' '.join(args) + ' on a damaged file')
        assert 'damaged' in r.err and 'rescue' in r.err, r
    r = fails(add_household(db, YAMADA), 1, 'evacuee add on a damaged file')
    assert 'damaged' in r.err, r
    fails(cli('shelter', 'open', 'S01', db=db), 1, 'shelter open on a damaged file')
    r = fails(cli('check', db=db), 1, 'check of a damaged file')
    assert 'damaged' in r.err, r
    assert read_bytes(db) == before, 'a damaged file was written'
    assert os.path.exists(db + '-damaged'), listing(db)


def test_rescue(tmp):
    db = sdcli.seeded(tmp)
    ok(add_household(db, YAMADA), 'evacuee add')
    good = info(db)['counts']
    site_id = info(db)['site_id']
    # A leaf of the persons table and one of the op-log: the people on the
    # first come back from the op-log; the op-log's own loss is reported.
    persons_page = page_of(db, 'persons')
    oplog_page = page_of(db, 'oplog', leaf=3)
    checkpointed(db)
    damage(db, persons_page)
    fails(cli('info', db=db), 1, 'info on a damaged file')

    out = os.path.join(tmp, 'rescued.db')
    r = ok(cli('rescue', '--out', out, '--json', db=db), 'rescue')
    report = json.loads(r.out)
    assert report['tables']['persons']['damaged_parts'] >= 1, report
    assert report['tables']['persons']['rebuilt'] >= 1, report
    assert report['oplog_gaps'] == 0, report
    assert all(t['recorded'] == 0 for t in report['tables'].values()), report
    ok(cli('check', db=out), 'check of the rescued copy')
    rescued = info(out)
    assert rescued['counts'] == good, (rescued['counts'], good)
    assert rescued['site_id'] == site_id, 'the rescued copy is another site'
    found = json.loads(ok(cli('evacuee', 'search', 'しけん たろう', '--json', db=out), 'search').out)
    assert found, 'a rescued person is not found'
    fails(cli('rescue', '--out', out, db=db), 1, 'rescue over an existing file')

    # Damage to the op-log itself: reported as changes HQ will miss.
    db2 = os.path.join(tmp, 'two.db')
    shutil.copy(out, db2)
    checkpointed(db2)
    damage(db2, oplog_page)
    out2 = os.path.join(tmp, 'rescued2.db')
    report = json.loads(ok(cli('rescue', '--out', out2, '--json', db=db2), 'rescue 2').out)
    assert report['oplog_gaps'] > 0, report
    # The rows whose changes were lost are recorded again, so the copy is
    # whole: its check passes, the known gaps apart, and so does the replay.
    assert sum(t['recorded'] for t in report['tables'].values()) > 0, report
    ok(cli('check', '--deep', db=out2), 'deep check of a copy whose op-log lost a page')
    assert info(out2)['counts'] == good, (info(out2)['counts'], good)
    r = ok(cli('rescue', '--out', os.path.join(tmp, 'r3.db'), db=db2), 'rescue as text')
    assert 'could not be saved' in r.out, r

    # Two volunteers press it at once: one copy, made by one of them.
    out4 = os.path.join(tmp, 'r4.db')
    procs = [subprocess.Popen([CLI, '--db', db2, 'rescue', '--out', out4], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=sdcli.env_without_db()) for _ in range(3)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert sorted(rc for rc, _ in results) == [0, 1, 1], results
    assert all('under way' in err or 'already exists' in err for rc, err in results if rc), results
    ok(cli('check', db=out4), 'check of the one copy')
    assert not os.path.exists(out4 + '.part'), listing(out4)

    # A rescue cut off by a power cut leaves only NAME.part, which is named.
    out5 = os.path.join(tmp, 'r5.db')
    with open(out5 + '.part', 'wb') as f:
        f.write(b'half a rescue')
    r = fails(cli('rescue', '--out', out5, db=db2), 1, 'rescue over a cut-off one')
    assert 'r5.db.part' in r.err, r
    assert not os.path.exists(out5)


def test_check_lifts_a_stale_mark(tmp):
    db = sdcli.seeded(tmp)
    with open(db + '-damaged', 'w') as f:
        f.write('copied with a backup\n')
    fails(cli('info', db=db), 1, 'a marked file')
    ok(cli('check', db=db), 'check of a sound file')
    assert not os.path.exists(db + '-damaged')
    ok(cli('info', db=db), 'info after the mark was lifted')


# ---- read-only files and media ----

def as_nobody(*args, db):
    # Wine runs as the owner of its prefix only; there the file's read-only
    # attribute (what a mode without write bits is to Windows) is what stops
    # the Windows program.
    run_as = [] if UNDER_WINE else ['setpriv', f'--reuid={NOBODY}', f'--regid={NOBODY}', '--clear-groups']
    argv = run_as + [CLI, '--db', db] + list(args)
    return Result(subprocess.run(argv, capture_output=True, env=sdcli.env_without_db(), timeout=120))


def nobody_owns(tmp):
    """A folder and seeded database that belong to "nobody"."""
    if os.geteuid() != 0:
        raise Skip('needs root to become another user')
    home = os.path.join(tmp, 'nobody')
    os.mkdir(home)
    db = sdcli.seeded(home)
    checkpointed(db)
    for p in [home] + [os.path.join(home, n) for n in os.listdir(home)]:
        os.chown(p, NOBODY, NOBODY)
    os.chmod(tmp, 0o755)
    return home, db


def test_read_only_file(tmp):
    home, db = nobody_owns(tmp)
    os.chmod(db, 0o444)
    for n in os.listdir(home):
        if n != os.path.basename(db):
            os.remove(os.path.join(home, n))
    outdir = os.path.join(tmp, 'out')
    os.mkdir(outdir)
    os.chown(outdir, NOBODY, NOBODY)
    before = read_bytes(db)
    r = as_nobody('info', '--json', db=db)
    assert r.status == 0, r
    assert json.loads(r.out)['counts']['shelters'] == 12, r
    for args in (['check'], ['evacuee', 'search', 'ﾔﾏﾀﾞ'], ['shelter', 'list'],
                 ['report', 'shelter-status', '--shelter', 'S01', '--format', 'csv',
                  '--out', os.path.join(outdir, 'status.csv')]):
        r = as_nobody(*args, db=db)
        assert r.status == 0, (args, r)
    r = as_nobody('shelter', 'open', 'S01', db=db)
    assert r.status == 1 and 'cannot be written' in r.err, r
    assert read_bytes(db) == before
    assert listing(db) == [os.path.basename(db)], f'left behind: {listing(db)}'


def test_read_only_folder(tmp):
    if UNDER_WINE:
        raise Skip('on Windows a folder\'s read-only attribute does not stop writing in it (access lists do, '
                   'which Wine does not keep: test-platform checks them)')
    home, db = nobody_owns(tmp)
    os.chmod(home, 0o555)
    r = as_nobody('info', db=db)
    assert r.status == 0, r
    r = as_nobody('check', db=db)
    assert r.status == 0 and r.out.strip() == 'ok', r
    r = as_nobody('checkin', 'nobody-there', '--shelter', 'S01', db=db)
    assert r.status == 1 and 'cannot be written' in r.err, r


def test_read_only_medium(tmp):
    if UNDER_WINE:
        raise Skip('Wine opens files in its server, which is not in the mount namespace that holds the '
                   'read-only medium')
    db = sdcli.seeded(tmp)
    checkpointed(db)
    mnt = os.path.join(tmp, 'stick')
    os.mkdir(mnt)
    script = f'''
set -e
mount -t tmpfs -o size=16m tmpfs "{mnt}"
cp -p "{db}" "{mnt}/site.db"
mount -o remount,ro "{mnt}"
"{CLI}" --db "{mnt}/site.db" info --json > "{tmp}/info.json"
"{CLI}" --db "{mnt}/site.db" check > "{tmp}/check.txt"
set +e
"{CLI}" --db "{mnt}/site.db" shelter open S01 2> "{tmp}/write.err"
echo $? > "{tmp}/write.rc"
ls -A "{mnt}" > "{tmp}/listing.txt"
'''
    argv = ['unshare', '-m', 'sh', '-c', script] if os.geteuid() == 0 else \
           ['unshare', '-rm', 'sh', '-c', script]
    r = subprocess.run(argv, capture_output=True, env=sdcli.env_without_db(), timeout=120)
    if r.returncode != 0 and b'mount' in r.stderr and not os.path.exists(os.path.join(tmp, 'info.json')):
        raise Skip(f'cannot mount here: {r.stderr!r}')
    assert r.returncode == 0, r
    with open(os.path.join(tmp, 'info.json')) as f:
        assert json.load(f)['counts']['shelters'] == 12
    with open(os.path.join(tmp, 'check.txt')) as f:
        assert f.read().strip() == 'ok'
    with open(os.path.join(tmp, 'write.rc')) as f:
        assert f.read().strip() == '1'
    with open(os.path.join(tmp, 'write.err')) as f:
        err = f.read()
        assert 'read-only medium' in err, err
    with open(os.path.join(tmp, 'listing.txt')) as f:
        assert f.read().split() == ['site.db']


# ---- other users ----

def test_private_files(tmp):
    if UNDER_WINE:
        raise Skip('Wine keeps no access lists on files; test-platform checks the Windows rule on security '
                   'descriptors')
    db = os.path.join(tmp, 'site.db')
    init(db)
    ok(cli('seed', 'load', sdcli.SEEDS, db=db), 'seed load')
    for name in os.listdir(tmp):
        mode = os.stat(os.path.join(tmp, name)).st_mode & 0o777
        assert mode == 0o600, f'{name} is {oct(mode)}'
    out = os.path.join(tmp, 'status.csv')
    ok(cli('report', 'shelter-status', '--shelter', 'S01', '--format', 'csv', '--out', out, db=db), 'report')
    pdf = os.path.join(tmp, 'status.pdf')
    ok(cli('report', 'shelter-status', '--shelter', 'S01', '--format', 'pdf', '--out', pdf, db=db), 'report')
    png = os.path.join(tmp, 'card.png')
    person = json.loads(ok(add_household(db, YAMADA), 'evacuee add').out)['person_ids'][0]
    ok(cli('qr', 'issue', person, '--png', png, db=db), 'qr issue')
    sheet = os.path.join(tmp, 'sheet.pdf')
    ok(cli('qr', 'sheet', '--shelter', 'S01', '--pdf', sheet, db=db), 'qr sheet')
    for path in (out, pdf, png, sheet):
        mode = os.stat(path).st_mode & 0o777
        assert mode == 0o600, f'{os.path.basename(path)} is {oct(mode)}'

    os.chmod(db, 0o644)
    before = read_bytes(db)
    r = fails(cli('info', db=db), 1, 'a database other users can read')
    assert f'chmod 600 “{db}”' in r.err, r
    fails(add_household(db, YAMADA), 1, 'writing a database other users can read')
    assert read_bytes(db) == before
    os.chmod(db, 0o600)
    ok(cli('info', db=db), 'info once it is private again')


# ---- the op-log proves itself ----

def schema_sql(con, name):
    return con.execute('SELECT sql FROM sqlite_schema WHERE name = ?', (name,)).fetchone()[0]


def behind_the_core(db, statements, recreate=()):
    """Runs STATEMENTS with plain SQLite, as someone with the sqlite3 shell
    would, first dropping the triggers in RECREATE and then putting them
    back exactly as they were."""
    con = sqlite3.connect(db)
    try:
        saved = [schema_sql(con, name) for name in recreate]
        for name in recreate:
            con.execute(f'DROP TRIGGER {name}')
        for sql in statements:
            con.execute(sql)
        for sql in saved:
            con.execute(sql)
        con.commit()
    finally:
        con.close()


def test_tampering_is_caught(tmp):
    base = sdcli.seeded(tmp)
    added = json.loads(ok(add_household(base, YAMADA), 'evacuee add').out)
    person = added['person_ids'][0]
    ok(cli('checkout', person, db=base), 'checkout')
    ok(cli('check', '--deep', db=base), 'deep check of an untouched database')

    cases = [
        # (what, statements, triggers dropped and put back, dropped for good, needs --deep)
        ('drop person_state_follow', [], (), ['person_state_follow'], False),
        ('drop person_keys_insert', [], (), ['person_keys_insert'], False),
        ('change a name and consent with capture off',
         [f"UPDATE persons SET consent_disclose = 0, allergies = 'そば' WHERE id = '{person}'"],
         ('capture_persons_update',), [], True),
        ("delete the people's registrations from the op-log",
         ["DELETE FROM oplog WHERE kind = 1 AND tbl = (SELECT n FROM oplog_tables WHERE name = 'persons')"],
         ('guard_oplog_delete',), [], False),
        ('edit a name in the op-log',
         [f"""UPDATE oplog SET fields = json_set (fields, '$."2"', '改ざん') """
          f"""WHERE tbl = (SELECT n FROM oplog_tables WHERE name = 'persons') """
          f"""AND row_id = x'{person.replace('-', '')}' AND kind = 1"""],
         ('guard_oplog_update',), [], True),
        ('inflate a count', ["UPDATE table_counts SET n = n + 1 WHERE name = 'persons'"], (), [], False),
        ('hide a person from search', [f"DELETE FROM person_keys WHERE person_id = '{person}' AND key GLOB 'k*'"],
         (), [], True),
        ('plant a search key', [f"INSERT INTO person_keys (key, person_id) VALUES ('nにせもの', '{person}')"],
         (), [], True),
        ('renumber a site', ["UPDATE oplog_sites SET site_id = 'ffffffffffffffffffffffffffffffff'"],
         ('guard_oplog_sites',), [], False),
        ('change the site id', ["UPDATE site SET site_id = 'ffffffffffffffffffffffffffffffff'"],
         ('guard_site_id',), [], False),
        ('go out after leaving, with person_state frozen',
         [f"UPDATE person_state SET kind = 'arrive' WHERE person_id = '{person}'"], (), [], False),
        ('a count the reports read, changed by hand',
         ["UPDATE staying_totals SET households = households + 1"], (), [], False),
        ('drop a trigger that keeps the occupancy counts', [], (), ['person_state_count_update'], False),
    ]
    for what, statements, recreate, dropped, deep in cases:
        db = os.path.join(tmp, 'tampered.db')
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        shutil.copy(base, db)
        behind_the_core(db, statements + [f'DROP TRIGGER {name}' for name in dropped], recreate)
        r = cli('check', db=db)
        if deep:
            assert r.status == 0, (what, 'the quick check is not expected to see this', r)
            r = cli('check', '--deep', db=db)
        assert r.status == 1 and 'outside ShelterDesk' in r.err, (what, r)
        if dropped:
            r = fails(cli('evacuee', 'search', 'しけん', db=db), 1, what)
            assert dropped[0] in r.err, (what, r)

    # Plain SQLite cannot write the op-log or the site's identity at all.
    con = sqlite3.connect(base)
    try:
        for sql in ("DELETE FROM oplog WHERE seq = 2", "UPDATE oplog SET fields = '{}' WHERE seq = 2",
                    "INSERT INTO oplog VALUES (1, 1000, 1000, 1, 1, 4, 'x', '{}')",
                    "UPDATE oplog_sites SET site_id = 'x'",
                    "UPDATE site SET site_id = 'x'", "UPDATE site SET is_demo = 1"):
            try:
                con.execute(sql)
                con.commit()
            except sqlite3.Error:
                con.rollback()
            else:
                raise AssertionError(f'plain SQLite ran: {sql}')
    finally:
        con.close()
    ok(cli('check', '--deep', db=base), 'deep check after the refused writes')


# ---- a file of schema 6 upgraded in place ----

SCHEMA6 = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'schema6-site.sqlite')


def legacy_entries(db):
    """Schema 6's op-log: one row per field, every value with its type."""
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute('SELECT site_id, seq, hlc, tbl, row_id, field, typeof (value), quote (value) '
                                  'FROM oplog').fetchall())
    finally:
        con.close()


def test_schema6_upgrade(tmp):
    """tests/data/schema6-site.sqlite was made by ShelterDesk at schema 6
    (commit 1b59d1d, tests/data/make-schema6-site.sh): two shelters, one
    opened and one closed, a lead with a PIN, two households with needs
    and pets, check-ins and check-outs, a shelter condition."""
    db = os.path.join(tmp, 'site.sqlite')
    shutil.copy(SCHEMA6, db)
    os.chmod(db, 0o600)
    before = legacy_entries(db)
    assert len(before) > 100 and {r[5] for r in before} >= {'name', 'is_open', 'kind'}, before[:5]

    upgraded = info(db)
    assert upgraded['schema_version'] >= 7, upgraded
    assert upgraded['counts']['oplog'] == len(before), (upgraded['counts'], len(before))
    con = sqlite3.connect(db)
    try:
        after = sorted(con.execute('SELECT site_id, seq, hlc, tbl, row_id, field, typeof (value), quote (value) '
                                   'FROM oplog_entries').fetchall())
        kinds = dict(con.execute('SELECT kind, count (*) FROM oplog GROUP BY kind').fetchall())
        packed = con.execute('SELECT count (*) FROM oplog WHERE typeof (row_id) = \'blob\'').fetchone()[0]
    finally:
        con.close()
    # Every change means what it meant: the same site, seq, HLC, table,
    # row, field and value, of the same type.
    assert after == before, [(a, b) for a, b in zip(after, before) if a != b][:5]
    # Each field's first change is its row's insert, events are events,
    # later ones are updates; the row ids are 16 bytes.
    assert kinds.get(1) and kinds.get(2) and kinds.get(4), kinds
    assert packed > len(before) // 2, packed
    ok(cli('check', '--deep', db=db), 'deep check of the upgraded file')

    # And it goes on working: a new registration is one change per row.
    newcomers = dict(YAMADA, members=[dict(m, name='新規 ' + m['name'][3:], kana='しんき ' + m['kana'][4:])
                                      for m in YAMADA['members']])
    ok(add_household(db, newcomers), 'evacuee add after the upgrade')
    ok(cli('check', '--deep', db=db), 'deep check after a new registration')
    assert info(db)['counts']['oplog'] == len(before) + 1 + 2 + 2, info(db)['counts']


TESTS = [
    ('a damaged file is never written, and every command says to rescue it', test_damaged_is_never_written),
    ('rescue copies what is readable and makes lost rows again from the op-log', test_rescue),
    ('check lifts a damage mark from a sound file', test_check_lifts_a_stale_mark),
    ('a read-only file is read by an unprivileged user, leaving nothing behind', test_read_only_file),
    ('a read-only folder: reading works, writing says so', test_read_only_folder),
    ('a read-only medium: reading works, writing says so', test_read_only_medium),
    ('databases and exports are private; a shared database is refused', test_private_files),
    ('changes made with plain SQLite are refused or caught by check', test_tampering_is_caught),
    ('a schema 6 file is upgraded in place, every change keeping its meaning', test_schema6_upgrade),
]


if __name__ == '__main__':
    sdcli.TESTS = TESTS
    sys.exit(sdcli.main())
