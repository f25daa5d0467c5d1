/* test-shelter-guide.c: the shelter guide: times as people type them, what is kept, two desks at once, the printed page in every language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-json.h"
#include "sd-store-private.h"
#include "sd-evacuee-text.h"
#include "../common/sd-test-wine.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char      *dir;
  char      *path;
  SdStore   *store;
  SdShelter *shelter;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdShelterSpec spec = { "E1", "みなと川市立東小学校", SD_SHELTER_KIND_DESIGNATED, 100, NULL };

  f->dir = g_dir_make_tmp ("sd-guide-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->shelter = sd_store_add_shelter (f->store, &spec, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->shelter);
  g_clear_object (&f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static SdShelterGuide *
demo_guide (void)
{
  SdShelterGuide *guide = sd_shelter_guide_new ();

  guide->times[SD_GUIDE_BREAKFAST] = g_strdup ("7:00");
  guide->times[SD_GUIDE_LUNCH] = g_strdup ("12時");
  guide->times[SD_GUIDE_DINNER] = g_strdup ("午後6時");
  guide->times[SD_GUIDE_LIGHTS_OUT] = g_strdup ("２２：００");
  guide->times[SD_GUIDE_LIGHTS_ON] = g_strdup ("6時半");
  guide->places[SD_GUIDE_ASK] = g_strdup ("  体育館入口の受付  ");
  guide->places[SD_GUIDE_SUPPLIES] = g_strdup ("ピロティ（給食室前）");
  guide->places[SD_GUIDE_PETS] = g_strdup ("校舎北側の自転車置き場");
  guide->places[SD_GUIDE_SMOKING] = g_strdup ("正門横の喫煙所");
  guide->places[SD_GUIDE_CHARGING] = g_strdup ("図書室");
  guide->rules = (1u << SD_N_GUIDE_RULES) - 1;
  guide->note = g_strdup ("給水車は毎日10時と15時に校庭に来ます。\n入浴支援は自衛隊のテントで行います。");
  return guide;
}

/* ---- times ---- */

