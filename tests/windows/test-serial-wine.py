#!/usr/bin/env python3
# test-serial-wine.py: the Windows build's serial scanner on a COM port,
# under Wine.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-serial-wine.py SERIAL-PROBE   (WINEPREFIX set, as meson does)
#
# Wine opens COMn through the link $WINEPREFIX/dosdevices/comn, so a COM
# port can be a pseudo-terminal: this driver holds the master side and
# writes what a scanner would send; the probe (serial-probe.c, the Windows
# SdSerialScanner and its COM port code, sd-serial-port-win32.c) reads the
# other side as COM33 and prints what it saw.  "Unplugging" closes the
# master (the port's read fails, as when a USB device goes), "plugging
# back" points the same COM name at a new pseudo-terminal.  The waits have
# deadlines only so that a failure does not hang; nothing here is timed.
#
# Output: TAP.

import codecs
import os
import select
import subprocess
import sys
import tempfile
import time
import traceback
import tty

PROBE = os.path.abspath(sys.argv[1])
DOSDEVICES = os.path.join(os.environ['WINEPREFIX'], 'dosdevices')
DEADLINE = 20.0  # seconds; Wine's first start in a fresh prefix is slow


class Port:
    """A COM port of Wine's on a pseudo-terminal whose master we hold."""

    def __init__(self, name):
        self.name = name
        self.link = os.path.join(DOSDEVICES, name.lower())
        self.master = None

    def plug(self):
        master, slave = os.openpty()
        # A COM port has no line discipline: no echo, no CR→LF, no
        # line buffering, as the scanner's bytes must arrive.
        tty.setraw(slave)
        path = os.ttyname(slave)
        os.close(slave)
        if os.path.lexists(self.link):
            os.unlink(self.link)
        os.symlink(path, self.link)
        self.master = master

    def unplug(self):
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def remove(self):
        self.unplug()
        if os.path.lexists(self.link):
            os.unlink(self.link)

    def write(self, data):
        view = memoryview(data)
        while view:
            n = os.write(self.master, view)
            view = view[n:]


class Probe:
    """serial-probe reading PORT under Wine, and the lines it printed."""

    def __init__(self, port_name, log):
        self.proc = subprocess.Popen([PROBE, port_name], stdout=subprocess.PIPE, stderr=log, bufsize=0)
        self.pending = b''
        try:
            self.expect('started')
        except BaseException:
            # A probe left running would read the next case's port.
            self.stop()
            raise

    def next_line(self, deadline):
        while b'\n' not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            data = os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                raise AssertionError(f'the probe ended (status {self.proc.wait()})')
            self.pending += data
        line, self.pending = self.pending.split(b'\n', 1)
        return line.decode('ascii').rstrip('\r')

    def expect(self, wanted):
        """The next line the probe prints is WANTED."""
        line = self.next_line(time.monotonic() + DEADLINE)
        assert line == wanted, f'expected {wanted!r}, the probe said {line!r}'

    def quiet(self, seconds):
        """Nothing more is printed for SECONDS."""
        line = self.next_line(time.monotonic() + seconds)
        assert line is None, f'expected nothing more, the probe said {line!r}'

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def scanned(code):
    """What the probe prints for CODE: 'scanned ' and g_strescape's form."""
    out = []
    for byte in code.encode('utf-8'):
        ch = chr(byte)
        if ch in '\\"':
            out.append('\\' + ch)
        elif 0x20 <= byte < 0x7f:
            out.append(ch)
        else:
            out.append('\\%03o' % byte)
    return 'scanned ' + ''.join(out)


def with_probe(func):
    def run(log):
        port = Port('COM33')
        port.plug()
        probe = Probe(port.name, log)
        try:
            probe.expect('connected 1')
            func(port, probe)
        finally:
            probe.stop()
            port.remove()
    return run


@with_probe
def test_one_code(port, probe):
    port.write(b'SDC1ABCDEF234567\r\n')
    probe.expect(scanned('SDC1ABCDEF234567'))
    probe.quiet(0.5)


@with_probe
def test_terminators(port, probe):
    port.write(b'CR-ONLY\r')
    port.write(b'LF-ONLY\n')
    port.write(b'FIRST\r\nSECOND\r\n')
    port.write(b'\r\n\n  SPACED \t\r\n')
    for code in ('CR-ONLY', 'LF-ONLY', 'FIRST', 'SECOND', 'SPACED'):
        probe.expect(scanned(code))
    probe.quiet(0.5)


