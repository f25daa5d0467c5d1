/* test-safety.c: staff safety roll-calls: answers, who wins, drills apart, and totals equal to a recount.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-json.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>

#define N_ROSTER 40

typedef struct {
  char    *dir;
  SdStore *store;
  gint64   now;
  char    *hq_id;
} Fixture;

static gint64
test_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static const char *const departments[] = { "総務部", "市民部", "福祉部", NULL };
static const char *const sections[] = { "一課", "二課", NULL };

static char *
staff_no (guint i)
{
  return g_strdup_printf ("%u", 20000 + i);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SdStaff) hq = NULL;
  SdStaffSpec hq_spec = { "1003", "石田 浩", NULL, "総務部", "危機管理課", "課長", SD_ROLE_HQ, "090-0000-1003" };

  f->dir = g_dir_make_tmp ("sd-safety-XXXXXX", NULL);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->now = 1800000000000;
  sd_store_set_clock (f->store, test_clock, &f->now);

  hq = sd_store_add_staff (f->store, &hq_spec, NULL, &error);
  g_assert_no_error (error);
  f->hq_id = g_strdup (sd_staff_get_id (hq));
  for (guint i = 0; i < N_ROSTER; i++)
    {
      g_autofree char *no = staff_no (i);
      g_autofree char *name = g_strdup_printf ("職員 %u", i);
      g_autofree char *phone = g_strdup_printf ("090-0000-%04u", i);
      SdStaffSpec spec = { no, name, NULL, departments[i % 3], sections[i % 2], "主任", SD_ROLE_VOLUNTEER, phone };
      g_autoptr(SdStaff) staff = sd_store_add_staff (f->store, &spec, NULL, &error);

      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->hq_id);
}

static SdRollcall *
open_rollcall (Fixture *f, const char *title, SdRollcallKind kind)
{
  g_autoptr(GError) error = NULL;
  SdRollcall *rollcall = sd_store_open_rollcall (f->store, title, kind, 0, f->hq_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rollcall);
  return rollcall;
}

static SdSafetyAnswerSpec
unhurt_and_coming (const char *no)
{
  return (SdSafetyAnswerSpec) {
    .staff_no = no, .safety = SD_SAFETY_UNHURT, .where = SD_WHERE_HOME, .can_report = TRUE,
    .means = SD_MEANS_BICYCLE, .arrival = SD_ARRIVAL_WITHIN_1H, .via = SD_ANSWER_VIA_KIOSK,
  };
}

static char *
answer (Fixture *f, SdRollcall *rollcall, const SdSafetyAnswerSpec *spec)
{
  g_autoptr(GError) error = NULL;
  char *id = sd_store_record_safety_answer (f->store, sd_rollcall_get_id (rollcall), spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_rollcalls (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRollcall) first = open_rollcall (f, "地震 1日目", SD_ROLLCALL_REAL);
  g_autoptr(SdRollcall) drill = NULL;
  g_autoptr(SdRollcall) current = NULL;
  g_autoptr(SdRollcall) none = NULL;
  g_autoptr(SdRollcall) closed = NULL;
  g_autoptr(GListModel) all = NULL;

  f->now += 1000;
  drill = open_rollcall (f, "訓練", SD_ROLLCALL_DRILL);
  g_assert_true (sd_rollcall_get_is_drill (drill));
  g_assert_true (sd_rollcall_get_is_open (drill));

  /* The desk opens on the newest open one. */
  current = sd_store_current_rollcall (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_rollcall_get_id (current), ==, sd_rollcall_get_id (drill));
  g_clear_object (&current);

  g_assert_true (sd_store_close_rollcall (f->store, sd_rollcall_get_id (drill), f->hq_id, &error));
  g_assert_no_error (error);
  current = sd_store_current_rollcall (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_rollcall_get_id (current), ==, sd_rollcall_get_id (first));

  /* Closing twice says when it was closed; it is still there. */
  g_assert_false (sd_store_close_rollcall (f->store, sd_rollcall_get_id (drill), f->hq_id, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  closed = sd_store_find_rollcall (f->store, sd_rollcall_get_id (drill), &error);
  g_assert_no_error (error);
  g_assert_false (sd_rollcall_get_is_open (closed));
  g_assert_cmpint (sd_rollcall_get_closed_at (closed), >, 0);

  all = sd_store_list_rollcalls (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 2);

  g_assert_true (sd_store_close_rollcall (f->store, sd_rollcall_get_id (first), f->hq_id, &error));
  none = sd_store_current_rollcall (f->store, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* Never deleted, not even with SQL. */
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (f->store), "DELETE FROM rollcalls", NULL, NULL, NULL), !=,
                   SQLITE_OK);

  g_assert_null (sd_store_open_rollcall (f->store, "  ", SD_ROLLCALL_REAL, 0, NULL, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING);
  g_clear_error (&error);
  g_assert_null (sd_store_open_rollcall (f->store, "未来", SD_ROLLCALL_REAL, f->now + 3600 * 1000, NULL, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
}

static void
assert_refused (Fixture *f, SdRollcall *rollcall, const SdSafetyAnswerSpec *spec, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sd_store_record_safety_answer (f->store, sd_rollcall_get_id (rollcall), spec, &error);

  g_assert_null (id);
  g_assert_error (error, domain, code);
  g_assert_nonnull (error->message);
}

static void
test_bad_answers (Fixture *f, gconstpointer data)
{
  g_autoptr(SdRollcall) rollcall = open_rollcall (f, "地震", SD_ROLLCALL_REAL);
  g_autoptr(GError) error = NULL;
  SdSafetyAnswerSpec spec = unhurt_and_coming ("20001");
  g_autoptr(GListModel) answers = NULL;

  spec.staff_no = "99999";
  assert_refused (f, rollcall, &spec, SD_AUTH_ERROR, SD_AUTH_ERROR_UNKNOWN_STAFF);
  spec = unhurt_and_coming ("20001");
  spec.where = SD_WHERE_OTHER;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec.where_note = "   ";
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.means = SD_MEANS_NONE;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.arrival = SD_N_ARRIVAL;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.can_report = FALSE;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.safety = SD_N_SAFETY;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.via = SD_ANSWER_VIA_PHONE;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.answered_at = f->now + 3600 * 1000;
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  spec = unhurt_and_coming ("20001");
  spec.message = "a\x01 control character";
  assert_refused (f, rollcall, &spec, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);

  /* A closed roll-call takes nothing. */
  g_assert_true (sd_store_close_rollcall (f->store, sd_rollcall_get_id (rollcall), NULL, &error));
  spec = unhurt_and_coming ("20001");
  assert_refused (f, rollcall, &spec, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);

  /* Nothing half-stored. */
  answers = sd_store_list_safety_answers (f->store, sd_rollcall_get_id (rollcall), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (answers), ==, 0);
  g_assert_true (sd_store_check (f->store, &error));
  g_assert_no_error (error);
}

static void
test_latest_wins (Fixture *f, gconstpointer data)
{
  g_autoptr(SdRollcall) rollcall = open_rollcall (f, "地震", SD_ROLLCALL_REAL);
  g_autoptr(GError) error = NULL;
  SdSafetyAnswerSpec first = unhurt_and_coming ("20001");
  SdSafetyAnswerSpec later = {
    .staff_no = "20001", .safety = SD_SAFETY_MINOR, .where = SD_WHERE_OTHER, .where_note = "実家",
    .can_report = FALSE, .message = "足を痛めました", .via = SD_ANSWER_VIA_PHONE, .recorded_by = f->hq_id,
  };
  g_autofree char *a = answer (f, rollcall, &first);
  g_autofree char *again = NULL, *b = NULL, *older = NULL;
  g_autoptr(GListModel) answers = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(SdSafetyAnswer) newest = NULL;

  /* A double press is one answer. */
  f->now += 5000;
  again = answer (f, rollcall, &first);
  g_assert_cmpstr (again, ==, a);

  f->now += 60000;
  b = answer (f, rollcall, &later);
  g_assert_cmpstr (b, !=, a);

  /* An answer collected elsewhere before the newest one, imported after
   * it, goes into the history without superseding it. */
  first.via = SD_ANSWER_VIA_IMPORT;
  first.answered_at = f->now - 30000;
  f->now += 1000;
  older = answer (f, rollcall, &first);

  answers = sd_store_list_safety_answers (f->store, sd_rollcall_get_id (rollcall), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (answers), ==, 1);
  newest = g_list_model_get_item (answers, 0);
  g_assert_cmpstr (sd_safety_answer_get_id (newest), ==, b);
  g_assert_cmpint (sd_safety_answer_get_safety (newest), ==, SD_SAFETY_MINOR);
  g_assert_false (sd_safety_answer_get_can_report (newest));
  g_assert_cmpint (sd_safety_answer_get_arrival (newest), ==, SD_ARRIVAL_NONE);
  g_assert_cmpstr (sd_safety_answer_get_where_note (newest), ==, "実家");
  g_assert_cmpstr (sd_safety_answer_get_recorded_by_name (newest), ==, "石田 浩");
  g_assert_cmpint (sd_safety_answer_get_via (newest), ==, SD_ANSWER_VIA_PHONE);
  g_assert_cmpuint (sd_safety_answer_get_n_answers (newest), ==, 3);
  g_assert_cmpstr (sd_safety_answer_get_phone (newest), ==, "090-0000-0001");

  history = sd_store_list_safety_history (f->store, sd_rollcall_get_id (rollcall), "20001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);

  /* The same import again stores nothing more. */
  g_free (answer (f, rollcall, &first));
  g_clear_object (&history);
  history = sd_store_list_safety_history (f->store, sd_rollcall_get_id (rollcall), "20001", &error);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);

  /* Answers are never changed. */
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (f->store), "UPDATE safety_answers SET safety = 'unhurt'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_true (sd_store_check_deep (f->store, &error));
  g_assert_no_error (error);
}

static void
test_drill_apart (Fixture *f, gconstpointer data)
{
  g_autoptr(SdRollcall) real = open_rollcall (f, "地震", SD_ROLLCALL_REAL);
  g_autoptr(SdRollcall) drill = open_rollcall (f, "訓練", SD_ROLLCALL_DRILL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSafetyCount) real_count = NULL, drill_count = NULL;
  g_autoptr(GListModel) missing = NULL;
  SdSafetyTotals t;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *no = staff_no (i);
      SdSafetyAnswerSpec spec = unhurt_and_coming (no);

      g_free (answer (f, drill, &spec));
    }
  {
    SdSafetyAnswerSpec spec = unhurt_and_coming ("20030");

    g_free (answer (f, real, &spec));
  }
  real_count = sd_store_count_safety (f->store, sd_rollcall_get_id (real), &error);
  g_assert_no_error (error);
  drill_count = sd_store_count_safety (f->store, sd_rollcall_get_id (drill), &error);
  g_assert_no_error (error);
  sd_safety_count_totals (real_count, NULL, NULL, &t);
  g_assert_cmpuint (t.roster, ==, N_ROSTER + 1);
  g_assert_cmpuint (t.answered, ==, 1);
  sd_safety_count_totals (drill_count, NULL, NULL, &t);
  g_assert_cmpuint (t.answered, ==, 10);

  missing = sd_store_list_safety_missing (f->store, sd_rollcall_get_id (real), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (missing), ==, N_ROSTER);
}

/* ---- the totals against a recount from every answer, in plain C ---- */

typedef struct {
  char   *staff_id;
  gint64  answered_at;
  gint64  hlc;
  char   *id;
  int     safety;
  int     can_report;
  int     arrival;
} RawAnswer;

static void
recount (Fixture        *f,
         const char     *rollcall_id,
         const char     *department,
         SdSafetyTotals *out)
{
  sqlite3 *db = _sd_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) newest = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) roster = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  memset (out, 0, sizeof *out);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM staff WHERE active = 1 AND (department IS ?1 OR ?1 IS NULL)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, department, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (roster, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  out->roster = g_hash_table_size (roster);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT staff_id, answered_at, hlc, id, safety, can_report, "
                                       "coalesce (arrival, '') FROM safety_answers WHERE rollcall_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, rollcall_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RawAnswer *a = g_new0 (RawAnswer, 1);
      RawAnswer *old;
      SdSafety safety;
      SdArrival arrival = SD_ARRIVAL_NONE;

      a->staff_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      a->answered_at = sqlite3_column_int64 (stmt, 1);
      a->hlc = sqlite3_column_int64 (stmt, 2);
      a->id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_assert_true (sd_safety_from_string ((const char *) sqlite3_column_text (stmt, 4), &safety));
      a->safety = safety;
      a->can_report = sqlite3_column_int (stmt, 5);
      sd_arrival_from_string ((const char *) sqlite3_column_text (stmt, 6), &arrival);
      a->arrival = arrival;
      g_ptr_array_add (rows, a);
      old = g_hash_table_lookup (newest, a->staff_id);
      if (old == NULL || a->answered_at > old->answered_at ||
          (a->answered_at == old->answered_at && (a->hlc > old->hlc ||
                                                  (a->hlc == old->hlc && strcmp (a->id, old->id) > 0))))
        {
          RawAnswer *copy = g_memdup2 (a, sizeof *a);
          g_hash_table_replace (newest, a->staff_id, copy);
        }
    }
  sqlite3_finalize (stmt);

  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RawAnswer *a = value;

      if (!g_hash_table_contains (roster, a->staff_id))
        continue;
      out->answered++;
      out->by_safety[a->safety]++;
      if (a->can_report)
        {
          out->can_report++;
          out->by_arrival[a->arrival]++;
        }
      else
        out->cannot_report++;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      RawAnswer *a = g_ptr_array_index (rows, i);

      g_free (a->staff_id);
      g_free (a->id);
      g_free (a);
    }
}