static void
test_times (void)
{
  static const struct { const char *typed; const char *kept; } good[] = {
    { "7:00", "07:00" }, { "07:00", "07:00" }, { "19.30", "19:30" }, { "７：３０", "07:30" },
    { "7時", "07:00" }, { "7時半", "07:30" }, { "7時15分", "07:15" }, { "午後6時", "18:00" },
    { "午前0時", "00:00" }, { "午後12時", "12:00" }, { "午前12時", "00:00" }, { "6 pm", "18:00" },
    { "6:30PM", "18:30" }, { "1830", "18:30" }, { "730", "07:30" }, { "9", "09:00" }, { " 0:05 ", "00:05" },
    /* Other scripts' digits are digits, never midnight. */
    { "٧:٣٠", "07:30" }, { "७:३०", "07:30" },
  };
  static const char *const bad[] = { "25:00", "7:60", "朝", "7時間", "午後18時", "12345", "7:0", "-1", "7:00:00" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *time = NULL;

      g_assert_true (sd_guide_time_parse (good[i].typed, "朝食", &time, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (time, ==, good[i].kept);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *time = NULL;

      g_assert_false (sd_guide_time_parse (bad[i], "朝食", &time, &error));
      g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_nonnull (strstr (error->message, "朝食"));
      g_assert_null (time);
    }
  {
    g_autofree char *time = (char *) 1;

    g_assert_true (sd_guide_time_parse ("  ", "朝食", &time, NULL));
    g_assert_null (time);
  }
  {
    g_autofree char *shown = sd_guide_time_format ("07:05");
    g_autofree char *typed = sd_guide_time_format ("12時");  /* five bytes, not a kept time */

    g_assert_cmpstr (shown, ==, "7:05");
    g_assert_null (typed);
  }
}

/* ---- the store ---- */

static void
test_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) empty = NULL;
  g_autoptr(SdShelterGuide) guide = demo_guide ();
  g_autoptr(SdShelterGuide) read = NULL;
  g_autoptr(SdShelterGuide) again = NULL;
  const char *id = sd_shelter_get_id (f->shelter);

  empty = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (sd_shelter_guide_is_empty (empty));
  g_assert_cmpstr (empty->shelter_name, ==, "みなと川市立東小学校");
  g_assert_cmpint (empty->updated_at, ==, 0);

  g_assert_true (sd_store_set_shelter_guide (f->store, id, NULL, guide, &error));
  g_assert_no_error (error);
  read = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->times[SD_GUIDE_BREAKFAST], ==, "07:00");
  g_assert_cmpstr (read->times[SD_GUIDE_LUNCH], ==, "12:00");
  g_assert_cmpstr (read->times[SD_GUIDE_DINNER], ==, "18:00");
  g_assert_cmpstr (read->times[SD_GUIDE_LIGHTS_OUT], ==, "22:00");
  g_assert_cmpstr (read->times[SD_GUIDE_LIGHTS_ON], ==, "06:30");
  g_assert_cmpstr (read->places[SD_GUIDE_ASK], ==, "体育館入口の受付");
  g_assert_cmpuint (read->rules, ==, (1u << SD_N_GUIDE_RULES) - 1);
  g_assert_cmpstr (read->note, ==, guide->note);
  g_assert_cmpint (read->updated_at, >, 0);
  g_assert_false (sd_shelter_guide_is_empty (read));

  /* Saving what is there writes nothing: the date printed stays. */
  g_assert_true (sd_store_set_shelter_guide (f->store, id, read, read, &error));
  g_assert_no_error (error);
  again = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_cmpint (again->updated_at, ==, read->updated_at);
  g_assert_true (sd_shelter_guide_equal (again, read));

  /* The op-log has every line, so the guide travels with the shelter. */
  g_assert_true (sd_store_check (f->store, &error));
  g_assert_no_error (error);

  /* And it survives closing the file. */
  g_clear_object (&f->store);
  f->store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, sd_shelter_guide_free);
  again = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_true (sd_shelter_guide_equal (again, read));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  const char *id = sd_shelter_get_id (f->shelter);
  g_autoptr(SdShelterGuide) good = demo_guide ();
  g_autoptr(SdShelterGuide) kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_store_set_shelter_guide (f->store, id, NULL, good, &error));
  g_assert_no_error (error);
  kept = sd_store_get_shelter_guide (f->store, id, &error);

  for (guint which = 0; which < 5; which++)
    {
      g_autoptr(SdShelterGuide) guide = demo_guide ();
      g_autoptr(SdShelterGuide) after = NULL;

      switch (which)
        {
        case 0:
          g_free (guide->times[SD_GUIDE_LUNCH]);
          guide->times[SD_GUIDE_LUNCH] = g_strdup ("昼ごろ");
          break;
        case 1:
          g_free (guide->places[SD_GUIDE_ASK]);
          guide->places[SD_GUIDE_ASK] = g_strnfill (SD_GUIDE_PLACE_MAX_CHARS + 1, 'a');
          break;
        case 2:
          g_free (guide->places[SD_GUIDE_ASK]);
          guide->places[SD_GUIDE_ASK] = g_strdup ("受付\xe2\x80\xae付受");  /* U+202E */
          break;
        case 3:
          g_free (guide->note);
          guide->note = g_strnfill (SD_GUIDE_NOTE_MAX_CHARS + 1, 'x');
          break;
        default:
          guide->rules |= 1u << SD_N_GUIDE_RULES;
          break;
        }
      g_clear_error (&error);
      g_assert_false (sd_store_set_shelter_guide (f->store, id, kept, guide, &error));
      g_assert_true (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID) ||
                     g_error_matches (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE));
      after = sd_store_get_shelter_guide (f->store, id, NULL);
      g_assert_true (sd_shelter_guide_equal (after, kept));
    }

  g_clear_error (&error);
  g_assert_false (sd_store_set_shelter_guide (f->store, "00000000-0000-7000-8000-00000000dead", NULL, good, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
}

/* Two desks on the same file, each editing a guide it read before the
 * other saved: each keeps the lines it changed, neither undoes the
 * other's. */
static void
test_two_desks (Fixture *f, gconstpointer data)
{
  const char *id = sd_shelter_get_id (f->shelter);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) other = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdShelterGuide) first = demo_guide ();
  g_autoptr(SdShelterGuide) read_a = NULL, read_b = NULL, edit_a = NULL, edit_b = NULL, after = NULL;

  g_assert_no_error (error);
  g_assert_true (sd_store_set_shelter_guide (f->store, id, NULL, first, &error));
  read_a = sd_store_get_shelter_guide (f->store, id, &error);
  read_b = sd_store_get_shelter_guide (other, id, &error);
  g_assert_no_error (error);

  edit_a = sd_shelter_guide_copy (read_a);
  g_free (edit_a->times[SD_GUIDE_LUNCH]);
  edit_a->times[SD_GUIDE_LUNCH] = g_strdup ("12:30");
  edit_a->rules &= ~(1u << SD_GUIDE_RULE_NO_ALCOHOL);
  edit_b = sd_shelter_guide_copy (read_b);
  g_free (edit_b->places[SD_GUIDE_ASK]);
  edit_b->places[SD_GUIDE_ASK] = g_strdup ("職員室");
  g_clear_pointer (&edit_b->note, g_free);

  g_assert_true (sd_store_set_shelter_guide (f->store, id, read_a, edit_a, &error));
  g_assert_true (sd_store_set_shelter_guide (other, id, read_b, edit_b, &error));
  g_assert_no_error (error);

  after = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_cmpstr (after->times[SD_GUIDE_LUNCH], ==, "12:30");
  g_assert_false (after->rules & (1u << SD_GUIDE_RULE_NO_ALCOHOL));
  g_assert_cmpstr (after->places[SD_GUIDE_ASK], ==, "職員室");
  g_assert_null (after->note);
  g_assert_cmpstr (after->times[SD_GUIDE_DINNER], ==, "18:00");
}

