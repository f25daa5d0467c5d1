/* sd-person-event.c: one event of a person's stay, as the history on the desk shows it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-person.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>

struct _SdPersonEvent
{
  GObject      parent_instance;

  char        *id;
  char        *shelter_code;
  char        *shelter_name;
  char        *staff_name;
  SdEventKind  kind;
  gint64       at;
};

G_DEFINE_FINAL_TYPE (SdPersonEvent, sd_person_event, G_TYPE_OBJECT)

static void
sd_person_event_finalize (GObject *object)
{
  SdPersonEvent *self = SD_PERSON_EVENT (object);

  g_free (self->id);
  g_free (self->shelter_code);
  g_free (self->shelter_name);
  g_free (self->staff_name);

  G_OBJECT_CLASS (sd_person_event_parent_class)->finalize (object);
}

static void
sd_person_event_class_init (SdPersonEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_person_event_finalize;
}

static void
sd_person_event_init (SdPersonEvent *self)
{
}

const char *sd_person_event_get_id (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), NULL); return self->id; }
SdEventKind sd_person_event_get_kind (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), 0); return self->kind; }
gint64 sd_person_event_get_at (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), 0); return self->at; }
const char *sd_person_event_get_shelter_code (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), NULL); return self->shelter_code; }
const char *sd_person_event_get_shelter_name (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), NULL); return self->shelter_name; }
const char *sd_person_event_get_staff_name (SdPersonEvent *self) { g_return_val_if_fail (SD_IS_PERSON_EVENT (self), NULL); return self->staff_name; }

/**
 * sd_store_list_person_events:
 *
 * A person's history, newest first, in the order every replica agrees
 * on (HLC, then id).
 *
 * Returns: (transfer full): a list of #SdPersonEvent, or %NULL
 */
GListModel *
sd_store_list_person_events (SdStore     *store,
                             const char  *person_id,
                             GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_PERSON_EVENT);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT e.id, e.kind, e.at, sh.code, sh.name, st.name FROM person_events e "
                            "LEFT JOIN shelters sh ON sh.id = e.shelter_id "
                            "LEFT JOIN staff st ON st.id = e.staff_id "
                            "WHERE e.person_id = ?1 ORDER BY e.hlc DESC, e.id DESC", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, person_id);
  while ((rc = _sd_store_step (store, stmt, _("read the history"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdPersonEvent) event = g_object_new (SD_TYPE_PERSON_EVENT, NULL);

      event->id = g_strdup (_sd_column_text (stmt, 0));
      sd_event_kind_from_string (_sd_column_text (stmt, 1), &event->kind);
      event->at = sqlite3_column_int64 (stmt, 2);
      event->shelter_code = g_strdup (_sd_column_text (stmt, 3));
      event->shelter_name = g_strdup (_sd_column_text (stmt, 4));
      event->staff_name = g_strdup (_sd_column_text (stmt, 5));
      g_list_store_append (list, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}
