/* sd-safety-web.h: the pages of the staff safety web form, in the language each phone asks for.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The receiver (sd-sync-server.c) serves these at /safety: sign in with
 * a staff number and PIN, answer on one page, see what was stored.  The
 * pages are the templates in data/web/, filled here; they need no
 * script, so they work on any phone.  Every string a person reads is
 * marked for translation and looked up in the asked language's
 * catalogue (sd-catalog.h): Japanese first, English on request.
 */
#pragma once

#include "sd-safety.h"
#include "sd-staff.h"

G_BEGIN_DECLS

typedef struct _SdSafetyWeb SdSafetyWeb;

#define SD_SAFETY_WEB_MAX_FORM_BYTES (8 * 1024)

SdSafetyWeb *sd_safety_web_new           (void);
void         sd_safety_web_free          (SdSafetyWeb *web);

/* "ja" or "en": ASKED ("?lang=" or the form's field) if it is one of
 * them, else the first of them in ACCEPT_LANGUAGE, else "ja". */
const char  *sd_safety_web_language      (const char  *asked,
                                          const char  *accept_language);
/* MSGID in LANG. */
const char  *sd_safety_web_text          (SdSafetyWeb *web,
                                          const char  *lang,
                                          const char  *msgid);

/* The pages, whole HTML documents.  NOTICE (already in LANG) is shown
 * as an alert when not NULL. */
char        *sd_safety_web_signin_page   (SdSafetyWeb *web,
                                          const char  *lang,
                                          const char  *staff_no,
                                          const char  *notice);
/* POSTED: the fields sent last time (kept when the answer was refused),
 * or NULL. */
char        *sd_safety_web_form_page     (SdSafetyWeb *web,
                                          const char  *lang,
                                          SdRollcall  *rollcall,
                                          SdStaff     *staff,
                                          const char  *csrf,
                                          GHashTable  *posted,
                                          const char  *notice);
char        *sd_safety_web_done_page     (SdSafetyWeb *web,
                                          const char  *lang,
                                          SdRollcall  *rollcall,
                                          SdStaff     *staff,
                                          const SdSafetyAnswerSpec *spec,
                                          gint64       answered_at);
/* ROLLCALL may be NULL (none is open). */
char        *sd_safety_web_message_page  (SdSafetyWeb *web,
                                          const char  *lang,
                                          SdRollcall  *rollcall,
                                          const char  *message);

/* What to tell the person about ERROR (signing in or storing), in LANG.
 * WAIT_S: how long the account is locked, for SD_AUTH_ERROR_LOCKED. */
char        *sd_safety_web_error_text    (SdSafetyWeb  *web,
                                          const char   *lang,
                                          const GError *error,
                                          guint         wait_s);

/* Reads the answer fields of FORM (strings borrowed from it) into SPEC.
 * FALSE with *PROBLEM set to the msgid saying what to fix: a question
 * not answered, or a value that is not one of the form's (a field
 * changed on the way). */
gboolean     sd_safety_web_read_answer   (GHashTable          *form,
                                          SdSafetyAnswerSpec  *spec,
                                          const char         **problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSafetyWeb, sd_safety_web_free)

G_END_DECLS