@with_probe
def test_pieces(port, probe):
    # A scanner's USB packets split a code; a pause shorter than the
    # 300 ms of a broken-off line joins them.
    port.write(b'SDC1AB')
    time.sleep(0.1)
    port.write(b'CDEF2345')
    time.sleep(0.1)
    port.write(b'67\r\n')
    probe.expect(scanned('SDC1ABCDEF234567'))


@with_probe
def test_partial(port, probe):
    port.write(b'BROKEN-OF')
    probe.expect('partial 9')
    port.write(b'WHOLE\r\n')
    probe.expect(scanned('WHOLE'))


@with_probe
def test_not_utf8(port, probe):
    port.write('避難所'.encode('utf-8') + b'\r\n')
    probe.expect(scanned('避難所'))
    port.write(b'\x82\xa0SJIS\r\n')  # Shift_JIS bytes become U+FFFD
    probe.expect(scanned('\ufffd\ufffdSJIS'))


@with_probe
def test_burst(port, probe):
    # More than one read's worth at once (the port's buffer is 4096 bytes):
    # every code, in order, none glued to the next.
    codes = [f'SDC1{n:04d}' + 'X' * 90 for n in range(100)]
    port.write(b''.join(c.encode() + b'\r\n' for c in codes))
    for code in codes:
        probe.expect(scanned(code))


@with_probe
def test_unplug(port, probe):
    port.write(b'BEFORE\r\n')
    probe.expect(scanned('BEFORE'))
    port.write(b'HALF')
    port.unplug()
    # The half line is dropped, never glued to the next code, and the
    # scanner is gone.  How much of it was read before the port went is a
    # race, as with a real cable: the bytes still in the pseudo-terminal
    # go with it.
    line = probe.next_line(time.monotonic() + DEADLINE)
    if line in ('partial 1', 'partial 2', 'partial 3', 'partial 4'):
        probe.expect('connected 0')
    else:
        assert line == 'connected 0', line
    port.plug()
    probe.expect('connected 1')
    port.write(b'AFTER\r\n')
    probe.expect(scanned('AFTER'))


def test_missing(log):
    # No COM34 when the desk starts: it keeps trying, and connects when the
    # scanner is plugged in.
    port = Port('COM34')
    port.remove()
    probe = Probe(port.name, log)
    try:
        probe.quiet(2.5)
        port.plug()
        probe.expect('connected 1')
        port.write(b'LATE\r\n')
        probe.expect(scanned('LATE'))
    finally:
        probe.stop()
        port.remove()


TESTS = [
    ('a code from a COM port', test_one_code),
    ('CR, LF and CRLF end a code; blank lines are nothing', test_terminators),
    ('a code that arrives in pieces is one code', test_pieces),
    ('a line that breaks off is dropped, not glued to the next', test_partial),
    ('UTF-8 is kept; bytes that are not become U+FFFD', test_not_utf8),
    ('a burst of 100 codes (10 kB) arrives whole and in order', test_burst),
    ('unplugged: disconnected; plugged back: connected and reading', test_unplug),
    ('a port missing at the start is found when it appears', test_missing),
]


def main():
    print(f'1..{len(TESTS)}', flush=True)
    with tempfile.TemporaryFile() as log:
        # Wine ends its server when its last program ends, and a program
        # started in that moment loses its connection ("recvmsg: Connection
        # reset by peer"): a probe of a port that never exists keeps the
        # server up between the cases.
        keeper = Probe('COM99', subprocess.DEVNULL)
        try:
            failed = run_all(log)
        finally:
            keeper.stop()
    return 1 if failed else 0


def run_all(log):
    failed = 0
    for n, (name, func) in enumerate(TESTS, 1):
        log.seek(0)
        log.truncate()
        try:
            func(log)
        except Exception:
            failed += 1
            print(f'not ok {n} - {name}')
            for line in traceback.format_exc().rstrip().split('\n'):
                print(f'# {line}')
            log.seek(0)
            for line in codecs.decode(log.read()[-4000:], 'utf-8', 'replace').splitlines():
                print(f'# wine: {line}')
        else:
            print(f'ok {n} - {name}')
        sys.stdout.flush()
    return failed


if __name__ == '__main__':
    sys.exit(main())
