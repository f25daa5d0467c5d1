/* test-serial-scanner.c: the serial barcode scanner reader, over a pseudo-terminal.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test writes to the master side of a pty as a scanner would write to
 * its USB-CDC port; the scanner under test reads the slave side, through
 * a symbolic link in a temporary directory so that "unplugging" can close
 * the pty and "plugging back in" can point the same path at a new one.
 * Closing the master makes the slave read EIO (or 0) and removes its
 * /dev/pts node, as unplugging a USB device removes its /dev/ttyACM node.
 *
 * Waits run the default main context until a condition holds, failing
 * after a deadline; the only fixed waits are the pauses the cases are
 * about, and the checks that nothing more arrives.
 */
#define _GNU_SOURCE  /* posix_openpt, ptsname */
#include "sd-serial-scanner.h"

#include <glib/gstdio.h>

#ifdef G_OS_UNIX
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEADLINE_MS 5000

typedef struct {
  int   master;      /* -1 once "unplugged" */
  char *slave_path;  /* /dev/pts/N */
} Pty;

typedef struct {
  SdSerialScanner *scanner;
  char            *dir;
  char            *link;       /* DIR/scanner → /dev/pts/N */
  Pty              pty;
  GPtrArray       *scanned;    /* char* */
  GArray          *partials;   /* guint: n_bytes of each "partial" */
  guint            state_changes;
  guint            notifies;
} Fixture;

/* ---- the main context ---- */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until COND holds or MS pass, then asserts COND. */
#define WAIT_UNTIL(cond, ms)                                            \
  G_STMT_START {                                                        \
    gboolean timed_out_ = FALSE;                                        \
    guint id_ = g_timeout_add ((ms), set_flag_cb, &timed_out_);         \
    while (!(cond) && !timed_out_)                                      \
      g_main_context_iteration (NULL, TRUE);                            \
    if (!timed_out_)                                                    \
      g_source_remove (id_);                                            \
    g_assert_true (cond);                                               \
  } G_STMT_END

/* Runs the main context for MS, for the checks that nothing happens. */
static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- the pseudo-terminal ---- */

static void
pty_open (Pty *pty)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  const char *name;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  name = ptsname (master);
  g_assert_nonnull (name);
  /* Writes must not block the test: the scanner reads in this thread. */
  g_assert_cmpint (fcntl (master, F_SETFL, fcntl (master, F_GETFL) | O_NONBLOCK), ==, 0);

  pty->master = master;
  pty->slave_path = g_strdup (name);
}

static void
pty_close (Pty *pty)
{
  if (pty->master >= 0)
    close (pty->master);
  pty->master = -1;
  g_clear_pointer (&pty->slave_path, g_free);
}

/* What the scanner sends; a full tty buffer waits for the reader. */
static void
pty_write (Pty        *pty,
           const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (pty->master, p, len);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EAGAIN || errsv == EWOULDBLOCK)
            {
              iterate_for (5);
              continue;
            }
          g_assert_cmpint (errsv, ==, EINTR);
          continue;
        }
      p += n;
      len -= (gsize) n;
    }
}

static void
pty_write_str (Pty        *pty,
               const char *text)
{
  pty_write (pty, text, strlen (text));
}

/* Points LINK at TARGET, replacing what it pointed at in one step. */
static void
point_link (const char *link,
            const char *target)
{
  g_autofree char *tmp = g_strconcat (link, ".new", NULL);

  g_unlink (tmp);
  g_assert_cmpint (symlink (target, tmp), ==, 0);
  g_assert_cmpint (g_rename (tmp, link), ==, 0);
}

/* ---- the fixture ---- */

static void
scanned_cb (SdSerialScanner *scanner,
            const char      *code,
            Fixture         *f)
{
  g_ptr_array_add (f->scanned, g_strdup (code));
}

static void
partial_cb (SdSerialScanner *scanner,
            guint            n_bytes,
            Fixture         *f)
{
  g_array_append_val (f->partials, n_bytes);
}

static void
state_changed_cb (SdSerialScanner *scanner,
                  Fixture         *f)
{
  f->state_changes++;
}

static void
notify_connected_cb (SdSerialScanner *scanner,
                     GParamSpec      *pspec,
                     Fixture         *f)
{
  f->notifies++;
}

