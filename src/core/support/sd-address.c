/* sd-address.c: Japanese addresses as people write them, read into one form.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-address.h"

#include <string.h>

static const char kanji_digits[][4] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

/* The value of a kanji number of up to 99 (十七, 二十, 三十一, 〇), or -1. */
static int
kanji_number (const char *text)
{
  int value = 0, digit = -1;
  gboolean ten = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int d = -1;

      for (guint i = 0; i < G_N_ELEMENTS (kanji_digits); i++)
        if (strncmp (p, kanji_digits[i], strlen (kanji_digits[i])) == 0)
          d = i;
      if (strncmp (p, "十", strlen ("十")) == 0)
        {
          if (ten)
            return -1;
          ten = TRUE;
          value = (digit < 0 ? 1 : digit) * 10;
          digit = -1;
        }
      else if (d >= 0)
        {
          if (digit >= 0 && !ten)
            digit = digit * 10 + d;  /* 二〇 as digits written in kanji */
          else
            digit = d;
        }
      else
        return -1;
    }
  if (!ten)
    return digit;
  return value + (digit < 0 ? 0 : digit);
}

static gboolean
kanji_number_cb (const GMatchInfo *match,
                 GString          *out,
                 gpointer          user_data)
{
  g_autofree char *number = g_match_info_fetch (match, 1);
  g_autofree char *unit = g_match_info_fetch (match, 2);
  int value = kanji_number (number);

  if (value < 0)
    {
      g_autofree char *whole = g_match_info_fetch (match, 0);

      g_string_append (out, whole);
    }
  else
    g_string_append_printf (out, "%d%s", value, unit);
  return FALSE;
}

/* One regex, made once, for the life of the process. */
static GRegex *
regex_once (GRegex    **slot,
            const char *pattern)
{
  if (g_once_init_enter (slot))
    g_once_init_leave (slot, g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL));
  return *slot;
}

static char *
replace (GRegex    **slot,
         const char *pattern,
         const char *text,
         const char *with)
{
  return g_regex_replace (regex_once (slot, pattern), text, -1, 0, with, 0, NULL);
}

