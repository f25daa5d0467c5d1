/* test-qr-desk.c: scans reaching the check-in desk from a keyboard-wedge scanner and a serial one.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real window under Xvfb.  The keyboard-wedge scanner is the X server's
 * own XTEST keyboard driven by xdotool, typing a key every few
 * milliseconds as a USB scanner does, with the focus in the search field;
 * a person is the same keyboard at a person's pace.  The serial scanner is
 * a pseudo-terminal named in the settings.  Both must record the same
 * events through the same path, and nothing of a scan may land in the
 * field.  The cards shown on screen are read back with zbarimg.
 */
#define _GNU_SOURCE  /* posix_openpt */
#include "sd-application.h"
#include "sd-checkin-page.h"
#include "sd-intake-page.h"
#include "sd-qr-dialog.h"
#include "sd-chime.h"
#include "sd-self-service-page.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *dir;
static char *db_path;

typedef struct {
  SdWindow      *window;
  SdCheckinPage *page;
  SdStore       *store;
  GArray        *cards;   /* SdQrSheetCard of the shelter's people */
} Desk;

/* The desk at WIDTH × HEIGHT (0: its own size), a kiosk's when KIOSK,
 * signed in, on Check-in. */
static void
desk_open_kiosk (Desk     *d,
                 int       width,
                 int       height,
                 gboolean  kiosk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);
  const char *shelter_id;

  g_assert_no_error (error);
  d->window = sd_window_new (NULL, store, kiosk);
  g_object_ref_sink (d->window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (d->window), width, height);
  gtk_window_present (GTK_WINDOW (d->window));
  sign_in (sd_window_get_signin_page (d->window), "1002", "1111");
  g_assert_nonnull (sd_window_get_staff (d->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->window), "win.show-desk", "s", "checkin"));
  d->page = SD_CHECKIN_PAGE (sd_window_get_desk_page (d->window, "checkin"));
  d->store = sd_window_get_store (d->window);
  shelter_id = sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (d->page));
  g_assert_nonnull (shelter_id);
  {
    /* A household just registered, nobody checked in yet. */
    SdHouseholdSpec h = { .shelter_id = shelter_id, .stay = SD_STAY_SHELTER, .address = "みなと川市南町7-8" };
    SdPersonSpec m[] = {
      { .name = "走査 一郎", .kana = "そうさ いちろう", .birth_date = "1960-02-03", .sex = SD_SEX_MALE },
      { .name = "走査 二葉", .kana = "そうさ ふたば", .birth_date = "1962-05-06", .sex = SD_SEX_FEMALE },
      { .name = "走査 三太", .kana = "そうさ さんた", .birth_date = "2015-08-09", .sex = SD_SEX_MALE },
    };
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *hh = sd_store_add_household (d->store, &h, m, G_N_ELEMENTS (m), ids, &error);

    g_assert_no_error (error);
    g_ptr_array_add (ids, NULL);
    d->cards = sd_store_issue_cards (d->store, NULL, (const char *const *) ids->pdata, &error);
    g_assert_no_error (error);
  }
  sd_ui_run_for (200);
}

static void
desk_open_sized (Desk *d,
                 int   width,
                 int   height)
{
  desk_open_kiosk (d, width, height, FALSE);
}

static void
desk_open (Desk *d)
{
  desk_open_sized (d, 0, 0);
}

static void
desk_close (Desk *d)
{
  g_clear_pointer (&d->cards, g_array_unref);
  gtk_window_destroy (GTK_WINDOW (d->window));
  g_clear_object (&d->window);
}

static const char *
card_text (Desk *d, guint i)
{
  return g_array_index (d->cards, SdQrSheetCard, i).text;
}

static guint
n_events (Desk *d)
{
  SdStoreCounts c;

  g_assert_true (sd_store_get_counts (d->store, &c, NULL));
  return c.events;
}

static SdPersonStatus
status_of (Desk *d, guint i)
{
  g_autoptr(SdPerson) p = sd_store_get_person (d->store, g_array_index (d->cards, SdQrSheetCard, i).person_id, NULL);

  return sd_person_get_status (p);
}

/* The X server's keyboard, through xdotool: DELAY ms between keys.  The
 * desk keeps running while the keys arrive, as it does for a scanner. */
static void
xdotool_type (const char *text,
              guint       delay,
              gboolean    enter)
{
  g_autofree char *ms = g_strdup_printf ("%u", delay);
  /* "type" takes the rest of the line as text; a newline is Return. */
  g_autofree char *keys = g_strconcat (text, enter ? "\n" : "", NULL);
  const char *argv[] = { "xdotool", "mousemove", "400", "300", "type", "--delay", ms, "--", keys, NULL };

  sd_ui_xdotool (argv);
}

static guint wanted_count;

