#!/usr/bin/env python3
# test-cli.py: shelterdesk-cli run as a person or a script runs it, reporting TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli.py PATH/TO/shelterdesk-cli PATH/TO/seeds
# Every test runs in a fresh temporary folder; Python's standard library only.

import concurrent.futures
import csv
import json
import os
import pwd
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
import unicodedata

CLI = os.path.abspath(sys.argv[1])
SEEDS = os.path.abspath(sys.argv[2])
# make-exercise-db FILE SEEDS: an exercise's database, made through the
# core (the CLI cannot make one).
MAKE_EXERCISE_DB = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None


# The Windows build's CLI, run under Wine (tests/windows/wine-exe.sh.in).
UNDER_WINE = bool(os.environ.get('SD_UNDER_WINE'))


class Skip(Exception):
    pass


class Result:
    def __init__(self, proc):
        self.status = proc.returncode
        self.out = proc.stdout.decode('utf-8')
        self.err = proc.stderr.decode('utf-8', errors='replace')

    def __repr__(self):
        return f'exit {self.status}\nstdout: {self.out!r}\nstderr: {self.err!r}'


def env_without_db():
    env = dict(os.environ)
    env.pop('SHELTERDESK_DB', None)
    # Untranslated messages, so that the tests can look for words in them.
    env['LANGUAGE'] = 'C'
    env.setdefault('LC_ALL', 'C.UTF-8')
    return env


def cli(*args, db=None, stdin=b'', env=None):
    argv = [CLI]
    if db is not None:
        argv += ['--db', db]
    argv += list(args)
    proc = subprocess.run(argv, input=stdin, capture_output=True,
                          env=env if env is not None else env_without_db(),
                          timeout=120)
    return Result(proc)


def ok(result, what):
    assert result.status == 0, f'{what} failed: {result!r}'
    return result


def fails(result, status, what):
    assert result.status == status, f'{what}: expected exit {status}: {result!r}'
    assert result.err.startswith('shelterdesk-cli: '), f'{what}: no message on stderr: {result!r}'
    return result


def unix_path(path):
    """PATH as a Windows program stored it (\\work\\x, Z:\\work\\x), in Unix form."""
    if UNDER_WINE:
        path = re.sub(r'^[A-Za-z]:', '', path).replace('\\', '/')
    return path


def info(db):
    return json.loads(ok(cli('info', '--json', db=db), 'info').out)


def nothing_loaded(data):
    """Whether INFO's counts are those of a new site: no records, and one
    operation, the site's first, which names it."""
    counts = dict(data['counts'])
    return counts.pop('oplog') == 1 and all(v == 0 for v in counts.values())


def init(db, *extra):
    return ok(cli('init', *extra, db=db), 'init')