static void
assert_totals_equal (const SdSafetyTotals *a,
                     const SdSafetyTotals *b)
{
  g_assert_cmpmem (a, sizeof *a, b, sizeof *b);
}

/* Random answers, corrections, imports with earlier times, and the odd
 * staff member retired mid-way: every total equals the recount, for
 * everyone and for each department, and the derived table checks. */
static void
test_totals_equal_recount (Fixture *f, gconstpointer data)
{
  g_autoptr(SdRollcall) rollcall = open_rollcall (f, "地震", SD_ROLLCALL_REAL);
  g_autoptr(SdRollcall) drill = open_rollcall (f, "訓練", SD_ROLLCALL_DRILL);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint round = 0; round < 12; round++)
    {
      g_autoptr(SdSafetyCount) count = NULL;
      SdSafetyTotals got, want;

      for (guint k = 0; k < 25; k++)
        {
          guint who = g_rand_int_range (rand, 0, N_ROSTER);
          g_autofree char *no = staff_no (round > 6 && (who == 3 || who == 4) ? who + 10 : who);
          SdSafetyAnswerSpec spec = { .staff_no = no, .via = SD_ANSWER_VIA_WEB };
          g_autofree char *id = NULL;

          spec.safety = g_rand_int_range (rand, 0, SD_N_SAFETY);
          spec.where = g_rand_int_range (rand, 0, SD_N_WHERE);
          spec.where_note = spec.where == SD_WHERE_OTHER ? "駅前" : NULL;
          spec.can_report = g_rand_boolean (rand);
          if (spec.can_report)
            {
              spec.means = g_rand_int_range (rand, SD_MEANS_WALK, SD_N_MEANS);
              spec.arrival = g_rand_int_range (rand, SD_ARRIVAL_WITHIN_30M, SD_N_ARRIVAL);
            }
          if (g_rand_int_range (rand, 0, 5) == 0)
            {
              spec.via = SD_ANSWER_VIA_IMPORT;
              spec.answered_at = f->now - g_rand_int_range (rand, 0, 600000);
            }
          f->now += g_rand_int_range (rand, 0, 3) * 1000;
          id = sd_store_record_safety_answer (f->store, sd_rollcall_get_id (g_rand_boolean (rand) ? rollcall : drill),
                                              &spec, &error);
          g_assert_no_error (error);
        }
      if (round == 6)
        g_assert_cmpint (sqlite3_exec (_sd_store_get_db (f->store),
                                       "UPDATE staff SET active = 0 WHERE staff_no IN ('20003', '20004')",
                                       NULL, NULL, NULL), ==, SQLITE_OK);

      count = sd_store_count_safety (f->store, sd_rollcall_get_id (rollcall), &error);
      g_assert_no_error (error);
      sd_safety_count_totals (count, NULL, NULL, &got);
      recount (f, sd_rollcall_get_id (rollcall), NULL, &want);
      assert_totals_equal (&got, &want);
      for (guint d = 0; departments[d] != NULL; d++)
        {
          sd_safety_count_totals (count, departments[d], NULL, &got);
          recount (f, sd_rollcall_get_id (rollcall), departments[d], &want);
          assert_totals_equal (&got, &want);
        }
      g_assert_cmpuint (sd_safety_totals_within (&got, SD_ARRIVAL_OVER_3H), ==, got.can_report);
    }
  g_assert_true (sd_store_check_deep (f->store, &error));
  g_assert_no_error (error);
  g_rand_free (rand);
}

