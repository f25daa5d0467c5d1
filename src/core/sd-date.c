/* sd-date.c: reading dates as people and welfare systems write them, Japanese era included.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A typed date goes through three steps:
 *
 *   1. squeeze: NFKC (full-width digits and separators become ASCII, ㍼
 *      becomes 昭和), every space dropped, the dashes an IME produces
 *      (ー, −, ‐ …) turned into '-'.
 *   2. scan: the squeezed text is matched against the accepted forms and
 *      split into an optional era, a year, a month and a day.  Nothing is
 *      checked against the calendar yet.
 *   3. check: the date must exist in the Gregorian calendar, lie inside its
 *      era and not be after LATEST.
 *
 * Invariants:
 *   - Era years run from the era's first day up to the day before the next
 *     era's first day, with the Gregorian month and day (明治 starts on
 *     1868-01-25 by this convention, as the brief for this module fixes).
 *   - Western years always have four digits: "50/1/6" is refused with a
 *     message asking for the era or all four digits, never guessed.
 *   - An error message quotes only the text as typed, and only when that
 *     text is short, valid UTF-8 and free of control characters; it never
 *     quotes anything else.
 */
#include "sd-date.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-error.h"

/* Longer than any way of writing a date, even with spaces; longer input
 * is refused before normalisation so a pasted page costs nothing. */
#define MAX_DATE_BYTES 128

typedef struct {
  const char *name;         /* 昭和 */
  const char *short_name;   /* 昭, as in 昭25.1.6 */
  char        letter;       /* S, as in S25.1.6 */
  GDateYear   year;         /* first day of the era */
  GDateMonth  month;
  GDateDay    day;
  const char *began;        /* for a date before the first day */
  const char *ended;        /* for a date on or after the next era's first day */
} Era;

static const Era eras[] = {
  { "明治", "明", 'M', 1868, G_DATE_JANUARY, 25,
    N_("Meiji began on 25 January 1868 (明治元年1月25日)."),
    N_("Meiji ended on 29 July 1912 (明治45年7月29日). The next day was 大正元年7月30日.") },
  { "大正", "大", 'T', 1912, G_DATE_JULY, 30,
    N_("Taishō began on 30 July 1912 (大正元年7月30日). Before that day it was 明治45年."),
    N_("Taishō ended on 24 December 1926 (大正15年12月24日). The next day was 昭和元年12月25日.") },
  { "昭和", "昭", 'S', 1926, G_DATE_DECEMBER, 25,
    N_("Shōwa began on 25 December 1926 (昭和元年12月25日). Before that day it was 大正15年."),
    N_("Shōwa ended on 7 January 1989 (昭和64年1月7日). The next day was 平成元年1月8日.") },
  { "平成", "平", 'H', 1989, G_DATE_JANUARY, 8,
    N_("Heisei began on 8 January 1989 (平成元年1月8日). Before that day it was 昭和64年."),
    N_("Heisei ended on 30 April 2019 (平成31年4月30日). The next day was 令和元年5月1日.") },
  { "令和", "令", 'R', 2019, G_DATE_MAY, 1,
    N_("Reiwa began on 1 May 2019 (令和元年5月1日). Before that day it was 平成31年."),
    NULL },
};

#define NO_ERA (-1)

typedef struct {
  int   era;        /* index into eras, or NO_ERA */
  guint year;       /* era year, or the Gregorian year when era is NO_ERA */
  guint month;
  guint day;
} DateParts;

typedef enum {
  SCAN_OK,
  SCAN_NOT_A_DATE,
  SCAN_SHORT_YEAR,  /* would be a date but for a two-digit western year */
} ScanResult;

static void
set_not_a_date (GError     **error,
                const char  *shown)
{
  if (shown != NULL)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                 _("“%s” is not a date. Type it as 1950-01-06 or 昭和25年1月6日."),
                 shown);
  else
    g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                         _("This is not a date. Type it as 1950-01-06 or 昭和25年1月6日."));
}

static gboolean
is_dash (gunichar c)
{
  return c == '-'
         || (c >= 0x2010 && c <= 0x2015)  /* hyphens and dashes */
         || c == 0x2212                   /* minus sign */
         || c == 0x30FC                   /* ー, one key away on a Japanese IME */
         || c == 0xFE63
         || c == 0xFF0D;
}

