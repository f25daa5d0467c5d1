/* sd-bench-city.h: the generated cities the benchmarks run on, at any size, built once and kept in a cache.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A city is registered through the core's own calls (shelters, then
 * households with their check-in), so its file is exactly what the desk
 * would make of the same people.  Its contents follow from the shape and
 * the size alone (a fixed seed per shape); the ids, clocks and the site
 * name are the store's own, so two builds differ in those only.
 *
 * Building a city of 1 000 000 takes many minutes, so each one is kept
 * under ${XDG_CACHE_HOME:-~/.cache}/shelterdesk/bench/, named by size,
 * shape, schema version and generator version.  A city is built under a
 * temporary name and renamed when it is complete and closed, so a killed
 * build leaves no half city under a cached name.  Nothing writes to a
 * cached file: a benchmark works on a copy (sd_bench_city_copy()) and
 * removes it.
 */
#pragma once

#include "sd-core.h"

G_BEGIN_DECLS

/* Bump when a city of the same shape and size would come out otherwise. */
#define SD_BENCH_CITY_GENERATOR_VERSION 1

/* The one shelter the one-shelter report reads, in the intake shape. */
#define SD_BENCH_CITY_BIG_SHELTER 5000

typedef enum {
  /* bench-intake's: one shelter per 5 000 persons (20 at 100 000, 200 at
   * 1 000 000), shelter 0 holding 5 000 (up to the last household) and
   * the others sharing the rest in turn; households of 1 to 6, 2.5 on
   * average (persons × 0.4 households); everyone checked in. */
  SD_BENCH_CITY_INTAKE,
  /* bench-scan's: 5 shelters at every size (so the desk's shelter grows
   * with the city: 20 000 persons at 100 000, 200 000 at 1 000 000),
   * households of 1 to 4 given to them in turn, nine in ten checked in
   * and the tenth staying at home. */
  SD_BENCH_CITY_SCAN,
} SdBenchCityShape;

const char *sd_bench_city_shape_name   (SdBenchCityShape  shape);
gboolean    sd_bench_city_shape_parse  (const char       *name,
                                        SdBenchCityShape *shape);
guint       sd_bench_city_n_shelters   (SdBenchCityShape  shape,
                                        guint             persons);
guint       sd_bench_city_n_households (SdBenchCityShape  shape,
                                        guint             persons);

/* Registers the city in STORE, in transactions of some 100 000 persons. */
gboolean    sd_bench_city_build        (SdStore          *store,
                                        SdBenchCityShape  shape,
                                        guint             persons,
                                        GError          **error);

/* The city's shelter ids, shelter 0 first. */
GPtrArray  *sd_bench_city_shelter_ids  (SdStore          *store,
                                        SdBenchCityShape  shape,
                                        guint             persons,
                                        GError          **error);

/* Every person's id, in the order they were registered (ids are UUIDv7). */
GPtrArray  *sd_bench_city_person_ids   (SdStore          *store);

/* The cached city of this shape and size, built first if it is not there
 * (or was made by another schema of the same version).  BUILD_SECONDS, if
 * not NULL, is how long its build took, when it was built.  Prints a line
 * saying which. */
char       *sd_bench_city_get          (SdBenchCityShape  shape,
                                        guint             persons,
                                        double           *build_seconds,
                                        GError          **error);

/* The cached file's path if it is there and matches this build's schema. */
char       *sd_bench_city_lookup       (SdBenchCityShape  shape,
                                        guint             persons);

/* A private (0600) copy of the closed database FROM at TO, which must not
 * exist yet. */
gboolean    sd_bench_city_copy         (const char       *from,
                                        const char       *to,
                                        GError          **error);

/* The city of this shape and size (sd_bench_city_get()) copied into DIR
 * and opened; the copy's path in COPY (to be removed with
 * sd_database_files_remove()), and the cached file's in CACHED. */
SdStore    *sd_bench_city_open_copy    (SdBenchCityShape  shape,
                                        guint             persons,
                                        const char       *dir,
                                        char            **cached,
                                        char            **copy,
                                        double           *build_seconds,
                                        GError          **error);

/* What the file holds, without opening it for writing: its bytes, and the
 * bytes of the op-log (every table named oplog* with its indexes),
 * counted page by page with SQLite's dbstat. */
gboolean    sd_bench_city_measure      (const char       *path,
                                        gint64           *file_bytes,
                                        gint64           *oplog_bytes,
                                        GError          **error);

/* The city sizes to run, ascending, from SD_BENCH_SIZES ("100000,1000000"
 * by default). */
GArray     *sd_bench_sizes             (void);

/* "100k", "1M", "2500": for column heads. */
char       *sd_bench_size_label        (guint             persons);

G_END_DECLS
