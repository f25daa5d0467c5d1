/* sd-signin-page.h: staff number and PIN, checked against the site's staff roster.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SIGNIN_PAGE (sd_signin_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSigninPage, sd_signin_page, SD, SIGNIN_PAGE, GtkWidget)

SdStore    *sd_signin_page_get_store   (SdSigninPage *self);
void        sd_signin_page_set_store   (SdSigninPage *self,
                                        SdStore      *store);
void        sd_signin_page_set_submit_label (SdSigninPage *self,
                                             const char   *label);
const char *sd_signin_page_get_submit_label (SdSigninPage *self);
void        sd_signin_page_set_heading (SdSigninPage *self,
                                        const char   *heading);
const char *sd_signin_page_get_message (SdSigninPage *self);
gboolean    sd_signin_page_get_busy    (SdSigninPage *self);
void        sd_signin_page_reset       (SdSigninPage *self);
void        sd_signin_page_set_staff_no (SdSigninPage *self,
                                         const char   *staff_no);
GtkWidget  *sd_signin_page_get_pin_pad (SdSigninPage *self);

G_END_DECLS
