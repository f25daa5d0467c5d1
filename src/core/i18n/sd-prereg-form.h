/* sd-prereg-form.h: the pre-registration form a household fills in on a phone, in its own language, ending in its code.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTML file with nothing outside it: the texts of every evacuee
 * language (po/evacuee/), the page's script and the QR encoder of
 * Debian's node-qrcode-generator, built in.  A municipality puts it on
 * its web site or hands it out; it works offline once opened, sends
 * nothing anywhere (its Content-Security-Policy allows no connection),
 * and ends in an SDP1 code (docs/qr-format.md) the check-in desk reads
 * into the intake form.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The page written to PATH: beside it first, then renamed, so a failure
 * never leaves half a page under the name asked for. */
gboolean  sd_prereg_form_write (const char  *path,
                                GError     **error);

G_END_DECLS
