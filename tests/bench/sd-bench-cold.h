/* sd-bench-cold.h: a database file dropped from the page cache, for the figures of a cold start.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk that was just switched on reads its database from the disk,
 * not from memory; at a million persons that is the difference between
 * a second and a minute.  A cold figure is the first run after the
 * database (closed) was dropped from the OS page cache.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Drops the closed database PATH, its -wal and -shm, from the page cache:
 * posix_fadvise(DONTNEED) on each, and if that left more than 5 % of
 * PATH in memory and this process may, sync and drop_caches.  Returns
 * the share of PATH's pages still in memory after (0 to 1). */
double       sd_bench_evict          (const char *path);

/* How the evictions so far were done, and the most they left in memory,
 * as one sentence for the output. */
char        *sd_bench_evict_describe (void);

/* The share of PATH's pages in the page cache now (mincore). */
double       sd_bench_resident       (const char *path);

G_END_DECLS
