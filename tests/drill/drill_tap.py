# drill_tap.py: the TAP lines both drill tests print.
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

_count = 0


def next_number():
    """The number of a TAP line printed by hand (a skip)."""
    global _count
    _count += 1
    return _count


def ok(cond, name, detail=''):
    """One TAP line; the detail of a failure on the same line, so TAP stays whole."""
    global _count
    _count += 1
    detail = str(detail).replace('\n', ' ')[:3000]
    print(('ok %d - %s' % (_count, name)) if cond else ('not ok %d - %s # %s' % (_count, name, detail)))
    sys.stdout.flush()
    return cond
