#!/usr/bin/env python3
# test-sync-desk.py: the desk of a kiosk sends its changes to HQ by itself when HQ comes up; TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage (inside an X server, tests/ui/run-under-xvfb.sh):
#   test-sync-desk.py PATH/TO/shelterdesk-cli PATH/TO/shelterdesk PATH/TO/seeds
#
# As a person sets it up: HQ and a kiosk made with the CLI (init, seed
# load, deploy bundle, deploy enrol, the kiosk's first batch enrolled at
# HQ), households registered on the kiosk, HQ's address stored on it
# with `sync set-url` pointing at a loopback port where nothing listens.
# The real desk (`shelterdesk --db kiosk.sqlite`) is started; only then
# does HQ's receiver (`shelterdesk-cli serve`) start on that port.
# Nobody presses anything: HQ must end up holding every change the
# kiosk made.  Every process is started and ended here, by pid.  The
# deployment, the receiver and the checks are test-sync-net.py's.

import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback

DESK = os.path.abspath(sys.argv[2])
# test-sync-net.py reads its CLI and seeds from sys.argv when loaded.
sys.argv = [sys.argv[0], sys.argv[1], sys.argv[3]]
_spec = importlib.util.spec_from_file_location('sync_net', os.path.join(os.path.dirname(__file__),
                                                                       'test-sync-net.py'))
net = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(net)


def wait_for(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f'not within {timeout} s: {what}')


def test_desk_sends_when_hq_comes_up(tmp):
    hq, kiosk, _ = net.copy_deployment(tmp)
    ids = net.add_households(kiosk, 3, 14)
    port = net.free_port()
    net.ok(net.cli('sync', 'set-url', f'http://{net.LOOPBACK}:{port}', db=kiosk), 'sync set-url')
    waiting = net.status(kiosk)['waiting']
    assert waiting > 0, 'nothing waits on the kiosk'
    assert net.persons(hq, ids) == []

    desk = net.start(net.Process(db=kiosk, program=DESK,
                                 extra_env={'GDK_BACKEND': 'x11', 'GSK_RENDERER': 'cairo', 'GTK_A11Y': 'none'}))
    # The desk is up and has tried HQ (nothing answers) at least once.
    time.sleep(5)
    assert desk.alive(), f'the desk ended: {desk.err!r}'
    assert net.status(kiosk)['waiting'] == waiting

    # The network "returns": HQ's receiver starts on that port.
    server = net.start(net.Receiver(hq, port=port))
    wait_for('HQ holds the kiosk\'s people', lambda: len(net.persons(hq, ids)) == len(ids), timeout=40)
    wait_for('the kiosk knows HQ holds everything', lambda: net.status(kiosk)['waiting'] == 0, timeout=20)
    net.holds_everything_of(hq, kiosk)
    assert net.persons(hq, ids) == net.persons(kiosk, ids)
    assert desk.alive(), f'the desk ended: {desk.err!r}'
    desk.stop()
    assert not any('CRITICAL' in line or 'WARNING' in line for line in desk.err), desk.err
    server.stop()
    server.check_clean()


def main():
    print('1..1', flush=True)
    net.TEMPLATE = net.make_template()
    tmp = tempfile.mkdtemp(prefix='sd-desk-sync-')
    name = 'the desk of a kiosk sends to HQ by itself when HQ comes up'
    try:
        test_desk_sends_when_hq_comes_up(tmp)
    except Exception:
        print(f'not ok 1 - {name}')
        for line in traceback.format_exc().rstrip().split('\n'):
            print(f'# {line}')
        return 1
    else:
        print(f'ok 1 - {name}')
        return 0
    finally:
        # Every process started here ends, by pid, even when it failed.
        while net.RUNNING:
            net.RUNNING.pop().stop(signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(net.TEMPLATE[0], ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
