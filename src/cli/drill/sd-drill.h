/* sd-drill.h: a whole day end to end: one scenario played on HQ and kiosks
 * that carry their batches by USB stick and by network, with faults on the
 * way, and the proof that HQ ends with the scenario's own figures.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/drill.md says what a drill does and what it proves.
 */
#pragma once

#include <gio/gio.h>
#include <jansson.h>

G_BEGIN_DECLS

typedef struct {
  const char *scenario;   /* the scenario file (CSV or JSON) */
  const char *seeds;      /* the deployment's seed folder (seeds/) */
  const char *out;        /* a new or empty folder: the databases, the sticks, result.json */
  const char *cli;        /* shelterdesk-cli, run for the receiver and the faults' processes */
  const char *desk;       /* shelterdesk, to open the desks on (NULL: no desks) */
  guint       kiosks;     /* 1 to 12 */
  guint64     seed;
  gint        speed;      /* 0: as fast as possible; else exercise minutes a wall minute */
  gint64      start_at;   /* T+0, Unix ms */
  const char *card_reader;    /* card holders' cards read on this PC/SC reader (NULL: no reader) */
  const char *card_emulator;  /* the card emulator's command line for it (docs/drill.md) */
  const char *const *players; /* staff numbers who sign in at the kiosks' desks with their own PINs (NULL: none) */
} SdDrillOptions;

/* Runs the drill.  The result (what happened and the proof, as
 * docs/drill.md describes it) is returned and written to OUT/result.json
 * whether the proof holds or not; FALSE with ERROR only when the drill
 * itself could not run. */
gboolean sd_drill_run  (const SdDrillOptions  *options,
                        json_t               **out_result,
                        GError               **error);

/* One kiosk's part up to UNTIL_MS, in the process that runs it (the
 * kiosk killed mid-write is this, killed): from the plan in DIR. */
gboolean sd_drill_step (const char  *dir,
                        guint        kiosk,
                        gint64       until_ms,
                        GError     **error);

G_END_DECLS
