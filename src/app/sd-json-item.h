/* sd-json-item.h: a JSON object from the core as a GObject, for a GListModel.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-json.h"

G_BEGIN_DECLS

#define SD_TYPE_JSON_ITEM (sd_json_item_get_type ())
G_DECLARE_FINAL_TYPE (SdJsonItem, sd_json_item, SD, JSON_ITEM, GObject)

SdJsonItem *sd_json_item_new        (json_t     *object);
json_t     *sd_json_item_get_object (SdJsonItem *self);
const char *sd_json_item_get_string (SdJsonItem *self,
                                     const char *member);
gint64      sd_json_item_get_int    (SdJsonItem *self,
                                     const char *member);
gboolean    sd_json_item_get_bool   (SdJsonItem *self,
                                     const char *member);

G_END_DECLS
