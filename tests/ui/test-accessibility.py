#!/usr/bin/python3
# test-accessibility.py DESK CLI SEEDS: the desk as a screen reader (Orca)
# sees it, read through the real AT-SPI bus (pyatspi) from the running desk
# under Xvfb.  It opens the demo city as its shelter lead, goes to every desk
# with the keyboard alone (Ctrl+0..9), opens the dialogs a key opens, turns
# the kiosk to self-service and back, signs out and in as HQ's staff, and on
# every page fails on:
#   - a control the keyboard reaches (or a button, entry, check box, ...) with
#     no accessible name: GTK 4.8 then names it after its class
#     ("GtkToggleButton"), which is what Orca reads;
#   - such a control with no role (a generic container taking the focus);
#   - a name a screen reader would read wrongly: a mnemonic's underscore
#     ("サインアウト(_O)") or the same words twice.
# Run by meson inside dbus-run-session and run-under-xvfb.sh (the bus the
# desk and pyatspi share), with /usr/bin/python3 (Debian's python3-pyatspi).
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi
from gi.repository import Atspi

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
import tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sd_desk_keys import wait_for, xdotool  # noqa: E402

INTERACTIVE_ROLES = {
    "push button", "toggle button", "check box", "radio button", "text", "password text",
    "entry", "combo box", "spin button", "slider", "menu item", "link", "switch", "page tab",
    "toggle button", "check menu item", "radio menu item", "list item", "tree item",
}
NO_ROLE = {"filler", "panel", "unknown", "invalid", "redundant object"}
CLASS_NAME = re.compile(r"(Gtk|Adw|Sd|Shumate|Gdk)[A-Z][A-Za-z]*")
# Where a control is: the page, dialog or form of ShelterDesk's above it
# (an unnamed widget of ours is named after its class).
PLACE = re.compile(r"Sd[A-Za-z]*(Window|Page|Dashboard|Form|Dialog|Map|Console|Strip|Scrubber)")
MNEMONIC = re.compile(r"(?<![A-Za-z0-9])_[A-Za-z0-9]")

DESK, CLI, SEEDS = sys.argv[1:4]
HQ_STAFF = "石田 浩"  # seeds/staff.csv: 1003, PIN 999999


class Walk:
    """One walk of the tree below ROOT: every node's role, name, states and
    where it is (the ShelterDesk widgets above it: "SdIntakePage", ...)."""

    def __init__(self, root):
        self.nodes = []
        self._visit(root, ())

    def _visit(self, acc, where, inside=False, trail=()):
        try:
            role = acc.getRoleName()
            name = acc.name or ""
            states = {pyatspi.stateToString(s) for s in acc.getState().getStates()}
            children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
        except Exception:  # a row the list recycled while we read it
            return
        if PLACE.fullmatch(name):
            where = where + (name,)
        # What is inside a control (the label in a button, the chosen item
        # in a drop-down's button) is read as part of it; but a control in
        # a control that takes the focus itself (the button inside a
        # drop-down or a menu button, which is what Orca reads) is checked.
        if not inside or (role in INTERACTIVE_ROLES and "focusable" in states):
            self.nodes.append((role, name, states, where, children, trail))
        inside = inside or role in INTERACTIVE_ROLES - {"list item", "tree item"}
        if name and not CLASS_NAME.fullmatch(name) and role not in ("label",):
            trail = (trail + (name,))[-2:]
        for child in children:
            if child is not None:
                self._visit(child, where, inside, trail)

    def names(self):
        return {node[1] for node in self.nodes}


def takes_focus(acc):
    """Whether the keyboard can land on ACC or something in it."""
    try:
        if "focusable" in {pyatspi.stateToString(s) for s in acc.getState().getStates()}:
            return True
        return any(c is not None and takes_focus(c) for c in acc)
    except Exception:
        return False


def find(acc, test):
    """The first node under ACC for which TEST(role, name) holds."""
    for child in acc:
        if child is None:
            continue
        try:
            if test(child.getRoleName(), child.name or ""):
                return child
        except Exception:
            continue
        found = find(child, test)
        if found is not None:
            return found
    return None


def problem(role, name, states, children):
    """What a screen reader user would meet on this node, or None."""
    interactive = "focusable" in states or role in INTERACTIVE_ROLES
    if not interactive:
        return None
    # A scrolled window takes the focus only when nothing in it can (GTK 4.8).
    if role == "scroll pane" and any(c is not None and takes_focus(c) for c in children):
        return None
    text = name.strip()
    if text == "" or CLASS_NAME.fullmatch(text):
        return "no name"
    if role in NO_ROLE:
        return "no role"
    if MNEMONIC.search(text):
        return "a mnemonic's underscore in the name"
    half = len(text) // 2
    if len(text) > 2 and text[half] == " " and text[:half] == text[half + 1:]:
        return "the same words twice"
    return None


