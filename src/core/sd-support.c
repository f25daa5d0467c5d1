/* sd-support.c: the evacuation-support list (避難行動要支援者名簿).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-date.h"
#include "sd-store-private.h"
#include "sd-support.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>

char *
sd_store_add_support_person (SdStore                    *store,
                             const SdSupportPersonSpec  *spec,
                             GError                    **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL, *kana = NULL, *address = NULL, *phone = NULL, *reason = NULL;
  g_autofree char *external_id = NULL, *birth_date = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!sd_text_validate (spec->external_id, _("The welfare system's number"), 40, FALSE, error) ||
      !sd_text_validate (spec->name, _("The name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The phone number"), 30, FALSE, error) ||
      !sd_text_validate (spec->reason, _("The reason for support"), 500, TRUE, error))
    return NULL;

  name = sd_text_tidy (spec->name);
  if (name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Every person needs a name."));
      return NULL;
    }
  if (spec->birth_date != NULL && *spec->birth_date != '\0')
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                               g_date_time_get_month (now),
                                               g_date_time_get_year (now));

      birth_date = sd_date_parse_iso (spec->birth_date, today, error);
      if (birth_date == NULL)
        return NULL;
    }
  if (spec->sex > SD_SEX_NOT_APPLICABLE)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The sex is not valid."));
      return NULL;
    }
  external_id = sd_text_tidy (spec->external_id);
  kana = sd_text_tidy (spec->kana);
  address = sd_text_tidy (spec->address);
  phone = sd_text_tidy (spec->phone);
  reason = sd_text_tidy (spec->reason);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  /* The welfare system's number is how its next export is matched to
   * these rows: two people with one number would be merged or missed. */
  if (external_id != NULL)
    {
      int rc;

      stmt = _sd_store_prepare (store, "SELECT 1 FROM support_persons WHERE external_id = ?1", error);
      if (stmt == NULL)
        return NULL;
      _sd_bind_text (stmt, 1, external_id);
      rc = _sd_store_step (store, stmt, _("look up the welfare system's number"), error);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                       _("The welfare system's number “%s” is already used by another person on the support list."),
                       external_id);
          return NULL;
        }
      if (rc != SQLITE_DONE)
        return NULL;
    }

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO support_persons (id, external_id, name, kana, sex, birth_date, "
                            "address, phone, reason, consent_share, created_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, external_id);
  _sd_bind_text (stmt, 3, name);
  _sd_bind_text (stmt, 4, kana);
  _sd_bind_text (stmt, 5, sd_sex_to_string (spec->sex));
  _sd_bind_text (stmt, 6, birth_date);
  _sd_bind_text (stmt, 7, address);
  _sd_bind_text (stmt, 8, phone);
  _sd_bind_text (stmt, 9, reason);
  sqlite3_bind_int (stmt, 10, !!spec->consent_share);
  sqlite3_bind_int64 (stmt, 11, sd_store_now_ms (store));
  if (!_sd_store_exec (store, stmt, _("save the person"), error))
    return NULL;

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}
