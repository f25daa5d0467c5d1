/* sd-error.c: error quarks of the core library.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-error.h"

G_DEFINE_QUARK (sd-store-error-quark, sd_store_error)
G_DEFINE_QUARK (sd-auth-error-quark, sd_auth_error)
G_DEFINE_QUARK (sd-data-error-quark, sd_data_error)