static void
test_count_by_section (Fixture *f, gconstpointer data)
{
  g_autoptr(SdRollcall) rollcall = open_rollcall (f, "地震", SD_ROLLCALL_REAL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSafetyCount) count = NULL;
  const char *const *names;
  SdSafetyTotals t;

  /* Staff 0, 6, 12, …: 総務部 一課. */
  for (guint i = 0; i < N_ROSTER; i += 6)
    {
      g_autofree char *no = staff_no (i);
      SdSafetyAnswerSpec spec = unhurt_and_coming (no);

      spec.arrival = i < 18 ? SD_ARRIVAL_WITHIN_30M : SD_ARRIVAL_OVER_3H;
      g_free (answer (f, rollcall, &spec));
    }
  count = sd_store_count_safety (f->store, sd_rollcall_get_id (rollcall), &error);
  g_assert_no_error (error);
  names = sd_safety_count_departments (count);
  g_assert_cmpuint (g_strv_length ((GStrv) names), ==, 3);
  g_assert_cmpuint (g_strv_length ((GStrv) sd_safety_count_sections (count, "総務部")), ==, 3);
  sd_safety_count_totals (count, "総務部", "一課", &t);
  g_assert_cmpuint (t.answered, ==, 7);
  g_assert_cmpuint (t.roster, ==, 7);
  g_assert_cmpuint (sd_safety_totals_within (&t, SD_ARRIVAL_WITHIN_30M), ==, 3);
  g_assert_cmpuint (sd_safety_totals_within (&t, SD_ARRIVAL_WITHIN_3H), ==, 3);
  g_assert_cmpuint (sd_safety_totals_within (&t, SD_ARRIVAL_OVER_3H), ==, 7);
  sd_safety_count_totals (count, "総務部", "二課", &t);
  g_assert_cmpuint (t.answered, ==, 0);
  sd_safety_count_totals (count, "無い部", NULL, &t);
  g_assert_cmpuint (t.roster, ==, 0);
}

