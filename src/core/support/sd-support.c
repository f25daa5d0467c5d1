/* sd-support.c: the evacuation-support list (避難行動要支援者名簿).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables are schema 15's (sd-migrations.c).  Reads come back as JSON
 * made by SQLite itself (json_object), for the CLI as they are and for
 * the desk through SdJsonItem.
 */
#include "sd-address.h"
#include "sd-codes.h"
#include "sd-date.h"
#include "sd-json.h"
#include "sd-shelter.h"
#include "sd-store-private.h"
#include "sd-support.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>

/* A double press within this long is one report. */
#define SAME_REPORT_MS (60 * 1000)

/* ---- codes and labels ---- */

static const char *const status_codes[] = {
  "unconfirmed", "safe_home", "evacuated", "helping", "injured", "missing", NULL };
static const char *const status_msgids[] = {
  N_("Unconfirmed"), N_("Safe at home"), N_("Evacuated"), N_("Being helped"), N_("Injured"), N_("Missing"), NULL };
static const char *const via_codes[] = { "desk", "checkin", "cli", "import", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (status_codes) == SD_N_SUPPORT_STATUSES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (status_msgids) == SD_N_SUPPORT_STATUSES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (via_codes) == SD_N_SUPPORT_VIA + 1);

SD_CODE_FUNCS (support_status, SdSupportStatus, status_codes, SD_N_SUPPORT_STATUSES)
SD_CODE_FUNCS (support_via, SdSupportVia, via_codes, SD_N_SUPPORT_VIA)

const char *
sd_support_status_msgid (SdSupportStatus status)
{
  return status < SD_N_SUPPORT_STATUSES ? status_msgids[status] : "";
}

const char *
sd_support_status_label (SdSupportStatus status)
{
  return status < SD_N_SUPPORT_STATUSES ? _(status_msgids[status]) : "";
}

static const char *const assist_codes[] = {
  "wheelchair", "stretcher", "walking_aid", "guide", "sign_language", "oxygen", "vehicle", NULL };
static const char *const assist_msgids[] = {
  N_("Wheelchair"), N_("Stretcher"), N_("Walking aid"), N_("Guide (sight)"), N_("Sign language"),
  N_("Oxygen"), N_("Vehicle"), NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (assist_codes) == G_N_ELEMENTS (assist_msgids));

const char *const *
sd_support_assist_codes (void)
{
  return assist_codes;
}

const char *
sd_support_assist_label (const char *code)
{
  int i = code_index (assist_codes, code);

  return i < 0 ? "" : _(assist_msgids[i]);
}

/* ---- the list's fields ---- */

/* SPEC checked and tidied, for an insert or an update. */
typedef struct {
  char  *external_id, *name, *kana, *birth_date, *address, *district, *phone, *reason, *care_level, *disability;
} Tidy;

static void
tidy_clear (Tidy *t)
{
  g_free (t->external_id);
  g_free (t->name);
  g_free (t->kana);
  g_free (t->birth_date);
  g_free (t->address);
  g_free (t->district);
  g_free (t->phone);
  g_free (t->reason);
  g_free (t->care_level);
  g_free (t->disability);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tidy, tidy_clear)

