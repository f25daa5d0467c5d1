/* sd-scan.h: one scan, one action: what a scanned code records at the check-in desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk has a current mode (arrive, go out, return, leave, supply
 * pickup), kept in the database so the desk and `shelterdesk-cli qr scan`
 * share it.  sd_store_scan() takes the scanned text as it came from the
 * scanner and either records the mode's event for the card's person, or
 * says why not, recording nothing: a code that is not ours, half-read,
 * forged or from another deployment (a GError), or a person for whom the
 * mode makes no sense now, who left, or who was scanned for the same
 * thing moments ago (an SdScanResult saying so).  A pre-registration code
 * is decoded and handed back for the intake form.
 *
 * The decision and the write are one BEGIN IMMEDIATE transaction, so any
 * number of desks or processes scanning one card at once record one
 * event: the others wait for it and then see it (repeated or refused).
 * Called inside a caller's transaction, it becomes a savepoint of it.
 */
#pragma once

#include "sd-qr.h"

G_BEGIN_DECLS

typedef enum {
  SD_SCAN_RECORDED,  /* the mode's event was recorded */
  SD_SCAN_REPEATED,  /* recorded for this person moments ago: ignored */
  SD_SCAN_REFUSED,   /* makes no sense for this person now: nothing recorded */
  SD_SCAN_PREREG,    /* a pre-registration, for the intake form */
} SdScanOutcome;

typedef struct {
  SdScanOutcome outcome;
  SdEventKind   kind;         /* what the scan was for */
  SdPerson     *person;       /* as they stand after the scan; NULL for PREREG */
  char         *event_id;     /* RECORDED */
  gint64        previous_at;  /* REPEATED: when it was recorded; REFUSED after leaving: when they left (Unix ms) */
  gboolean      has_left;     /* REFUSED because they left the shelter */
  char         *message;      /* REFUSED: why, and what to do; never personal data */
  SdPrereg     *prereg;       /* PREREG */
} SdScanResult;

typedef struct {
  SdEventKind  mode;
  const char  *shelter_id;      /* where arrivals are checked in */
  const char  *staff_id;        /* who is at the desk, may be NULL */
  guint        repeat_seconds;  /* a second scan within this is ignored */
} SdScanSettings;

SdScanResult *sd_store_scan           (SdStore              *store,
                                       const char           *text,
                                       const SdScanSettings *settings,
                                       GError              **error);
void          sd_scan_result_free     (SdScanResult         *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdScanResult, sd_scan_result_free)

/* This kiosk's scan settings (never synced).  OUT_SHELTER_ID may come
 * back NULL when no shelter was chosen yet. */
gboolean      sd_store_get_scan_settings (SdStore     *store,
                                          SdEventKind *out_mode,
                                          char       **out_shelter_id,
                                          guint       *out_repeat_seconds,
                                          GError     **error);
gboolean      sd_store_set_scan_mode     (SdStore     *store,
                                          SdEventKind  mode,
                                          GError     **error);
gboolean      sd_store_set_scan_shelter  (SdStore     *store,
                                          const char  *shelter_id,
                                          GError     **error);
gboolean      sd_store_set_scan_repeat   (SdStore     *store,
                                          guint        seconds,
                                          GError     **error);

G_END_DECLS