/* A scanner on DIR/scanner; with_pty links that to a new pty first. */
static void
fixture_set_up (Fixture  *f,
                gboolean  with_pty)
{
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->pty.master = -1;
  f->dir = g_dir_make_tmp ("sd-scanner-XXXXXX", &error);
  g_assert_no_error (error);
  f->link = g_build_filename (f->dir, "scanner", NULL);
  if (with_pty)
    {
      pty_open (&f->pty);
      point_link (f->link, f->pty.slave_path);
    }

  f->scanned = g_ptr_array_new_with_free_func (g_free);
  f->partials = g_array_new (FALSE, FALSE, sizeof (guint));
  f->scanner = sd_serial_scanner_new (f->link);
  g_signal_connect (f->scanner, "scanned", G_CALLBACK (scanned_cb), f);
  g_signal_connect (f->scanner, "partial", G_CALLBACK (partial_cb), f);
  g_signal_connect (f->scanner, "state-changed", G_CALLBACK (state_changed_cb), f);
  g_signal_connect (f->scanner, "notify::connected", G_CALLBACK (notify_connected_cb), f);
}

/* Sets up with a pty and starts the scanner on it. */
static void
fixture_start (Fixture *f)
{
  fixture_set_up (f, TRUE);
  g_assert_cmpstr (sd_serial_scanner_get_device_path (f->scanner), ==, f->link);
  g_assert_false (sd_serial_scanner_get_connected (f->scanner));

  sd_serial_scanner_start (f->scanner);
  g_assert_true (sd_serial_scanner_get_connected (f->scanner));
  g_assert_cmpuint (f->state_changes, ==, 1);
  g_assert_cmpuint (f->notifies, ==, 1);
}

static void
fixture_tear_down (Fixture *f)
{
  g_clear_object (&f->scanner);
  pty_close (&f->pty);
  g_unlink (f->link);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->link);
  g_free (f->dir);
  g_ptr_array_unref (f->scanned);
  g_array_unref (f->partials);
  /* Nothing of the scanner may be left on the context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Sends a sentinel code and waits for it: everything sent before it has
 * then been read and emitted.  Removes the sentinel from the list. */
static void
flush_scans (Fixture *f)
{
  pty_write_str (&f->pty, "SENTINEL\r\n");
  WAIT_UNTIL (f->scanned->len > 0 &&
              g_str_equal (g_ptr_array_index (f->scanned, f->scanned->len - 1), "SENTINEL"),
              DEADLINE_MS);
  g_ptr_array_remove_index (f->scanned, f->scanned->len - 1);
}

static void
assert_scanned (Fixture           *f,
                const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (f->scanned->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (f->scanned, i), ==, expected[i]);
}

/* ---- the cases ---- */

