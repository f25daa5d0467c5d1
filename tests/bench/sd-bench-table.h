/* sd-bench-table.h: a benchmark's table, each row at every city size, against its floor, with the growth.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures are gathered size by size while the benchmark runs and printed
 * at the end as one Markdown table: for each size the figure, its floor
 * (measured in the same run) and their ratio, then how much each grew
 * from the smallest size to the largest.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_BENCH_UNIT_MS,
  SD_BENCH_UNIT_BYTES,
} SdBenchUnit;

typedef struct _SdBenchTable SdBenchTable;

/* SIZES: the persons of each city, ascending.  OURS and FLOOR head the
 * two columns of each size ("ShelterDesk" and "floor"; FLOOR NULL: no
 * floor column); ABOUT_FLOOR, if not NULL, says under the title what the
 * floor is. */
SdBenchTable *sd_bench_table_new        (const char   *title,
                                         GArray       *sizes,
                                         const char   *ours,
                                         const char   *floor,
                                         const char   *about_floor);
void          sd_bench_table_set_unit   (SdBenchTable *self,
                                         SdBenchUnit   unit);
/* Rows whose ratio to the floor is under MIN_RATIO at every size are
 * left out of the table and named in a line below it. */
void          sd_bench_table_set_min_ratio (SdBenchTable *self,
                                         double        min_ratio);
/* FLOOR_V NAN: none for this row. */
void          sd_bench_table_add        (SdBenchTable *self,
                                         guint         size_index,
                                         const char   *what,
                                         const char   *stat,
                                         double        ours,
                                         double        floor_v);
void          sd_bench_table_add_note   (SdBenchTable *self,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (2, 3);
/* A figure already added, or NAN. */
double        sd_bench_table_get        (SdBenchTable *self,
                                         guint         size_index,
                                         const char   *what,
                                         const char   *stat);
void          sd_bench_table_print      (SdBenchTable *self);
void          sd_bench_table_free       (SdBenchTable *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBenchTable, sd_bench_table_free)

G_END_DECLS
