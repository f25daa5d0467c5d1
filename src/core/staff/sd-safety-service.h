/* sd-safety-service.h: the staff safety web form as the receiver serves it: its requests, its sessions, its answers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The receiver (sd-sync-server.c) owns connections, limits and threads;
 * this owns what /safety means.  A request is taken on the listening
 * thread: either it is answered at once (a page needing no store, a
 * refusal), or it comes back as an SdSafetyRequest, the work to do at the
 * store.  The receiver runs that on the store's thread; a sign-in then
 * asks to go on to sd_safety_request_verify() (Argon2id) on another
 * thread, and back to the store's thread; at last the receiver hands the
 * request back here, on the listening thread, to be answered.
 */
#pragma once

#include "sd-store.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SdSafetyService SdSafetyService;
typedef struct _SdSafetyRequest SdSafetyRequest;

typedef enum {
  SD_SAFETY_ROUTE_NONE,   /* not the form's */
  SD_SAFETY_ROUTE_PAGE,   /* GET /safety */
  SD_SAFETY_ROUTE_POST,   /* POST /safety/signin, /safety/signout, /safety/answer */
} SdSafetyRoute;

SdSafetyService *sd_safety_service_new        (void);
void             sd_safety_service_free       (SdSafetyService   *service);
/* Signs every phone out (the receiver stopped). */
void             sd_safety_service_clear      (SdSafetyService   *service);
/* Cookies marked Secure: the receiver speaks HTTPS. */
void             sd_safety_service_set_secure (SdSafetyService   *service,
                                               gboolean           secure);
SdSafetyRoute    sd_safety_service_route      (const char        *path);
/* The largest form body taken (the early handler refuses more). */
#define SD_SAFETY_SERVICE_FORM_TYPE "application/x-www-form-urlencoded"

/* On the listening thread, after the body.  NULL when MSG is answered
 * already; else the work to do at the store. */
SdSafetyRequest *sd_safety_service_take       (SdSafetyService   *service,
                                               SoupServerMessage *msg,
                                               const char        *path,
                                               GHashTable        *query);
/* On the listening thread: the answer, once the work is done; or that
 * the receiver is too busy to queue it. */
void             sd_safety_service_answer     (SdSafetyService   *service,
                                               SdSafetyRequest   *request,
                                               SoupServerMessage *msg);
void             sd_safety_service_busy       (SdSafetyService   *service,
                                               SdSafetyRequest   *request,
                                               SoupServerMessage *msg);

/* On the store's thread.  TRUE when the request must go on to
 * sd_safety_request_verify() on another thread, then be run here again. */
gboolean         sd_safety_request_run        (SdSafetyRequest   *request,
                                               SdStore           *store);
/* Anywhere, with no store: the slow part of a sign-in. */
void             sd_safety_request_verify     (SdSafetyRequest   *request);
void             sd_safety_request_free       (SdSafetyRequest   *request);

G_END_DECLS
