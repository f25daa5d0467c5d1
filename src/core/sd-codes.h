/* sd-codes.h: the words the database stores for an enum, and back; for the core's own files.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A vocabulary is a NULL-terminated array of codes indexed by the enum;
 * an empty code stands for "none" and is stored as NULL.
 * SD_CODE_FUNCS (name, Type, codes, n) defines sd_NAME_to_string() and
 * sd_NAME_from_string() over it.
 */
#pragma once

#include <glib.h>
#include <string.h>

/* The index of TEXT in CODES, or -1.  The empty code (none) is never
 * matched by text: NULL stands for it in the database. */
static inline int
code_index (const char *const *codes,
            const char        *text)
{
  if (text == NULL || *text == '\0')
    return -1;
  for (int i = 0; codes[i] != NULL; i++)
    if (strcmp (codes[i], text) == 0)
      return i;
  return -1;
}

static inline const char *
code_text (const char *const *codes,
           guint              n,
           guint              value)
{
  return value < n && *codes[value] != '\0' ? codes[value] : NULL;
}

#define SD_CODE_FUNCS(name, Type, codes, n) \
  const char *sd_##name##_to_string (Type value) { return code_text (codes, n, value); } \
  gboolean sd_##name##_from_string (const char *text, Type *out) \
  { \
    int i = code_index (codes, text); \
    if (i < 0) return FALSE; \
    if (out != NULL) *out = (Type) i; \
    return TRUE; \
  }

