/* sd-scan.c: from scanned text to a recorded event, or a clear reason why not.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-person-private.h"
#include "sd-scan.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>

void
sd_scan_result_free (SdScanResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->person);
  g_free (result->event_id);
  g_free (result->message);
  sd_prereg_free (result->prereg);
  g_free (result);
}

/* ---- settings ---- */

gboolean
sd_store_get_scan_settings (SdStore      *store,
                            SdEventKind  *out_mode,
                            char        **out_shelter_id,
                            guint        *out_repeat_seconds,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  stmt = _sd_store_prepare (store, "SELECT scan_mode, scan_shelter_id, scan_repeat_seconds FROM site "
                                   "WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = _sd_store_step (store, stmt, _("read the scan settings"), error);
  if (rc == SQLITE_ROW)
    {
      SdEventKind mode = SD_EVENT_ARRIVE;

      sd_event_kind_from_string (_sd_column_text (stmt, 0), &mode);
      if (out_mode != NULL)
        *out_mode = mode;
      if (out_shelter_id != NULL)
        *out_shelter_id = g_strdup (_sd_column_text (stmt, 1));
      if (out_repeat_seconds != NULL)
        *out_repeat_seconds = (guint) sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
set_site_value (SdStore      *store,
                sqlite3_stmt *stmt,
                GError      **error)
{
  g_autoptr(SdTxn) txn = NULL;

  if (stmt == NULL)
    return FALSE;
  txn = _sd_store_begin (store, error);
  return txn != NULL &&
         _sd_store_exec (store, stmt, _("save the scan settings"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_store_set_scan_mode (SdStore      *store,
                        SdEventKind   mode,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (mode <= SD_EVENT_SUPPLY, FALSE);

  stmt = _sd_store_prepare (store, "UPDATE site SET scan_mode = ?1 WHERE id = 1", error);
  if (stmt != NULL)
    _sd_bind_text (stmt, 1, sd_event_kind_to_string (mode));
  return set_site_value (store, stmt, error);
}

gboolean
sd_store_set_scan_shelter (SdStore     *store,
                           const char  *shelter_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  stmt = _sd_store_prepare (store, "UPDATE site SET scan_shelter_id = ?1 WHERE id = 1", error);
  if (stmt != NULL)
    _sd_bind_text (stmt, 1, shelter_id);
  return set_site_value (store, stmt, error);
}

gboolean
sd_store_set_scan_repeat (SdStore  *store,
                          guint     seconds,
                          GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (seconds > 86400)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                           _("The repeat interval must be at most a day (86400 seconds)."));
      return FALSE;
    }
  stmt = _sd_store_prepare (store, "UPDATE site SET scan_repeat_seconds = ?1 WHERE id = 1", error);
  if (stmt != NULL)
    sqlite3_bind_int (stmt, 1, (int) seconds);
  return set_site_value (store, stmt, error);
}

/* ---- scanning ---- */

/* When the newest event of KIND for PERSON_ID was recorded, or 0. */
static gint64
last_event_at (SdStore     *store,
               const char  *person_id,
               SdEventKind  kind,
               GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT max (at) FROM person_events "
                                          "WHERE person_id = ?1 AND kind = ?2", error);
  gint64 at = -1;

  if (stmt == NULL)
    return -1;
  _sd_bind_text (stmt, 1, person_id);
  _sd_bind_text (stmt, 2, sd_event_kind_to_string (kind));
  if (_sd_store_step (store, stmt, _("look up the person’s history"), error) == SQLITE_ROW)
    at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return at;
}

static void
refuse (SdScanResult *result,
        const char   *message)
{
  result->outcome = SD_SCAN_REFUSED;
  result->message = g_strdup (message);
}

SdScanResult *
sd_store_scan (SdStore              *store,
               const char           *text,
               const SdScanSettings *settings,
               GError              **error)
{
  g_autoptr(SdScanResult) result = g_new0 (SdScanResult, 1);
  g_autoptr(GError) local = NULL;
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *person_id = NULL;
  SdQrCard card;
  gint64 now, previous;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (settings != NULL && settings->mode <= SD_EVENT_SUPPLY, NULL);

  result->kind = settings->mode;
  if (sd_qr_kind_of (text) == SD_QR_KIND_PREREG)
    {
      result->prereg = sd_prereg_new_from_text (text, error);
      if (result->prereg == NULL)
        return NULL;
      result->outcome = SD_SCAN_PREREG;
      return g_steal_pointer (&result);
    }

  if (!sd_store_verify_card (store, text, &card, error))
    return NULL;

  /* Everything from here to the event is decided under the write lock
   * (BEGIN IMMEDIATE): two desks, or two processes, scanning the same
   * card at once must not both find "no recent event" and both record.
   * The second waits for the first to commit and then sees its event.
   * A scan that records nothing rolls back, which writes nothing. */
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  /* A card of a record merged into another checks in the record kept. */
  person_id = _sd_person_follow_merge (store, card.person_id, error);
  if (person_id == NULL)
    return NULL;
  result->person = sd_store_get_person (store, person_id, &local);
  if (result->person == NULL)
    {
      if (g_error_matches (local, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
        g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_UNKNOWN_PERSON,
                             _("This card is genuine, but this desk has no record of the person yet "
                               "(their registration has not reached this kiosk). Nothing was recorded. "
                               "Find them by name, or register them at intake."));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  /* The same scan moments ago: a second beep, not a second event. */
  now = sd_store_now_ms (store);
  previous = last_event_at (store, person_id, settings->mode, error);
  if (previous < 0)
    return NULL;
  if (previous > 0 && settings->repeat_seconds > 0 &&
      now - previous < (gint64) settings->repeat_seconds * 1000)
    {
      result->outcome = SD_SCAN_REPEATED;
      result->previous_at = previous;
      return g_steal_pointer (&result);
    }

  if (sd_person_get_status (result->person) == SD_PERSON_STATUS_LEFT)
    {
      result->has_left = TRUE;
      result->previous_at = last_event_at (store, person_id, SD_EVENT_LEAVE, NULL);
      refuse (result, settings->mode == SD_EVENT_ARRIVE
                      ? _("Has left the shelter. Nothing was recorded. If they are coming back to stay, "
                          "check them in again.")
                      : _("Has left the shelter, so nothing was recorded. If they are back, "
                          "switch to Arrive and check them in again."));
      return g_steal_pointer (&result);
    }

  /* Nested in our transaction, so this is a savepoint: its own
   * transition check runs under the same lock as the repeat check. */
  result->event_id = sd_store_record_event (store, person_id, settings->mode,
                                            /* Arrivals and pickups happen at this desk's
                                             * shelter; the rest where the person stays. */
                                            settings->mode == SD_EVENT_ARRIVE || settings->mode == SD_EVENT_SUPPLY
                                            ? settings->shelter_id : NULL,
                                            settings->staff_id, &local);
  if (result->event_id == NULL)
    {
      if (local->domain == SD_STORE_ERROR && local->code == SD_STORE_ERROR_INVALID)
        {
          refuse (result, local->message);
          return g_steal_pointer (&result);
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  g_clear_object (&result->person);
  result->person = sd_store_get_person (store, person_id, error);
  if (result->person == NULL)
    return NULL;
  result->outcome = SD_SCAN_RECORDED;
  return g_steal_pointer (&result);
}
