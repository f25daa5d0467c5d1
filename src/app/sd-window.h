/* sd-window.h: the desk's main window: sign-in, then the desks the role allows.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-application.h"
#include "sd-core.h"
#include "sd-signin-page.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())
G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow     *sd_window_new              (SdApplication *app,
                                          SdStore       *store,
                                          gboolean       kiosk);
SdStore      *sd_window_get_store        (SdWindow      *self);
SdStaff      *sd_window_get_staff        (SdWindow      *self);
gboolean      sd_window_get_kiosk        (SdWindow      *self);
const char   *sd_window_get_visible_desk (SdWindow      *self);
const char   *sd_window_get_idle_warning (SdWindow      *self);
/* "signin", "desks", "self-service" (Check-in facing evacuees), or
 * "damaged" when the database file is damaged. */
const char   *sd_window_get_visible_page (SdWindow      *self);
/* The 訓練 EXERCISE band, or NULL when the database is not an exercise's. */
GtkWidget    *sd_window_get_exercise_band (SdWindow     *self);
SdSigninPage *sd_window_get_signin_page  (SdWindow      *self);
GtkWidget    *sd_window_get_self_service (SdWindow      *self);
GtkWidget    *sd_window_get_desk_page    (SdWindow      *self,
                                          const char    *desk);
void          sd_window_sign_in          (SdWindow      *self,
                                          SdStaff       *staff);
gboolean      sd_window_sign_in_demo     (SdWindow      *self,
                                          GError       **error);
void          sd_window_set_idle_timeout (SdWindow      *self,
                                          guint          seconds);

G_END_DECLS
