/* test-staff.c: staff accounts, Argon2id PINs, sign-in, the lock, and the role policy.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>

typedef struct {
  char    *dir;
  SdStore *store;
  gint64   now;
} Fixture;

static gint64
test_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("sd-staff-XXXXXX", NULL);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->now = 1800000000000;
  sd_store_set_clock (f->store, test_clock, &f->now);
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
}

static SdStaff *
add (Fixture *f, const char *no, SdRole role, const char *pin)
{
  g_autoptr(GError) error = NULL;
  SdStaffSpec spec = { no, "防災 花子", "ボウサイ ハナコ", "総務部", "危機管理課", "主任", role };
  SdStaff *staff = sd_store_add_staff (f->store, &spec, pin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (staff);
  return staff;
}

static void
test_add_and_list (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_LEAD, "482615");
  g_autoptr(SdStaff) b = add (f, "20", SD_ROLE_VOLUNTEER, NULL);
  g_autoptr(SdStaff) dup = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(SdStaff) first = NULL;
  SdStaffSpec spec = { "1001", "誰か", NULL, NULL, NULL, NULL, SD_ROLE_HQ };

  g_assert_true (sd_staff_get_has_pin (a));
  g_assert_false (sd_staff_get_has_pin (b));
  g_assert_cmpstr (sd_staff_get_section (a), ==, "危機管理課");

  dup = sd_store_add_staff (f->store, &spec, NULL, &error);
  g_assert_null (dup);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS);

  list = sd_store_list_staff (f->store, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  first = g_list_model_get_item (list, 0);
  g_assert_cmpstr (sd_staff_get_staff_no (first), ==, "20");  /* numeric order, not text order */
}

static void
test_pin_is_hashed (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_LEAD, "73915082");
  sqlite3 *db = _sd_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  sqlite3_prepare_v2 (db, "SELECT pin_hash FROM staff_pins", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "$argon2id$"));
  sqlite3_finalize (stmt);

  /* Nowhere in the file (nor its WAL) is the PIN itself. */
  sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  g_assert_true (g_file_get_contents (sd_store_get_path (f->store), &contents, &len, NULL));
  g_assert_null (g_strstr_len (contents, len, "73915082"));
}

static void
test_sign_in (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_LEAD, "482615");
  g_autoptr(SdStaff) signed_in = sd_store_sign_in (f->store, "1001", "482615", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sd_staff_get_id (signed_in), ==, sd_staff_get_id (a));
  g_assert_cmpint (sd_staff_get_role (signed_in), ==, SD_ROLE_LEAD);
}

static void
test_sign_in_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_LEAD, "482615");
  g_autoptr(SdStaff) b = add (f, "1002", SD_ROLE_VOLUNTEER, NULL);
  SdStaff *s;

  s = sd_store_sign_in (f->store, "9999", "482615", &error);
  g_assert_null (s);
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_UNKNOWN_STAFF);
  g_clear_error (&error);

  s = sd_store_sign_in (f->store, "1002", "1234", &error);
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NO_PIN);
  g_clear_error (&error);

  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "", "12", "123456789", "12a4" };
      s = sd_store_sign_in (f->store, "1001", bad[i], &error);
      g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN);
      g_clear_error (&error);
    }
  /* A malformed PIN is not counted as a wrong guess. */
  s = sd_store_sign_in (f->store, "1001", "0000", &error);
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN);
  g_assert_nonnull (strstr (error->message, "4"));  /* four more tries */
}

