/* test-date.c: unit tests for dates as people type them, Japanese era included.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-date.h"
#include "sd-error.h"

static void
assert_parses (const char *text,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = sd_date_parse_iso (text, NULL, &error);

  if (error != NULL)
    g_test_message ("“%s”: %s", text, error->message);
  g_assert_no_error (error);
  g_assert_cmpstr (iso, ==, expected);
}

/* Refused, with a message containing NEEDLE (when not NULL).  Returns
 * nothing: the message is checked here so each test reads as a table. */
static void
assert_refused_before (const char  *text,
                       const GDate *latest,
                       const char  *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = sd_date_parse_iso (text, latest, &error);

  if (iso != NULL)
    g_test_message ("“%s” was accepted as %s", text, iso);
  g_assert_null (iso);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    {
      g_test_message ("“%s”: message “%s” lacks “%s”", text, error->message, needle);
      g_test_fail ();
    }
}

static void
assert_refused (const char *text,
                const char *needle)
{
  assert_refused_before (text, NULL, needle);
}

static void
test_parse_western (void)
{
  assert_parses ("1950-01-06", "1950-01-06");
  assert_parses ("1950/1/6", "1950-01-06");
  assert_parses ("1950.1.6", "1950-01-06");
  assert_parses ("1950-1-6", "1950-01-06");
  assert_parses ("19500106", "1950-01-06");
  assert_parses ("1950年1月6日", "1950-01-06");
  assert_parses ("1950年01月06日", "1950-01-06");
  assert_parses ("1950年1月6", "1950-01-06");
  assert_parses ("2024-12-31", "2024-12-31");
}

static void
test_parse_era (void)
{
  assert_parses ("昭和25年1月6日", "1950-01-06");
  assert_parses ("昭和25.1.6", "1950-01-06");
  assert_parses ("昭和元年12月25日", "1926-12-25");
  assert_parses ("平成元年1月8日", "1989-01-08");
  assert_parses ("令和元年5月1日", "2019-05-01");
  assert_parses ("S25.1.6", "1950-01-06");
  assert_parses ("s25/1/6", "1950-01-06");
  assert_parses ("S25-01-06", "1950-01-06");
  assert_parses ("S250106", "1950-01-06");
  assert_parses ("昭25.1.6", "1950-01-06");
  assert_parses ("S25年1月6日", "1950-01-06");
  assert_parses ("M1.1.25", "1868-01-25");
  assert_parses ("明治45年7月29日", "1912-07-29");
  assert_parses ("大正元年7月30日", "1912-07-30");
  assert_parses ("T15.12.24", "1926-12-24");
  assert_parses ("大15.12.24", "1926-12-24");
  assert_parses ("H1.1.8", "1989-01-08");
  assert_parses ("h31/4/30", "2019-04-30");
  assert_parses ("平31.4.30", "2019-04-30");
  assert_parses ("R1.5.1", "2019-05-01");
  assert_parses ("r2.2.29", "2020-02-29");
  assert_parses ("令元.5.1", "2019-05-01");
  assert_parses ("R010501", "2019-05-01");
  assert_parses ("令和6年1月1日", "2024-01-01");
}

static void
test_parse_full_width_and_spaces (void)
{
  assert_parses ("昭和２５年１月６日", "1950-01-06");
  assert_parses ("１９５０－０１－０６", "1950-01-06");
  assert_parses ("１９５０／１／６", "1950-01-06");
  assert_parses ("１９５００１０６", "1950-01-06");
  assert_parses ("Ｓ２５．１．６", "1950-01-06");
  assert_parses ("ｓ２５．１．６", "1950-01-06");
  assert_parses (" 1950 - 01 - 06 ", "1950-01-06");
  assert_parses ("　昭和 25年 1月 6日　", "1950-01-06");
  assert_parses ("1950-01-06\n", "1950-01-06");
  /* Dashes an IME gives instead of '-'. */
  assert_parses ("1950ー1ー6", "1950-01-06");
  assert_parses ("1950−1−6", "1950-01-06");
  /* The one-character era signs. */
  assert_parses ("㍼25年1月6日", "1950-01-06");
  assert_parses ("㍻元年1月8日", "1989-01-08");
}

