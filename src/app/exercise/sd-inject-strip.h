/* sd-inject-strip.h: an exercise's open injects for the players at this desk, over the desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_INJECT_STRIP (sd_inject_strip_get_type ())
G_DECLARE_FINAL_TYPE (SdInjectStrip, sd_inject_strip, SD, INJECT_STRIP, GtkWidget)

/* Shows nothing unless STORE is an exercise database. */
void        sd_inject_strip_set_store   (SdInjectStrip *self,
                                         SdStore       *store);
/* The desk plays for the players of SHELTER_CODE, or for HQ (NULL). */
void        sd_inject_strip_show_for    (SdInjectStrip *self,
                                         const char    *shelter_code);
/* The desk plays for nobody (the facilitator's console). */
void        sd_inject_strip_show_none   (SdInjectStrip *self);
/* The injects shown (SdExerciseInject), delivered and not done. */
GListModel *sd_inject_strip_get_injects (SdInjectStrip *self);
/* Why the last 確認 or 完了 was refused, or NULL. */
const char *sd_inject_strip_get_message (SdInjectStrip *self);
/* Whether any inject is shown ("showing"). */
gboolean    sd_inject_strip_get_showing (SdInjectStrip *self);
/* The strip's tag, which says 訓練 EXERCISE like the window's band and
 * stands for it while the strip shows. */
GtkWidget  *sd_inject_strip_get_band    (SdInjectStrip *self);
/* Reads the file again now (also done when it changes, here or in
 * another process). */
void        sd_inject_strip_refresh     (SdInjectStrip *self);

G_END_DECLS
