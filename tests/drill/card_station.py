# card_station.py: pcscd with only its virtual reader (vsmartcard-vpcd), for
# the drill's card holders, as the card suite's fixture starts it.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import subprocess
import time

READER = 'Virtual PCD 00 00'   # vpcd's first slot, port 35963


class CardStation:
    """Finds a running pcscd with the virtual reader, or starts one (root
    only); .ready says whether the drill can read cards, .why why not."""

    def __init__(self, cli, top):
        self.cli, self.top = cli, top
        self.pcscd, self.ready, self.why = None, False, ''
        self.emulator = os.environ.get('SD_VPCD_CARD', '')

    def _has_reader(self):
        r = subprocess.run([self.cli, 'card', 'readers'], capture_output=True, text=True, timeout=30)
        return ('pcsc:' + READER) in r.stdout.split('\n')

    def __enter__(self):
        if not os.path.exists(self.emulator):
            self.why = 'the emulated card program (SD_VPCD_CARD) is not built'
        elif os.path.exists('/run/pcscd/pcscd.comm') and self._has_reader():
            self.ready = True
        elif os.geteuid() != 0:
            self.why = 'no pcscd with the virtual reader is running, and starting one needs root'
        elif not os.path.exists('/etc/reader.conf.d/vpcd'):
            self.why = 'vsmartcard-vpcd is not installed'
        else:
            # Only the virtual reader: a reader.conf.d of our own.
            conf = os.path.join(self.top, 'pcscd-conf')
            os.makedirs(conf)
            shutil.copy('/etc/reader.conf.d/vpcd', conf)
            if os.path.exists('/run/pcscd/pcscd.comm'):
                os.unlink('/run/pcscd/pcscd.comm')   # left by a pcscd that was killed
            self.pcscd = subprocess.Popen(['pcscd', '--foreground', '--config', conf],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                if os.path.exists('/run/pcscd/pcscd.comm') and self._has_reader():
                    self.ready = True
                    break
                time.sleep(0.1)
            if not self.ready:
                self.why = 'pcscd started but its virtual reader never appeared'
        return self

    def drill_args(self, apdu_log):
        """The drill's options: the reader, and the emulator logging every APDU."""
        return ['--card-reader', READER, '--card-emulator', '%s 35963 --log %s' % (self.emulator, apdu_log)]

    def __exit__(self, *exc):
        if self.pcscd is not None:
            self.pcscd.terminate()
            self.pcscd.wait(timeout=10)
        return False
