/* sd-sync-duplicates.c: merging two records of one human, a possible duplicate that people decided.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two kiosks that registered the same human make two records; an import
 * lists them as a possible duplicate (sd-sync.c, merge_fold) and a person
 * at HQ merges them or keeps them apart.  A merge is not a new kind of
 * change: it is one transaction of ordinary writes, captured by the
 * triggers like any other, so it reaches every site in the next batches
 * and converges there by the same per-field rule:
 *
 *   - what the record kept lacks (kana, birth date, phone, needs…) is
 *     taken from the record closed; nothing it holds is overwritten;
 *   - where the closed record was staying, when that is newer than what
 *     the kept record says, becomes an event of the kept record (same
 *     kind, same shelter), so the human's whereabouts are not lost;
 *   - the closed record gets a 'leave' event, so that every count
 *     (occupancy, the status report) counts the human once;
 *   - the closed record's merged_into names the kept one.  It stays, with
 *     its history: nothing is deleted, so a mistaken merge loses
 *     nothing, but no desk or command undoes one (docs/sync.md).
 *
 * Invariant: merged_into is at most one hop.  A merge refuses a record
 * already merged and a kept record that is itself merged, and records
 * that were merged into the one being closed are pointed at the one kept.
 * Merges are made at HQ only (or at a site of no deployment), so two
 * sites never merge the same two records both ways at once.  Readers
 * (search, the enquiry desk, scans, events: sd-person.c) follow one hop.
 *
 * A kiosk that has not received the merge yet still records events on
 * the closed record (its card, its name in the search).  When such an
 * event is newer than the merge's 'leave', the closed record would count
 * again; HQ, which made the merge, settles it as the batch arrives
 * (_sd_sync_settle_merged): the same carry-over as the merge, as HQ's own
 * changes, which its next batches take to every kiosk.
 */
#include "sd-person-private.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

#include <glib/gi18n-lib.h>

gboolean
_sd_sync_close_merged_pairs (SdStore  *store,
                             gint64    now_ms,
                             GError  **error)
{
  /* Undecided pairs are few: each is two lookups by id. */
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "UPDATE sync_duplicates SET decision = 'merged', decided_at = ?1 WHERE decision IS NULL AND EXISTS ("
    "  SELECT 1 FROM persons p WHERE p.id IN (person_a, person_b) AND p.merged_into IS NOT NULL)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_ms);
  return _sd_store_exec (store, stmt, _("close the possible duplicates merged"), error);
}

typedef struct {
  gboolean  exists;
  gboolean  merged;
  char     *state_kind;   /* person_state: NULL when no event yet */
  char     *state_shelter;
  char     *state_event;
  gint64    state_hlc;
} MergeSide;

