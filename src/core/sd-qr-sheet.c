/* sd-qr-sheet.c: which cards go on a sheet: a shelter's people, or the ones asked for.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-qr-sheet.h"
#include "sd-person-private.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>

static void
clear_card (gpointer data)
{
  SdQrSheetCard *card = data;

  g_free (card->person_id);
  g_free (card->text);
  g_free (card->name);
  g_free (card->kana);
  g_free (card->shelter);
  g_free (card->language);
}

static gboolean
append_card (SdStore   *store,
             GArray    *cards,
             SdPerson  *person,
             GError   **error)
{
  SdQrSheetCard card = { 0 };

  card.text = sd_store_issue_card (store, sd_person_get_id (person), error);
  if (card.text == NULL)
    return FALSE;
  card.person_id = g_strdup (sd_person_get_id (person));
  card.name = g_strdup (sd_person_get_name (person));
  card.kana = g_strdup (sd_person_get_kana (person));
  card.shelter = g_strdup (sd_person_get_shelter_name (person));
  card.language = g_strdup (sd_person_get_language (person));
  g_array_append_val (cards, card);
  return TRUE;
}

GArray *
sd_store_issue_cards (SdStore            *store,
                      const char         *shelter_id,
                      const char *const  *person_ids,
                      GError            **error)
{
  g_autoptr(GArray) cards = g_array_new (FALSE, TRUE, sizeof (SdQrSheetCard));
  g_autoptr(GPtrArray) persons = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (shelter_id != NULL || person_ids != NULL, NULL);

  g_array_set_clear_func (cards, clear_card);
  if (person_ids != NULL)
    {
      for (guint i = 0; person_ids[i] != NULL; i++)
        {
          SdPerson *person = sd_store_get_person (store, person_ids[i], error);

          if (person == NULL)
            return NULL;
          g_ptr_array_add (persons, person);
        }
    }
  else
    {
      stmt = _sd_store_prepare (store,
                                SD_PERSON_SELECT
                                "WHERE coalesce (s.shelter_id, h.shelter_id) = ?1 "
                                "AND (s.kind IS NULL OR s.kind != 'leave') "
                                "ORDER BY h.created_at, p.household_id, p.id = h.representative_id DESC, "
                                "p.created_at, p.id", error);
      if (stmt == NULL)
        return NULL;
      _sd_bind_text (stmt, 1, shelter_id);
      while ((rc = _sd_store_step (store, stmt, _("list the shelter’s people"), error)) == SQLITE_ROW)
        g_ptr_array_add (persons, _sd_person_new_from_row (stmt));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return NULL;
    }

  for (guint i = 0; i < persons->len; i++)
    if (!append_card (store, cards, g_ptr_array_index (persons, i), error))
      return NULL;
  return g_steal_pointer (&cards);
}
