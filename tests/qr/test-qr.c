/* test-qr.c: evacuee card and pre-registration codes, keys, scans, and what zbarimg reads back.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every PNG and every code on a PDF sheet is decoded by the real zbarimg
 * (after the real pdftoppm for the sheet) and must give back exactly the
 * payload.
 */
#include "sd-core.h"
#include "sd-json.h"
#include "../common/sd-test-wine.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char      *dir;
  SdStore   *store;
  SdShelter *shelter;
  GPtrArray *ids;     /* 山田 太郎, 山田 花子, ＮＧＵＹＥＮ */
  gint64     now_ms;
} Fixture;

static gint64
test_clock (gpointer data)
{
  return ((Fixture *) data)->now_ms;
}

static SdStore *
open_store (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL;
  SdShelterSpec shelter = { "S01", "みなと川市立東小学校", SD_SHELTER_KIND_DESIGNATED, 100, NULL };
  SdHouseholdSpec h = { .stay = SD_STAY_SHELTER, .address = "みなと川市東町1-2-3" };
  SdPersonSpec yamada[] = {
    { .name = "山田 太郎", .kana = "やまだ たろう", .birth_date = "1950-01-06", .sex = SD_SEX_MALE },
    { .name = "山田 花子", .kana = "やまだ はなこ", .birth_date = "1952-03-04", .sex = SD_SEX_FEMALE },
  };
  SdPersonSpec nguyen[] = { { .name = "ＮＧＵＹＥＮ ＶＡＮ ＡＮ", .language = "vi" } };

  f->dir = g_dir_make_tmp ("sd-qr-XXXXXX", NULL);
  f->store = open_store (f->dir, "site.sqlite");
  f->now_ms = 1795000000000;
  sd_store_set_clock (f->store, test_clock, f);
  f->shelter = sd_store_add_shelter (f->store, &shelter, &error);
  g_assert_no_error (error);
  h.shelter_id = sd_shelter_get_id (f->shelter);
  f->ids = g_ptr_array_new_with_free_func (g_free);
  h1 = sd_store_add_household (f->store, &h, yamada, 2, f->ids, &error);
  g_assert_no_error (error);
  h.stay = SD_STAY_HOME;
  h2 = sd_store_add_household (f->store, &h, nguyen, 1, f->ids, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_tree (p);
      else
        g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->shelter);
  g_clear_object (&f->store);
  g_clear_pointer (&f->ids, g_ptr_array_unref);
  remove_tree (f->dir);
  g_free (f->dir);
}

static const char *
id_of (Fixture *f, guint i)
{
  return g_ptr_array_index (f->ids, i);
}

static char *
issue (Fixture *f, guint i)
{
  g_autoptr(GError) error = NULL;
  char *text = sd_store_issue_card (f->store, id_of (f, i), &error);

  g_assert_no_error (error);
  return text;
}

static guint
n_events (Fixture *f)
{
  SdStoreCounts c;

  g_assert_true (sd_store_get_counts (f->store, &c, NULL));
  return c.events;
}

