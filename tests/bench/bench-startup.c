/* bench-startup.c: cold start of the desk to its first painted frame, against a bare GTK window.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-startup SHELTERDESK SHELTERDESK_CLI SEEDS_DIR (under Xvfb).
 * Starts the real desk on a demo database, signed in (--demo), several
 * times; the desk prints the time from launch to its first painted frame
 * when SD_BENCH_LAUNCHED_US is set.  The floor is this program started
 * with --bare: an empty GtkWindow, the least any GTK program pays.
 */
#include <gtk/gtk.h>

#define RUNS 7

static void
bare_painted_cb (GdkFrameClock *clock, GtkWindow *window)
{
  gint64 launched = g_ascii_strtoll (g_getenv ("SD_BENCH_LAUNCHED_US"), NULL, 10);

  g_signal_handlers_disconnect_by_func (clock, bare_painted_cb, window);
  g_print ("first-frame-ms: %.1f\n", (g_get_monotonic_time () - launched) / 1000.0);
  gtk_window_destroy (window);
}

static gboolean
bare_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  g_signal_connect (clock, "after-paint", G_CALLBACK (bare_painted_cb), widget);
  return G_SOURCE_REMOVE;
}

static void
bare_activate_cb (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_widget_add_tick_callback (window, bare_tick_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static double
launch (char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *launched = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "SD_BENCH_LAUNCHED_US", launched, TRUE);
  const char *mark;
  int status;

  if (!g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error))
    g_error ("could not start %s: %s", argv[0], error->message);
  mark = out ? strstr (out, "first-frame-ms: ") : NULL;
  if (mark == NULL)
    g_error ("%s did not report its first frame (status %d)", argv[0], status);
  return g_ascii_strtod (mark + strlen ("first-frame-ms: "), NULL);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *self = NULL;
  double desk[RUNS], bare[RUNS];
  int status;

  if (argc == 2 && g_str_equal (argv[1], "--bare"))
    {
      g_autoptr(GtkApplication) app = gtk_application_new (NULL, G_APPLICATION_NON_UNIQUE);
      g_signal_connect (app, "activate", G_CALLBACK (bare_activate_cb), NULL);
      return g_application_run (G_APPLICATION (app), 1, argv);
    }
  if (argc != 4)
    {
      g_printerr ("usage: %s SHELTERDESK SHELTERDESK_CLI SEEDS_DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("sd-bench-startup-XXXXXX", NULL);
  db = g_build_filename (dir, "demo.sqlite", NULL);
  {
    char *init[] = { argv[2], "--db", db, "init", NULL };
    char *seed[] = { argv[2], "--db", db, "seed", "load", argv[3], NULL };
    g_assert (g_spawn_sync (NULL, init, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert (g_spawn_sync (NULL, seed, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
  }
  self = g_canonicalize_filename (argv[0], NULL);

  for (int i = 0; i < RUNS; i++)
    {
      char *desk_argv[] = { argv[1], "--db", db, "--demo", NULL };
      char *bare_argv[] = { self, "--bare", NULL };

      desk[i] = launch (desk_argv);
      bare[i] = launch (bare_argv);
    }
  qsort (desk, RUNS, sizeof (double), compare_double);
  qsort (bare, RUNS, sizeof (double), compare_double);

  g_print ("ShelterDesk cold start to first frame, %d runs (floor: an empty GTK window)\n\n", RUNS);
  g_print ("| %-41s | %10s | %10s | %10s |\n", "program", "median", "min", "max");
  g_print ("|-------------------------------------------|------------|------------|------------|\n");
  g_print ("| %-41s | %7.1f ms | %7.1f ms | %7.1f ms |\n", "shelterdesk --demo (demo city, signed in)",
           desk[RUNS / 2], desk[0], desk[RUNS - 1]);
  g_print ("| %-41s | %7.1f ms | %7.1f ms | %7.1f ms |\n", "empty GtkWindow", bare[RUNS / 2], bare[0], bare[RUNS - 1]);
  g_print ("\nratio (median): %.2fx; target: interactive in under 1000 ms -> %s\n",
           desk[RUNS / 2] / bare[RUNS / 2], desk[RUNS / 2] < 1000 ? "met" : "NOT met");
  return 0;
}
