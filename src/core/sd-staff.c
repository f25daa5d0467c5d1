/* sd-staff.c: staff accounts, their roles, and signing in with a PIN.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PIN is kept only as an Argon2id hash (libsodium crypto_pwhash_str,
 * interactive limits), in the local table staff_pins: never in the
 * op-log, so no batch ever carries it to another kiosk (docs/security.md).
 * Four digits are few: every 4-digit PIN falls to one core in about 40
 * minutes once the file is copied, so a role that reads more than the
 * front desk (a shelter lead, HQ) needs at least six, which takes that
 * to some 65 hours.  At the desk what protects an account is the lock
 * after SD_SIGN_IN_MAX_FAILURES wrong PINs, counted in this kiosk's own
 * signin_state table (never synced).  Copies of a PIN are wiped with
 * sodium_memzero() as soon as they are no longer needed.
 *
 * Signing in has three steps: read the account and its lock state (fast,
 * on the caller's thread), verify the hash (slow on purpose: a worker
 * thread in the async variant), then record the outcome (a write, back on
 * the store's thread).
 */
#include "sd-staff.h"
#include "sd-staff-private.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

struct _SdStaff
{
  GObject  parent_instance;

  char    *id;
  char    *staff_no;
  char    *name;
  char    *kana;
  char    *department;
  char    *section;
  char    *rank;
  char    *phone;
  SdRole   role;
  gboolean has_pin;
};

G_DEFINE_FINAL_TYPE (SdStaff, sd_staff, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STAFF_NO,
  PROP_NAME,
  PROP_KANA,
  PROP_DEPARTMENT,
  PROP_SECTION,
  PROP_RANK,
  PROP_PHONE,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sd_staff_finalize (GObject *object)
{
  SdStaff *self = SD_STAFF (object);

  g_free (self->id);
  g_free (self->staff_no);
  g_free (self->name);
  g_free (self->kana);
  g_free (self->department);
  g_free (self->section);
  g_free (self->rank);
  g_free (self->phone);

  G_OBJECT_CLASS (sd_staff_parent_class)->finalize (object);
}

static void
sd_staff_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  SdStaff *self = SD_STAFF (object);

  switch (prop_id)
    {
    case PROP_STAFF_NO: g_value_set_string (value, self->staff_no); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_KANA: g_value_set_string (value, self->kana); break;
    case PROP_DEPARTMENT: g_value_set_string (value, self->department); break;
    case PROP_SECTION: g_value_set_string (value, self->section); break;
    case PROP_RANK: g_value_set_string (value, self->rank); break;
    case PROP_PHONE: g_value_set_string (value, self->phone); break;
    case PROP_ROLE: g_value_set_int (value, self->role); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_staff_class_init (SdStaffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sd_staff_finalize;
  object_class->get_property = sd_staff_get_property;

  properties[PROP_STAFF_NO] = g_param_spec_string ("staff-no", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KANA] = g_param_spec_string ("kana", NULL, NULL, NULL, flags);
  properties[PROP_DEPARTMENT] = g_param_spec_string ("department", NULL, NULL, NULL, flags);
  properties[PROP_SECTION] = g_param_spec_string ("section", NULL, NULL, NULL, flags);
  properties[PROP_RANK] = g_param_spec_string ("rank", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_int ("role", NULL, NULL, 0, SD_ROLE_HQ, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_staff_init (SdStaff *self)
{
}

const char *sd_staff_get_id (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->id; }
const char *sd_staff_get_staff_no (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->staff_no; }
const char *sd_staff_get_name (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->name; }
const char *sd_staff_get_kana (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->kana; }
const char *sd_staff_get_department (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->department; }
const char *sd_staff_get_section (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->section; }
const char *sd_staff_get_rank (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->rank; }
const char *sd_staff_get_phone (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), NULL); return self->phone; }
SdRole sd_staff_get_role (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), 0); return self->role; }
gboolean sd_staff_get_has_pin (SdStaff *self) { g_return_val_if_fail (SD_IS_STAFF (self), FALSE); return self->has_pin; }

gboolean
sd_pin_is_well_formed (const char *pin)
{
  gsize len = pin ? strlen (pin) : 0;

  if (len < 4 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_pin (const char  *pin,
           GError     **error)
{
  if (!sd_pin_is_well_formed (pin))
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN, _("A PIN is 4 to 8 digits."));
      return FALSE;
    }
  return TRUE;
}

guint
sd_role_min_pin_length (SdRole role)
{
  return role == SD_ROLE_VOLUNTEER ? 4 : 6;
}

/* A new PIN for ROLE: long enough for what the role can read. */
static gboolean
check_new_pin (const char  *pin,
               SdRole       role,
               GError     **error)
{
  if (!check_pin (pin, error))
    return FALSE;
  if (strlen (pin) < sd_role_min_pin_length (role))
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN,
                   _("A shelter lead’s or HQ’s PIN is 6 to 8 digits: they can read every evacuee’s "
                     "record. (A volunteer’s may be 4.)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_pin_hash (SdStore     *store,
               const char  *staff_id,
               const char  *hash,
               GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "INSERT INTO staff_pins (staff_id, pin_hash) VALUES (?1, ?2) "
                                          "ON CONFLICT (staff_id) DO UPDATE SET pin_hash = excluded.pin_hash",
                                          error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, staff_id);
  _sd_bind_text (stmt, 2, hash);
  return _sd_store_exec (store, stmt, _("save the PIN"), error);
}

static char *
hash_pin (const char  *pin,
          GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, pin, strlen (pin),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_BAD_PIN,
                   _("Could not protect the PIN: this computer is out of memory."));
      return NULL;
    }
  return g_strdup (hash);
}

