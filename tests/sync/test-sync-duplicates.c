/* test-sync-duplicates.c: one human registered at two kiosks, merged at HQ, and the merge syncing everywhere.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real databases of one deployment (HQ and two kiosks), through the same
 * core calls the desks make: registration with check-in, QR cards, the
 * import's possible duplicates, sd_sync_merge_duplicate() at HQ, batches
 * back, then search, enquiries, scans and the status report at every
 * site, and every database's canonical dump the same.
 */
#include "sd-sync-test.h"
#include "sd-json.h"

#include <glib/gstdio.h>
#include <string.h>

#define N_SITES 3  /* HQ, k0, k1 */
#define S01 "00000000-0000-7000-8000-000000000001"
#define S02 "00000000-0000-7000-8000-000000000002"
#define HQ_STAFF "00000000-0000-7000-8000-000000000013"

typedef struct {
  char    *dir;
  SdStore *sites[N_SITES];
  gint64   clock[N_SITES];
} Fixture;

static const char *const files[N_SITES] = { "hq.sqlite", "k0.sqlite", "k1.sqlite" };

static gint64
site_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("sd-sync-dup-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  sd_sync_test_make_deployment (f->dir, 2);
  for (guint s = 0; s < N_SITES; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (f->dir, files[s], NULL);

      f->sites[s] = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      /* Well after the deployment was made, each site a little apart. */
      f->clock[s] = g_get_real_time () / 1000 + 60000 + 1000 * s;
      sd_store_set_clock (f->sites[s], site_clock, &f->clock[s]);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint s = 0; s < N_SITES; s++)
    sd_sync_test_remove (&f->sites[s], f->dir, files[s]);
  for (const char *const *extra = (const char *const[]) { "bundle.sdbundle", "passphrase.txt", NULL }; *extra; extra++)
    {
      g_autofree char *path = g_build_filename (f->dir, *extra, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
tick (Fixture *f,
      gint64   ms)
{
  for (guint s = 0; s < N_SITES; s++)
    f->clock[s] += ms;
}

/* FROM's batch for TO, imported there. */
static void
exchange (Fixture *f,
          guint    from,
          guint    to)
{
  g_autoptr(GBytes) batch = sd_sync_test_export (f->sites[from], to == 0 ? "hq" : sd_store_get_site_id (f->sites[to]));

  sd_sync_test_import (f->sites[to], batch, NULL);
}

/* Every kiosk to HQ, then HQ to every kiosk: after it every site holds
 * everything; the dumps must be the same. */
static void
assert_converged (Fixture *f)
{
  g_autofree char *hq_dump = NULL;

  for (guint s = 1; s < N_SITES; s++)
    exchange (f, s, 0);
  for (guint s = 1; s < N_SITES; s++)
    exchange (f, 0, s);
  hq_dump = sd_sync_test_dump (f->sites[0]);
  for (guint s = 1; s < N_SITES; s++)
    {
      g_autofree char *dump = sd_sync_test_dump (f->sites[s]);
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (dump, ==, hq_dump);
      g_assert_true (sd_store_check_deep (f->sites[s], &error));
      g_assert_no_error (error);
    }
}

/* Registers one person at SITE in a household of their own, checked in
 * at SHELTER; returns their id. */
static char *
register_person (Fixture            *f,
                 guint               site,
                 const char         *shelter,
                 const SdPersonSpec *person)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household = NULL;
  SdHouseholdSpec spec = { .shelter_id = shelter, .stay = SD_STAY_SHELTER, .check_in = TRUE };

  household = sd_store_add_household (f->sites[site], &spec, person, 1, ids, &error);
  g_assert_no_error (error);
  return g_strdup (g_ptr_array_index (ids, 0));
}

static char *
value_at (SdStore    *store,
          const char *sql,
          const char *id)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static guint
staying_everywhere (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  SdShelterStatus *status = sd_store_compute_shelter_status (store, NULL, &error);
  guint persons;

  g_assert_no_error (error);
  persons = status->persons;
  sd_shelter_status_free (status);
  return persons;
}

/* The ids of who QUERY finds (search, or the enquiry desk), one string. */
static char *
found (SdStore    *store,
       const char *query,
       gboolean    enquiry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = enquiry ? sd_store_enquire (store, query, &error)
                                       : sd_store_search_persons (store, query, 50, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SdPerson) person = g_list_model_get_item (list, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", sd_person_get_id (person));
    }
  return g_string_free (ids, FALSE);
}

static json_t *
duplicates (SdStore  *store,
            gboolean  include_decided)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sd_sync_list_duplicates_json (store, include_decided, &error);

  g_assert_no_error (error);
  return json_loads (text, 0, NULL);
}

static const SdPersonSpec at_k0 = {
  .name = "山田 太郎", .birth_date = "1950-01-06", .sex = SD_SEX_MALE, .phone = "090-1111-2222",
};
static const SdPersonSpec at_k1 = {
  .name = "山田 太郎", .kana = "やまだ たろう", .birth_date = "1950-01-06", .phone = "080-9999-0000",
  .allergies = "そば", .consent_disclose = TRUE,
};

/* k0 and k1 register the same man (k1 later, at another shelter) and
 * both send HQ their batch: HQ lists the pair. */
static void
register_twice (Fixture  *f,
                char    **out_a,
                char    **out_b)
{
  g_autoptr(json_t) list = NULL;

  *out_a = register_person (f, 1, S01, &at_k0);
  tick (f, 5000);
  *out_b = register_person (f, 2, S02, &at_k1);
  tick (f, 1000);
  exchange (f, 1, 0);
  exchange (f, 2, 0);
  list = duplicates (f->sites[0], FALSE);
  g_assert_cmpint (json_array_size (list), ==, 1);
  /* Each record says which kiosk registered it and when, so two records
   * of one shelter can be told apart. */
  for (guint side = 0; side < 2; side++)
    {
      json_t *record = json_object_get (json_array_get (list, 0), side == 0 ? "a" : "b");
      gboolean is_a = g_strcmp0 (json_string_value (json_object_get (record, "id")), *out_a) == 0;

      g_assert_cmpstr (json_string_value (json_object_get (record, "registered_by")), ==, is_a ? "避難所0" : "避難所1");
      g_assert_cmpint (json_integer_value (json_object_get (record, "registered_at")), >, 0);
    }
}

static void
test_merge_end_to_end (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) decided = NULL;
  g_autoptr(SdScanResult) scan = NULL;
  g_autofree char *a = NULL, *b = NULL, *card = NULL, *event = NULL;
  SdScanSettings settings = { .mode = SD_EVENT_ARRIVE, .shelter_id = S01, .repeat_seconds = 0 };

  register_twice (f, &a, &b);
  /* The man's card from k1, made before anyone knew. */
  card = sd_store_issue_card (f->sites[2], b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staying_everywhere (f->sites[0]), ==, 2);

  g_assert_true (sd_sync_merge_duplicate (f->sites[0], a, b, HQ_STAFF, &error));
  g_assert_no_error (error);
  g_autoptr(json_t) open = duplicates (f->sites[0], FALSE);
  g_assert_cmpint (json_array_size (open), ==, 0);
  decided = duplicates (f->sites[0], TRUE);
  g_assert_cmpint (json_array_size (decided), ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (decided, 0), "decision")), ==, "merged");

  tick (f, 1000);
  assert_converged (f);
  for (guint s = 0; s < N_SITES; s++)
    {
      g_autofree char *merged_into = value_at (f->sites[s], "SELECT merged_into FROM persons WHERE id = ?1", b);
      g_autofree char *kana = value_at (f->sites[s], "SELECT kana FROM persons WHERE id = ?1", a);
      g_autofree char *phone = value_at (f->sites[s], "SELECT phone FROM persons WHERE id = ?1", a);
      g_autofree char *allergies = value_at (f->sites[s], "SELECT allergies FROM persons WHERE id = ?1", a);
      g_autofree char *where = value_at (f->sites[s], "SELECT shelter_id FROM person_state WHERE person_id = ?1", a);
      g_autofree char *closed = value_at (f->sites[s], "SELECT kind FROM person_state WHERE person_id = ?1", b);
      g_autofree char *searched = found (f->sites[s], "山田", FALSE);
      g_autofree char *enquired = found (f->sites[s], "やまだ", TRUE);
      g_autoptr(json_t) listed = duplicates (f->sites[s], FALSE);

      g_assert_cmpstr (merged_into, ==, a);
      /* What the kept record lacked is taken; what it held stays. */
      g_assert_cmpstr (kana, ==, "やまだ たろう");
      g_assert_cmpstr (allergies, ==, "そば");
      g_assert_cmpstr (phone, ==, "090-1111-2222");
      /* k1 saw him last, at S02: that is where he is now. */
      g_assert_cmpstr (where, ==, S02);
      g_assert_cmpstr (closed, ==, "leave");
      /* One man: found once, counted once, never proposed again. */
      g_assert_cmpstr (searched, ==, a);
      g_assert_cmpstr (enquired, ==, a);
      g_assert_cmpuint (staying_everywhere (f->sites[s]), ==, 1);
      g_assert_cmpint (json_array_size (listed), ==, 0);
    }

  /* His old card at k1 checks in the record kept. */
  scan = sd_store_scan (f->sites[2], card, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->outcome, ==, SD_SCAN_RECORDED);
  g_assert_cmpstr (sd_person_get_id (scan->person), ==, a);
  g_assert_cmpstr (sd_person_get_shelter_id (scan->person), ==, S01);
  g_assert_cmpuint (staying_everywhere (f->sites[2]), ==, 1);

  /* An event recorded on the closed record lands on the kept one. */
  tick (f, 1000);
  event = sd_store_record_event (f->sites[1], b, SD_EVENT_SUPPLY, S01, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *whose = value_at (f->sites[1], "SELECT person_id FROM person_events WHERE id = ?1", event);
  g_assert_cmpstr (whose, ==, a);

  tick (f, 1000);
  assert_converged (f);
  for (guint s = 0; s < N_SITES; s++)
    g_assert_cmpuint (staying_everywhere (f->sites[s]), ==, 1);
}

