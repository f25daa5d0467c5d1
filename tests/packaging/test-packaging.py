#!/usr/bin/env python3
# test-packaging.py: ShelterDesk as a municipality installs it (issue 13).
#
#     test-packaging.py SOURCE_ROOT BUILD_ROOT
#
# Runs under its own Xvfb (run-under-xvfb.sh).  Every program is started
# the way a person or a unit starts it, with no SD_* or GSETTINGS_*
# variable: from the build tree, from a copy with no data files at all,
# from a `meson install --destdir` tree, and from the .deb that
# dpkg-buildpackage makes of the source (checked by lintian, unpacked with
# dpkg-deb -x).  An upgrade test opens a database made by the release
# before with every row and op-log entry kept.  Prints TAP.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

SOURCE, BUILD = (os.path.abspath(p) for p in sys.argv[1:3])
APP_ID = "io.github.shelterdesk.ShelterDesk"
TMP = tempfile.mkdtemp(prefix="sd-packaging-")
results = []


def clean_env(**extra):
    """The environment of a person's session: none of the variables the
    tests and ./run set, a home of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SD_", "GSETTINGS_", "XDG_DATA_DIRS", "LANGUAGE", "G_DEBUG"))}
    home = os.path.join(TMP, "home")
    os.makedirs(home, exist_ok=True)
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local/share"), LC_ALL="C.UTF-8",
               NO_AT_BRIDGE="1", GTK_A11Y="none", GDK_BACKEND="x11", GSK_RENDERER="cairo")
    env.update(extra)
    return env


def run(cmd, env=None, timeout=600, check=True, cwd=None):
    p = subprocess.run(cmd, env=env or clean_env(), capture_output=True, text=True, timeout=timeout, cwd=cwd)
    if check and p.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:],
                                                      p.stderr[-3000:]))
    return p


def window_names():
    p = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], capture_output=True, text=True)
    names = []
    for wid in p.stdout.split():
        n = subprocess.run(["xdotool", "getwindowname", wid], capture_output=True, text=True).stdout.strip()
        names.append(n)
    return names


def desk_window(cmd, env, expect_title=None, expect_stderr=None, forbid_stderr=("CRITICAL", "ERROR", "Aborted")):
    """Starts the desk, waits for its window, checks it is still running
    and what it said, and stops it.  Returns (title, stderr)."""
    err_path = os.path.join(TMP, "desk-stderr-%d.txt" % len(results))
    with open(err_path, "w") as err:
        desk = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        title = None
        deadline = time.time() + 30
        while time.time() < deadline and title is None:
            time.sleep(0.5)
            if desk.poll() is not None:
                raise AssertionError("the desk exited (%d): %s" % (desk.returncode, open(err_path).read()[-2000:]))
            names = [n for n in window_names() if n]
            if names:
                title = names[0]
        if title is None:
            raise AssertionError("no window within 30 s: %s" % open(err_path).read()[-2000:])
        time.sleep(1.0)
        if desk.poll() is not None:
            raise AssertionError("the desk exited after showing its window")
    finally:
        desk.terminate()
        try:
            desk.wait(timeout=10)
        except subprocess.TimeoutExpired:
            desk.kill()
            desk.wait()
    said = open(err_path).read()
    for word in forbid_stderr:
        if word in said:
            raise AssertionError("the desk said %r on stderr:\n%s" % (word, said[-2000:]))
    if expect_title is not None and title != expect_title:
        raise AssertionError("window title %r, expected %r" % (title, expect_title))
    if expect_stderr is not None and said.count(expect_stderr) != 1:
        raise AssertionError("expected %r once on stderr, got:\n%s" % (expect_stderr, said))
    return title, said


def subtest(name):
    def wrap(fn):
        def runner():
            try:
                detail = fn()
                results.append((True, name, detail))
            except Exception:
                results.append((False, name, traceback.format_exc()))
        runner.subtest_name = name
        runner.__name__ = fn.__name__
        return runner
    return wrap


def make_db(cli, path, env=None):
    run([cli, "--db", path, "init", "--site-name", "パッケージ試験"], env=env)
    return path


BUILD_DESK = os.path.join(BUILD, "src/app/shelterdesk")
BUILD_CLI = os.path.join(BUILD, "src/cli/shelterdesk-cli")
installed = {}  # what meson_install installed, for the upgrade through the installed path


@subtest("the desk runs from the build tree with no variables set, in Japanese, and in kiosk mode")
def build_tree():
    db = os.path.join(TMP, "build-tree.sqlite")
    desk_window([BUILD_DESK, "--db", db], clean_env(), expect_title="避難所デスク",
                forbid_stderr=("CRITICAL", "ERROR", "not installed"))
    desk_window([BUILD_DESK, "--kiosk", "--db", db], clean_env(), expect_title="避難所デスク",
                forbid_stderr=("CRITICAL", "ERROR", "not installed"))
    help_text = run([BUILD_DESK, "--help"]).stdout
    assert "用法" in help_text and "--kiosk" in help_text, help_text


@subtest("with no schema anywhere the desk starts on its defaults and says so once")
def no_schema():
    lonely = os.path.join(TMP, "lonely")
    os.makedirs(lonely, exist_ok=True)
    shutil.copy2(BUILD_DESK, lonely)
    db = os.path.join(TMP, "lonely.sqlite")
    # No catalogue either: the source strings, never a crash.
    desk_window([os.path.join(lonely, "shelterdesk"), "--db", db], clean_env(), expect_title="ShelterDesk",
                expect_stderr="is not installed; starting with the default settings")


def installed_files(root):
    files = {os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "**"), recursive=True)}
    return files


@subtest("meson install --destdir puts every file in place; the installed desk and its pages work")
def meson_install():
    dest = os.path.join(TMP, "destdir")
    run(["meson", "install", "-C", BUILD, "--destdir", dest, "--no-rebuild", "--quiet"], env=dict(os.environ))
    prefix = run(["meson", "introspect", "--buildoptions", BUILD], env=dict(os.environ)).stdout
    prefix = next(o["value"] for o in json.loads(prefix) if o["name"] == "prefix")
    root = dest + prefix
    files = installed_files(root)
    wanted = ["bin/shelterdesk", "bin/shelterdesk-cli",
              "share/glib-2.0/schemas/%s.gschema.xml" % APP_ID,
              "share/glib-2.0/schemas/gschemas.compiled",
              "share/applications/%s.desktop" % APP_ID,
              "share/metainfo/%s.metainfo.xml" % APP_ID,
              "share/icons/hicolor/scalable/apps/%s.svg" % APP_ID,
              "share/locale/ja/LC_MESSAGES/shelterdesk.mo",
              "share/man/man1/shelterdesk.1", "share/man/man1/shelterdesk-cli.1",
              "share/shelterdesk/seeds/manifest.json"]
    wanted += ["share/icons/hicolor/%dx%d/apps/%s.png" % (s, s, APP_ID) for s in (16, 24, 32, 48, 64, 128, 256, 512)]
    missing = [w for w in wanted if w not in files]
    assert not missing, "not installed: %s" % missing

    env = clean_env(XDG_DATA_DIRS=os.path.join(root, "share") + ":/usr/share")
    installed.update(cli=os.path.join(root, "bin/shelterdesk-cli"), env=env)
    db = os.path.join(TMP, "installed.sqlite")
    make_db(os.path.join(root, "bin/shelterdesk-cli"), db, env)
    desk_window([os.path.join(root, "bin/shelterdesk"), "--db", db], env, expect_title="避難所デスク",
                forbid_stderr=("CRITICAL", "ERROR", "not installed"))
    assert "用法" in run([os.path.join(root, "bin/shelterdesk"), "--help"], env=env).stdout

    for page, words in (("shelterdesk.1", ["SHELTERDESK(1)", "--kiosk", "--db"]),
                        ("shelterdesk-cli.1", ["SHELTERDESK-CLI(1)", "kiosk setup", "seed load", "--site-name"])):
        text = run(["man", "-l", os.path.join(root, "share/man/man1", page)],
                   env=clean_env(MANPAGER="cat", MANWIDTH="100")).stdout
        for w in words:
            assert w in text, "%s lacks %r:\n%s" % (page, w, text[:2000])
    run(["desktop-file-validate", os.path.join(root, "share/applications/%s.desktop" % APP_ID)])
    run(["appstreamcli", "validate", "--no-net", os.path.join(root, "share/metainfo/%s.metainfo.xml" % APP_ID)])
    return "%d files installed" % len(files)


@subtest("the .deb builds from packaging/debian, passes lintian, and runs unpacked")
def deb():
    work = os.path.join(TMP, "deb")
    tree = os.path.join(work, "shelterdesk-0.1.0")
    os.makedirs(tree)
    tracked = run(["git", "ls-files", "-z"], cwd=SOURCE, env=dict(os.environ)).stdout.split("\0")
    for rel in filter(None, tracked):
        src = os.path.join(SOURCE, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(tree, rel))
    shutil.copytree(os.path.join(tree, "packaging/debian"), os.path.join(tree, "debian"))
    t0 = time.time()
    run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=tree, env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=1800)
    built = time.time() - t0
    debs = glob.glob(os.path.join(work, "shelterdesk_*.deb"))
    assert len(debs) == 1, debs
    changes = glob.glob(os.path.join(work, "shelterdesk_*.changes"))
    lint = run(["lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", changes[0]], check=False,
               env=dict(os.environ, LC_ALL="C.UTF-8"))
    assert lint.returncode == 0, "lintian:\n" + lint.stdout + lint.stderr
    listing = {line.split()[-1] for line in run(["dpkg-deb", "-c", debs[0]]).stdout.splitlines()}
    for path in ("./usr/bin/shelterdesk", "./usr/bin/shelterdesk-cli",
                 "./lib/systemd/system/shelterdesk-kiosk.service", "./etc/pam.d/shelterdesk-kiosk",
                 "./usr/share/man/man1/shelterdesk.1.gz", "./usr/share/man/man1/shelterdesk-cli.1.gz",
                 "./usr/share/doc/shelterdesk/deploy-linux.md", "./usr/share/locale/ja/LC_MESSAGES/shelterdesk.mo",
                 "./usr/share/glib-2.0/schemas/%s.gschema.xml" % APP_ID):
        assert path in listing, "%s not in the package" % path
    scripts = os.path.join(work, "control")
    run(["dpkg-deb", "-e", debs[0], scripts])
    postinst = open(os.path.join(scripts, "postinst")).read()
    assert "adduser --system" in postinst and "0700" in postinst
    for script in ("preinst", "postinst", "prerm", "postrm", "config"):
        if script != "preinst" or os.path.exists(os.path.join(scripts, script)):
            run(["sh", "-n", os.path.join(scripts, script)])
    # The kiosk unit: never enabled by the package; once enabled, an
    # upgrade restarts it (not left stopped) and removal stops it.
    assert "deb-systemd-helper" in postinst and "enable" not in postinst.split("deb-systemd-helper")[0][-200:]
    assert "deb-systemd-invoke" in postinst and "restart" in postinst, "an upgrade leaves the kiosk stopped"
    assert "deb-systemd-invoke stop" in open(os.path.join(scripts, "prerm")).read(), "removal leaves it running"
    # Purge asks (debconf, default no) before the site database goes.
    templates = open(os.path.join(scripts, "templates")).read()
    assert "shelterdesk/purge-database" in templates and "Default: false" in templates
    assert "Description-ja.UTF-8:" in templates, "the question has no Japanese"
    assert "db_input high shelterdesk/purge-database" in open(os.path.join(scripts, "postrm")).read()
    unpacked = os.path.join(work, "root")
    run(["dpkg-deb", "-x", debs[0], unpacked])
    unit = glob.glob(os.path.join(unpacked, "lib/systemd/system/shelterdesk-kiosk.service"))
    assert unit, "no kiosk unit"
    verify = run(["systemd-analyze", "verify", "--man=no", unit[0]], check=False)
    assert verify.returncode == 0 and verify.stderr.strip() == "", verify.stderr
    text = open(unit[0]).read()
    for needle in ("User=shelterdesk", "/usr/bin/cage -d -s --", "--kiosk --db /var/lib/shelterdesk/site.sqlite",
                   "Restart=always", "StartLimitBurst=", "PAMName=shelterdesk-kiosk"):
        assert needle in text, needle

    cli = os.path.join(unpacked, "usr/bin/shelterdesk-cli")
    env = clean_env(XDG_DATA_DIRS=os.path.join(unpacked, "usr/share") + ":/usr/share")
    assert "0.1.0" in run([cli, "--version"], env=env).stdout
    kiosk_dir = os.path.join(TMP, "kiosk")
    os.makedirs(kiosk_dir)
    site = os.path.join(kiosk_dir, "site.sqlite")
    as_user = ["--user", "root"] if os.geteuid() == 0 else []  # no "shelterdesk" user here
    run([cli, "--db", site, "kiosk", "setup", os.path.join(unpacked, "usr/share/shelterdesk/seeds"), *as_user], env=env)
    assert oct(os.stat(site).st_mode & 0o777) == "0o600"
    again = run([cli, "--db", site, "kiosk", "setup", os.path.join(unpacked, "usr/share/shelterdesk/seeds"),
                 *as_user], env=env, check=False)
    assert again.returncode != 0 and "already exists" in again.stderr, again.stderr
    # The package compiles no schema (its trigger does, on the target): the
    # unpacked desk runs on the defaults and says so.
    desk_window([os.path.join(unpacked, "usr/bin/shelterdesk"), "--kiosk", "--db", site], env,
                expect_title="避難所デスク", expect_stderr="is not installed; starting with the default settings")
    return "built in %.0f s; lintian: %s" % (built, (lint.stdout.strip().splitlines() or ["clean"])[-1])


@subtest("a database made by the release before opens with every row and op-log entry kept")
def upgrade():
    fixture = os.path.join(SOURCE, "tests/data/release-0.1-site.sqlite")
    db = os.path.join(TMP, "upgrade.sqlite")
    shutil.copy2(fixture, db)
    os.chmod(db, 0o600)  # a checkout makes it 0644; a site's file is its owner's alone

    def census(path):
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: con.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in tables}
        oplog = con.execute("SELECT site, seq, hlc FROM oplog ORDER BY site, seq").fetchall()
        con.close()
        return counts, oplog

    assert installed, "the install subtest did not run: the upgrade goes through the installed CLI"
    cli, env = installed["cli"], installed["env"]
    before_counts, before_oplog = census(db)
    info = json.loads(run([cli, "--db", db, "info", "--json"], env=env).stdout)
    run([cli, "--db", db, "check", "--deep"], env=env)
    after_counts, after_oplog = census(db)
    for table, n in before_counts.items():
        assert after_counts.get(table, 0) >= n, "%s: %d rows, %d before" % (table, after_counts.get(table, 0), n)
    assert after_oplog[:len(before_oplog)] == before_oplog, "the op-log changed"
    assert info["counts"]["persons"] == before_counts["persons"]

    newer = os.path.join(TMP, "newer.sqlite")
    shutil.copy2(fixture, newer)
    os.chmod(newer, 0o600)
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 999")
    con.commit()
    con.close()
    with open(newer, "rb") as f:
        untouched = f.read()
    refused = run([cli, "--db", newer, "info"], env=env, check=False)
    assert refused.returncode != 0 and "newer" in refused.stderr, refused.stderr
    with open(newer, "rb") as f:
        assert f.read() == untouched, "a newer database was changed"
    return "schema %s, %d persons, %d op-log entries" % (info["schema_version"], before_counts["persons"],
                                                        len(before_oplog))


def main():
    tests = [build_tree, no_schema, meson_install, deb, upgrade]
    only = os.environ.get("SD_PACKAGING_ONLY")
    print("1..%d" % len(tests), flush=True)
    for i, test in enumerate(tests, 1):
        if only and only not in test.__name__:
            print("ok %d %s # SKIP not selected" % (i, test.subtest_name), flush=True)
            continue
        test()
        ok, name, detail = results[-1]
        if not ok or detail:
            for line in str(detail).splitlines():
                print("# " + line, flush=True)
        print("%s %d %s" % ("ok" if ok else "not ok", i, name), flush=True)
    shutil.rmtree(TMP, ignore_errors=True)
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
