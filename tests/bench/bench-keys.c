/* bench-keys.c: how many keys and focus changes a household of four takes
 * on the real desk, typed by xdotool on the X server's keyboard.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The volunteer starts on the shelter list, signed in, and registers a
 * household of four (name, kana and birth date each, the household's
 * phone) by keyboard only: every key goes through Xvfb's XTEST keyboard
 * to the window, as a person's would.  The script counts what it sends:
 * characters of typed text, and every other key (Tab, a shortcut, Enter,
 * Escape) apart; the window counts every change of the focused widget.
 * Issue 12's targets: at most 25 keys beyond the typed text and 12 focus
 * changes (it took 47 and 28 before).  Thirteen fields need at least one
 * move into each: 13 is this form's floor.  The household must be saved, with
 * all four, or the run fails: a count of keys that saved nothing is no
 * figure.  Counts, not times: the table is the result.
 */
#include "sd-intake-page.h"
#include "sd-member-form.h"
#include "sd-window.h"
#include "../ui/sd-ui-test.h"

#include <glib/gstdio.h>

typedef struct {
  GtkWindow *window;
  guint typed;       /* characters of text */
  guint keys;        /* every other key press */
  guint focus;       /* focus changes seen by the window */
  guint resent;      /* characters xdotool lost and sent again */
  GString *path;     /* the keys, for the table */
} Count;

static void
focus_changed_cb (GtkWindow  *window,
                  GParamSpec *pspec,
                  Count      *count)
{
  if (gtk_root_get_focus (GTK_ROOT (window)) != NULL)
    count->focus++;
}

/* A key (or chord) that is not text. */
static void
key (Count      *count,
     const char *name)
{
  const char *argv[] = { "xdotool", "mousemove", "600", "400", "key", "--delay", "30", name, NULL };

  sd_ui_xdotool (argv);
  sd_ui_run_for (150);
  count->keys++;
  g_string_append_printf (count->path, "%s ", name);
}

/* Text, one key per character (a person with an IME types more; the
 * target counts only what is not text).  xdotool types a character that
 * is not on the keyboard map by remapping a spare key for it, and under
 * Xvfb the first such character after an ordinary key (Tab, a shortcut)
 * now and then arrives before the new map does and is lost; ASCII never
 * is.  So each character goes alone, is checked in the field, and is sent
 * again if it did not arrive (counted apart, never as the volunteer's
 * keys); the field must end holding exactly what was typed. */
static void
type (Count      *count,
      const char *text)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (count->window));
  GtkEditable *field = GTK_IS_EDITABLE (focus) ? GTK_EDITABLE (focus) : NULL;
  GString *want = g_string_new (NULL);

  g_assert_nonnull (field);
  for (const char *c = text; *c; c = g_utf8_next_char (c))
    {
      g_autofree char *one = g_strndup (c, g_utf8_next_char (c) - c);
      const char *argv[] = { "xdotool", "mousemove", "600", "400", "type", one, NULL };

      g_string_append (want, one);
      for (guint attempt = 0; attempt < 3; attempt++)
        {
          gboolean arrived = FALSE;

          sd_ui_xdotool (argv);
          /* A capital is held back a moment (it may start a scan). */
          for (guint wait = 0; wait < 10 && !arrived; wait++)
            {
              sd_ui_run_for (40);
              arrived = g_strcmp0 (gtk_editable_get_text (field), want->str) == 0;
            }
          if (arrived)
            break;
          count->resent++;
        }
    }
  g_assert_cmpstr (gtk_editable_get_text (field), ==, text);
  g_string_free (want, TRUE);
  count->typed += g_utf8_strlen (text, -1);
  g_string_append (count->path, "… ");
}

static gboolean
household_saved (gpointer intake)
{
  return sd_intake_page_get_last_household_id (intake) != NULL;
}

int
main (int argc, char *argv[])
{
  static const struct { const char *name, *kana, *birth; } members[] = {
    { "鈴木 健一", "すずき けんいち", "S50.4.1" },
    { "鈴木 明美", "すずき あけみ", "S52.8.20" },
    { "鈴木 翔", "すずき しょう", "H20.1.15" },
    { "鈴木 ハル", "すずき はる", "S10.3.3" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-keys-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) stored = NULL;
  SdWindow *window;
  SdIntakePage *intake;
  Count count = { NULL, 0, 0, 0, 0, g_string_new (NULL) };
  gboolean ok;

  gtk_init ();
  adw_init ();
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));

  window = sd_window_new (NULL, store, FALSE);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  gtk_window_present (GTK_WINDOW (window));
  sign_in (sd_window_get_signin_page (window), "1002", "1111");  /* a volunteer */
  g_assert_nonnull (sd_window_get_staff (window));
  sd_ui_run_for (500);
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "home");
  intake = SD_INTAKE_PAGE (sd_window_get_desk_page (window, "intake"));

  count.window = GTK_WINDOW (window);
  g_signal_connect (window, "notify::focus-widget", G_CALLBACK (focus_changed_cb), &count);
  key (&count, "ctrl+1");                   /* Intake: the cursor is in member 1's name */
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (i > 0)
        key (&count, "ctrl+m");             /* a member more: the cursor in their name */
      type (&count, members[i].name);
      key (&count, "Tab");
      type (&count, members[i].kana);
      key (&count, "Tab");
      type (&count, members[i].birth);
    }
  key (&count, "alt+t");                    /* the household's phone */
  type (&count, "090-1234-5678");
  /* Saving puts the cursor back in a fresh form's first name: that is the
   * desk's move for the next household, not the volunteer's. */
  g_signal_handlers_disconnect_by_func (window, focus_changed_cb, &count);
  key (&count, "ctrl+s");
  sd_ui_wait_for (household_saved, intake);
  sd_ui_run_for (500);
  sd_ui_screenshot (GTK_WIDGET (window), "bench-keys-saved");

  stored = sd_store_list_household_members (store, sd_intake_page_get_last_household_id (intake), NULL);
  ok = stored != NULL && g_list_model_get_n_items (stored) == G_N_ELEMENTS (members);
  for (guint i = 0; ok && i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (stored, i);

      g_printerr ("saved: %s %s %s\n", sd_person_get_name (p), sd_person_get_kana (p), sd_person_get_birth_date (p));
    }

  g_print ("\nIssue 12: a household of four by keyboard only, from the shelter list to saved\n\n");
  g_print ("| measure | this run | target | before |\n|---|---|---|---|\n");
  g_print ("| characters of typed text | %u | — | 111 |\n", count.typed);
  g_print ("| keys beyond the typed text | %u | ≤ 25 %s | 47 |\n", count.keys, count.keys <= 25 ? "✔" : "✘");
  g_print ("| focus changes, to the save | %u (13 fields: one move into each) | ≤ 12 %s | 28 |\n", count.focus,
           count.focus <= 12 ? "✔" : "✘");
  g_print ("| all four saved in one household, as typed | %s | yes | — |\n\n", ok ? "yes" : "NO");
  g_print ("(%u characters lost by xdotool's key remapping were sent again; not counted)\n", count.resent);
  g_print ("keys: %s\n", count.path->str);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_string_free (count.path, TRUE);
  return ok ? 0 : 1;
}
