/* sd-shelter-guide.h: the one-page shelter guide (避難所のご案内), written once in Japanese, printed in every language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a household needs to know on its first evening: when the meals
 * are, when the lights go out and come on, where to ask for help, where
 * food and supplies are handed out, and the house rules.  The lead fills
 * it in once; the page is printed in any language of the evacuee
 * catalogues (sd-evacuee-text.h) because nothing in it is free prose
 * but the places and one short note: times are times, the rules are
 * chosen from a list whose sentences are translated, and the places are
 * printed as the shelter's own signs write them (in Japanese), which is
 * what a reader must match on the wall anyway.  The note is printed as
 * written, marked as being in Japanese.
 *
 * The guide is part of the shelter's row (schema 18), so it syncs like
 * the shelter and HQ sees every shelter's.
 */
#pragma once

#include <cairo.h>
#include <jansson.h>

#include "sd-store.h"

G_BEGIN_DECLS

/* The house rules a guide may list, in the order printed. */
typedef enum {
  SD_GUIDE_RULE_NO_SMOKING,   /* with the smoking area, if given */
  SD_GUIDE_RULE_NO_ALCOHOL,
  SD_GUIDE_RULE_SHOES_OFF,
  SD_GUIDE_RULE_PETS,         /* with the pet area, if given */
  SD_GUIDE_RULE_AISLES,
  SD_GUIDE_RULE_QUIET,        /* with the lights-out time, if given */
  SD_GUIDE_RULE_TELL_DESK,
  SD_GUIDE_RULE_RUBBISH,
  SD_GUIDE_RULE_CHARGING,     /* with the charging place, if given */
  SD_GUIDE_RULE_VALUABLES,
  SD_GUIDE_RULE_WASH_HANDS,
  SD_N_GUIDE_RULES
} SdGuideRule;

typedef enum {
  SD_GUIDE_BREAKFAST,
  SD_GUIDE_LUNCH,
  SD_GUIDE_DINNER,
  SD_GUIDE_LIGHTS_OUT,
  SD_GUIDE_LIGHTS_ON,
  SD_N_GUIDE_TIMES
} SdGuideTime;

typedef enum {
  SD_GUIDE_ASK,       /* where to ask for help, or say one feels unwell */
  SD_GUIDE_SUPPLIES,  /* where food, water and supplies are handed out */
  SD_GUIDE_PETS,
  SD_GUIDE_SMOKING,
  SD_GUIDE_CHARGING,
  SD_N_GUIDE_PLACES
} SdGuidePlace;

#define SD_GUIDE_PLACE_MAX_CHARS 100
#define SD_GUIDE_NOTE_MAX_CHARS  600

typedef struct {
  char   *shelter_name;                 /* the shelter's, read with the guide */
  char   *times[SD_N_GUIDE_TIMES];      /* "07:00", or NULL */
  char   *places[SD_N_GUIDE_PLACES];    /* as the shelter's signs write them, or NULL */
  guint   rules;                        /* (1 << SdGuideRule) for each rule listed */
  char   *note;                         /* in Japanese, or NULL */
  char   *unknown_rules;                /* codes of rules a newer ShelterDesk wrote, kept as they are */
  gint64  updated_at;                   /* when a line last changed (the op-log's newest change of one),
                                         * ms since the epoch; 0: never written; read only */
} SdShelterGuide;

SdShelterGuide *sd_shelter_guide_new      (void);
SdShelterGuide *sd_shelter_guide_copy     (const SdShelterGuide *guide);
void            sd_shelter_guide_free     (SdShelterGuide       *guide);
/* Whether the lead has written nothing in it yet. */
gboolean        sd_shelter_guide_is_empty (const SdShelterGuide *guide);
/* Whether A and B say the same (the shelter's name and the time written
 * aside). */
gboolean        sd_shelter_guide_equal    (const SdShelterGuide *a,
                                           const SdShelterGuide *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdShelterGuide, sd_shelter_guide_free)