static gboolean
tidy_spec (const SdSupportPersonSpec  *spec,
           Tidy                       *t,
           GError                    **error)
{
  if (!sd_text_validate (spec->external_id, _("The welfare system's number"), 40, FALSE, error) ||
      !sd_text_validate (spec->name, _("The name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The phone number"), 30, FALSE, error) ||
      !sd_text_validate (spec->reason, _("The reason for support"), 500, TRUE, error) ||
      !sd_text_validate (spec->care_level, _("The care level"), 100, FALSE, error) ||
      !sd_text_validate (spec->disability, _("The disability"), 200, FALSE, error))
    return FALSE;

  t->name = sd_text_tidy (spec->name);
  if (t->name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Every person needs a name."));
      return FALSE;
    }
  if (spec->birth_date != NULL && *spec->birth_date != '\0')
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                               g_date_time_get_month (now),
                                               g_date_time_get_year (now));

      t->birth_date = sd_date_parse_iso (spec->birth_date, today, error);
      if (t->birth_date == NULL)
        return FALSE;
    }
  if (spec->sex > SD_SEX_NOT_APPLICABLE)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The sex is not valid."));
      return FALSE;
    }
  t->external_id = sd_text_tidy (spec->external_id);
  t->kana = sd_text_tidy (spec->kana);
  t->address = sd_text_tidy (spec->address);
  t->district = sd_address_district (t->address);
  t->phone = sd_text_tidy (spec->phone);
  t->reason = sd_text_tidy (spec->reason);
  t->care_level = sd_text_tidy (spec->care_level);
  t->disability = sd_text_tidy (spec->disability);
  return TRUE;
}

/* The welfare system's number is how its next export is matched to
 * these rows: two people with one number would be merged or missed. */
static gboolean
external_id_free (SdStore     *store,
                  const char  *external_id,
                  const char  *except_id,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (external_id == NULL)
    return TRUE;
  stmt = _sd_store_prepare (store, "SELECT 1 FROM support_persons WHERE external_id = ?1 AND id IS NOT ?2", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, external_id);
  _sd_bind_text (stmt, 2, except_id);
  rc = _sd_store_step (store, stmt, _("look up the welfare system's number"), error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("The welfare system's number “%s” is already used by another person on the support list."),
                   external_id);
      return FALSE;
    }
  return rc == SQLITE_DONE;
}

static void
bind_tidy (sqlite3_stmt              *stmt,
           const Tidy                *t,
           const SdSupportPersonSpec *spec)
{
  _sd_bind_text (stmt, 2, t->external_id);
  _sd_bind_text (stmt, 3, t->name);
  _sd_bind_text (stmt, 4, t->kana);
  _sd_bind_text (stmt, 5, sd_sex_to_string (spec->sex));
  _sd_bind_text (stmt, 6, t->birth_date);
  _sd_bind_text (stmt, 7, t->address);
  _sd_bind_text (stmt, 8, t->phone);
  _sd_bind_text (stmt, 9, t->reason);
  sqlite3_bind_int (stmt, 10, !!spec->consent_share);
  _sd_bind_text (stmt, 12, t->district);
  _sd_bind_text (stmt, 13, t->care_level);
  _sd_bind_text (stmt, 14, t->disability);
}

/* The row of T (SPEC for its sex and consent), in the caller's
 * transaction; its new id. */
