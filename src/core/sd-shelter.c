/* sd-shelter.c: shelters (避難所) and their occupancy, derived from check-in events.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Occupancy is never typed in: it is the number of people whose newest
 * status-changing event puts them at the shelter (in, or out for now and
 * expected back).  Over capacity is a warning for people, never a block:
 * nobody is turned away by software.
 */
#include "sd-shelter.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _SdShelter
{
  GObject        parent_instance;

  char          *id;
  char          *code;
  char          *name;
  char          *address;
  SdShelterKind  kind;
  int            capacity;
  gboolean       is_open;
  gint64         opened_at;
  guint          occupancy;
};

G_DEFINE_FINAL_TYPE (SdShelter, sd_shelter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CODE,
  PROP_NAME,
  PROP_KIND,
  PROP_CAPACITY,
  PROP_IS_OPEN,
  PROP_OCCUPANCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sd_shelter_finalize (GObject *object)
{
  SdShelter *self = SD_SHELTER (object);

  g_free (self->id);
  g_free (self->code);
  g_free (self->name);
  g_free (self->address);

  G_OBJECT_CLASS (sd_shelter_parent_class)->finalize (object);
}

static void
sd_shelter_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SdShelter *self = SD_SHELTER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_CODE: g_value_set_string (value, self->code); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_KIND: g_value_set_int (value, self->kind); break;
    case PROP_CAPACITY: g_value_set_int (value, self->capacity); break;
    case PROP_IS_OPEN: g_value_set_boolean (value, self->is_open); break;
    case PROP_OCCUPANCY: g_value_set_uint (value, self->occupancy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_shelter_class_init (SdShelterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sd_shelter_finalize;
  object_class->get_property = sd_shelter_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, SD_SHELTER_KIND_TEMPORARY, 0, flags);
  properties[PROP_CAPACITY] = g_param_spec_int ("capacity", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_IS_OPEN] = g_param_spec_boolean ("is-open", NULL, NULL, FALSE, flags);
  properties[PROP_OCCUPANCY] = g_param_spec_uint ("occupancy", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_shelter_init (SdShelter *self)
{
}

const char *sd_shelter_get_id (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), NULL); return self->id; }
const char *sd_shelter_get_code (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), NULL); return self->code; }
const char *sd_shelter_get_name (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), NULL); return self->name; }
const char *sd_shelter_get_address (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), NULL); return self->address; }
SdShelterKind sd_shelter_get_kind (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), 0); return self->kind; }
int sd_shelter_get_capacity (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), 0); return self->capacity; }
gboolean sd_shelter_get_is_open (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), FALSE); return self->is_open; }
gint64 sd_shelter_get_opened_at (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), 0); return self->opened_at; }
guint sd_shelter_get_occupancy (SdShelter *self) { g_return_val_if_fail (SD_IS_SHELTER (self), 0); return self->occupancy; }

gboolean
sd_shelter_get_over_capacity (SdShelter *self)
{
  g_return_val_if_fail (SD_IS_SHELTER (self), FALSE);
  return self->capacity > 0 && self->occupancy > (guint) self->capacity;
}

static const struct {
  const char *id;
  const char *label;
} kinds[] = {
  [SD_SHELTER_KIND_DESIGNATED] = { "designated", N_("Designated shelter") },
  [SD_SHELTER_KIND_WELFARE] = { "welfare", N_("Welfare shelter") },
  [SD_SHELTER_KIND_TEMPORARY] = { "temporary", N_("Temporary assembly area") },
};

const char *
sd_shelter_kind_to_string (SdShelterKind kind)
{
  g_return_val_if_fail (kind <= SD_SHELTER_KIND_TEMPORARY, NULL);
  return kinds[kind].id;
}

gboolean
sd_shelter_kind_from_string (const char    *text,
                             SdShelterKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (text, kinds[i].id) == 0)
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_shelter_kind_get_label (SdShelterKind kind)
{
  g_return_val_if_fail (kind <= SD_SHELTER_KIND_TEMPORARY, NULL);
  return _(kinds[kind].label);
}

/* ---- store API ---- */

/* Occupancy is the count the database keeps per shelter
 * (shelter_occupancy, sd-migrations.c): a seek, however many stay. */
#define SHELTER_COLUMNS \
  "s.id, s.code, s.name, s.kind, s.capacity, s.address, s.is_open, s.opened_at, " \
  "coalesce ((SELECT o.in_shelter + o.out_now FROM shelter_occupancy o WHERE o.shelter_id = s.id), 0)"

