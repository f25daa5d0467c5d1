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
 * changes (it took 47 and 28 before).  Measured twice: the members'
 * names, kana and birth dates (12 fields), then with the household's
 * phone as well (13): one move into each field is the floor.  The household must be saved, with
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

typedef struct {
  const char *name, *kana, *birth;
} Member;

/* One household by keyboard only, from the shelter list to saved; the
 * household's phone too when PHONE is set.  Fails unless all four are
 * saved as typed. */
static gboolean
register_household (SdWindow      *window,
                    SdStore       *store,
                    const Member  *members,
                    const char    *phone,
                    Count         *count)
{
  SdIntakePage *intake = SD_INTAKE_PAGE (sd_window_get_desk_page (window, "intake"));
  g_autofree char *before = g_strdup (sd_intake_page_get_last_household_id (intake));
  g_autoptr(GListModel) stored = NULL;
  gboolean ok;

  count->window = GTK_WINDOW (window);
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "home");
  g_signal_connect (window, "notify::focus-widget", G_CALLBACK (focus_changed_cb), count);
  key (count, "ctrl+1");                    /* Intake: the cursor is in member 1's name */
  for (guint i = 0; i < 4; i++)
    {
      if (i > 0)
        key (count, "ctrl+m");              /* a member more: the cursor in their name */
      type (count, members[i].name);
      key (count, "Tab");
      type (count, members[i].kana);
      key (count, "Tab");
      type (count, members[i].birth);
    }
  if (phone != NULL)
    {
      key (count, "alt+t");                 /* the household's phone */
      type (count, phone);
    }
  /* Saving puts the cursor back in a fresh form's first name: that is the
   * desk's move for the next household, not the volunteer's. */
  g_signal_handlers_disconnect_by_func (window, focus_changed_cb, count);
  key (count, "ctrl+s");
  for (int i = 0; i < 200 && g_strcmp0 (sd_intake_page_get_last_household_id (intake), before) == 0; i++)
    sd_ui_run_for (25);
  sd_ui_run_for (500);

  stored = sd_store_list_household_members (store, sd_intake_page_get_last_household_id (intake), NULL);
  ok = g_strcmp0 (sd_intake_page_get_last_household_id (intake), before) != 0 && stored != NULL &&
       g_list_model_get_n_items (stored) == 4;
  for (guint i = 0; ok && i < 4; i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (stored, i);

      g_printerr ("saved: %s %s %s\n", sd_person_get_name (p), sd_person_get_kana (p), sd_person_get_birth_date (p));
    }
  return ok;
}

static void
close_other_windows (SdWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();

  /* The evacuee-card window the save opened: outside the measured flow. */
  for (GList *l = toplevels; l; l = l->next)
    if (l->data != (gpointer) window)
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  sd_ui_run_for (300);
}

static void
print_row (const char  *flow,
           const Count *c,
           gboolean     ok)
{
  g_print ("| %s | %u | **%u** %s | **%u** %s | %s |\n", flow, c->typed, c->keys, c->keys <= 25 ? "✔" : "✘", c->focus,
           c->focus <= 12 ? "✔" : "✘", ok ? "yes" : "NO");
}

int
main (int argc, char *argv[])
{
  static const Member tanaka[] = {
    { "田中 一郎", "たなか いちろう", "S45.2.10" },
    { "田中 由美", "たなか ゆみ", "S48.11.3" },
    { "田中 蓮", "たなか れん", "H22.6.30" },
    { "田中 キヨ", "たなか きよ", "S8.1.20" },
  };
  static const Member suzuki[] = {
    { "鈴木 健一", "すずき けんいち", "S50.4.1" },
    { "鈴木 明美", "すずき あけみ", "S52.8.20" },
    { "鈴木 翔", "すずき しょう", "H20.1.15" },
    { "鈴木 ハル", "すずき はる", "S10.3.3" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-keys-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  g_autoptr(SdStore) store = NULL;
  SdWindow *window;
  Count plain = { NULL, 0, 0, 0, 0, g_string_new (NULL) };
  Count with_phone = { NULL, 0, 0, 0, 0, g_string_new (NULL) };
  gboolean ok_plain, ok_phone;

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

  ok_plain = register_household (window, store, tanaka, NULL, &plain);
  close_other_windows (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "home"));
  sd_ui_run_for (300);
  ok_phone = register_household (window, store, suzuki, "090-1234-5678", &with_phone);
  sd_ui_screenshot (GTK_WIDGET (window), "bench-keys-saved");

  g_print ("\nIssue 12: a household of four by keyboard only, from the shelter list to saved\n\n");
  g_print ("| flow | characters of text | keys beyond the text (≤ 25) | focus changes (≤ 12) | saved as typed |\n"
           "|---|---|---|---|---|\n");
  print_row ("name, kana and birth date of each (12 fields)", &plain, ok_plain);
  print_row ("the same and the household's phone (13 fields)", &with_phone, ok_phone);
  g_print ("| before issue 12 | 111 | 47 | 28 | — |\n\n");
  g_print ("(%u characters lost by xdotool's key remapping were sent again; not counted)\n",
           plain.resent + with_phone.resent);
  g_print ("keys, with the phone: %s\n", with_phone.path->str);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_string_free (plain.path, TRUE);
  g_string_free (with_phone.path, TRUE);
  return ok_plain && ok_phone ? 0 : 1;
}
