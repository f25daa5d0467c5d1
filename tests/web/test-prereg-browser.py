#!/usr/bin/env python3
# test-prereg-browser.py: the evacuees' pre-registration form in Debian's chromium, on a phone set to Vietnamese; TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-prereg-browser.py PATH/TO/shelterdesk-cli PATH/TO/seeds
#
# The form is written by `shelterdesk-cli qr prereg-form` and opened from
# the file, with no server at all, as a phone opens a page it saved.  A
# household types into it in the phone's language, the page makes its
# code, the code's image is read back by the real zbarimg, and the code
# is scanned by the desk's own `qr scan`: what the desk would put in the
# intake form is what was typed.  The browser is test-safety-browser.py's
# (chromium headless over its DevTools pipe); screenshots go to
# SD_SCREENSHOT_DIR.

import base64
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('browser', os.path.join(HERE, 'test-safety-browser.py'))
browser_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(browser_module)

results = []


def check(ok, name):
    results.append((bool(ok), name))
    print(('ok' if ok else 'not ok') + f' {len(results)} - {name}', flush=True)


def cli(argv, db=None, **kw):
    cmd = [CLI] + (['--db', db] if db else []) + argv
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class Phone(browser_module.Browser):
    def __init__(self, profile, language):
        super().__init__(profile)
        agent = self.call('Browser.getVersion')['userAgent']
        self.call('Emulation.setUserAgentOverride', session=True, userAgent=agent, acceptLanguage=language)

    def shot(self, name):
        os.makedirs(browser_module.SHOTS, exist_ok=True)
        data = self.call('Page.captureScreenshot', session=True, format='png', captureBeyondViewport=True)['data']
        path = os.path.join(browser_module.SHOTS, f'prereg-{name}.png')
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))
        print(f'# screenshot: {path}', flush=True)
        return self.js('document.documentElement.scrollWidth') <= 390

    def wait_for(self, expression, tries=100):
        for _ in range(tries):
            if self.js(expression):
                return True
            self.call('Runtime.evaluate', session=True, expression='new Promise(r => setTimeout(r, 50))',
                      awaitPromise=True)
        return False

    def type(self, selector, value):
        self.js(f"(function (n) {{ n.value = {json.dumps(value)}; n.dispatchEvent (new Event('change')); }})"
                f"(document.querySelector({json.dumps(selector)}))")


def member(i, field):
    return f"#members .member:nth-child({i}) :is(input, select)[data-f='{field}']"