static void
test_lock_after_wrong_pins (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_LEAD, "482615");
  g_autoptr(SdStaff) ok = NULL;

  for (int i = 1; i < SD_SIGN_IN_MAX_FAILURES; i++)
    {
      g_assert_null (sd_store_sign_in (f->store, "1001", "0000", &error));
      g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_null (sd_store_sign_in (f->store, "1001", "0000", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED);
  g_clear_error (&error);

  /* Locked: even the right PIN waits. */
  g_assert_null (sd_store_sign_in (f->store, "1001", "482615", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED);
  g_clear_error (&error);

  f->now += (SD_SIGN_IN_LOCK_SECONDS + 1) * 1000;
  ok = sd_store_sign_in (f->store, "1001", "482615", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  /* Success clears the count: a full set of tries again. */
  g_assert_null (sd_store_sign_in (f->store, "1001", "0000", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN);
}

static void
sign_in_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_sign_in_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) a = add (f, "1001", SD_ROLE_HQ, "482615");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SdStaff) staff = NULL;

  sd_store_sign_in_async (f->store, "1001", "482615", NULL, sign_in_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  staff = sd_store_sign_in_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_staff_get_role (staff), ==, SD_ROLE_HQ);
  g_clear_object (&result);

  sd_store_sign_in_async (f->store, "1001", "1111", NULL, sign_in_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sd_store_sign_in_finish (f->store, result, &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN);
}

static void
test_set_pin (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) b = add (f, "1002", SD_ROLE_VOLUNTEER, NULL);
  g_autoptr(SdStaff) s = NULL;

  g_assert_true (sd_store_set_staff_pin (f->store, "1002", "5555", &error));
  g_assert_no_error (error);
  s = sd_store_sign_in (f->store, "1002", "5555", &error);
  g_assert_no_error (error);
  g_assert_false (sd_store_set_staff_pin (f->store, "7777", "5555", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_UNKNOWN_STAFF);
}

/* Six digits for a role that reads every evacuee's record, four for a
 * volunteer; and the hash stays on this site, out of the op-log. */
static void
test_pin_length_by_role (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdStaffSpec lead = { "2001", "責任者", NULL, NULL, NULL, NULL, SD_ROLE_LEAD };
  SdStaffSpec hq = { "2002", "本部", NULL, NULL, NULL, NULL, SD_ROLE_HQ };
  g_autoptr(SdStaff) v = add (f, "2003", SD_ROLE_VOLUNTEER, "1357");
  g_autoptr(SdStaff) l = NULL;
  g_autoptr(SdStaff) h = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_null (sd_store_add_staff (f->store, &lead, "1357", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN);
  g_clear_error (&error);
  g_assert_null (sd_store_add_staff (f->store, &hq, "13579", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN);
  g_clear_error (&error);
  l = sd_store_add_staff (f->store, &lead, "135791", &error);
  g_assert_no_error (error);
  h = sd_store_add_staff (f->store, &hq, "13579135", &error);
  g_assert_no_error (error);
  g_assert_false (sd_store_set_staff_pin (f->store, "2001", "2468", &error));
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN);
  g_clear_error (&error);
  g_assert_true (sd_store_set_staff_pin (f->store, "2003", "2468", &error));
  g_assert_cmpuint (sd_role_min_pin_length (SD_ROLE_VOLUNTEER), ==, 4);
  g_assert_cmpuint (sd_role_min_pin_length (SD_ROLE_LEAD), ==, 6);

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->store),
                   "SELECT (SELECT count (*) FROM oplog_entries WHERE field = 'pin_hash' OR value LIKE '$argon2%'),"
                   "       (SELECT count (*) FROM staff_pins)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 3);
  sqlite3_finalize (stmt);
  g_assert_true (sd_store_check_deep (f->store, &error));
  g_assert_no_error (error);
}

static void
test_role_policy (void)
{
  g_assert_true (sd_role_allows_desk (SD_ROLE_VOLUNTEER, SD_DESK_INTAKE));
  g_assert_true (sd_role_allows_desk (SD_ROLE_VOLUNTEER, SD_DESK_CHECKIN));
  g_assert_true (sd_role_allows_desk (SD_ROLE_VOLUNTEER, SD_DESK_ENQUIRY));
  g_assert_false (sd_role_allows_desk (SD_ROLE_VOLUNTEER, SD_DESK_REPORT));
  g_assert_true (sd_role_allows_desk (SD_ROLE_LEAD, SD_DESK_REPORT));
  /* Everyone answers a roll-call; only a lead or HQ sees the answers, only HQ opens one. */
  g_assert_true (sd_role_allows_desk (SD_ROLE_VOLUNTEER, SD_DESK_STAFF_SAFETY));
  g_assert_false (sd_role_can_review_safety (SD_ROLE_VOLUNTEER));
  g_assert_true (sd_role_can_review_safety (SD_ROLE_LEAD));
  g_assert_false (sd_role_can_open_rollcall (SD_ROLE_LEAD));
  g_assert_true (sd_role_can_open_rollcall (SD_ROLE_HQ));
  for (SdDesk d = SD_DESK_SUPPORT; d < SD_N_DESKS; d++)
    g_assert_false (sd_role_allows_desk (SD_ROLE_VOLUNTEER, d));
  g_assert_true (sd_role_allows_desk (SD_ROLE_LEAD, SD_DESK_SYNC));
  g_assert_false (sd_role_allows_desk (SD_ROLE_LEAD, SD_DESK_HQ));
  g_assert_false (sd_role_allows_desk (SD_ROLE_LEAD, SD_DESK_EXERCISE));
  for (SdDesk d = 0; d < SD_N_DESKS; d++)
    g_assert_true (sd_role_allows_desk (SD_ROLE_HQ, d));
  g_assert_false (sd_role_can_leave_kiosk (SD_ROLE_VOLUNTEER));
  g_assert_true (sd_role_can_leave_kiosk (SD_ROLE_LEAD));

  for (SdDesk d = 0; d < SD_N_DESKS; d++)
    {
      SdDesk back;
      g_assert_true (sd_desk_from_string (sd_desk_to_string (d), &back));
      g_assert_cmpint (back, ==, d);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/staff/add-and-list", test_add_and_list);
  ADD ("/staff/pin-is-hashed", test_pin_is_hashed);
  ADD ("/staff/sign-in", test_sign_in);
  ADD ("/staff/sign-in-errors", test_sign_in_errors);
  ADD ("/staff/lock-after-wrong-pins", test_lock_after_wrong_pins);
  ADD ("/staff/sign-in-async", test_sign_in_async);
  ADD ("/staff/set-pin", test_set_pin);
  ADD ("/staff/pin-length-by-role", test_pin_length_by_role);
#undef ADD
  g_test_add_func ("/staff/role-policy", test_role_policy);

  return g_test_run ();
}
