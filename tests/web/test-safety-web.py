#!/usr/bin/env python3
# test-safety-web.py: the staff safety web form (/safety) of `shelterdesk-cli serve`, as a phone uses it; TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-safety-web.py PATH/TO/shelterdesk-cli PATH/TO/seeds
#
# HQ's database is made as a person makes it (init, seed load, deploy
# bundle); the receiver is the real `serve` on 127.0.0.1 and a free port.
# Each test talks HTTP to it as a browser with JavaScript off does (form
# posts, a cookie jar), and reads what was stored with sqlite3.  The run
# under Debian's chromium is test-safety-browser.py.

import http.client
import json
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

CLI = SEEDS = None   # configure()


def configure(cli_path, seeds):
    global CLI, SEEDS
    CLI = os.path.abspath(cli_path)
    SEEDS = os.path.abspath(seeds)
LOOPBACK = '127.0.0.1'
LEAD, LEAD_PIN = '1001', '123456'
VOLUNTEER, VOLUNTEER_PIN = '1002', '1111'


def env():
    e = dict(os.environ)
    e.pop('SHELTERDESK_DB', None)
    e.setdefault('LC_ALL', 'C.UTF-8')
    return e


def cli(*args, db):
    proc = subprocess.run([CLI, '--db', db] + list(args), capture_output=True, env=env(), timeout=120)
    assert proc.returncode == 0, f'{args}: {proc.stderr.decode()}'
    return proc.stdout.decode()


def make_template():
    d = tempfile.mkdtemp(prefix='sd-web-template-')
    hq = os.path.join(d, 'hq.sqlite')
    cli('init', '--site-name', 'HQ', db=hq)
    cli('seed', 'load', SEEDS, db=hq)
    cli('deploy', 'bundle', '--out', os.path.join(d, 'deploy.sdbundle'), db=hq)
    return d


class Server:
    def __init__(self, db, tls=None, extra_env=None, safety_only=False):
        argv = [CLI, '--db', db, 'serve', '--listen', f'{LOOPBACK}:0'] + (['--safety-only'] if safety_only else [])
        if tls:
            argv += ['--tls-cert', tls[0], '--tls-key', tls[1]]
        e = env()
        e['G_MESSAGES_DEBUG'] = 'all'
        e.update(extra_env or {})
        # GLib writes debug messages to stdout: everything goes to one file.
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=e)
        deadline = time.monotonic() + 30
        while True:
            self.log.seek(0)
            m = re.search(r'https?://127\.0\.0\.1:(\d+)', self.log.read().decode('utf-8', errors='replace'))
            if m:
                break
            assert self.proc.poll() is None and time.monotonic() < deadline, 'serve did not start'
            time.sleep(0.05)
        self.port = int(m.group(1))
        self.tls = tls is not None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.seek(0)
        return self.log.read().decode('utf-8', errors='replace')


