#!/usr/bin/env python3
# answer-once.py: one staff member answers through the web form, as from a phone; for other tests.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: answer-once.py URL STAFF_NO PIN [FIELD=VALUE …]
#
# URL is the receiver's (http://127.0.0.1:PORT).  Signs in, opens the
# form, sends the answer (unhurt, at home, can come on foot within 30
# minutes, unless FIELD=VALUE says otherwise) and exits 0 when the
# confirmation came back.  The desk's UI test uses it to see a web answer
# reach the dashboard.

import importlib.util
import os
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('web', os.path.join(HERE, 'test-safety-web.py'))
web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(web)


class Receiver:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.port = parsed.port
        self.tls = parsed.scheme == 'https'


def main(url, staff_no, pin, *pairs):
    phone = web.Phone(Receiver(url))
    status, page = phone.sign_in(staff_no, pin)
    if status != 200 or 'name="safety"' not in page:
        print(f'sign-in: {status} {web.notice(page)}', file=sys.stderr)
        return 1
    fields = {'safety': 'unhurt', 'location': 'home', 'can_report': 'yes', 'means': 'walk', 'arrival': 'within_30m'}
    fields.update(pair.split('=', 1) for pair in pairs)
    status, page = phone.answer(page, **fields)
    if status != 200 or 'role="status"' not in page:
        print(f'answer: {status} {web.notice(page)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