static json_t *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  json_t *root = sd_json_parse (text, strlen (text), 0, &error);

  g_assert_no_error (error);
  return root;
}

static void
test_answer_from_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) good = parse ("{\"staff_no\": \"20001\", \"safety\": \"minor\", \"location\": \"other\","
                                          " \"location_note\": \"駅\", \"can_report\": true, \"means\": \"train\","
                                          " \"arrival\": \"within_2h\", \"recorded_by\": \"1003\"}");
  g_autoptr(json_t) typo = parse ("{\"staff_no\": \"1\", \"safty\": \"minor\"}");
  g_autoptr(json_t) wrong = parse ("{\"staff_no\": \"1\", \"safety\": \"fine\", \"location\": \"home\","
                                           " \"can_report\": false}");
  SdSafetyAnswerSpec spec;
  const char *recorder = NULL;

  g_assert_true (sd_safety_answer_from_json (good, NULL, SD_ANSWER_VIA_KIOSK, &spec, &recorder, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.safety, ==, SD_SAFETY_MINOR);
  g_assert_cmpint (spec.where, ==, SD_WHERE_OTHER);
  g_assert_cmpint (spec.means, ==, SD_MEANS_TRAIN);
  g_assert_cmpint (spec.arrival, ==, SD_ARRIVAL_WITHIN_2H);
  g_assert_true (spec.can_report);
  g_assert_cmpstr (recorder, ==, "1003");

  g_assert_false (sd_safety_answer_from_json (typo, NULL, SD_ANSWER_VIA_KIOSK, &spec, &recorder, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "safty"));
  g_clear_error (&error);
  g_assert_false (sd_safety_answer_from_json (wrong, NULL, SD_ANSWER_VIA_KIOSK, &spec, &recorder, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "fine"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/safety/rollcalls", test_rollcalls);
  ADD ("/safety/bad-answers", test_bad_answers);
  ADD ("/safety/latest-wins", test_latest_wins);
  ADD ("/safety/drill-apart", test_drill_apart);
  ADD ("/safety/totals-equal-recount", test_totals_equal_recount);
  ADD ("/safety/count-by-section", test_count_by_section);
#undef ADD
  g_test_add_func ("/safety/answer-from-json", test_answer_from_json);
  return g_test_run ();
}