static gboolean
scanned (gpointer page)
{
  return sd_checkin_page_get_scan_count (page) >= wanted_count;
}

static const char *
field_text (Desk *d)
{
  return gtk_editable_get_text (GTK_EDITABLE (sd_checkin_page_get_search_entry (d->page)));
}

static void
focus_field (Desk *d)
{
  GtkWidget *entry = sd_checkin_page_get_search_entry (d->page);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (entry);
  sd_ui_run_for (100);
}

/* A scan from the keyboard-wedge scanner: 4 ms a key, then Enter. */
static void
wedge_scan (Desk *d, const char *text)
{
  wanted_count = sd_checkin_page_get_scan_count (d->page) + 1;
  xdotool_type (text, 4, TRUE);
  sd_ui_wait_for (scanned, d->page);
  sd_ui_run_for (150);
}

static void
set_mode (Desk *d, const char *mode)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d->page), "checkin.scan-mode", "s", mode));
}

/* Whether the desk's big answer to the last scan begins with HEADLINE. */
static gboolean
answered (Desk *d, const char *headline)
{
  g_autofree char *said = sd_checkin_page_dup_scan_text (d->page);

  return g_str_has_prefix (said, headline);
}

static gboolean
answer_gone (gpointer page)
{
  return !sd_checkin_page_get_answer_shown (page);
}

static void
test_keyboard_wedge (void)
{
  Desk d = { 0 };
  guint before;

  desk_open (&d);
  set_mode (&d, "arrive");
  focus_field (&d);

  /* The volunteer's cursor is in the search field; the scan never lands there. */
  before = n_events (&d);
  wedge_scan (&d, card_text (&d, 0));
  g_assert_cmpstr (field_text (&d), ==, "");
  g_assert_cmpuint (n_events (&d), ==, before + 1);
  g_assert_cmpint (status_of (&d, 0), ==, SD_PERSON_STATUS_IN);
  sd_ui_screenshot (GTK_WIDGET (d.window), "scan-recorded");

  /* The same card again at once: ignored by the repeat window, and said
   * so.  (Without the window a second arrival would still record nothing,
   * but refused as "Not recorded": only this answer proves the window.) */
  wedge_scan (&d, card_text (&d, 0));
  g_assert_cmpuint (n_events (&d), ==, before + 1);
  g_assert_true (answered (&d, _("Already recorded")));
  {
    /* Issue 12, 8: it says what was recorded, not that a card was read. */
    g_autofree char *said = sd_checkin_page_dup_scan_text (d.page);

    g_assert_nonnull (strstr (said, "「入所」は"));
  }
  sd_ui_screenshot (GTK_WIDGET (d.window), "scan-repeated");

  /* Go out, from the F6 key's mode. */
  set_mode (&d, "go_out");
  g_assert_cmpint (sd_checkin_page_get_scan_mode (d.page), ==, SD_EVENT_GO_OUT);
  wedge_scan (&d, card_text (&d, 0));
  g_assert_cmpint (status_of (&d, 0), ==, SD_PERSON_STATUS_OUT);
  g_assert_cmpuint (n_events (&d), ==, before + 2);

  /* Issue 12, 8: the answer goes after a while (30 s; 1 here), so the
   * next evacuee does not read whose card was scanned before. */
  sd_checkin_page_set_answer_seconds (d.page, 1);
  wedge_scan (&d, card_text (&d, 1));
  g_assert_true (sd_checkin_page_get_answer_shown (d.page));
  sd_ui_wait_for (answer_gone, d.page);
  sd_checkin_page_set_answer_seconds (d.page, 30);

  /* Issue 12, 8: the next volunteer to sign in scans arrivals, whatever
   * mode the last one left. */
  gtk_widget_activate_action (GTK_WIDGET (d.window), "win.sign-out", NULL);
  sign_in (sd_window_get_signin_page (d.window), "1002", "1111");
  g_assert_cmpint (sd_checkin_page_get_scan_mode (d.page), ==, SD_EVENT_ARRIVE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d.window), "win.show-desk", "s", "checkin"));

  /* Caps Lock on the scanner: lower case, heard in the field, taken back out. */
  set_mode (&d, "arrive");
  {
    g_autofree char *lower = g_ascii_strdown (card_text (&d, 1), -1);
    wedge_scan (&d, lower);
  }
  g_assert_cmpstr (field_text (&d), ==, "");
  g_assert_cmpint (status_of (&d, 1), ==, SD_PERSON_STATUS_IN);
  g_assert_cmpuint (n_events (&d), ==, before + 3);

  /* Someone else's code, half a code, a forged one: said, nothing recorded. */
  wedge_scan (&d, "https://example.jp/a?b=1");
  g_assert_cmpstr (field_text (&d), ==, "");
  {
    g_autofree char *half = g_strndup (card_text (&d, 2), 80);
    g_autofree char *forged = g_strdup (card_text (&d, 2));
    g_autofree char *said = NULL;

    wedge_scan (&d, half);
    forged[90] = forged[90] == 'Q' ? 'R' : 'Q';
    wedge_scan (&d, forged);
    said = sd_checkin_page_dup_scan_text (d.page);
    g_assert_cmpuint (strlen (said), >, 20);
    sd_ui_screenshot (GTK_WIDGET (d.window), "scan-forged");
  }
  g_assert_cmpuint (n_events (&d), ==, before + 3);
  g_assert_cmpint (status_of (&d, 2), !=, SD_PERSON_STATUS_IN);

  /* A pickup has no state that could refuse a second one: only the repeat
   * window keeps two scans of one card to one pickup.  With the window set
   * to 0 (`shelterdesk-cli qr mode --repeat 0`), the second one counts. */
  set_mode (&d, "supply");
  wedge_scan (&d, card_text (&d, 1));
  g_assert_cmpuint (n_events (&d), ==, before + 4);
  g_assert_false (answered (&d, _("Already recorded")));
  wedge_scan (&d, card_text (&d, 1));
  g_assert_cmpuint (n_events (&d), ==, before + 4);
  g_assert_true (answered (&d, _("Already recorded")));
  {
    g_autoptr(GError) error = NULL;
    guint repeat = 0;

    g_assert_true (sd_store_get_scan_settings (d.store, NULL, NULL, &repeat, &error));
    g_assert_cmpuint (repeat, >, 0);
    g_assert_true (sd_store_set_scan_repeat (d.store, 0, &error));
    wedge_scan (&d, card_text (&d, 1));
    g_assert_cmpuint (n_events (&d), ==, before + 5);
    g_assert_false (answered (&d, _("Already recorded")));
    g_assert_true (sd_store_set_scan_repeat (d.store, repeat, &error));
    g_assert_no_error (error);
  }

  desk_close (&d);
}

