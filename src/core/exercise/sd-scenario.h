/* sd-scenario.h: a tabletop exercise's scenario (MSEL), read from CSV or JSON and checked whole.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Facilitators write a Master Scenario Events List in Excel: one inject
 * a row, with its serial, delivery time (T+hh:mm, or after another
 * inject), type, method, from, to, description, the action expected of
 * the players, and optionally a machine action the engine plays
 * (sd-exercise-action.h).  The format is docs/scenario-format.md.
 *
 * A scenario is read whole and refused whole: a bad time, an unknown
 * action, two injects with one serial, or injects timed from each other
 * in a loop are reported with the file and line, before anything runs.
 * Shelters and roll-calls are checked against the database with
 * sd_scenario_check_against ().
 */
#pragma once

#include <gio/gio.h>

#include "sd-exercise-action.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef struct {
  char     *serial;
  guint     line;         /* in the file: the CSV line, or the JSON inject's place from 1 */
  gint64    at_ms;        /* T+ of its delivery, resolved */
  char     *after;        /* the serial it is timed from, or NULL */
  gint64    offset_ms;    /* after T+0, or after AFTER's delivery */
  char     *type;
  char     *method;
  char     *sender;
  char     *recipient;
  char     *description;
  char     *expected;
  char     *action_text;  /* as written; "" for none */
  SdAction  action;
} SdInject;

typedef struct _SdScenario SdScenario;

/* PATH: a .json file is JSON, anything else CSV (UTF-8 or CP932). */
SdScenario     *sd_scenario_load        (const char   *path,
                                         GError      **error);
/* NAME is what errors call the file. */
SdScenario     *sd_scenario_parse       (GBytes       *data,
                                         const char   *name,
                                         gboolean      json,
                                         GError      **error);
void            sd_scenario_free        (SdScenario   *scenario);

/* The file's name without its folder and extension, or JSON's "name". */
const char     *sd_scenario_get_name    (SdScenario   *scenario);
/* The SHA-256 of the file's bytes, hex: which scenario an exercise ran. */
const char     *sd_scenario_get_sha256  (SdScenario   *scenario);
/* In delivery order (time, then the order of the file). */
guint           sd_scenario_get_n_injects (SdScenario *scenario);
const SdInject *sd_scenario_get_inject  (SdScenario   *scenario,
                                         guint         index);
const SdInject *sd_scenario_find_inject (SdScenario   *scenario,
                                         const char   *serial);
/* When its last inject is delivered and its last action over. */
gint64          sd_scenario_get_end_ms  (SdScenario   *scenario);

/* Every shelter the actions name exists in STORE, every roll-call an
 * answer names is opened by an earlier inject; STORE is an exercise. */
gboolean        sd_scenario_check_against (SdScenario *scenario,
                                           SdStore    *store,
                                           GError    **error);

/* "T+01:30" for 5 400 000 ms. */
char           *sd_scenario_format_time (gint64        ms);
/* "4:05" or "1:04:05": how long something took (never negative), as
 * the console's timers and the review's response times show it. */
char           *sd_scenario_format_duration (gint64    ms);

/* What a person types for a time after T+0, as the time column reads
 * it: "T+01:30", "01:30", "1:30:15", "T+90" (minutes).  FALSE for
 * anything else, or for more than a week. */
gboolean        sd_scenario_parse_offset (const char *text,
                                          gint64     *out_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdScenario, sd_scenario_free)

G_END_DECLS