/* Step 1: one form for everything that looks the same to a person. */
static char *
squeeze (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  GString *out;

  if (nfkc == NULL)
    return NULL;

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        continue;
      if (is_dash (c))
        g_string_append_c (out, '-');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Kanji numerals get their own message: 昭和二十五年 is a common way of
 * writing a date, and "not a date" would not tell the person what to fix. */
static gboolean
has_kanji_numerals (const char *text)
{
  static const char *const numerals[] = {
    "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
  };

  for (guint i = 0; i < G_N_ELEMENTS (numerals); i++)
    if (strstr (text, numerals[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
skip_prefix (const char **p,
             const char  *prefix)
{
  gsize len = strlen (prefix);

  if (strncmp (*p, prefix, len) != 0)
    return FALSE;
  *p += len;
  return TRUE;
}

static int
match_era (const char **p)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (skip_prefix (p, eras[i].name))
      return i;

  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (g_ascii_toupper (**p) == eras[i].letter)
      {
        *p += 1;
        return i;
      }

  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (skip_prefix (p, eras[i].short_name))
      return i;

  return NO_ERA;
}

static guint
count_digits (const char *p)
{
  guint n = 0;

  while (g_ascii_isdigit (p[n]))
    n++;
  return n;
}

static guint
take_number (const char **p,
             guint        n_digits)
{
  guint value = 0;

  for (guint i = 0; i < n_digits; i++)
    value = value * 10 + (guint) ((*p)[i] - '0');
  *p += n_digits;
  return value;
}

/* A month or a day: one or two digits. */
static gboolean
read_small_number (const char **p,
                   guint       *value)
{
  guint n = count_digits (*p);

  if (n < 1 || n > 2)
    return FALSE;
  *value = take_number (p, n);
  return TRUE;
}

/* Step 2.  S is the squeezed text, so digits are ASCII and there are no
 * spaces.  Only the shape is checked here. */
static ScanResult
scan (const char *s,
      DateParts  *parts)
{
  const char *p = s;
  gboolean short_year = FALSE;
  gboolean kanji_separators;
  char separator = 0;
  guint n;

  parts->era = match_era (&p);

  if (parts->era != NO_ERA && skip_prefix (&p, "元"))
    {
      parts->year = 1;
    }
  else
    {
      n = count_digits (p);

      /* The compact forms: 19500106 and S250106. */
      if (p[n] == '\0' && ((parts->era == NO_ERA && n == 8) ||
                           (parts->era != NO_ERA && n == 6)))
        {
          parts->year = take_number (&p, n - 4);
          parts->month = take_number (&p, 2);
          parts->day = take_number (&p, 2);
          return SCAN_OK;
        }

      /* Up to four digits, so that everything sd_date_format_era() writes
       * reads back (令和1932年 is 3950), and so S123.1.6 gets the message
       * about where 昭和 ended rather than "not a date". */
      if (parts->era != NO_ERA && (n < 1 || n > 4))
        return SCAN_NOT_A_DATE;
      if (parts->era == NO_ERA && n != 4)
        {
          if (n < 1 || n > 2)
            return SCAN_NOT_A_DATE;
          short_year = TRUE;
        }
      parts->year = take_number (&p, n);
    }

  kanji_separators = skip_prefix (&p, "年");
  if (!kanji_separators)
    {
      if (*p != '.' && *p != '/' && *p != '-')
        return SCAN_NOT_A_DATE;
      separator = *p++;
    }

  if (!read_small_number (&p, &parts->month))
    return SCAN_NOT_A_DATE;

  if (kanji_separators ? !skip_prefix (&p, "月") : *p != separator)
    return SCAN_NOT_A_DATE;
  if (!kanji_separators)
    p++;

  if (!read_small_number (&p, &parts->day))
    return SCAN_NOT_A_DATE;

  if (kanji_separators)
    skip_prefix (&p, "日");

  if (*p != '\0')
    return SCAN_NOT_A_DATE;

  return short_year ? SCAN_SHORT_YEAR : SCAN_OK;
}

static gboolean
check_day_of_month (guint     year,
                    guint     month,
                    guint     day,
                    GError  **error)
{
  if (month < 1 || month > 12)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("There is no month %u: months go from 1 to 12."), month);
      return FALSE;
    }

  if (day < 1)
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("There is no day 0: days of the month start at 1."));
      return FALSE;
    }

  if (day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    return TRUE;

  if (day > 31)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                 _("There is no day %u: no month has more than 31 days."), day);
  else if (month == G_DATE_FEBRUARY && day == 29)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                 _("%u is not a leap year, so February has only 28 days."), year);
  else if (month == G_DATE_FEBRUARY)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                 _("February has no day %u."), day);
  else if (month == G_DATE_APRIL)
    g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                         _("April has only 30 days."));
  else if (month == G_DATE_JUNE)
    g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                         _("June has only 30 days."));
  else if (month == G_DATE_SEPTEMBER)
    g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                         _("September has only 30 days."));
  else
    g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                         _("November has only 30 days."));
  return FALSE;
}

static void
era_start (guint  era,
           GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, eras[era].day, eras[era].month, eras[era].year);
}

/* Step 3: turns PARTS into a date that exists and lies inside its era. */
static gboolean
check (const DateParts  *parts,
       const char       *shown,
       GDate            *date,
       GError          **error)
{
  guint year = parts->year;
  GDate start;

  if (parts->era != NO_ERA)
    {
      if (parts->year == 0)
        {
          g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                               _("An era has no year 0: its first year is 元年 (year 1)."));
          return FALSE;
        }
      year = eras[parts->era].year + parts->year - 1;
    }
  if (year < 1 || year > 9999)
    {
      set_not_a_date (error, shown);
      return FALSE;
    }

  if (!check_day_of_month (year, parts->month, parts->day, error))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) parts->day, (GDateMonth) parts->month, (GDateYear) year);

  if (parts->era == NO_ERA)
    return TRUE;

  era_start (parts->era, &start);
  if (g_date_compare (date, &start) < 0)
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _(eras[parts->era].began));
      return FALSE;
    }

  if ((guint) parts->era + 1 < G_N_ELEMENTS (eras))
    {
      era_start (parts->era + 1, &start);
      if (g_date_compare (date, &start) >= 0)
        {
          g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                               _(eras[parts->era].ended));
          return FALSE;
        }
    }

  return TRUE;
}

