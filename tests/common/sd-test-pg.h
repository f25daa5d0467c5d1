/* sd-test-pg.h: a real PostgreSQL for the tests, in a folder of its own, stopped at the end.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian's PostgreSQL 15 (initdb and pg_ctl from SD_PG_BINDIR, which
 * meson sets from pg_config), a cluster made in a temporary folder and
 * listening on a Unix socket in that folder only: no TCP port at all.
 * Run as root (CI), the cluster belongs to the unprivileged user nobody,
 * as PostgreSQL requires; the tests connect as its superuser
 * "shelterdesk" by the socket.  No mocks.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdTestPg SdTestPg;

/* Starts a cluster; NULL when PostgreSQL's programs are not installed
 * (the tests then skip, saying so). */
SdTestPg   *sd_test_pg_start        (void);
/* Stops the cluster (immediately) and deletes its folder. */
void        sd_test_pg_stop         (SdTestPg    *pg);
/* Makes the database NAME, empty, and returns its connection string. */
char       *sd_test_pg_new_database (SdTestPg    *pg,
                                     const char  *name);
/* The connection string of the database NAME (made or not). */
char       *sd_test_pg_conninfo     (SdTestPg    *pg,
                                     const char  *name);
/* Runs SQL in the database NAME with psql; its output, rows as "a|b". */
char       *sd_test_pg_psql         (SdTestPg    *pg,
                                     const char  *name,
                                     const char  *sql);

G_END_DECLS