/* zbarimg's reading of FILE, exactly as decoded ("\n" between codes). */
static char *
zbar (const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", file, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

/* ---- cards ---- */

static void
test_card_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *text = issue (f, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = g_ascii_strdown (text, -1);
  SdQrCard card;

  g_assert_cmpuint (strlen (text), ==, SD_QR_CARD_TEXT_LEN);
  g_assert_true (g_str_has_prefix (text, "SDC1"));
  /* Upper-case letters and digits only: the same typed on JIS and US keyboards. */
  g_assert_cmpuint (strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), ==, strlen (text));
  g_assert_cmpint (sd_qr_kind_of (text), ==, SD_QR_KIND_CARD);

  g_assert_true (sd_store_verify_card (f->store, text, &card, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (card.person_id, ==, id_of (f, 0));
  g_assert_cmpstr (card.site_id, ==, sd_store_get_site_id (f->store));
  g_assert_cmpint (card.issued_at, ==, f->now_ms / 1000);

  /* Caps Lock on the scanner's keyboard, and the line ending it sends. */
  g_assert_true (sd_store_verify_card (f->store, lower, NULL, &error));
  {
    g_autofree char *padded = g_strdup_printf ("  %s\r\n", text);
    g_assert_true (sd_store_verify_card (f->store, padded, NULL, &error));
  }
  g_assert_no_error (error);
}

static void
expect_refused (SdStore    *store,
                const char *text,
                int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_store_verify_card (store, text, NULL, &error));
  g_assert_error (error, SD_QR_ERROR, code);
  /* Every message says what to do. */
  g_assert_cmpuint (strlen (error->message), >, 30);
}

static void
test_card_altered (Fixture *f, gconstpointer data)
{
  g_autofree char *text = issue (f, 0);
  g_autofree char *other = issue (f, 1);

  /* Every single character changed, anywhere after the prefix. */
  for (gsize i = 4; i < strlen (text); i++)
    {
      g_autofree char *altered = g_strdup (text);
      g_autoptr(GError) error = NULL;

      altered[i] = altered[i] == 'A' ? 'B' : 'A';
      g_assert_false (sd_store_verify_card (f->store, altered, NULL, &error));
      /* The key id is in the first 7 characters: a changed one names no key we know. */
      if (i < 4 + 7)
        g_assert_true (g_error_matches (error, SD_QR_ERROR, SD_QR_ERROR_FOREIGN) ||
                       g_error_matches (error, SD_QR_ERROR, SD_QR_ERROR_FORGED));
      else
        g_assert_error (error, SD_QR_ERROR, SD_QR_ERROR_FORGED);
    }

  /* One person's signature on another's body. */
  {
    g_autofree char *spliced = g_strdup (text);
    memcpy (spliced + 4 + 64, other + 4 + 64, strlen (text) - 4 - 64);
    expect_refused (f->store, spliced, SD_QR_ERROR_FORGED);
  }
  /* A character outside base32, and one too many. */
  {
    g_autofree char *bad = g_strdup (text);
    g_autofree char *longer = g_strconcat (text, "A", NULL);
    bad[50] = '1';
    expect_refused (f->store, bad, SD_QR_ERROR_FORGED);
    expect_refused (f->store, longer, SD_QR_ERROR_FORGED);
  }
}

static void
test_card_truncated (Fixture *f, gconstpointer data)
{
  g_autofree char *text = issue (f, 0);

  for (gsize len = 2; len < strlen (text); len += 7)
    {
      g_autofree char *half = g_strndup (text, len);
      expect_refused (f->store, half, SD_QR_ERROR_PARTIAL);
    }
}

static void
test_card_garbage (Fixture *f, gconstpointer data)
{
  g_autofree char *text = issue (f, 0);
  g_autofree char *newer = g_strdup (text);
  const char *garbage[] = {
    "", "   ", "https://example.jp/evacuee?id=123", "4901234567894", "S", "山田 太郎",
    "\xff\xfe\x01garbage", "SDX1AAAA",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    expect_refused (f->store, garbage[i], SD_QR_ERROR_NOT_OURS);
  newer[3] = '2';
  expect_refused (f->store, newer, SD_QR_ERROR_NEWER);
}

static void
test_card_foreign_and_shared_key (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) other = open_store (f->dir, "other.sqlite");
  g_autoptr(SdStore) kiosk = open_store (f->dir, "kiosk.sqlite");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = issue (f, 0);
  g_autofree char *secret = NULL;
  g_autofree char *public = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *kiosk_key = NULL;
  SdQrCard card;

  /* Another deployment knows nothing of our key. */
  expect_refused (other, text, SD_QR_ERROR_FOREIGN);
  g_assert_null (sd_store_get_card_key_id (other));

  /* With our public key it verifies, but cannot issue. */
  public = sd_store_export_card_key (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (public, "seed"));
  key_id = sd_store_import_card_key (other, public, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_id, ==, sd_store_get_card_key_id (f->store));
  g_assert_true (sd_store_verify_card (other, text, &card, &error));
  g_assert_no_error (error);

  /* A kiosk of the same deployment, given the secret, issues cards we accept. */
  {
    g_autofree char *own = NULL;
    SdShelterSpec s = { "S02", "北中学校", SD_SHELTER_KIND_DESIGNATED, 10, NULL };
    g_autoptr(SdShelter) shelter = sd_store_add_shelter (kiosk, &s, &error);
    SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (shelter), .stay = SD_STAY_SHELTER };
    SdPersonSpec m = { .name = "北 一郎" };
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *hh = sd_store_add_household (kiosk, &h, &m, 1, ids, &error);

    g_assert_no_error (error);
    /* Its own key first: cards made with it stay valid there after the import. */
    own = sd_store_issue_card (kiosk, g_ptr_array_index (ids, 0), &error);
    g_assert_no_error (error);

    secret = sd_store_export_card_key (f->store, TRUE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (secret, "seed"));
    g_free (key_id);
    key_id = sd_store_import_card_key (kiosk, secret, &error);
    g_assert_no_error (error);
    kiosk_key = sd_store_get_card_key_id (kiosk);
    g_assert_cmpstr (kiosk_key, ==, key_id);

    g_free (text);
    text = sd_store_issue_card (kiosk, g_ptr_array_index (ids, 0), &error);
    g_assert_no_error (error);
    g_assert_true (sd_store_verify_card (f->store, text, &card, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (card.site_id, ==, sd_store_get_site_id (kiosk));
    g_assert_true (sd_store_verify_card (kiosk, own, NULL, &error));
    g_assert_no_error (error);
    expect_refused (f->store, own, SD_QR_ERROR_FOREIGN);
  }

  /* Damaged key files are refused and change nothing. */
  {
    const char *bad[] = {
      "not json", "{\"format\":\"other\"}",
      "{\"format\":\"shelterdesk-card-key\",\"version\":1,\"public_key\":\"AAAA\"}",
      "{\"format\":\"shelterdesk-card-key\",\"version\":2}",
    };
    g_autofree char *mixed = NULL;
    g_autofree char *other_secret = sd_store_export_card_key (other, TRUE, NULL);
    g_autoptr(json_t) a = NULL;
    g_autoptr(json_t) b = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *id = sd_store_import_card_key (kiosk, bad[i], &error);
        g_assert_null (id);
        g_assert_nonnull (error);
        g_clear_error (&error);
      }
    /* One key's seed with another's public key. */
    a = sd_json_parse (secret, strlen (secret), 0, NULL);
    b = sd_json_parse (other_secret, strlen (other_secret), 0, NULL);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    mixed = g_strdup_printf ("{\"format\":\"shelterdesk-card-key\",\"version\":1,\"public_key\":\"%s\",\"seed\":\"%s\"}",
                             json_string_value (json_object_get (a, "public_key")),
                             json_string_value (json_object_get (b, "seed")));
    g_assert_null (sd_store_import_card_key (kiosk, mixed, &error));
    g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
    g_clear_error (&error);
    g_free (kiosk_key);
    kiosk_key = sd_store_get_card_key_id (kiosk);
    g_assert_cmpstr (kiosk_key, ==, key_id);
  }
}

/* A kiosk with the secret is lost: a new key everywhere, the old one removed. */
static void
test_card_key_rotation (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) hq = open_store (f->dir, "hq.sqlite");
  g_autoptr(GError) error = NULL;
  g_autofree char *old_card = issue (f, 0);
  g_autofree char *old_id = sd_store_get_card_key_id (f->store);
  g_autofree char *new_key = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *new_card = NULL;
  g_autoptr(GArray) keys = NULL;

  /* HQ's fresh key (made by exporting it), imported here with its secret. */
  new_key = sd_store_export_card_key (hq, TRUE, &error);
  g_assert_no_error (error);
  new_id = sd_store_import_card_key (f->store, new_key, &error);
  g_assert_no_error (error);
  keys = sd_store_list_card_keys (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (g_array_index (keys, SdCardKeyInfo, 0).key_id, ==, new_id);
  g_assert_true (g_array_index (keys, SdCardKeyInfo, 0).current);
  g_assert_true (g_array_index (keys, SdCardKeyInfo, 1).has_secret);
  g_assert_false (g_array_index (keys, SdCardKeyInfo, 1).current);

  /* Both kinds of card still pass until the old key goes. */
  new_card = issue (f, 0);
  g_assert_true (sd_store_verify_card (f->store, old_card, NULL, &error));
  g_assert_true (sd_store_verify_card (f->store, new_card, NULL, &error));
  g_assert_no_error (error);

  /* The key in use cannot go; a wrong id is said to be wrong. */
  g_assert_false (sd_store_remove_card_key (f->store, new_id, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sd_store_remove_card_key (f->store, "0000000g", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sd_store_remove_card_key (f->store, "00000000", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sd_store_remove_card_key (f->store, old_id, &error));
  g_assert_no_error (error);
  expect_refused (f->store, old_card, SD_QR_ERROR_FOREIGN);
  g_assert_true (sd_store_verify_card (f->store, new_card, NULL, &error));
  g_assert_no_error (error);
}

static void
test_card_png (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < f->ids->len; i++)
    {
      g_autofree char *text = issue (f, i);
      g_autofree char *png = g_build_filename (f->dir, "card.png", NULL);
      g_autofree char *read = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (sd_qr_write_png (text, 4, png, &error));
      g_assert_no_error (error);
      if (sd_test_readers_unavailable ())
        return;
      read = zbar (png);
      g_assert_cmpstr (g_strchomp (read), ==, text);
    }
}

/* ---- the sheet ---- */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
test_sheet_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pdf = g_build_filename (f->dir, "sheet.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "page", NULL);
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_SHELTER, .check_in = TRUE };

  /* 3 + 10 people: two pages.  One of them leaves and gets no card. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("避難 者%02u", i);
      g_autofree char *kana = g_strdup_printf ("ひなん しゃ%u", i);
      SdPersonSpec m = { .name = name, .kana = kana };
      g_autofree char *hh = sd_store_add_household (f->store, &h, &m, 1, f->ids, &error);
      g_assert_no_error (error);
    }
  g_free (sd_store_record_event (f->store, g_ptr_array_index (f->ids, 12), SD_EVENT_LEAVE, NULL, NULL, &error));
  g_assert_no_error (error);

  cards = sd_store_issue_cards (f->store, sd_shelter_get_id (f->shelter), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 12);
  g_assert_cmpuint (sd_qr_sheet_n_pages (cards->len), ==, 2);
  g_assert_true (sd_qr_sheet_write_pdf ((SdQrSheetCard *) cards->data, cards->len, FALSE, pdf, &error));
  g_assert_no_error (error);
  if (sd_test_readers_unavailable ())
    return;

  {
    /* At a printer's resolution: at 150 dpi zbarimg, reading a whole page
     * of codes at once, now and then missed one (a scanner reads one). */
    const char *argv[] = { "pdftoppm", "-r", "300", "-gray", "-png", pdf, prefix, NULL };
    int status;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* Issue 12, 9: the English line keeps its spaces.  Metrics hinted to
   * whole points printed "Showthiscardatthe shelter desk.": a gap of 0.8
   * pt between words 9.4 pt tall; a real space is 1.5. */
  {
    const char *argv[] = { "pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-", NULL };
    g_autofree char *text = NULL;
    const char *show, *next;
    double show_max, top, bottom, next_min;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &text, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    show = strstr (text, ">Show</word>");
    g_assert_nonnull (show);
    while (show > text && strncmp (show, "<word ", 6) != 0)
      show--;
    next = strstr (show + 1, "<word ");
    g_assert_nonnull (next);
    g_assert_nonnull (strstr (next, ">this</word>"));
    g_assert_cmpint (sscanf (strstr (show, "yMin="), "yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &top, &show_max,
                             &bottom), ==, 3);
    g_assert_cmpint (sscanf (strstr (next, "xMin="), "xMin=\"%lf\"", &next_min), ==, 1);
    g_test_message ("gap %.2f pt, words %.2f pt tall", next_min - show_max, bottom - top);
    g_assert_cmpfloat (next_min - show_max, >, 0.12 * (bottom - top));
  }
  for (guint page = 1; page <= 2; page++)
    {
      g_autofree char *png = g_strdup_printf ("%s-%u.png", prefix, page);
      g_autofree char *read = zbar (png);
      g_auto(GStrv) lines = g_strsplit (g_strchomp (read), "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_ptr_array_add (found, g_strdup (lines[i]));
    }
  for (guint i = 0; i < cards->len; i++)
    g_ptr_array_add (expected, g_strdup (g_array_index (cards, SdQrSheetCard, i).text));
  g_ptr_array_sort (expected, compare_strings);
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; g_test_verbose () && i < MAX (found->len, expected->len); i++)
    g_test_message ("%s | %s", i < found->len ? (char *) g_ptr_array_index (found, i) : "-",
                    i < expected->len ? (char *) g_ptr_array_index (expected, i) : "-");
  /* Exactly the payloads, each once. */
  g_assert_cmpuint (found->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (found, i), ==, g_ptr_array_index (expected, i));
}

/* ---- scanning ---- */

static SdScanResult *
scan (Fixture *f, const char *text, SdEventKind mode, GError **error)
{
  SdScanSettings s = { mode, sd_shelter_get_id (f->shelter), NULL, 60 };

  return sd_store_scan (f->store, text, &s, error);
}

static void
expect_outcome (Fixture *f, const char *text, SdEventKind mode, SdScanOutcome outcome, SdPersonStatus status)
{
  g_autoptr(GError) error = NULL;
  guint before = n_events (f);
  g_autoptr(SdScanResult) r = scan (f, text, mode, &error);

  g_assert_no_error (error);
  if (r->outcome != outcome)
    g_test_message ("mode %d: %s", mode, r->message ? r->message : "-");
  g_assert_cmpint (r->outcome, ==, outcome);
  g_assert_cmpint (r->kind, ==, mode);
  g_assert_cmpint (sd_person_get_status (r->person), ==, status);
  g_assert_cmpuint (n_events (f), ==, before + (outcome == SD_SCAN_RECORDED));
  if (outcome == SD_SCAN_RECORDED)
    g_assert_nonnull (r->event_id);
  if (outcome == SD_SCAN_REFUSED)
    g_assert_cmpuint (strlen (r->message), >, 20);
  f->now_ms += 61 * 1000;
}

/* Issue 21: a card speaks the desk's language and its holder's, from the
 * record, with English for a Japanese holder or a language not offered;
 * the PDF's text says so (pdftotext). */
static void
test_sheet_languages (Fixture *f, gconstpointer data)
{
  static const struct { const char *name, *language, *title, *hint; } people[] = {
    { "グエン ラン", "vi", "Thẻ người sơ tán", "Vui lòng xuất trình thẻ này" },
    { "王 芳", "zh-Hans", "避难者卡", "请在避难所服务台出示此卡" },
    { "ソム チャイ", "th", "Evacuee card", "Show this card at the shelter desk." },
    { "カード 花子", NULL, "Evacuee card", "Show this card at the shelter desk." },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *pdf = g_build_filename (f->dir, "languages.pdf", NULL);
  g_autofree char *text = NULL;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_SHELTER };
  SdPersonSpec m[G_N_ELEMENTS (people)];
  g_autofree char *hh = NULL;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    m[i] = (SdPersonSpec) { .name = people[i].name, .language = people[i].language };
  hh = sd_store_add_household (f->store, &h, m, G_N_ELEMENTS (m), ids, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  cards = sd_store_issue_cards (f->store, NULL, (const char *const *) ids->pdata, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, G_N_ELEMENTS (people));
  g_assert_true (sd_qr_sheet_write_pdf ((SdQrSheetCard *) cards->data, cards->len, FALSE, pdf, &error));
  g_assert_no_error (error);
  if (sd_test_readers_unavailable ())
    return;
  {
    const char *argv[] = { "pdftotext", "-raw", "-enc", "UTF-8", pdf, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  {
    /* Card by card, in the order drawn: a card's title comes before its
     * holder's name, its hint after it, before the next card's title. */
    const char *at = text;

    for (guint i = 0; i < G_N_ELEMENTS (people); i++)
      {
        const char *name = strstr (at, people[i].name);
        const char *next;
        g_autofree char *before = NULL, *after = NULL;

        g_assert_nonnull (name);
        next = i + 1 < G_N_ELEMENTS (people) ? strstr (name, people[i + 1].name) : name + strlen (name);
        g_assert_nonnull (next);
        before = g_strdelimit (g_strndup (at, (gsize) (name - at)), "\n", ' ');
        after = g_strdelimit (g_strndup (name, (gsize) (next - name)), "\n", ' ');
        g_test_message ("%s: %s | %s", people[i].language ? people[i].language : "ja", before, after);
        /* The desk's language first (this test's is C: English). */
        g_assert_nonnull (strstr (before, _("Evacuee card")));
        g_assert_nonnull (strstr (before, people[i].title));
        g_assert_nonnull (strstr (after, _("Show this card at the shelter desk.")));
        g_assert_nonnull (strstr (after, people[i].hint));
        at = name + strlen (people[i].name);
      }
  }
}

static void
test_scan_modes (Fixture *f, gconstpointer data)
{
  g_autofree char *taro = issue (f, 0);
  g_autofree char *an = issue (f, 2);
  g_autoptr(GError) error = NULL;

  expect_outcome (f, taro, SD_EVENT_ARRIVE, SD_SCAN_RECORDED, SD_PERSON_STATUS_IN);
  expect_outcome (f, taro, SD_EVENT_ARRIVE, SD_SCAN_REFUSED, SD_PERSON_STATUS_IN);
  expect_outcome (f, taro, SD_EVENT_RETURN, SD_SCAN_REFUSED, SD_PERSON_STATUS_IN);
  expect_outcome (f, taro, SD_EVENT_GO_OUT, SD_SCAN_RECORDED, SD_PERSON_STATUS_OUT);
  expect_outcome (f, taro, SD_EVENT_SUPPLY, SD_SCAN_RECORDED, SD_PERSON_STATUS_OUT);
  expect_outcome (f, taro, SD_EVENT_RETURN, SD_SCAN_RECORDED, SD_PERSON_STATUS_IN);
  /* At home (在宅避難): supplies through the shelter, nothing else needed. */
  expect_outcome (f, an, SD_EVENT_SUPPLY, SD_SCAN_RECORDED, SD_PERSON_STATUS_NONE);
  expect_outcome (f, an, SD_EVENT_GO_OUT, SD_SCAN_REFUSED, SD_PERSON_STATUS_NONE);
  expect_outcome (f, taro, SD_EVENT_LEAVE, SD_SCAN_RECORDED, SD_PERSON_STATUS_LEFT);

  /* Who left: nothing recorded, in any mode, and the desk is told when. */
  for (SdEventKind mode = SD_EVENT_ARRIVE; mode <= SD_EVENT_SUPPLY; mode++)
    {
      g_autoptr(SdScanResult) r = scan (f, taro, mode, &error);
      g_assert_no_error (error);
      g_assert_cmpint (r->outcome, ==, SD_SCAN_REFUSED);
      g_assert_true (r->has_left);
      g_assert_cmpint (r->previous_at, >, 0);
      f->now_ms += 61 * 1000;
    }
  expect_outcome (f, taro, SD_EVENT_SUPPLY, SD_SCAN_REFUSED, SD_PERSON_STATUS_LEFT);
}

static void
test_scan_repeat (Fixture *f, gconstpointer data)
{
  g_autofree char *hanako = issue (f, 1);
  g_autoptr(GError) error = NULL;
  SdScanSettings s = { SD_EVENT_SUPPLY, sd_shelter_get_id (f->shelter), NULL, 30 };
  guint before = n_events (f);
  gint64 first_at = f->now_ms;

  {
    g_autoptr(SdScanResult) r = sd_store_scan (f->store, hanako, &s, &error);
    g_assert_cmpint (r->outcome, ==, SD_SCAN_RECORDED);
  }
  /* 29 s later: ignored, and says when it was recorded. */
  f->now_ms += 29 * 1000;
  {
    g_autoptr(SdScanResult) r = sd_store_scan (f->store, hanako, &s, &error);
    g_assert_cmpint (r->outcome, ==, SD_SCAN_REPEATED);
    g_assert_cmpint (r->previous_at, ==, first_at);
  }
  g_assert_cmpuint (n_events (f), ==, before + 1);
  /* After the interval, a second pickup is a second pickup. */
  f->now_ms += 2 * 1000;
  {
    g_autoptr(SdScanResult) r = sd_store_scan (f->store, hanako, &s, &error);
    g_assert_cmpint (r->outcome, ==, SD_SCAN_RECORDED);
  }
  g_assert_cmpuint (n_events (f), ==, before + 2);
  /* Interval 0: never ignored. */
  s.repeat_seconds = 0;
  {
    g_autoptr(SdScanResult) r = sd_store_scan (f->store, hanako, &s, &error);
    g_assert_cmpint (r->outcome, ==, SD_SCAN_RECORDED);
  }
  g_assert_no_error (error);
}

static void
test_scan_bad_codes (Fixture *f, gconstpointer data)
{
  g_autofree char *taro = issue (f, 0);
  g_autoptr(SdStore) other = open_store (f->dir, "other.sqlite");
  g_autoptr(SdStore) kiosk = open_store (f->dir, "kiosk.sqlite");
  g_autofree char *foreign = NULL;
  g_autofree char *secret = sd_store_export_card_key (f->store, TRUE, NULL);
  g_autofree char *unknown = NULL;
  guint before = n_events (f);
  struct { const char *text; int code; } bad[] = {
    { "hello world", SD_QR_ERROR_NOT_OURS },
    { NULL, SD_QR_ERROR_PARTIAL },      /* half of taro's */
    { NULL, SD_QR_ERROR_FORGED },       /* taro's, altered */
    { NULL, SD_QR_ERROR_FOREIGN },      /* another deployment's */
    { NULL, SD_QR_ERROR_UNKNOWN_PERSON },  /* ours, for someone not in this database */
  };
  g_autofree char *half = g_strndup (taro, 90);
  g_autofree char *altered = g_strdup (taro);

  altered[100] = altered[100] == 'Q' ? 'R' : 'Q';
  bad[1].text = half;
  bad[2].text = altered;
  {
    SdShelterSpec s = { "X1", "他市", SD_SHELTER_KIND_DESIGNATED, 10, NULL };
    g_autoptr(SdShelter) shelter = sd_store_add_shelter (other, &s, NULL);
    SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (shelter) };
    SdPersonSpec m = { .name = "他 一郎" };
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *hh = sd_store_add_household (other, &h, &m, 1, ids, NULL);

    g_autoptr(SdShelter) kiosk_shelter = sd_store_add_shelter (kiosk, &s, NULL);
    g_autofree char *kh = NULL;

    foreign = sd_store_issue_card (other, g_ptr_array_index (ids, 0), NULL);
    g_free (sd_store_import_card_key (kiosk, secret, NULL));
    h.shelter_id = sd_shelter_get_id (kiosk_shelter);
    kh = sd_store_add_household (kiosk, &h, &m, 1, ids, NULL);
    unknown = sd_store_issue_card (kiosk, g_ptr_array_index (ids, 1), NULL);
    g_assert_nonnull (foreign);
    g_assert_nonnull (unknown);
  }
  bad[3].text = foreign;
  bad[4].text = unknown;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    for (SdEventKind mode = SD_EVENT_ARRIVE; mode <= SD_EVENT_SUPPLY; mode++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(SdScanResult) r = scan (f, bad[i].text, mode, &error);

        g_assert_null (r);
        g_assert_error (error, SD_QR_ERROR, bad[i].code);
      }
  g_assert_cmpuint (n_events (f), ==, before);
}

/* ---- pre-registration ---- */

static const char prereg_json[] =
  "{ \"format\": \"shelterdesk-prereg\", \"version\": 1,"
  "  \"household\": { \"address\": \"みなと川市西町4-5-6\", \"phone\": \"090-2222-3333\","
  "                   \"stay\": \"vehicle\", \"vehicle_plate\": \"みなと 300 さ 45-67\","
  "                   \"pets\": \"猫\", \"pets_count\": 2 },"
  "  \"members\": ["
  "    { \"name\": \"川口 一郎\", \"kana\": \"かわぐち いちろう\", \"birth_date\": \"昭和25年1月6日\","
  "      \"sex\": \"male\", \"consent_disclose\": true, \"illness\": \"糖尿病（インスリン）\","
  "      \"care_level\": \"care2\", \"mobility\": \"車いす\" },"
  "    { \"name\": \"Maria Santos\", \"kana\": \"マリア サントス\", \"birth_date\": \"1988-11-02\","
  "      \"sex\": \"female\", \"pregnant\": true, \"language\": \"pt-BR\", \"allergies\": \"そば\" }"
  "  ] }";

static void
test_prereg_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrereg) p = sd_prereg_new_from_json (prereg_json, -1, &error);
  g_autoptr(SdPrereg) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json1 = NULL, *json2 = NULL;
  g_autofree char *png = g_build_filename (f->dir, "prereg.png", NULL);
  g_autofree char *read = NULL;
  const SdPersonSpec *m;
  guint n;

  g_assert_no_error (error);
  text = sd_prereg_to_text (p, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "SDP1"));
  g_assert_cmpuint (strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), ==, strlen (text));
  g_assert_cmpuint (strlen (text), <=, SD_QR_PREREG_MAX_TEXT);

  g_assert_true (sd_qr_write_png (text, 3, png, &error));
  if (sd_test_readers_unavailable ())
    return;
  read = zbar (png);
  g_assert_cmpstr (g_strchomp (read), ==, text);

  back = sd_prereg_new_from_text (read, &error);
  g_assert_no_error (error);
  json1 = sd_prereg_to_json (p);
  json2 = sd_prereg_to_json (back);
  g_assert_cmpstr (json1, ==, json2);

  m = sd_prereg_get_members (back, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (m[0].name, ==, "川口 一郎");
  g_assert_cmpstr (m[0].birth_date, ==, "1950-01-06");  /* the era date, understood */
  g_assert_cmpint (m[0].care_level, ==, SD_CARE_2);
  g_assert_true (m[0].consent_disclose);
  g_assert_true (m[1].pregnant);
  g_assert_cmpstr (m[1].language, ==, "pt-BR");
  g_assert_cmpint (sd_prereg_get_household (back)->stay, ==, SD_STAY_VEHICLE);
  g_assert_cmpuint (sd_prereg_get_household (back)->pets_count, ==, 2);

  /* Scanned at the desk: handed back for the intake form, nothing recorded. */
  {
    guint before = n_events (f);
    g_autoptr(SdScanResult) r = scan (f, text, SD_EVENT_ARRIVE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->outcome, ==, SD_SCAN_PREREG);
    g_assert_nonnull (r->prereg);
    g_assert_cmpuint (n_events (f), ==, before);
  }
}

static void
test_prereg_bad (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPrereg) p = sd_prereg_new_from_json (prereg_json, -1, &error);
  g_autofree char *text = sd_prereg_to_text (p, &error);
  const char *bad_json[] = {
    "[]", "{}", "{\"members\": []}", "{\"members\": [{\"kana\": \"な\"}]}",
    "{\"members\": [{\"name\": \"a\", \"birth_date\": \"昭和65年1月1日\"}]}",
    "{\"members\": [{\"name\": \"a\", \"sex\": \"x\"}]}",
    "{\"members\": [{\"name\": 5}]}",
    "{\"format\": \"other\", \"members\": [{\"name\": \"a\"}]}",
    "{\"members\": [{\"name\": \"a\"}], \"household\": {\"pets_count\": -1}}",
    "\xff\xfe{}",
  };
  /* The same strict reading as every other way a household comes in:
   * each is refused naming the field that is wrong. */
  const struct { const char *json; const char *words; } strict[] = {
    { "{\"members\": [{\"name\": \"a\"}], \"household\": {\"adress\": \"x\"}}", "“adress”" },
    { "{\"members\": [{\"name\": \"a\", \"adress\": \"x\"}]}", "“adress”" },
    { "{\"members\": [{\"name\": \"a\"}], \"househld\": {}}", "“househld”" },
    { "{\"members\": [{\"name\": \"a\", \"phone\": 9012345678}]}", "“phone”" },
    { "{\"members\": [{\"name\": \"a\"}], \"household\": {\"phone\": 9012345678}}", "“phone”" },
    { "{\"members\": [{\"name\": \"a\", \"consent_disclose\": \"true\"}]}", "“consent_disclose”" },
    { "{\"members\": [{\"name\": \"a\\u202eb\"}]}", "U+202E" },
    { "{\"members\": [{\"name\": \"a\\u0000b\"}]}", "U+0000" },
    { "{\"members\": [{\"name\": \"a\"}]}{\"members\": [{\"name\": \"b\"}]}", "more after the end" },
    { "{'members': [{'name': 'a'}]}", "double quotes" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_json); i++)
    {
      g_autoptr(SdPrereg) q = sd_prereg_new_from_json (bad_json[i], -1, &error);
      g_assert_null (q);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (strict); i++)
    {
      g_autoptr(SdPrereg) q = sd_prereg_new_from_json (strict[i].json, -1, &error);
      g_assert_null (q);
      g_assert_error (error, SD_QR_ERROR, SD_QR_ERROR_INVALID);
      if (strstr (error->message, strict[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, strict[i].words);
      g_clear_error (&error);
    }

  /* Half-read, at every length. */
  for (gsize len = 3; len < strlen (text); len += 5)
    {
      g_autofree char *half = g_strndup (text, len);
      g_autoptr(SdPrereg) q = sd_prereg_new_from_text (half, &error);
      g_assert_null (q);
      g_assert_error (error, SD_QR_ERROR, SD_QR_ERROR_PARTIAL);
      g_clear_error (&error);
    }
  /* Altered. */
  {
    g_autofree char *altered = g_strdup (text);
    g_autoptr(SdPrereg) q = NULL;
    altered[40] = altered[40] == 'A' ? 'B' : 'A';
    q = sd_prereg_new_from_text (altered, &error);
    g_assert_null (q);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  /* Too many words for one code. */
  {
    GString *big = g_string_new ("{\"members\": [");
    g_autoptr(SdPrereg) q = NULL;
    g_autofree char *t = NULL;

    for (guint i = 0; i < 10; i++)
      {
        g_string_append_printf (big, "%s{\"name\": \"", i ? "," : "");
        for (guint j = 0; j < 100; j++)
          g_string_append_unichar (big, 0x4e00 + g_random_int_range (0, 20000));
        g_string_append (big, "\"}");
      }
    g_string_append (big, "]}");
    q = sd_prereg_new_from_json (big->str, -1, &error);
    g_assert_no_error (error);
    t = sd_prereg_to_text (q, &error);
    g_assert_null (t);
    g_assert_error (error, SD_QR_ERROR, SD_QR_ERROR_TOO_LARGE);
    g_string_free (big, TRUE);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/qr/card/round-trip", test_card_round_trip);
  ADD ("/qr/card/altered", test_card_altered);
  ADD ("/qr/card/truncated", test_card_truncated);
  ADD ("/qr/card/garbage", test_card_garbage);
  ADD ("/qr/card/foreign-and-shared-key", test_card_foreign_and_shared_key);
  ADD ("/qr/card/key-rotation", test_card_key_rotation);
  ADD ("/qr/card/png", test_card_png);
  ADD ("/qr/sheet/pdf", test_sheet_pdf);
  ADD ("/qr/sheet/languages", test_sheet_languages);
  ADD ("/qr/scan/modes", test_scan_modes);
  ADD ("/qr/scan/repeat", test_scan_repeat);
  ADD ("/qr/scan/bad-codes", test_scan_bad_codes);
  ADD ("/qr/prereg/round-trip", test_prereg_round_trip);
  ADD ("/qr/prereg/bad", test_prereg_bad);
#undef ADD

  return g_test_run ();
}