static void
assert_refused (SdStore    *store,
                const char *keep,
                const char *merge,
                GQuark      domain,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sd_sync_test_dump (store);
  g_autofree char *after = NULL;

  g_assert_false (sd_sync_merge_duplicate (store, keep, merge, NULL, &error));
  g_assert_error (error, domain, code);
  after = sd_sync_test_dump (store);
  g_assert_cmpstr (after, ==, before);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *into = NULL;
  g_autofree char *card = NULL;
  g_autoptr(SdScanResult) scan = NULL;
  SdScanSettings settings = { .mode = SD_EVENT_SUPPLY, .shelter_id = S01, .repeat_seconds = 0 };

  register_twice (f, &a, &b);
  /* A third record of him, made at HQ. */
  c = register_person (f, 0, S01, &at_k0);
  card = sd_store_issue_card (f->sites[0], b, &error);
  g_assert_no_error (error);

  assert_refused (f->sites[0], a, a, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);
  assert_refused (f->sites[0], a, "00000000-0000-7000-8000-0000000000ff", SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  /* Kiosks leave merging to HQ. */
  assert_refused (f->sites[1], b, a, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);

  g_assert_true (sd_sync_merge_duplicate (f->sites[0], a, b, NULL, &error));
  g_assert_no_error (error);
  /* Already merged, either way round; into a closed record. */
  assert_refused (f->sites[0], a, b, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);
  assert_refused (f->sites[0], c, b, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);
  assert_refused (f->sites[0], b, c, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);
  assert_refused (f->sites[0], b, a, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE);

  /* The kept record merged in turn: what was merged into it follows, so
   * no chain is ever made, and b's card lands on c. */
  g_assert_true (sd_sync_merge_duplicate (f->sites[0], c, a, NULL, &error));
  g_assert_no_error (error);
  into = value_at (f->sites[0], "SELECT merged_into FROM persons WHERE id = ?1", b);
  g_assert_cmpstr (into, ==, c);
  scan = sd_store_scan (f->sites[0], card, &settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_person_get_id (scan->person), ==, c);
  g_assert_cmpuint (staying_everywhere (f->sites[0]), ==, 1);
  assert_converged (f);
}

/* The merge at HQ races edits of both records at the kiosks (a new
 * phone, a man going out, his card scanned): whatever order the batches
 * take, every site ends the same. */
static void
test_merge_races_edits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *event = NULL, *phone = NULL, *into = NULL;

  register_twice (f, &a, &b);
  g_assert_true (sd_sync_merge_duplicate (f->sites[0], a, b, HQ_STAFF, &error));
  g_assert_no_error (error);

  /* Meanwhile, at the kiosks that have not heard of it. */
  tick (f, 1000);
  sd_sync_test_write (f->sites[2], "UPDATE persons SET phone = '080-7777-6666', kana = 'ヤマダ タロウ' "
                                   "WHERE name = '山田 太郎'");
  event = sd_store_record_event (f->sites[2], b, SD_EVENT_GO_OUT, NULL, NULL, &error);
  g_assert_no_error (error);
  sd_sync_test_write (f->sites[1], "UPDATE persons SET illness = '高血圧' WHERE name = '山田 太郎'");

  /* k1's news reaches k0 first, then HQ's merge reaches k1 before k1's
   * own changes reach HQ. */
  exchange (f, 2, 1);
  exchange (f, 0, 2);
  exchange (f, 1, 0);
  assert_converged (f);

  for (guint s = 0; s < N_SITES; s++)
    {
      g_autofree char *site_into = value_at (f->sites[s], "SELECT merged_into FROM persons WHERE id = ?1", b);
      g_autofree char *searched = found (f->sites[s], "山田", FALSE);

      g_assert_cmpstr (site_into, ==, a);
      g_assert_cmpstr (searched, ==, a);
      g_assert_cmpuint (staying_everywhere (f->sites[s]), ==, 1);
    }
  /* The newer phone k1 wrote on its record stays on it, the closed one. */
  phone = value_at (f->sites[0], "SELECT phone FROM persons WHERE id = ?1", b);
  g_assert_cmpstr (phone, ==, "080-7777-6666");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/duplicates/merge", Fixture, NULL, fixture_set_up, test_merge_end_to_end, fixture_tear_down);
  g_test_add ("/sync/duplicates/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/sync/duplicates/race", Fixture, NULL, fixture_set_up, test_merge_races_edits, fixture_tear_down);
  return g_test_run ();
}
