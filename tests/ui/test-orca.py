#!/usr/bin/python3
# test-orca.py DESK CLI SEEDS: the desk driven with the keyboard alone while
# the real Orca screen reader runs, checked by what Orca says.  Orca (Debian's
# orca 43) logs every utterance to its debug file ("SPEECH OUTPUT: '...'",
# orca/speech.py) before handing it to speech-dispatcher; here that is a
# speech-dispatcher of the test's own, with its "dummy" output module and
# ALSA's null device, so nothing is heard and nothing waits for a sound card.
#
# On the sign-in page, Tab must make Orca say the staff-number field's name
# and every key of the PIN pad by the names the desk shows (Japanese, read
# from the desk's own translation); signed in as the demo's shelter lead, on
# Intake (Ctrl+1), each Tab must make Orca say a control's name.  Nothing
# Orca says may be a GTK class name ("GtkToggleButton", ...), a role with no
# name ("ボタン."), or carry a mnemonic's underscore ("サインイン(_I)") or the
# key GTK draws after a Japanese label ("職員番号(S)").
# Run by meson inside dbus-run-session and run-under-xvfb.sh, with
# /usr/bin/python3, like test-accessibility.py.
# SPDX-License-Identifier: GPL-3.0-or-later
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
import tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sd_desk_keys import wait_for, xdotool  # noqa: E402

DESK, CLI, SEEDS = sys.argv[1:4]
LEAD, LEAD_PIN = "1001", "123456"  # seeds/staff.csv
SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*?)'(?: voice=\S+)? ?\{")
CLASS_NAME = re.compile(r"\b(Gtk|Adw|Sd|Shumate|Gdk)[A-Z][A-Za-z]*")
MNEMONIC = re.compile(r"(?<![A-Za-z0-9])_[A-Za-z0-9]")
# The Japanese way of showing a control's key, "職員番号(S)": noise read aloud.
KEY_MARK = re.compile(r"[^\x00-\x7f]\([A-Z0-9]\)")
# What Orca says for a control with no name: its role alone ("ボタン."), in
# Japanese as GTK 4 (ARIA's names) or AT-SPI (ATK's) give it, or in English.
ARIA_ROLES = ("button", "checkbox", "radio", "textbox", "searchbox", "combobox", "spinbutton",
              "listitem", "menuitem", "switch", "tab", "link", "row", "option")
ATSPI_ROLES = ("push button", "toggle button", "check box", "radio button", "text", "entry",
               "password text", "combo box", "spin button", "list item", "menu item", "page tab")

ja = gettext.translation("shelterdesk", os.environ["SD_LOCALEDIR"], ["ja"])


def name_of(msgid):
    """The name the desk gives a control labelled MSGID in Japanese: its
    translation without the mnemonic ("サインイン(_I)" → "サインイン")."""
    text = ja.gettext(msgid)
    if text == msgid and not msgid.isdigit():
        raise SystemExit(f"Bail out! “{msgid}” has no Japanese translation")
    return re.sub(r"\(_[A-Za-z0-9]\)", "", text).replace("_", "")


