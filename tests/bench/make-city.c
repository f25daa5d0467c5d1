/* make-city.c: a generated city of any size in a file of its own, for trying the desk on many people.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   make-city --persons 1000000 --out city.sqlite [--shape intake|scan] [--seeds DIR]
 *
 * The same cities the benchmarks run on (sd-bench-city.h): copied from
 * the benchmarks' cache when it holds this one, else built, which takes
 * about a minute for 100 000 persons.  With --seeds the demo's staff,
 * shelters and evacuees are loaded first, so that `shelterdesk --db FILE
 * --demo` signs in as the demo's shelter lead.
 */
#include "sd-bench-city.h"
#include "sd-bench.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

static gboolean
build (const char        *out,
       SdBenchCityShape   shape,
       guint              persons,
       const char        *seeds,
       GError           **error)
{
  g_autofree char *building = g_strdup_printf ("%s.building-%d", out, (int) getpid ());
  g_autoptr(SdStore) store = sd_store_open (building, SD_STORE_OPEN_CREATE, error);

  if (store == NULL ||
      (seeds != NULL && !sd_seed_load (store, seeds, NULL, error)) ||
      !sd_bench_city_build (store, shape, persons, error))
    {
      g_clear_object (&store);
      sd_database_files_remove (building);
      return FALSE;
    }
  g_clear_object (&store);
  if (g_rename (building, out) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Could not rename %s to %s", building, out);
      sd_database_files_remove (building);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— a generated city for ShelterDesk");
  g_autofree char *out = NULL, *seeds = NULL, *shape_name = NULL, *cached = NULL;
  int persons = 100000;
  SdBenchCityShape shape = SD_BENCH_CITY_INTAKE;
  gint64 file_bytes = 0, oplog_bytes = 0;
  double t0 = now_ms ();
  const GOptionEntry entries[] = {
    { "persons", 0, 0, G_OPTION_ARG_INT, &persons, "How many persons (100000)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "The database to make; it must not exist", "FILE" },
    { "shape", 0, 0, G_OPTION_ARG_STRING, &shape_name,
      "intake: one shelter per 5 000, all checked in (the default); scan: 5 shelters, nine in ten checked in",
      "SHAPE" },
    { "seeds", 0, 0, G_OPTION_ARG_FILENAME, &seeds, "Load this seed folder first (the demo's: seeds/)", "DIR" },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (shape_name != NULL && !sd_bench_city_shape_parse (shape_name, &shape)) ||
      out == NULL || persons < 1)
    {
      g_printerr ("%s\nUsage: make-city --persons N --out FILE [--shape intake|scan] [--seeds DIR]\n",
                  error != NULL ? error->message : "");
      return 2;
    }
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s exists already: give a new file.\n", out);
      return 1;
    }

  cached = seeds == NULL ? sd_bench_city_lookup (shape, (guint) persons) : NULL;
  if (cached != NULL ? !sd_bench_city_copy (cached, out, &error)
                     : !build (out, shape, (guint) persons, seeds, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!sd_bench_city_measure (out, &file_bytes, &oplog_bytes, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s %s: %d persons in %u shelters (%s shape), %.0f MB (%.0f bytes a person, of which %.0f the "
           "op-log), in %.1f s.\n",
           cached != NULL ? "Copied from the benchmarks' cache" : "Built", out, persons,
           sd_bench_city_n_shelters (shape, (guint) persons), sd_bench_city_shape_name (shape), file_bytes / 1e6,
           (double) file_bytes / persons, (double) oplog_bytes / persons, (now_ms () - t0) / 1000);
  if (seeds != NULL)
    g_print ("Open it: shelterdesk --db %s --demo\n", out);
  else
    g_print ("It has no staff yet: add a lead with\n"
             "  shelterdesk-cli --db %s staff add --staff-no 2001 --name \"防災 花子\" --role lead --pin-stdin\n"
             "then open it: shelterdesk --db %s\n", out, out);
  return 0;
}
