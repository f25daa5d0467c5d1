/* sd-drill-private.h: what the drill's parts share.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-drill.h"
#include "sd-drill-cards.h"

#include "sd-exercise-action.h"
#include "sd-exercise.h"
#include "sd-scenario.h"
#include "sd-store.h"

#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct {
  guint              index;
  char              *name;            /* "受付1 S01 S04 S07 S10": the exercise's outages find it by its codes */
  char              *path;
  char              *site_id;
  SdStore           *store;
  SdExerciseEngine  *engine;
  gint64             ahead_ms;        /* its clock runs ahead (the scenario's clock-ahead) */
  gboolean           online;          /* HQ's receiver answered its last exchange */
  gint64             cut_off_since;   /* exercise ms, -1 while online */
  gint64             last_stick_at;   /* its last runner left */
  gint64             first_at_hq;     /* its first change reached HQ, -1 before */
  double             last_exchange_ms;
  guint              card_intakes;    /* its engines' card holders, read or typed */
  guint              card_by_hand;    /* of those, typed: the scenario had failed the reader */
  guint              answers;         /* staff answers taken at its desk */
  guint              answers_on_paper; /* of those, taken before HQ's roll-call had reached it */
  guint              support_reports; /* support-list people confirmed evacuated at its shelters */
} SdDrillKiosk;

typedef struct {
  char    *path;
  int      from, to;       /* kiosk index, -1 for HQ */
  int      via;            /* a relayed stick: the kiosk it goes by (then TO), else -1 */
  gint64   operations;
  gint64   made_at, arrives_at;
} SdDrillStick;

typedef struct {
  const SdDrillOptions *options;
  SdScenario           *scenario;
  char                **groups;        /* per kiosk: "S01,S04,…" */
  SdDrillKiosk         *kiosks;
  guint                 n_kiosks;
  char                 *hq_path;
  SdStore              *hq;
  SdExerciseEngine     *hq_engine;
  sqlite3              *hq_read;       /* what reached HQ, read apart from its writers */
  GSubprocess          *receiver;
  guint                 port;
  char                 *url;
  GPtrArray            *sticks;        /* SdDrillStick on the road */
  GPtrArray            *desks;         /* GSubprocess: desks opened for people */
  guint                 n_sticks, n_runners;
  SdDrillCards         *cards;         /* the card station, or NULL */
  GRand                *rand;          /* the drill's own choices: which stick goes where, when faults strike */
  gint64                now;           /* exercise ms */
  int                   pending[SD_DRILL_CLOCK_AHEAD + 1];  /* a fault armed: its kiosk + 1 (1 for HQ's) */
  gboolean              import_cut_runner;  /* a runner carries the stick HQ's power cut strikes */
  gint64                stick_changes, network_changes;
  json_t               *events;        /* what happened: the faults, every refusal */
  json_t               *arrivals;      /* each transfer's changes new at HQ and their delays */
  json_t               *returns;       /* each kiosk's first exchange after an outage */
  guint                 unexpected;
  double                setup_s, reference_s, day_s, final_s, total_s;
} SdDrill;

void     sd_drill_note   (SdDrill     *drill,
                          const char  *kind,
                          gboolean     expected,
                          const char  *format,
                          ...) G_GNUC_PRINTF (4, 5);
int      sd_drill_compare_strings (gconstpointer a,
                                   gconstpointer b);
/* Ends KIOSK's engine (if any), keeping its card counts. */
void     sd_drill_close_kiosk_engine (SdDrillKiosk *kiosk);
/* The end: HQ's figures against the scenario's, every kiosk's dump
 * against HQ's, each database checked, the faults all played; the
 * result, also written to OUT/result.json. */
gboolean sd_drill_prove  (SdDrill     *drill,
                          json_t     **out_result,
                          GError     **error);

G_END_DECLS
