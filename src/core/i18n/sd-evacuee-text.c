/* sd-evacuee-text.c: the evacuee catalogue, read from the .mo files built into the core.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gettext can speak one language per process (its locale), and only the
 * languages whose locales the machine has generated; an evacuee-facing
 * panel speaks the evacuee's beside the desk's.  So the catalogue's .mo
 * files are built into the core as resources
 * (src/core/i18n/evacuee.gresource.xml) and read by sd-catalog, each
 * once, when first asked for.  A damaged catalogue is no catalogue: its
 * messages are English.
 */
#include "sd-evacuee-text.h"

#include <gio/gio.h>
#include <string.h>

#include "sd-catalog.h"
#include "sd-evacuee-resources.h"

typedef guint (*PluralFunc) (gulong n);

static guint plural_none (gulong n) { return 0; }
static guint plural_not_one (gulong n) { return n != 1; }
static guint plural_above_one (gulong n) { return n > 1; }
/* Filipino/Tagalog (CLDR): "one" but for 4, 6 and 9 in the last digit. */
static guint plural_tagalog (gulong n) { return n != 1 && n != 2 && n != 3 && (n % 10 == 4 || n % 10 == 6 || n % 10 == 9); }

/* The languages offered, and beside each, in the same order, how it
 * counts (gettext's plural forms) and the other tags that mean it. */
static const SdEvacueeLanguage offered[] = {
  { "ja", "日本語", "ja" },
  { "ja-x-easy", "やさしい にほんご", "ja" },
  { "en", "English", "en" },
  { "zh-Hans", "简体中文", "zh-cn" },
  { "ko", "한국어", "ko" },
  { "vi", "Tiếng Việt", "vi" },
  { "pt-BR", "Português (Brasil)", "pt-br" },
  { "ne", "नेपाली", "ne" },
  { "tl", "Tagalog", "tl" },
  { "id", "Bahasa Indonesia", "id" },
};

typedef struct {
  guint       n_plurals;
  PluralFunc  plural;
  const char *aliases;   /* ";"-separated, lower case */
} Rules;

static const Rules rules[] = {
  { 1, plural_none, "ja-jp;jpn" },
  { 1, plural_none, "ja-easy" },
  { 2, plural_not_one, "en-us;en-gb;eng" },
  { 1, plural_none, "zh;zh-cn;zh-sg;zh-hans-cn;zho;chi" },
  { 1, plural_none, "ko-kr;kor" },
  { 1, plural_none, "vi-vn;vie" },
  { 2, plural_above_one, "pt;pt-pt;por" },
  { 2, plural_not_one, "ne-np;nep" },
  { 2, plural_tagalog, "fil;tl-ph;fil-ph;tgl" },
  { 1, plural_none, "id-id;ind;in" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (offered) == G_N_ELEMENTS (rules));

/* The catalogues read so far: code → SdCatalog, or NULL for a missing
 * one. */
static GHashTable *catalogues;
G_LOCK_DEFINE_STATIC (catalogues);

const SdEvacueeLanguage *
sd_evacuee_languages (guint *n_languages)
{
  if (n_languages != NULL)
    *n_languages = G_N_ELEMENTS (offered);
  return offered;
}

/* The index of CODE in offered[], or -1. */
static int
find (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (offered); i++)
    if (g_ascii_strcasecmp (offered[i].code, code) == 0)
      return (int) i;
  return -1;
}

const SdEvacueeLanguage *
sd_evacuee_language_resolve (const char *tag)
{
  g_autofree char *lower = NULL;
  int found;

  if (tag == NULL || *tag == '\0')
    return &offered[0];
  if ((found = find (tag)) >= 0)
    return &offered[found];
  lower = g_strstrip (g_ascii_strdown (tag, -1));
  g_strdelimit (lower, "_", '-');
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (offered); i++)
        {
          g_auto(GStrv) aliases = g_strsplit (rules[i].aliases, ";", -1);

          if (g_ascii_strcasecmp (offered[i].code, lower) == 0 ||
              g_strv_contains ((const char *const *) aliases, lower))
            return &offered[i];
        }
      /* Then the language without its region ("en-AU", "pt-AO"), but
       * not Chinese: its script decides, and only Simplified is offered. */
      if (strchr (lower, '-') == NULL || g_str_has_prefix (lower, "zh-"))
        break;
      *strchr (lower, '-') = '\0';
    }
  return NULL;
}

const char *
sd_evacuee_font_language (const char *tag)
{
  const SdEvacueeLanguage *found = sd_evacuee_language_resolve (tag);

  return found != NULL ? found->font_lang : offered[0].font_lang;
}

