/* sd-text.c: tidying and folding Japanese text for storage and search.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names arrive typed at a kiosk, read from a card, or from a welfare
 * system's CSV file, so the same name comes in many shapes: ﾔﾏﾀﾞ ﾀﾛｳ,
 * ヤマダ・タロウ, やまだ　たろう.  Two functions make them comparable:
 *
 *   sd_text_tidy() gives the form we store: NFKC, spaces trimmed and
 *   folded.  It keeps everything a person would call a difference (kana
 *   kind, case, the middle dot), and it keeps line breaks so notes survive.
 *
 *   sd_text_fold() gives a search key only: it throws away the differences
 *   a person at the desk does not hear.  It is never shown.
 *
 * Invariants:
 *   - Neither function ever returns an empty string: "nothing" is NULL.
 *   - Both accept any bytes; invalid UTF-8 is repaired first, because a
 *     search key must exist even for text sd_text_validate() refused.
 *   - Case folding uses g_unichar_tolower(), not g_utf8_strdown(), so a key
 *     does not depend on the locale the desk runs in (Turkish dotted I).
 */
#include "sd-text.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-error.h"

gunichar
sd_text_find_bidi_control (const char *text)
{
  if (text == NULL)
    return 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
          c == 0x200E || c == 0x200F || c == 0x061C)
        return c;
    }
  return 0;
}

gboolean
sd_text_validate (const char  *text,
                  const char  *field_label,
                  guint        max_chars,
                  gboolean     multiline,
                  GError     **error)
{
  gsize n_chars = 0;

  g_return_val_if_fail (field_label != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An absent field is not bad text; whether it is required is the
   * caller's business. */
  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s has characters that cannot be read. "
                     "Type it again, or save the file as UTF-8."),
                   field_label);
      return FALSE;
    }

  if (sd_text_find_bidi_control (text) != 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s has an invisible direction control (U+%04X) that makes it show other than it is "
                     "stored. Remove it and try again."),
                   field_label, sd_text_find_bidi_control (text));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean line_break = c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;

      if (line_break && !multiline)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("%s must be a single line."), field_label);
          return FALSE;
        }

      if (g_unichar_iscntrl (c) && !line_break && !(c == '\t' && multiline))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("%s has a control character in it. Remove it and try again."),
                       field_label);
          return FALSE;
        }
    }

  if (n_chars > max_chars)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is too long: at most %u character.",
                                "%s is too long: at most %u characters.",
                                max_chars),
                   field_label, max_chars);
      return FALSE;
    }

  return TRUE;
}

/* Horizontal spaces only: line breaks are content in a note. */
static gboolean
is_space (gunichar c)
{
  return c == '\t' || c == '\v' || c == '\f'
         || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Characters with no width that NFKC keeps; left in a name they would
 * make two names that look the same compare different. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

char *
sd_text_tidy (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  gboolean pending_space = FALSE;
  GString *out;

  if (text == NULL || *text == '\0')
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean at_line_start = out->len == 0 || out->str[out->len - 1] == '\n';

      if (is_invisible (c))
        continue;

      if (is_space (c))
        {
          pending_space = !at_line_start;
          continue;
        }

      /* CRLF and CR become LF; spaces before a break are dropped. */
      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && p[1] == '\n')
            p++;
          pending_space = FALSE;
          if (out->len > 0)
            g_string_append_c (out, '\n');
          continue;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_middle_dot (gunichar c)
{
  return c == 0x30FB     /* ・ katakana middle dot */
         || c == 0xFF65  /* ･ half-width (NFKC already maps it, kept for clarity) */
         || c == 0x00B7; /* · latin middle dot, from foreign-name input */
}

char *
sd_text_fold (const char *text)
{
  g_autofree char *tidy = sd_text_tidy (text);
  GString *out;

  if (tidy == NULL)
    return NULL;

  out = g_string_sized_new (strlen (tidy));
  for (const char *p = tidy; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' || c == '\n' || is_middle_dot (c))
        continue;

      /* ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana. */
      if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E)
        c += 0x60;
      else
        c = g_unichar_tolower (c);

      g_string_append_unichar (out, c);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

char *
sd_text_phone_digits (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* ASCII and full-width only: other scripts' digits in a Japanese
       * phone number are a typing accident, not a number. */
      if (c >= '0' && c <= '9')
        g_string_append_c (out, (char) c);
      else if (c >= 0xFF10 && c <= 0xFF19)
        g_string_append_c (out, (char) ('0' + (c - 0xFF10)));
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}
