/* sd-sync-pusher.h: keeps a kiosk sending: its changes go to HQ whenever HQ can be reached.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While started, the pusher looks at what HQ has not acknowledged (when
 * the store changes, and every check-interval seconds for writes made by
 * other programs) and, when something waits, runs one exchange of
 * SdSyncClient: probe, push, pull.  When HQ does not answer it tries
 * again after a delay that doubles from min-delay up to max-delay, each
 * drawn at random between half and all of it (so that kiosks that lost
 * the network together do not all come back in the same second); when
 * the network comes back (GNetworkMonitor) it tries at once.  With
 * nothing waiting it only fetches HQ's batch every pull-interval seconds.
 * Everything happens on the thread-default main context of start(), the
 * store's thread.
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"
#include "sd-sync-client.h"

G_BEGIN_DECLS

typedef enum {
  SD_SYNC_PUSHER_STOPPED,
  SD_SYNC_PUSHER_IDLE,      /* nothing waits for HQ */
  SD_SYNC_PUSHER_SENDING,   /* an exchange with HQ is under way */
  SD_SYNC_PUSHER_RETRYING,  /* changes wait; HQ did not answer: tried again at next-attempt */
  SD_SYNC_PUSHER_REFUSED,   /* HQ (or what answers) said no: a person must act; tried again rarely */
} SdSyncPusherState;

GType sd_sync_pusher_state_get_type (void);
#define SD_TYPE_SYNC_PUSHER_STATE (sd_sync_pusher_state_get_type ())

#define SD_TYPE_SYNC_PUSHER (sd_sync_pusher_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncPusher, sd_sync_pusher, SD, SYNC_PUSHER, GObject)

SdSyncPusher      *sd_sync_pusher_new              (SdStore       *store,
                                                    SdSyncClient  *client);
void               sd_sync_pusher_start            (SdSyncPusher  *self);
void               sd_sync_pusher_stop             (SdSyncPusher  *self);
/* A person asked to send now: try at once, the delay starting over. */
void               sd_sync_pusher_push_now         (SdSyncPusher  *self);

SdSyncPusherState  sd_sync_pusher_get_state        (SdSyncPusher  *self);
/* Changes HQ has not acknowledged, as last counted. */
guint64            sd_sync_pusher_get_waiting      (SdSyncPusher  *self);
/* Milliseconds since 1970 of the last exchange that worked, or 0. */
gint64             sd_sync_pusher_get_last_contact (SdSyncPusher  *self);
/* Milliseconds since 1970 of the next attempt, or 0 when none is planned. */
gint64             sd_sync_pusher_get_next_attempt (SdSyncPusher  *self);
/* Why the last exchange failed, for a person; NULL after one that worked. */
const char        *sd_sync_pusher_get_last_error   (SdSyncPusher  *self);

G_END_DECLS
