/* sd-support.h: the evacuation-support list (避難行動要支援者名簿).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The required fields of each person who needs help to evacuate.  Plans,
 * supporters and status reports build on this in the support-list desk.
 */
#pragma once

#include "sd-person.h"

G_BEGIN_DECLS

typedef struct {
  const char *external_id;   /* the welfare system's own id, may be NULL */
  const char *name;          /* required */
  const char *kana;
  SdSex       sex;
  const char *birth_date;    /* ISO 8601 */
  const char *address;
  const char *phone;
  const char *reason;        /* why support is needed: care level, disability, 日中独居 ... */
  gboolean    consent_share; /* 平常時の提供同意 */
} SdSupportPersonSpec;

char *sd_store_add_support_person (SdStore                   *store,
                                   const SdSupportPersonSpec *spec,
                                   GError                   **error);

G_END_DECLS
