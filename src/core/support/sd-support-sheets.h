/* sd-support-sheets.h: visit lists of the support list, on paper (PDF) and as CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-support.h"

G_BEGIN_DECLS

/* The people of FILTER (NULL: everyone listed) grouped by district, or
 * by supporter when BY_SUPPORTER (a person with two supporters is on
 * both lists; one with none on "no supporter"). */

/* A4, large type: a page (or more) a group, each person with the
 * address, phone, reason, what to bring and the emergency contact, and
 * boxes to tick (visited at, one box a status) and write in.  Written
 * beside PATH and renamed.  *OUT_PEOPLE: how many rows were printed.
 * An exercise's lists carry its mark on every page. */
gboolean sd_support_write_visit_lists (SdStore                *store,
                                       const SdSupportFilter  *filter,
                                       gboolean                by_supporter,
                                       const char             *site_name,
                                       gint64                  now_ms,
                                       const char             *path,
                                       guint                  *out_people,
                                       GError                **error);

/* The same rows as CSV for Excel in Japan (sd-csv.h): group, number,
 * name, kana, age, address, phone, reason, care level, disability, what
 * to bring, emergency contact, status.  An exercise's rows each start
 * with a cell that says so (sd_csv_writer_mark_exercise). */
gboolean sd_support_write_visit_csv   (SdStore                *store,
                                       const SdSupportFilter  *filter,
                                       gboolean                by_supporter,
                                       GOutputStream          *out,
                                       GCancellable           *cancellable,
                                       GError                **error);

G_END_DECLS
