/* test-exercise.c: a tabletop exercise run from the facilitator's console, an inject reaching a player's check-in desk and acknowledged there.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real windows under Xvfb on an exercise database made from the demo.
 * The console (HQ) and the player's desk (a volunteer at S01's check-in)
 * open the file each with its own SdStore, as two processes would: what
 * the console's engine delivers reaches the player through the file
 * alone.  What the windows did is read back from the file; every screen
 * is checked at the kiosk sizes and kept as a screenshot.
 */
#include "sd-checkin-page.h"
#include "sd-exercise.h"
#include "sd-exercise-live.h"
#include "sd-exercise-page.h"
#include "sd-exercise-row.h"
#include "sd-exercise-snapshot.h"
#include "sd-inject-strip.h"
#include "sd-ui-test.h"

#include <string.h>

static char *dir;
static char *demo_path;
static char *db_path;

/* Short, and long enough not to end while the test looks at it. */
static const char scenario[] =
  "serial,time,from,to,description,expected,action\n"
  "1,T+00:00,,,S01 を開設,,shelter-open S01\n"
  "2,T+00:05,統制部,S01 受付,受付に30人の列ができ、割り込みをめぐって口論が起きています。,受付を2列にし、整理券を配る,\n"
  "3,T+00:10,統制部,本部,S01 から人手が足りないと電話がありました。,応援職員の派遣を決める,\n"
  "4,T+00:20,,,住民が到着,,arrivals shelter=S01 people=6 over=10m\n"
  "5,T+01:00,統制部,全員,震度5弱の余震。,被害の確認,\n"
  "6,T+02:00,統制部,S01,断水の見込み。,給水の手配,\n"
  "7,T+03:00,統制部,本部,報道機関から取材の申し込み。,対応者を決める,\n";

static void
check_screen (GtkWidget  *widget,
              int         width,
              int         height,
              const char *name)
{
  g_autofree char *shot = g_strdup_printf ("exercise-%dx%d-%s", width, height, name);

  sd_ui_check_screen (widget, width, height, shot);
}

static char *
sql_text (const char *sql)
{
  return sd_ui_sql_text (db_path, sql);
}

static char *
state_of (const char *serial)
{
  g_autofree char *sql = g_strdup_printf ("SELECT state FROM exercise_injects WHERE serial = '%s'", serial);

  return sql_text (sql);
}

static char *
write_scenario (const char *name,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

static SdExercisePage *
show_console (SdWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "exercise"));
  sd_ui_run_for (200);
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "exercise");
  return SD_EXERCISE_PAGE (sd_window_get_desk_page (window, "exercise"));
}

static gboolean
is_strip (GtkWidget *widget, gconstpointer data)
{
  return SD_IS_INJECT_STRIP (widget);
}

static SdInjectStrip *
strip_of (SdWindow *window)
{
  return SD_INJECT_STRIP (sd_ui_find (GTK_WIDGET (window), is_strip, NULL));
}

static gboolean
has_placeholder (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ENTRY (widget) && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), data) == 0;
}

static GtkWidget *
entry_with (SdExercisePage *page,
            const char     *placeholder)
{
  GtkWidget *entry = sd_ui_find (GTK_WIDGET (page), has_placeholder, placeholder);

  g_assert_nonnull (entry);
  return entry;
}

typedef struct {
  const char *action;
  const char *serial;
} ButtonWanted;

static gboolean
is_button_for (GtkWidget *widget, gconstpointer data)
{
  const ButtonWanted *wanted = data;
  GVariant *target;

  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), wanted->action) != 0)
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), wanted->serial) == 0;
}

static GtkWidget *
strip_button (SdWindow   *window,
              const char *action,
              const char *serial)
{
  ButtonWanted wanted = { action, serial };

  return sd_ui_find (GTK_WIDGET (strip_of (window)), is_button_for, &wanted);
}

static gboolean
is_switch_to (GtkWidget *widget, gconstpointer data)
{
  GtkWidget *child;

  if (!GTK_IS_TOGGLE_BUTTON (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  child = gtk_button_get_child (GTK_BUTTON (widget));
  return GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), data) == 0;
}

static gboolean
is_column_view (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_COLUMN_VIEW (widget);
}

static gboolean
scrubber_showed (gpointer page)
{
  SdExerciseScrubber *scrubber = sd_exercise_page_get_scrubber (page);

  return gtk_widget_get_mapped (GTK_WIDGET (scrubber)) && sd_exercise_scrubber_get_summary (scrubber) != NULL;
}

