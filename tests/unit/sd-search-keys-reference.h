/* sd-search-keys-reference.h: the search keys as commit 2603314 made them, frozen, for tests only.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See sd-search-keys-reference.c: reference code that defines the keys
 * already stored in person_keys; the live code must give the same bytes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char      *ref_text_tidy          (const char *text);
char      *ref_text_fold          (const char *text);
char      *ref_text_reading       (const char *text);
char      *ref_text_phone_digits  (const char *text);
GPtrArray *ref_search_key_list    (const char *name,
                                   const char *kana,
                                   const char *phone,
                                   const char *birth_date);

G_END_DECLS