static void
test_serial_scanner_one_code (void)
{
  Fixture f;
  const char *expected[] = { "SDC1ABCDEF234567", NULL };

  fixture_start (&f);
  pty_write_str (&f.pty, "SDC1ABCDEF234567\r\n");
  WAIT_UNTIL (f.scanned->len >= 1, DEADLINE_MS);
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 0);

  /* Starting again does nothing. */
  sd_serial_scanner_start (f.scanner);
  g_assert_cmpuint (f.state_changes, ==, 1);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_terminators (void)
{
  Fixture f;
  const char *expected[] = { "CR-ONLY", "LF-ONLY", "CRLF", "FIRST", "SECOND", "SPACED", NULL };

  fixture_start (&f);
  pty_write_str (&f.pty, "CR-ONLY\r");
  pty_write_str (&f.pty, "LF-ONLY\n");
  pty_write_str (&f.pty, "CRLF\r\n");
  pty_write_str (&f.pty, "FIRST\r\nSECOND\r\n");
  /* Empty and blank lines are nothing; white space around a code goes. */
  pty_write_str (&f.pty, "\r\n\n\r  \t \r\n  SPACED \t\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 0);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_pieces (void)
{
  Fixture f;
  const char *expected[] = { "SDC1ABCDEF234567", NULL };

  fixture_start (&f);
  pty_write_str (&f.pty, "SDC1AB");
  iterate_for (20);
  pty_write_str (&f.pty, "CDEF23");
  iterate_for (20);
  pty_write_str (&f.pty, "4567\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 0);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_partial (void)
{
  Fixture f;
  const char *expected[] = { "SDC1ABCDEF234567", NULL };
  gint64 start;

  fixture_start (&f);
  start = g_get_monotonic_time ();
  pty_write_str (&f.pty, "SDC1HALF");
  WAIT_UNTIL (f.partials->len >= 1, DEADLINE_MS);
  /* Not before the timeout (the timer starts once the bytes are read). */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  iterate_for (200);  /* the rest of a 500 ms pause */
  g_assert_cmpuint (f.partials->len, ==, 1);
  g_assert_cmpuint (g_array_index (f.partials, guint, 0), ==, strlen ("SDC1HALF"));
  g_assert_cmpuint (f.scanned->len, ==, 0);

  pty_write_str (&f.pty, "SDC1ABCDEF234567\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 1);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_invalid_utf8 (void)
{
  Fixture f;
  const char *code;

  fixture_start (&f);
  pty_write_str (&f.pty, "SDC1\xff\xfe" "AB\xc3(\r\n");
  flush_scans (&f);
  g_assert_cmpuint (f.scanned->len, ==, 1);
  code = g_ptr_array_index (f.scanned, 0);
  g_assert_true (g_utf8_validate (code, -1, NULL));
  g_assert_true (g_str_has_prefix (code, "SDC1\xef\xbf\xbd"));
  g_assert_true (g_str_has_suffix (code, "AB\xef\xbf\xbd("));
  g_assert_cmpuint (f.partials->len, ==, 0);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_too_long (void)
{
  Fixture f;
  g_autofree char *longest = g_malloc (8192 + 1);
  g_autofree char *too_long = g_malloc (10000);
  const char *expected[] = { "SDC1NEXT", "SDC1AFTER", NULL };

  memset (longest, 'L', 8192);
  longest[8192] = '\0';
  memset (too_long, 'X', 10000);

  fixture_start (&f);

  /* 8192 bytes is the most a code may have. */
  pty_write (&f.pty, longest, 8192);
  pty_write_str (&f.pty, "\r\n");
  flush_scans (&f);
  g_assert_cmpuint (f.scanned->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f.scanned, 0), ==, longest);
  g_ptr_array_set_size (f.scanned, 0);

  /* 10000 bytes and a terminator: dropped, reported, the next code scans. */
  pty_write (&f.pty, too_long, 10000);
  pty_write_str (&f.pty, "\r\nSDC1NEXT\r\n");
  flush_scans (&f);
  g_assert_cmpuint (f.partials->len, ==, 1);
  g_assert_cmpuint (g_array_index (f.partials, guint, 0), ==, 10000);

  /* 10000 bytes that stop: dropped when the timeout finds them. */
  pty_write (&f.pty, too_long, 10000);
  WAIT_UNTIL (f.partials->len >= 2, DEADLINE_MS);
  g_assert_cmpuint (g_array_index (f.partials, guint, 1), ==, 10000);
  pty_write_str (&f.pty, "SDC1AFTER\r\n");
  flush_scans (&f);

  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 2);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_unplug (void)
{
  Fixture f;
  const char *expected[] = { "SDC1BEFORE", "SDC1AFTER", NULL };
  gint64 start;

  fixture_start (&f);
  pty_write_str (&f.pty, "SDC1BEFORE\r\n");
  flush_scans (&f);

  /* Unplugged, half-way through a scan: disconnected, the half dropped. */
  pty_write_str (&f.pty, "SDC1HA");
  iterate_for (100);  /* read, well before the 300 ms timeout */
  g_assert_cmpuint (f.partials->len, ==, 0);
  pty_close (&f.pty);
  WAIT_UNTIL (!sd_serial_scanner_get_connected (f.scanner), DEADLINE_MS);
  g_assert_cmpuint (f.state_changes, ==, 2);
  g_assert_cmpuint (f.notifies, ==, 2);
  g_assert_cmpuint (f.partials->len, ==, 1);
  g_assert_cmpuint (g_array_index (f.partials, guint, 0), ==, 6);

  /* Nothing there for a retry or two. */
  iterate_for (1200);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));
  g_assert_cmpuint (f.state_changes, ==, 2);

  /* Plugged back in: the same path, another pty. */
  pty_open (&f.pty);
  point_link (f.link, f.pty.slave_path);
  start = g_get_monotonic_time ();
  WAIT_UNTIL (sd_serial_scanner_get_connected (f.scanner), 3000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (f.state_changes, ==, 3);
  g_assert_cmpuint (f.notifies, ==, 3);

  pty_write_str (&f.pty, "SDC1AFTER\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 1);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_missing (void)
{
  Fixture f;
  const char *expected[] = { "SDC1ABCDEF234567", NULL };

  fixture_set_up (&f, FALSE);
  sd_serial_scanner_start (f.scanner);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));
  g_assert_cmpuint (f.state_changes, ==, 0);

  /* A regular file is not a scanner either. */
  g_assert_true (g_file_set_contents (f.link, "SDC1FILE\r\n", -1, NULL));
  iterate_for (1200);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));
  g_assert_cmpuint (f.state_changes, ==, 0);
  g_assert_cmpuint (f.scanned->len, ==, 0);

  pty_open (&f.pty);
  point_link (f.link, f.pty.slave_path);
  WAIT_UNTIL (sd_serial_scanner_get_connected (f.scanner), DEADLINE_MS);
  g_assert_cmpuint (f.state_changes, ==, 1);

  pty_write_str (&f.pty, "SDC1ABCDEF234567\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  fixture_tear_down (&f);
}

static void
test_serial_scanner_stop (void)
{
  Fixture f;
  const char *expected[] = { "SDC1AGAIN", NULL };

  fixture_start (&f);
  sd_serial_scanner_stop (f.scanner);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));
  g_assert_cmpuint (f.state_changes, ==, 2);
  g_assert_cmpuint (f.notifies, ==, 2);
  sd_serial_scanner_stop (f.scanner);
  g_assert_cmpuint (f.state_changes, ==, 2);

  /* Neither the code nor the line that breaks off comes out. */
  pty_write_str (&f.pty, "SDC1STOPPED\r\nSDC1HALF");
  iterate_for (500);
  g_assert_cmpuint (f.scanned->len, ==, 0);
  g_assert_cmpuint (f.partials->len, ==, 0);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));

  /* Started again: what came while stopped is stale, new codes scan. */
  sd_serial_scanner_start (f.scanner);
  g_assert_true (sd_serial_scanner_get_connected (f.scanner));
  pty_write_str (&f.pty, "SDC1AGAIN\r\n");
  flush_scans (&f);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 0);
  fixture_tear_down (&f);
}

