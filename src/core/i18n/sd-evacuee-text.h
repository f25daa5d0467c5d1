/* sd-evacuee-text.h: what an evacuee reads, in the evacuee's language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk speaks its staff's language (gettext's "shelterdesk" domain,
 * the process's locale).  What an evacuee reads (the scan's answer, the
 * card, the enquiry's answer, the shelter guide) speaks the evacuee's:
 * the language of their record, or the one they tap.  Those messages are
 * a catalogue of their own ("shelterdesk-evacuee", po/evacuee/), built
 * into the core, so that any language can be shown beside any other
 * whatever locales the machine has.  English is the messages themselves.
 *
 * A message for evacuees is written EN_("…") where it is written, and
 * translated by sd_evacuee_gettext () or sd_evacuee_text () where it is
 * shown.  xgettext takes EN_ into both catalogues: the evacuee's
 * (po/evacuee/) and the desk's (po/), where staff read the same message.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Marks a message for evacuees (both catalogues take it). */
#define EN_(message) (message)

typedef struct {
  const char *code;       /* BCP 47: "ja", "ja-x-easy", "vi", "pt-BR" */
  const char *own_name;   /* in its own script: "Tiếng Việt", "नेपाली" */
  const char *font_lang;  /* for Pango: which glyphs ("zh-cn", not Japanese, for 简体中文) */
} SdEvacueeLanguage;

/* The languages offered, Japanese first, then やさしい日本語, English and the
 * languages of the largest groups of foreign residents. */
const SdEvacueeLanguage *sd_evacuee_languages          (guint       *n_languages);

/* TAG (a record's language, BCP 47, any case) as one of the languages
 * offered: "pt" and "pt-PT" are Português (Brasil), "ja-JP" Japanese,
 * "en-AU" English (a region is dropped, but a Chinese tag's script is
 * kept: "zh-TW" is none), NULL or "" Japanese (a record without a
 * language); NULL when none fits. */
const SdEvacueeLanguage *sd_evacuee_language_resolve   (const char  *tag);

/* Which glyphs text for TAG is drawn with (Pango's language, as
 * SdEvacueeLanguage.font_lang): Japanese's for a language not offered,
 * whose text begins in やさしい日本語 (sd_evacuee_text ()). */
const char *sd_evacuee_font_language (const char *tag);

/* The language the desk speaks to its staff (gettext's, from LANGUAGE or
 * the locale), as one of those offered; English under the C locale
 * (untranslated), Japanese when none fits. */
const SdEvacueeLanguage *sd_evacuee_language_of_desk   (void);

/* MSGID in LANGUAGE (a code of sd_evacuee_languages ()); MSGID itself in
 * English, or when the catalogue lacks it. */
const char *sd_evacuee_gettext   (const char  *language,
                                  const char  *msgid) G_GNUC_FORMAT (2);
const char *sd_evacuee_ngettext  (const char  *language,
                                  const char  *msgid,
                                  const char  *msgid_plural,
                                  gulong       n) G_GNUC_FORMAT (2) G_GNUC_FORMAT (3);

/* MSGID for the person whose record says TAG: in that language, or, when
 * ShelterDesk does not offer it, in やさしい日本語 and English, one line
 * each (never blank).  Free with g_free (). */
char       *sd_evacuee_text      (const char  *tag,
                                  const char  *msgid) G_GNUC_FORMAT (2);

/* The catalogue of LANGUAGE as built in: how many messages it translates
 * (0 for English), or -1 when it is missing or damaged. */
int         sd_evacuee_catalogue_size (const char *language);

/* The messages (English) of the Japanese catalogue, which has every one:
 * for the tests that show each in each language. */
GStrv       sd_evacuee_dup_messages   (void);

G_END_DECLS