def main():
    global CLI
    CLI = os.path.abspath(sys.argv[1])
    seeds = os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        form = os.path.join(tmp, 'prereg.html')
        made = cli(['qr', 'prereg-form', '--out', form])
        check(made.returncode == 0 and os.path.exists(form) and not os.path.exists(form + '.part'),
              'qr prereg-form writes the page: ' + made.stderr.strip())
        with open(form, encoding='utf-8') as f:
            page = f.read()
        check('http://' not in page.split('<script>')[0] and "default-src 'none'" in page,
              'the page loads nothing from outside and may send nothing (Content-Security-Policy)')

        phone = Phone(os.path.join(tmp, 'profile'), 'vi-VN,vi')
        try:
            phone.go('file://' + form)
            check(phone.js("document.getElementById('title').textContent") == 'Đăng ký trước',
                  'a phone set to Vietnamese gets the form in Vietnamese')
            check(phone.js('document.documentElement.lang') == 'vi', "the page says it is Vietnamese (the right glyphs)")
            check(phone.shot('vi'), 'the form fits a 390-pixel phone (screenshot prereg-vi)')

            # Nothing typed: the name is asked for, in Vietnamese.
            phone.js("document.getElementById('make').click()")
            check(phone.wait_for("!document.getElementById('error').hidden") and
                  phone.js("document.getElementById('error').textContent") == 'Hãy viết tên của từng người.',
                  'a person without a name is asked for, in the reader\'s language')

            # A household of two, living in their car.
            phone.type('#address', 'みなと川市西町4-5-6')
            phone.type('#phone', '090-2222-3333')
            phone.type('#stay', 'vehicle')
            check(phone.js("!document.getElementById('plate-row').hidden"), 'the plate is asked for a household in a car')
            phone.type('#vehicle_plate', 'みなと 300 さ 45-67')
            phone.type(member(1, 'name'), 'Nguyễn Văn An')
            phone.type(member(1, 'birth_date'), '1990-05-12')
            phone.type(member(1, 'sex'), 'male')
            phone.type(member(1, 'allergies'), 'đậu phộng')
            phone.js(f"document.querySelector(\"{member(1, 'consent')}\").checked = true")
            phone.js("document.getElementById('add').click()")
            # A copied name may carry an invisible direction mark: the desk would refuse it.
            phone.type(member(2, 'name'), 'Trần Thị Bình\u200f')
            phone.type(member(2, 'birth_date'), '1993-11-02')
            phone.js(f"document.querySelector(\"{member(2, 'pregnant')}\").checked = true")
            check(phone.js("document.querySelector('#members .member:nth-child(2) legend').textContent") ==
                  'Người thứ 2', 'the second person is headed in Vietnamese')
            phone.shot('vi-filled')

            # Another language with one tap: the form follows, what was typed stays.
            phone.js("[...document.querySelectorAll('#languages button')].find(b => b.textContent === '한국어').click()")
            check(phone.js("document.getElementById('title').textContent") == '사전 등록' and
                  phone.js(f"document.querySelector(\"{member(1, 'name')}\").value") == 'Nguyễn Văn An',
                  'a tap on 한국어 turns the form into Korean and keeps what was typed')
            phone.shot('ko')
            phone.js("[...document.querySelectorAll('#languages button')].find(b => b.textContent === 'Tiếng Việt').click()")

            phone.js("document.getElementById('make').click()")
            check(phone.wait_for("!document.getElementById('code-view').hidden"), 'the page makes the code')
            check(phone.shot('vi-code'), 'the code fits the phone (screenshot prereg-vi-code)')
            code = phone.js("document.getElementById('code').getAttribute('data-code')")
            url = phone.js("document.getElementById('code').src")
            check(code.startswith('SDP1') and len(code) <= 1600, f'an SDP1 code of {len(code)} characters')

            # The image as a scanner sees it: the real zbarimg.
            png = os.path.join(tmp, 'code.gif')
            with open(png, 'wb') as f:
                f.write(base64.b64decode(url.split(',', 1)[1]))
            # qrcode-generator draws a GIF whatever the name: zbarimg reads either.
            read = subprocess.run(['zbarimg', '--quiet', '--raw', png], capture_output=True, text=True)
            check(read.returncode == 0 and read.stdout.strip() == code, 'zbarimg reads the code the page shows')

            # The desk's own scan: what Intake would be filled with.
            db = os.path.join(tmp, 'demo.sqlite')
            cli(['init'], db=db, check=True)
            cli(['seed', 'load', seeds], db=db, check=True)
            scan = cli(['qr', 'scan', read.stdout.strip() or code], db=db)
            check(scan.returncode == 0, 'the desk reads the code: ' + scan.stderr.strip())
            got = json.loads(scan.stdout) if scan.returncode == 0 else {}
            prereg = got.get('prereg', {})
            household = prereg.get('household', {})
            members = prereg.get('members', [])
            check(got.get('outcome') == 'prereg', 'it is a pre-registration, not a card')
            check(household.get('address') == 'みなと川市西町4-5-6' and household.get('stay') == 'vehicle' and
                  household.get('vehicle_plate') == 'みなと 300 さ 45-67' and household.get('phone') == '090-2222-3333',
                  'the household arrives as typed: ' + json.dumps(household, ensure_ascii=False))
            check(len(members) == 2 and members[0].get('name') == 'Nguyễn Văn An' and
                  members[0].get('birth_date') == '1990-05-12' and members[0].get('sex') == 'male' and
                  members[0].get('allergies') == 'đậu phộng' and members[0].get('consent_disclose') is True and
                  members[1].get('name') == 'Trần Thị Bình' and members[1].get('pregnant') is True and
                  not members[1].get('consent_disclose'),
                  'both people arrive as typed: ' + json.dumps(members, ensure_ascii=False))
            check(all(m.get('language') == 'vi' for m in members),
                  'each person is recorded as reading Vietnamese, so the desk answers them in it')

            # The page cannot send what was typed anywhere.
            blocked = phone.call('Runtime.evaluate', session=True, awaitPromise=True, returnByValue=True,
                                 expression="fetch('http://127.0.0.1:9/').then(() => 'sent', () => 'blocked')")
            check(blocked['result'].get('value') == 'blocked', 'a request from the page is refused')

            # Ten people at most; the eleventh cannot be added.
            phone.js("document.getElementById('edit').click()")
            for _ in range(8):
                phone.js("document.getElementById('add').click()")
            check(phone.js("document.querySelectorAll('#members .member').length") == 10 and
                  phone.js("document.getElementById('add').hidden"), 'a code holds ten people: no eleventh is offered')
        finally:
            phone.close()

        # Japanese and English phones; one the form does not offer gets English.
        for accept, title in (('ja-JP,ja', '事前登録'), ('en-US,en', 'Register before you come'),
                              ('fr-FR,fr', 'Register before you come'), ('ne-NP,ne', 'पहिले नै दर्ता गर्नुहोस्')):
            phone = Phone(os.path.join(tmp, 'profile-' + accept[:2]), accept)
            try:
                phone.go('file://' + form)
                shown = phone.js("document.getElementById('title').textContent")
                check(shown == title, f'a phone set to {accept} gets “{shown}”')
                if accept.startswith('ne'):
                    phone.shot('ne')
            finally:
                phone.close()

    print(f'1..{len(results)}')
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())
