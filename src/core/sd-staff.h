/* sd-staff.h: staff accounts, their roles, and signing in with a PIN.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PINs are 4 to 8 digits (6 to 8 for a lead or HQ), stored only as Argon2id hashes
 * (crypto_pwhash_str).  Verifying one costs tens of milliseconds on
 * purpose, so the desk calls sd_store_sign_in_async().  After
 * SD_SIGN_IN_MAX_FAILURES wrong PINs in a row an account is locked for
 * SD_SIGN_IN_LOCK_SECONDS, which is what makes a short PIN bearable.
 */
#pragma once

#include "sd-desk.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_SIGN_IN_MAX_FAILURES 5
#define SD_SIGN_IN_LOCK_SECONDS 60

typedef struct {
  const char *staff_no;    /* required, unique */
  const char *name;        /* required */
  const char *kana;
  const char *department;  /* 部 */
  const char *section;     /* 課 */
  const char *rank;        /* 職層 */
  SdRole      role;
  const char *phone;       /* for the call sheets of those who have not answered */
} SdStaffSpec;

#define SD_TYPE_STAFF (sd_staff_get_type ())
G_DECLARE_FINAL_TYPE (SdStaff, sd_staff, SD, STAFF, GObject)

const char *sd_staff_get_id         (SdStaff *self);
const char *sd_staff_get_staff_no   (SdStaff *self);
const char *sd_staff_get_name       (SdStaff *self);
const char *sd_staff_get_kana       (SdStaff *self);
const char *sd_staff_get_department (SdStaff *self);
const char *sd_staff_get_section    (SdStaff *self);
const char *sd_staff_get_rank       (SdStaff *self);
const char *sd_staff_get_phone      (SdStaff *self);
SdRole      sd_staff_get_role       (SdStaff *self);
gboolean    sd_staff_get_has_pin    (SdStaff *self);

gboolean    sd_pin_is_well_formed   (const char *pin);
/* The fewest digits a new PIN of ROLE may have: 6 for a role that reads
 * every evacuee's record (lead, HQ), 4 for a volunteer. */
guint       sd_role_min_pin_length  (SdRole      role);

SdStaff    *sd_store_add_staff      (SdStore           *store,
                                     const SdStaffSpec *spec,
                                     const char        *pin,
                                     GError           **error);
gboolean    sd_store_set_staff_pin  (SdStore           *store,
                                     const char        *staff_no,
                                     const char        *pin,
                                     GError           **error);
/* STAFF_NO's PIN as FROM holds it (its hash: the PIN itself is never
 * known), set on TO: a player in a drill signs in at its kiosks with
 * their own PIN.  Each site still holds only the hashes of the people
 * who sign in there. */
gboolean    sd_store_copy_staff_pin (SdStore           *from,
                                     SdStore           *to,
                                     const char        *staff_no,
                                     GError           **error);
SdStaff    *sd_store_find_staff     (SdStore           *store,
                                     const char        *staff_no,
                                     GError           **error);
GListModel *sd_store_list_staff     (SdStore           *store,
                                     GError           **error);
/* The same, by department, section and staff number: a roster's order. */
GListModel *sd_store_list_staff_by_department (SdStore     *store,
                                               GError     **error);

guint       sd_store_get_signin_wait (SdStore          *store,
                                      const char       *staff_no);
SdStaff    *sd_store_sign_in        (SdStore           *store,
                                     const char        *staff_no,
                                     const char        *pin,
                                     GError           **error);
void        sd_store_sign_in_async  (SdStore           *store,
                                     const char        *staff_no,
                                     const char        *pin,
                                     GCancellable      *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer           user_data);
SdStaff    *sd_store_sign_in_finish (SdStore           *store,
                                     GAsyncResult      *result,
                                     GError           **error);

G_END_DECLS
