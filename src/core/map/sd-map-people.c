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

/* Geocodes ADDRESSES[i] into the SdMapPoint at OFFSET in the I-th
 * element (of SIZE bytes) of ARRAY; returns how many were placed, or -1
 * with ERROR set. */
static int
place_all (SdStore    *store,
           GArray     *array,
           gsize       size,
           gsize       offset,
           GPtrArray  *addresses,
           GError    **error)
{
  int placed = 0;

  for (guint i = 0; i < array->len; i++)
    {
      SdMapPoint *where = (SdMapPoint *) (void *) ((guint8 *) array->data + i * size + offset);
      GError *local = NULL;

      where->placed = sd_store_geocode (store, g_ptr_array_index (addresses, i), &where->lat, &where->lon, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return -1;
        }
      placed += where->placed == SD_GEOCODE_FOUND;
    }
  return placed;
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
  int rc, placed;

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

  placed = place_all (store, self->people, sizeof (SdMapPerson), G_STRUCT_OFFSET (SdMapPerson, at), addresses,
                      error);
  if (placed < 0 || place_all (store, self->shelters, sizeof (SdMapShelter), G_STRUCT_OFFSET (SdMapShelter, at),
                               shelter_addresses, error) < 0)
    return NULL;
  self->placed = (guint) placed;
  return g_steal_pointer (&self);
}
