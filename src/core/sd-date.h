/* sd-date.h: dates as people and welfare systems write them, Japanese era included.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accepted forms (digits may be full-width, separators may be . / - or
 * 年月日, spaces are ignored):
 *   1950-01-06  1950/1/6  19500106  1950年1月6日
 *   昭和25年1月6日  昭和二十五年  (kanji numerals are NOT accepted)
 *   昭和元年12月25日  (元年 is year 1)
 *   S25.1.6  s25/1/6  S250106  昭25.1.6
 * Eras: 明治 M, 大正 T, 昭和 S, 平成 H, 令和 R.  A date must exist in the
 * calendar (no 2月30日) and lie inside its era (昭和64年1月8日 is refused,
 * 平成31年5月1日 is refused: that day is 令和元年5月1日).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses TEXT.  When LATEST is not NULL, a date after it is refused (a
 * birth date cannot be in the future).  Returns a newly allocated ISO 8601
 * "YYYY-MM-DD", or NULL with SD_DATA_ERROR_BAD_VALUE and a message a
 * person can act on. */
char *sd_date_parse_iso   (const char   *text,
                           const GDate  *latest,
                           GError      **error);

/* "1950-01-06" → "昭和25年1月6日"; NULL when ISO is not a valid date. */
char *sd_date_format_era  (const char   *iso);

/* Whole years between ISO and TODAY (age on that day); -1 when ISO is invalid. */
int   sd_date_age_on      (const char   *iso,
                           const GDate  *today);

G_END_DECLS