/* The guide as JSON, as seed files and the CLI write it:
 *   { "breakfast": "7:00", "lunch", "dinner", "lights_out", "lights_on",
 *     "ask": "体育館入口の受付", "supplies", "pets", "smoking", "charging",
 *     "rules": [ "no-smoking", … ], "note": "…" }
 * Reading: only the members given change INTO (null or "" clears one);
 * a member not listed here, a rule not known or a time not understood is
 * refused with a message naming it. */
json_t     *sd_shelter_guide_to_json   (const SdShelterGuide *guide);
gboolean    sd_shelter_guide_read_json (SdShelterGuide       *into,
                                        json_t               *object,
                                        GError              **error);

/* "no-smoking", as seed files and the CLI write a rule. */
const char *sd_guide_rule_to_string   (SdGuideRule  rule);
gboolean    sd_guide_rule_from_string (const char  *text,
                                       SdGuideRule *out_rule);
/* The rule's sentence in LANGUAGE (a code of sd_evacuee_languages(); "en"
 * for the message itself). */
const char *sd_guide_rule_text        (SdGuideRule  rule,
                                       const char  *language);

/* The name of a line of the guide in the desk's language ("Breakfast",
 * "Where to ask"), for forms and messages. */
const char *sd_guide_time_get_label   (SdGuideTime  time);
const char *sd_guide_place_get_label  (SdGuidePlace place);

/* A time as a person types it: 7:00, 07:00, 19.30, ７：３０, 7時, 7時半,
 * 7時30分, 午後6時, 1830.  OUT gets "HH:MM", or NULL when TEXT is empty.
 * FALSE with a message naming WHAT otherwise. */
gboolean    sd_guide_time_parse       (const char  *text,
                                       const char  *what,
                                       char       **out,
                                       GError     **error);
/* "07:00" as printed: "7:00". */
char       *sd_guide_time_format      (const char  *time);

/* The guide of SHELTER_ID (never NULL for a shelter that exists: an
 * empty guide when nothing was written). */
SdShelterGuide *sd_store_get_shelter_guide (SdStore              *store,
                                            const char           *shelter_id,
                                            GError              **error);
/* Writes what GUIDE changes from BASE (the guide as it was read before it
 * was edited; NULL to write every line), so that a line another desk
 * changed meanwhile and this one did not touch keeps the other desk's
 * words; each house rule counts as a line of its own.  Times are read by
 * sd_guide_time_parse (SD_STORE_ERROR_INVALID naming the line); places
 * are tidied (sd_text_tidy) and the note trimmed, and both checked
 * (SD_DATA_ERROR_BAD_VALUE: too long, a control character). */
gboolean        sd_store_set_shelter_guide (SdStore              *store,
                                            const char           *shelter_id,
                                            const SdShelterGuide *base,
                                            const SdShelterGuide *guide,
                                            GError              **error);

/* ---- printing (sd-shelter-guide-page.c) ---- */

/* The guide on one A4 page in LANGUAGE, in points from the top left
 * (WIDTH × HEIGHT: 595 × 842); the text shrinks to fit a long guide.
 * EXERCISE: the page carries the exercise's mark. */
void      sd_shelter_guide_draw_page (const SdShelterGuide *guide,
                                      const char           *language,
                                      cairo_t              *cr,
                                      double                width,
                                      double                height,
                                      gboolean              exercise);
/* How many characters of the page in LANGUAGE no font on this computer
 * can draw (they would print as empty boxes): 0 when every glyph is
 * there. */
guint     sd_shelter_guide_count_missing_glyphs (const SdShelterGuide *guide,
                                                 const char           *language);
/* One page per language of LANGUAGES (NULL-terminated), written beside
 * PATH and put in place when finished. */
gboolean  sd_shelter_guide_write_pdf (const SdShelterGuide *guide,
                                      const char *const    *languages,
                                      gboolean              exercise,
                                      const char           *path,
                                      GError              **error);

G_END_DECLS