static char *
insert_person (SdStore                   *store,
               const Tidy                *t,
               const SdSupportPersonSpec *spec,
               GError                   **error)
{
  g_autofree char *id = _sd_store_new_id (store);
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "INSERT INTO support_persons (id, external_id, name, kana, sex, birth_date, "
                                          "address, phone, reason, consent_share, created_at, district, care_level, "
                                          "disability) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                                          error);

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  bind_tidy (stmt, t, spec);
  sqlite3_bind_int64 (stmt, 11, sd_store_now_ms (store));
  if (!_sd_store_exec (store, stmt, _("save the person"), error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
sd_store_add_support_person (SdStore                    *store,
                             const SdSupportPersonSpec  *spec,
                             GError                    **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *id = NULL;
  g_auto(Tidy) t = { 0 };

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!tidy_spec (spec, &t, error))
    return NULL;
  txn = _sd_store_begin (store, error);
  if (txn == NULL || !external_id_free (store, t.external_id, NULL, error) ||
      (id = insert_person (store, &t, spec, error)) == NULL ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
_sd_support_insert_checked (SdStore                    *store,
                            const SdSupportPersonSpec  *spec,
                            GError                    **error)
{
  Tidy t = {
    .external_id = (char *) spec->external_id, .name = (char *) spec->name, .kana = (char *) spec->kana,
    .birth_date = (char *) spec->birth_date, .address = (char *) spec->address, .phone = (char *) spec->phone,
    .reason = (char *) spec->reason, .care_level = (char *) spec->care_level, .disability = (char *) spec->disability,
  };
  g_autofree char *district = sd_address_district (spec->address);

  t.district = district;
  return insert_person (store, &t, spec, error);
}

/* Whether ID is a person of the support list (an error naming it if not). */
static gboolean
support_person_exists (SdStore     *store,
                       const char  *id,
                       GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT 1 FROM support_persons WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  rc = _sd_store_step (store, stmt, _("find the person"), error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("There is no such person on the support list."));
  return rc == SQLITE_ROW;
}

gboolean
sd_store_update_support_person (SdStore                    *store,
                                const char                 *id,
                                const SdSupportPersonSpec  *spec,
                                GError                    **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_auto(Tidy) t = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL && spec != NULL, FALSE);

  if (!tidy_spec (spec, &t, error))
    return FALSE;
  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, id, error) ||
      !external_id_free (store, t.external_id, id, error))
    return FALSE;
  /* Only what changed is captured, field by field. */
  stmt = _sd_store_prepare (store,
                            "UPDATE support_persons SET external_id = ?2, name = ?3, kana = ?4, sex = ?5, "
                            "birth_date = ?6, address = ?7, phone = ?8, reason = ?9, consent_share = ?10, "
                            "updated_at = CASE WHEN (external_id, name, kana, sex, birth_date, address, phone, "
                            "  reason, consent_share, district, care_level, disability) IS NOT "
                            "  (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14) THEN ?11 ELSE updated_at END, "
                            "district = ?12, care_level = ?13, disability = ?14 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  bind_tidy (stmt, &t, spec);
  sqlite3_bind_int64 (stmt, 11, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("save the person"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_store_set_support_listed (SdStore     *store,
                             const char  *id,
                             gboolean     listed,
                             GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, id, error))
    return FALSE;
  stmt = _sd_store_prepare (store,
                            "UPDATE support_persons SET listed = ?2, "
                            "left_at = CASE WHEN ?2 THEN NULL WHEN listed = 1 THEN ?3 ELSE left_at END "
                            "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, listed ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("save the person"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* The id of the shelter with CODE, or NULL with ERROR set. */
static char *
shelter_id_of (SdStore     *store,
               const char  *code,
               GError     **error)
{
  g_autoptr(SdShelter) shelter = sd_store_find_shelter (store, code, error);

  return shelter != NULL ? g_strdup (sd_shelter_get_id (shelter)) : NULL;
}

gboolean
sd_store_set_support_plan (SdStore                  *store,
                           const char               *id,
                           const SdSupportPlanSpec  *plan,
                           GError                  **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *shelter_id = NULL, *route = NULL, *bring = NULL, *note = NULL, *assist = NULL;
  g_autoptr(GString) words = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL && plan != NULL, FALSE);

  if (!sd_text_validate (plan->route, _("The route"), 1000, TRUE, error) ||
      !sd_text_validate (plan->bring, _("What to bring"), 1000, TRUE, error) ||
      !sd_text_validate (plan->note, _("The note"), 2000, TRUE, error))
    return FALSE;
  for (guint i = 0; plan->assist != NULL && plan->assist[i] != NULL; i++)
    {
      if (code_index (assist_codes, plan->assist[i]) < 0)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("“%s” is not a way of assisting this desk knows."), plan->assist[i]);
          return FALSE;
        }
      /* Each once, in the order of the codes, so an unchanged plan is. */
    }
  for (guint c = 0; assist_codes[c] != NULL; c++)
    if (plan->assist != NULL && g_strv_contains (plan->assist, assist_codes[c]))
      g_string_append_printf (words, "%s%s", words->len > 0 ? " " : "", assist_codes[c]);
  assist = words->len > 0 ? g_strdup (words->str) : NULL;
  route = sd_text_tidy (plan->route);
  bring = sd_text_tidy (plan->bring);
  note = sd_text_tidy (plan->note);

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, id, error))
    return FALSE;
  if (plan->shelter_code != NULL && *plan->shelter_code != '\0' &&
      (shelter_id = shelter_id_of (store, plan->shelter_code, error)) == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store,
                            "UPDATE support_persons SET plan_shelter_id = ?2, plan_route = ?3, plan_bring = ?4, "
                            "plan_assist = ?5, plan_note = ?6, "
                            "updated_at = CASE WHEN (plan_shelter_id, plan_route, plan_bring, plan_assist, plan_note) "
                            "  IS NOT (?2, ?3, ?4, ?5, ?6) THEN ?7 ELSE updated_at END WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, shelter_id);
  _sd_bind_text (stmt, 3, route);
  _sd_bind_text (stmt, 4, bring);
  _sd_bind_text (stmt, 5, assist);
  _sd_bind_text (stmt, 6, note);
  sqlite3_bind_int64 (stmt, 7, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("save the plan"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- contacts and supporters ---- */

typedef struct {
  char *name, *kana, *relation, *phone, *postal_code, *address;
} TidyContact;

static void
tidy_contact_clear (TidyContact *t)
{
  g_free (t->name);
  g_free (t->kana);
  g_free (t->relation);
  g_free (t->phone);
  g_free (t->postal_code);
  g_free (t->address);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TidyContact, tidy_contact_clear)

static gboolean
tidy_contact (const SdSupportContactSpec  *spec,
              TidyContact                 *t,
              GError                     **error)
{
  if (spec->kind > SD_SUPPORT_CONTACT_SUPPORTER)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The kind of contact is not valid."));
      return FALSE;
    }
  if (!sd_text_validate (spec->name, _("The contact's name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The contact's kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->relation, _("The relation or role"), 100, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The contact's phone number"), 30, FALSE, error) ||
      !sd_text_validate (spec->postal_code, _("The postal code"), 10, FALSE, error) ||
      !sd_text_validate (spec->address, _("The contact's address"), 200, FALSE, error))
    return FALSE;
  t->name = sd_text_tidy (spec->name);
  if (t->name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("A contact needs a name."));
      return FALSE;
    }
  t->kana = sd_text_tidy (spec->kana);
  t->relation = sd_text_tidy (spec->relation);
  t->phone = sd_text_tidy (spec->phone);
  t->postal_code = sd_text_tidy (spec->postal_code);
  t->address = sd_text_tidy (spec->address);
  return TRUE;
}

static const char *
contact_kind_code (SdSupportContactKind kind)
{
  return kind == SD_SUPPORT_CONTACT_SUPPORTER ? "supporter" : "emergency";
}

static void
bind_contact (sqlite3_stmt               *stmt,
              const TidyContact          *t,
              const SdSupportContactSpec *spec)
{
  _sd_bind_text (stmt, 3, contact_kind_code (spec->kind));
  _sd_bind_text (stmt, 4, t->name);
  _sd_bind_text (stmt, 5, t->kana);
  _sd_bind_text (stmt, 6, t->relation);
  _sd_bind_text (stmt, 7, t->phone);
  _sd_bind_text (stmt, 8, t->postal_code);
  _sd_bind_text (stmt, 9, t->address);
}

char *
sd_store_add_support_contact (SdStore                     *store,
                              const char                  *person_id,
                              const SdSupportContactSpec  *spec,
                              GError                     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_auto(TidyContact) t = { 0 };
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL && spec != NULL, NULL);

  if (!tidy_contact (spec, &t, error))
    return NULL;
  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, person_id, error))
    return NULL;
  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO support_contacts (id, support_person_id, kind, name, kana, relation, "
                            "phone, postal_code, address, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                            "(SELECT coalesce (max (position), -1) + 1 FROM support_contacts "
                            " WHERE support_person_id = ?2 AND kind = ?3))", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, person_id);
  bind_contact (stmt, &t, spec);
  if (!_sd_store_exec (store, stmt, _("save the contact"), error) ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

/* Changes that touched no row name a contact that is not there. */
static gboolean
one_contact_changed (SdStore  *store,
                     GError  **error)
{
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such contact."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_store_update_support_contact (SdStore                     *store,
                                 const char                  *contact_id,
                                 const SdSupportContactSpec  *spec,
                                 GError                     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_auto(TidyContact) t = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (contact_id != NULL && spec != NULL, FALSE);

  if (!tidy_contact (spec, &t, error))
    return FALSE;
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  /* The person of a contact (?2 in the insert) does not change. */
  stmt = _sd_store_prepare (store,
                            "UPDATE support_contacts SET kind = ?3, name = ?4, kana = ?5, relation = ?6, phone = ?7, "
                            "postal_code = ?8, address = ?9 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, contact_id);
  bind_contact (stmt, &t, spec);
  return _sd_store_exec (store, stmt, _("save the contact"), error) && one_contact_changed (store, error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_store_remove_support_contact (SdStore     *store,
                                 const char  *contact_id,
                                 GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (contact_id != NULL, FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "DELETE FROM support_contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, contact_id);
  return _sd_store_exec (store, stmt, _("remove the contact"), error) && one_contact_changed (store, error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- status reports ---- */

/* The newest report of PERSON_ID if it says STATUS at SHELTER_ID and was
 * made since SINCE: a double press. */
static char *
same_report (SdStore     *store,
             const char  *person_id,
             const char  *status,
             const char  *shelter_id,
             gint64       since,
             GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT report_id FROM support_state WHERE support_person_id = ?1 "
                                          "AND status = ?2 AND shelter_id IS ?3 AND reported_at >= ?4", error);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, person_id);
  _sd_bind_text (stmt, 2, status);
  _sd_bind_text (stmt, 3, shelter_id);
  sqlite3_bind_int64 (stmt, 4, since);
  if (_sd_store_step (store, stmt, _("read the person's status"), error) == SQLITE_ROW)
    id = g_strdup (_sd_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

char *
sd_store_report_support_status (SdStore          *store,
                                const char       *person_id,
                                SdSupportStatus   status,
                                const char       *shelter_code,
                                const char       *note,
                                const char       *staff_id,
                                SdSupportVia      via,
                                GError          **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *id = NULL, *shelter_id = NULL, *tidy_note = NULL;
  g_autoptr(GError) local = NULL;
  gboolean has_shelter = shelter_code != NULL && *shelter_code != '\0';
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  if (status >= SD_N_SUPPORT_STATUSES || via >= SD_N_SUPPORT_VIA)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The status is not valid."));
      return NULL;
    }
  if ((status == SD_SUPPORT_EVACUATED) != has_shelter)
    {
      g_set_error (error, SD_DATA_ERROR, has_shelter ? SD_DATA_ERROR_BAD_VALUE : SD_DATA_ERROR_MISSING,
                   has_shelter ? _("Only an evacuated person has a shelter.")
                               : _("Say which shelter the person evacuated to."));
      return NULL;
    }
  if (!sd_text_validate (note, _("The note"), 1000, TRUE, error))
    return NULL;
  tidy_note = sd_text_tidy (note);

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, person_id, error))
    return NULL;
  if (has_shelter && (shelter_id = shelter_id_of (store, shelter_code, error)) == NULL)
    return NULL;
  now = sd_store_now_ms (store);
  id = same_report (store, person_id, sd_support_status_to_string (status), shelter_id, now - SAME_REPORT_MS,
                    &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (id != NULL)
    return g_steal_pointer (&id);

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO support_reports (id, support_person_id, status, shelter_id, note, "
                            "reported_at, hlc, reported_by, via) VALUES (?1, ?2, ?3, ?4, ?5, ?6, sd_hlc (), ?7, ?8)",
                            error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, person_id);
  _sd_bind_text (stmt, 3, sd_support_status_to_string (status));
  _sd_bind_text (stmt, 4, shelter_id);
  _sd_bind_text (stmt, 5, tidy_note);
  sqlite3_bind_int64 (stmt, 6, now);
  _sd_bind_text (stmt, 7, staff_id);
  _sd_bind_text (stmt, 8, sd_support_via_to_string (via));
  if (!_sd_store_exec (store, stmt, _("save the status"), error) ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- reads ---- */

char *
sd_store_find_support_person (SdStore     *store,
                              const char  *key,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  char *id = NULL;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _sd_store_prepare (store, "SELECT id FROM support_persons WHERE id = ?1 OR external_id = ?1 "
                                   "ORDER BY id = ?1 DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, key);
  rc = _sd_store_step (store, stmt, _("find the person"), error);
  if (rc == SQLITE_ROW)
    id = g_strdup (_sd_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("Nobody on the support list has the id or number “%s”."), key);
  sqlite3_reset (stmt);
  return id;
}

/* The first column of the one row of STMT as a new string, or NULL with
 * ERROR set (WHAT names the action). */
static char *
read_text (SdStore       *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  char *text = NULL;

  if (_sd_store_step (store, stmt, what, error) == SQLITE_ROW)
    text = g_strdup (_sd_column_text (stmt, 0) ?: "[]");
  sqlite3_reset (stmt);
  return text;
}

/* A person as a list shows them: p is support_persons, s support_state,
 * sh the shelter of the status. */
#define PERSON_JSON \
  "json_object ('id', p.id, 'external_id', p.external_id, 'name', p.name, 'kana', p.kana, 'sex', p.sex, " \
  "  'birth_date', p.birth_date, 'address', p.address, 'district', p.district, 'phone', p.phone, " \
  "  'reason', p.reason, 'care_level', p.care_level, 'disability', p.disability, " \
  "  'consent_share', json (CASE p.consent_share WHEN 1 THEN 'true' ELSE 'false' END), " \
  "  'listed', json (CASE p.listed WHEN 1 THEN 'true' ELSE 'false' END), 'left_at', p.left_at, " \
  "  'status', coalesce (s.status, 'unconfirmed'), 'shelter_code', sh.code, 'shelter_name', sh.name, " \
  "  'reported_at', s.reported_at, " \
  "  'supporters', (SELECT json_group_array (c.name || coalesce (' (' || c.relation || ')', '')) FROM (" \
  "    SELECT name, relation FROM support_contacts WHERE support_person_id = p.id AND kind = 'supporter' " \
  "    ORDER BY position) c), " \
  "  'contact', (SELECT c.name || coalesce (' (' || c.relation || ')', '') || coalesce (' ' || c.phone, '') " \
  "    FROM support_contacts c WHERE c.support_person_id = p.id AND c.kind = 'emergency' " \
  "    ORDER BY c.position LIMIT 1), " \
  "  'plan_bring', p.plan_bring)"

char *
sd_support_list_json (SdStore                *store,
                      const SdSupportFilter  *filter,
                      GError                **error)
{
  static const SdSupportFilter all = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  if (filter == NULL)
    filter = &all;

  stmt = _sd_store_prepare (store,
                            "SELECT json_group_array (json (j)) FROM ("
                            "  SELECT " PERSON_JSON " AS j FROM support_persons p "
                            "  LEFT JOIN support_state s ON s.support_person_id = p.id "
                            "  LEFT JOIN shelters sh ON sh.id = s.shelter_id "
                            "  WHERE (?1 OR p.listed = 1) "
                            "    AND (?2 IS NULL OR coalesce (s.status, 'unconfirmed') = ?2) "
                            "    AND (?3 IS NULL OR p.district IS ?3) "
                            "    AND (?4 IS NULL OR instr (coalesce (p.reason, '') || ' ' || coalesce (p.care_level, '') "
                            "      || ' ' || coalesce (p.disability, ''), ?4) > 0) "
                            "    AND (?5 IS NULL OR EXISTS (SELECT 1 FROM support_contacts c "
                            "      WHERE c.support_person_id = p.id AND c.kind = 'supporter' "
                            "      AND (instr (c.name, ?5) > 0 OR instr (coalesce (c.relation, ''), ?5) > 0))) "
                            "  ORDER BY p.district IS NULL, p.district, coalesce (p.kana, p.name), p.id)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, filter->with_left ? 1 : 0);
  _sd_bind_text (stmt, 2, !filter->by_status ? NULL : sd_support_status_to_string (filter->status));
  _sd_bind_text (stmt, 3, filter->district);
  _sd_bind_text (stmt, 4, filter->reason);
  _sd_bind_text (stmt, 5, filter->supporter);
  return read_text (store, stmt, _("read the support list"), error);
}

char *
sd_support_person_json (SdStore     *store,
                        const char  *id,
                        GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT json_patch (" PERSON_JSON ", json_object ("
                            "  'plan', json_object ('shelter_code', ps.code, 'shelter_name', ps.name, "
                            "    'route', p.plan_route, 'bring', p.plan_bring, 'assist', p.plan_assist, "
                            "    'note', p.plan_note), "
                            "  'contacts', (SELECT json_group_array (json_object ('id', c.id, 'kind', c.kind, "
                            "    'name', c.name, 'kana', c.kana, 'relation', c.relation, 'phone', c.phone, "
                            "    'postal_code', c.postal_code, 'address', c.address)) FROM ("
                            "    SELECT * FROM support_contacts WHERE support_person_id = p.id "
                            "    ORDER BY kind, position, id) c), "
                            "  'reports', (SELECT json_group_array (json_object ('id', r.id, 'status', r.status, "
                            "    'shelter_code', rs.code, 'shelter_name', rs.name, 'note', r.note, "
                            "    'reported_at', r.reported_at, 'reported_by', st.name, 'via', r.via)) FROM ("
                            "    SELECT * FROM support_reports WHERE support_person_id = p.id "
                            "    ORDER BY reported_at DESC, hlc DESC, id DESC) r "
                            "    LEFT JOIN shelters rs ON rs.id = r.shelter_id LEFT JOIN staff st ON st.id = r.reported_by)))"
                            " FROM support_persons p "
                            " LEFT JOIN support_state s ON s.support_person_id = p.id "
                            " LEFT JOIN shelters sh ON sh.id = s.shelter_id "
                            " LEFT JOIN shelters ps ON ps.id = p.plan_shelter_id "
                            " WHERE p.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  switch (_sd_store_step (store, stmt, _("read the person"), error))
    {
    case SQLITE_ROW:
      text = g_strdup (_sd_column_text (stmt, 0));
      break;
    case SQLITE_DONE:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such person on the support list."));
      break;
    default:
      break;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&text);
}

gboolean
sd_support_count_statuses (SdStore  *store,
                           guint    *counts,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, SD_N_SUPPORT_STATUSES * sizeof (guint));
  stmt = _sd_store_prepare (store,
                            "SELECT coalesce (s.status, 'unconfirmed'), count (*) FROM support_persons p "
                            "LEFT JOIN support_state s ON s.support_person_id = p.id WHERE p.listed = 1 GROUP BY 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = _sd_store_step (store, stmt, _("count the support list"), error)) == SQLITE_ROW)
    {
      SdSupportStatus status;

      if (sd_support_status_from_string (_sd_column_text (stmt, 0), &status))
        counts[status] = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

char *
sd_support_districts_json (SdStore  *store,
                           GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT json_group_array (json_object ('district', district, 'listed', n, "
                            "  'unconfirmed', u)) FROM ("
                            "  SELECT p.district, count (*) AS n, "
                            "    sum (coalesce (s.status, 'unconfirmed') = 'unconfirmed') AS u "
                            "  FROM support_persons p LEFT JOIN support_state s ON s.support_person_id = p.id "
                            "  WHERE p.listed = 1 GROUP BY p.district ORDER BY p.district IS NULL, p.district)",
                            error);
  if (stmt == NULL)
    return NULL;
  return read_text (store, stmt, _("read the districts"), error);
}

/* ---- check-ins that may be a listed person ---- */

/* Names compared as the search folds them: no spaces, kana in katakana. */
static gboolean
same_folded (const char *a,
             const char *b)
{
  g_autofree char *x = sd_text_fold (a), *y = sd_text_fold (b);

  return x != NULL && y != NULL && g_str_equal (x, y);
}

static gboolean
same_address (const char *a,
              const char *b)
{
  g_autofree char *x = sd_address_normalize (a), *y = sd_address_normalize (b);

  return x != NULL && y != NULL && *x != '\0' && g_str_equal (x, y);
}

char *
sd_support_checkin_matches_json (SdStore  *store,
                                 GError  **error)
{
  g_autoptr(json_t) matches = json_array ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  /* The date of birth narrows it to a few candidates each; the names,
   * kana and addresses are compared here as the search folds them. */
  stmt = _sd_store_prepare (store,
                            "SELECT sp.id, sp.name, sp.kana, sp.address, sp.district, p.id, p.name, p.kana, "
                            "  coalesce (p.address, h.address), s.code, s.name, ps.at "
                            "FROM support_persons sp "
                            "JOIN persons p ON p.birth_date = sp.birth_date "
                            "JOIN households h ON h.id = p.household_id "
                            "JOIN person_state ps ON ps.person_id = p.id AND ps.kind != 'leave' "
                            "JOIN shelters s ON s.id = ps.shelter_id "
                            "LEFT JOIN support_state st ON st.support_person_id = sp.id "
                            "WHERE sp.listed = 1 AND sp.birth_date IS NOT NULL "
                            "  AND NOT (st.status IS 'evacuated' AND st.shelter_id IS ps.shelter_id) "
                            "  AND (st.reported_at IS NULL OR st.reported_at < ps.at) "
                            "  AND NOT EXISTS (SELECT 1 FROM support_not_same n "
                            "    WHERE n.support_person_id = sp.id AND n.person_id = p.id) "
                            "ORDER BY ps.at, sp.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the check-ins"), error)) == SQLITE_ROW)
    {
      const char *by = NULL;

      if (same_folded (_sd_column_text (stmt, 1), _sd_column_text (stmt, 6)))
        by = "name";
      else if (same_folded (_sd_column_text (stmt, 2), _sd_column_text (stmt, 7)) &&
               same_address (_sd_column_text (stmt, 3), _sd_column_text (stmt, 8)))
        by = "kana_address";
      if (by == NULL)
        continue;
      json_array_append_new (matches,
                             json_pack ("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s, s:s, s:I, s:s}",
                                        "support_person_id", _sd_column_text (stmt, 0),
                                        "name", _sd_column_text (stmt, 1), "kana", _sd_column_text (stmt, 2),
                                        "district", _sd_column_text (stmt, 4), "person_id", _sd_column_text (stmt, 5),
                                        "evacuee_name", _sd_column_text (stmt, 6),
                                        "shelter_code", _sd_column_text (stmt, 9),
                                        "shelter_name", _sd_column_text (stmt, 10),
                                        "at", (json_int_t) sqlite3_column_int64 (stmt, 11), "by", by));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return sd_json_to_compact (matches);
}

gboolean
sd_store_support_not_same (SdStore     *store,
                           const char  *support_person_id,
                           const char  *person_id,
                           GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (support_person_id != NULL && person_id != NULL, FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !support_person_exists (store, support_person_id, error))
    return FALSE;
  stmt = _sd_store_prepare (store, "INSERT OR IGNORE INTO support_not_same (support_person_id, person_id) "
                                   "VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, support_person_id);
  _sd_bind_text (stmt, 2, person_id);
  return _sd_store_exec (store, stmt, _("save the person"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
