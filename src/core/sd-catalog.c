/* sd-catalog.c: one language's message catalogue, read from its .mo file.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The .mo format (GNU gettext manual, "The Format of GNU MO Files"): a
 * magic number that also tells the byte order, the number of strings,
 * and two tables of (length, offset) pairs, originals and translations,
 * in the same order.  A plural entry holds its forms separated by NULs,
 * each found by sd_catalog_get_form (); the header (the translation of
 * "") says how many forms the language has.  Every length and offset is
 * checked against the file's size, so a damaged file is refused, never
 * read past.
 */
#include "sd-catalog.h"
#include "sd-paths.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MO_MAGIC 0x950412deU

struct _SdCatalog
{
  GBytes     *data;
  GHashTable *strings;  /* msgid → translation, both inside DATA */
  GHashTable *lengths;  /* msgid → the translation's length, its forms and NULs */
  int         n_plurals;
};

static guint32
read_u32 (const guint8 *at,
          gboolean      swapped)
{
  guint32 value;

  memcpy (&value, at, sizeof value);
  return swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* The string of table entry I at TABLE, or NULL when it lies outside. */
static const char *
entry (const guint8 *data,
       gsize         size,
       guint32       table,
       guint32       i,
       gboolean      swapped)
{
  guint64 at = (guint64) table + (guint64) i * 8;
  guint32 length, offset;

  if (at + 8 > size)
    return NULL;
  length = read_u32 (data + at, swapped);
  offset = read_u32 (data + at + 4, swapped);
  /* The string and its terminating NUL must be inside the file. */
  if ((guint64) offset + length >= size || data[offset + length] != '\0')
    return NULL;
  return (const char *) data + offset;
}

SdCatalog *
sd_catalog_load_bytes (GBytes      *bytes,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(SdCatalog) catalog = g_new0 (SdCatalog, 1);
  const guint8 *data;
  gsize size = 0;
  gboolean swapped;
  guint32 n, originals, translations;

  g_return_val_if_fail (bytes != NULL, NULL);

  catalog->data = g_bytes_ref (bytes);
  catalog->strings = g_hash_table_new (g_str_hash, g_str_equal);
  catalog->lengths = g_hash_table_new (g_str_hash, g_str_equal);
  data = g_bytes_get_data (catalog->data, &size);
  if (size < 20 || (read_u32 (data, FALSE) != MO_MAGIC && read_u32 (data, TRUE) != MO_MAGIC))
    goto damaged;
  swapped = read_u32 (data, FALSE) != MO_MAGIC;
  n = read_u32 (data + 8, swapped);
  originals = read_u32 (data + 12, swapped);
  translations = read_u32 (data + 16, swapped);
  for (guint32 i = 0; i < n; i++)
    {
      const char *msgid = entry (data, size, originals, i, swapped);
      const char *msgstr = entry (data, size, translations, i, swapped);

      if (msgid == NULL || msgstr == NULL)
        goto damaged;
      if (*msgid == '\0')
        {
          const char *plurals = strstr (msgstr, "nplurals=");

          catalog->n_plurals = plurals != NULL ? (int) g_ascii_strtoll (plurals + 9, NULL, 10) : 0;
        }
      else if (*msgstr != '\0')
        {
          g_hash_table_insert (catalog->strings, (gpointer) msgid, (gpointer) msgstr);
          g_hash_table_insert (catalog->lengths, (gpointer) msgid,
                               GUINT_TO_POINTER (read_u32 (data + translations + (gsize) i * 8, swapped)));
        }
    }
  return g_steal_pointer (&catalog);

damaged:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               _("The translations in “%s” are damaged; reinstall ShelterDesk."), name);
  return NULL;
}

SdCatalog *
sd_catalog_load_file (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
  return sd_catalog_load_bytes (bytes, path, error);
}

SdCatalog *
sd_catalog_load (const char  *language,
                 GError     **error)
{
  g_autofree char *dir = sd_paths_get_locale_dir ();
  g_autofree char *path = NULL;

  g_return_val_if_fail (language != NULL, NULL);

  path = g_build_filename (dir, language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  return sd_catalog_load_file (path, error);
}

const char *
sd_catalog_get (SdCatalog  *catalog,
                const char *msgid)
{
  const char *found;

  if (catalog == NULL || msgid == NULL)
    return msgid;
  found = g_hash_table_lookup (catalog->strings, msgid);
  return found != NULL ? found : msgid;
}

const char *
sd_catalog_get_form (SdCatalog  *catalog,
                     const char *msgid,
                     guint       form)
{
  const char *found, *end;

  if (catalog == NULL || msgid == NULL || (found = g_hash_table_lookup (catalog->strings, msgid)) == NULL)
    return NULL;
  /* The forms lie one after another up to the translation's length. */
  end = found + GPOINTER_TO_UINT (g_hash_table_lookup (catalog->lengths, msgid));
  for (; form > 0 && found < end; form--)
    found += strlen (found) + 1;
  return form == 0 && found <= end && *found != '\0' ? found : NULL;
}

int
sd_catalog_get_n_plurals (SdCatalog *catalog)
{
  return catalog != NULL ? catalog->n_plurals : 0;
}

GStrv
sd_catalog_dup_msgids (SdCatalog *catalog)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer msgid;

  if (catalog != NULL)
    {
      g_hash_table_iter_init (&iter, catalog->strings);
      while (g_hash_table_iter_next (&iter, &msgid, NULL))
        g_strv_builder_add (builder, msgid);
    }
  return g_strv_builder_end (builder);
}

void
sd_catalog_free (SdCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_clear_pointer (&catalog->strings, g_hash_table_unref);
  g_clear_pointer (&catalog->lengths, g_hash_table_unref);
  g_clear_pointer (&catalog->data, g_bytes_unref);
  g_free (catalog);
}