/* A handler that stops the scanner: the rest of the read is not emitted. */
static void
stop_on_scan_cb (SdSerialScanner *scanner,
                 const char      *code,
                 gpointer         user_data)
{
  sd_serial_scanner_stop (scanner);
}

static void
test_serial_scanner_stop_in_handler (void)
{
  Fixture f;
  const char *expected[] = { "FIRST", NULL };

  fixture_start (&f);
  g_signal_connect (f.scanner, "scanned", G_CALLBACK (stop_on_scan_cb), NULL);
  pty_write_str (&f.pty, "FIRST\r\nSECOND\r\nTHIRD");
  WAIT_UNTIL (f.scanned->len >= 1, DEADLINE_MS);
  iterate_for (400);
  assert_scanned (&f, expected);
  g_assert_cmpuint (f.partials->len, ==, 0);
  g_assert_false (sd_serial_scanner_get_connected (f.scanner));
  fixture_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/serial-scanner/one-code", test_serial_scanner_one_code);
  g_test_add_func ("/serial-scanner/terminators", test_serial_scanner_terminators);
  g_test_add_func ("/serial-scanner/pieces", test_serial_scanner_pieces);
  g_test_add_func ("/serial-scanner/partial", test_serial_scanner_partial);
  g_test_add_func ("/serial-scanner/invalid-utf8", test_serial_scanner_invalid_utf8);
  g_test_add_func ("/serial-scanner/too-long", test_serial_scanner_too_long);
  g_test_add_func ("/serial-scanner/unplug", test_serial_scanner_unplug);
  g_test_add_func ("/serial-scanner/missing", test_serial_scanner_missing);
  g_test_add_func ("/serial-scanner/stop", test_serial_scanner_stop);
  g_test_add_func ("/serial-scanner/stop-in-handler", test_serial_scanner_stop_in_handler);

  return g_test_run ();
}

#else /* !G_OS_UNIX */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A Windows program cannot make a pseudo-terminal: under Wine the same
   * cases run on a COM port that Wine maps onto one, driven from Linux
   * (tests/windows/test-serial-wine.py). */
  g_test_skip ("COM ports are tested by the windows suite's serial-com-port");

  return g_test_run ();
}

#endif /* G_OS_UNIX */
