/* sd-staff-private.h: signing in, in its three steps, for a caller that runs them on threads of its own.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sd_store_sign_in_async() verifies the PIN on a thread of GIO's pool.
 * The receiver's web form instead verifies in a bounded pool of its own,
 * so that many phones signing in at once never hold up the store's
 * thread, where signed-in staff's answers are written: prepare and
 * record run on the store's thread, verify (Argon2id) anywhere.
 */
#pragma once

#include "sd-staff.h"

G_BEGIN_DECLS

typedef struct _SdSignIn SdSignIn;

/* The account, its hash and its lock; NULL with an SD_AUTH_ERROR. */
SdSignIn *_sd_sign_in_prepare (SdStore     *store,
                               const char  *staff_no,
                               const char  *pin,
                               GError     **error);
/* The slow part: any thread, no store. */
void      _sd_sign_in_verify  (SdSignIn    *sign_in);
/* Counts a failure (and locks) or clears them; the staff member, or NULL
 * with an SD_AUTH_ERROR. */
SdStaff  *_sd_sign_in_record  (SdStore     *store,
                               SdSignIn    *sign_in,
                               GError     **error);
void      _sd_sign_in_free    (SdSignIn    *sign_in);

G_END_DECLS