class Phone:
    """A browser with JavaScript off: a cookie jar and form posts."""

    def __init__(self, server, language='ja'):
        self.server = server
        self.cookies = {}
        self.language = language

    def request(self, method, path, fields=None, body=None, headers=None):
        if self.server.tls:
            conn = http.client.HTTPSConnection(LOOPBACK, self.server.port, timeout=30,
                                               context=ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=30)
        h = {'Accept-Language': self.language}
        if self.cookies:
            h['Cookie'] = '; '.join(f'{k}={v}' for k, v in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            h['Content-Type'] = 'application/x-www-form-urlencoded'
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        page = r.read().decode('utf-8')
        for name, value in r.getheaders():
            if name.lower() == 'set-cookie':
                k, v = value.split(';')[0].split('=', 1)
                if 'Max-Age=0' in value:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        conn.close()
        return r.status, page, dict((k.lower(), v) for k, v in r.getheaders())

    def sign_in(self, staff_no, pin):
        status, page, headers = self.request('POST', '/safety/signin', {'staff_no': staff_no, 'pin': pin})
        if status == 303:
            assert headers['location'] == '/safety'
            return self.request('GET', '/safety')[:2]
        return status, page

    def hidden(self, page, name):
        m = re.search(rf'name="{name}" value="([^"]*)"', page)
        assert m, f'no {name} in the page'
        return m.group(1)

    def answer(self, page, **fields):
        fields = dict(fields)
        fields.setdefault('csrf', self.hidden(page, 'csrf'))
        fields.setdefault('rollcall', self.hidden(page, 'rollcall'))
        return self.request('POST', '/safety/answer', fields)[:2]


def notice(page):
    m = re.search(r'<div class="notice" role="alert">([^<]*)</div>', page)
    return m.group(1) if m else None


def answers(db, staff_no):
    with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as c:
        return c.execute('SELECT a.safety, a.location, a.location_note, a.can_report, a.means, a.arrival, a.message, '
                         'a.via FROM safety_answers a JOIN staff s ON s.id = a.staff_id '
                         'JOIN rollcalls r ON r.id = a.rollcall_id '
                         'WHERE s.staff_no = ? AND r.closed_at IS NULL ORDER BY a.answered_at, a.hlc',
                         (staff_no,)).fetchall()


GOOD = {'safety': 'minor', 'location': 'other', 'location_note': '実家', 'can_report': 'yes', 'means': 'car',
        'arrival': 'within_1h', 'message': '<b>遅れます</b>'}

# ---- the tests ----


def test_answer_in_japanese(tmp, db, server):
    phone = Phone(server)
    status, page = phone.request('GET', '/safety')[:2]
    assert status == 200 and 'lang="ja"' in page and '職員番号' in page, page
    assert '<script' not in page
    status, page = phone.sign_in(LEAD, LEAD_PIN)
    assert status == 200 and '中村 秀樹' in page and '訓練' in page, page
    before = len(answers(db, LEAD))
    status, done = phone.answer(page, **GOOD)
    assert status == 200 and 'role="status"' in done, done
    # What the person wrote is shown as text, never as markup.
    assert '&lt;b&gt;遅れます&lt;/b&gt;' in done and '<b>遅れます' not in done
    rows = answers(db, LEAD)
    assert len(rows) == before + 1
    assert rows[-1] == ('minor', 'other', '実家', 1, 'car', 'within_1h', '<b>遅れます</b>', 'web'), rows[-1]
    # The form sent twice (a double tap, a reload) is stored once.
    status, _ = phone.answer(page, **GOOD)
    assert status == 200 and len(answers(db, LEAD)) == before + 1
    # A later answer supersedes; the history stays.
    status, _ = phone.answer(page, safety='unhurt', location='home', can_report='no')
    assert status == 200
    rows = answers(db, LEAD)
    assert len(rows) == before + 2 and rows[-1][:6] == ('unhurt', 'home', None, 0, None, None), rows[-1]
    # HQ's list shows the newest, as the dashboard does.
    listed = json.loads(cli('safety', 'list', '--json', db=db))
    mine = [a for a in listed['answers'] if a['staff_no'] == LEAD]
    assert len(mine) == 1 and mine[0]['safety'] == 'unhurt' and mine[0]['via'] == 'web', mine


def test_english(tmp, db, server):
    phone = Phone(server, language='en-GB,en;q=0.8')
    status, page = phone.request('GET', '/safety')[:2]
    assert 'lang="en"' in page and 'Staff number' in page, page
    # ?lang= wins over the phone's setting, and is remembered.
    status, page = Phone(server).request('GET', '/safety?lang=en')[:2]
    assert 'lang="en"' in page
    phone = Phone(server)
    phone.request('GET', '/safety?lang=en')
    status, page = phone.sign_in(VOLUNTEER, VOLUNTEER_PIN)
    assert 'lang="en"' in page and 'Are you hurt?' in page, page


def test_unanswered_question_keeps_the_rest(tmp, db, server):
    phone = Phone(server)
    _, page = phone.sign_in(VOLUNTEER, VOLUNTEER_PIN)
    before = len(answers(db, VOLUNTEER))
    status, again = phone.answer(page, safety='unhurt', location='home', can_report='yes', means='walk')
    assert status == 422 and notice(again), again
    # What was chosen stays chosen.
    assert 'value="unhurt" checked' in again and 'value="walk" checked' in again
    status, again = phone.answer(page, safety='unhurt', location='other', location_note=' ', can_report='no')
    assert status == 422 and notice(again)
    assert len(answers(db, VOLUNTEER)) == before


def test_tampered_form(tmp, db, server):
    phone = Phone(server)
    _, page = phone.sign_in(VOLUNTEER, VOLUNTEER_PIN)
    before = len(answers(db, VOLUNTEER))
    status, again = phone.answer(page, safety='fine', location='home', can_report='no')
    assert status == 422 and notice(again), again
    status, again = phone.answer(page, safety='unhurt', location='home', can_report='maybe')
    assert status == 422
    status, again = phone.answer(page, csrf='0' * 32, safety='unhurt', location='home', can_report='no')
    assert status == 403 and notice(again)
    status, again = phone.answer(page, rollcall='00000000-0000-0000-0000-000000000000', safety='unhurt',
                                 location='home', can_report='no')
    assert status == 409 and notice(again)
    status, again = phone.answer(page, safety='unhurt', location='home', can_report='no', message='x' * 501)
    assert status == 422
    # Bytes that are not text in a field: refused, and the page given back is text.
    body = (f'csrf={phone.hidden(page, "csrf")}&rollcall={phone.hidden(page, "rollcall")}&safety=unhurt'
            '&location=other&location_note=%E5%AE&can_report=no&message=%ff%fe%e3').encode()
    status, again, _ = phone.request('POST', '/safety/answer', body=body,
                                     headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 422 and notice(again), again
    assert len(answers(db, VOLUNTEER)) == before
    # Without the session's cookie: sign in again.
    stranger = Phone(server)
    status, again = stranger.request('POST', '/safety/answer', {'csrf': phone.hidden(page, 'csrf'),
                                                               'safety': 'unhurt', 'location': 'home',
                                                               'can_report': 'no'})[:2]
    assert status == 401 and 'name="pin"' in again
    assert len(answers(db, VOLUNTEER)) == before


def test_wrong_pin_and_lockout(tmp, db, server):
    phone = Phone(server)
    status, page = phone.sign_in('999999', '1234')
    assert status == 401 and notice(page)
    for i in range(4):
        status, page = phone.sign_in(VOLUNTEER, '0000')
        assert status == 401 and notice(page), (i, status)
        assert 'value="1002"' in page   # the number stays typed
    status, page = phone.sign_in(VOLUNTEER, '0000')
    assert status == 429 and notice(page), (status, page)
    # Locked: even the right PIN waits, as at the desk.
    status, page = phone.sign_in(VOLUNTEER, VOLUNTEER_PIN)
    assert status == 429 and re.search(r'\d', notice(page)), page
    assert 'sd_safety' not in phone.cookies
    status, page = phone.sign_in(VOLUNTEER, 'abc')
    assert status in (401, 429)


def test_closed_rollcall(tmp, db, server):
    phone = Phone(server)
    _, page = phone.sign_in(LEAD, LEAD_PIN)
    before = len(answers(db, LEAD))
    cli('safety', 'close', db=db)
    status, again = phone.answer(page, **GOOD)
    assert status in (200, 409), status
    assert notice(again) or 'No roll-call' in again or 'ありません' in again
    assert len(answers(db, LEAD)) == 0   # nothing half-stored in the closed one, none open
    status, page = phone.request('GET', '/safety')[:2]
    assert status == 200 and 'name="safety"' not in page
    # A new roll-call: the same phone answers it.
    cli('safety', 'open', '--title', '地震 12月3日', db=db)
    status, page = phone.request('GET', '/safety')[:2]
    assert '地震 12月3日' in page and 'class="drill"' not in page
    status, done = phone.answer(page, **GOOD)
    assert status == 200
    assert len(answers(db, LEAD)) == 1


def test_bad_requests(tmp, db, server):
    phone = Phone(server)
    status, _, _ = phone.request('POST', '/safety/signin', body=b'staff_no=1&pin=' + b'1' * 9000,
                                 headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 413
    status, _, _ = phone.request('POST', '/safety/signin', body=b'{"staff_no": "1002"}',
                                 headers={'Content-Type': 'application/json'})
    assert status == 415
    status, _, _ = phone.request('PUT', '/safety/answer', fields={'a': 'b'})
    assert status == 405
    status, _, _ = phone.request('POST', '/safety/signin', body=b'staff_no=%ff%fe&pin=%00',
                                 headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert status in (400, 401)
    status, page = phone.sign_in('', '')
    assert status == 400 and notice(page)
    # Still answering.
    assert phone.sign_in(LEAD, LEAD_PIN)[0] == 200


def test_sign_out(tmp, db, server):
    phone = Phone(server)
    _, page = phone.sign_in(LEAD, LEAD_PIN)
    status, _, headers = phone.request('POST', '/safety/signout', {'csrf': phone.hidden(page, 'csrf')})
    assert status == 303 and 'sd_safety' not in phone.cookies
    status, page = phone.request('GET', '/safety')[:2]
    assert 'name="pin"' in page


def test_tls(tmp, db, server):
    server.stop()
    cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'],
                   check=True, capture_output=True)
    secure = Server(db, tls=(cert, key))
    try:
        phone = Phone(secure)
        status, _, headers = phone.request('POST', '/safety/signin', {'staff_no': LEAD, 'pin': LEAD_PIN})
        assert status == 303 and 'Secure' in headers['set-cookie'] and 'HttpOnly' in headers['set-cookie']
        status, page = phone.request('GET', '/safety')[:2]
        assert status == 200 and 'name="safety"' in page
    finally:
        secure.stop()


def test_log_has_no_personal_data(tmp, db, server):
    phone = Phone(server)
    _, page = phone.sign_in(LEAD, LEAD_PIN)
    phone.answer(page, **GOOD)
    phone.sign_in(VOLUNTEER, '0000')
    log = server.stop()
    assert 'Web form' in log, log   # the debug log is on, and says what happened
    for secret in (LEAD, LEAD_PIN, VOLUNTEER, '0000', '中村', '実家', '遅れます', phone.cookies.get('sd_safety', 'x')):
        assert secret not in log, f'{secret!r} in the log'


def test_a_shelter_kiosk_serves_the_form(tmp, db, server):
    # A kiosk's database (no deployment of its own here): the receiver
    # refuses it, and says how to serve the form alone.
    kiosk = os.path.join(tmp, 'kiosk.sqlite')
    cli('init', '--site-name', '東小学校 避難所', db=kiosk)
    cli('seed', 'load', SEEDS, db=kiosk)
    proc = subprocess.run([CLI, '--db', kiosk, 'serve', '--listen', f'{LOOPBACK}:0'], capture_output=True, env=env(),
                          timeout=60)
    assert proc.returncode != 0 and b'--safety-only' in proc.stderr, proc
    shelter = Server(kiosk, safety_only=True)
    try:
        phone = Phone(shelter)
        _, page = phone.sign_in(LEAD, LEAD_PIN)
        status, done = phone.answer(page, **GOOD)
        assert status == 200 and 'role="status"' in done
        status, body, _ = phone.request('GET', '/sync/v1/hello')
        assert status == 404 and '/safety' in body
        status, _, _ = phone.request('POST', '/sync/v1/batches', body=b'x',
                                     headers={'Content-Type': 'application/vnd.shelterdesk.batch'})
        assert status == 404
    finally:
        shelter.stop()
    # Stored at the kiosk as a change of its op-log, which its batches carry to HQ.
    assert answers(kiosk, LEAD)[-1][-1] == 'web'
    with sqlite3.connect(f'file:{kiosk}?mode=ro', uri=True) as c:
        logged = c.execute("SELECT count(*) FROM oplog o JOIN oplog_tables t ON t.n = o.tbl "
                           "WHERE t.name = 'safety_answers'").fetchone()[0]
    assert logged >= 1, logged


TESTS = [test_answer_in_japanese, test_english, test_unanswered_question_keeps_the_rest, test_tampered_form,
         test_wrong_pin_and_lockout, test_closed_rollcall, test_bad_requests, test_sign_out, test_tls,
         test_log_has_no_personal_data, test_a_shelter_kiosk_serves_the_form]


def run(tests, extra=None):
    """Runs TESTS as TAP, each on a fresh copy of HQ's database with its
    own receiver: test(tmp, db, server[, what EXTRA(tmp) made, closed
    after])."""
    template = make_template()
    print(f'1..{len(tests)}', flush=True)
    failed = 0
    for i, test in enumerate(tests, 1):
        tmp = tempfile.mkdtemp(prefix='sd-web-')
        db = os.path.join(tmp, 'hq.sqlite')
        shutil.copy(os.path.join(template, 'hq.sqlite'), db)
        server = Server(db)
        more = None
        try:
            more = extra(tmp) if extra else None
            test(tmp, db, server, *([more] if extra else []))
            print(f'ok {i} {test.__name__}', flush=True)
        except Exception:
            failed += 1
            print(f'not ok {i} {test.__name__}', flush=True)
            for line in traceback.format_exc().splitlines():
                print(f'# {line}', flush=True)
        finally:
            if more is not None:
                more.close()
            if server.proc.poll() is None:
                server.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(template, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    configure(sys.argv[1], sys.argv[2])
    sys.exit(run(TESTS))