/* Issue 21: the answer to each evacuee in their language, from their
 * record, under the desk's own: Vietnamese for a Vietnamese resident,
 * やさしい日本語 and English for a language ShelterDesk does not offer,
 * nothing more for a Japanese one; on a 1024×600 kiosk, every control
 * still on the screen.  Screenshots of each. */
static void
test_answer_in_their_language (void)
{
  static const struct { const char *name, *language, *shot; } people[] = {
    { "グエン ティ ラン", "vi", "scan-evacuee-vi" },
    { "ソムチャイ ジャイディー", "th", "scan-evacuee-unknown" },
    { "ラム ビスタ", "ne-NP", "scan-evacuee-ne" },
    { "キム ミンジュン", "ko", "scan-evacuee-ko" },
    { "王 芳", "zh-CN", "scan-evacuee-zh" },
    { "言語 花子", NULL, NULL },
  };
  Desk d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  SdPersonSpec m[G_N_ELEMENTS (people)] = { { 0 } };
  SdHouseholdSpec h = { .stay = SD_STAY_SHELTER, .address = "みなと川市南町9-1" };
  g_autofree char *hh = NULL;

  /* The smallest kiosk screen: the answer in two languages still fits. */
  desk_open_sized (&d, 1024, 600);
  h.shelter_id = sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (d.page));
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    m[i] = (SdPersonSpec) { .name = people[i].name, .birth_date = "1990-04-05", .language = people[i].language };
  hh = sd_store_add_household (d.store, &h, m, G_N_ELEMENTS (m), ids, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  cards = sd_store_issue_cards (d.store, NULL, (const char *const *) ids->pdata, &error);
  g_assert_no_error (error);
  set_mode (&d, "arrive");
  focus_field (&d);

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autofree char *theirs = NULL;

      wedge_scan (&d, g_array_index (cards, SdQrSheetCard, i).text);
      g_assert_true (answered (&d, _("Checked in")));
      theirs = sd_checkin_page_dup_evacuee_text (d.page);
      g_test_message ("%s: %s", people[i].language ? people[i].language : "ja", theirs ? theirs : "(none)");
      if (people[i].shot != NULL)
        sd_ui_screenshot (GTK_WIDGET (d.window), people[i].shot);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (d.window)), <=, 1024);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (d.window)), <=, 600);
      sd_ui_collect_outside (GTK_WIDGET (d.window), GTK_WIDGET (d.window), 1024, 600, outside);
      if (g_strcmp0 (people[i].language, "vi") == 0)
        g_assert_cmpstr (theirs, ==, "Đã tiếp nhận. Chào mừng bạn.");
      else if (g_strcmp0 (people[i].language, "th") == 0)
        g_assert_cmpstr (theirs, ==, "うけつけ しました。ようこそ。\nChecked in. Welcome.");
      else if (g_strcmp0 (people[i].language, "ne-NP") == 0)
        g_assert_cmpstr (theirs, ==, "दर्ता भयो। स्वागत छ।");
      else if (g_strcmp0 (people[i].language, "ko") == 0)
        g_assert_cmpstr (theirs, ==, "접수되었습니다. 환영합니다.");
      else if (g_strcmp0 (people[i].language, "zh-CN") == 0)
        g_assert_cmpstr (theirs, ==, "已登记入住。欢迎。");
      else
        g_assert_null (theirs);
    }

  for (guint i = 0; i < outside->len; i++)
    g_test_message ("outside: %s", (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);

  /* The same card again: "already recorded", in their words too. */
  wedge_scan (&d, g_array_index (cards, SdQrSheetCard, 0).text);
  g_assert_true (answered (&d, _("Already recorded")));
  {
    g_autofree char *theirs = sd_checkin_page_dup_evacuee_text (d.page);

    g_assert_cmpstr (theirs, ==, "Đã được ghi nhận rồi. Bạn không cần quét lại.");
  }
  /* A forged card is nobody's: no language to answer in. */
  {
    g_autofree char *forged = g_strdup (g_array_index (cards, SdQrSheetCard, 1).text);
    g_autofree char *theirs = NULL;

    forged[90] = forged[90] == 'Q' ? 'R' : 'Q';
    wedge_scan (&d, forged);
    theirs = sd_checkin_page_dup_evacuee_text (d.page);
    g_assert_null (theirs);
  }
  desk_close (&d);
}