const SdEvacueeLanguage *
sd_evacuee_language_of_desk (void)
{
  const char *const *names = g_get_language_names ();

  /* "ja_JP.UTF-8", "ja_JP", "ja", …, "C": the first that is a language. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *tag = g_strndup (names[i], strcspn (names[i], ".@"));
      const SdEvacueeLanguage *found;

      /* No language: gettext shows the messages themselves, English. */
      if (g_str_equal (tag, "C") || g_str_equal (tag, "POSIX"))
        return &offered[find ("en")];
      if ((found = sd_evacuee_language_resolve (tag)) != NULL)
        return found;
    }
  return &offered[0];
}

/* The catalogue of language I: read the first time; NULL for English and
 * for a catalogue missing, damaged, or counting plurals otherwise than
 * ShelterDesk does (then its messages are English). */
static SdCatalog *
catalogue_locked (guint i)
{
  gpointer found;
  SdCatalog *catalog = NULL;

  if (catalogues == NULL)
    catalogues = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sd_catalog_free);
  if (g_hash_table_lookup_extended (catalogues, offered[i].code, NULL, &found))
    return found;
  {
    g_autofree char *path = g_strdup_printf ("/io/github/shelterdesk/evacuee/%s.mo", offered[i].code);
    g_autoptr(GBytes) bytes = g_resource_lookup_data (sd_evacuee_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                       NULL);
    g_autoptr(GError) error = NULL;

    if (bytes != NULL && (catalog = sd_catalog_load_bytes (bytes, path, &error)) != NULL &&
        sd_catalog_get_n_plurals (catalog) != (int) rules[i].n_plurals)
      {
        g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s counts %d plural forms, not %u", path,
                     sd_catalog_get_n_plurals (catalog), rules[i].n_plurals);
        g_clear_pointer (&catalog, sd_catalog_free);
      }
    if (error != NULL)
      g_warning ("The evacuee catalogue %s is not used (%s): its messages are shown in English.", offered[i].code,
                 error->message);
  }
  g_hash_table_insert (catalogues, (gpointer) offered[i].code, catalog);
  return catalog;
}

static const char *
lookup (const char *code,
        const char *msgid,
        const char *msgid_plural,
        gulong      n)
{
  int language = code != NULL ? find (code) : -1;
  const char *english = msgid_plural != NULL && n != 1 ? msgid_plural : msgid;
  const char *result;

  if (language < 0)
    return english;
  G_LOCK (catalogues);
  result = sd_catalog_get_form (catalogue_locked ((guint) language), msgid,
                                msgid_plural != NULL ? rules[language].plural (n) : 0);
  G_UNLOCK (catalogues);
  /* The catalogue lives as long as the process: RESULT is never freed. */
  return result != NULL ? result : english;
}

const char *
sd_evacuee_gettext (const char *language,
                    const char *msgid)
{
  g_return_val_if_fail (msgid != NULL, NULL);

  return lookup (language, msgid, NULL, 1);
}

const char *
sd_evacuee_ngettext (const char *language,
                     const char *msgid,
                     const char *msgid_plural,
                     gulong      n)
{
  g_return_val_if_fail (msgid != NULL && msgid_plural != NULL, NULL);

  return lookup (language, msgid, msgid_plural, n);
}

char *
sd_evacuee_text (const char *tag,
                 const char *msgid)
{
  const SdEvacueeLanguage *language = sd_evacuee_language_resolve (tag);

  g_return_val_if_fail (msgid != NULL, NULL);

  if (language != NULL)
    return g_strdup (sd_evacuee_gettext (language->code, msgid));
  /* A language ShelterDesk does not offer: the two most evacuees read. */
  return g_strconcat (sd_evacuee_gettext ("ja-x-easy", msgid), "\n", msgid, NULL);
}

int
sd_evacuee_catalogue_size (const char *code)
{
  int language = find (code);
  SdCatalog *catalog;
  int size;

  g_return_val_if_fail (language >= 0, -1);

  if (g_str_equal (offered[language].code, "en"))
    return 0;
  G_LOCK (catalogues);
  catalog = catalogue_locked ((guint) language);
  if (catalog != NULL)
    {
      g_auto(GStrv) messages = sd_catalog_dup_msgids (catalog);

      size = (int) g_strv_length (messages);
    }
  else
    size = -1;
  G_UNLOCK (catalogues);
  return size;
}

GStrv
sd_evacuee_dup_messages (void)
{
  GStrv messages;

  G_LOCK (catalogues);
  messages = sd_catalog_dup_msgids (catalogue_locked (0));
  G_UNLOCK (catalogues);
  return messages;
}
