/* sd-json.c: reading and writing JSON with jansson, strictly and in one layout.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Objects keep their members in the order they were added or read
 * (jansson has done so since 2.8), so output reads in the order the
 * code builds it and a file read and written again keeps its order.
 */
#include "sd-json.h"
#include "sd-error.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* jansson's own text is English and names its grammar; say what it means
 * for the person who wrote the file where we can. */
static const char *
explain (const json_error_t *e)
{
  switch (json_error_code (e))
    {
    case json_error_end_of_input_expected:
      return _("there is more after the end of the JSON (only one object is read)");
    case json_error_duplicate_key:
      return _("a member is given twice");
    case json_error_invalid_utf8:
      return _("the text is not UTF-8");
    case json_error_premature_end_of_input:
      return _("it ends too early: something is cut off or a bracket is not closed");
    case json_error_null_character:
    case json_error_null_byte_in_key:
      return _("a text contains the character U+0000, which is not allowed");
    case json_error_invalid_syntax:
      return NULL;  /* jansson's text shows the token, which helps more */
    default:
      return NULL;
    }
}

json_t *
sd_json_parse (const char  *data,
               gsize        length,
               gsize        flags,
               GError     **error)
{
  json_error_t e;
  json_t *root;
  const char *what;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL || is_blank (data, length))
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                           _("it is empty"));
      return NULL;
    }

  root = json_loadb (data, length, JSON_REJECT_DUPLICATES | flags, &e);
  if (root != NULL)
    return root;

  what = explain (&e);
  if (json_error_code (&e) == json_error_invalid_syntax && strstr (e.text, "'''") != NULL)
    what = _("JSON text is written in double quotes (\"), not single quotes (')");
  g_set_error (error, SD_DATA_ERROR,
               json_error_code (&e) == json_error_invalid_utf8 ? SD_DATA_ERROR_ENCODING : SD_DATA_ERROR_SYNTAX,
               _("not valid JSON at line %d, column %d: %s"),
               e.line, e.column, what != NULL ? what : e.text);
  return NULL;
}

static int
append_cb (const char *buffer,
           size_t      size,
           void       *data)
{
  g_string_append_len (data, buffer, size);
  return 0;
}

static void
append_scalar (GString      *out,
               const json_t *value)
{
  json_dump_callback (value, append_cb, out, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth * 2; i++)
    g_string_append_c (out, ' ');
}

static void
append_pretty (GString      *out,
               const json_t *value,
               guint         depth)
{
  if (json_is_object (value) && json_object_size (value) > 0)
    {
      const char *key;
      json_t *member;
      gboolean first = TRUE;

      g_string_append (out, "{\n");
      json_object_foreach ((json_t *) value, key, member)
        {
          g_autoptr(json_t) name = json_stringn_nocheck (key, strlen (key));

          if (!first)
            g_string_append (out, ",\n");
          first = FALSE;
          append_indent (out, depth + 1);
          append_scalar (out, name);
          g_string_append (out, " : ");
          append_pretty (out, member, depth + 1);
        }
      g_string_append_c (out, '\n');
      append_indent (out, depth);
      g_string_append_c (out, '}');
    }
  else if (json_is_array (value) && json_array_size (value) > 0)
    {
      g_string_append (out, "[\n");
      for (gsize i = 0; i < json_array_size (value); i++)
        {
          if (i > 0)
            g_string_append (out, ",\n");
          append_indent (out, depth + 1);
          append_pretty (out, json_array_get (value, i), depth + 1);
        }
      g_string_append_c (out, '\n');
      append_indent (out, depth);
      g_string_append_c (out, ']');
    }
  else
    append_scalar (out, value);
}

char *
sd_json_to_pretty (const json_t *root)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (root != NULL, NULL);
  append_pretty (out, root, 0);
  return g_string_free (out, FALSE);
}

char *
sd_json_to_compact (const json_t *root)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (root != NULL, NULL);
  json_dump_callback (root, append_cb, out, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
  return g_string_free (out, FALSE);
}

json_t *
sd_json_text (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return json_null ();
  if (g_utf8_validate (text, -1, NULL))
    return json_string_nocheck (text);
  valid = g_utf8_make_valid (text, -1);
  return json_string_nocheck (valid);
}