/* What the kiosk's speaker played: ALSA's "default" here is its file
 * plugin writing the samples to SOUND_PATH (main () sets it up), so the
 * cue goes through the same ALSA calls as on a kiosk. */
static char *sound_path;

static gboolean
sound_written (gpointer size)
{
  GStatBuf st;

  return g_stat (sound_path, &st) == 0 && (gsize) st.st_size >= GPOINTER_TO_SIZE (size);
}

/* The cue CHIME was played, sample for sample; then forgotten. */
static void
assert_heard (SdChime chime)
{
  g_autoptr(GBytes) expected = sd_chime_samples (chime);
  g_autofree char *played = NULL;
  gsize length = 0;

  sd_ui_wait_for (sound_written, GSIZE_TO_POINTER (g_bytes_get_size (expected)));
  sd_ui_run_for (100);
  g_assert_true (g_file_get_contents (sound_path, &played, &length, NULL));
  g_assert_cmpmem (played, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpint (g_unlink (sound_path), ==, 0);
}

static gboolean
self_service_idle (gpointer page)
{
  return !sd_self_service_page_get_answer_shown (page);
}

static gboolean
self_service_answering (gpointer page)
{
  return sd_self_service_page_get_answer_shown (page);
}

/* Issue 21: the kiosk turned to face evacuees.  They scan their own
 * card and read the answer, with their name, in their language (the
 * record's, or the one they tap), on a 1024×600 screen; nothing of the
 * last person stays once it is idle again; typing reaches no field; the
 * desk never signs itself out while it waits; the way back is a staff
 * sign-in. */
static void
test_self_service (void)
{
  static const SdPersonSpec people[] = {
    { .name = "グエン ラン", .birth_date = "1991-04-05", .language = "vi" },
    { .name = "自助 太郎", .birth_date = "1950-01-02" },
  };
  Desk d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  SdHouseholdSpec h = { .stay = SD_STAY_SHELTER, .address = "みなと川市南町9-2" };
  SdSelfServicePage *page;
  g_autofree char *hh = NULL;
  g_autofree char *said = NULL;
  guint before;

  /* A kiosk: its idle sign-out is on (a desk that is not one has none). */
  desk_open_kiosk (&d, 1024, 600, TRUE);
  h.shelter_id = sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (d.page));
  hh = sd_store_add_household (d.store, &h, people, G_N_ELEMENTS (people), ids, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  cards = sd_store_issue_cards (d.store, NULL, (const char *const *) ids->pdata, &error);
  g_assert_no_error (error);
  set_mode (&d, "arrive");
  page = SD_SELF_SERVICE_PAGE (sd_window_get_self_service (d.window));
  sd_window_set_idle_timeout (d.window, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d.window), "win.self-service", NULL));
  g_assert_cmpstr (sd_window_get_visible_page (d.window), ==, "self-service");
  said = sd_self_service_page_dup_text (page);
  g_assert_true (g_str_has_prefix (said, "カードを読み取ってください。"));
  g_assert_nonnull (strstr (said, "Vui lòng quét thẻ của bạn."));
  sd_ui_screenshot (GTK_WIDGET (d.window), "self-service-idle");
  sd_ui_collect_outside (GTK_WIDGET (d.window), GTK_WIDGET (d.window), 1024, 600, outside);

  /* The Vietnamese resident's card: their words, their name. */
  before = n_events (&d);
  wedge_scan (&d, g_array_index (cards, SdQrSheetCard, 0).text);
  g_assert_cmpuint (n_events (&d), ==, before + 1);
  g_assert_true (sd_self_service_page_get_answer_shown (page));
  g_clear_pointer (&said, g_free);
  said = sd_self_service_page_dup_text (page);
  g_assert_cmpstr (said, ==, "Đã tiếp nhận. Chào mừng bạn.\nグエン ラン");
  g_assert_cmpstr (field_text (&d), ==, "");
  /* Heard too: two notes rising. */
  assert_heard (SD_CHIME_DONE);
  sd_ui_screenshot (GTK_WIDGET (d.window), "self-service-vi");
  sd_ui_collect_outside (GTK_WIDGET (d.window), GTK_WIDGET (d.window), 1024, 600, outside);

  /* It goes after a while, with everything of them; and the desk waited
   * past its idle sign-out (2 s here) without signing out. */
  sd_self_service_page_set_answer_seconds (page, 1);
  wedge_scan (&d, g_array_index (cards, SdQrSheetCard, 0).text);
  sd_ui_wait_for (self_service_idle, page);
  sd_ui_run_for (2500);
  g_assert_cmpstr (sd_window_get_visible_page (d.window), ==, "self-service");
  g_assert_nonnull (sd_window_get_staff (d.window));
  g_clear_pointer (&said, g_free);
  said = sd_self_service_page_dup_text (page);
  g_assert_null (strstr (said, "グエン"));

  /* A person typing, and the desk keys: nothing reaches the desk behind. */
  xdotool_type ("sato", 300, TRUE);
  sd_ui_run_for (500);
  g_assert_cmpstr (field_text (&d), ==, "");
  {
    const char *argv[] = { "xdotool", "key", "ctrl+1", "ctrl+3", "F10", NULL };

    sd_ui_xdotool (argv);
    sd_ui_run_for (500);
  }
  g_assert_cmpstr (sd_window_get_visible_page (d.window), ==, "self-service");
  g_assert_cmpstr (sd_window_get_visible_desk (d.window), ==, "checkin");
  /* A pre-registration code from a phone: "see the desk", and the intake
   * form behind the screen is not filled. */
  {
    g_autoptr(SdPrereg) prereg = sd_prereg_new_from_json (
      "{\"household\": {\"address\": \"みなと川市西町4-5-6\"}, \"members\": [{\"name\": \"事前 一郎\"}]}", -1, &error);
    g_autofree char *text = sd_prereg_to_text (prereg, &error);

    g_assert_no_error (error);
    xdotool_type (text, 4, TRUE);
    sd_ui_wait_for (self_service_answering, page);
    sd_ui_run_for (150);
    g_assert_cmpstr (sd_window_get_visible_desk (d.window), ==, "checkin");
    g_clear_pointer (&said, g_free);
    said = sd_self_service_page_dup_text (page);
    g_assert_true (g_str_has_suffix (said, "Please see the desk.\n"));
    sd_self_service_page_reset (page);
  }

  /* A Japanese man who reads Korean better taps 한국어, then scans. */
  sd_self_service_page_set_answer_seconds (page, 30);
  sd_self_service_page_choose_language (page, "ko");
  g_clear_pointer (&said, g_free);
  said = sd_self_service_page_dup_text (page);
  g_assert_true (g_str_has_prefix (said, "카드를 스캔해 주세요."));
  wedge_scan (&d, g_array_index (cards, SdQrSheetCard, 1).text);
  g_clear_pointer (&said, g_free);
  said = sd_self_service_page_dup_text (page);
  g_assert_cmpstr (said, ==, "접수되었습니다. 환영합니다.\n自助 太郎");
  sd_ui_screenshot (GTK_WIDGET (d.window), "self-service-ko");
  assert_heard (SD_CHIME_DONE);

  /* A forged card is nobody's: "see the desk", no name, nothing recorded. */
  {
    g_autofree char *forged = g_strdup (g_array_index (cards, SdQrSheetCard, 1).text);

    before = n_events (&d);
    forged[90] = forged[90] == 'Q' ? 'R' : 'Q';
    wedge_scan (&d, forged);
    g_assert_cmpuint (n_events (&d), ==, before);
    g_clear_pointer (&said, g_free);
    said = sd_self_service_page_dup_text (page);
    g_assert_cmpstr (said, ==, "うけつけの 人（ひと）に 話（はな）して ください。\nPlease see the desk.\n");
    /* Heard: two notes falling, lower. */
    assert_heard (SD_CHIME_SEE_DESK);
    sd_ui_screenshot (GTK_WIDGET (d.window), "self-service-refused");
    sd_ui_collect_outside (GTK_WIDGET (d.window), GTK_WIDGET (d.window), 1024, 600, outside);
  }
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("outside: %s", (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);

  /* Back to the desk: a staff sign-in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (d.window), "win.sign-out", NULL));
  g_assert_cmpstr (sd_window_get_visible_page (d.window), ==, "signin");
  sign_in (sd_window_get_signin_page (d.window), "1002", "1111");
  g_assert_cmpstr (sd_window_get_visible_page (d.window), ==, "desks");
  sd_window_set_idle_timeout (d.window, 600);
  desk_close (&d);
}

typedef struct {
  Desk       *desk;
  const char *text;
} FieldWait;

static gboolean
field_reads (gpointer data)
{
  FieldWait *w = data;

  return g_strcmp0 (field_text (w->desk), w->text) == 0;
}

/* The field ends up holding TEXT.  A held capital reaches it a moment
 * after the keys (when the catcher is sure it is no scan): waited for,
 * not slept on, so a busy machine does not fail it; a key lost for good
 * still does. */
static void
assert_field (Desk       *d,
              const char *text)
{
  sd_ui_wait_for (field_reads, &(FieldWait) { d, text });
  sd_ui_run_for (200);  /* and nothing more arrives after it */
  g_assert_cmpstr (field_text (d), ==, text);
}

static void
test_person_typing (void)
{
  Desk d = { 0 };
  guint count;

  desk_open (&d);
  focus_field (&d);
  count = sd_checkin_page_get_scan_count (d.page);

  /* A person's pace, ending with Enter: all of it is theirs. */
  xdotool_type ("yamada", 400, TRUE);
  assert_field (&d, "yamada");

  /* A capital first (held back in case it starts a scan), then a pause. */
  focus_field (&d);
  xdotool_type ("Sato", 400, FALSE);
  assert_field (&d, "Sato");
  focus_field (&d);
  xdotool_type ("S", 10, FALSE);
  assert_field (&d, "S");

  /* The same with the focus on the desk but in no field (a mode button):
   * typing goes to the search, the held capital too (it was dropped). */
  focus_field (&d);
  gtk_widget_child_focus (GTK_WIDGET (d.page), GTK_DIR_TAB_BACKWARD);
  sd_ui_run_for (100);
  g_assert_false (GTK_IS_EDITABLE (gtk_root_get_focus (GTK_ROOT (d.window))));
  xdotool_type ("Sato", 400, FALSE);
  assert_field (&d, "Sato");

  /* A fast burst too short to be a code, with Enter: still typing. */
  focus_field (&d);
  xdotool_type ("SD12", 4, TRUE);
  assert_field (&d, "SD12");
  g_assert_cmpuint (sd_checkin_page_get_scan_count (d.page), ==, count);
  desk_close (&d);
}

static void
test_serial_scanner (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SD_APP_ID);
  Desk d = { 0 };
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  guint before;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  g_settings_set_string (settings, "serial-scanner", ptsname (master));

  desk_open (&d);
  {
    /* In first, by the keyboard scanner, then out by the serial one. */
    set_mode (&d, "arrive");
    wedge_scan (&d, card_text (&d, 2));
    g_assert_cmpint (status_of (&d, 2), ==, SD_PERSON_STATUS_IN);
    set_mode (&d, "go_out");
  }
  sd_ui_run_for (300);
  before = n_events (&d);
  wanted_count = sd_checkin_page_get_scan_count (d.page) + 1;
  {
    g_autofree char *line = g_strdup_printf ("%s\r\n", card_text (&d, 2));
    g_assert_cmpint (write (master, line, strlen (line)), ==, (gssize) strlen (line));
  }
  sd_ui_wait_for (scanned, d.page);
  g_assert_cmpuint (n_events (&d), ==, before + 1);
  g_assert_cmpint (status_of (&d, 2), ==, SD_PERSON_STATUS_OUT);

  /* Supplies by the serial scanner too; garbage from it is refused. */
  set_mode (&d, "supply");
  wanted_count++;
  {
    g_autofree char *line = g_strdup_printf ("%s\n", card_text (&d, 2));
    g_assert_cmpint (write (master, line, strlen (line)), ==, (gssize) strlen (line));
  }
  sd_ui_wait_for (scanned, d.page);
  g_assert_cmpuint (n_events (&d), ==, before + 2);
  wanted_count++;
  g_assert_cmpint (write (master, "\x01garbage\xff\r\n", 12), ==, 12);
  sd_ui_wait_for (scanned, d.page);
  g_assert_cmpuint (n_events (&d), ==, before + 2);

  desk_close (&d);
  close (master);
  g_settings_reset (settings, "serial-scanner");
}