def seeded(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    ok(cli('seed', 'load', SEEDS, db=db), 'seed load')
    return db


def read_bytes(path):
    with open(path, 'rb') as f:
        return f.read()


# ---- intake: evacuee add, search, show, check-in events, enquiry, report ----

YAMADA = {
    'shelter': 'S01', 'stay': 'shelter', 'address': 'みなと川市東町9-9', 'phone': '090-0000-2468',
    'members': [
        {'name': '試験 太郎', 'kana': 'しけん たろう', 'birth_date': '昭和40年4月4日', 'sex': 'male',
         'consent_disclose': True, 'care_level': 'care1'},
        {'name': '試験 花子', 'kana': 'シケン ハナコ', 'birth_date': '1970-07-07', 'sex': '2'},
    ],
}


def add_household(db, household, *extra):
    return cli('evacuee', 'add', '--json', *extra, db=db,
               stdin=json.dumps(household, ensure_ascii=False).encode('utf-8'))


def persons(db):
    return info(db)['counts']['persons']


def test_evacuee_add_and_search(tmp):
    db = seeded(tmp)
    before = persons(db)
    added = json.loads(ok(add_household(db, YAMADA), 'evacuee add').out)
    assert len(added['person_ids']) == 2, added
    assert persons(db) == before + 2
    for query in ('ｼｹﾝ', 'しけん たろう', '2468', '昭和40年4月4日', 'S40.4.4'):
        found = json.loads(ok(cli('evacuee', 'search', query, '--json', db=db), query).out)
        assert added['person_ids'][0] in [p['id'] for p in found], (query, found)
    # Checked in at once, because they stay in the shelter.
    shown = json.loads(ok(cli('evacuee', 'show', added['person_ids'][0], '--json', db=db), 'show').out)
    assert shown['person']['status'] == 'in', shown
    assert shown['person']['care_level'] == 'care1', shown
    assert len(shown['household']) == 2, shown


def test_search_romaji_and_accents(tmp):
    db = seeded(tmp)
    household = {
        'shelter': 'S01', 'stay': 'home', 'address': 'みなと川市東町9-9',
        'members': [
            {'name': '山田 太郎', 'kana': 'やまだ たろう', 'birth_date': '1950-01-06'},
            {'name': '葛\U000E0100城 美咲', 'kana': 'かつらぎ みさき', 'birth_date': '1980-02-02'},
            {'name': 'Zoé Martin', 'birth_date': '1990-03-03'},
        ],
    }
    ids = json.loads(ok(add_household(db, household), 'evacuee add').out)['person_ids']
    for query, who in (('yamada', 0), ('YAMADA TAROU', 0), ('yam', 0), ('tarō', 0),
                       ('葛城', 1), ('katuragi', 1), ('Zoe', 2), ('ゾエ', 2)):
        found = json.loads(ok(cli('evacuee', 'search', query, '--json', db=db), query).out)
        assert ids[who] in [p['id'] for p in found], (query, found)
    # As a person reads it: the name as it was stored, variation selector and accent kept.
    out = ok(cli('evacuee', 'search', 'yamada', db=db), 'search yamada').out
    assert '山田 太郎' in out, out
    out = ok(cli('evacuee', 'search', 'zoe', db=db), 'search zoe').out
    assert 'Zoé Martin' in out, out


def test_events_and_history(tmp):
    db = seeded(tmp)
    pid = json.loads(ok(add_household(db, YAMADA), 'add').out)['person_ids'][1]
    steps = [('goout', 'out'), ('return', 'in'), ('checkout', 'left')]
    for command, status in steps:
        r = json.loads(ok(cli(command, pid, '--staff', '1001', '--json', db=db), command).out)
        assert r['status'] == status, (command, r)
    r = json.loads(ok(cli('checkin', pid, '--shelter', 'S02', '--json', db=db), 'checkin').out)
    assert r['status'] == 'in', r
    fails(cli('return', pid, db=db), 1, 'return when not out')
    shown = json.loads(ok(cli('evacuee', 'show', pid, '--json', db=db), 'show').out)
    kinds = [e['kind'] for e in shown['history']]
    assert kinds == ['arrive', 'leave', 'return', 'go_out', 'arrive'], kinds
    assert shown['history'][1]['staff'] is not None, shown


def test_duplicates_refused(tmp):
    db = seeded(tmp)
    ok(add_household(db, YAMADA), 'first add')
    before = persons(db)
    again = {'shelter': 'S01', 'members': [{'name': '試験　太郎', 'birth_date': 'S40.4.4'}]}
    r = fails(add_household(db, again), 1, 'a duplicate')
    assert 'allow-duplicates' in r.err, r
    assert persons(db) == before, 'a refused duplicate saved something'
    ok(add_household(db, again, '--allow-duplicates'), 'with --allow-duplicates')
    assert persons(db) == before + 1


def test_duplicates_merge(tmp):
    """Issue 14: two records of one person become one; the closed one is
    never found again, its events land on the record kept, and a second
    merge of it is refused with nothing changed."""
    db = seeded(tmp)
    kept = json.loads(ok(add_household(db, YAMADA), 'first add').out)['person_ids'][0]
    again = {'shelter': 'S02', 'members': [{'name': '試験 太郎', 'birth_date': 'S40.4.4',
                                            'allergies': 'そば'}]}
    closed = json.loads(ok(add_household(db, again, '--allow-duplicates'), 'again').out)['person_ids'][0]
    found = json.loads(ok(cli('evacuee', 'search', '試験 太郎', '--json', db=db), 'search').out)
    assert {kept, closed} <= {p['id'] for p in found}, found
    r = ok(cli('duplicates', 'merge', kept, closed, '--staff', '1001', db=db), 'merge')
    assert 'Merged' in r.out, r
    found = json.loads(ok(cli('evacuee', 'search', '試験 太郎', '--json', db=db), 'search').out)
    ids = [p['id'] for p in found]
    assert kept in ids and closed not in ids, found
    shown = json.loads(ok(cli('evacuee', 'show', kept, '--json', db=db), 'show').out)
    assert shown['person']['allergies'] == 'そば', shown
    r = json.loads(ok(cli('goout', closed, '--json', db=db), 'go out on the closed record').out)
    assert r['status'] == 'out' and r['person_id'] == kept, r
    shown = json.loads(ok(cli('evacuee', 'show', kept, '--json', db=db), 'show').out)
    assert shown['person']['status'] == 'out', shown
    before = info(db)['counts']
    r = fails(cli('duplicates', 'merge', kept, closed, db=db), 1, 'merged twice')
    assert 'already merged' in r.err, r
    fails(cli('duplicates', 'merge', kept, kept, db=db), 1, 'merged into itself')
    assert info(db)['counts'] == before


def test_same_person_keeps_what_is_known(tmp):
    """Issue 12, 1: naming someone registered as the same person never
    erases what is known: they keep their household (no empty one is
    made), its address and phone, and their consent; only moving them is
    a choice made on purpose."""
    db = seeded(tmp)
    taro = json.loads(ok(add_household(db, YAMADA), 'first add').out)['person_ids'][0]
    households = info(db)['counts']['households']
    again = {'shelter': 'S01', 'stay': 'shelter',
             'members': [{'name': '試験　太郎', 'birth_date': 'S40.4.4', 'existing_id': taro}]}
    added = json.loads(ok(add_household(db, again), 'the same person again').out)
    assert added['person_ids'] == [taro], added
    assert info(db)['counts']['households'] == households, 'an empty household was made'
    shown = json.loads(ok(cli('evacuee', 'show', taro, '--json', db=db), 'show').out)
    assert len(shown['household']) == 2, shown
    assert shown['person']['address'] == YAMADA['address'], shown
    assert shown['person']['phone'] == YAMADA['phone'], shown
    assert shown['person']['consent_disclose'] is True, shown
    moved = dict(again, address='みなと川市西町1-1',
                 members=[dict(again['members'][0], move_household=True)])
    ok(add_household(db, moved), 'moved on purpose')
    shown = json.loads(ok(cli('evacuee', 'show', taro, '--json', db=db), 'show').out)
    assert len(shown['household']) == 1, shown
    assert shown['person']['address'] == 'みなと川市西町1-1', shown
    ok(cli('check', '--deep', db=db), 'check --deep after both')


def test_evacuee_bad_input(tmp):
    db = seeded(tmp)
    before = persons(db)
    bad = [
        b'{"shelter": "S01", "members": [',                                     # not JSON
        '{"shelter": "S01", "members": [{"name": ""}]}'.encode(),               # empty name
        '{"shelter": "S01", "members": [{"name": "甲", "birth_date": "2001年2月30日"}]}'.encode(),
        '{"shelter": "S01", "members": [{"name": "甲", "birth_date": "令和99年1月1日"}]}'.encode(),
        b'{"shelter": "S01", "members": [{"name": "\xff\xfe"}]}',                # not UTF-8
        '{"shelter": "NOPE", "members": [{"name": "甲"}]}'.encode(),
        '{"shelter": "S01", "members": [{"name": "甲", "sex": "x"}]}'.encode(),
        '{"shelter": "S01", "pets_count": [1], "members": [{"name": "甲"}]}'.encode(),
        '{"shelter": "S01", "pets_count": "two", "members": [{"name": "甲"}]}'.encode(),
    ]
    for data in bad:
        fails(cli('evacuee', 'add', db=db, stdin=data), 1, repr(data))
    assert persons(db) == before, 'bad input saved something'


def only_the_message(r, what):
    """Exit 1 and one message on stderr: no library warnings around it."""
    lines = r.err.strip().split('\n')
    assert lines[0].startswith('shelterdesk-cli: '), f'{what}: {r!r}'
    assert 'CRITICAL' not in r.err and 'WARNING' not in r.err, f'{what}: {r!r}'


def test_evacuee_json_is_strict(tmp):
    db = seeded(tmp)
    before = persons(db)
    one = '{"shelter": "S01", "members": [{"name": "甲"}]}'
    cases = [
        ((one + one).encode(), 'more after the end'),                    # a second object
        (one.replace('"', "'").encode(), 'double quotes'),              # single-quoted
        ((one + ' x').encode(), 'more after the end'),
        ('{"shelter": "S01", "shelter": "S02", "members": [{"name": "甲"}]}'.encode(), 'twice'),
    ]
    for data, words in cases:
        r = fails(cli('evacuee', 'add', '--json', db=db, stdin=data), 1, repr(data))
        assert words in r.err, r
        only_the_message(r, repr(data))
    for data in (b'', b'  \n'):
        r = fails(cli('evacuee', 'add', '--json', db=db, stdin=data), 1, 'empty stdin')
        assert 'empty' in r.err, r
        only_the_message(r, 'empty stdin')
    assert persons(db) == before, 'bad input saved something'


def test_evacuee_fields_are_strict(tmp):
    """Every wrong type, unknown member or hidden character is refused,
    naming the field (and member), never stored changed or dropped."""
    db = seeded(tmp)
    before = persons(db)

    def household(member=None, **fields):
        h = {'shelter': 'S01', 'stay': 'shelter',
             'members': [{'name': '甲'}, dict({'name': '乙'}, **(member or {}))]}
        h.update(fields)
        return json.dumps(h, ensure_ascii=True).encode()

    cases = [
        (household({'consent_disclose': 'true'}), ['member 2', 'consent_disclose', 'true or false']),
        (household({'pregnant': 'yes'}), ['member 2', 'pregnant', 'true or false']),
        (household({'birth_date': 19500106}), ['member 2', 'birth_date', 'text']),
        (household({'phone': 9012345678}), ['member 2', 'phone', 'leading zero']),
        (household(phone=9012345678), ['household', 'phone', 'text']),
        (household({'name': 'A\u0000B'}), ['member 2', 'name', 'U+0000']),
        (household({'name': '乙\u202e甲'}), ['member 2', 'name', 'U+202E']),
        (household({'kana': 'おつ\u2066'}), ['member 2', 'kana', 'U+2066']),
        (household({'allergies': '\u200f'}), ['member 2', 'allergies', 'U+200F']),
        (household({'illness': '\u061c'}), ['member 2', 'illness', 'U+061C']),
        (household(adress='みなと川市'), ['household', '“adress”']),
        (household({'adress': 'みなと川市'}), ['member 2', '“adress”']),
        (household(pets_count=1.5), ['household', 'pets_count']),
        (household(check_in='no'), ['household', 'check_in', 'true or false']),
    ]
    for data, words in cases:
        r = fails(add_household_raw(db, data), 1, repr(data))
        for w in words:
            assert w in r.err, (w, r)
        only_the_message(r, repr(data))
    assert persons(db) == before, 'bad input saved something'
    # The same values written as they should be are taken.
    good = household({'consent_disclose': True, 'pregnant': False, 'birth_date': '19500106',
                      'phone': '09012345678', 'address': 'みなと川市'})
    added = json.loads(ok(add_household_raw(db, good, '--allow-duplicates'), 'good household').out)
    shown = json.loads(ok(cli('evacuee', 'show', added['person_ids'][1], '--json', db=db), 'show').out)
    assert shown['person']['phone'] == '09012345678', shown
    assert shown['person']['consent_disclose'] is True, shown
    assert shown['person']['birth_date'] == '1950-01-06', shown


def add_household_raw(db, data, *extra):
    return cli('evacuee', 'add', '--json', *extra, db=db, stdin=data)


def test_enquire_respects_consent(tmp):
    db = seeded(tmp)
    ok(add_household(db, YAMADA), 'add')
    found = json.loads(ok(cli('enquire', 'しけん たろう', '--json', db=db), 'enquire').out)
    assert len(found) == 1 and found[0]['name'] == '試験 太郎', found
    hidden = ok(cli('enquire', 'しけん はなこ', db=db), 'not consented').out
    absent = ok(cli('enquire', 'だれも いない', db=db), 'nobody').out
    assert hidden == absent, (hidden, absent)


def test_report_shelter_status(tmp):
    db = seeded(tmp)
    csv_path = os.path.join(tmp, 'status.csv')
    pdf_path = os.path.join(tmp, 'status.pdf')
    ok(cli('report', 'shelter-status', '--shelter', 'S01', '--format', 'csv', '--out', csv_path, db=db), 'csv')
    data = read_bytes(csv_path)
    assert data.startswith(b'\xef\xbb\xbf') and b'\r\n' in data, data[:40]
    assert 'S01'.encode() in data
    ok(cli('report', 'shelter-status', '--all', '--format', 'pdf', '--out', pdf_path, db=db), 'pdf')
    text = subprocess.run(['pdftotext', pdf_path, '-'], capture_output=True, check=True).stdout.decode()
    assert 'Shelter status report' in text, text[:200]
    fails(cli('report', 'shelter-status', '--format', 'pdf', '--out', pdf_path, db=db), 2, 'no shelter')
    # The lead's condition record shows in the next report.
    ok(cli('shelter', 'condition', 'S01', '--electricity', 'out', '--water', 'limited',
           '--supplies', '毛布 50枚', '--staff', '1001', db=db), 'condition')
    ok(cli('report', 'shelter-status', '--shelter', 'S01', '--format', 'csv', '--out', csv_path, db=db), 'csv 2')
    rows = read_csv(csv_path)
    assert ['Electricity', 'Not working'] in rows and ['Supply requests', '毛布 50枚'] in rows, rows
    fails(cli('shelter', 'condition', 'S01', '--gas', 'broken', db=db), 2, 'bad state')
    fails(cli('shelter', 'condition', 'S01', '--supplies', '毛布\x01', db=db), 1, 'control character')
    fails(cli('report', 'shelter-status', '--all', '--format', 'doc', '--out', pdf_path, db=db), 2, 'bad format')


FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def read_csv(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.reader(f))


def test_report_csv_formulas(tmp):
    """Text a person typed never reaches a spreadsheet as a formula (OWASP's CSV injection)."""
    db = os.path.join(tmp, 'site.db')
    init(db, '--site-name', '@SUM(1+1)*cmd|\' /C calc\'!A0')
    ok(cli('shelter', 'add', '--code', 'F01', '--name', '-2+3+cmd|\' /C calc\'!A0', '--kind', 'designated',
           '--capacity', '10', db=db), 'shelter add')
    link = '=HYPERLINK("http://x","y")'
    ok(cli('shelter', 'condition', 'F01', '--supplies', link, db=db), 'condition')
    csv_path = os.path.join(tmp, 'status.csv')
    ok(cli('report', 'shelter-status', '--shelter', 'F01', '--format', 'csv', '--out', csv_path, db=db), 'csv')
    rows = read_csv(csv_path)
    cells = {row[0]: row[1:] for row in rows if row}
    assert cells['Supply requests'] == ["'" + link], rows
    assert cells['Site'] == ["'@SUM(1+1)*cmd|' /C calc'!A0"], rows
    assert cells['Shelter'] == ['F01', "'-2+3+cmd|' /C calc'!A0"], rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f'a cell a spreadsheet would run: {cell!r} in {rows}'
    # Our own counts stay numbers.
    assert cells['Capacity'] == ['10'] and cells['People staying'] == ['0'], rows


# ---- qr: evacuee cards, the A4 sheet, scans, pre-registrations, the card key ----

def zbar(path):
    """The texts of the QR codes in the picture at PATH, as the real zbarimg reads them.
    QR codes only: with every symbology on, zbarimg now and then reads a
    stripe of a printed page as a Codabar code (seen: "B74A" under the
    exercise band)."""
    r = subprocess.run(['zbarimg', '--raw', '-q', '-Sdisable', '-Sqrcode.enable', path],
                       capture_output=True, timeout=120)
    assert r.returncode in (0, 4), f'zbarimg {path}: {r!r}'   # 4: no code found
    return [line for line in r.stdout.decode('utf-8').split('\n') if line]


def qr_site(tmp):
    """A site of its own (no demo clock, no seeded events) with an open shelter Q01."""
    db = os.path.join(tmp, 'site.db')
    init(db)
    ok(cli('shelter', 'add', '--code', 'Q01', '--name', '試験避難所', '--kind', 'designated',
           '--capacity', '100', db=db), 'shelter add')
    ok(cli('shelter', 'open', 'Q01', db=db), 'shelter open')
    return db


def household_ids(db, shelter, names, **extra):
    household = dict({'shelter': shelter, 'stay': 'shelter',
                      'members': [{'name': n, 'birth_date': f'19{60 + i}-01-0{1 + i % 9}'}
                                  for i, n in enumerate(names)]}, **extra)
    return json.loads(ok(add_household(db, household), 'evacuee add').out)['person_ids']


def scan(db, text, *extra, stdin=b''):
    return cli('qr', 'scan', text, *extra, db=db, stdin=stdin)


def events(db):
    return info(db)['counts']['events']


def test_qr_issue_and_scan(tmp):
    db = qr_site(tmp)
    [pid] = household_ids(db, 'Q01', ['札幌 一郎'], check_in=False)
    png = os.path.join(tmp, 'card.png')
    text = ok(cli('qr', 'issue', pid, '--png', png, db=db), 'qr issue').out.strip()
    assert re.fullmatch(r'SDC1[A-Z2-7]{167}', text), text
    assert zbar(png) == [text], 'the PNG does not decode to the printed text'

    mode = json.loads(ok(cli('qr', 'mode', 'arrive', '--shelter', 'Q01', db=db), 'qr mode').out)
    assert mode == {'mode': 'arrive', 'shelter': 'Q01', 'repeat_seconds': mode['repeat_seconds']}, mode
    assert mode['repeat_seconds'] > 0, mode

    r = ok(scan(db, text), 'scan to arrive')
    got = json.loads(r.out)
    assert (got['outcome'], got['kind'], got['person']['id'], got['person']['status']) == \
        ('recorded', 'arrive', pid, 'in'), got
    assert got['person']['name'] == '札幌 一郎' and got['person']['shelter'] == '試験避難所', got
    assert got['event_id'] and got['previous_at'] is None, got

    before = events(db)
    r = fails(scan(db, text), 1, 'the same scan at once')
    got = json.loads(r.out)
    assert got['outcome'] == 'repeated' and got['event_id'] is None, got
    assert re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d', got['previous_at']), got
    assert got['message'] in r.err, r
    assert '札幌' not in r.err, 'a name went to stderr'
    assert events(db) == before

    ok(cli('qr', 'mode', 'go_out', db=db), 'qr mode go_out')
    got = json.loads(ok(scan(db, text), 'scan to go out').out)
    assert (got['outcome'], got['kind'], got['person']['status']) == ('recorded', 'go_out', 'out'), got

    # Refused by the parser or the signature check: a reason, no JSON, nothing recorded.
    middle = len(text) // 2
    forged = text[:middle] + ('B' if text[middle] == 'A' else 'A') + text[middle + 1:]
    before = events(db)
    for bad, what, word in ((forged, 'a forged card', 'not genuine'),
                            ('hello', 'garbage', 'not a ShelterDesk'),
                            (text[:middle], 'half a card', 'part of the code')):
        r = fails(scan(db, bad), 1, what)
        assert r.out == '', f'{what} printed JSON: {r!r}'
        assert word in r.err, r
    assert events(db) == before, 'a refused code recorded something'

    # From standard input, as a scanner or a pipe gives it.
    ok(cli('qr', 'mode', 'return', db=db), 'qr mode return')
    got = json.loads(ok(scan(db, '-', stdin=f'{text}\r\n'.encode()), 'scan from stdin').out)
    assert (got['kind'], got['person']['status']) == ('return', 'in'), got

    r = fails(cli('qr', 'issue', '00000000-0000-4000-8000-000000000000', '--png', png, db=db),
              1, 'a card for nobody')
    assert 'no person' in r.err, r
    ok(cli('qr', 'mode', 'arrive', '--shelter', '', db=db), 'forget the shelter')
    r = fails(scan(db, text), 2, 'arrive with no shelter')
    assert '--shelter' in r.err and 'qr mode' in r.err, r


# Wine now and then kills a Windows program with SIGKILL as it exits, its
# work done (run_case): with forty programs in one case, some exit -9.  A
# program so ended has decided whatever it printed; one that printed nothing
# is not counted, and the database says what happened.
KILLED_AT_EXIT = -9


def scan_at_once(db, text, n, *extra):
    """N `qr scan` processes of one code, let go together: each opens the database and reads the
    desk's settings, then waits for the code on standard input, which all get at the same moment.
    The outcomes the programs printed (under Wine, one killed as it exited may print none)."""
    procs = [subprocess.Popen([CLI, '--db', db, 'qr', 'scan', '-', *extra], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_without_db())
             for _ in range(n)]
    line = f'{text}\n'.encode()
    for p in procs:
        p.stdin.write(line)
    for p in procs:
        p.stdin.close()
    results = []
    for p in procs:
        p.wait(timeout=300)
        out, err = p.stdout.read(), p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        results.append(Result(subprocess.CompletedProcess(p.args, p.returncode, out, err)))
    outcomes = []
    for r in results:
        if UNDER_WINE and r.status == KILLED_AT_EXIT:
            if r.out:
                outcomes.append(json.loads(r.out)['outcome'])
            continue
        assert r.status in (0, 1) and r.out, f'a scan failed instead of deciding: {r!r}'
        outcomes.append(json.loads(r.out)['outcome'])
    assert len(outcomes) >= n - 2, f'too many scans ended without a word: {results!r}'
    return outcomes


def one_decided(outcomes, n, others):
    """One 'recorded', the rest OTHERS, of N programs (under Wine, a few may not have said)."""
    assert outcomes.count('recorded') == 1 and set(outcomes) <= {'recorded', others}, outcomes
    assert UNDER_WINE or len(outcomes) == n, outcomes


def statuses_at_once(db, n, *command):
    """N processes of COMMAND at once: their exit statuses, those Wine killed as they exited left out."""
    procs = [subprocess.Popen([CLI, '--db', db, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env_without_db())
             for _ in range(n)]
    statuses = [p.communicate(timeout=300) and p.returncode for p in procs]
    kept = sorted(s for s in statuses if not (UNDER_WINE and s == KILLED_AT_EXIT))
    assert len(kept) >= n - 2, statuses
    return kept


def history(db, pid):
    shown = json.loads(ok(cli('evacuee', 'show', pid, '--json', db=db), 'show').out)
    return [e['kind'] for e in shown['history']]


def test_qr_scan_in_parallel(tmp):
    db = qr_site(tmp)
    pids = household_ids(db, 'Q01', [f'並行 {i}' for i in range(5)], check_in=False)
    cards = [ok(cli('qr', 'issue', pid, '--png', os.path.join(tmp, f'{i}.png'), db=db), 'qr issue').out.strip()
             for i, pid in enumerate(pids)]

    # A pickup scanned by eight desks (or one scanner's burst) at once within the repeat window:
    # one event, whichever process wins, the others told it was just recorded.  One person a trial.
    ok(cli('qr', 'mode', 'supply', '--shelter', 'Q01', '--repeat', '60', db=db), 'qr mode supply')
    for trial in range(3):
        outcomes = scan_at_once(db, cards[trial], 8)
        one_decided(outcomes, 8, 'repeated')
        assert history(db, pids[trial]) == ['supply'], (trial, history(db, pids[trial]))

    # Arrive and go out with no repeat window: the transition itself admits only one.
    ok(cli('qr', 'mode', 'arrive', '--repeat', '0', db=db), 'qr mode arrive')
    one_decided(scan_at_once(db, cards[3], 8), 8, 'refused')
    ok(cli('qr', 'mode', 'go_out', db=db), 'qr mode go_out')
    one_decided(scan_at_once(db, cards[3], 8), 8, 'refused')
    assert history(db, pids[3]) == ['go_out', 'arrive'], history(db, pids[3])

    # The same through the check-in commands a person types.
    for command in (['checkin', pids[4], '--shelter', 'Q01'], ['goout', pids[4]]):
        statuses = statuses_at_once(db, 6, *command)
        assert statuses.count(0) <= 1 and set(statuses) <= {0, 1}, (command, statuses)
        assert UNDER_WINE or statuses == [0] + [1] * 5, (command, statuses)
    assert history(db, pids[4]) == ['go_out', 'arrive'], history(db, pids[4])


def test_qr_mode(tmp):
    db = qr_site(tmp)
    first = json.loads(ok(cli('qr', 'mode', db=db), 'qr mode').out)
    assert first['shelter'] is None and first['mode'] in ('arrive', 'go_out', 'return', 'leave', 'supply'), first
    fails(cli('qr', 'mode', 'dance', db=db), 2, 'a mode that does not exist')
    fails(cli('qr', 'mode', '--repeat', '86401', db=db), 2, 'a repeat over a day')
    fails(cli('qr', 'mode', 'supply', '--shelter', 'NOPE', db=db), 1, 'a shelter that does not exist')
    assert json.loads(ok(cli('qr', 'mode', db=db), 'qr mode').out) == first, 'a refused change changed something'
    got = json.loads(ok(cli('qr', 'mode', 'supply', '--shelter', 'Q01', '--repeat', '0', db=db), 'set').out)
    assert got == {'mode': 'supply', 'shelter': 'Q01', 'repeat_seconds': 0}, got
    assert json.loads(ok(cli('qr', 'mode', db=db), 'qr mode').out) == got
    # The group's help and its nested group.
    assert 'qr key export' in ok(cli('qr', '--help'), 'qr --help').out
    fails(cli('qr', 'key', db=db), 2, 'qr key alone')
    fails(cli('qr', 'key', 'burn', db=db), 2, 'an unknown qr key command')


def test_qr_sheet(tmp):
    db = qr_site(tmp)
    ok(cli('shelter', 'add', '--code', 'Q02', '--name', '別の避難所', '--kind', 'designated',
           '--capacity', '10', db=db), 'shelter add Q02')
    ok(cli('shelter', 'add', '--code', 'Q03', '--name', '空の避難所', '--kind', 'designated',
           '--capacity', '10', db=db), 'shelter add Q03')
    ids = []
    for h in range(3):
        ids += household_ids(db, 'Q01', [f'試験{h} {m}郎' for m in '一二三四'])
    ids += household_ids(db, 'Q01', ['在宅 花子'], stay='home')
    elsewhere = household_ids(db, 'Q02', ['他所 次郎'])
    ok(cli('checkout', ids.pop(0), db=db), 'checkout')     # who left gets no card
    pdf = os.path.join(tmp, 'sheet.pdf')
    r = ok(cli('qr', 'sheet', '--shelter', 'Q01', '--pdf', pdf, db=db), 'qr sheet')
    assert f'{len(ids)} cards on 2 pages' in r.out, r
    assert '試験' not in r.out + r.err, 'names were printed'

    # At the resolution a printer prints: at 150 dpi zbarimg, reading a whole
    # page of ten codes at once, missed one card in about 80 runs, though
    # each card alone read at 150 dpi too (a scanner reads one card).
    subprocess.run(['pdftoppm', '-r', '300', '-gray', '-png', pdf, os.path.join(tmp, 'page')],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(f for f in os.listdir(tmp) if f.startswith('page') and f.endswith('.png'))
    assert len(pages) == 2, pages
    texts = [t for page in pages for t in zbar(os.path.join(tmp, page))]
    assert len(texts) == len(ids) == len(set(texts)), (len(texts), len(ids))

    # Each decoded card is genuine and names one of the shelter's people: a pickup for each.
    ok(cli('qr', 'mode', 'supply', '--shelter', 'Q01', db=db), 'qr mode supply')
    scanned = set()
    for text in texts:
        got = json.loads(ok(scan(db, text), 'scan a card from the sheet').out)
        assert got['outcome'] == 'recorded' and got['kind'] == 'supply', got
        scanned.add(got['person']['id'])
    assert scanned == set(ids) and not scanned & set(elsewhere), scanned

    empty = os.path.join(tmp, 'empty.pdf')
    r = fails(cli('qr', 'sheet', '--shelter', 'Q03', '--pdf', empty, db=db), 1, 'a shelter with nobody')
    assert 'Nobody to print' in r.err, r
    assert not os.path.exists(empty)
    fails(cli('qr', 'sheet', '--shelter', 'Q99', '--pdf', empty, db=db), 1, 'a shelter that does not exist')
    fails(cli('qr', 'sheet', '--shelter', 'Q01', db=db), 2, 'no --pdf')


PREREG = {
    'format': 'shelterdesk-prereg', 'version': 1,
    'household': {'address': 'みなと川市東町1-1', 'phone': '090-0000-1111'},
    'members': [{'name': '事前 一郎', 'kana': 'じぜん いちろう', 'birth_date': '昭和25年1月6日', 'sex': 'male'}],
}


def test_qr_prereg(tmp):
    db = qr_site(tmp)
    path = os.path.join(tmp, 'prereg.json')
    png = os.path.join(tmp, 'prereg.png')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(PREREG, f, ensure_ascii=False)
    text = ok(cli('qr', 'prereg', '--json', path, '--png', png, db=db), 'qr prereg').out.strip()
    assert re.fullmatch(r'SDP1[A-Z2-7]+', text), text
    assert zbar(png) == [text]
    before = events(db)
    got = json.loads(ok(scan(db, '-', stdin=f'{text}\n'.encode()), 'scan a pre-registration').out)
    assert got['outcome'] == 'prereg', got
    [member] = got['prereg']['members']
    assert (member['name'], member['birth_date']) == ('事前 一郎', '1950-01-06'), got
    assert events(db) == before

    sjis = os.path.join(tmp, 'sjis.json')
    with open(sjis, 'wb') as f:
        f.write(json.dumps(PREREG, ensure_ascii=False).encode('cp932'))
    os.remove(png)
    r = fails(cli('qr', 'prereg', '--json', sjis, '--png', png, db=db), 1, 'a Shift_JIS file')
    assert 'UTF-8' in r.err, r
    assert not os.path.exists(png)

    # Ten members with long notes of varied kanji: more than one code carries.
    rng = random.Random(1)
    big = dict(PREREG, members=[{'name': f'大家族 {i}', 'illness': ''.join(chr(rng.randint(0x4e00, 0x9fff))
                                                                    for _ in range(300))}
                                for i in range(10)])
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(big, f, ensure_ascii=False)
    r = fails(cli('qr', 'prereg', '--json', path, '--png', png, db=db), 1, 'too much for one code')
    assert 'Too much for one code' in r.err, r


def test_qr_card_key(tmp):
    a = qr_site(tmp)
    [pid] = household_ids(a, 'Q01', ['鍵 太郎'])
    text = ok(cli('qr', 'issue', pid, '--png', os.path.join(tmp, 'card.png'), db=a), 'qr issue').out.strip()
    b = os.path.join(tmp, 'other.db')
    init(b)
    assert 'no card key' in ok(cli('qr', 'key', 'show', db=b), 'key show').out

    r = fails(scan(b, text, '--mode', 'go_out'), 1, 'a card of another deployment')
    assert 'deployment' in r.err and r.out == '', r

    key_id = ok(cli('qr', 'key', 'show', db=a), 'key show').out.strip()
    assert re.fullmatch(r'[0-9a-f]{8}', key_id), key_id
    public = os.path.join(tmp, 'public.json')
    ok(cli('qr', 'key', 'export', '--out', public, '--public', db=a), 'export --public')
    assert 'seed' not in json.loads(read_bytes(public)), 'the public export holds the secret'
    exported = os.path.join(tmp, 'key.json')
    r = ok(cli('qr', 'key', 'export', '--out', exported, db=a), 'key export')
    if not UNDER_WINE:  # Windows' access lists: test-platform
        assert os.stat(exported).st_mode & 0o777 == 0o600, oct(os.stat(exported).st_mode)
    data = json.loads(read_bytes(exported))
    assert data['key_id'] == key_id and 'seed' in data, data.keys()
    assert data['seed'] not in r.out + r.err, 'the secret was printed'

    assert ok(cli('qr', 'key', 'import', exported, db=b), 'key import').out.strip() == key_id
    assert ok(cli('qr', 'key', 'show', db=b), 'key show').out.strip() == key_id
    r = fails(scan(b, text, '--mode', 'go_out'), 1, 'a genuine card of somebody not here')
    assert 'no record of the person' in r.err and r.out == '', r
    assert 'deployment' not in r.err, r
    fails(cli('qr', 'key', 'import', public + '.missing', db=b), 1, 'a key file that is not there')

    # A kiosk holding the secret is lost: a new key from HQ, the old one removed.
    hq = os.path.join(tmp, 'hq.db')
    init(hq)
    new_key = os.path.join(tmp, 'new-key.json')
    ok(cli('qr', 'key', 'export', '--out', new_key, db=hq), 'export a new key')
    new_id = ok(cli('qr', 'key', 'import', new_key, db=a), 'import the new key').out.strip()
    keys = json.loads(ok(cli('qr', 'key', 'list', '--json', db=a), 'key list').out)
    assert [k['key_id'] for k in keys] == [new_id, key_id], keys
    assert keys[0]['current'] and not keys[1]['current'] and keys[1]['can_issue'], keys
    fails(cli('qr', 'key', 'remove', new_id, db=a), 1, 'removing the key in use')
    fails(cli('qr', 'key', 'remove', 'zz', db=a), 1, 'a key id that is not one')
    ok(cli('qr', 'key', 'remove', key_id, db=a), 'remove the old key')
    r = fails(scan(a, text, '--mode', 'go_out'), 1, 'a card of the removed key')
    assert r.out == '', r
    new_text = ok(cli('qr', 'issue', pid, '--png', os.path.join(tmp, 'new.png'), db=a), 'issue anew').out.strip()
    assert new_text != text
    ok(cli('qr', 'mode', 'supply', '--shelter', 'Q01', db=a), 'mode')
    assert json.loads(ok(scan(a, new_text), 'the new card').out)['outcome'] == 'recorded'


# ---- the tests ----

def test_init_info(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db, '--site-name', '港町地区センター')
    data = info(db)
    assert re.fullmatch(r'[0-9a-f]{32}', data['site_id']), data
    # The version this build writes, from the header that defines it.
    header = os.path.join(os.path.dirname(os.path.abspath(SEEDS)), 'src', 'core', 'sd-store.h')
    with open(header, encoding='utf-8') as f:
        expected = int(re.search(r'#define SD_SCHEMA_VERSION (\d+)', f.read()).group(1))
    assert data['schema_version'] == expected, data
    assert data['site_name'] == '港町地区センター', data
    assert data['is_demo'] is False, data
    assert all(v == 0 for k, v in data['counts'].items() if k != 'oplog'), data
    assert isinstance(data['hlc'], str) and data['hlc'], data
    text = ok(cli('info', db=db), 'info').out
    assert data['site_id'] in text and '港町地区センター' in text, text


def test_env_fallback(tmp):
    db = os.path.join(tmp, 'site.db')
    env = env_without_db()
    env['SHELTERDESK_DB'] = db
    ok(cli('init', env=env), 'init with SHELTERDESK_DB')
    assert os.path.exists(db)
    ok(cli(f'--db={db}', 'info'), 'info with --db=FILE')
    ok(cli('info', '--db', db), 'info with --db after the command')


def test_init_twice(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db, '--site-name', 'First')
    site_id = info(db)['site_id']
    second = init(db)
    assert 'already' in second.out, second
    third = init(db, '--site-name', 'Second')
    assert 'already' in third.out, third
    data = info(db)
    assert data['site_id'] == site_id, 'init twice made a new site'
    assert data['site_name'] == 'Second', data


def test_init_refuses_other_files(tmp):
    path = os.path.join(tmp, 'notes.txt')
    with open(path, 'wb') as f:
        f.write(b'meeting at 10\n' * 100)
    before = read_bytes(path)
    r = fails(cli('init', db=path), 1, 'init over a text file')
    assert 'not a ShelterDesk database' in r.err, r
    assert read_bytes(path) == before, 'init changed a file that was not a database'

    empty = os.path.join(tmp, 'empty.db')
    open(empty, 'wb').close()
    fails(cli('init', db=empty), 1, 'init over an empty file')
    assert os.path.getsize(empty) == 0


def test_seed_load(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    r = ok(cli('seed', 'load', SEEDS, '--json', db=db), 'seed load --json')
    summary = json.loads(r.out)
    assert summary['shelters'] == 12, summary
    counts = info(db)['counts']
    assert counts['shelters'] == 12, counts
    assert counts['staff'] >= 250, counts
    assert counts['support_persons'] >= 100, counts
    assert counts['oplog'] > 0, counts
    assert info(db)['is_demo'] is True


def test_shelter_list(tmp):
    db = seeded(tmp)
    shelters = json.loads(ok(cli('shelter', 'list', '--json', db=db), 'shelter list').out)
    assert isinstance(shelters, list) and len(shelters) == 12, shelters
    assert sorted(s['code'] for s in shelters) == [f'S{i:02d}' for i in range(1, 13)], shelters
    for s in shelters:
        assert s['kind'] in ('designated', 'welfare', 'temporary'), s
        assert isinstance(s['capacity'], int) and isinstance(s['occupancy'], int), s
        assert isinstance(s['open'], bool), s
    text = ok(cli('shelter', 'list', db=db), 'shelter list (text)').out
    assert text.count('\n') >= 14 and 'S12' in text, text


def test_shelter_add_open_close(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    ok(cli('shelter', 'add', '--code', 'T01', '--name', '臨時避難所', '--kind', 'temporary',
           '--capacity', '50', '--address', 'みなと川市1-1', db=db), 'shelter add')
    ok(cli('shelter', 'open', 'T01', db=db), 'shelter open')
    [s] = json.loads(ok(cli('shelter', 'list', '--json', db=db), 'shelter list').out)
    assert (s['code'], s['name'], s['kind'], s['capacity'], s['open']) == \
        ('T01', '臨時避難所', 'temporary', 50, True), s
    ok(cli('shelter', 'close', 'T01', db=db), 'shelter close')
    [s] = json.loads(ok(cli('shelter', 'list', '--json', db=db), 'shelter list').out)
    assert s['open'] is False, s
    fails(cli('shelter', 'open', 'T99', db=db), 1, 'opening a shelter that does not exist')
    fails(cli('shelter', 'add', '--code', 'T02', '--name', 'x', '--kind', 'castle',
              '--capacity', '1', db=db), 2, 'a kind that does not exist')
    fails(cli('shelter', 'add', '--code', 'T01', '--name', 'x', '--kind', 'welfare',
              '--capacity', '1', db=db), 1, 'a code used twice')


# ---- shelter guide: show, change a few lines, print in any language ----

GUIDE_LANGUAGES = ['ja', 'ja-x-easy', 'en', 'zh-Hans', 'ko', 'vi', 'pt-BR', 'ne', 'tl', 'id']
RULES_S01 = ['no-smoking', 'no-alcohol', 'shoes-off', 'pets', 'aisles', 'quiet', 'tell-desk', 'rubbish',
             'charging', 'valuables', 'wash-hands']


def guide(db, code):
    return json.loads(ok(cli('shelter', 'guide', code, db=db), f'shelter guide {code}').out)


def set_guide(db, tmp, code, lines, name='guide.json'):
    path = os.path.join(tmp, name)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(lines, f, ensure_ascii=False)
    return cli('shelter', 'guide', code, '--set', path, db=db)


def pdf_page_count(path):
    return int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', path], capture_output=True, check=True,
                                                           text=True).stdout).group(1))


def test_shelter_guide(tmp):
    db = seeded(tmp)
    first = guide(db, 'S01')
    assert first['breakfast'] == '7:00' and first['lunch'] == '12:00' and first['dinner'] == '18:00', first
    assert first['rules'] == RULES_S01, first
    assert first['ask'].startswith('体育館入口の受付') and first['note'], first
    # Only the lines the file names change: a time as people write it,
    # null clears the note; breakfast, the places and the rules stay.
    r = ok(set_guide(db, tmp, 'S01', {'lunch': '12時半', 'note': None}), 'guide --set lunch and note')
    assert 'S01' in r.out, r
    changed = guide(db, 'S01')
    assert changed == dict(first, lunch='12:30', note=None), changed
    # Refused, by name, and nothing written: not even the op-log moves.
    oplog = info(db)['counts']['oplog']
    for lines, named in (({'dinner': '夕方'}, '夕方'), ({'dessert': '15:00'}, 'dessert'),
                         ({'rules': ['no-smoking', 'karaoke']}, 'karaoke')):
        r = fails(set_guide(db, tmp, 'S01', lines), 1, f'guide --set {lines}')
        assert named in r.err and 'unchanged' in r.err, r
        only_the_message(r, f'guide --set {lines}')
        assert guide(db, 'S01') == changed, lines
    assert info(db)['counts']['oplog'] == oplog
    # What the guide says already: said so, and nothing written.
    r = ok(set_guide(db, tmp, 'S01', {'lunch': '12:30'}), 'guide --set the same lunch')
    assert 'S01' in r.out and info(db)['counts']['oplog'] == oplog, r
    # --language without --pdf is a mistake, not ignored.
    fails(cli('shelter', 'guide', 'S01', '--language', 'vi', db=db), 2, 'guide --language without --pdf')
    # One page in Vietnamese: its heading translated, the places as the
    # shelter's signs write them.
    pdf = os.path.join(tmp, 'guide-vi.pdf')
    ok(cli('shelter', 'guide', 'S01', '--pdf', pdf, '--language', 'vi', db=db), 'guide --pdf vi')
    assert pdf_page_count(pdf) == 1
    [page] = pdf_pages(pdf)
    page = unicodedata.normalize('NFC', page)
    assert 'Hướng dẫn tại nơi sơ tán' in page and '体育館入口の受付' in page and '12:30' in page, page
    # Every language: a page each.
    every = os.path.join(tmp, 'guide-all.pdf')
    ok(cli('shelter', 'guide', 'S01', '--pdf', every, '--language', 'all', db=db), 'guide --pdf all')
    assert pdf_page_count(every) == len(GUIDE_LANGUAGES) == 10
    # A language the guide is not printed in: a usage error naming those it is.
    nowhere = os.path.join(tmp, 'guide-xx.pdf')
    r = fails(cli('shelter', 'guide', 'S01', '--pdf', nowhere, '--language', 'xx', db=db), 2, 'guide --language xx')
    offered = set(re.findall(r'[A-Za-z]+(?:-[A-Za-z]+)*', r.err.split('“xx”', 1)[-1]))
    assert '“xx”' in r.err and set(GUIDE_LANGUAGES) | {'all'} <= offered, r
    assert not os.path.exists(nowhere)
    # A shelter nobody wrote a guide for: every line null, no rules.
    empty = guide(db, 'S03')
    assert empty['rules'] == [] and all(v is None for k, v in empty.items() if k != 'rules'), empty
    assert set(empty) == set(first), empty


def test_staff_add_with_pin(tmp):
    db = seeded(tmp)
    pin = '73915'
    ok(cli('staff', 'add', '--staff-no', '9001', '--name', '試験 花子', '--kana', 'シケン ハナコ',
           '--department', '総務部', '--section', '危機管理課', '--rank', '主事',
           '--role', 'volunteer', '--pin-stdin', db=db, stdin=f'{pin}\n'.encode()), 'staff add')
    r = ok(cli('staff', 'list', '--json', db=db), 'staff list')
    staff = json.loads(r.out)
    assert isinstance(staff, list) and len(staff) >= 251, len(staff)
    [me] = [s for s in staff if s['staff_no'] == '9001']
    assert me['has_pin'] is True, me
    assert (me['name'], me['role'], me['section']) == ('試験 花子', 'volunteer', '危機管理課'), me
    text = ok(cli('staff', 'list', db=db), 'staff list (text)').out
    for output in (r.out, r.err, text):
        assert pin not in output, 'the PIN was printed'
        assert '$argon2' not in output, 'a PIN hash was printed'
    assert not any('pin_hash' in s or 'pin' in s for s in staff), staff[0]


# ---- staff safety: roll-calls, answers, totals, who is missing ----

def safety_answer(db, answers, *extra):
    return cli('safety', 'answer', '--json', *extra, db=db,
               stdin=json.dumps(answers, ensure_ascii=False).encode('utf-8'))


def test_safety_rollcall(tmp):
    db = seeded(tmp)
    # The demo has an open drill, answered by most of the roster.
    demo = json.loads(ok(cli('safety', 'summary', '--json', db=db), 'safety summary').out)
    assert demo['rollcall']['drill'] is True, demo['rollcall']
    assert 0 < demo['all']['answered'] < demo['all']['roster'], demo['all']
    assert demo['all']['roster'] == sum(d['roster'] for d in demo['departments']), demo

    r = json.loads(ok(cli('safety', 'open', '--title', '震度6強 地震', '--json', db=db), 'safety open').out)
    assert r['drill'] is False and r['closed_at'] is None, r
    rollcall = r['id']
    [latest, *_] = json.loads(ok(cli('safety', 'rollcalls', '--json', db=db), 'rollcalls').out)
    assert latest['id'] == rollcall, latest

    me = {'staff_no': '1001', 'safety': 'unhurt', 'location': 'home', 'can_report': True,
          'means': 'bicycle', 'arrival': 'within_30m', 'message': '向かいます'}
    ids = json.loads(ok(safety_answer(db, me), 'safety answer').out)
    # The same answer sent twice (a double press) is one answer.
    again = json.loads(ok(safety_answer(db, me), 'the same answer again').out)
    assert again == ids, (ids, again)
    later = dict(me, safety='minor', can_report=False, means=None, arrival=None, recorded_by='1003')
    ok(safety_answer(db, [later, dict(me, staff_no='1002')]), 'two answers in a list')

    listed = json.loads(ok(cli('safety', 'list', '--json', db=db), 'safety list').out)
    assert listed['rollcall']['id'] == rollcall
    by_no = {a['staff_no']: a for a in listed['answers']}
    assert set(by_no) == {'1001', '1002'}, by_no.keys()
    assert by_no['1001']['safety'] == 'minor' and by_no['1001']['can_report'] is False, by_no['1001']
    assert by_no['1001']['via'] == 'phone' and by_no['1001']['recorded_by'], by_no['1001']
    assert by_no['1001']['answers'] == 2, by_no['1001']
    history = json.loads(ok(cli('safety', 'list', '--history', '1001', '--json', db=db), 'history').out)
    assert [a['safety'] for a in history['answers']] == ['minor', 'unhurt'], history

    summary = json.loads(ok(cli('safety', 'summary', '--json', db=db), 'summary').out)['all']
    assert (summary['answered'], summary['can_report'], summary['cannot_report']) == (2, 1, 1), summary
    assert summary['safety'] == {'unhurt': 1, 'minor': 1, 'serious': 0}, summary
    assert summary['within']['within_30m'] == 1, summary
    assert summary['not_answered'] == summary['roster'] - 2, summary
    # The drill's answers never count here, nor these in the drill.
    drill = json.loads(ok(cli('safety', 'summary', '--rollcall', demo['rollcall']['id'], '--json', db=db),
                          'drill summary').out)
    assert drill['all'] == demo['all'], (drill['all'], demo['all'])

    missing = ok(cli('safety', 'missing', '--csv', db=db), 'missing --csv')
    rows = list(csv.reader(missing.out.lstrip('\ufeff').splitlines()))
    assert len(rows) - 1 == summary['not_answered'], len(rows)
    assert all(re.match(r'0[789]0-0000-\d{4}$', r[6]) for r in rows[1:]), rows[1]
    assert '1001' not in {r[0] for r in rows[1:]}

    ok(cli('safety', 'close', db=db), 'safety close')
    fails(safety_answer(db, me, '--rollcall', rollcall), 1, 'an answer to a closed roll-call')
    text = ok(cli('safety', 'summary', '--rollcall', rollcall, db=db), 'summary of a closed roll-call').out
    assert 'closed' in text, text


def test_safety_bad_input(tmp):
    db = seeded(tmp)
    ok(cli('safety', 'close', db=db), 'closing the demo drill')
    fails(cli('safety', 'close', db=db), 1, 'closing when none is open')
    base = {'staff_no': '1001', 'safety': 'unhurt', 'location': 'home', 'can_report': False}
    fails(safety_answer(db, base), 1, 'an answer when no roll-call is open')
    ok(cli('safety', 'open', '--title', '訓練', '--drill', db=db), 'safety open --drill')
    fails(cli('safety', 'open', db=db), 2, 'a roll-call without a title')
    fails(cli('safety', 'open', '--title', 'x', '--started', 'yesterday', db=db), 2, 'a start that is no time')
    for bad, words in [
            (dict(base, staff_no='00000'), 'no staff member'),
            (dict(base, safety='fine'), 'fine'),
            (dict(base, location='other'), 'where you are'),
            (dict(base, can_report=True), 'how you would come'),
            (dict(base, means='car'), 'cannot report'),
            (dict(base, safty='minor'), 'safty'),
            (dict(base, recorded_by='00000'), 'recorded_by'),
            ([base, 'x'], 'answer 2'),
    ]:
        r = fails(safety_answer(db, bad), 1, f'a bad answer: {bad!r}')
        assert words in r.err.lower(), (words, r.err)
    fails(cli('safety', 'answer', db=db, stdin=b'{"staff_no": '), 1, 'JSON cut short')
    listed = json.loads(ok(cli('safety', 'list', '--json', db=db), 'safety list').out)
    # The first answer of the list was recorded, the rest stopped at the bad one.
    assert [a['staff_no'] for a in listed['answers']] == ['1001'], listed['answers']
    ok(cli('check', db=db), 'check after refusals')


SERVICE_CSV = (
    '職員番号,氏名,所属,回答日時,安否,現在地,現在地（その他）,参集可否,参集方法,参集までの時間,備考\r\n'
    '1001,中村 秀樹,教育委員会,2026/12/03 06:10,無事,自宅,,可,徒歩,30分以内,\r\n'
    '1002,小川 葵,市民部,令和8年12月3日 6時12分,軽傷,実家,,否,,,足を痛めた\r\n'
    '1003,石田 浩,総務部,2026-12-03T06:15:00+09:00,無事,職場,,○,自動車,30分～1時間,"本部に向かう, 途中"\r\n'
)


def service_answers(db):
    with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as c:
        return c.execute("SELECT s.staff_no, a.safety, a.location, a.location_note, a.can_report, a.means, "
                         "a.arrival, a.message FROM safety_answers a JOIN staff s ON s.id = a.staff_id "
                         "WHERE a.via = 'import' ORDER BY s.staff_no").fetchall()


def test_safety_import(tmp):
    db = seeded(tmp)
    sjis = os.path.join(tmp, 'service.csv')
    with open(sjis, 'wb') as f:
        f.write(SERVICE_CSV.encode('cp932'))
    done = json.loads(ok(cli('safety', 'import', sjis, '--json', db=db), 'safety import (Shift_JIS)').out)
    assert done == {'encoding': 'CP932', 'answers': 3, 'stored': 3, 'already_imported': 0}, done
    assert service_answers(db) == [
        ('1001', 'unhurt', 'home', None, 1, 'walk', 'within_30m', None),
        ('1002', 'minor', 'other', '実家', 0, None, None, '足を痛めた'),
        ('1003', 'unhurt', 'work', None, 1, 'car', 'within_1h', '本部に向かう, 途中'),
    ], service_answers(db)
    # The same answers again, now in UTF-8 from standard input: nothing new.
    again = json.loads(ok(cli('safety', 'import', '-', '--json', db=db, stdin=SERVICE_CSV.encode()),
                          'the same file again').out)
    assert again['stored'] == 0 and again['already_imported'] == 3, again
    # Each bad file is refused whole, with its line, and stores nothing.
    header = SERVICE_CSV.split('\r\n')[0]
    good = SERVICE_CSV.split('\r\n')[1].replace('06:10', '07:10')
    for bad, words in [
            ('1001,中村,,2026/12/03 07:10,元気,自宅,,否,,,', 'line 3'),
            ('9999,誰か,,2026/12/03 07:10,無事,自宅,,否,,,', '9999'),
            ('1001,中村,,きのう,無事,自宅,,否,,,', 'きのう'),
            ('1001,中村,,2026/12/03 07:10,無事,自宅,,可,ヘリ,30分以内,', 'ヘリ'),
            ('1001,中村,,2099/12/03 07:10,無事,自宅,,否,,,', 'future'),
    ]:
        text = '\r\n'.join([header, good, bad]) + '\r\n'
        r = fails(cli('safety', 'import', '-', db=db, stdin=text.encode()), 1, f'a bad row: {bad}')
        assert words in r.err.lower(), (words, r.err)
        assert len(service_answers(db)) == 3, 'a refused file stored a row'
    r = fails(cli('safety', 'import', '-', db=db, stdin='氏名,安否\r\n中村,無事\r\n'.encode()), 1, 'no columns')
    assert '職員番号' in r.err and '回答日時' in r.err and '安否,' not in r.err, r.err
    fails(cli('safety', 'import', '-', db=db, stdin=b'\xff\xfe\x00\x01garbage\x80\x81'), 1, 'not text')
    fails(cli('safety', 'import', '-', db=db, stdin=b''), 1, 'an empty file')
    ok(cli('check', db=db), 'check after the refusals')


WELFARE_CSV = (
    '管理番号,氏名,ﾌﾘｶﾞﾅ,性別,生年月日,住所,電話番号,要介護度,同意,緊急連絡先,続柄,緊急連絡先電話番号\r\n'
    '30000,田中　美代子,ﾀﾅｶ ﾐﾖｺ,女,昭和21年4月20日,みなと川市北町３丁目１７－６,070-0000-0004,要介護４,有,'
    '田中 一郎,長男,090-0000-1111\r\n'
    '99999,新規　太郎,ｼﾝｷ ﾀﾛｳ,男,S20.1.1,みなと川市本町１丁目１－１,090-0000-9999,,無,,,\r\n'
)


def support_rows(db, where='1'):
    with sqlite3.connect(db) as c:
        return c.execute(f'SELECT external_id, listed, district, care_level FROM support_persons WHERE {where} '
                         'ORDER BY external_id').fetchall()


def test_support_import(tmp):
    db = seeded(tmp)
    sjis = os.path.join(tmp, 'welfare.csv')
    with open(sjis, 'wb') as f:
        f.write(WELFARE_CSV.encode('cp932'))
    listed = len(support_rows(db, 'listed = 1'))
    # The preview writes nothing and says what would happen.
    before = support_rows(db)
    preview = json.loads(ok(cli('support', 'import', sjis, '--preview', '--json', db=db), 'preview').out)
    assert preview['encoding'] == 'CP932' and not preview['applied'], preview
    assert (preview['new'], preview['changed'], preview['left']) == (1, 1, listed - 1), preview
    tanaka = [c for c in preview['changes'] if c['external_id'] == '30000'][0]
    assert [f['field'] for f in tanaka['fields']] == ['care_level', 'contact_name', 'contact_relation',
                                                       'contact_phone'], tanaka
    assert support_rows(db) == before, 'the preview wrote'
    # Applied: one transaction; the people not in the file are marked, not deleted.
    done = json.loads(ok(cli('support', 'import', sjis, '--json', db=db), 'import').out)
    assert done['applied'] and done['new'] == 1, done
    assert support_rows(db, "external_id IN ('30000', '99999')") == [
        ('30000', 1, '北町3丁目', '要介護4'), ('99999', 1, '本町1丁目', None)], support_rows(db)
    assert len(support_rows(db)) == len(before) + 1
    assert len(support_rows(db, 'listed = 1')) == 2
    # The same file again: nothing to do.
    again = json.loads(ok(cli('support', 'import', sjis, '--json', db=db), 'again').out)
    assert (again['new'], again['changed'], again['left'], again['same']) == (0, 0, 0, 2), again
    # A bad row refuses the file, naming the line; nothing is written.
    bad = WELFARE_CSV + '12345,誰か,,女,昭和99年1月1日,,,,,,,\r\n'
    r = fails(cli('support', 'import', '-', db=db, stdin=bad.encode('cp932')), 1, 'a bad date')
    assert 'Line 4' in r.err, r.err
    assert len(support_rows(db)) == len(before) + 1
    # Said to be UTF-8 but in Shift_JIS: refused.
    fails(cli('support', 'import', sjis, '--encoding', 'UTF-8', db=db), 1, 'a wrong label')
    # A column named by hand.
    other = '番号X,対象者名\r\nZ1,別名 花子\r\n'
    fails(cli('support', 'import', '-', db=db, stdin=other.encode()), 1, 'no name column')
    mapped = json.loads(ok(cli('support', 'import', '-', '--preview', '--json', '--column', '番号X=external_id',
                               '--column', '対象者名=name', db=db, stdin=other.encode()), 'by hand').out)
    assert mapped['new'] == 1, mapped
    ok(cli('check', db=db), 'check after the imports')


def test_support_status(tmp):
    db = seeded(tmp)
    summary = json.loads(ok(cli('support', 'summary', '--json', db=db), 'summary').out)
    total = summary['listed']
    assert summary['statuses']['unconfirmed'] == total, summary
    [first] = support_rows(db, "external_id = 'M001200'")
    fails(cli('support', 'status', 'M001200', '--set', 'evacuated', db=db), 1, 'evacuated without a shelter')
    fails(cli('support', 'status', 'M001200', '--set', 'gone', db=db), 2, 'not a status')
    fails(cli('support', 'status', 'NOBODY', '--set', 'safe_home', db=db), 1, 'nobody')
    report = ok(cli('support', 'status', 'M001200', '--set', 'evacuated', '--shelter', 'S01', '--by', '1003',
                    '--note', '長男と', db=db), 'evacuated').out.strip()
    # A double press: the same report.
    assert ok(cli('support', 'status', 'M001200', '--set', 'evacuated', '--shelter', 'S01', '--by', '1003',
                  db=db), 'again').out.strip() == report
    summary = json.loads(ok(cli('support', 'summary', '--json', db=db), 'summary').out)
    assert summary['statuses'] == dict(summary['statuses'], unconfirmed=total - 1, evacuated=1), summary
    unconfirmed = json.loads(ok(cli('support', 'list', '--status', 'unconfirmed', '--json', db=db), 'list').out)
    assert len(unconfirmed) == total - 1 and all(p['status'] == 'unconfirmed' for p in unconfirmed)
    person = json.loads(ok(cli('support', 'show', 'M001200', db=db), 'show').out)
    assert person['status'] == 'evacuated' and person['shelter_code'] == 'S01', person
    assert person['reports'][0]['reported_by'] == '石田 浩' and person['reports'][0]['note'] == '長男と', person
    districts = [d['district'] for d in summary['districts']]
    assert districts == sorted(districts, key=lambda d: (d is None, d)), districts
    ok(cli('check', db=db), 'check')


def test_support_sheet(tmp):
    db = seeded(tmp)
    listed = json.loads(ok(cli('support', 'list', '--json', db=db), 'list').out)
    district = listed[0]['district']
    in_district = [p for p in listed if p['district'] == district]
    districts = sorted({p['district'] for p in listed})
    pdf = os.path.join(tmp, 'visits.pdf')
    r = ok(cli('support', 'sheet', '--pdf', pdf, db=db), 'visit lists of everyone')
    assert f'{len(listed)} people' in r.out, r.out
    pages = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True, check=True,
                                                             text=True).stdout).group(1))
    assert pages >= len(districts), (pages, len(districts))  # a page (or more) a district
    text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, check=True).stdout.decode()
    for p in listed[:5]:
        assert p['name'] in text and p['address'][:8] in text, p
    # One district, as CSV: a row each, with a BOM for Excel.
    out = ok(cli('support', 'sheet', '--csv', '--district', district, db=db), 'one district as CSV').out
    rows = list(csv.reader(out.lstrip('\ufeff').splitlines()))
    assert len(rows) == len(in_district) + 1, (len(rows), len(in_district))
    assert {r[1] for r in rows[1:]} == {p['external_id'] for p in in_district}
    # By supporter: a person appears on their supporter's list.
    ok(cli('support', 'status', listed[0]['external_id'], '--set', 'helping', db=db), 'a report')
    helping = ok(cli('support', 'sheet', '--csv', '--status', 'helping', db=db), 'only helping').out
    assert len(list(csv.reader(helping.lstrip('\ufeff').splitlines()))) == 2, helping
    fails(cli('support', 'sheet', db=db), 2, 'neither --pdf nor --csv')
    fails(cli('support', 'sheet', '--csv', '--by', 'street', db=db), 2, 'a wrong --by')
    nobody = os.path.join(tmp, 'nobody.pdf')
    r = fails(cli('support', 'sheet', '--pdf', nobody, '--district', 'どこにもない町', db=db), 1, 'nobody matches')
    assert not os.path.exists(nobody) and not os.path.exists(nobody + '.part')