char *
sd_date_parse_iso (const char   *text,
                   const GDate  *latest,
                   GError      **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *squeezed = NULL;
  DateParts parts = { NO_ERA, 0, 0, 0 };
  ScanResult result;
  GDate date;

  g_return_val_if_fail (latest == NULL || g_date_valid (latest), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || strlen (text) > MAX_DATE_BYTES || !g_utf8_validate (text, -1, NULL))
    {
      set_not_a_date (error, NULL);
      return NULL;
    }

  /* Quote the text back only when a person can read it in a message. */
  shown = g_strstrip (g_strdup (text));
  if (has_control_chars (shown))
    g_clear_pointer (&shown, g_free);

  squeezed = squeeze (text);
  if (squeezed == NULL || *squeezed == '\0')
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("The date is empty. Type it as 1950-01-06 or 昭和25年1月6日."));
      return NULL;
    }

  result = scan (squeezed, &parts);
  if (result == SCAN_SHORT_YEAR && shown != NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” has a two-digit year. Type all four digits, as in 1950-01-06, "
                     "or add the era, as in S25.1.6."),
                   shown);
      return NULL;
    }
  if (result != SCAN_OK)
    {
      if (shown != NULL && has_kanji_numerals (squeezed))
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                     _("“%s” has numbers in kanji. Type them as digits, as in 昭和25年1月6日."),
                     shown);
      else
        set_not_a_date (error, shown);
      return NULL;
    }

  if (!check (&parts, shown, &date, error))
    return NULL;

  if (latest != NULL && g_date_compare (&date, latest) > 0)
    {
      if (shown != NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                     _("“%s” is in the future. Check the year and the era."), shown);
      else
        g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                             _("This date is in the future. Check the year and the era."));
      return NULL;
    }

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (&date),
                          (guint) g_date_get_month (&date),
                          (guint) g_date_get_day (&date));
}

/* Only the exact form this module writes: "YYYY-MM-DD", a real date. */
static gboolean
parse_strict_iso (const char *iso,
                  GDate      *date)
{
  static const char shape[] = "dddd-dd-dd";
  const char *p = iso;
  guint year, month, day;

  if (iso == NULL)
    return FALSE;

  for (guint i = 0; i < sizeof shape - 1; i++)
    {
      if (shape[i] == 'd' ? !g_ascii_isdigit (iso[i]) : iso[i] != shape[i])
        return FALSE;
    }
  if (iso[sizeof shape - 1] != '\0')
    return FALSE;

  year = take_number (&p, 4);
  p++;
  month = take_number (&p, 2);
  p++;
  day = take_number (&p, 2);

  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Dates before 明治 have no era; they come back as "1850年1月1日" so the
 * result is still something sd_date_parse_iso() reads back. */
char *
sd_date_format_era (const char *iso)
{
  GDate date;
  GDate start;
  guint year;
  int era = NO_ERA;

  if (!parse_strict_iso (iso, &date))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    {
      era_start (i, &start);
      if (g_date_compare (&date, &start) >= 0)
        era = i;
    }

  if (era == NO_ERA)
    return g_strdup_printf ("%04u年%u月%u日",
                            (guint) g_date_get_year (&date),
                            (guint) g_date_get_month (&date),
                            (guint) g_date_get_day (&date));

  year = g_date_get_year (&date) - eras[era].year + 1;
  if (year == 1)
    return g_strdup_printf ("%s元年%u月%u日",
                            eras[era].name,
                            (guint) g_date_get_month (&date),
                            (guint) g_date_get_day (&date));

  return g_strdup_printf ("%s%u年%u月%u日",
                          eras[era].name,
                          year,
                          (guint) g_date_get_month (&date),
                          (guint) g_date_get_day (&date));
}

/* Someone born on 29 February turns a year older on 1 March in other
 * years, which is also where the Civil Code (民法 art. 143) puts it. */
int
sd_date_age_on (const char  *iso,
                const GDate *today)
{
  GDate birth;
  int age;

  g_return_val_if_fail (today != NULL && g_date_valid (today), -1);

  if (!parse_strict_iso (iso, &birth))
    return -1;

  if (g_date_compare (&birth, today) > 0)
    return -1;

  age = (int) g_date_get_year (today) - (int) g_date_get_year (&birth);
  if (g_date_get_month (today) < g_date_get_month (&birth) ||
      (g_date_get_month (today) == g_date_get_month (&birth) &&
       g_date_get_day (today) < g_date_get_day (&birth)))
    age--;

  return age;
}