/* ---- reading ---- */

#define STAFF_COLUMNS "id, staff_no, name, kana, department, section, rank, role, " \
                      "EXISTS (SELECT 1 FROM staff_pins p WHERE p.staff_id = staff.id), phone"

static SdStaff *
staff_from_row (sqlite3_stmt *stmt)
{
  SdStaff *self = g_object_new (SD_TYPE_STAFF, NULL);
  SdRole role = SD_ROLE_VOLUNTEER;

  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->staff_no = g_strdup (_sd_column_text (stmt, 1));
  self->name = g_strdup (_sd_column_text (stmt, 2));
  self->kana = g_strdup (_sd_column_text (stmt, 3));
  self->department = g_strdup (_sd_column_text (stmt, 4));
  self->section = g_strdup (_sd_column_text (stmt, 5));
  self->rank = g_strdup (_sd_column_text (stmt, 6));
  sd_role_from_string (_sd_column_text (stmt, 7), &role);
  self->role = role;
  self->has_pin = sqlite3_column_int (stmt, 8);
  self->phone = g_strdup (_sd_column_text (stmt, 9));
  return self;
}

SdStaff *
sd_store_find_staff (SdStore     *store,
                     const char  *staff_no,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT " STAFF_COLUMNS " FROM staff WHERE staff_no = ?1 AND active = 1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, staff_no);
  rc = _sd_store_step (store, stmt, _("look up the staff member"), error);
  if (rc == SQLITE_ROW)
    {
      SdStaff *staff = staff_from_row (stmt);
      sqlite3_reset (stmt);
      return staff;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_UNKNOWN_STAFF,
                 _("There is no staff member with the number “%s”. Check the number on your staff card."),
                 staff_no ? staff_no : "");
  return NULL;
}

static GListModel *
list_staff (SdStore       *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_STAFF);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("list the staff"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdStaff) staff = staff_from_row (stmt);
      g_list_store_append (list, staff);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
sd_store_list_staff (SdStore  *store,
                     GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  return list_staff (store,
                     _sd_store_prepare (store,
                                        "SELECT " STAFF_COLUMNS " FROM staff WHERE active = 1 "
                                        "ORDER BY length (staff_no), staff_no", error),
                     error);
}

GListModel *
sd_store_list_staff_by_department (SdStore  *store,
                                   GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  return list_staff (store,
                     _sd_store_prepare (store,
                                        "SELECT " STAFF_COLUMNS " FROM staff WHERE active = 1 "
                                        "ORDER BY department, section, length (staff_no), staff_no", error),
                     error);
}

/* ---- writing ---- */

static gboolean
validate_staff_no (const char  *staff_no,
                   GError     **error)
{
  gsize len = staff_no ? strlen (staff_no) : 0;

  if (len == 0 || len > 20)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (staff_no[i]) && staff_no[i] != '-')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("A staff number is 1 to 20 letters, digits or “-”."));
  return FALSE;
}

