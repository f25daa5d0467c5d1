/* sd-live-refresh.h: a view read again when its data changes, only while it is on screen.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This process's writes to TABLES are seen at once (SdStore::changed);
 * another process's commits (the receiver's web form, a sync import, the
 * CLI) within two seconds, by polling SQLite's data version, which reads
 * nothing else.  The view is read when it is mapped, and not polled
 * while it is not.
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

typedef struct _SdLiveRefresh SdLiveRefresh;

/* REFRESH (WIDGET) reads the view; it calls sd_live_refresh_reading()
 * first.  TABLES: NULL-terminated, the tables the view shows. */
SdLiveRefresh *sd_live_refresh_new       (GtkWidget         *widget,
                                          GCallback          refresh,
                                          const char *const *tables);
void           sd_live_refresh_set_store (SdLiveRefresh     *self,
                                          SdStore           *store);
/* The view reads now: what the store holds at this moment is shown. */
void           sd_live_refresh_reading   (SdLiveRefresh     *self);
void           sd_live_refresh_free      (SdLiveRefresh     *self);

G_END_DECLS