char *
sd_address_normalize (const char *address)
{
  static GRegex *kanji, *dash_after_digit, *banchi_go, *banchi_end, *no_between, *space, *dashes, *joins;
  g_autofree char *nfkc = NULL, *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return NULL;
  /* Full-width digits and letters to ASCII, half-width katakana to full,
   * the ideographic space to a space. */
  nfkc = g_utf8_normalize (address, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;
  /* One space at most, none at the ends, and none inside the place
   * itself (after the city, the town's 丁目, or before a number that
   * does not follow one): only the building stays apart. */
  a = replace (&space, "\\s+", nfkc, " ");
  /* 三丁目, 十七番地, 六号 in kanji numbers: before the spaces are
   * joined, so that a space before 一丁目 goes as before 1丁目 would
   * (else the result, normalized again, loses it). */
  b = g_regex_replace_eval (regex_once (&kanji, "([〇一二三四五六七八九十]+)(丁目|番地|番|号)"), a, -1, 0, 0,
                            kanji_number_cb, NULL, NULL);
  c = g_strstrip (replace (&joins, "(?<=[都道府県市区郡町村目]) |(?<![0-9\\-ー]) (?=[0-9])", b, ""));
  /* 17番地6号, 17番6号, 17番地の6, 17番地6 → 17-6; a 番地 at the end goes. */
  d = replace (&banchi_go, "([0-9]+)(?:番地の|番地|番の|番)([0-9]+)(?:号)?", c, "\\1-\\2");
  e = replace (&banchi_end, "([0-9]+)(?:番地|番)(?![0-9])", d, "\\1");
  f = replace (&no_between, "([0-9]+)の([0-9]+)", e, "\\1-\\2");
  /* Last, so that nothing after it moves a digit beside a dash: every
   * dash people type between numbers (hyphens, minus, bars) is a
   * hyphen, but the long vowel mark stays in words: a dash neither
   * after nor before a digit is one. */
  g = replace (&dashes, "[\\x{2010}-\\x{2015}\\x{2212}\\x{2500}\\x{30FC}\\x{FF70}]", f, "-");
  return replace (&dash_after_digit, "(?<![0-9])-(?=[^0-9]|$)", g, "ー");
}

SdAddress *
sd_address_split (const char *address)
{
  static GRegex *prefecture, *city, *town_chome, *town, *numbers;
  g_autofree char *normal = sd_address_normalize (address);
  g_autoptr(SdAddress) out = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  const char *p;

  if (normal == NULL || *normal == '\0')
    return NULL;
  out = g_new0 (SdAddress, 1);
  p = normal;

  if (g_regex_match (regex_once (&prefecture, "^(東京都|北海道|京都府|大阪府|\\p{Han}{2,3}県) ?"), p, 0, &match))
    {
      gint end;

      out->prefecture = g_match_info_fetch (match, 1);
      g_match_info_fetch_pos (match, 0, NULL, &end);
      p += end;
    }
  g_clear_pointer (&match, g_match_info_free);
  /* 〇〇市 with its ward (政令市), a ward of Tokyo, or 〇〇郡△△町. */
  if (g_regex_match (regex_once (&city, "^((?:[^0-9 ]+?市(?:\\p{Han}{1,3}区)?)|(?:[^0-9 ]+?区)|"
                                        "(?:[^0-9 ]+?郡[^0-9 ]+?[町村])) ?"), p, 0, &match))
    {
      gint end;

      out->city = g_match_info_fetch (match, 1);
      g_match_info_fetch_pos (match, 0, NULL, &end);
      p += end;
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_regex_match (regex_once (&town_chome, "^([^0-9 ]*?) ?([0-9]+)丁目 ?"), p, 0, &match))
    {
      g_autofree char *chome = g_match_info_fetch (match, 2);
      gint end;

      out->town = g_match_info_fetch (match, 1);
      out->chome = (guint) g_ascii_strtoull (chome, NULL, 10);
      g_match_info_fetch_pos (match, 0, NULL, &end);
      p += end;
    }
  else
    {
      /* A match info comes back even when nothing matched. */
      g_clear_pointer (&match, g_match_info_free);
      if (g_regex_match (regex_once (&town, "^([^0-9 ]+) ?"), p, 0, &match))
        {
          gint end;

          out->town = g_match_info_fetch (match, 1);
          g_match_info_fetch_pos (match, 0, NULL, &end);
          p += end;
        }
    }
  g_clear_pointer (&match, g_match_info_free);
  if (out->town != NULL && *out->town == '\0')
    g_clear_pointer (&out->town, g_free);

  /* 17-6, or 3-17-6 where 丁目 was written as a number too. */
  if (g_regex_match (regex_once (&numbers, "^([0-9]+)(?:-([0-9]+))?(?:-([0-9]+))?(?![0-9])-? ?"), p, 0, &match))
    {
      g_autofree char *n1 = g_match_info_fetch (match, 1);
      g_autofree char *n2 = g_match_info_fetch (match, 2);
      g_autofree char *n3 = g_match_info_fetch (match, 3);
      gint end;

      if (n3 != NULL && *n3 != '\0' && out->chome == 0)
        {
          out->chome = (guint) g_ascii_strtoull (n1, NULL, 10);
          out->block = (guint) g_ascii_strtoull (n2, NULL, 10);
          out->lot = (guint) g_ascii_strtoull (n3, NULL, 10);
        }
      else
        {
          out->block = (guint) g_ascii_strtoull (n1, NULL, 10);
          out->lot = n2 != NULL && *n2 != '\0' ? (guint) g_ascii_strtoull (n2, NULL, 10) : 0;
        }
      g_match_info_fetch_pos (match, 0, NULL, &end);
      p += end;
    }
  if (*p != '\0')
    out->rest = g_strdup (p);
  return g_steal_pointer (&out);
}

void
sd_address_free (SdAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->prefecture);
  g_free (address->city);
  g_free (address->town);
  g_free (address->rest);
  g_free (address);
}

char *
sd_address_district (const char *address)
{
  g_autoptr(SdAddress) split = sd_address_split (address);

  if (split == NULL || split->town == NULL)
    return NULL;
  if (split->chome > 0)
    return g_strdup_printf ("%s%u丁目", split->town, split->chome);
  return g_strdup (split->town);
}