static void
test_era_boundaries (void)
{
  assert_parses ("明治元年1月25日", "1868-01-25");
  assert_refused ("明治元年1月24日", "Meiji began on 25 January 1868");
  assert_parses ("明治45年7月29日", "1912-07-29");
  assert_refused ("明治45年7月30日", "大正元年7月30日");
  assert_refused ("明治50年1月1日", "Meiji ended");

  assert_refused ("大正元年7月29日", "Taishō began");
  assert_parses ("大正15年12月24日", "1926-12-24");
  assert_refused ("大正15年12月25日", "Taishō ended");

  assert_refused ("昭和元年12月24日", "Shōwa began");
  assert_parses ("昭和64年1月7日", "1989-01-07");
  assert_refused ("昭和64年1月8日", "昭和64年1月7日");
  assert_refused ("S64.1.8", "Shōwa ended");
  assert_refused ("昭和65年1月1日", "Shōwa ended");

  assert_refused ("平成元年1月7日", "Heisei began on 8 January 1989");
  assert_parses ("平成元年1月8日", "1989-01-08");
  assert_parses ("平成31年4月30日", "2019-04-30");
  assert_refused ("平成31年5月1日", "令和元年5月1日");
  assert_refused ("H32.1.1", "Heisei ended");

  assert_refused ("令和元年4月30日", "Reiwa began on 1 May 2019");
  assert_parses ("令和元年5月1日", "2019-05-01");

  assert_refused ("昭和0年1月1日", "元年");
  assert_refused ("S00.1.1", "元年");
}

static void
test_calendar (void)
{
  assert_parses ("2000-02-29", "2000-02-29");
  assert_parses ("2024年2月29日", "2024-02-29");
  assert_parses ("昭和63年2月29日", "1988-02-29");
  assert_refused ("2023-02-29", "2023 is not a leap year");
  assert_refused ("1900-02-29", "1900 is not a leap year");
  assert_refused ("平成元年2月29日", "1989 is not a leap year");

  assert_refused ("2024年2月30日", "February has no day 30");
  assert_refused ("昭和25年2月30日", "February has no day 30");
  assert_refused ("1950-02-31", "February has no day 31");
  assert_refused ("1950-04-31", "April has only 30 days");
  assert_refused ("1950-06-31", "June has only 30 days");
  assert_refused ("1950-09-31", "September has only 30 days");
  assert_refused ("1950-11-31", "November has only 30 days");
  assert_parses ("1950-12-31", "1950-12-31");
  assert_refused ("1950-01-32", "no month has more than 31 days");
  assert_refused ("1950-13-01", "There is no month 13");
  assert_refused ("1950-00-10", "There is no month 0");
  assert_refused ("1950-01-00", "There is no day 0");
  assert_refused ("19501301", "There is no month 13");
}

static void
test_latest (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today_iso = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GDateTime) then = g_date_time_add_days (now, 1);
  g_autofree char *tomorrow_iso = g_date_time_format (then, "%Y-%m-%d");
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today,
                  g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now),
                  g_date_time_get_year (now));

  assert_refused_before ("令和99年1月1日", &today, "is in the future");
  assert_refused_before (tomorrow_iso, &today, "is in the future");
  assert_refused_before ("9999-12-31", &today, NULL);

  iso = sd_date_parse_iso (today_iso, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iso, ==, today_iso);
  g_clear_pointer (&iso, g_free);

  iso = sd_date_parse_iso ("昭和25年1月6日", &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iso, ==, "1950-01-06");
  g_clear_pointer (&iso, g_free);

  /* With no bound, the far future is a date like any other. */
  assert_parses ("令和99年1月1日", "2117-01-01");
  assert_parses ("2100-01-01", "2100-01-01");
}