# ---- an exercise's printouts and files say so ----

EXERCISE_MARK = '訓練 EXERCISE — not real data'


def pdf_pages(path):
    """The text of each page of the PDF at PATH, as pdftotext reads it."""
    text = subprocess.run(['pdftotext', '-layout', path, '-'], capture_output=True, check=True).stdout.decode()
    pages = text.split('\f')
    if pages and not pages[-1].strip():
        pages.pop()   # after the last page's form feed
    return pages


def printouts(db, tmp, name):
    """Every PDF a person can print from DB, by the CLI: the status report,
    the evacuee cards of S01, the safety call sheets, the visit lists."""
    paths = {kind: os.path.join(tmp, f'{name}-{kind}.pdf') for kind in ('report', 'cards', 'calls', 'visits')}
    ok(cli('report', 'shelter-status', '--all', '--format', 'pdf', '--out', paths['report'], db=db), 'report pdf')
    ok(cli('qr', 'sheet', '--shelter', 'S01', '--pdf', paths['cards'], db=db), 'qr sheet')
    ok(cli('safety', 'missing', '--pdf', paths['calls'], db=db), 'call sheets')
    ok(cli('support', 'sheet', '--pdf', paths['visits'], db=db), 'visit lists')
    return paths


def exports(db, tmp, name):
    """Every CSV a person can take away from DB, by the CLI, as rows."""
    report = os.path.join(tmp, f'{name}-report.csv')
    ok(cli('report', 'shelter-status', '--all', '--format', 'csv', '--out', report, db=db), 'report csv')
    found = {'report': read_csv(report)}
    for kind, args in (('missing', ('safety', 'missing', '--csv')), ('visits', ('support', 'sheet', '--csv'))):
        out = ok(cli(*args, db=db), ' '.join(args)).out
        assert out.startswith('\ufeff'), out[:20]
        found[kind] = list(csv.reader(out[1:].splitlines()))
    return found