SdStaff *
sd_store_add_staff (SdStore            *store,
                    const SdStaffSpec  *spec,
                    const char         *pin,
                    GError            **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdStaff) existing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL, *kana = NULL, *department = NULL, *section = NULL, *rank = NULL;
  g_autofree char *phone = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!validate_staff_no (spec->staff_no, error) ||
      !sd_text_validate (spec->name, _("The name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->department, _("The department"), 100, FALSE, error) ||
      !sd_text_validate (spec->section, _("The section"), 100, FALSE, error) ||
      !sd_text_validate (spec->rank, _("The rank"), 100, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The phone number"), 30, FALSE, error))
    return NULL;
  if (spec->role > SD_ROLE_HQ)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The role is not valid."));
      return NULL;
    }
  name = sd_text_tidy (spec->name);
  if (name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("A staff member needs a name."));
      return NULL;
    }
  kana = sd_text_tidy (spec->kana);
  department = sd_text_tidy (spec->department);
  section = sd_text_tidy (spec->section);
  rank = sd_text_tidy (spec->rank);
  phone = sd_text_tidy (spec->phone);

  if (pin != NULL && *pin != '\0')
    {
      if (!check_new_pin (pin, spec->role, error) || (hash = hash_pin (pin, error)) == NULL)
        return NULL;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  existing = sd_store_find_staff (store, spec->staff_no, NULL);
  if (existing != NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("The staff number “%s” is already used."), spec->staff_no);
      return NULL;
    }

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO staff (id, staff_no, name, kana, department, section, rank, role, "
                            "phone, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, spec->staff_no);
  _sd_bind_text (stmt, 3, name);
  _sd_bind_text (stmt, 4, kana);
  _sd_bind_text (stmt, 5, department);
  _sd_bind_text (stmt, 6, section);
  _sd_bind_text (stmt, 7, rank);
  _sd_bind_text (stmt, 8, sd_role_to_string (spec->role));
  _sd_bind_text (stmt, 9, phone);
  if (!_sd_store_exec (store, stmt, _("save the staff member"), error))
    return NULL;
  if (hash != NULL && !save_pin_hash (store, id, hash, error))
    return NULL;

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return sd_store_find_staff (store, spec->staff_no, error);
}

gboolean
sd_store_set_staff_pin (SdStore     *store,
                        const char  *staff_no,
                        const char  *pin,
                        GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (!check_pin (pin, error))
    return FALSE;
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  staff = sd_store_find_staff (store, staff_no, error);
  if (staff == NULL)
    return FALSE;
  if (!check_new_pin (pin, staff->role, error) || (hash = hash_pin (pin, error)) == NULL ||
      !save_pin_hash (store, staff->id, hash, error))
    return FALSE;
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_store_copy_staff_pin (SdStore     *from,
                         SdStore     *to,
                         const char  *staff_no,
                         GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdStaff) there = NULL, here = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (from) && SD_IS_STORE (to) && staff_no != NULL, FALSE);

  if ((there = sd_store_find_staff (from, staff_no, error)) == NULL)
    return FALSE;
  stmt = _sd_store_prepare (from, "SELECT pin_hash FROM staff_pins WHERE staff_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, there->id);
  if (_sd_store_step (from, stmt, _("read the PIN"), error) == SQLITE_ROW)
    hash = g_strdup (_sd_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (hash == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NO_PIN, _("Staff member %s has no PIN to copy."), staff_no);
      return FALSE;
    }
  if ((txn = _sd_store_begin (to, error)) == NULL || (here = sd_store_find_staff (to, staff_no, error)) == NULL ||
      !save_pin_hash (to, here->id, hash, error))
    return FALSE;
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- signing in ---- */

struct _SdSignIn {
  SdStaff *staff;
  char    *hash;
  char    *pin;      /* wiped before it is freed */
  gboolean verified;
};
typedef SdSignIn SignIn;

static void
sign_in_free (SignIn *s)
{
  g_clear_object (&s->staff);
  g_free (s->hash);
  if (s->pin != NULL)
    {
      sodium_memzero (s->pin, strlen (s->pin));
      g_free (s->pin);
    }
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

/* Whole seconds, rounded up, until LOCKED_UNTIL (Unix ms); 0 if past. */
static guint
seconds_locked (SdStore *store,
                gint64   locked_until)
{
  gint64 now = sd_store_now_ms (store);

  return locked_until > now ? (guint) ((locked_until - now + 999) / 1000) : 0;
}

/**
 * sd_store_get_signin_wait:
 *
 * How many seconds STAFF_NO must still wait after too many wrong PINs: 0
 * when they may try now (or no such staff number), so that the desk can
 * count down instead of showing a number that stands still.
 */
guint
sd_store_get_signin_wait (SdStore    *store,
                          const char *staff_no)
{
  g_autoptr(SdStaff) staff = NULL;
  sqlite3_stmt *stmt;
  gint64 locked_until = 0;

  g_return_val_if_fail (SD_IS_STORE (store), 0);

  staff = staff_no != NULL ? sd_store_find_staff (store, staff_no, NULL) : NULL;
  if (staff == NULL)
    return 0;
  stmt = _sd_store_prepare (store, "SELECT locked_until FROM signin_state WHERE staff_id = ?1", NULL);
  if (stmt == NULL)
    return 0;
  _sd_bind_text (stmt, 1, staff->id);
  if (_sd_store_step (store, stmt, _("sign in"), NULL) == SQLITE_ROW)
    locked_until = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seconds_locked (store, locked_until);
}

/* Step 1, on the store's thread: the account, its hash and its lock. */
static SignIn *
sign_in_prepare (SdStore     *store,
                 const char  *staff_no,
                 const char  *pin,
                 GError     **error)
{
  g_autoptr(SignIn) s = g_new0 (SignIn, 1);
  sqlite3_stmt *stmt;
  gint64 locked_until = 0;
  guint wait_s;
  int rc;

  if (!check_pin (pin, error))
    return NULL;

  s->staff = sd_store_find_staff (store, staff_no, error);
  if (s->staff == NULL)
    return NULL;

  stmt = _sd_store_prepare (store,
                            "SELECT p.pin_hash, coalesce (g.locked_until, 0) FROM staff s "
                            "LEFT JOIN staff_pins p ON p.staff_id = s.id "
                            "LEFT JOIN signin_state g ON g.staff_id = s.id WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, s->staff->id);
  rc = _sd_store_step (store, stmt, _("sign in"), error);
  if (rc != SQLITE_ROW)
    return NULL;
  s->hash = g_strdup (_sd_column_text (stmt, 0));
  locked_until = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  wait_s = seconds_locked (store, locked_until);
  if (wait_s > 0)
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many wrong PINs. Wait %d second, then try again.",
                                "Too many wrong PINs. Wait %d seconds, then try again.",
                                (gulong) wait_s),
                   (int) wait_s);
      return NULL;
    }
  if (s->hash == NULL)
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NO_PIN,
                   _("This staff member has no PIN yet. A shelter lead or HQ can set one."));
      return NULL;
    }

  s->pin = g_strdup (pin);
  return g_steal_pointer (&s);
}

