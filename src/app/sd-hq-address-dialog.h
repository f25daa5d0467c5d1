/* sd-hq-address-dialog.h: a kiosk's address of HQ's receiver, and HQ's certificate: set, tested, saved.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

/* What "Test the connection" found. */
typedef enum {
  SD_HQ_TEST_NONE,          /* not tested (or the address changed since) */
  SD_HQ_TEST_RUNNING,
  SD_HQ_TEST_KNOWN,         /* HQ answered and knows this kiosk */
  SD_HQ_TEST_NOT_ENROLLED,  /* HQ answered, but has not enrolled this kiosk */
  SD_HQ_TEST_REVOKED,       /* HQ answered, and revoked this kiosk */
  SD_HQ_TEST_NOT_HQ,        /* something answered that is not this deployment's HQ */
  SD_HQ_TEST_NO_ANSWER,     /* nothing answered */
  SD_HQ_TEST_UNTRUSTED,     /* HQ's certificate is not trusted */
  SD_HQ_TEST_FAILED,        /* HQ or this kiosk could not do it now */
} SdHqTest;

#define SD_TYPE_HQ_ADDRESS_DIALOG (sd_hq_address_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdHqAddressDialog, sd_hq_address_dialog, SD, HQ_ADDRESS_DIALOG, AdwWindow)

/* The kiosk STORE's address is read from and saved to STORE, the
 * certificate file to SETTINGS' hq-tls-ca.  Emits "saved" when both are. */
SdHqAddressDialog *sd_hq_address_dialog_new              (GtkWindow         *parent,
                                                          SdStore           *store,
                                                          GSettings         *settings);
/* What the chooser does when a file is chosen; NULL forgets it. */
void               sd_hq_address_dialog_set_ca_file      (SdHqAddressDialog *self,
                                                          const char        *path);
SdHqTest           sd_hq_address_dialog_get_test         (SdHqAddressDialog *self);
/* What the dialog says under the address: its problem, or how to write it. */
const char        *sd_hq_address_dialog_get_url_message  (SdHqAddressDialog *self);
/* What the dialog says about the last test. */
const char        *sd_hq_address_dialog_get_test_message (SdHqAddressDialog *self);

G_END_DECLS
