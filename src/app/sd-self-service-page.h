/* sd-self-service-page.h: the check-in kiosk turned to face evacuees, who scan their own cards.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SELF_SERVICE_PAGE (sd_self_service_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSelfServicePage, sd_self_service_page, SD, SELF_SERVICE_PAGE, GtkWidget)

SdSelfServicePage *sd_self_service_page_new          (void);

/* Back to the idle screen, in no one's language in particular. */
void        sd_self_service_page_reset               (SdSelfServicePage *self);

/* The check-in desk's answer to a scan (SdCheckinPage::answered), shown
 * to the person in their language until the page goes idle again. */
void        sd_self_service_page_show_answer         (SdSelfServicePage *self,
                                                      const char        *css,
                                                      SdPerson          *person,
                                                      const char        *answer);

/* As if the person tapped LANGUAGE's button (a code of
 * sd_evacuee_languages ()): the next answer is in it. */
void        sd_self_service_page_choose_language     (SdSelfServicePage *self,
                                                      const char        *language);

/* The kiosk's settings: whether the answer's sound cue plays
 * ("self-service-sound") and on which output ("sound-device"). */
void        sd_self_service_page_set_settings        (SdSelfServicePage *self,
                                                      GSettings         *settings);

/* How long an answer stays (6 s; tests shorten it). */
void        sd_self_service_page_set_answer_seconds  (SdSelfServicePage *self,
                                                      guint              seconds);

/* For tests: what the screen says now, line by line; idle, also what the
 * answer's screen still holds (nothing). */
char       *sd_self_service_page_dup_text            (SdSelfServicePage *self);
gboolean    sd_self_service_page_get_answer_shown    (SdSelfServicePage *self);

G_END_DECLS