/* Step 2, anywhere: the slow part. */
static void
sign_in_verify (SignIn *s)
{
  s->verified = crypto_pwhash_str_verify (s->hash, s->pin, strlen (s->pin)) == 0;
  sodium_memzero (s->pin, strlen (s->pin));
}

/* Step 3, on the store's thread: count the failure, or clear the count. */
static SdStaff *
sign_in_record (SdStore  *store,
                SignIn   *s,
                GError  **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  sqlite3_stmt *stmt;
  int failures = 0;

  if (txn == NULL)
    return NULL;

  if (s->verified)
    {
      stmt = _sd_store_prepare (store, "DELETE FROM signin_state WHERE staff_id = ?1", error);
      if (stmt == NULL)
        return NULL;
      _sd_bind_text (stmt, 1, s->staff->id);
      if (!_sd_store_exec (store, stmt, _("sign in"), error) ||
          !_sd_txn_commit (g_steal_pointer (&txn), error))
        return NULL;
      return g_object_ref (s->staff);
    }

  stmt = _sd_store_prepare (store,
                            "INSERT INTO signin_state (staff_id, failures, locked_until) VALUES (?1, 1, 0) "
                            "ON CONFLICT (staff_id) DO UPDATE SET failures = failures + 1 "
                            "RETURNING failures", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, s->staff->id);
  if (_sd_store_step (store, stmt, _("sign in"), error) != SQLITE_ROW)
    return NULL;
  failures = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (failures >= SD_SIGN_IN_MAX_FAILURES)
    {
      stmt = _sd_store_prepare (store,
                                "UPDATE signin_state SET failures = 0, locked_until = ?2 WHERE staff_id = ?1",
                                error);
      if (stmt == NULL)
        return NULL;
      _sd_bind_text (stmt, 1, s->staff->id);
      sqlite3_bind_int64 (stmt, 2, sd_store_now_ms (store) + SD_SIGN_IN_LOCK_SECONDS * 1000);
      if (!_sd_store_exec (store, stmt, _("sign in"), error) ||
          !_sd_txn_commit (g_steal_pointer (&txn), error))
        return NULL;
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The PIN is wrong. After %d wrong PINs this account waits %d second.",
                                "The PIN is wrong. After %d wrong PINs this account waits %d seconds.",
                                SD_SIGN_IN_LOCK_SECONDS),
                   SD_SIGN_IN_MAX_FAILURES, SD_SIGN_IN_LOCK_SECONDS);
      return NULL;
    }

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN,
               g_dngettext (GETTEXT_PACKAGE,
                            "The PIN is wrong. %d more try before a short wait.",
                            "The PIN is wrong. %d more tries before a short wait.",
                            (gulong) (SD_SIGN_IN_MAX_FAILURES - failures)),
               SD_SIGN_IN_MAX_FAILURES - failures);
  return NULL;
}

