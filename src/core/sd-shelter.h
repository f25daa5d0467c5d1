/* sd-shelter.h: shelters (避難所) and their occupancy, derived from check-in events.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_SHELTER_KIND_DESIGNATED,  /* 指定避難所 */
  SD_SHELTER_KIND_WELFARE,     /* 福祉避難所 */
  SD_SHELTER_KIND_TEMPORARY,   /* 一時避難場所 */
} SdShelterKind;

typedef struct {
  const char    *code;      /* short unique code, e.g. "S01" */
  const char    *name;
  SdShelterKind  kind;
  int            capacity;  /* people; 0 when unknown */
  const char    *address;   /* may be NULL */
} SdShelterSpec;

#define SD_TYPE_SHELTER (sd_shelter_get_type ())
G_DECLARE_FINAL_TYPE (SdShelter, sd_shelter, SD, SHELTER, GObject)

const char    *sd_shelter_get_id        (SdShelter *self);
const char    *sd_shelter_get_code      (SdShelter *self);
const char    *sd_shelter_get_name      (SdShelter *self);
SdShelterKind  sd_shelter_get_kind      (SdShelter *self);
int            sd_shelter_get_capacity  (SdShelter *self);
const char    *sd_shelter_get_address   (SdShelter *self);
gboolean       sd_shelter_get_is_open   (SdShelter *self);
gint64         sd_shelter_get_opened_at (SdShelter *self);
guint          sd_shelter_get_occupancy (SdShelter *self);
gboolean       sd_shelter_get_over_capacity (SdShelter *self);

const char    *sd_shelter_kind_to_string   (SdShelterKind  kind);
gboolean       sd_shelter_kind_from_string (const char    *text,
                                            SdShelterKind *out_kind);
const char    *sd_shelter_kind_get_label   (SdShelterKind  kind);

SdShelter  *sd_store_add_shelter          (SdStore             *store,
                                           const SdShelterSpec *spec,
                                           GError             **error);
gboolean    sd_store_set_shelter_open     (SdStore             *store,
                                           const char          *shelter_id,
                                           gboolean             is_open,
                                           GError             **error);
SdShelter  *sd_store_find_shelter         (SdStore             *store,
                                           const char          *code,
                                           GError             **error);
GListModel *sd_store_list_shelters        (SdStore             *store,
                                           GError             **error);

G_END_DECLS
