/* sd-catalog.h: one language's message catalogue, read from its .mo file, for text made in another language than the process's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gettext translates into the process's one language.  The receiver's
 * web form answers each phone in the language it asks for, from the
 * same translations: it reads the catalogue itself and looks strings up
 * here; so does what evacuees read (i18n/sd-evacuee-text.c), from the
 * catalogues built into the core.  Strings are still marked with N_() where they are written, so
 * they are extracted and translated like every other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdCatalog SdCatalog;

/* The catalogue of LANGUAGE ("ja") in ShelterDesk's locale folder, or
 * NULL with ERROR when there is none or it is damaged.  "en" has none:
 * its strings are the source strings. */
SdCatalog  *sd_catalog_load  (const char  *language,
                              GError     **error);
/* The same, from the .mo file at PATH. */
SdCatalog  *sd_catalog_load_file (const char  *path,
                                  GError     **error);
/* The same, from BYTES (a .mo file built in; NAME in the error). */
SdCatalog  *sd_catalog_load_bytes (GBytes      *bytes,
                                   const char  *name,
                                   GError     **error);
/* MSGID translated, or MSGID itself when CATALOG is NULL or lacks it. */
const char *sd_catalog_get   (SdCatalog   *catalog,
                              const char  *msgid);
/* Plural form FORM of MSGID (0 for one), or NULL when it lacks it. */
const char *sd_catalog_get_form (SdCatalog  *catalog,
                                 const char *msgid,
                                 guint       form);
/* The header's count of plural forms; 0 when it names none. */
int         sd_catalog_get_n_plurals (SdCatalog *catalog);
/* The messages it translates. */
GStrv       sd_catalog_dup_msgids (SdCatalog *catalog);
void        sd_catalog_free  (SdCatalog   *catalog);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCatalog, sd_catalog_free)

G_END_DECLS