/**
 * sd_store_sign_in:
 *
 * Checks a staff member's PIN.  Blocks for the time Argon2id takes; the
 * desk uses sd_store_sign_in_async().
 *
 * Returns: (transfer full): the staff member, or %NULL with an
 *   #SD_AUTH_ERROR saying what to do
 */
SdStaff *
sd_store_sign_in (SdStore     *store,
                  const char  *staff_no,
                  const char  *pin,
                  GError     **error)
{
  g_autoptr(SignIn) s = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  s = sign_in_prepare (store, staff_no, pin, error);
  if (s == NULL)
    return NULL;
  sign_in_verify (s);
  return sign_in_record (store, s, error);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  sign_in_verify (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
sign_in_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdStore *store = SD_STORE (object);
  GError *error = NULL;
  SdStaff *staff;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  staff = sign_in_record (store, g_task_get_task_data (G_TASK (result)), &error);
  if (staff == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, staff, g_object_unref);
}

void
sd_store_sign_in_async (SdStore             *store,
                        const char          *staff_no,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) verify = NULL;
  GError *error = NULL;
  SignIn *s;

  g_return_if_fail (SD_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_store_sign_in_async);

  s = sign_in_prepare (store, staff_no, pin, &error);
  if (s == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The inner task only verifies; its callback runs on this thread and
   * records the outcome, because the store belongs to this thread. */
  verify = g_task_new (store, cancellable, sign_in_verified_cb, g_steal_pointer (&task));
  g_task_set_source_tag (verify, sign_in_thread);
  g_task_set_task_data (verify, s, (GDestroyNotify) sign_in_free);
  g_task_set_return_on_cancel (verify, FALSE);
  g_task_run_in_thread (verify, sign_in_thread);
}

SdStaff *
sd_store_sign_in_finish (SdStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_store_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The three steps, for the receiver's web form, which runs them on its
 * own threads (sd-staff-private.h). */
SdSignIn *
_sd_sign_in_prepare (SdStore     *store,
                     const char  *staff_no,
                     const char  *pin,
                     GError     **error)
{
  return sign_in_prepare (store, staff_no, pin, error);
}

void
_sd_sign_in_verify (SdSignIn *sign_in)
{
  sign_in_verify (sign_in);
}

SdStaff *
_sd_sign_in_record (SdStore   *store,
                    SdSignIn  *sign_in,
                    GError   **error)
{
  return sign_in_record (store, sign_in, error);
}

void
_sd_sign_in_free (SdSignIn *sign_in)
{
  if (sign_in != NULL)
    sign_in_free (sign_in);
}
