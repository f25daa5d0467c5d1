# sd_desk_keys.py: what the Python UI tests share to drive the desk under
# Xvfb (test-accessibility.py, test-orca.py): waiting for something to
# happen, and keys through xdotool on the X server's keyboard.
# SPDX-License-Identifier: GPL-3.0-or-later
import subprocess
import time


def wait_for(what, test, seconds=20.0):
    """TEST's first true value within SECONDS, or the test bails out naming WHAT."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"Bail out! {what} did not happen in {seconds:.0f} s")


def xdotool(*args):
    subprocess.run(["xdotool", *args], check=True)