/* A real click in the middle of WIDGET (its window is on top, at 0,0:
 * Xvfb has no window manager). */
static void
click (GtkWidget *widget)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t bounds;
  double ox = 0, oy = 0;
  g_autofree char *x = NULL, *y = NULL;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &ox, &oy);
  x = g_strdup_printf ("%d", (int) (bounds.origin.x + bounds.size.width / 2 + ox));
  y = g_strdup_printf ("%d", (int) (bounds.origin.y + bounds.size.height / 2 + oy));
  {
    const char *argv[] = { "xdotool", "mousemove", x, y, "click", "1", NULL };

    sd_ui_xdotool (argv);
  }
  sd_ui_run_for (200);
}

typedef struct {
  SdWindow   *window;
  const char *serial;
  const char *state;   /* NULL: not shown */
} StripWait;

static gboolean
strip_shows (gpointer data)
{
  StripWait *wait = data;
  GListModel *shown = sd_inject_strip_get_injects (strip_of (wait->window));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (shown, i);

      if (g_strcmp0 (sd_exercise_inject_get_serial (inject), wait->serial) == 0)
        return g_strcmp0 (sd_exercise_inject_get_state (inject), wait->state) == 0;
    }
  return wait->state == NULL;
}

static void
wait_strip (SdWindow   *window,
            const char *serial,
            const char *state)
{
  StripWait wait = { window, serial, state };

  sd_ui_wait_for (strip_shows, &wait);
}

static gboolean
runner_settled (gpointer page)
{
  SdExerciseRunnerState state = sd_exercise_runner_get_state (sd_exercise_page_get_runner (page));

  return state != SD_EXERCISE_RUNNER_LOADING;
}

typedef struct {
  const char *serial;
  const char *state;
} StateWait;

static gboolean
file_state_is (gpointer data)
{
  StateWait *wait = data;
  g_autofree char *state = state_of (wait->serial);

  return g_strcmp0 (state, wait->state) == 0;
}

static void
wait_file_state (const char *serial,
                 const char *state)
{
  StateWait wait = { serial, state };

  sd_ui_wait_for (file_state_is, &wait);
}

static gboolean
lists_all_injects (gpointer page)
{
  return g_list_model_get_n_items (sd_exercise_page_get_injects (page)) == 7;
}

static gboolean
arrivals_started (gpointer data)
{
  g_autofree char *played = sql_text ("SELECT played FROM exercise_injects WHERE serial = '4'");

  return g_strcmp0 (played, "0") != 0;
}

static SdExerciseRow *
row_of (SdExercisePage *page,
        const char     *serial)
{
  GListModel *rows = sd_exercise_page_get_injects (page);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SdExerciseRow) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (sd_exercise_row_get_serial (row), serial) == 0)
        return row;  /* the list keeps it */
    }
  return NULL;
}

static char *
row_text (SdExercisePage *page,
          const char     *serial,
          const char     *property)
{
  char *text = NULL;

  g_object_get (row_of (page, serial), property, &text, NULL);
  return text;
}

/* A live database has no exercise desk and no strip. */
static void
test_not_on_live (void)
{
  SdWindow *window = sd_ui_open_window (demo_path, 1366, 768, "1003", "999999");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "exercise");
  sd_ui_run_for (100);
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "home");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (strip_of (window))));
  sd_ui_close_window (window);
}

/* A scenario with a bad time is refused whole, with the file and the
 * line, on the page; nothing is written. */
static void
test_bad_scenario (void)
{
  SdWindow *window = sd_ui_open_window (db_path, 1366, 768, "1003", "999999");
  SdExercisePage *page = show_console (window);
  g_autofree char *path = write_scenario ("bad-times.csv", "serial,time,description\n1,T+00:00,ok\n2,T+25:99,bad\n");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *injects = NULL;
  const char *message;

  sd_exercise_page_load (page, file);
  sd_ui_wait_for (runner_settled, page);
  g_assert_cmpint (sd_exercise_runner_get_state (sd_exercise_page_get_runner (page)), ==, SD_EXERCISE_RUNNER_FAILED);
  sd_exercise_page_refresh (page);
  message = sd_exercise_page_get_message (page);
  g_test_message ("%s", message);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "bad-times.csv"));
  g_assert_nonnull (strstr (message, "3"));
  injects = sql_text ("SELECT count (*) FROM exercise_injects");
  g_assert_cmpstr (injects, ==, "0");
  check_screen (GTK_WIDGET (window), 1366, 768, "console-bad-scenario");
  sd_ui_close_window (window);
}

