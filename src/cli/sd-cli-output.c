/* sd-cli-output.c: what shelterdesk-cli prints: aligned text tables for people, JSON for scripts.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Columns are aligned by display width, not by characters: a kanji or a
 * full-width kana takes two cells of a terminal, so a table of Japanese
 * names padded by character count would come out ragged.
 *
 * JSON is written to stdout as UTF-8 bytes, not through g_print(), which
 * converts to the locale's character set: a script reading the output of
 * a run under LANG=C must still get the names, not question marks.
 */
#include <stdarg.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "sd-cli-private.h"

#include <string.h>

struct _SdCliTable {
  guint       n_columns;
  gboolean    has_headings;
  gboolean   *right;   /* n_columns */
  GPtrArray  *rows;    /* of GStrv, n_columns each */
};

SdCliTable *
sd_cli_table_new (guint              n_columns,
                  const char *const *headings)
{
  SdCliTable *table = g_new0 (SdCliTable, 1);

  table->n_columns = n_columns;
  table->right = g_new0 (gboolean, n_columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (headings != NULL)
    {
      table->has_headings = TRUE;
      g_ptr_array_add (table->rows, g_strdupv ((GStrv) headings));
    }
  return table;
}

void
sd_cli_table_free (SdCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table->right);
  g_free (table);
}

void
sd_cli_table_align_right (SdCliTable *table,
                          guint       column)
{
  g_return_if_fail (column < table->n_columns);
  table->right[column] = TRUE;
}

void
sd_cli_table_add_row (SdCliTable *table,
                      ...)
{
  GStrv row = g_new0 (char *, table->n_columns + 1);
  va_list ap;

  va_start (ap, table);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *cell = va_arg (ap, const char *);
      row[i] = g_strdup (cell != NULL ? cell : "");
    }
  va_end (ap);
  g_ptr_array_add (table->rows, row);
}

static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static void
append_padding (GString *line,
                guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (line, ' ');
}

void
sd_cli_table_print (SdCliTable *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          guint pad = widths[c] - display_width (row[c]);
          gboolean last = c + 1 == table->n_columns;

          if (c > 0)
            g_string_append (line, "  ");
          if (table->right[c])
            append_padding (line, pad);
          g_string_append (line, row[c]);
          if (!table->right[c] && !last)
            append_padding (line, pad);
        }
      g_print ("%s\n", line->str);

      if (r == 0 && table->has_headings)
        {
          g_autoptr(GString) rule = g_string_new (NULL);

          for (guint c = 0; c < table->n_columns; c++)
            {
              if (c > 0)
                g_string_append (rule, "  ");
              for (guint i = 0; i < widths[c]; i++)
                g_string_append_c (rule, '-');
            }
          g_print ("%s\n", rule->str);
        }
    }
}

void
sd_cli_print_json (json_t *root)
{
  g_autofree char *text = sd_json_to_pretty (root);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

const char *
sd_cli_yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

/* PATH's contents, or standard input's for NULL or "-". */
char *
sd_cli_read_all (const char  *path,
                 gsize       *length,
                 GError     **error)
{
  char *contents = NULL;

  if (path != NULL && strcmp (path, "-") != 0)
    {
      if (!g_file_get_contents (path, &contents, length, error))
        return NULL;
      return contents;
    }
  {
    GString *s = g_string_new (NULL);
    char buffer[4096];
    size_t n;

    while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
      g_string_append_len (s, buffer, n);
    *length = s->len;
    return g_string_free (s, FALSE);
  }
}

GBytes *
sd_cli_read_bytes (const char  *path,
                   GError     **error)
{
  gsize length = 0;
  char *text = sd_cli_read_all (path, &length, error);

  return text != NULL ? g_bytes_new_take (text, length) : NULL;
}

/* Unix ms as ISO 8601 local time, or NULL for 0: when there is none. */
char *
sd_cli_format_iso (gint64 at_ms)
{
  g_autoptr(GDateTime) at = at_ms > 0 ? g_date_time_new_from_unix_local (at_ms / 1000) : NULL;

  return at != NULL ? g_date_time_format_iso8601 (at) : NULL;
}