def test_exercise_marks(tmp):
    if MAKE_EXERCISE_DB is None:
        raise Skip('no make-exercise-db')
    exercise = os.path.join(tmp, 'exercise.db')
    r = subprocess.run([MAKE_EXERCISE_DB, exercise, SEEDS], capture_output=True, timeout=120)
    assert r.returncode == 0, r
    assert info(exercise)['is_exercise'] is True and info(exercise)['is_demo'] is False
    live = seeded(tmp)
    assert info(live)['is_exercise'] is False

    # Every page of every printout carries the band, in words a PDF search finds.
    for kind, path in printouts(exercise, tmp, 'exercise').items():
        pages = pdf_pages(path)
        assert pages, kind
        unmarked = [n for n, page in enumerate(pages, 1) if EXERCISE_MARK not in page]
        assert not unmarked, f'{kind}: pages {unmarked} of {len(pages)} say nothing of the exercise'
    for kind, path in printouts(live, tmp, 'live').items():
        assert not any('EXERCISE' in page or '訓練 EXERCISE' in page for page in pdf_pages(path)), kind

    # The cards still scan under the mark, each with its own strip.
    cards = os.path.join(tmp, 'exercise-cards.pdf')
    subprocess.run(['pdftoppm', '-r', '300', '-gray', '-png', cards, os.path.join(tmp, 'card')],
                   check=True, capture_output=True, timeout=120)
    pngs = sorted(f for f in os.listdir(tmp) if f.startswith('card') and f.endswith('.png'))
    texts = [t for png in pngs for t in zbar(os.path.join(tmp, png))]
    n_cards = sum(page.count('訓練 EXERCISE') - 1 for page in pdf_pages(cards))  # less the page's band
    assert len(texts) == n_cards == 30, (len(texts), n_cards)

    # Each CSV row starts with the mark, the first row's the whole sentence.
    for kind, rows in exports(exercise, tmp, 'exercise').items():
        assert rows[0][0] == EXERCISE_MARK, (kind, rows[0])
        assert all(row[0] == '訓練 EXERCISE' for row in rows[1:]), (kind, [r for r in rows if r[0] != '訓練 EXERCISE'])
        assert len(rows) > 2, kind
    for kind, rows in exports(live, tmp, 'live').items():
        assert not any('EXERCISE' in cell for row in rows for cell in row), kind

    # The JSON reports say which they are, first.
    for args in (('safety', 'summary', '--json'), ('support', 'summary', '--json')):
        for db, expected in ((exercise, True), (live, False)):
            report = json.loads(ok(cli(*args, db=db), ' '.join(args)).out)
            assert next(iter(report)) == 'is_exercise' and report['is_exercise'] is expected, (args, report)