static void
test_garbage (void)
{
  g_autofree char *overlong = g_strnfill (1000, '1');
  g_autofree char *overlong_date = g_strconcat ("1950-01-06", overlong, NULL);
  g_autoptr(GError) error = NULL;
  char *iso;

  assert_refused ("", "The date is empty");
  assert_refused ("   ", "The date is empty");
  assert_refused ("　", "The date is empty");
  assert_refused ("abc", "“abc” is not a date");
  assert_refused ("昭和", NULL);
  assert_refused ("S25", NULL);
  assert_refused ("昭和25年", NULL);
  assert_refused ("1950年1月", NULL);
  assert_refused ("1950", NULL);
  assert_refused ("195001", NULL);
  assert_refused ("1950010", NULL);
  assert_refused ("195001066", NULL);
  assert_refused ("S2501066", NULL);
  assert_refused ("S25010", NULL);
  assert_refused ("1950-01/06", NULL);
  assert_refused ("1950-01-06x", NULL);
  assert_refused ("1950-01-06日", NULL);
  assert_refused ("1950--01-06", NULL);
  assert_refused ("1950-001-06", NULL);
  assert_refused ("S123.1.6", "Shōwa ended");
  assert_refused ("令和9999年1月1日", NULL);
  assert_refused ("R12345.1.1", NULL);
  assert_refused ("X25.1.6", NULL);
  assert_refused ("0000-01-01", NULL);
  assert_refused ("-1950-01-06", NULL);
  assert_refused ("12/31/1950", NULL);
  assert_refused ("昭和二十五年一月六日", "numbers in kanji");
  assert_refused ("昭和二十五年", "numbers in kanji");
  assert_refused ("50/1/6", "two-digit year");
  assert_refused ("50年1月6日", "two-digit year");
  assert_refused (overlong, NULL);
  assert_refused (overlong_date, NULL);

  /* Text that is not readable is never quoted back. */
  iso = sd_date_parse_iso ("\xff\xfe", NULL, &error);
  g_assert_null (iso);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strstr (error->message, "\xff"));
  g_clear_error (&error);

  iso = sd_date_parse_iso ("1950\x01-01-06", NULL, &error);
  g_assert_null (iso);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_null (strchr (error->message, '\x01'));
  g_clear_error (&error);

  iso = sd_date_parse_iso (overlong, NULL, &error);
  g_assert_null (iso);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_null (strstr (error->message, "1111111111"));
  g_clear_error (&error);

  iso = sd_date_parse_iso (NULL, NULL, &error);
  g_assert_null (iso);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_clear_error (&error);

  /* A NULL error is allowed, as everywhere in GLib. */
  g_assert_null (sd_date_parse_iso ("abc", NULL, NULL));
}

static void
test_format_era (void)
{
  static const struct { const char *iso; const char *era; } cases[] = {
    { "1950-01-06", "昭和25年1月6日" },
    { "1926-12-25", "昭和元年12月25日" },
    { "1926-12-24", "大正15年12月24日" },
    { "1989-01-07", "昭和64年1月7日" },
    { "1989-01-08", "平成元年1月8日" },
    { "2019-04-30", "平成31年4月30日" },
    { "2019-05-01", "令和元年5月1日" },
    { "2024-02-29", "令和6年2月29日" },
    { "1912-07-29", "明治45年7月29日" },
    { "1912-07-30", "大正元年7月30日" },
    { "1868-01-25", "明治元年1月25日" },
    { "1868-01-24", "1868年1月24日" },
    { "0001-01-01", "0001年1月1日" },
    { "3950-01-06", "令和1932年1月6日" },
    { "9999-12-31", "令和7981年12月31日" },
  };
  static const char *const invalid[] = {
    "", "abc", "1950-02-30", "1950-1-6", "19500106", "1950-01-06x",
    "1950-13-01", "0000-01-01", "昭和25年1月6日", " 1950-01-06",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *era = sd_date_format_era (cases[i].iso);
      g_autofree char *back = sd_date_parse_iso (era, NULL, &error);

      g_assert_cmpstr (era, ==, cases[i].era);
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, cases[i].iso);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *era = sd_date_format_era (invalid[i]);
      g_assert_null (era);
    }
  g_assert_null (sd_date_format_era (NULL));
}

