/* sd-card-fixture.c: the real card stack for tests: pcscd with vpcd, and emulated cards and readers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* memmem */
#include "sd-card-fixture.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

static GPid pcscd_pid;
static char *conf_dir;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GPid
spawn (GPtrArray *argv,
       gboolean   quiet)
{
  g_autoptr(GError) error = NULL;
  /* stdout is the test's TAP stream: keep it clean. */
  GSpawnFlags flags = G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL;
  GPid pid = 0;

  if (quiet)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL, flags, die_with_parent, NULL, &pid, &error))
    g_error ("cannot start %s: %s", (char *) argv->pdata[0], error->message);
  return pid;
}

void
sd_card_fixture_stop (GPid pid)
{
  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

static char *
reader_name (guint port)
{
  return g_strdup_printf ("Virtual PCD 00 %02u", port - SD_VPCD_PORT_0);
}

/* Waits (up to 10 s) until PC/SC shows READER with or without a card. */
static gboolean
wait_reader (const char *reader,
             gboolean    with_card)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  SCARDCONTEXT context;
  SCARD_READERSTATE state = { 0 };
  gboolean ok = FALSE;

  while (g_get_monotonic_time () < deadline && !ok)
    {
      if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
        {
          g_usleep (50000);
          continue;
        }
      state.szReader = reader;
      state.dwCurrentState = SCARD_STATE_UNAWARE;
      for (int i = 0; i < 40 && !ok; i++)
        {
          LONG rc = SCardGetStatusChange (context, 250, &state, 1);

          if (rc != SCARD_S_SUCCESS && rc != SCARD_E_TIMEOUT)
            {
              g_usleep (50000);
              break;
            }
          ok = with_card ? (state.dwEventState & SCARD_STATE_PRESENT) != 0
                         : (state.dwEventState & SCARD_STATE_EMPTY) != 0;
          state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
      SCardReleaseContext (context);
    }
  return ok;
}

gboolean
sd_card_fixture_pcscd_start (char **skip_reason)
{
  g_autofree char *reader = reader_name (SD_VPCD_PORT_0);
  g_autofree char *conf = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  /* A pcscd already running (a developer's desktop): use its virtual reader. */
  if (g_file_test ("/run/pcscd/pcscd.comm", G_FILE_TEST_EXISTS))
    {
      SCARDCONTEXT context;

      if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) == SCARD_S_SUCCESS)
        {
          SCardReleaseContext (context);
          if (wait_reader (reader, FALSE))
            return TRUE;
          *skip_reason = g_strdup ("a pcscd is running without the vpcd virtual reader");
          return FALSE;
        }
      g_unlink ("/run/pcscd/pcscd.comm");  /* left by a pcscd that was killed */
    }
  if (geteuid () != 0)
    {
      *skip_reason = g_strdup ("no pcscd is running, and starting one needs root");
      return FALSE;
    }
  if (!g_file_get_contents ("/etc/reader.conf.d/vpcd", &conf, NULL, NULL))
    {
      *skip_reason = g_strdup ("vsmartcard-vpcd is not installed");
      return FALSE;
    }

  /* Only the virtual reader: our own reader.conf.d. */
  conf_dir = g_dir_make_tmp ("sd-pcscd-XXXXXX", NULL);
  {
    g_autofree char *path = g_build_filename (conf_dir, "vpcd", NULL);
    g_file_set_contents (path, conf, -1, NULL);
  }
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, "pcscd");
  g_ptr_array_add (argv, "--foreground");
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, conf_dir);
  pcscd_pid = spawn (argv, TRUE);
  if (!wait_reader (reader, FALSE))
    {
      sd_card_fixture_pcscd_stop ();
      *skip_reason = g_strdup ("pcscd started but its virtual reader never appeared");
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_card_fixture_pcscd_owned (void)
{
  return pcscd_pid > 0;
}

void
sd_card_fixture_pcscd_stop (void)
{
  sd_card_fixture_stop (pcscd_pid);
  pcscd_pid = 0;
}

static GPid
start_emulator (const char        *program_env,
                const char        *first_arg,
                const char        *log,
                const char *const *options)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *program = g_getenv (program_env);

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) first_arg);
  if (log != NULL)
    {
      g_ptr_array_add (argv, "--log");
      g_ptr_array_add (argv, (gpointer) log);
    }
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);
  return spawn (argv, FALSE);
}

GPid
sd_card_fixture_put_card (guint              port,
                          const char        *log,
                          const char *const *options)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *reader = reader_name (port);
  GPid pid = start_emulator ("SD_VPCD_CARD", port_text, log, options);

  g_assert_true (wait_reader (reader, TRUE));
  return pid;
}

void
sd_card_fixture_take_card (GPid  pid,
                           guint port)
{
  g_autofree char *reader = reader_name (port);

  sd_card_fixture_stop (pid);
  if (pcscd_pid > 0 || g_file_test ("/run/pcscd/pcscd.comm", G_FILE_TEST_EXISTS))
    g_assert_true (wait_reader (reader, FALSE));
}

GPid
sd_card_fixture_pn532_start (const char        *link,
                             const char        *log,
                             const char *const *options)
{
  GPid pid;

  g_unlink (link);
  pid = start_emulator ("SD_PN532_CARD", link, log, options);
  for (int i = 0; i < 200 && !g_file_test (link, G_FILE_TEST_EXISTS); i++)
    g_usleep (10000);
  g_assert_true (g_file_test (link, G_FILE_TEST_EXISTS));
  return pid;
}

gboolean
sd_card_fixture_log_has (const char *log,
                         const char *prefix)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return TRUE;
  return FALSE;
}

gboolean
sd_card_fixture_file_contains (const char *file,
                               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (file, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

int
sd_card_fixture_probe (SdCardReader      *reader,
                       SdMynumberPinKind  kind,
                       guint              timeout_ms,
                       GCancellable      *cancellable,
                       SdCardTimings     *timings,
                       GError           **error)
{
  Wait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  sd_card_reader_probe_async (reader, kind, timeout_ms, cancellable, got_result, &wait);
  result = wait_result (&wait);
  return sd_card_reader_probe_finish (reader, result, timings, error);
}

SdCardFacts *
sd_card_fixture_read (SdCardReader      *reader,
                      SdMynumberPinKind  kind,
                      const char        *pin,
                      int               *tries_left,
                      gboolean          *verify_sent,
                      SdCardTimings     *timings,
                      GError           **error)
{
  Wait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  sd_card_reader_read_async (reader, kind, pin, NULL, got_result, &wait);
  result = wait_result (&wait);
  return sd_card_reader_read_finish (reader, result, tries_left, verify_sent, timings, error);
}
