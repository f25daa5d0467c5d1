/* test-evacuee-text.c: the evacuee catalogue built into the core, read without any locale.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-evacuee-text.h"
#include "sd-paths.h"

#include <locale.h>
#include <pango/pangocairo.h>

/* Every language offered but English has its catalogue, whole: the
 * count of messages is the same in each (po/evacuee's check says which
 * messages; here, that what was built is read, header and all). */
static void
test_catalogues (void)
{
  guint n;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);
  int expected = sd_evacuee_catalogue_size ("ja");

  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpstr (languages[0].code, ==, "ja");
  g_assert_cmpint (expected, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_test_message ("%s: %d messages", languages[i].code, sd_evacuee_catalogue_size (languages[i].code));
      g_assert_nonnull (languages[i].own_name);
      g_assert_true (g_utf8_validate (languages[i].own_name, -1, NULL));
      if (g_str_equal (languages[i].code, "en"))
        g_assert_cmpint (sd_evacuee_catalogue_size ("en"), ==, 0);
      else
        g_assert_cmpint (sd_evacuee_catalogue_size (languages[i].code), ==, expected);
    }
}

/* The same message in several languages at once, whatever the process's
 * locale is (C here): what gettext cannot do. */
static void
test_side_by_side (void)
{
  g_assert_cmpstr (sd_evacuee_gettext ("vi", "Welcome back."), ==, "Chào mừng bạn trở lại.");
  g_assert_cmpstr (sd_evacuee_gettext ("ja", "Welcome back."), ==, "おかえりなさい。");
  g_assert_cmpstr (sd_evacuee_gettext ("ko", "Welcome back."), ==, "다시 돌아오신 것을 환영합니다.");
  g_assert_cmpstr (sd_evacuee_gettext ("en", "Welcome back."), ==, "Welcome back.");
  g_assert_cmpstr (sd_evacuee_gettext ("zh-Hans", "Evacuee card"), ==, "避难者卡");
  g_assert_cmpstr (sd_evacuee_gettext ("ne", "Evacuee card"), ==, "विस्थापित व्यक्तिको कार्ड");
  /* A message the catalogue lacks is English, never blank. */
  g_assert_cmpstr (sd_evacuee_gettext ("vi", "A message nobody translated"), ==, "A message nobody translated");
  g_assert_cmpstr (sd_evacuee_gettext ("xx", "Welcome back."), ==, "Welcome back.");
  /* Plural forms: English's from the two messages. */
  g_assert_cmpstr (sd_evacuee_ngettext ("en", "%lu person", "%lu people", 1), ==, "%lu person");
  g_assert_cmpstr (sd_evacuee_ngettext ("en", "%lu person", "%lu people", 4), ==, "%lu people");
  g_assert_cmpstr (sd_evacuee_ngettext ("vi", "%lu person", "%lu people", 4), ==, "%lu people");
}

/* A record's language, as kiosks and CSV files write it. */
static void
test_resolve (void)
{
  static const struct { const char *tag, *code; } cases[] = {
    { NULL, "ja" }, { "", "ja" }, { "ja", "ja" }, { "ja-JP", "ja" }, { "JA", "ja" },
    { "vi", "vi" }, { "vi-VN", "vi" }, { "VI", "vi" }, { "zh", "zh-Hans" }, { "zh-CN", "zh-Hans" },
    { "zh_CN", "zh-Hans" }, { "zh-Hans", "zh-Hans" }, { "pt", "pt-BR" }, { "pt-BR", "pt-BR" },
    { "pt_br", "pt-BR" }, { "fil", "tl" }, { "tl", "tl" }, { "ne-NP", "ne" }, { "id", "id" },
    { "ko", "ko" }, { "en-GB", "en" }, { "ja-x-easy", "ja-x-easy" }, { " vi ", "vi" },
    /* A region not listed: the language alone. */
    { "en-AU", "en" }, { "en-PH", "en" }, { "pt-AO", "pt-BR" }, { "ko-KP", "ko" }, { "ne-IN", "ne" },
    /* Not offered: Traditional Chinese is not Simplified. */
    { "zh-TW", NULL }, { "zh-Hant", NULL }, { "zh-HK", NULL }, { "xx", NULL }, { "my", NULL }, { "th", NULL },
    { "th-TH", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SdEvacueeLanguage *found = sd_evacuee_language_resolve (cases[i].tag);

      g_test_message ("%s", cases[i].tag ? cases[i].tag : "(null)");
      g_assert_cmpstr (found ? found->code : NULL, ==, cases[i].code);
    }
}

/* A person whose language ShelterDesk does not offer reads やさしい日本語
 * and English, one line each; never a blank. */
static void
test_unknown_language (void)
{
  g_autofree char *thai = sd_evacuee_text ("th", "Welcome back.");
  g_autofree char *viet = sd_evacuee_text ("vi", "Welcome back.");
  g_autofree char *none = sd_evacuee_text (NULL, "Please see the desk.");

  g_assert_cmpstr (thai, ==, "おかえりなさい。\nWelcome back.");
  g_assert_cmpstr (viet, ==, "Chào mừng bạn trở lại.");
  g_assert_cmpstr (none, ==, "受付の係員にお声がけください。");
}

/* Every message in every language drawn without a missing glyph (the
 * box Pango draws for a character no font has), in the font the card and
 * sheets name and in the desk's default, each with its language's
 * glyphs: the fonts of the package list cover every script offered. */
static void
test_glyphs (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_auto(GStrv) messages = sd_evacuee_dup_messages ();
  static const char *const families[] = { "Noto Sans CJK JP", "Sans" };
  guint n, checked = 0;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);

#ifdef G_OS_WIN32
  g_test_skip ("Devanagari and Vietnamese come from Windows' own fonts, which Wine does not have");
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return;
#endif
  sd_paths_use_shipped_fonts ();
  g_assert_cmpuint (g_strv_length (messages), >, 0);
  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    for (guint l = 0; l < n; l++)
      {
        g_autoptr(PangoFontDescription) font = pango_font_description_from_string (families[f]);
        g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

        pango_attr_list_insert (attrs, pango_attr_language_new (pango_language_from_string (languages[l].font_lang)));
        pango_layout_set_font_description (layout, font);
        pango_layout_set_attributes (layout, attrs);
        for (guint m = 0; messages[m] != NULL; m++)
          {
            const char *text = sd_evacuee_gettext (languages[l].code, messages[m]);

            pango_layout_set_text (layout, text, -1);
            if (pango_layout_get_unknown_glyphs_count (layout) != 0)
              g_error ("%s in %s: %d characters without a glyph in “%s”", languages[l].code, families[f],
                       pango_layout_get_unknown_glyphs_count (layout), text);
            checked++;
          }
        /* And the language's own name, on its button. */
        pango_layout_set_text (layout, languages[l].own_name, -1);
        g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
      }
  g_test_message ("%u texts drawn, every glyph found", checked);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/evacuee-text/catalogues", test_catalogues);
  g_test_add_func ("/evacuee-text/side-by-side", test_side_by_side);
  g_test_add_func ("/evacuee-text/resolve", test_resolve);
  g_test_add_func ("/evacuee-text/unknown-language", test_unknown_language);
  g_test_add_func ("/evacuee-text/glyphs", test_glyphs);
  return g_test_run ();
}
