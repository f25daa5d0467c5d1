#!/usr/bin/env python3
# test-safety-browser.py: the staff safety web form in Debian's chromium, headless, driven over its DevTools protocol; TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-safety-browser.py PATH/TO/shelterdesk-cli PATH/TO/seeds
#
# chromium is started with --remote-debugging-pipe: the DevTools
# protocol's JSON messages, each ended by a NUL, go over the child's file
# descriptors 3 (to chromium) and 4 (from it), so no WebSocket library
# is needed.  The phone is a 390×844 screen; the person types and taps
# (input values and label clicks in the page), the form is sent by its
# own button, and what the page shows and what HQ's database holds are
# both checked.  Screenshots of every page go to SD_SCREENSHOT_DIR.

import base64
import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('web', os.path.join(HERE, 'test-safety-web.py'))
web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(web)

CHROMIUM = shutil.which('chromium')
SHOTS = os.environ.get('SD_SCREENSHOT_DIR', os.path.join(tempfile.gettempdir(), 'sd-screenshots'))


class Browser:
    def __init__(self, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # Above 4, so that placing one at 3 or 4 cannot overwrite the other.
        for fd in (to_child_r, from_child_w):
            high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
            os.close(fd)
            if fd == to_child_r:
                to_child_r = high
            else:
                from_child_w = high

        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, '--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu',
             '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-sync',
             '--disable-background-networking', '--disable-features=Translate,MediaRouter',
             f'--user-data-dir={profile}', '--lang=ja', 'about:blank'],
            # The dup2()s happen after the child would close what pass_fds
            # does not keep, so nothing is closed: 3 and 4 must survive.
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile + '.log'), 'wb'))
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b''
        self.next_id = 0
        self.events = []
        targets = self.call('Target.getTargets')['targetInfos']
        page = next(t for t in targets if t['type'] == 'page')
        self.session = self.call('Target.attachToTarget', targetId=page['targetId'], flatten=True)['sessionId']
        self.call('Page.enable', session=True)
        # A phone set to Japanese.
        agent = self.call('Browser.getVersion')['userAgent']
        self.call('Emulation.setUserAgentOverride', session=True, userAgent=agent, acceptLanguage='ja-JP,ja')
        self.call('Emulation.setDeviceMetricsOverride', session=True, width=390, height=844, deviceScaleFactor=1,
                  mobile=True)

    def read_message(self, timeout=30):
        deadline = time.monotonic() + timeout
        while b'\0' not in self.buffer:
            assert time.monotonic() < deadline, 'chromium did not answer'
            chunk = os.read(self.from_child, 1 << 16)
            assert chunk, 'chromium closed its pipe'
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b'\0', 1)
        return json.loads(message)

    def call(self, method, session=False, **params):
        self.next_id += 1
        message = {'id': self.next_id, 'method': method, 'params': params}
        if session:
            message['sessionId'] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b'\0')
        while True:
            reply = self.read_message()
            if reply.get('id') == self.next_id:
                assert 'error' not in reply, f'{method}: {reply["error"]}'
                return reply.get('result', {})
            self.events.append(reply)

    def wait_load(self):
        while True:
            for i, event in enumerate(self.events):
                if event.get('method') == 'Page.loadEventFired':
                    del self.events[:i + 1]
                    return
            self.events.append(self.read_message())

    def go(self, url):
        self.events.clear()
        self.call('Page.navigate', session=True, url=url)
        self.wait_load()

    def js(self, expression):
        result = self.call('Runtime.evaluate', session=True, expression=expression, returnByValue=True)
        assert 'exceptionDetails' not in result, result
        return result['result'].get('value')

    def submit(self, expression):
        """Runs EXPRESSION, which sends a form, and waits for the next page."""
        self.events.clear()
        self.js(expression)
        self.wait_load()

    def text(self):
        return self.js('document.body.innerText')

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        data = self.call('Page.captureScreenshot', session=True, format='png')['data']
        path = os.path.join(SHOTS, f'safety-web-{name}.png')
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))
        print(f'# screenshot: {path}', flush=True)
        # Nothing wider than the phone: no sideways scrolling.
        assert self.js('document.documentElement.scrollWidth') <= 390, name

    def close(self):
        try:
            self.call('Browser.close')
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def sign_in(browser, staff_no, pin):
    browser.js(f"document.getElementById('staff_no').value = '{staff_no}'")
    browser.js(f"document.getElementById('pin').value = '{pin}'")
    browser.submit("document.querySelector('button[type=submit]').click()")


def tap(browser, *ids):
    for i in ids:
        browser.js(f"document.querySelector('label[for=\"{i}\"]').click()")


def test_answer_on_a_phone(tmp, db, server, browser):
    url = f'http://127.0.0.1:{server.port}/safety'
    browser.go(url)
    assert '職員番号' in browser.text(), browser.text()
    assert browser.js('document.scripts.length') == 0
    browser.shot('ja-390x844-signin')
    sign_in(browser, web.LEAD, '000000')
    assert '違います' in browser.text(), browser.text()
    browser.shot('ja-390x844-wrong-pin')
    sign_in(browser, web.LEAD, web.LEAD_PIN)
    assert '中村 秀樹' in browser.text() and '訓練' in browser.text(), browser.text()
    browser.shot('ja-390x844-form')
    # Sent with a question unanswered: told which, nothing stored.
    before = len(web.answers(db, web.LEAD))
    tap(browser, 'safety-unhurt', 'location-home')
    browser.submit("document.querySelector('form[action=\"/safety/answer\"] button').click()")
    assert browser.js("document.querySelector('.notice[role=alert]') !== null"), browser.text()
    assert len(web.answers(db, web.LEAD)) == before
    assert browser.js("document.getElementById('safety-unhurt').checked") is True
    browser.shot('ja-390x844-form-unanswered')
    tap(browser, 'can_report-yes', 'means-bicycle', 'arrival-within_30m')
    browser.js("document.getElementById('message').value = '自転車で向かいます'")
    browser.submit("document.querySelector('form[action=\"/safety/answer\"] button').click()")
    assert '回答を記録しました' in browser.text(), browser.text()
    browser.shot('ja-390x844-done')
    rows = web.answers(db, web.LEAD)
    assert len(rows) == before + 1
    assert rows[-1] == ('unhurt', 'home', None, 1, 'bicycle', 'within_30m', '自転車で向かいます', 'web'), rows[-1]


def test_english_and_lockout(tmp, db, server, browser):
    url = f'http://127.0.0.1:{server.port}/safety?lang=en'
    browser.go(url)
    assert 'Staff number' in browser.text()
    browser.shot('en-390x844-signin')
    for _ in range(5):
        sign_in(browser, web.VOLUNTEER, '0000')
    assert 'Too many wrong PINs' in browser.text(), browser.text()
    browser.shot('en-390x844-locked')
    sign_in(browser, web.VOLUNTEER, web.VOLUNTEER_PIN)
    assert 'Too many wrong PINs' in browser.text()
    sign_in(browser, web.LEAD, web.LEAD_PIN)
    assert 'Are you hurt?' in browser.text()
    browser.shot('en-390x844-form')


TESTS = [test_answer_on_a_phone, test_english_and_lockout]


def main():
    if CHROMIUM is None:
        print('1..0 # SKIP chromium is not installed (packaging/debian-packages.txt lists it)')
        return 0
    web.configure(sys.argv[1], sys.argv[2])
    return web.run(TESTS, extra=lambda tmp: Browser(os.path.join(tmp, 'profile')))


if __name__ == '__main__':
    sys.exit(main())