static gboolean
on_intake (gpointer window)
{
  return g_strcmp0 (sd_window_get_visible_desk (window), "intake") == 0;
}

static void
test_prereg_and_cards (void)
{
  static const char json[] =
    "{\"household\": {\"address\": \"みなと川市西町4-5-6\", \"stay\": \"home\"},"
    " \"members\": [{\"name\": \"川口 一郎\", \"kana\": \"かわぐち いちろう\", \"birth_date\": \"昭和25年1月6日\","
    "                \"sex\": \"male\"},"
    "               {\"name\": \"川口 春\", \"birth_date\": \"平成2年4月1日\", \"sex\": \"female\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrereg) prereg = sd_prereg_new_from_json (json, -1, &error);
  g_autofree char *text = sd_prereg_to_text (prereg, &error);
  Desk d = { 0 };
  SdIntakePage *intake;
  SdPersonSpec spec;
  SdQrDialog *dialog = NULL;
  GList *toplevels;

  g_assert_no_error (error);
  desk_open (&d);
  focus_field (&d);

  /* Scanned at check-in: intake opens, filled in. */
  xdotool_type (text, 2, TRUE);
  sd_ui_wait_for (on_intake, d.window);
  g_assert_cmpstr (field_text (&d), ==, "");
  intake = SD_INTAKE_PAGE (sd_window_get_desk_page (d.window, "intake"));
  g_assert_cmpuint (sd_intake_page_get_n_members (intake), ==, 2);
  sd_member_form_get_spec (sd_intake_page_get_member (intake, 0), &spec);
  g_assert_cmpstr (spec.name, ==, "川口 一郎");
  g_assert_cmpstr (spec.birth_date, ==, "1950-01-06");
  sd_member_form_get_spec (sd_intake_page_get_member (intake, 1), &spec);
  g_assert_cmpstr (spec.birth_date, ==, "1990-04-01");
  sd_ui_screenshot (GTK_WIDGET (d.window), "prereg-intake");

  /* Registered: the household's cards open, and the code on screen scans. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (intake), "intake.save", NULL));
  sd_ui_run_for (500);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l; l = l->next)
    if (SD_IS_QR_DIALOG (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);
  g_assert_cmpuint (sd_qr_dialog_get_n_cards (dialog), ==, 2);
  sd_ui_screenshot (GTK_WIDGET (dialog), "qr-dialog");
  {
    g_autofree char *png = g_build_filename (g_getenv ("SD_SCREENSHOT_DIR"), "qr-dialog.png", NULL);
    const char *argv[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
    g_autofree char *out = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error));
    g_assert_cmpstr (g_strchomp (out), ==, sd_qr_dialog_get_text (dialog));
  }

  /* Printed through GtkPrintOperation (to its PDF export): both cards read back. */
  {
    g_autofree char *pdf = g_build_filename (dir, "printed.pdf", NULL);
    g_autofree char *prefix = g_build_filename (dir, "printed", NULL);
    g_autofree char *page = g_strconcat (prefix, "-1.png", NULL);
    /* At a printer's resolution: at 150 dpi zbarimg, reading a whole page
     * of codes at once, now and then missed one (a scanner reads one). */
    const char *render[] = { "pdftoppm", "-r", "300", "-gray", "-png", pdf, prefix, NULL };
    const char *read[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", page, NULL };
    g_autofree char *out = NULL;
    int status;

    g_assert_true (sd_qr_dialog_export_print (dialog, pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_sync (NULL, (char **) render, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_spawn_sync (NULL, (char **) read, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error));
    g_assert_no_error (error);
    /* Two codes, one of them the one on screen. */
    g_assert_nonnull (strstr (out, sd_qr_dialog_get_text (dialog)));
    {
      g_auto(GStrv) codes = g_strsplit (g_strchomp (out), "\n", -1);
      g_assert_cmpuint (g_strv_length (codes), ==, 2);
      for (guint i = 0; codes[i] != NULL; i++)
        g_assert_true (sd_store_verify_card (d.store, codes[i], NULL, &error));
    }
  }

  /* The demo has no scanner: the card on screen is handed to check-in,
   * which records the arrival of the person on it. */
  {
    SdQrCard card;
    g_autoptr(SdPerson) person = NULL;
    g_autoptr(GListModel) history = NULL;
    g_autoptr(SdPersonEvent) newest = NULL;
    guint before;

    g_assert_true (sd_store_verify_card (d.store, sd_qr_dialog_get_text (dialog), &card, &error));
    set_mode (&d, "arrive");
    before = n_events (&d);
    wanted_count = sd_checkin_page_get_scan_count (d.page) + 1;
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "qr.demo-scan", NULL));
    sd_ui_wait_for (scanned, d.page);
    g_assert_cmpstr (sd_window_get_visible_desk (d.window), ==, "checkin");
    g_assert_cmpuint (n_events (&d), ==, before + 1);
    person = sd_store_get_person (d.store, card.person_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sd_person_get_status (person), ==, SD_PERSON_STATUS_IN);
    g_assert_cmpstr (sd_person_get_shelter_id (person), ==,
                     sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (d.page)));
    history = sd_store_list_person_events (d.store, card.person_id, &error);
    g_assert_no_error (error);
    newest = g_list_model_get_item (history, 0);
    g_assert_cmpint (sd_person_event_get_kind (newest), ==, SD_EVENT_ARRIVE);
    g_assert_true (answered (&d, _("Checked in")));
  }
  sd_ui_screenshot (GTK_WIDGET (d.window), "scan-demo");
  desk_close (&d);
}

