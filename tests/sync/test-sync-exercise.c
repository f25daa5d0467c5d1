/* test-sync-exercise.c: exercise and live data never mix: every batch and bundle between them is refused, nothing written.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every combination, each refused with SD_SYNC_ERROR_EXERCISE, a message
 * that says which side is the exercise, and the receiving database's
 * file byte for byte as it was: a live kiosk's batch into an exercise
 * HQ and the reverse, a live HQ's batch into an exercise kiosk and the
 * reverse, kiosk to kiosk, and a real deployment's bundle into a
 * database made for an exercise.  An exercise's bundle marks the blank
 * database it enrols, and a failed enrolment leaves no mark.
 *
 * The sites of one deployment share the mark (the bundle carries it),
 * and another deployment's batch does not even open here (sealed to
 * another receiver, "not-for-us", also shown below).  So to reach the
 * check the tests mark one site of a live deployment an exercise behind
 * ShelterDesk's back, in the file itself, as only a changed file could:
 * the check is the last guard, and it must hold.
 */
#include "sd-sync-test.h"
#include "sd-json.h"
#include "sd-sync-private.h"
#include "sd-sync-protocol.h"

#include <glib/gstdio.h>
#include <string.h>

/* The message's words for each side (the sentences of sd-sync.c). */
#define FROM_EXERCISE "comes from a tabletop exercise (訓練) and this database holds real data"
#define INTO_EXERCISE "holds real data and this database is a tabletop exercise (訓練)"

typedef SdSyncTestSites Fixture;

/* DATA: whether the deployment is an exercise's. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("sd-sync-exercise-XXXXXX", NULL);
  if (GPOINTER_TO_INT (data))
    sd_sync_test_make_exercise (f->dir, 2);
  else
    sd_sync_test_make_deployment (f->dir, 2);
  sd_sync_test_sites_open (f);
}

/* Marks the site in *STORE an exercise in its file, behind the store
 * (sd_store_mark_exercise takes blank databases only), and opens it
 * again. */
static void
mark_behind (SdStore **store)
{
  g_autofree char *path = g_strdup (sd_store_get_path (*store));
  sqlite3 *db = NULL;
  char *message = NULL;

  g_clear_object (store);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, "UPDATE site SET is_exercise = 1 WHERE id = 1", NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
  *store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, NULL);
  g_assert_nonnull (*store);
  g_assert_true (sd_store_get_is_exercise (*store));
}

/* FROM's batch for INTO, as a file on the stick in F's folder. */
static char *
export_file (Fixture *f,
             SdStore *from,
             SdStore *into)
{
  g_autoptr(GBytes) bytes = sd_sync_test_export (from, sd_store_get_site_id (into));
  g_autofree char *name = g_strdup_printf ("%s-to-%s.sdbatch", sd_store_get_site_id (from),
                                           sd_store_get_site_id (into));
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                      NULL));
  return path;
}

/* FROM's batch for INTO, imported from its file as `batch import` does:
 * refused for the exercise, with WORDS in the message, and INTO's file
 * exactly as it was. */
static void
assert_refused (Fixture    *f,
                SdStore    *from,
                SdStore    *into,
                const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = export_file (f, from, into);
  g_autofree char *before = sd_sync_test_store_sha256 (into);
  g_autofree char *after = NULL;
  SdSyncImport result = { 0 };

  g_assert_false (sd_sync_import_file (into, path, NULL, &result, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_EXERCISE);
  g_assert_cmpstr (sd_sync_error_reason (error), ==, "exercise");
  g_assert_nonnull (strstr (error->message, words));
  g_assert_nonnull (strstr (error->message, "so that exercise records never mix with real ones"));
  g_assert_cmpint (result.applied, ==, 0);
  g_assert_false (result.already_imported);
  sd_sync_import_clear (&result);
  after = sd_sync_test_store_sha256 (into);
  g_assert_cmpstr (before, ==, after);
}

static void
assert_accepted (Fixture *f,
                 SdStore *from,
                 SdStore *into)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = export_file (f, from, into);
  SdSyncImport result = { 0 };

  g_assert_true (sd_sync_import_file (into, path, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.applied, >, 0);
  sd_sync_import_clear (&result);
}

/* The header of FROM's batch for INTO, opened with INTO's key. */
static json_t *
batch_header (SdStore *from,
              SdStore *into)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sd_sync_test_export (from, sd_store_get_site_id (into));
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(SdBatchReader) reader = NULL;
  g_auto(SdSyncSelf) self = { 0 };

  g_assert_true (_sd_sync_load_self (into, &self, &error));
  reader = sd_batch_reader_new (in, &self.receiver, NULL, &error);
  g_assert_no_error (error);
  return json_incref ((json_t *) sd_batch_reader_get_header (reader));
}

