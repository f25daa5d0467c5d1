/* sd-exercise-action.h: the machine actions of a scenario's injects, read from their text.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An inject may carry a machine action that the engine plays on the
 * exercise database through the core API (docs/scenario-format.md):
 *
 *   arrivals shelter=S03 people=120 over=30m
 *   shelter-condition S02 water=out
 *   network down=2h at=S01
 *
 * A verb, then words: key=value, or a bare shelter code where the verb
 * takes one.  A value with spaces is written in double quotes.
 */
#pragma once

#include <glib.h>

#include "sd-report.h"

G_BEGIN_DECLS

typedef enum {
  SD_ACTION_NONE,
  SD_ACTION_SHELTER_OPEN,       /* shelter-open S01 */
  SD_ACTION_SHELTER_CLOSE,      /* shelter-close S01 */
  SD_ACTION_ARRIVALS,           /* arrivals shelter= people= [over=] [cards=] [duplicates=] [elsewhere=] */
  SD_ACTION_CHECKOUTS,          /* checkouts shelter= people= [over=]: they leave */
  SD_ACTION_GOINGS_OUT,         /* goings-out shelter= people= [over=] */
  SD_ACTION_RETURNS,            /* returns shelter= people= [over=]: those out come back */
  SD_ACTION_SUPPLY_PICKUPS,     /* supply-pickups shelter= people= [over=] */
  SD_ACTION_ROLLCALL,           /* rollcall title="…": a staff roll-call opens */
  SD_ACTION_SAFETY_ANSWERS,     /* safety-answers share= [within=] [rollcall="…"] */
  SD_ACTION_SUPPORT_STATUS,     /* support-status confirmed= [district=] [within=] */
  SD_ACTION_SHELTER_CONDITION,  /* shelter-condition S02 water=out [electricity= gas= communications= toilets=] */
  SD_ACTION_NETWORK_DOWN,       /* network down=2h [at=S01] */
  SD_ACTION_READER_FAILS,       /* reader fails at=S01 [for=1h] */
  SD_ACTION_DRILL,              /* drill kiosk-killed at=S01: a fault only a drill plays (sd-drill.h) */
} SdActionKind;

/* The faults a drill (shelterdesk-cli drill run) plays on its desks and
 * their batches; an exercise on one database passes them by. */
typedef enum {
  SD_DRILL_KIOSK_KILLED = 1,    /* the kiosk at= is killed mid-write and restarted */
  SD_DRILL_RECEIVER_KILLED,     /* HQ's receiver is killed while a kiosk sends, and restarted */
  SD_DRILL_IMPORT_CUT,          /* HQ's power fails while it imports a stick */
  SD_DRILL_STICK_PULLED,        /* the stick is pulled out while the kiosk at= writes it */
  SD_DRILL_STICK_TRUNCATED,     /* the kiosk at='s next stick reaches HQ cut short */
  SD_DRILL_BATCH_REPLAYED,      /* the kiosk at='s next stick is imported at HQ twice */
  SD_DRILL_CLOCK_AHEAD,         /* the kiosk at='s clock runs by= ahead, from the start */
} SdDrillFault;

typedef struct {
  SdActionKind     kind;
  char            *shelter;     /* a shelter code; NULL: every shelter, where the verb allows */
  guint            people;
  gint64           over_ms;     /* spread over this long (within= for answers and reports) */
  gint64           for_ms;      /* a fault lasts this long; 0: to the end of the exercise */
  double           share;       /* safety-answers: who answers; support-status: who is confirmed */
  double           cards;       /* arrivals: who brings a My Number card */
  double           duplicates;  /* arrivals: who was registered before, somewhere */
  double           elsewhere;   /* arrivals: households staying at home or in a vehicle */
  char            *title;       /* rollcall: its title; safety-answers: which one (NULL: the open one) */
  char            *district;    /* support-status: 町丁目 the address starts with; NULL: everyone */
  SdLifelineState  lifelines[SD_N_LIFELINES];  /* unknown where not given */
  SdDrillFault     drill;       /* drill: which fault (by= is in for_ms) */
} SdAction;

/* Reads TEXT (empty or NULL: SD_ACTION_NONE).  The error says what is
 * wrong with the action, in words a facilitator can act on; the caller
 * adds the file and line. */
gboolean     sd_exercise_action_parse (const char  *text,
                                       SdAction    *action,
                                       GError     **error);
void         sd_exercise_action_clear (SdAction    *action);
/* The verb as written ("arrivals"). */
const char  *sd_exercise_action_verb  (SdActionKind kind);

/* "kiosk-killed", …, as a scenario writes it. */
const char  *sd_drill_fault_to_string (SdDrillFault fault);

/* "30m", "2h", "1h30m", "45s", "90m": FALSE for anything else. */
gboolean     sd_exercise_parse_duration (const char *text,
                                         gint64     *out_ms);

G_END_DECLS