/* Issue 21: the card's window speaks to its holder too: a Vietnamese
 * resident reads how to use it in Vietnamese, a Japanese one nothing more
 * than the desk's own line, someone whose language is not offered
 * やさしい日本語 and English. */
static void
test_card_window_in_their_language (void)
{
  static const SdPersonSpec people[] = {
    { .name = "グエン ホア", .birth_date = "1994-02-03", .language = "vi" },
    { .name = "窓口 花子", .birth_date = "1960-03-04" },
    { .name = "デュポン マリ", .birth_date = "1988-05-06", .language = "fr" },
  };
  Desk d = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  SdHouseholdSpec h = { .stay = SD_STAY_SHELTER, .address = "みなと川市南町9-3" };
  g_autofree char *hh = NULL;
  SdQrDialog *dialog;

  desk_open (&d);
  h.shelter_id = sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (d.page));
  hh = sd_store_add_household (d.store, &h, people, G_N_ELEMENTS (people), ids, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  dialog = sd_qr_dialog_new (GTK_WINDOW (d.window), d.store, (const char *const *) ids->pdata);
  gtk_window_present (GTK_WINDOW (dialog));
  sd_ui_wait_for (sd_ui_mapped, dialog);
  g_assert_cmpuint (sd_qr_dialog_get_n_cards (dialog), ==, 3);

  sd_qr_dialog_show_card (dialog, 0);
  g_assert_cmpstr (sd_qr_dialog_get_evacuee_text (dialog), ==,
                   "Vui lòng xuất trình thẻ này tại quầy tiếp nhận của nơi sơ tán.\n"
                   "Bạn cũng có thể lưu ảnh chụp mã này trong điện thoại.");
  sd_ui_screenshot (GTK_WIDGET (dialog), "qr-dialog-vi");
  sd_qr_dialog_show_card (dialog, 1);
  g_assert_cmpstr (sd_qr_dialog_get_evacuee_text (dialog), ==, "");
  sd_qr_dialog_show_card (dialog, 2);
  g_assert_true (g_str_has_prefix (sd_qr_dialog_get_evacuee_text (dialog),
                                   "この カードを ひなんじょの うけつけで 見（み）せて ください。\n"
                                   "Show this card at the shelter desk.\n"));
  sd_ui_screenshot (GTK_WIDGET (dialog), "qr-dialog-unknown-language");

  gtk_window_destroy (GTK_WINDOW (dialog));
  desk_close (&d);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;

  sd_application_setup_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sd_application_load_style ();

  dir = g_dir_make_tmp ("sd-qr-desk-XXXXXX", NULL);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  {
    g_autofree char *conf = g_build_filename (dir, "asound.conf", NULL);
    g_autofree char *text = NULL;

    sound_path = g_build_filename (dir, "speaker.raw", NULL);
    text = g_strdup_printf ("pcm.!default {\n  type file\n  slave.pcm { type null }\n  file \"%s\"\n"
                            "  format \"raw\"\n}\n", sound_path);
    g_assert_true (g_file_set_contents (conf, text, -1, NULL));
    g_setenv ("ALSA_CONFIG_PATH", conf, TRUE);
  }
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);

  /* A loaded 2-core CI machine may pause xdotool now and then: the tests
   * give the scanner 150 ms a key, and a person 400. */
  {
    g_autoptr(GSettings) settings = g_settings_new (SD_APP_ID);
    g_settings_set_uint (settings, "scan-key-gap", 150);
  }
  g_test_add_func ("/qr/desk/keyboard-wedge", test_keyboard_wedge);
  g_test_add_func ("/qr/desk/answer-in-their-language", test_answer_in_their_language);
  g_test_add_func ("/qr/desk/self-service", test_self_service);
  g_test_add_func ("/qr/desk/card-window-in-their-language", test_card_window_in_their_language);
  g_test_add_func ("/qr/desk/person-typing", test_person_typing);
  g_test_add_func ("/qr/desk/serial-scanner", test_serial_scanner);
  g_test_add_func ("/qr/desk/prereg-and-cards", test_prereg_and_cards);
  return g_test_run ();
}