/* A batch says whether it comes from an exercise; one without the
 * member (made before it) is live. */
static void
test_header (Fixture *f, gconstpointer data)
{
  g_autoptr(json_t) live = batch_header (f->k0, f->hq);
  g_autoptr(json_t) exercise = NULL;

  g_assert_true (json_is_false (json_object_get (live, "exercise")));
  g_assert_false (_sd_sync_header_is_exercise (live));
  json_object_del (live, "exercise");
  g_assert_false (_sd_sync_header_is_exercise (live));

  mark_behind (&f->k0);
  exercise = batch_header (f->k0, f->hq);
  g_assert_true (json_is_true (json_object_get (exercise, "exercise")));
  g_assert_true (_sd_sync_header_is_exercise (exercise));
}

/* An exercise's own deployment works as a live one does: HQ's bundle
 * marked both kiosks (sd_sync_test_make_exercise asserts it, and their
 * first batches and HQ's answers went through). */
static void
test_exercise_to_exercise (Fixture *f, gconstpointer data)
{
  g_assert_true (sd_store_get_is_exercise (f->hq));
  g_assert_true (sd_store_get_is_exercise (f->k0));
  g_assert_true (sd_store_get_is_exercise (f->k1));
  sd_sync_test_register_person (f->k0, "訓練 一郎");
  assert_accepted (f, f->k0, f->hq);
  assert_accepted (f, f->hq, f->k1);
  sd_sync_test_register_person (f->k1, "訓練 花子");
  assert_accepted (f, f->k1, f->k0);
}

/* HQ an exercise, its kiosks live. */
static void
test_exercise_hq (Fixture *f, gconstpointer data)
{
  mark_behind (&f->hq);
  sd_sync_test_register_person (f->k0, "実在 一郎");
  sd_sync_test_register_person (f->hq, "訓練 二郎");
  /* A live kiosk's batch into the exercise HQ, and the reverse. */
  assert_refused (f, f->k0, f->hq, INTO_EXERCISE);
  assert_refused (f, f->hq, f->k0, FROM_EXERCISE);
  /* Live to live still goes. */
  assert_accepted (f, f->k0, f->k1);
}

/* One kiosk an exercise, HQ and the other kiosk live. */
static void
test_exercise_kiosk (Fixture *f, gconstpointer data)
{
  mark_behind (&f->k0);
  sd_sync_test_register_person (f->k0, "訓練 三郎");
  sd_sync_test_register_person (f->k1, "実在 四郎");
  sd_sync_test_register_person (f->hq, "実在 五郎");
  /* The exercise kiosk's batch into live HQ, and the reverse. */
  assert_refused (f, f->k0, f->hq, FROM_EXERCISE);
  assert_refused (f, f->hq, f->k0, INTO_EXERCISE);
  /* Kiosk to kiosk, both ways. */
  assert_refused (f, f->k0, f->k1, FROM_EXERCISE);
  assert_refused (f, f->k1, f->k0, INTO_EXERCISE);
  /* Live to live still goes. */
  assert_accepted (f, f->k1, f->hq);
  assert_accepted (f, f->hq, f->k1);
}

/* An exercise deployment's batch never opens at a live HQ: another
 * deployment's, sealed to its own HQ. */
static void
test_other_deployment (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "live", NULL);
  g_autoptr(SdStore) live_hq = NULL;
  g_autoptr(GBytes) batch = NULL;
  g_autofree char *before = NULL, *after = NULL;
  SdSyncImport result = { 0 };

  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
  sd_sync_test_make_deployment (other, 0);
  live_hq = sd_sync_test_open (other, "hq.sqlite");
  sd_sync_test_register_person (f->k0, "訓練 六郎");
  batch = sd_sync_test_export (f->k0, "hq");
  before = sd_sync_test_store_sha256 (live_hq);
  g_assert_false (sd_sync_import_bytes (live_hq, batch, NULL, &result, NULL, &error));
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US);
  sd_sync_import_clear (&result);
  after = sd_sync_test_store_sha256 (live_hq);
  g_assert_cmpstr (before, ==, after);
}

