/* fuzz-safety.c: libFuzzer target for what staff safety reads from outside: a safety service's CSV, a posted web form, a message catalogue.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte chooses what the rest is:
 *   0  a CSV export imported into a store with a roster and an open
 *      roll-call (sd_store_import_safety_csv): it is refused whole or
 *      stored whole, never in part, and the store stays consistent;
 *   1  a posted form body (what a phone sends to /safety/answer),
 *      decoded as the receiver decodes it and read as an answer; the
 *      form page is drawn again with what was posted, in both languages,
 *      and never carries a posted "<" unescaped;
 *   2  a .mo file, loaded and looked up: refused or read, never read
 *      past its end.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sd-catalog.h"
#include "sd-safety-import.h"
#include "sd-safety-web.h"
#include "sd-store-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static SdStore *store;
static SdRollcall *rollcall;
static SdStaff *staff;
static SdSafetyWeb *web;
static char *dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *path = NULL;
  const SdStaffSpec specs[] = {
    { "1001", "中村 秀樹", NULL, "総務部", "危機管理課", "係長", SD_ROLE_LEAD, NULL },
    { "1002", "小川 葵", NULL, "市民部", NULL, NULL, SD_ROLE_VOLUNTEER, NULL },
  };

  dir = g_dir_make_tmp ("sd-fuzz-safety-XXXXXX", NULL);
  path = g_build_filename (dir, "site.sqlite", NULL);
  store = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);
  g_assert (store != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      SdStaff *added = sd_store_add_staff (store, &specs[i], NULL, NULL);

      g_assert (added != NULL);
      if (i == 0)
        staff = added;
      else
        g_object_unref (added);
    }
  rollcall = sd_store_open_rollcall (store, "訓練", SD_ROLLCALL_DRILL, 0, NULL, NULL);
  g_assert (rollcall != NULL);
  web = sd_safety_web_new ();
  return 0;
}

static guint
count_answers (void)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT count(*) FROM safety_answers", NULL);
  guint n;

  g_assert (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
fuzz_import (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GBytes) csv = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  SdSafetyImport done;
  guint before = count_answers ();

  if (sd_store_import_safety_csv (store, sd_rollcall_get_id (rollcall), csv, NULL, &done, &error))
    {
      /* All of it, and exactly what it says. */
      if (done.stored + done.already != done.rows || count_answers () != before + done.stored)
        __builtin_trap ();
      sd_safety_import_clear (&done);
    }
  else if (error == NULL || count_answers () != before || !g_utf8_validate (error->message, -1, NULL))
    __builtin_trap ();
}

static void
fuzz_form (const uint8_t *data,
           size_t         size)
{
  g_autofree char *body = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) form = soup_form_decode (body);
  SdSafetyAnswerSpec spec;
  const char *problem = NULL;
  const char *langs[] = { "ja", "en" };

  if (sd_safety_web_read_answer (form, &spec, &problem))
    {
      if (problem != NULL || spec.safety >= SD_N_SAFETY || spec.where >= SD_N_WHERE ||
          (spec.can_report && (spec.means == SD_MEANS_NONE || spec.arrival == SD_ARRIVAL_NONE)))
        __builtin_trap ();
    }
  else if (problem == NULL)
    __builtin_trap ();
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *page = sd_safety_web_form_page (web, langs[i], rollcall, staff, "0123", form, problem);
      const char *note = g_hash_table_lookup (form, "location_note");
      const char *message = g_hash_table_lookup (form, "message");

      if (!g_utf8_validate (page, -1, NULL))
        __builtin_trap ();
      /* What a phone posted comes back escaped, as text, never as markup. */
      const char *posted[] = { note, message };

      for (guint k = 0; k < G_N_ELEMENTS (posted); k++)
        if (posted[k] != NULL && *posted[k] != '\0' && g_utf8_validate (posted[k], -1, NULL))
          {
            g_autofree char *escaped = g_markup_escape_text (posted[k], -1);

            if (strstr (page, escaped) == NULL)
              __builtin_trap ();
          }
    }
}

static void
fuzz_catalog (const uint8_t *data,
              size_t         size)
{
  g_autofree char *path = g_build_filename (dir, "fuzz.mo", NULL);
  g_autoptr(SdCatalog) catalog = NULL;

  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return;
  catalog = sd_catalog_load_file (path, NULL);
  if (catalog != NULL)
    {
      const char *got = sd_catalog_get (catalog, "Staff safety");

      if (got == NULL)
        __builtin_trap ();
      (void) strlen (got);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 1)
    return 0;
  switch (data[0] % 3)
    {
    case 0:
      fuzz_import (data + 1, size - 1);
      break;
    case 1:
      fuzz_form (data + 1, size - 1);
      break;
    default:
      fuzz_catalog (data + 1, size - 1);
      break;
    }
  return 0;
}