class Audit:
    def __init__(self):
        self.pages = {}      # page title path -> [controls checked, problems]

    def add(self, walk):
        for role, name, states, pages, children, trail in walk.nodes:
            if "focusable" not in states and role not in INTERACTIVE_ROLES:
                continue
            where = " › ".join(pages[-2:]) or "the window's header"
            entry = self.pages.setdefault(where, [set(), set()])
            entry[0].add((role, name))
            why = problem(role, name, states, children)
            if why:
                inside = " › ".join(trail)
                entry[1].add(f"{role} “{name}” (in {inside}): {why}")


def main():
    tmp = tempfile.mkdtemp(prefix="sd-a11y-")
    db = os.path.join(tmp, "demo.sqlite")
    subprocess.run([CLI, "--db", db, "init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([CLI, "--db", db, "seed", "load", SEEDS], check=True, stdout=subprocess.DEVNULL)

    env = dict(os.environ, LANGUAGE="ja", GDK_BACKEND="x11", GSK_RENDERER="cairo")
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    desk = subprocess.Popen([DESK, "--db", db, "--demo"], env=env)
    checks = []
    try:
        def find_app():
            for app in pyatspi.Registry.getDesktop(0):
                if app is not None and app.get_process_id() == desk.pid:
                    return app
            return None
        app = wait_for("the desk on the AT-SPI bus", find_app)
        # Every name read from the desk as it is now, not as this process
        # cached it when the widget first appeared.
        app.set_cache_mask(Atspi.Cache.NONE)
        wait_for("the desk's window", lambda: app.childCount > 0)
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(desk.pid)],
                                check=True, capture_output=True, text=True).stdout.split()[0]
        audit = Audit()
        seen = set()

        def keys(*names, settle=0.8):
            xdotool("windowfocus", "--sync", window)
            for key in names:
                xdotool("key", "--clearmodifiers", key)
                time.sleep(0.2)
            time.sleep(settle)

        def walk(root):
            app.clear_cache()
            found = Walk(root)
            audit.add(found)
            seen.update(found.names())
            return found

        def dialogs():
            """The windows over the desk's own (a dialog a key opened)."""
            return [app.getChildAtIndex(i) for i in range(1, app.childCount)]

        # The demo's shelter lead: every desk the sidebar has, by its key
        # (a list's rows exist once its desk has been shown), then one walk.
        for n in range(0, 10):
            keys(f"ctrl+{n}")
        walk(app)
        # The card reader's dialog (Intake's Ctrl+R; no reader here: it says so).
        keys("ctrl+1", "ctrl+r", settle=2.0)
        opened = dialogs()
        for d in opened:
            walk(d)
        keys("Escape")
        checks.append((len(opened) == 1, f"Ctrl+R opened the card dialog ({len(opened)} windows over the desk)"))
        # The kiosk turned to evacuees: Check-in's Self-service button.
        keys("ctrl+2", "alt+s", settle=1.5)
        walk(app.getChildAtIndex(0))
        # Its exit, pressed as Orca would (the action AT-SPI offers), signs
        # the lead out; HQ's staff sign in with the keyboard alone.
        page = find(app, lambda role, name: name == "SdSelfServicePage")
        exit_button = page and find(page, lambda role, name: role == "push button" and name == "職員用: 受付に戻る")
        checks.append((exit_button is not None, "the self-service screen's exit has a name"))
        if exit_button is not None:
            exit_button.queryAction().doAction(0)
            time.sleep(1.0)
        keys(settle=0.3)
        xdotool("type", "--delay", "40", "1003")
        keys("Tab")
        xdotool("type", "--delay", "40", "999999")
        keys("Return", settle=2.0)
        for n in range(0, 10):
            keys(f"ctrl+{n}")
        walk(app)
        # The dashboard's other views, through the buttons that switch them.
        dashboard = find(app, lambda role, name: name == "SdSafetyDashboard")
        for view in ("回答一覧", "未回答"):
            button = dashboard and find(dashboard, lambda role, name: name == view and role in (
                "toggle button", "push button", "page tab", "radio button"))
            checks.append((button is not None, f"the staff safety dashboard's view “{view}” has a button"))
            if button is not None:
                button.queryAction().doAction(0)
                time.sleep(1.5)
                walk(dashboard)
        checks.append((find(app, lambda role, name: role == "label" and name.startswith(HQ_STAFF)) is not None,
                       f"HQ's staff ({HQ_STAFF}) signed in with the keyboard"))
        pages = sorted(audit.pages)
        checks.append((len(pages) >= 10, f"the walk reached every page ({len(pages)}: {', '.join(pages)})"))
        for where in sorted(audit.pages):
            controls, problems = audit.pages[where]
            checks.append((not problems, f"{where}: {len(controls)} controls named, with a role"))
            for p in sorted(problems):
                print(f"# {where}: {p}")
    finally:
        desk.terminate()
        try:
            desk.wait(10)
        except subprocess.TimeoutExpired:
            desk.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    tap.report(checks)


if __name__ == "__main__":
    main()