/* ---- the printed page ---- */

static char *
squeezed (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, "\n ", -1);
  return g_strjoinv ("", parts);
}

static char *
pdf_text (const char *pdf,
          guint       page)
{
  g_autofree char *first = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-f", first, "-l", first, "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* pdftotext breaks lines where the page does: compare without them. */
  return squeezed (out);
}

/* The page in each language: every glyph there (Pango found a font
 * for every character), its own words on it as text a PDF reader finds,
 * the places in Japanese on every page. */
static void
test_page_every_language (Fixture *f, gconstpointer data)
{
  const char *id = sd_shelter_get_id (f->shelter);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) guide = demo_guide ();
  g_autoptr(SdShelterGuide) kept = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autofree char *pdf = g_build_filename (f->dir, "guide.pdf", NULL);
  g_autofree char *partial = g_strconcat (pdf, ".part", NULL);
  const SdEvacueeLanguage *languages;
  guint n;

  g_assert_true (sd_store_set_shelter_guide (f->store, id, NULL, guide, &error));
  kept = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_no_error (error);
  languages = sd_evacuee_languages (&n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (codes, (gpointer) languages[i].code);
  g_ptr_array_add (codes, NULL);

  g_assert_true (sd_shelter_guide_write_pdf (kept, (const char *const *) codes->pdata, FALSE, pdf, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* Every glyph there, on Windows too (under Wine: the fonts the
   * installer ships, Devanagari's included). */
  for (guint i = 0; i < n; i++)
    {
      g_test_message ("%s: %u missing glyphs", languages[i].code,
                      sd_shelter_guide_count_missing_glyphs (kept, languages[i].code));
      g_assert_cmpuint (sd_shelter_guide_count_missing_glyphs (kept, languages[i].code), ==, 0);
    }
  /* The check can fail: a character no font has (a private-use one) is
   * counted. */
  {
    g_autoptr(SdShelterGuide) odd = sd_shelter_guide_copy (kept);

    g_free (odd->note);
    odd->note = g_strdup ("\xee\x80\x80\xee\x80\x81");  /* U+E000 U+E001 */
    g_assert_cmpuint (sd_shelter_guide_count_missing_glyphs (odd, "vi"), ==, 2);
  }
  if (sd_test_readers_unavailable ())
    return;

  for (guint i = 0; i < n; i++)
    {
      const char *code = languages[i].code;
      g_autofree char *text = pdf_text (pdf, i + 1);
      g_autofree char *title = squeezed (sd_evacuee_gettext (code, "Shelter guide"));
      g_autofree char *rule = squeezed (sd_guide_rule_text (SD_GUIDE_RULE_TELL_DESK, code));
      g_autofree char *breakfast = squeezed (sd_evacuee_gettext (code, "Breakfast"));

      g_assert_nonnull (strstr (text, title));
      g_assert_nonnull (strstr (text, rule));
      g_assert_nonnull (strstr (text, breakfast));
      g_assert_nonnull (strstr (text, "体育館入口の受付"));
      g_assert_nonnull (strstr (text, "正門横の喫煙所"));
      g_assert_nonnull (strstr (text, "7:00"));
      g_assert_nonnull (strstr (text, "18:00"));
      g_assert_nonnull (strstr (text, "6:30"));
      /* Everything fits: the footer is there, the note's last line too. */
      g_assert_nonnull (strstr (text, "入浴支援は自衛隊のテントで行います。"));
      if (g_str_equal (code, "en"))
        g_assert_nonnull (strstr (text, "Ifanythingisunclear,showthispageatthedesk."));
      /* Every language but English has its own words for the title. */
      if (!g_str_equal (code, "en"))
        g_assert_cmpstr (sd_evacuee_gettext (code, "Shelter guide"), !=, "Shelter guide");
    }
}

/* A language not offered prints in English, never a blank page. */
static void
test_page_unknown_language (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) guide = demo_guide ();
  g_autofree char *pdf = g_build_filename (f->dir, "guide-xx.pdf", NULL);
  const char *const languages[] = { "xx", NULL };
  g_autofree char *text = NULL;

  g_autoptr(SdShelterGuide) kept = NULL;

  g_assert_true (sd_store_set_shelter_guide (f->store, sd_shelter_get_id (f->shelter), NULL, guide, &error));
  kept = sd_store_get_shelter_guide (f->store, sd_shelter_get_id (f->shelter), &error);
  g_assert_true (sd_shelter_guide_write_pdf (kept, languages, TRUE, pdf, &error));
  g_assert_no_error (error);
  if (sd_test_readers_unavailable ())
    return;
  text = pdf_text (pdf, 1);
  g_assert_nonnull (strstr (text, "Shelterguide"));
  g_assert_nonnull (strstr (text, "訓練"));  /* the exercise's mark */
}

/* A folder that cannot be written: a message, nothing left behind. */
static void
test_pdf_unwritable (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) guide = demo_guide ();
  g_autofree char *pdf = g_build_filename (f->dir, "no-such-folder", "guide.pdf", NULL);
  const char *const languages[] = { "vi", NULL };

  g_assert_false (sd_shelter_guide_write_pdf (guide, languages, FALSE, pdf, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* One line at a time, each a different one, many times in one process:
 * each value lands in its own column (the store's statement cache once
 * handed a save the statement of another line). */
static void
test_one_line_at_a_time (Fixture *f, gconstpointer data)
{
  const char *id = sd_shelter_get_id (f->shelter);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < SD_N_GUIDE_TIMES + SD_N_GUIDE_PLACES; i++)
      {
        g_autoptr(SdShelterGuide) base = sd_store_get_shelter_guide (f->store, id, &error);
        g_autoptr(SdShelterGuide) edit = sd_shelter_guide_copy (base);
        g_autoptr(SdShelterGuide) after = NULL;

        g_assert_no_error (error);
        if (i < SD_N_GUIDE_TIMES)
          {
            g_free (edit->times[i]);
            edit->times[i] = g_strdup_printf ("%u:%02u", 6 + i, round * 10 + i);
          }
        else
          {
            g_free (edit->places[i - SD_N_GUIDE_TIMES]);
            edit->places[i - SD_N_GUIDE_TIMES] = g_strdup_printf ("第%u会議室 %u", i, round);
          }
        g_assert_true (sd_store_set_shelter_guide (f->store, id, base, edit, &error));
        g_assert_no_error (error);
        after = sd_store_get_shelter_guide (f->store, id, &error);
        for (guint t = 0; t < SD_N_GUIDE_TIMES; t++)
          {
            g_autofree char *typed = NULL;

            g_assert_true (sd_guide_time_parse (edit->times[t], "", &typed, NULL));
            g_assert_cmpstr (after->times[t], ==, typed);
          }
        for (guint p = 0; p < SD_N_GUIDE_PLACES; p++)
          g_assert_cmpstr (after->places[p], ==, edit->places[p]);
      }
}

/* A rule a newer ShelterDesk wrote (as a batch would bring it) is kept
 * when this one saves the rules; a place is checked as it will be stored;
 * null clears the rules in JSON. */
static void
test_kept_as_written (Fixture *f, gconstpointer data)
{
  const char *id = sd_shelter_get_id (f->shelter);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) base = NULL, edit = NULL, after = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE shelters SET guide_rules = 'no-smoking karaoke-quiet quiet' "
                                          "WHERE id = '%s'", id);
  g_autoptr(GString) long_place = g_string_new (NULL);

  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  base = sd_store_get_shelter_guide (f->store, id, &error);
  g_assert_cmpuint (base->rules, ==, 1u << SD_GUIDE_RULE_NO_SMOKING | 1u << SD_GUIDE_RULE_QUIET);
  edit = sd_shelter_guide_copy (base);
  edit->rules |= 1u << SD_GUIDE_RULE_PETS;
  g_assert_true (sd_store_set_shelter_guide (f->store, id, base, edit, &error));
  g_assert_no_error (error);
  {
    g_autofree char *rules = NULL;
    sqlite3_stmt *stmt;
    g_autofree char *query = g_strdup_printf ("SELECT guide_rules FROM shelters WHERE id = '%s'", id);

    g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->store), query, -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    rules = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    g_assert_cmpstr (rules, ==, "no-smoking pets quiet karaoke-quiet");
  }

  /* 30 × ㍿ is 30 characters typed and 120 stored: refused by the
   * desk's own message, not by SQLite's constraint. */
  for (guint i = 0; i < 30; i++)
    g_string_append (long_place, "㍿");
  g_clear_pointer (&edit, sd_shelter_guide_free);
  edit = sd_store_get_shelter_guide (f->store, id, &error);
  edit->places[SD_GUIDE_ASK] = g_strdup (long_place->str);
  g_assert_false (sd_store_set_shelter_guide (f->store, id, NULL, edit, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_null (strstr (error->message, "CHECK"));
  g_clear_error (&error);

  /* "rules": null clears them. */
  {
    g_autoptr(json_t) object = json_loads ("{\"rules\": null}", 0, NULL);

    after = sd_store_get_shelter_guide (f->store, id, &error);
    g_assert_true (sd_shelter_guide_read_json (after, object, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (after->rules, ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "ja", TRUE);

  g_test_add_func ("/shelter-guide/times", test_times);
  g_test_add ("/shelter-guide/kept", Fixture, NULL, fixture_setup, test_kept, fixture_teardown);
  g_test_add ("/shelter-guide/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/shelter-guide/two-desks", Fixture, NULL, fixture_setup, test_two_desks, fixture_teardown);
  g_test_add ("/shelter-guide/page-every-language", Fixture, NULL, fixture_setup, test_page_every_language,
              fixture_teardown);
  g_test_add ("/shelter-guide/page-unknown-language", Fixture, NULL, fixture_setup, test_page_unknown_language,
              fixture_teardown);
  g_test_add ("/shelter-guide/one-line-at-a-time", Fixture, NULL, fixture_setup, test_one_line_at_a_time,
              fixture_teardown);
  g_test_add ("/shelter-guide/kept-as-written", Fixture, NULL, fixture_setup, test_kept_as_written, fixture_teardown);
  g_test_add ("/shelter-guide/pdf-unwritable", Fixture, NULL, fixture_setup, test_pdf_unwritable, fixture_teardown);
  return g_test_run ();
}