static void
merge_side_clear (MergeSide *side)
{
  g_clear_pointer (&side->state_kind, g_free);
  g_clear_pointer (&side->state_shelter, g_free);
  g_clear_pointer (&side->state_event, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MergeSide, merge_side_clear)

static gboolean
read_side (SdStore     *store,
           const char  *person_id,
           MergeSide   *side,
           GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT p.merged_into IS NOT NULL, s.kind, coalesce (s.shelter_id, h.shelter_id), s.event_id, s.hlc "
    "FROM persons p LEFT JOIN households h ON h.id = p.household_id "
    "LEFT JOIN person_state s ON s.person_id = p.id WHERE p.id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, person_id);
  rc = _sd_store_step (store, stmt, _("look up the person"), error);
  if (rc == SQLITE_ROW)
    {
      side->exists = TRUE;
      side->merged = sqlite3_column_int (stmt, 0);
      side->state_kind = g_strdup (_sd_column_text (stmt, 1));
      side->state_shelter = g_strdup (_sd_column_text (stmt, 2));
      side->state_event = g_strdup (_sd_column_text (stmt, 3));
      side->state_hlc = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
is_staying (const char *kind)
{
  return g_strcmp0 (kind, "arrive") == 0 || g_strcmp0 (kind, "return") == 0 || g_strcmp0 (kind, "go_out") == 0;
}

/* Whether the closed record's state is newer than the kept one's, by the
 * order every replica agrees on (HLC, then event id). */
static gboolean
state_newer (const MergeSide *merged,
             const MergeSide *kept)
{
  if (merged->state_kind == NULL)
    return FALSE;
  if (kept->state_kind == NULL)
    return TRUE;
  return merged->state_hlc > kept->state_hlc ||
         (merged->state_hlc == kept->state_hlc && g_strcmp0 (merged->state_event, kept->state_event) > 0);
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_MERGEABLE, message);
  return FALSE;
}

/* Fields the kept record has no value for take the closed record's.  An
 * address or phone the kept record shows from its household counts as a
 * value. */
static const char fill_sql[] =
  "UPDATE persons AS k SET "
  "  kana = coalesce (nullif (k.kana, ''), m.kana),"
  "  birth_date = coalesce (nullif (k.birth_date, ''), m.birth_date),"
  "  address = CASE WHEN coalesce (nullif (k.address, ''), nullif (kh.address, '')) IS NULL"
  "    THEN coalesce (nullif (m.address, ''), nullif (mh.address, '')) ELSE k.address END,"
  "  phone = CASE WHEN coalesce (nullif (k.phone, ''), nullif (kh.phone, '')) IS NULL"
  "    THEN coalesce (nullif (m.phone, ''), nullif (mh.phone, '')) ELSE k.phone END,"
  "  sex = CASE WHEN k.sex = 'unknown' THEN m.sex ELSE k.sex END,"
  /* Consent and pregnancy once recorded stay, as at the intake desk's
   * "same person". */
  "  consent_disclose = max (k.consent_disclose, m.consent_disclose),"
  "  allergies = coalesce (nullif (k.allergies, ''), m.allergies),"
  "  illness = coalesce (nullif (k.illness, ''), m.illness),"
  "  pregnant = max (k.pregnant, m.pregnant),"
  "  disability = coalesce (nullif (k.disability, ''), m.disability),"
  "  care_level = CASE WHEN k.care_level = 'none' THEN m.care_level ELSE k.care_level END,"
  "  mobility = coalesce (nullif (k.mobility, ''), m.mobility),"
  "  language = coalesce (nullif (k.language, ''), m.language) "
  "FROM persons AS m LEFT JOIN households AS mh ON mh.id = m.household_id, "
  "  (SELECT h.address, h.phone FROM persons p LEFT JOIN households h ON h.id = p.household_id "
  "   WHERE p.id = ?1) AS kh "
  "WHERE k.id = ?1 AND m.id = ?2";

/* Where the human was last seen staying, when the closed record knows it
 * later than the kept one, becomes the same kind of event at the same
 * shelter on the kept record; and the closed record leaves, so that it
 * counts no more anywhere. */
static gboolean
carry_over (SdStore          *store,
            const char       *keep_id,
            const MergeSide  *keep,
            const char       *merge_id,
            const MergeSide  *merge,
            const char       *staff_id,
            GError          **error)
{
  if (is_staying (merge->state_kind) && state_newer (merge, keep))
    {
      SdEventKind kind = SD_EVENT_ARRIVE;
      g_autofree char *moved = NULL;

      sd_event_kind_from_string (merge->state_kind, &kind);
      moved = _sd_person_insert_event (store, keep_id, kind, merge->state_shelter, staff_id, error);
      if (moved == NULL)
        return FALSE;
    }
  if (g_strcmp0 (merge->state_kind, "leave") != 0)
    {
      g_autofree char *left = _sd_person_insert_event (store, merge_id, SD_EVENT_LEAVE, merge->state_shelter,
                                                       staff_id, error);
      if (left == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
_sd_sync_settle_merged (SdStore  *store,
                        GError  **error)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  if (sd_sync_get_role (store) != SD_SYNC_ROLE_HQ)
    return TRUE;
  /* Closed records that an event of this batch made staying again. */
  stmt = _sd_store_prepare (store,
    "SELECT DISTINCT p.merged_into, p.id FROM temp.sync_touched t "
    "  JOIN person_events e ON e.id = sd_row_id (t.row_id) JOIN persons p ON p.id = e.person_id "
    "  JOIN persons k ON k.id = p.merged_into JOIN person_state s ON s.person_id = p.id "
    "WHERE t.tbl = (SELECT n FROM oplog_tables WHERE name = 'person_events') "
    "  AND s.kind IN ('arrive', 'return', 'go_out')", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = _sd_store_step (store, stmt, _("settle the records merged"), error)) == SQLITE_ROW)
    {
      g_ptr_array_add (pairs, g_strdup (_sd_column_text (stmt, 0)));
      g_ptr_array_add (pairs, g_strdup (_sd_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  /* HQ's own decision, recorded as its own changes like the merge was. */
  _sd_store_set_capture (store, TRUE);
  for (guint i = 0; ok && i < pairs->len; i += 2)
    {
      g_auto(MergeSide) keep = { 0 };
      g_auto(MergeSide) merge = { 0 };
      const char *keep_id = g_ptr_array_index (pairs, i), *merge_id = g_ptr_array_index (pairs, i + 1);

      ok = read_side (store, keep_id, &keep, error) && read_side (store, merge_id, &merge, error) &&
           carry_over (store, keep_id, &keep, merge_id, &merge, NULL, error);
    }
  _sd_store_set_capture (store, FALSE);
  return ok;
}

static gboolean
exec_pair (SdStore     *store,
           const char  *sql,
           const char  *keep_id,
           const char  *merge_id,
           GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, keep_id);
  _sd_bind_text (stmt, 2, merge_id);
  return _sd_store_exec (store, stmt, _("merge the two records"), error);
}

gboolean
sd_sync_merge_duplicate (SdStore     *store,
                         const char  *keep_id,
                         const char  *merge_id,
                         const char  *staff_id,
                         GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_auto(MergeSide) keep = { 0 };
  g_auto(MergeSide) merge = { 0 };

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (keep_id != NULL && merge_id != NULL, FALSE);

  if (g_str_equal (keep_id, merge_id))
    return refuse (error, _("A record cannot be merged into itself: choose the two records of the possible "
                            "duplicate."));
  if (sd_sync_get_role (store) == SD_SYNC_ROLE_KIOSK)
    return refuse (error, _("Records are merged at HQ only, so that two desks never merge the same people "
                            "two ways. Keep them apart here, or leave the decision to HQ."));

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !read_side (store, keep_id, &keep, error) || !read_side (store, merge_id, &merge, error))
    return FALSE;
  if (!keep.exists || !merge.exists)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                           _("One of the two records is not on this desk. It may not have reached it yet: "
                             "import the kiosks’ batches first."));
      return FALSE;
    }
  if (merge.merged)
    return refuse (error, _("This record was already merged into another one. Nothing was changed."));
  if (keep.merged)
    return refuse (error, _("The record to keep was itself merged into another one: merge into that one "
                            "instead. Nothing was changed."));

  /* Closed; and whoever was merged into it follows to the kept record,
   * so that merged_into stays one hop. */
  return exec_pair (store, fill_sql, keep_id, merge_id, error) &&
         carry_over (store, keep_id, &keep, merge_id, &merge, staff_id, error) &&
         exec_pair (store, "UPDATE persons SET merged_into = ?1 WHERE id = ?2 OR merged_into = ?2",
                    keep_id, merge_id, error) &&
         _sd_sync_close_merged_pairs (store, sd_store_now_ms (store), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
