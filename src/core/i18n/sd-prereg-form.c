/* sd-prereg-form.c: the pre-registration form a household fills in on a phone, in its own language, ending in its code.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-evacuee-text.h"
#include "sd-json.h"
#include "sd-prereg-form.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define RESOURCES "/io/github/shelterdesk/ShelterDesk/web/"

/* What the page says, by the key its script asks for (prereg-form.html). */
static const struct {
  const char *key;
  const char *text;
} texts[] = {
  { "title", EN_("Register before you come") },
  { "intro", EN_("Fill this in on your phone, before or after you reach the shelter. It makes a code to show at "
                 "the desk. What you write goes only into the code: this page sends nothing.") },
  { "household", EN_("Your household") },
  { "address", EN_("Address") },
  { "phone", EN_("Phone number") },
  { "stay", EN_("Where will you stay?") },
  { "stay_shelter", EN_("At the shelter") },
  { "stay_home", EN_("At home") },
  { "stay_vehicle", EN_("In a car") },
  { "stay_relatives", EN_("With relatives or friends") },
  { "vehicle_plate", EN_("Car number plate") },
  { "pets", EN_("Pets (what animals)") },
  { "pets_count", EN_("How many pets") },
  /* TRANSLATORS: a heading over each person's part of the form: "Person 2" */
  { "member", EN_("Person %d") },
  { "name", EN_("Name") },
  { "name_hint", EN_("as on your residence card or passport") },
  { "kana", EN_("Name in katakana, if you know it") },
  { "birth_date", EN_("Date of birth") },
  { "sex", EN_("Sex") },
  { "sex_unknown", EN_("Prefer not to say") },
  { "sex_female", EN_("Female") },
  { "sex_male", EN_("Male") },
  { "member_phone", EN_("This person's phone number") },
  { "allergies", EN_("Food allergies") },
  { "illness", EN_("Illness, or medicine they need") },
  { "disability", EN_("Disability, or help they need") },
  { "mobility", EN_("Wheelchair, cane or other aid") },
  { "pregnant", EN_("Pregnant") },
  { "consent", EN_("If someone asks for this person, staff may say that they are at the shelter.") },
  { "add", EN_("Add a person") },
  { "remove", EN_("Remove this person") },
  { "make", EN_("Make my code") },
  { "show", EN_("Show this code at the shelter desk.") },
  { "photo", EN_("Take a screenshot of it, so you have it without the internet.") },
  { "edit", EN_("Change something") },
  { "need_name", EN_("Write the name of each person.") },
  { "too_long", EN_("That is too much for one code. Write shorter notes, or make a second code for some of the "
                    "people.") },
  { "too_many", EN_("One code holds at most 10 people. Make a second code for the others.") },
  { "no_browser", EN_("This browser cannot make the code. Please go to the desk: the staff will register you.") },
};

/* The texts of every language and the languages themselves, as the
 * script's SD object. */
static json_t *
page_data (void)
{
  json_t *data = json_object ();
  json_t *all = json_object ();
  json_t *list = json_array ();
  const SdEvacueeLanguage *languages;
  guint n;

  languages = sd_evacuee_languages (&n);
  for (guint i = 0; i < n; i++)
    {
      json_t *these = json_object ();
      json_t *language = json_object ();

      for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
        json_object_set_new (these, texts[k].key, json_string (sd_evacuee_gettext (languages[i].code, texts[k].text)));
      json_object_set_new (all, languages[i].code, these);
      json_object_set_new (language, "code", json_string (languages[i].code));
      json_object_set_new (language, "own_name", json_string (languages[i].own_name));
      /* What tells the browser which glyphs: やさしい日本語 is Japanese. */
      json_object_set_new (language, "html_lang",
                           json_string (g_str_equal (languages[i].code, "ja-x-easy") ? "ja" : languages[i].code));
      json_array_append_new (list, language);
    }
  json_object_set_new (data, "texts", all);
  json_object_set_new (data, "languages", list);
  return data;
}

/* TEXT safe inside a <script> element: no "</" can end it early. */
static void
append_script (GString    *out,
               const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (p[0] == '<' && p[1] == '/')
        g_string_append (out, "<\\/");
      else
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
    }
}

static GBytes *
resource (const char  *name,
          GError     **error)
{
  g_autofree char *path = g_strconcat (RESOURCES, name, NULL);
  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/* The page, as UTF-8 text. */
static char *
prereg_form_build (GError **error)
{
  g_autoptr(GBytes) page = resource ("prereg-form.html", error);
  g_autoptr(GBytes) encoder = page != NULL ? resource ("qrcode.js", error) : NULL;
  g_autoptr(json_t) data = NULL;
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GString) out = NULL;
  const char *template, *qr_mark, *data_mark;

  if (encoder == NULL)
    return NULL;
  template = g_bytes_get_data (page, NULL);
  qr_mark = strstr (template, "/*@@QRCODE@@*/");
  data_mark = strstr (template, "/*@@DATA@@*/");
  g_return_val_if_fail (qr_mark != NULL && data_mark != NULL && qr_mark < data_mark, NULL);

  data = page_data ();
  json = sd_json_to_compact (data);
  {
    /* In JSON "<" is only ever inside a string, where \u003c means the
     * same: no text of any catalogue can open or close a tag here. */
    g_autoptr(GString) safe = g_string_new (json);

    g_string_replace (safe, "<", "\\u003c", 0);
    script = g_strdup_printf ("var SD = %s;", safe->str);
  }
  out = g_string_sized_new (g_bytes_get_size (page) + g_bytes_get_size (encoder) + strlen (script));
  g_string_append_len (out, template, qr_mark - template);
  {
    g_autofree char *encoder_text = g_strndup (g_bytes_get_data (encoder, NULL), g_bytes_get_size (encoder));
    append_script (out, encoder_text);
  }
  g_string_append_len (out, qr_mark + strlen ("/*@@QRCODE@@*/"), data_mark - qr_mark - strlen ("/*@@QRCODE@@*/"));
  append_script (out, script);
  g_string_append (out, data_mark + strlen ("/*@@DATA@@*/"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
sd_prereg_form_write (const char  *path,
                      GError     **error)
{
  g_autofree char *page = NULL;
  g_autofree char *partial = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  page = prereg_form_build (error);
  if (page == NULL)
    return FALSE;
  partial = g_strconcat (path, ".part", NULL);
  if (!g_file_set_contents (partial, page, -1, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_unlink (partial);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not write the form to “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
