/* sd-json-item.c: a JSON object from the core as a GObject, for a GListModel.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync core answers in JSON (the same text `shelterdesk-cli sync
 * status --json` prints); a list view wants GObjects.  An item holds one
 * object of such an answer, never changed after it is made, so a list
 * widget may keep it as long as it likes.
 */
#include "sd-json-item.h"

struct _SdJsonItem
{
  GObject  parent_instance;
  json_t  *object;
};

G_DEFINE_FINAL_TYPE (SdJsonItem, sd_json_item, G_TYPE_OBJECT)

static void
sd_json_item_finalize (GObject *object)
{
  g_clear_pointer (&SD_JSON_ITEM (object)->object, json_decref);

  G_OBJECT_CLASS (sd_json_item_parent_class)->finalize (object);
}

static void
sd_json_item_class_init (SdJsonItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_json_item_finalize;
}

static void
sd_json_item_init (SdJsonItem *self)
{
}

/* Takes a reference to OBJECT (a JSON object). */
SdJsonItem *
sd_json_item_new (json_t *object)
{
  SdJsonItem *self;

  g_return_val_if_fail (json_is_object (object), NULL);

  self = g_object_new (SD_TYPE_JSON_ITEM, NULL);
  self->object = json_incref (object);
  return self;
}

/* Returns: (transfer none): the object, not to be changed */
json_t *
sd_json_item_get_object (SdJsonItem *self)
{
  g_return_val_if_fail (SD_IS_JSON_ITEM (self), NULL);
  return self->object;
}

/* The string MEMBER, or NULL when it is missing or not a string. */
const char *
sd_json_item_get_string (SdJsonItem *self,
                         const char *member)
{
  g_return_val_if_fail (SD_IS_JSON_ITEM (self), NULL);
  return json_string_value (json_object_get (self->object, member));
}

/* The integer MEMBER, or 0. */
gint64
sd_json_item_get_int (SdJsonItem *self,
                      const char *member)
{
  g_return_val_if_fail (SD_IS_JSON_ITEM (self), 0);
  return json_integer_value (json_object_get (self->object, member));
}

gboolean
sd_json_item_get_bool (SdJsonItem *self,
                       const char *member)
{
  g_return_val_if_fail (SD_IS_JSON_ITEM (self), FALSE);
  return json_is_true (json_object_get (self->object, member));
}