static SdShelter *
shelter_from_row (sqlite3_stmt *stmt)
{
  SdShelter *self = g_object_new (SD_TYPE_SHELTER, NULL);
  SdShelterKind kind = SD_SHELTER_KIND_DESIGNATED;

  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->code = g_strdup (_sd_column_text (stmt, 1));
  self->name = g_strdup (_sd_column_text (stmt, 2));
  sd_shelter_kind_from_string (_sd_column_text (stmt, 3), &kind);
  self->kind = kind;
  self->capacity = sqlite3_column_int (stmt, 4);
  self->address = g_strdup (_sd_column_text (stmt, 5));
  self->is_open = sqlite3_column_int (stmt, 6);
  self->opened_at = sqlite3_column_int64 (stmt, 7);
  self->occupancy = sqlite3_column_int (stmt, 8);
  return self;
}

static gboolean
validate_code (const char  *code,
               GError     **error)
{
  gsize len = code ? strlen (code) : 0;

  if (len == 0 || len > 16)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (code[i]) && code[i] != '-' && code[i] != '_')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("A shelter code is 1 to 16 letters, digits, “-” or “_” (for example S01)."));
  return FALSE;
}

SdShelter *
sd_store_find_shelter (SdStore     *store,
                       const char  *code,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  /* Codes are one code whatever their case: "s01" is S01, so a second
   * shelter cannot take it and a person typing it finds the first.  The
   * table is a few hundred rows at most, so the scan costs nothing. */
  stmt = _sd_store_prepare (store, "SELECT " SHELTER_COLUMNS " FROM shelters s WHERE s.code = ?1 COLLATE NOCASE",
                            error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, code);
  rc = _sd_store_step (store, stmt, _("look up the shelter"), error);
  if (rc == SQLITE_ROW)
    {
      SdShelter *shelter = shelter_from_row (stmt);
      sqlite3_reset (stmt);
      return shelter;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("There is no shelter with the code “%s”."), code ? code : "");
  return NULL;
}

SdShelter *
sd_store_add_shelter (SdStore              *store,
                      const SdShelterSpec  *spec,
                      GError              **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdShelter) existing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!validate_code (spec->code, error) ||
      !sd_text_validate (spec->name, _("The shelter name"), 100, FALSE, error) ||
      !sd_text_validate (spec->address, _("The address"), 200, FALSE, error))
    return NULL;
  name = sd_text_tidy (spec->name);
  address = sd_text_tidy (spec->address);
  if (name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("A shelter needs a name."));
      return NULL;
    }
  if (spec->kind > SD_SHELTER_KIND_TEMPORARY || spec->capacity < 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("The shelter kind or capacity is not valid."));
      return NULL;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  existing = sd_store_find_shelter (store, spec->code, NULL);
  if (existing != NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("The shelter code “%s” is already used by another shelter."), spec->code);
      return NULL;
    }

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO shelters (id, code, name, kind, capacity, address, is_open) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, spec->code);
  _sd_bind_text (stmt, 3, name);
  _sd_bind_text (stmt, 4, sd_shelter_kind_to_string (spec->kind));
  sqlite3_bind_int (stmt, 5, spec->capacity);
  _sd_bind_text (stmt, 6, address);
  if (!_sd_store_exec (store, stmt, _("save the shelter"), error))
    return NULL;

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return sd_store_find_shelter (store, spec->code, error);
}

gboolean
sd_store_set_shelter_open (SdStore     *store,
                           const char  *shelter_id,
                           gboolean     is_open,
                           GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  /* Opening an open shelter keeps its first opening time. */
  stmt = _sd_store_prepare (store,
                            "UPDATE shelters SET is_open = ?2, "
                            "opened_at = CASE WHEN ?2 = 1 AND is_open = 0 THEN ?3 ELSE opened_at END "
                            "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  sqlite3_bind_int (stmt, 2, !!is_open);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  if (!_sd_store_exec (store, stmt, _("open or close the shelter"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such shelter."));
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

GListModel *
sd_store_list_shelters (SdStore  *store,
                        GError  **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_SHELTER);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, "SELECT " SHELTER_COLUMNS " FROM shelters s ORDER BY s.code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("list the shelters"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdShelter) shelter = shelter_from_row (stmt);
      g_list_store_append (list, shelter);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}