/* The whole run: load, start at 60×, the inject for S01's reception
 * reaches the volunteer's check-in desk in another window on its own
 * store, 確認 there is stamped and timed on the console, the facilitator
 * steers injects and writes an observation, Pause stops the clock. */
static void
test_run (void)
{
  SdWindow *console = sd_ui_open_window (db_path, 1366, 768, "1003", "999999");
  SdExercisePage *page = show_console (console);
  g_autofree char *path = write_scenario ("small.csv", scenario);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SdWindow *player;

  check_screen (GTK_WIDGET (console), 1366, 768, "console-empty");

  /* Loaded: the injects are in the file, waiting for Start. */
  sd_exercise_page_load (page, file);
  sd_ui_wait_for (runner_settled, page);
  g_assert_null (sd_exercise_runner_get_error (sd_exercise_page_get_runner (page)));
  g_assert_cmpint (sd_exercise_runner_get_state (sd_exercise_page_get_runner (page)), ==, SD_EXERCISE_RUNNER_TICKING);
  sd_ui_wait_for (lists_all_injects, page);
  {
    g_autofree char *state = sql_text ("SELECT state FROM exercise_run");

    g_assert_cmpstr (state, ==, "ready");
  }
  sd_ui_run_for (600);  /* ticks while ready play nothing */
  {
    g_autofree char *state = state_of ("1");

    g_assert_cmpstr (state, ==, "pending");
  }

  /* 60×, then Start, through the page's own actions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.speed", "i", 60));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.start", NULL));
  {
    g_autofree char *state = sql_text ("SELECT state || ' ' || speed FROM exercise_run");

    g_assert_cmpstr (state, ==, "running 60");
  }
  wait_file_state ("1", "done");
  {
    g_autofree char *open = sql_text ("SELECT is_open FROM shelters WHERE code = 'S01'");

    g_assert_cmpstr (open, ==, "1");
  }

  /* The volunteer's check-in desk at S01, in a window of its own on the
   * same file. */
  player = sd_ui_open_window (db_path, 1024, 600, "1002", "1111");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (player), "win.show-desk", "s", "checkin"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdShelter) s01 = sd_store_find_shelter (sd_window_get_store (player), "S01", &error);
    SdCheckinPage *checkin = SD_CHECKIN_PAGE (sd_window_get_desk_page (player, "checkin"));

    g_assert_no_error (error);
    sd_shelter_picker_set_shelter_id (sd_checkin_page_get_shelter_picker (checkin), sd_shelter_get_id (s01));
  }
  wait_strip (player, "2", "delivered");
  /* Not S01's: HQ's inject never shows at the shelter. */
  wait_file_state ("3", "delivered");
  sd_ui_run_for (2500);
  g_assert_true (strip_shows (&(StripWait) { player, "3", NULL }));
  check_screen (GTK_WIDGET (player), 1024, 600, "checkin-strip");
  /* One bar, not two: while the strip shows, its striped tag is the
   * exercise band. */
  {
    GtkWidget *band = sd_window_get_exercise_band (player);

    g_assert_true (band == sd_inject_strip_get_band (strip_of (player)));
    g_assert_true (gtk_widget_get_mapped (band));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (band)), "EXERCISE"));
  }

  /* 確認, a real click: stamped in the file, and the strip says so. */
  click (strip_button (player, "strip.acknowledge", "2"));
  {
    g_autofree char *state = state_of ("2");

    g_assert_cmpstr (state, ==, "acknowledged");
  }
  wait_strip (player, "2", "acknowledged");
  g_assert_null (strip_button (player, "strip.acknowledge", "2"));
  g_assert_nonnull (strip_button (player, "strip.done", "2"));
  g_assert_null (sd_inject_strip_get_message (strip_of (player)));
  check_screen (GTK_WIDGET (player), 1024, 600, "checkin-acknowledged");
  /* S01's intake desk plays for S01 too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (player), "win.show-desk", "s", "intake"));
  wait_strip (player, "2", "acknowledged");
  check_screen (GTK_WIDGET (player), 1024, 600, "intake-strip");
  {
    g_autofree char *timed = sql_text ("SELECT count (*) FROM exercise_injects WHERE serial = '2' "
                                       "AND acknowledged_ms >= delivered_ms AND delivered_ms >= 300000");

    g_assert_cmpstr (timed, ==, "1");
  }

  /* The console: the acknowledgement and its timer, the other timer
   * still running. */
  sd_ui_run_for (600);
  {
    g_autofree char *state = row_text (page, "2", "state");
    g_autofree char *to_ack = row_text (page, "2", "to-acknowledged");
    g_autofree char *to_done = NULL, *to_done_later = NULL;

    g_assert_cmpstr (state, ==, g_dpgettext2 ("shelterdesk", "inject", "Acknowledged"));
    g_assert_cmpstr (to_ack, !=, "");
    to_done = row_text (page, "2", "to-done");
    sd_ui_run_for (1200);
    to_done_later = row_text (page, "2", "to-done");
    g_test_message ("inject 2: acknowledged after %s, open for %s then %s", to_ack, to_done, to_done_later);
    g_assert_cmpstr (to_done, !=, to_done_later);
  }

  /* The facilitator steers: 5 now, 6 skipped, 7 re-timed. */
  g_assert_true (sd_exercise_page_select (page, "5"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.deliver-now", NULL));
  g_assert_true (sd_exercise_page_select (page, "6"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.skip", NULL));
  g_assert_true (sd_exercise_page_select (page, "7"));
  gtk_editable_set_text (GTK_EDITABLE (entry_with (page, "T+00:30")), "ｔ＋００：４０");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.retime", NULL));
  {
    g_autofree char *due = sql_text ("SELECT due_ms || ' ' || planned_ms FROM exercise_injects WHERE serial = '7'");

    g_assert_cmpstr (due, ==, "2400000 10800000");
    g_assert_null (sd_exercise_page_get_message (page));
  }
  wait_file_state ("5", "delivered");
  {
    g_autofree char *skipped = state_of ("6");

    g_assert_cmpstr (skipped, ==, "skipped");
  }
  /* 全員 reaches S01's desk too. */
  wait_strip (player, "5", "delivered");

  /* An observation about inject 2, stamped in exercise time. */
  g_assert_true (sd_exercise_page_select (page, "2"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.add-observation", NULL));
  {
    g_autofree char *none = sql_text ("SELECT count (*) FROM exercise_observations");
    g_autofree char *one = NULL;

    /* Empty: refused, said on the page. */
    g_assert_cmpstr (none, ==, "0");
    g_assert_nonnull (sd_exercise_page_get_message (page));
    gtk_editable_set_text (GTK_EDITABLE (entry_with (page, g_dgettext ("shelterdesk", "What you saw"))),
                           "受付担当が列の整理を始めるまで約3分");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.add-observation", NULL));
    g_assert_null (sd_exercise_page_get_message (page));
    one = sql_text ("SELECT count (*) FROM exercise_observations WHERE serial = '2' AND at_ms >= 300000");
    g_assert_cmpstr (one, ==, "1");
  }

  check_screen (GTK_WIDGET (console), 1366, 768, "console-running");

  /* Pause: the clock stands still, on the page and in the file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.pause", NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_READ_ONLY, &error);
    SdExerciseClock clock;
    g_autofree char *shown = NULL;
    gint64 then;

    g_assert_no_error (error);
    g_assert_true (sd_exercise_get_clock (store, &clock, &error));
    g_assert_cmpint (clock.state, ==, SD_EXERCISE_PAUSED);
    then = sd_exercise_clock_now (&clock, g_get_real_time () / 1000);
    sd_exercise_clock_clear (&clock);
    sd_exercise_page_refresh (page);
    shown = g_strdup (sd_exercise_page_get_clock_text (page));
    sd_ui_run_for (1500);
    g_assert_true (sd_exercise_get_clock (store, &clock, &error));
    g_assert_cmpint (sd_exercise_clock_now (&clock, g_get_real_time () / 1000), ==, then);
    sd_exercise_clock_clear (&clock);
    g_assert_cmpstr (sd_exercise_page_get_clock_text (page), ==, shown);
    g_test_message ("paused at %s", shown);
  }

  /* The same desk on a kiosk's screen. */
  gtk_window_set_default_size (GTK_WINDOW (player), 1366, 768);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (player), "win.show-desk", "s", "checkin"));
  sd_ui_run_for (800);
  check_screen (GTK_WIDGET (player), 1366, 768, "checkin-strip");

  /* 完了 by the player: gone from the strip, done by the player. */
  click (strip_button (player, "strip.done", "2"));
  wait_strip (player, "2", NULL);
  {
    g_autofree char *done = sql_text ("SELECT state || ' ' || done_by FROM exercise_injects WHERE serial = '2'");

    g_assert_cmpstr (done, ==, "done player");
  }
  sd_ui_close_window (player);

  /* The console on a small screen: 1024×600. */
  gtk_window_set_default_size (GTK_WINDOW (console), 1024, 600);
  sd_ui_run_for (800);
  g_assert_true (sd_exercise_page_select (page, "7"));
  check_screen (GTK_WIDGET (console), 1024, 600, "console-paused");

  /* The desks over time: a real click on the console's second view,
   * the day so far on the slider, then back to the injects. */
  click (sd_ui_find (GTK_WIDGET (page), is_switch_to, g_dgettext ("shelterdesk", "The desks over time")));
  sd_ui_wait_for (scrubber_showed, page);
  {
    SdExerciseScrubber *scrubber = sd_exercise_page_get_scrubber (page);

    g_test_message ("the desks at T+%" G_GINT64_FORMAT " min: %s", sd_exercise_scrubber_get_time (scrubber) / 60000,
                    sd_exercise_scrubber_get_summary (scrubber));
    /* What the snapshot of that moment holds, read here on a store of
     * its own: the latest moment, since it is shown the first time. */
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_READ_ONLY, &error);
      g_autoptr(SdExerciseSnapshot) expected = NULL;
      g_autofree char *expected_text = NULL;
      SdExerciseClock clock;

      g_assert_no_error (error);
      g_assert_true (sd_exercise_get_clock (store, &clock, &error));
      g_assert_cmpint (sd_exercise_scrubber_get_time (scrubber) / 60000, ==,
                       sd_exercise_clock_now (&clock, g_get_real_time () / 1000) / 60000);
      expected = sd_exercise_snapshot_at (store, clock.start_at + sd_exercise_scrubber_get_time (scrubber), &error);
      sd_exercise_clock_clear (&clock);
      g_assert_no_error (error);
      expected_text = g_strdup_printf ("%u %u %u %u", expected->staying, expected->in_shelter, expected->out_now,
                                       expected->households);
      g_assert_true (g_str_has_prefix (sd_exercise_scrubber_get_summary (scrubber), expected_text));
      g_assert_true (g_str_has_suffix (sd_exercise_scrubber_get_summary (scrubber), " 150"));  /* unconfirmed */
    }
  }
  check_screen (GTK_WIDGET (console), 1024, 600, "console-history");
  click (sd_ui_find (GTK_WIDGET (page), is_switch_to, g_dgettext ("shelterdesk", "Injects")));
  g_assert_true (gtk_widget_get_mapped (sd_ui_find (GTK_WIDGET (page), is_column_view, NULL)));

  /* HQ's own desks show HQ's injects. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console), "win.show-desk", "s", "home"));
  wait_strip (console, "3", "delivered");
  g_assert_true (strip_shows (&(StripWait) { console, "2", NULL }));
  check_screen (GTK_WIDGET (console), 1024, 600, "hq-strip");

  /* Resume: the clock moves on and the arrivals (inject 4) play; the
   * console is closed in the middle of them, which ends its engine
   * after the unit under way: every household registered is counted as
   * played, none twice, none half. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console), "win.show-desk", "s", "exercise"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "exercise.resume", NULL));
  {
    g_autofree char *state = sql_text ("SELECT state FROM exercise_run");

    g_assert_cmpstr (state, ==, "running");
  }
  sd_ui_wait_for (arrivals_started, NULL);
  sd_ui_close_window (console);
  {
    g_autofree char *played = sql_text ("SELECT played FROM exercise_injects WHERE serial = '4'");
    g_autofree char *households = sql_text ("SELECT count (*) FROM households");

    g_test_message ("closed with %s households of the arrivals played", played);
    g_assert_cmpstr (played, ==, households);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (sd_store_check (store, &error));
    g_assert_no_error (error);
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  int rc;

  sd_ui_init (&argc, &argv);

  dir = g_dir_make_tmp ("sd-ui-exercise-XXXXXX", NULL);
  demo_path = g_build_filename (dir, "demo.sqlite", NULL);
  db_path = g_build_filename (dir, "exercise.sqlite", NULL);
  store = sd_store_open (demo_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);
  g_assert_true (sd_exercise_new (demo_path, db_path, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/exercise/not-on-live", test_not_on_live);
  g_test_add_func ("/ui/exercise/bad-scenario", test_bad_scenario);
  g_test_add_func ("/ui/exercise/run", test_run);
  rc = g_test_run ();
  g_free (db_path);
  g_free (demo_path);
  g_free (dir);
  return rc;
}