/* Every day from before 明治 to well into 令和 reads back as itself. */
static void
test_format_era_round_trip (void)
{
  GDate date;
  GDate end;
  guint days = 0;

  g_date_clear (&date, 1);
  g_date_clear (&end, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1860);
  g_date_set_dmy (&end, 31, G_DATE_DECEMBER, 2040);

  for (; g_date_compare (&date, &end) <= 0; g_date_add_days (&date, 1), days++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = g_strdup_printf ("%04u-%02u-%02u",
                                              (guint) g_date_get_year (&date),
                                              (guint) g_date_get_month (&date),
                                              (guint) g_date_get_day (&date));
      g_autofree char *era = sd_date_format_era (iso);
      g_autofree char *back = NULL;

      g_assert_nonnull (era);
      back = sd_date_parse_iso (era, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, iso);
    }

  g_assert_cmpuint (days, >, 60000);
}

static void
test_age_on (void)
{
  GDate today;

  g_date_clear (&today, 1);

  g_date_set_dmy (&today, 5, G_DATE_JANUARY, 2026);
  g_assert_cmpint (sd_date_age_on ("1950-01-06", &today), ==, 75);
  g_date_set_dmy (&today, 6, G_DATE_JANUARY, 2026);
  g_assert_cmpint (sd_date_age_on ("1950-01-06", &today), ==, 76);
  g_assert_cmpint (sd_date_age_on ("2026-01-06", &today), ==, 0);
  g_assert_cmpint (sd_date_age_on ("2025-01-07", &today), ==, 0);
  g_assert_cmpint (sd_date_age_on ("2025-01-06", &today), ==, 1);

  /* Born on 29 February. */
  g_date_set_dmy (&today, 28, G_DATE_FEBRUARY, 2001);
  g_assert_cmpint (sd_date_age_on ("2000-02-29", &today), ==, 0);
  g_date_set_dmy (&today, 1, G_DATE_MARCH, 2001);
  g_assert_cmpint (sd_date_age_on ("2000-02-29", &today), ==, 1);
  g_date_set_dmy (&today, 29, G_DATE_FEBRUARY, 2004);
  g_assert_cmpint (sd_date_age_on ("2000-02-29", &today), ==, 4);

  /* Invalid or not born yet. */
  g_date_set_dmy (&today, 6, G_DATE_JANUARY, 2026);
  g_assert_cmpint (sd_date_age_on ("2026-01-07", &today), ==, -1);
  g_assert_cmpint (sd_date_age_on ("1950-02-30", &today), ==, -1);
  g_assert_cmpint (sd_date_age_on ("昭和25年1月6日", &today), ==, -1);
  g_assert_cmpint (sd_date_age_on ("", &today), ==, -1);
  g_assert_cmpint (sd_date_age_on (NULL, &today), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse/western", test_parse_western);
  g_test_add_func ("/date/parse/era", test_parse_era);
  g_test_add_func ("/date/parse/full-width-and-spaces", test_parse_full_width_and_spaces);
  g_test_add_func ("/date/parse/era-boundaries", test_era_boundaries);
  g_test_add_func ("/date/parse/calendar", test_calendar);
  g_test_add_func ("/date/parse/latest", test_latest);
  g_test_add_func ("/date/parse/garbage", test_garbage);
  g_test_add_func ("/date/format-era", test_format_era);
  g_test_add_func ("/date/format-era/round-trip", test_format_era_round_trip);
  g_test_add_func ("/date/age-on", test_age_on);

  return g_test_run ();
}
