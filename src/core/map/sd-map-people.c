/* sd-map-people.c: who and what the support-list map shows, placed by their addresses.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-map-people.h"

#include <glib/gi18n-lib.h>

#include "sd-store-private.h"

static void
person_clear (SdMapPerson *person)
{
  g_free (person->id);
  g_free (person->name);
  g_free (person->district);
}

static void
shelter_clear (SdMapShelter *shelter)
{
  g_free (shelter->id);
  g_free (shelter->code);
  g_free (shelter->name);
}

void
sd_map_people_free (SdMapPeople *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->people);
  g_array_unref (self->shelters);
  g_free (self);
}

/* Places ADDRESS at *AT (or says why not); FALSE on a failed read. */
static gboolean
place (SdStore     *store,
       const char  *address,
       SdMapPoint  *at,
       GError     **error)
{
  GError *local = NULL;

  at->placed = sd_store_geocode (store, address, &at->lat, &at->lon, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* Reads only: no transaction, so a desk saving a status meanwhile never
 * waits on the map. */
SdMapPeople *
sd_map_people_read (SdStore  *store,
                    GError  **error)
{
  g_autoptr(SdMapPeople) self = NULL;
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shelter_addresses = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_new0 (SdMapPeople, 1);
  self->people = g_array_new (FALSE, TRUE, sizeof (SdMapPerson));
  g_array_set_clear_func (self->people, (GDestroyNotify) person_clear);
  self->shelters = g_array_new (FALSE, TRUE, sizeof (SdMapShelter));
  g_array_set_clear_func (self->shelters, (GDestroyNotify) shelter_clear);

  stmt = _sd_store_prepare (store, "SELECT p.id, p.name, p.district, p.address, coalesce (s.status, 'unconfirmed') "
                                   "FROM support_persons p LEFT JOIN support_state s ON s.support_person_id = p.id "
                                   "WHERE p.listed = 1 "
                                   "ORDER BY p.district IS NULL, p.district, coalesce (p.kana, p.name), p.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the support list"), error)) == SQLITE_ROW)
    {
      SdMapPerson person = { 0 };
      SdSupportStatus status = SD_SUPPORT_UNCONFIRMED;

      person.id = g_strdup (_sd_column_text (stmt, 0));
      person.name = g_strdup (_sd_column_text (stmt, 1));
      person.district = g_strdup (_sd_column_text (stmt, 2));
      sd_support_status_from_string (_sd_column_text (stmt, 4), &status);
      person.status = status;
      g_array_append_val (self->people, person);
      g_ptr_array_add (addresses, g_strdup (_sd_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;

  stmt = _sd_store_prepare (store, "SELECT id, code, name, address FROM shelters ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the shelters"), error)) == SQLITE_ROW)
    {
      SdMapShelter shelter = { 0 };

      shelter.id = g_strdup (_sd_column_text (stmt, 0));
      shelter.code = g_strdup (_sd_column_text (stmt, 1));
      shelter.name = g_strdup (_sd_column_text (stmt, 2));
      g_array_append_val (self->shelters, shelter);
      g_ptr_array_add (shelter_addresses, g_strdup (_sd_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;

  for (guint i = 0; i < self->people->len; i++)
    {
      SdMapPerson *person = &g_array_index (self->people, SdMapPerson, i);

      if (!place (store, g_ptr_array_index (addresses, i), &person->at, error))
        return NULL;
      self->placed += person->at.placed == SD_GEOCODE_FOUND;
    }
  for (guint i = 0; i < self->shelters->len; i++)
    if (!place (store, g_ptr_array_index (shelter_addresses, i),
                &g_array_index (self->shelters, SdMapShelter, i).at, error))
      return NULL;
  return g_steal_pointer (&self);
}
