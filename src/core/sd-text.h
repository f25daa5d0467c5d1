/* sd-text.h: tidying and folding Japanese text for storage and search.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks text from outside before it is stored: valid UTF-8, no control
 * characters (tab and newline only where MULTILINE), at most MAX_CHARS
 * characters.  FIELD_LABEL names the field in the message. */
gboolean  sd_text_validate       (const char  *text,
                                  const char  *field_label,
                                  guint        max_chars,
                                  gboolean     multiline,
                                  GError     **error);

/* The first bidirectional control in TEXT (U+202A–202E, U+2066–2069,
 * U+200E, U+200F, U+061C), or 0.  They are invisible and make a name show
 * other than it is stored ("abc" typed as U+202E "cba"), so nothing a
 * person typed or a file brought may carry them. */
gunichar  sd_text_find_bidi_control (const char *text);

/* For storage: NFKC (half-width katakana become full-width, full-width
 * digits and latin become ASCII), spaces (U+3000 too) trimmed at both ends
 * and runs of them folded into one ASCII space.  NULL or "" gives NULL. */
char     *sd_text_tidy           (const char  *text);

/* For search keys: sd_text_tidy, then hiragana to katakana, latin to
 * lower case without accents (Zoé → zoe, Łukasz → lukasz), every space,
 * the middle dot (・) and variation selectors (葛󠄀 → 葛) removed. */
char     *sd_text_fold           (const char  *text);

/* For search keys too: the romaji reading of kana, or of a name in latin
 * letters, in one spelling whatever was typed: Hepburn or kunrei (shi/si,
 * chi/ti, tsu/tu, fu/hu, ji/zi), long vowels dropped (tarou, taroo, tarō,
 * タロー → taro), no apostrophe (shin'ichi → shinichi), lower-case ASCII.
 * A prefix of what is typed reads as a prefix of the whole ("yam").  NULL
 * for text with kanji or digits, which have no reading we can know. */
char     *sd_text_reading        (const char  *text);

/* Phone numbers: the digits only (full-width digits too); NULL if none. */
char     *sd_text_phone_digits   (const char  *text);

G_END_DECLS