def png_bytes(width=4, height=4, rgb=(40, 120, 200)):
    """A small valid PNG, made with zlib alone."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    raw = b''.join(b'\x00' + bytes(rgb) * width for _ in range(height))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def test_map_import_tiles(tmp):
    tiles = os.path.join(tmp, 'tiles')
    for z, x, y in [(0, 0, 0), (1, 0, 1), (1, 1, 1), (2, 3, 2)]:
        os.makedirs(os.path.join(tiles, str(z), str(x)), exist_ok=True)
        with open(os.path.join(tiles, str(z), str(x), f'{y}.png'), 'wb') as f:
            f.write(png_bytes(rgb=(z * 60, x * 60, y * 60)))
    out = os.path.join(tmp, 'map.mbtiles')
    r = ok(cli('map', 'import-tiles', tiles, '--out', out, '--attribution', '© みなと川市'), 'pack')
    assert 'Packed 4 tiles (zoom 0 to 2)' in r.out, r.out
    with sqlite3.connect(out) as c:
        meta = dict(c.execute('SELECT name, value FROM metadata'))
        # TMS rows: web row 2 at zoom 2 is row 1 counted from the south.
        [data] = c.execute('SELECT tile_data FROM tiles WHERE zoom_level = 2 AND tile_column = 3 AND tile_row = 1'
                           ).fetchone()
    assert meta['format'] == 'png' and meta['minzoom'] == '0' and meta['maxzoom'] == '2', meta
    assert meta['attribution'] == '© みなと川市' and meta['name'] == 'tiles', meta
    assert data == png_bytes(rgb=(120, 180, 120))
    # A broken tile refuses the folder, naming it; nothing is left at --out.
    broken = os.path.join(tiles, '1', '1', '0.png')
    with open(broken, 'wb') as f:
        f.write(png_bytes()[:30])
    again = os.path.join(tmp, 'again.mbtiles')
    r = fails(cli('map', 'import-tiles', tiles, '--out', again), 1, 'a broken tile')
    assert broken in r.err, r.err
    assert not os.path.exists(again) and not os.path.exists(again + '.part')
    fails(cli('map', 'import-tiles', tiles), 2, 'no --out')
    fails(cli('map', 'import-tiles', os.path.join(tmp, 'nowhere'), '--out', again), 1, 'no such folder')


MLIT_HEADER = ('"都道府県名","市区町村名","大字・丁目名","小字・通称名","街区符号・地番","座標系番号","Ｘ座標","Ｙ座標",'
               '"緯度","経度","住居表示フラグ","代表フラグ","更新前履歴フラグ","更新後履歴フラグ"\r\n')


def mlit_row(town, block, lat, lon, city='みなと川市'):
    return f'"みなと県","{city}","{town}","","{block}","9","0.0","0.0","{lat}","{lon}","1","1","0","0"\r\n'


def test_map_addresses_and_geocode(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    ref = os.path.join(tmp, 'ref.csv')
    with open(ref, 'wb') as f:
        f.write((MLIT_HEADER + mlit_row('東町二丁目', 5, '32.501000', '141.502000')
                 + mlit_row('東町二丁目', '甲3', '32.5', '141.5')).encode('cp932'))
    # Before any reference: every address says so.
    r = fails(cli('map', 'geocode', 'みなと川市東町2丁目5-1', db=db), 1, 'no reference yet')
    assert 'No address reference' in r.err, r.err
    r = ok(cli('map', 'import-addresses', ref, db=db), 'import-addresses')
    assert 'Imported 1 block' in r.out and 'CP932' in r.out and '1 row was left out' in r.out, r.out
    for written in ('みなと川市東町2丁目5-1', '東町二丁目５番地１', 'みなと川市東町2-5-1 みなと川ハイツ101号室'):
        r = ok(cli('map', 'geocode', written, db=db), written)
        assert r.out.split('\t')[1:] == ['32.501000', '141.502000\n'], r.out
    j = json.loads(ok(cli('map', 'geocode', '--json', 'みなと川市東町2丁目6-1', db=db), 'json').out)
    assert j['result'] == 'unknown_block' and 'lat' not in j and j['reason'], j
    j = json.loads(ok(cli('map', 'geocode', '--json', '東町二丁目5番地', db=db), 'json').out)
    assert j['result'] == 'found' and abs(j['lat'] - 32.501) < 1e-9, j
    # Bad coordinates refuse the file with its line; what was there stays.
    bad = os.path.join(tmp, 'bad.csv')
    with open(bad, 'wb') as f:
        f.write((MLIT_HEADER + mlit_row('東町二丁目', 6, '32.5', '141.5') + mlit_row('東町二丁目', 7, '141.5', '32.5'))
                .encode('cp932'))
    r = fails(cli('map', 'import-addresses', bad, db=db), 1, 'swapped coordinates')
    assert bad in r.err and 'Line 3' in r.err, r.err
    ok(cli('map', 'geocode', '東町2丁目5-1', db=db), 'still there')
    fails(cli('map', 'geocode', '東町2丁目6-1', db=db), 1, 'nothing of the bad file')
    # A file that is not a reference at all.
    other = os.path.join(tmp, 'other.csv')
    with open(other, 'w', encoding='utf-8') as f:
        f.write('氏名,住所\n山田,東町2-5-1\n')
    r = fails(cli('map', 'import-addresses', other, db=db), 1, 'not a reference')
    assert '大字・丁目名' in r.err or '都道府県名' in r.err, r.err


def test_map_use_tiles(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    # Not a map: refused, and no map is set.
    r = fails(cli('map', 'use-tiles', db, db=db), 1, 'a database that is not a map')
    assert 'not a base map' in r.err, r.err
    r = ok(cli('map', 'use-tiles', os.path.join(SEEDS, 'map.mbtiles'), db=db), 'use-tiles')
    assert 'zoom 12 to 16' in r.out, r.out
    with sqlite3.connect(db) as c:
        [path] = c.execute('SELECT path FROM map_base').fetchone()
    assert os.path.isabs(unix_path(path)) and path.endswith('map.mbtiles'), path


def test_seed_loads_the_map(tmp):
    db = seeded(tmp)
    with sqlite3.connect(db) as c:
        [blocks] = c.execute('SELECT count(*) FROM map_addresses').fetchone()
        [path] = c.execute('SELECT path FROM map_base').fetchone()
        addresses = [a for (a,) in c.execute('SELECT address FROM support_persons WHERE listed = 1')]
    assert blocks == 1410 and unix_path(path).endswith('seeds/map.mbtiles'), (blocks, path)
    # Every demo address is on the demo map.
    for a in addresses[:40]:
        ok(cli('map', 'geocode', a, db=db), a)


def test_staff_set_pin(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    ok(cli('staff', 'add', '--staff-no', '42', '--name', 'N', '--role', 'lead', db=db), 'staff add')
    [s] = json.loads(ok(cli('staff', 'list', '--json', db=db), 'staff list').out)
    assert s['has_pin'] is False, s
    fails(cli('staff', 'set-pin', '42', db=db, stdin=b'12\n'), 1, 'a PIN that is too short')
    fails(cli('staff', 'set-pin', '42', db=db, stdin=b''), 1, 'no PIN at all')
    # A second line is refused, not cut off: "4321\n5678" is not the PIN 4321.
    for two_lines in (b'4321\n5678', b'4321\n5678\n', b'  2468\r\nignored\n'):
        r = fails(cli('staff', 'set-pin', '42', db=db, stdin=two_lines), 1, repr(two_lines))
        assert 'one line' in r.err, r
        assert '4321' not in r.err and '5678' not in r.err, r
        [s] = json.loads(ok(cli('staff', 'list', '--json', db=db), 'staff list').out)
        assert s['has_pin'] is False, (two_lines, s)
    fails(cli('staff', 'add', '--staff-no', '43', '--name', 'M', '--role', 'lead', '--pin-stdin', db=db,
          stdin=b'4321\n5678'),
          1, 'staff add with two lines')
    # A lead reads every evacuee's record: four digits are too few.
    r = fails(cli('staff', 'set-pin', '42', db=db, stdin=b'2468\n'), 1, "a lead's 4-digit PIN")
    assert '6 to 8 digits' in r.err, r
    ok(cli('staff', 'set-pin', '42', db=db, stdin=b'  246813\r\n\n'), 'set-pin')
    [s] = json.loads(ok(cli('staff', 'list', '--json', db=db), 'staff list').out)
    assert s['has_pin'] is True, s
    fails(cli('staff', 'set-pin', '43', db=db, stdin=b'2468\n'), 1, 'set-pin for nobody')
    assert [x['staff_no'] for x in json.loads(ok(cli('staff', 'list', '--json', db=db), 'list').out)] == ['42']


def test_staff_duplicate(tmp):
    db = seeded(tmp)
    r = fails(cli('staff', 'add', '--staff-no', '1001', '--name', '重複 一郎', '--role', 'lead', db=db),
              1, 'a staff number used twice')
    assert '重複' not in r.err, 'a name went to stderr'


def test_unknown_command(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    fails(cli('frobnicate', db=db), 2, 'unknown command')
    fails(cli('shelter', 'demolish', db=db), 2, 'unknown subcommand')
    fails(cli('info', '--bogus', db=db), 2, 'unknown option')
    fails(cli('shelter', 'open', db=db), 2, 'missing argument')
    fails(cli(db=db), 2, 'no command')


def test_missing_db(tmp):
    r = fails(cli('info'), 2, 'no --db')
    assert '--db' in r.err, r


def test_help(tmp):
    r = ok(cli('--help'), '--help')
    assert 'shelter add' in r.out, r
    assert 'duplicates merge' in r.out, r
    r = ok(cli('staff', 'add', '--help'), 'staff add --help')
    assert '--pin-stdin' in r.out, r


def test_garbage_file(tmp):
    db = os.path.join(tmp, 'garbage.db')
    with open(db, 'wb') as f:
        f.write(os.urandom(4096))
    before = read_bytes(db)
    r = fails(cli('info', db=db), 1, 'a file of random bytes')
    assert 'not a ShelterDesk database' in r.err, r
    fails(cli('shelter', 'add', '--code', 'X', '--name', 'x', '--kind', 'welfare',
              '--capacity', '1', db=db), 1, 'writing to a file of random bytes')
    assert read_bytes(db) == before, 'the file was changed'
    assert sorted(os.listdir(tmp)) == ['garbage.db'], os.listdir(tmp)


def test_read_only(tmp):
    if os.geteuid() == 0:
        raise Skip('running as root')
    db = seeded(tmp)
    os.chmod(db, 0o444)
    before = read_bytes(db)
    data = info(db)
    assert data['counts']['shelters'] == 12, data
    r = fails(cli('shelter', 'open', 'S01', db=db), 1, 'writing a read-only database')
    assert 'read-only' in r.err or 'cannot be written' in r.err, r
    assert read_bytes(db) == before


def test_newer_version(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    subprocess.run(['sqlite3', db, 'PRAGMA user_version=99'], check=True)
    r = fails(cli('info', db=db), 1, 'a database from a newer ShelterDesk')
    assert 'newer' in r.err, r


def test_bad_seed(tmp):
    seeds = os.path.join(tmp, 'seeds')
    shutil.copytree(SEEDS, seeds)
    path = os.path.join(seeds, 'support-list.csv')
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    header = lines[0].split(',')
    col = header.index('birth_date')
    row = lines[5].split(',')          # line 6 of the file: the fifth record
    row[col] = '1950-02-30'
    lines[5] = ','.join(row)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))

    db = os.path.join(tmp, 'site.db')
    init(db)
    r = fails(cli('seed', 'load', seeds, db=db), 1, 'a seed folder with a bad date')
    assert 'support-list.csv' in r.err, r
    assert re.search(r'\b6\b', r.err), f'no line number: {r!r}'
    data = info(db)
    assert nothing_loaded(data), f'half a load was kept: {data}'
    assert data['is_demo'] is False, data


def test_seed_refusals(tmp):
    """Each damaged copy of the demo folder is refused, naming the file and
    line, and leaves the database as it was."""

    def edit_lines(seeds, name, change):
        path = os.path.join(seeds, name)
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        change(lines)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))

    def drop_field(lines):
        row = lines[1].split(',')
        del row[5]                       # the address: the phone would land there
        lines[1] = ','.join(row)

    def extra_field(lines):
        lines[1] += ',extra'

    def duplicate_id(lines):
        lines[2] = lines[1].split(',')[0] + ',' + lines[2].split(',', 1)[1]

    def lower_case_code(lines):
        lines.insert(len([x for x in lines if x]), 's01,' + lines[1].split(',', 1)[1])

    def mislabel(seeds):
        path = os.path.join(seeds, 'manifest.json')
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
        [entry] = [f for f in manifest['files'] if f['path'] == 'support-list.csv']
        entry['encoding'] = 'CP932'
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(manifest, f, ensure_ascii=False)

    def phone_number(seeds):
        path = os.path.join(seeds, 'evacuees.json')
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        data['households'][0]['phone'] = 9012345678
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(data, f, ensure_ascii=False)

    def link_out(seeds):
        outside = os.path.join(tmp, 'elsewhere.csv')
        shutil.copy(os.path.join(seeds, 'staff.csv'), outside)
        os.unlink(os.path.join(seeds, 'staff.csv'))
        os.symlink(outside, os.path.join(seeds, 'staff.csv'))

    cases = [
        ('a field missing', lambda d: edit_lines(d, 'support-list.csv', drop_field), 'support-list.csv, line 2:'),
        ('a field too many', lambda d: edit_lines(d, 'support-list.csv', extra_field), 'support-list.csv, line 2:'),
        ('external_id twice', lambda d: edit_lines(d, 'support-list.csv', duplicate_id), 'support-list.csv, line 3:'),
        ('s01 beside S01', lambda d: edit_lines(d, 'shelters.csv', lower_case_code), 'shelters.csv, line 14:'),
        ('UTF-8 labelled CP932', mislabel, 'support-list.csv:'),
        ('a phone as a number', phone_number, 'evacuees.json, household 1:'),
    ]
    if not UNDER_WINE:  # links need an administrator on Windows; Wine shows a Unix one as a file
        cases.append(('a link out of the folder', link_out, '“staff.csv” is a link'))
    for n, (what, damage, words) in enumerate(cases):
        seeds = os.path.join(tmp, f'seeds-{n}')
        shutil.copytree(SEEDS, seeds)
        damage(seeds)
        db = os.path.join(tmp, f'site-{n}.db')
        init(db)
        r = fails(cli('seed', 'load', seeds, db=db), 1, what)
        assert words in r.err, (what, words, r)
        only_the_message(r, what)
        data = info(db)
        assert nothing_loaded(data), (what, data)
        assert data['is_demo'] is False, (what, data)

    # The demo folder into a database with real data: refused, and the
    # database does not become a demo that signs in without a PIN.
    db = os.path.join(tmp, 'real.db')
    init(db)
    ok(cli('shelter', 'add', '--code', 'R01', '--name', '本物の避難所', '--kind', 'designated', '--capacity', '0',
           db=db), 'add')
    r = fails(cli('seed', 'load', SEEDS, db=db), 1, 'the demo into a real database')
    assert 'demo' in r.err, r
    data = info(db)
    assert data['is_demo'] is False and data['counts']['shelters'] == 1, data
    # A shelter code in another case is the same code.
    fails(cli('shelter', 'add', '--code', 'r01', '--name', 'x', '--kind', 'designated', '--capacity', '0', db=db),
          1, 'r01 beside R01')


def test_empty_seed_files(tmp):
    db = os.path.join(tmp, 'site.db')
    init(db)
    for name in ('manifest.json', 'evacuees.json'):
        seeds = os.path.join(tmp, 'seeds-' + name)
        shutil.copytree(SEEDS, seeds)
        open(os.path.join(seeds, name), 'w').close()
        r = fails(cli('seed', 'load', seeds, db=db), 1, 'an empty ' + name)
        assert name in r.err and 'empty' in r.err, r
        only_the_message(r, 'an empty ' + name)
        assert len(r.err.strip().split('\n')) == 1, r
    assert nothing_loaded(info(db))


def test_invalid_utf8(tmp):
    if UNDER_WINE:
        raise Skip('a Windows command line is UTF-16: it cannot carry bytes that are not UTF-8')
    db = os.path.join(tmp, 'site.db')
    init(db)
    argv = [CLI.encode(), b'--db', db.encode(), b'shelter', b'add', b'--code', b'X1',
            b'--name', b'\xff', b'--kind', b'welfare', b'--capacity', b'1']
    r = Result(subprocess.run(argv, capture_output=True, env=env_without_db(), timeout=60))
    assert r.status in (1, 2), r
    assert 'UTF-8' in r.err, r
    assert info(db)['counts']['shelters'] == 0


def test_check(tmp):
    db = seeded(tmp)
    r = ok(cli('check', db=db), 'check')
    assert r.out.strip() == 'ok', r


def test_write_behind_the_core(tmp):
    db = seeded(tmp)
    con = sqlite3.connect(db)
    try:
        try:
            con.execute("INSERT INTO shelters (id, code, name, kind) VALUES ('x','X1','x','designated')")
            con.commit()
        except sqlite3.Error as e:
            assert 'sd_capture' in str(e), e
        else:
            raise AssertionError('plain SQLite wrote a synced table')
        con.execute('DROP TRIGGER capture_shelters_insert')
        con.execute("INSERT INTO shelters (id, code, name, kind) VALUES ('x','X1','x','designated')")
        con.commit()
    finally:
        con.close()
    r = fails(cli('info', db=db), 1, 'a database changed outside ShelterDesk')
    assert 'outside ShelterDesk' in r.err, r
    r = fails(cli('check', db=db), 1, 'check of a database changed outside ShelterDesk')
    assert 'outside ShelterDesk' in r.err, r


def test_kiosk_setup(tmp):
    """Issue 13: the kiosk's database from a deployment folder: made once,
    the kiosk user's alone; never over an existing one, not twice at once,
    and a failed one leaves nothing behind."""
    # Run as root, the set-up works as the kiosk's user (--user; the
    # package makes "shelterdesk", which a test machine does not have).
    # Windows has no such switch: it is set up as the kiosk's own account.
    as_user = ['--user', 'root'] if os.geteuid() == 0 and not UNDER_WINE else []
    db = os.path.join(tmp, 'site.sqlite')
    if UNDER_WINE:
        r = fails(cli('kiosk', 'setup', SEEDS, '--user', 'someone', db=db), 1, 'another account on Windows')
        assert 'sign in as' in r.err and not os.path.exists(db), r
    elif os.geteuid() == 0:
        r = fails(cli('kiosk', 'setup', SEEDS, '--user', 'no-such-kiosk-user', db=db), 1, 'no kiosk user')
        assert 'install the shelterdesk package' in r.err, r
        # It really works as that user: nobody may not write in a folder
        # of root's, and owns what it makes in one it may.
        r = fails(cli('kiosk', 'setup', SEEDS, '--user', 'nobody', db=db), 1, 'as nobody in root\'s folder')
        assert 'Permission denied' in r.err and not os.path.exists(db), r
        shared = os.path.join(tmp, 'shared')
        os.mkdir(shared)
        os.chmod(shared, 0o777)
        os.chmod(tmp, 0o711)  # nobody may pass through to it
        ok(cli('kiosk', 'setup', SEEDS, '--user', 'nobody', db=os.path.join(shared, 'site.sqlite')), 'as nobody')
        assert os.stat(os.path.join(shared, 'site.sqlite')).st_uid == pwd.getpwnam('nobody').pw_uid
    # A dangling symbolic link is not followed (Windows: links need an
    # administrator to make; Wine shows a Unix one as a file).
    if not UNDER_WINE:
        link = os.path.join(tmp, 'link.sqlite')
        os.symlink(os.path.join(tmp, 'elsewhere'), link)
        fails(cli('kiosk', 'setup', SEEDS, *as_user, db=link), 1, 'kiosk setup over a link')
        assert not os.path.exists(os.path.join(tmp, 'elsewhere'))

    r = ok(cli('kiosk', 'setup', SEEDS, '--site-name', '東小学校', *as_user, db=db), 'kiosk setup')
    if UNDER_WINE:
        assert 'shelterdesk.exe --kiosk' in r.out and 'deploy-windows.md' in r.out, r
    else:
        assert 'systemctl enable --now shelterdesk-kiosk' in r.out, r
        assert os.stat(db).st_mode & 0o777 == 0o600  # Windows' access list: test-platform
    data = info(db)
    assert data['site_name'] == '東小学校' and data['counts']['persons'] > 0, data
    before = read_bytes(db)
    r = fails(cli('kiosk', 'setup', SEEDS, *as_user, db=db), 1, 'kiosk setup again')
    assert 'already exists' in r.err, r
    assert read_bytes(db) == before

    # No --db on Windows: %PROGRAMDATA%\ShelterDesk, which nothing installs
    # (the installer never writes the site's data), is made by the set-up,
    # and the desk's --kiosk opens what it made there.  (On Linux the
    # package makes /var/lib/shelterdesk, which a test machine need not
    # have.)
    if UNDER_WINE:
        site = os.path.join(os.environ['WINEPREFIX'], 'drive_c', 'ProgramData', 'ShelterDesk')
        shutil.rmtree(site, ignore_errors=True)
        r = ok(cli('kiosk', 'setup', SEEDS), 'kiosk setup in ProgramData')
        assert 'C:\\ProgramData\\ShelterDesk\\site.sqlite' in r.out, r
        assert info(os.path.join(site, 'site.sqlite'))['counts']['persons'] == data['counts']['persons']
        shutil.rmtree(site)

    # Two at once: one does it, the other says another is running.
    db2 = os.path.join(tmp, 'twice.sqlite')
    argv = [CLI, '--db', db2, 'kiosk', 'setup', SEEDS, *as_user]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_without_db())
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert sorted(status for status, _ in results) == [0, 1], results
    assert any('Another set-up' in err or 'already exists' in err for _, err in results), results
    assert info(db2)['counts']['persons'] == data['counts']['persons']
    assert not os.path.exists(db2 + '.setup')

    # A folder that is not a deployment: refused, nothing left behind.
    bad = os.path.join(tmp, 'not-a-deployment')
    os.mkdir(bad)
    with open(os.path.join(bad, 'shelters.csv'), 'w', encoding='utf-8') as f:
        f.write('this is not,a shelter list\n')
    db3 = os.path.join(tmp, 'bad.sqlite')
    fails(cli('kiosk', 'setup', bad, *as_user, db=db3), 1, 'kiosk setup from a bad folder')
    assert not any(os.path.exists(db3 + s) for s in ('', '-wal', '-shm', '.setup')), os.listdir(tmp)


def mark_exercise(db):
    """Marks DB a tabletop exercise in its file, as ShelterDesk does for a blank one; for a
    database that belongs to a deployment, only a changed file can."""
    con = sqlite3.connect(db)
    try:
        con.execute('UPDATE site SET is_exercise = 1 WHERE id = 1')
        con.commit()
    finally:
        con.close()


def test_batch_import_exercise(tmp):
    """Exercise and live data never mix: the JSON summary shows the batch refused and why."""
    hq, kiosk = os.path.join(tmp, 'hq.sqlite'), os.path.join(tmp, 'kiosk.sqlite')
    init(hq, '--site-name', 'HQ')
    bundle = os.path.join(tmp, 'deploy.sdbundle')
    made = json.loads(ok(cli('deploy', 'bundle', '--out', bundle, '--json', db=hq), 'deploy bundle').out)
    init(kiosk, '--site-name', 'K1')
    enrolled = json.loads(ok(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], '--json',
                                 db=kiosk), 'deploy enrol').out)
    mark_exercise(kiosk)
    stick = os.path.join(tmp, 'stick')
    os.mkdir(stick)
    batch = json.loads(ok(cli('batch', 'export', '--to', 'hq', '--out', stick, '--json', db=kiosk),
                          'batch export').out)['file']
    before = read_bytes(hq)
    r = fails(cli('batch', 'import', '--enrol', enrolled['fingerprint'], batch, db=hq), 1,
              'an exercise\'s batch into a live HQ')
    summary = json.loads(r.out)
    assert summary['refused'] == 1 and summary['applied'] == 0, summary
    refused = summary['files'][0]
    assert refused['result'] == 'refused' and refused['reason'] == 'exercise', refused
    assert 'comes from a tabletop exercise (訓練) and this database holds real data' in refused['message'], refused
    assert '1 batch was refused' in r.err, r
    assert read_bytes(hq) == before
    assert json.loads(ok(cli('sync', 'status', '--json', db=hq), 'sync status').out)['peers'] == []

    # A database made for an exercise is not enrolled from a real deployment's bundle.
    exercise = os.path.join(tmp, 'exercise.sqlite')
    init(exercise, '--site-name', 'K2')
    mark_exercise(exercise)
    before = read_bytes(exercise)
    r = fails(cli('deploy', 'enrol', bundle, '--passphrase', made['passphrase'], db=exercise), 1,
              'a live bundle into an exercise database')
    assert 'bundle is of a real deployment and this database was made for a tabletop exercise' in r.err, r
    assert read_bytes(exercise) == before


TESTS = [
    ('kiosk setup', test_kiosk_setup),
    ('init and info --json', test_init_info),
    ('SHELTERDESK_DB and --db=FILE', test_env_fallback),
    ('init twice keeps the site', test_init_twice),
    ('init refuses files that are not databases', test_init_refuses_other_files),
    ('seed load and counts', test_seed_load),
    ('shelter list --json', test_shelter_list),
    ('shelter add, open, close', test_shelter_add_open_close),
    ('shelter guide: shown, changed line by line, bad lines refused by name, printed in vi and in all',
     test_shelter_guide),
    ('staff add with a PIN on stdin', test_staff_add_with_pin),
    ('staff set-pin', test_staff_set_pin),
    ('staff add with a duplicate number', test_staff_duplicate),
    ('unknown command is a usage error', test_unknown_command),
    ('missing --db is a usage error', test_missing_db),
    ('--help', test_help),
    ('a file of random bytes is refused and left alone', test_garbage_file),
    ('a read-only database', test_read_only),
    ('a database from a newer version', test_newer_version),
    ('a bad seed row loads nothing', test_bad_seed),
    ('an empty manifest or evacuees file says so, and only that', test_empty_seed_files),
    ('seed load refuses bad rows, mislabelled files, links out and a demo over real data',
     test_seed_refusals),
    ('invalid UTF-8 in an argument', test_invalid_utf8),
    ('check on a seeded database', test_check),
    ('a write behind the core is caught', test_write_behind_the_core),
    ('evacuee add, then search in every form', test_evacuee_add_and_search),
    ('evacuee search yamada: romaji, accents and variation selectors', test_search_romaji_and_accents),
    ('check-in events and history', test_events_and_history),
    ('a possible duplicate is refused, never merged', test_duplicates_refused),
    ('duplicates merge: one record found, the other closed', test_duplicates_merge),
    ('the same person keeps what is known', test_same_person_keeps_what_is_known),
    ('bad households save nothing', test_evacuee_bad_input),
    ('evacuee add reads one strict JSON object', test_evacuee_json_is_strict),
    ('evacuee add refuses wrong types, unknown fields and hidden characters by name',
     test_evacuee_fields_are_strict),
    ('enquire respects consent', test_enquire_respects_consent),
    ('report shelter-status as CSV and PDF', test_report_shelter_status),
    ('report CSV: no cell starts a formula', test_report_csv_formulas),
    ('qr issue, then scan it in each mode; forged and half codes refused', test_qr_issue_and_scan),
    ('qr scan in parallel: one code, one event', test_qr_scan_in_parallel),
    ('qr mode shows and sets the scan settings', test_qr_mode),
    ('qr sheet: every card on the PDF scans to one of the shelter\'s people', test_qr_sheet),
    ('qr prereg: era date, Shift_JIS file, too large', test_qr_prereg),
    ('qr key export and import between two kiosks', test_qr_card_key),
    ('safety: roll-call, answers, double press, history, summary, missing CSV, close', test_safety_rollcall),
    ('safety: bad answers refused with a message, nothing half-stored', test_safety_bad_input),
    ('safety import: a service’s CSV in Shift_JIS, once only, bad rows refuse the file', test_safety_import),
    ('support import: CP932 welfare export, preview, apply, leavers marked, bad rows refused', test_support_import),
    ('support status: reports, double press, summary, unconfirmed list', test_support_status),
    ('support sheet: visit lists by district as PDF and CSV', test_support_sheet),
    ('an exercise: every printed page, CSV row and JSON report says so; a live database’s never',
     test_exercise_marks),
    ('map import-tiles: a z/x/y.png folder packed into MBTiles; a broken tile refused', test_map_import_tiles),
    ('map import-addresses and geocode: CP932 reference, addresses written many ways, bad rows refused',
     test_map_addresses_and_geocode),
    ('map use-tiles: a real MBTiles file remembered, anything else refused', test_map_use_tiles),
    ('batch import: an exercise\'s batch into a live database is refused, and says why', test_batch_import_exercise),
    ('seed load: the demo’s map and address reference, every demo address placed', test_seed_loads_the_map),
]


def run_case_once(n, name, func):
    """Runs one case in a folder of its own: its TAP lines, and whether it failed."""
    tmp = tempfile.mkdtemp(prefix='sd-cli-test-')
    try:
        func(tmp)
    except Skip as e:
        return [f'ok {n} - {name} # SKIP {e}'], False
    except Exception:
        return [f'not ok {n} - {name}'] + [f'# {line}' for line in traceback.format_exc().rstrip().split('\n')], True
    else:
        return [f'ok {n} - {name}'], False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_case(n, name, func):
    """As run_case_once (); under Wine a failed case runs once more, in a new
    folder, its first failure kept as a comment.  Wine now and then ends a
    Windows program with SIGKILL as it exits, after it has done its work
    (seen as exit -9, or a message on stderr lost), most under load: a
    fault of the program fails twice."""
    lines, bad = run_case_once(n, name, func)
    if bad and UNDER_WINE:
        again, bad = run_case_once(n, name, func)
        lines = again + ['# under Wine, the first run of this case failed:'] + ['#' + line[1:] if line.startswith('#')
                                                                             else '# ' + line for line in lines]
    return lines, bad


def main():
    # Words after the three paths pick the cases whose names hold one of
    # them (a slow run, under Wine, of the cases a change touched).
    words = sys.argv[4:]
    chosen = [(name, func) for name, func in TESTS if not words or any(word in name for word in words)]
    # Each case has a folder of its own and runs programs: under Wine, where
    # a program takes a second to start, two at a time (SD_CLI_JOBS) keep
    # both cores busy; the report stays in order.
    jobs = int(os.environ.get('SD_CLI_JOBS', '2' if UNDER_WINE else '1'))
    print(f'1..{len(chosen)}', flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        futures = [pool.submit(run_case, n, name, func) for n, (name, func) in enumerate(chosen, 1)]
        for future in futures:
            lines, bad = future.result()
            failed += bad
            print('\n'.join(lines), flush=True)
            if bad:
                # A failed test's standard error is what a CI log shows of it.
                print('\n'.join(lines), file=sys.stderr, flush=True)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