class Orca:
    """Orca and its speech-dispatcher, with settings in TMP alone."""

    def __init__(self, tmp, env):
        home = os.path.join(tmp, "orca-home")
        self.log = os.path.join(tmp, "orca-debug.out")
        for d in ("config/speech-dispatcher", "run", "cache", "data", "prefs"):
            os.makedirs(os.path.join(home, d))
        with open(os.path.join(home, "config/speech-dispatcher/speechd.conf"), "w") as f:
            f.write('AddModule "dummy" "sd_dummy" ""\nDefaultModule dummy\n'
                    'AudioOutputMethod "alsa"\nAudioALSADevice "default"\n')
        with open(os.path.join(home, ".asoundrc"), "w") as f:
            f.write("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
        self.env = dict(env, HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
                        XDG_DATA_HOME=os.path.join(home, "data"), XDG_CACHE_HOME=os.path.join(home, "cache"),
                        XDG_RUNTIME_DIR=os.path.join(home, "run"))
        # Orca is not ours to hold to GLib's fatal warnings.
        for var in ("G_DEBUG", "MALLOC_CHECK_"):
            self.env.pop(var, None)
        self.prefs = os.path.join(home, "prefs")
        # Orca's own hook for a user's Python (orca-customizations.py in its
        # settings): its debug file written line by line, so each utterance
        # is in the file as soon as it is said, not when a buffer fills.
        with open(os.path.join(self.prefs, "orca-customizations.py"), "w") as f:
            f.write("from orca import debug\n"
                    "if debug.debugFile is not None:\n"
                    "    debug.debugFile.reconfigure(line_buffering=True)\n")
        self.procs = []
        self.read = 0

    def start(self):
        if subprocess.run(["pgrep", "-u", str(os.getuid()), "-x", "orca"], stdout=subprocess.DEVNULL).returncode == 0:
            # Orca refuses to start beside another of the same user's.
            raise SystemExit("Bail out! another Orca is running as this user")
        spd = subprocess.Popen(["speech-dispatcher", "--run-single", "--timeout", "0",
                                "--communication-method", "unix_socket", "--socket-path", "default"],
                               env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(spd)
        sock = os.path.join(self.env["XDG_RUNTIME_DIR"], "speech-dispatcher", "speechd.sock")
        wait_for("speech-dispatcher's socket", lambda: os.path.exists(sock) or spd.poll() is not None, 30.0)
        if spd.poll() is not None:
            raise SystemExit("Bail out! speech-dispatcher did not start")
        self.procs.append(subprocess.Popen(["orca", "--user-prefs", self.prefs, "--debug-file", self.log],
                                           env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def utterances(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return SPOKEN.findall(f.read())
        except FileNotFoundError:
            return []

    def said_since(self, mark):
        return self.utterances()[mark:]

    def settle(self, quiet=1.2, seconds=15.0):
        """Waits until Orca has said nothing new for QUIET seconds."""
        deadline = time.monotonic() + seconds
        count, since = len(self.utterances()), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = len(self.utterances())
            if now != count:
                count, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return count

    def stop(self):
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main():
    tmp = tempfile.mkdtemp(prefix="sd-orca-")
    db = os.path.join(tmp, "demo.sqlite")
    subprocess.run([CLI, "--db", db, "init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([CLI, "--db", db, "seed", "load", SEEDS], check=True, stdout=subprocess.DEVNULL)

    env = dict(os.environ, LANGUAGE="ja", GDK_BACKEND="x11", GSK_RENDERER="cairo")
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    # Orca asks for every control's place on the screen, which GTK 4.8 on
    # X11 answers with a warning ("Screen coordinates not supported"):
    # criticals stay fatal, that warning must not be.
    env["G_DEBUG"] = ",".join(["fatal-criticals"] + [
        f for f in env.get("G_DEBUG", "").split(",") if f and f != "fatal-warnings"])
    gtk = gettext.translation("gtk40", "/usr/share/locale", ["ja"], fallback=True)
    atspi = gettext.translation("at-spi2-core", "/usr/share/locale", ["ja"], fallback=True)
    bare_roles = ({gtk.pgettext("accessibility", r) for r in ARIA_ROLES} | {atspi.gettext(r) for r in ATSPI_ROLES}
                  | set(ARIA_ROLES) | set(ATSPI_ROLES))
    buttons = {gtk.pgettext("accessibility", "button"), atspi.gettext("push button")}
    desk = subprocess.Popen([DESK, "--db", db], env=env)
    orca = Orca(tmp, env)
    checks = []
    heard = []
    try:
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(desk.pid)],
                                check=True, capture_output=True, text=True).stdout.split()[0]
        orca.start()
        wait_for("Orca's first words", lambda: len(orca.utterances()) > 0, 30.0)

        def keys(*names):
            """NAMES pressed on the desk, one by one; after each, what Orca
            said (its echo of the key itself left out: "tab ")."""
            xdotool("windowfocus", "--sync", window)
            said = []
            for key in names:
                mark = orca.settle(quiet=0.5)
                xdotool("key", "--clearmodifiers", key)
                # Orca speaks within a second or so; then until it is quiet.
                try:
                    wait_for(f"Orca's words after {key}",
                             lambda: any(not w.endswith(" ") for w in orca.said_since(mark)), seconds=4)
                except SystemExit:
                    pass
                orca.settle(quiet=0.7)
                words = [w for w in orca.said_since(mark) if not w.endswith(" ")]
                said.append((key, words))
                heard.extend(words)
            return said

        def typed(text):
            xdotool("windowfocus", "--sync", window)
            mark = orca.settle(quiet=0.6)
            xdotool("type", "--delay", "80", text)
            orca.settle()
            heard.extend(orca.said_since(mark))

        # The desk opens on the sign-in page with the staff-number field
        # focused: Orca reads it first; Tab then goes through every key of the pad.
        orca.settle(quiet=2.0, seconds=20)
        heard.extend(orca.utterances())
        start = list(heard)
        signin = keys(*["Tab"] * 15)
        signin_said = start + [w for _, words in signin for w in words]
        staff = name_of("Staff number")
        checks.append((any(w.startswith(staff) for w in signin_said),
                       f"Orca says the staff-number field's name “{staff}”"))
        pad = [str(d) for d in range(1, 10)] + ["0", name_of("Clear the PIN"), name_of("Delete the last digit")]
        key_said = re.compile(r"(.+?)[ .]+(" + "|".join(map(re.escape, buttons)) + r")\W*")
        pad_said = {m.group(1) for m in map(key_said.fullmatch, signin_said) if m}
        for key in pad:
            checks.append((key in pad_said, f"Orca says the PIN pad's key “{key}” as a button"))

        # Signed in as the shelter lead with the keyboard.
        keys("alt+s")
        typed(LEAD)
        keys("Tab")
        typed(LEAD_PIN)
        keys("Return")
        time.sleep(1.5)
        orca.settle(quiet=1.5)

        # Intake: each Tab lands on a control Orca reads by its name.
        intake = keys("ctrl+1", *["Tab"] * 6)
        # A control's name as the desk shows it ("氏名(N)": GTK draws the
        # mnemonic without its underscore) or as the desk names it ("氏名").
        shown = set()
        for text in ja._catalog.values():
            if isinstance(text, str) and len(text) >= 2:
                shown |= {text.replace("_", ""), re.sub(r"\(_[A-Za-z0-9]\)", "", text).replace("_", "")}
        for i, (key, words) in enumerate(intake[1:], 1):
            focus = words[-1] if words else ""
            named = any(focus.startswith(n + " ") for n in shown)
            checks.append((named and focus.strip(" .") not in bare_roles,
                           f"Intake, Tab {i}: Orca says the control's name ({focus or 'nothing'})"))

        # Nothing Orca said, all along, was a class name or a mnemonic.
        for bad in ("GtkToggleButton", "GtkListItemWidget"):
            checks.append((not any(bad in w for w in heard), f"Orca never says “{bad}”"))
        classes = sorted({m.group(0) for w in heard for m in CLASS_NAME.finditer(w)})
        checks.append((not classes, f"Orca says no GTK class name ({', '.join(classes) or 'none'})"))
        marked = sorted({w for w in heard if MNEMONIC.search(w)})
        checks.append((not marked, f"Orca says no mnemonic's underscore ({' | '.join(marked) or 'none'})"))
        keyed = sorted({w for w in heard if KEY_MARK.search(w)})
        checks.append((not keyed, f"Orca does not read a control's key after its name ({' | '.join(keyed) or 'none'})"))
        bare = sorted({w for w in heard if w.strip(" .") in bare_roles})
        checks.append((not bare, f"Orca names every control it reads ({' | '.join(bare) or 'no bare role'})"))
        checks.append((len(heard) >= 20, f"Orca spoke throughout ({len(heard)} utterances)"))
    finally:
        orca.stop()
        desk.terminate()
        try:
            desk.wait(10)
        except subprocess.TimeoutExpired:
            desk.kill()
        for w in heard:
            print(f"# Orca: {w}")
        if os.environ.get("SD_ORCA_KEEP_LOG"):  # a copy of Orca's whole debug log, to read why
            shutil.copy(orca.log, os.environ["SD_ORCA_KEEP_LOG"])
        shutil.rmtree(tmp, ignore_errors=True)
    tap.report(checks)


if __name__ == "__main__":
    main()
