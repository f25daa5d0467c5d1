/* sd-safety-sheets.h: the staff who have not answered a roll-call, as call sheets (PDF) and as CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-safety.h"

G_BEGIN_DECLS

/* MISSING: SdStaff, as sd_store_list_safety_missing() gives them.  One
 * CSV row each (staff number, name, kana, department, section, rank,
 * phone), for Excel in Japan (sd-csv.h).  EXERCISE: the database is an
 * exercise's (sd_store_get_is_exercise), and every row says so. */
gboolean sd_safety_write_missing_csv (GListModel     *missing,
                                      gboolean        exercise,
                                      GOutputStream  *out,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* Call sheets on A4: a page (or more) per department, each person with
 * their phone and empty boxes for the caller to write when they called,
 * whether they reached them and what they said.  A drill's sheets say
 * so on every page, and so do an exercise's (EXERCISE).  Written beside
 * PATH and renamed, so a failure never leaves half a PDF under the name
 * asked for. */
gboolean sd_safety_write_call_sheets (SdRollcall     *rollcall,
                                      GListModel     *missing,
                                      gboolean        exercise,
                                      const char     *site_name,
                                      gint64          now_ms,
                                      const char     *path,
                                      GError        **error);

G_END_DECLS