static SdStore *
new_blank (Fixture    *f,
           const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, file, NULL);
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static GBytes *
bundle_bytes (Fixture *f,
              char   **out_passphrase)
{
  g_autofree char *bundle = g_build_filename (f->dir, "bundle.sdbundle", NULL);
  g_autofree char *passphrase = g_build_filename (f->dir, "passphrase.txt", NULL);
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (passphrase, out_passphrase, NULL, NULL));
  g_assert_true (g_file_get_contents (bundle, &contents, &length, NULL));
  return g_bytes_new_take (contents, length);
}

/* A real deployment's bundle never enrols a database made for an exercise. */
static void
test_enrol_live_bundle (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(GBytes) bundle = bundle_bytes (f, &passphrase);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);
  g_autoptr(SdStore) blank = new_blank (f, "exercise.sqlite");
  g_autofree char *before = NULL, *after = NULL;

  g_assert_true (sd_store_mark_exercise (blank, &error));
  g_assert_no_error (error);
  before = sd_sync_test_store_sha256 (blank);
  g_assert_false (sd_sync_enrol (blank, in, passphrase, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_EXERCISE);
  g_assert_nonnull (strstr (error->message, "bundle is of a real deployment and this database was made for a "
                                            "tabletop exercise (訓練)"));
  g_assert_cmpint (sd_sync_get_role (blank), ==, SD_SYNC_ROLE_NONE);
  g_assert_true (sd_store_get_is_exercise (blank));
  after = sd_sync_test_store_sha256 (blank);
  g_assert_cmpstr (before, ==, after);
}

/* An exercise's bundle marks the blank database it enrols, in the
 * enrolment's transaction: an enrolment that fails leaves no mark, in
 * the file or in the store. */
static void
test_enrol_exercise_bundle (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(GBytes) bundle = bundle_bytes (f, &passphrase);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (bundle, 0, g_bytes_get_size (bundle) - 1);
  g_autoptr(GInputStream) cut_in = g_memory_input_stream_new_from_bytes (cut);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);
  g_autoptr(SdStore) blank = new_blank (f, "new.sqlite");
  g_autofree char *before = NULL, *after = NULL;

  g_assert_false (sd_store_get_is_exercise (blank));
  before = sd_sync_test_store_sha256 (blank);
  /* Its last record cut off: the header opens, the enrolment begins,
   * and the end of the payload is missing. */
  g_assert_false (sd_sync_enrol (blank, cut_in, passphrase, NULL, &error));
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (sd_store_get_is_exercise (blank));
  g_assert_cmpint (sd_sync_get_role (blank), ==, SD_SYNC_ROLE_NONE);
  after = sd_sync_test_store_sha256 (blank);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (sd_sync_enrol (blank, in, passphrase, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_store_get_is_exercise (blank));
  g_assert_cmpint (sd_sync_get_role (blank), ==, SD_SYNC_ROLE_KIOSK);
  /* The mark is in the file, not only in memory. */
  g_clear_object (&blank);
  blank = sd_sync_test_open (f->dir, "new.sqlite");
  g_assert_true (sd_store_get_is_exercise (blank));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, exercise, func) \
  g_test_add ("/sync/exercise/" path, Fixture, GINT_TO_POINTER (exercise), fixture_set_up, func, \
              sd_sync_test_sites_tear_down)
#define LIVE(path, func) ADD (path, FALSE, func)
#define EXERCISE(path, func) ADD (path, TRUE, func)
  LIVE ("header", test_header);
  EXERCISE ("exercise-to-exercise", test_exercise_to_exercise);
  LIVE ("exercise-hq", test_exercise_hq);
  LIVE ("exercise-kiosk", test_exercise_kiosk);
  EXERCISE ("other-deployment", test_other_deployment);
  LIVE ("enrol-live-bundle", test_enrol_live_bundle);
  EXERCISE ("enrol-exercise-bundle", test_enrol_exercise_bundle);
  return g_test_run ();
}
