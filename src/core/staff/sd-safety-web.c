/* sd-safety-web.c: the pages of the staff safety web form, in the language each phone asks for.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Templates (the .html files of data/web, built in as resources) hold the markup;
 * {{name}} in them is replaced by a value HTML-escaped, {{{name}}} by
 * markup made here from another template.  A name with no value is a
 * mistake in this file and warned about, never sent as it stands.
 * Values are the strings below (N_(), translated through the phone's
 * language's catalogue) and what the page shows of the roll-call and the
 * person.  Nothing here logs.
 */
#include "sd-safety-web.h"
#include "sd-catalog.h"
#include "sd-error.h"
#include "sd-web-resources.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define RESOURCE "/io/github/shelterdesk/ShelterDesk/web/"

typedef struct {
  const char *value;   /* the stored code */
  const char *msgid;   /* the label, as the desk says it */
} Choice;

struct _SdSafetyWeb
{
  SdCatalog *ja;   /* NULL when the catalogue is missing: the pages are then in English */
  /* The core's questions (sd-safety.h), none left out, each ended by { NULL } */
  Choice     safety[SD_N_SAFETY + 1];
  Choice     where[SD_N_WHERE + 1];
  Choice     means[SD_N_MEANS];
  Choice     arrival[SD_N_ARRIVAL];
};

/* Can they come: the web form's own question, a yes or a no. */
static const Choice report_choices[] = {
  { "yes", N_("Yes, I can come") }, { "no", N_("No, I cannot") }, { NULL, NULL } };

SdSafetyWeb *
sd_safety_web_new (void)
{
  g_autoptr(GError) error = NULL;
  SdSafetyWeb *web = g_new0 (SdSafetyWeb, 1);
  static gsize registered = 0;

  /* Once: each registration is kept, and lookups go through them all. */
  if (g_once_init_enter (&registered))
    {
      g_resources_register (sd_web_get_resource ());
      g_once_init_leave (&registered, 1);
    }
  for (guint v = 0; v < SD_N_SAFETY; v++)
    web->safety[v] = (Choice) { sd_safety_to_string (v), sd_safety_msgid (v) };
  for (guint v = 0; v < SD_N_WHERE; v++)
    web->where[v] = (Choice) { sd_where_to_string (v), sd_where_msgid (v) };
  for (guint v = SD_MEANS_NONE + 1; v < SD_N_MEANS; v++)
    web->means[v - 1] = (Choice) { sd_means_to_string (v), sd_means_msgid (v) };
  for (guint v = SD_ARRIVAL_NONE + 1; v < SD_N_ARRIVAL; v++)
    web->arrival[v - 1] = (Choice) { sd_arrival_to_string (v), sd_arrival_msgid (v) };
  web->ja = sd_catalog_load ("ja", &error);
  if (web->ja == NULL)
    g_debug ("The web form's Japanese is missing: %s", error->message);
  return web;
}

void
sd_safety_web_free (SdSafetyWeb *web)
{
  if (web == NULL)
    return;
  sd_catalog_free (web->ja);
  g_free (web);
}

const char *
sd_safety_web_language (const char *asked,
                        const char *accept_language)
{
  g_auto(GStrv) ranges = NULL;

  if (g_strcmp0 (asked, "ja") == 0 || g_strcmp0 (asked, "en") == 0)
    return asked[0] == 'j' ? "ja" : "en";
  if (accept_language == NULL)
    return "ja";
  /* In the order given; weights are rarely used to reorder, and a phone
   * set to English puts it first. */
  ranges = g_strsplit (accept_language, ",", 16);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      const char *range = g_strstrip (ranges[i]);

      if (g_ascii_strncasecmp (range, "ja", 2) == 0 && (range[2] == '\0' || strchr ("-;", range[2]) != NULL))
        return "ja";
      if (g_ascii_strncasecmp (range, "en", 2) == 0 && (range[2] == '\0' || strchr ("-;", range[2]) != NULL))
        return "en";
    }
  return "ja";
}

const char *
sd_safety_web_text (SdSafetyWeb *web,
                    const char  *lang,
                    const char  *msgid)
{
  return g_strcmp0 (lang, "ja") == 0 ? sd_catalog_get (web->ja, msgid) : msgid;
}

/* A plural in LANG.  Japanese has one form, the catalogue's first. */
static char *
text_n (SdSafetyWeb *web,
        const char  *lang,
        const char  *singular,
        const char  *plural,
        guint        n)
{
  const char *format = g_strcmp0 (lang, "ja") == 0 ? sd_catalog_get (web->ja, singular)
                                                     : (n == 1 ? singular : plural);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Both come from this file's own N_() strings, each with one %d. */
  return g_strdup_printf (format, n);
#pragma GCC diagnostic pop
}

/* ---- the templates ---- */

static GBytes *
template_bytes (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE, name, NULL);
  GBytes *bytes;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);  /* built in */
  return bytes;
}

/* TEMPLATE with its comments (notes for whoever edits it) left out, and
 * every {{name}} and {{{name}}} filled from VALUES (name → text) and
 * MARKUP (name → markup), appended to OUT. */
static void
fill (GString    *out,
      const char *template,
      GHashTable *values,
      GHashTable *markup)
{
  g_autoptr(GBytes) bytes = template_bytes (template);
  const char *at = g_bytes_get_data (bytes, NULL);
  const char *end = at + g_bytes_get_size (bytes);

  while (at < end)
    {
      const char *open = g_strstr_len (at, end - at, "{{");
      const char *comment = g_strstr_len (at, end - at, "<!--");
      gboolean raw;
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (comment != NULL && (open == NULL || comment < open))
        {
          g_string_append_len (out, at, comment - at);
          close = strstr (comment, "-->");
          g_assert (close != NULL);
          at = close + strlen ("-->");
          if (*at == '\n')
            at++;
          continue;
        }
      if (open == NULL)
        {
          g_string_append_len (out, at, end - at);
          break;
        }
      g_string_append_len (out, at, open - at);
      raw = open[2] == '{';
      close = strstr (open, raw ? "}}}" : "}}");
      g_assert (close != NULL);
      name = g_strndup (open + (raw ? 3 : 2), close - open - (raw ? 3 : 2));
      value = g_hash_table_lookup (raw ? markup : values, name);
      if (value == NULL)
        g_warning ("The web template %s has no value for “%s”", template, name);
      else if (raw)
        g_string_append (out, value);
      else
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);

          g_string_append (out, escaped);
        }
      at = close + (raw ? 3 : 2);
    }
}

/* The page's strings, by the names the templates use. */
static const struct { const char *name; const char *msgid; } page_strings[] = {
  { "page_title", N_("Staff safety") },
  { "heading", N_("Staff safety confirmation") },
  { "signin_intro", N_("Sign in with your staff number and the PIN you use at the desk.") },
  { "staff_no_label", N_("Staff number") },
  { "pin_label", N_("PIN") },
  { "pin_hint", N_("After five wrong PINs the account waits a minute.") },
  { "signin_button", N_("Sign in") },
  { "you_are", N_("You are answering as:") },
  { "not_you", N_("Not you? Sign out") },
  { "q_safety", N_("Are you hurt?") },
  { "q_where", N_("Where are you now?") },
  { "where_note_label", N_("Where, if elsewhere") },
  { "q_report", N_("Can you report for duty?") },
  { "q_means", N_("How would you come?") },
  { "q_arrival", N_("How soon could you be at your post?") },
  { "only_if_coming", N_("Only if you can come.") },
  { "message_label", N_("Message (optional)") },
  { "send_button", N_("Send the answer") },
  { "done_heading", N_("Your answer is recorded.") },
  { "done_text", N_("HQ sees it now. Thank you, and stay safe.") },
  { "done_change", N_("If anything changes, answer again: your newest answer counts.") },
  { "answer_again", N_("Answer again") },
  { "back", N_("Back") },
};

static GHashTable *
new_values (SdSafetyWeb *web,
            const char  *lang)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (page_strings); i++)
    g_hash_table_insert (values, (gpointer) page_strings[i].name,
                         g_strdup (sd_safety_web_text (web, lang, page_strings[i].msgid)));
  g_hash_table_insert (values, "lang", g_strdup (lang));
  return values;
}

static GHashTable *
new_markup (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static char *
alert (const char *notice)
{
  g_autofree char *escaped = NULL;

  if (notice == NULL)
    return g_strdup ("");
  escaped = g_markup_escape_text (notice, -1);
  return g_strdup_printf ("<div class=\"notice\" role=\"alert\">%s</div>", escaped);
}

/* BODY (a template) in the layout, as a whole page. */
static char *
page (SdSafetyWeb *web,
      const char  *lang,
      SdRollcall  *rollcall,
      const char  *body,
      GHashTable  *values,
      GHashTable  *markup)
{
  GString *inner = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  gboolean ja = g_str_equal (lang, "ja");

  fill (inner, body, values, markup);
  g_hash_table_insert (markup, "body", g_string_free (inner, FALSE));
  if (rollcall != NULL && sd_rollcall_get_is_drill (rollcall))
    {
      g_autofree char *text = g_markup_escape_text (
        sd_safety_web_text (web, lang, N_("DRILL — these answers are a drill’s, kept apart from real ones")), -1);

      g_hash_table_insert (markup, "drill_band", g_strdup_printf ("<div class=\"drill\">%s</div>", text));
    }
  else
    g_hash_table_insert (markup, "drill_band", g_strdup (""));
  if (rollcall != NULL)
    g_hash_table_insert (values, "heading", g_strdup (sd_rollcall_get_title (rollcall)));
  g_hash_table_insert (values, "other_language", g_strdup (ja ? "en" : "ja"));
  g_hash_table_insert (values, "other_language_name", g_strdup (ja ? "English" : "日本語"));
  g_hash_table_insert (values, "other_language_href", g_strdup (ja ? "/safety?lang=en" : "/safety?lang=ja"));
  fill (out, "safety-layout.html", values, markup);
  return g_string_free (out, FALSE);
}

char *
sd_safety_web_signin_page (SdSafetyWeb *web,
                           const char  *lang,
                           const char  *staff_no,
                           const char  *notice)
{
  g_autoptr(GHashTable) values = new_values (web, lang);
  g_autoptr(GHashTable) markup = new_markup ();

  g_hash_table_insert (values, "staff_no", g_strdup (staff_no != NULL ? staff_no : ""));
  g_hash_table_insert (markup, "notice", alert (notice));
  return page (web, lang, NULL, "safety-signin.html", values, markup);
}

char *
sd_safety_web_message_page (SdSafetyWeb *web,
                            const char  *lang,
                            SdRollcall  *rollcall,
                            const char  *message)
{
  g_autoptr(GHashTable) values = new_values (web, lang);
  g_autoptr(GHashTable) markup = new_markup ();

  g_hash_table_insert (values, "message", g_strdup (message));
  return page (web, lang, rollcall, "safety-message.html", values, markup);
}

/* ---- the questions ---- */

/* The radio buttons of NAME, the one POSTED chose checked. */
static char *
choices_markup (SdSafetyWeb  *web,
                const char   *lang,
                const char   *name,
                const Choice *choices,
                GHashTable   *posted)
{
  GString *out = g_string_new (NULL);
  const char *chosen = posted != NULL ? g_hash_table_lookup (posted, name) : NULL;

  for (guint i = 0; choices[i].value != NULL; i++)
    {
      g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autoptr(GHashTable) markup = new_markup ();

      g_hash_table_insert (values, "id", g_strdup_printf ("%s-%s", name, choices[i].value));
      g_hash_table_insert (values, "name", g_strdup (name));
      g_hash_table_insert (values, "value", g_strdup (choices[i].value));
      g_hash_table_insert (values, "label", g_strdup (sd_safety_web_text (web, lang, choices[i].msgid)));
      g_hash_table_insert (markup, "checked", g_strdup (g_strcmp0 (chosen, choices[i].value) == 0 ? " checked" : ""));
      fill (out, "safety-choice.html", values, markup);
    }
  return g_string_free (out, FALSE);
}

static char *
staff_line (SdStaff *staff)
{
  const char *parts[] = { sd_staff_get_department (staff), sd_staff_get_section (staff),
                          sd_staff_get_rank (staff), sd_staff_get_name (staff) };
  GString *line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_string_append_printf (line, "%s%s", line->len > 0 ? " " : "", parts[i]);
  g_string_append_printf (line, " (%s)", sd_staff_get_staff_no (staff));
  return g_string_free (line, FALSE);
}

char *
sd_safety_web_form_page (SdSafetyWeb *web,
                         const char  *lang,
                         SdRollcall  *rollcall,
                         SdStaff     *staff,
                         const char  *csrf,
                         GHashTable  *posted,
                         const char  *notice)
{
  g_autoptr(GHashTable) values = new_values (web, lang);
  g_autoptr(GHashTable) markup = new_markup ();
  const char *note = posted != NULL ? g_hash_table_lookup (posted, "location_note") : NULL;
  const char *message = posted != NULL ? g_hash_table_lookup (posted, "message") : NULL;

  /* Given back to be corrected, but only as text that is text: escaping
   * needs valid UTF-8, and bytes that are not were refused anyway. */
  if (note != NULL && !g_utf8_validate (note, -1, NULL))
    note = NULL;
  if (message != NULL && !g_utf8_validate (message, -1, NULL))
    message = NULL;

  g_hash_table_insert (values, "csrf", g_strdup (csrf));
  g_hash_table_insert (values, "rollcall_id", g_strdup (sd_rollcall_get_id (rollcall)));
  g_hash_table_insert (values, "staff_line", staff_line (staff));
  g_hash_table_insert (values, "location_note", g_strdup (note != NULL ? note : ""));
  g_hash_table_insert (values, "message", g_strdup (message != NULL ? message : ""));
  g_hash_table_insert (markup, "notice", alert (notice));
  g_hash_table_insert (markup, "safety_choices", choices_markup (web, lang, "safety", web->safety, posted));
  g_hash_table_insert (markup, "where_choices", choices_markup (web, lang, "location", web->where, posted));
  g_hash_table_insert (markup, "report_choices", choices_markup (web, lang, "can_report", report_choices, posted));
  g_hash_table_insert (markup, "means_choices", choices_markup (web, lang, "means", web->means, posted));
  g_hash_table_insert (markup, "arrival_choices", choices_markup (web, lang, "arrival", web->arrival, posted));
  return page (web, lang, rollcall, "safety-form.html", values, markup);
}

static void
summary_row (GString    *out,
             const char *term,
             const char *value)
{
  g_autofree char *t = g_markup_escape_text (term, -1);
  g_autofree char *v = g_markup_escape_text (value, -1);

  g_string_append_printf (out, "<dt>%s</dt><dd>%s</dd>", t, v);
}

char *
sd_safety_web_done_page (SdSafetyWeb              *web,
                         const char               *lang,
                         SdRollcall               *rollcall,
                         SdStaff                  *staff,
                         const SdSafetyAnswerSpec *spec,
                         gint64                    answered_at)
{
  g_autoptr(GHashTable) values = new_values (web, lang);
  g_autoptr(GHashTable) markup = new_markup ();
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (answered_at / 1000);
  g_autofree char *time = g_date_time_format (at, "%H:%M");
  g_autofree char *who = staff_line (staff);
  g_autofree char *where = NULL;
  GString *summary = g_string_new (NULL);

#define T(msgid) sd_safety_web_text (web, lang, msgid)
  where = spec->where == SD_WHERE_OTHER && spec->where_note != NULL
            ? g_strdup_printf ("%s: %s", T (sd_where_msgid (spec->where)),
                               spec->where_note)
            : g_strdup (T (sd_where_msgid (spec->where)));
  summary_row (summary, T (N_("Who")), who);
  summary_row (summary, T (N_("Time")), time);
  summary_row (summary, T (N_("Are you hurt?")), T (sd_safety_msgid (spec->safety)));
  summary_row (summary, T (N_("Where are you now?")), where);
  summary_row (summary, T (N_("Can you report for duty?")),
               T (report_choices[spec->can_report ? 0 : 1].msgid));
  if (spec->can_report)
    {
      summary_row (summary, T (N_("How would you come?")), T (sd_means_msgid (spec->means)));
      summary_row (summary, T (N_("How soon could you be at your post?")),
                   T (sd_arrival_msgid (spec->arrival)));
    }
  if (spec->message != NULL && *spec->message != '\0')
    summary_row (summary, T (N_("Message (optional)")), spec->message);
#undef T
  g_hash_table_insert (markup, "summary", g_string_free (summary, FALSE));
  return page (web, lang, rollcall, "safety-done.html", values, markup);
}

char *
sd_safety_web_error_text (SdSafetyWeb  *web,
                          const char   *lang,
                          const GError *error,
                          guint         wait_s)
{
  if (error->domain == SD_AUTH_ERROR)
    switch ((SdAuthError) error->code)
      {
      case SD_AUTH_ERROR_UNKNOWN_STAFF:
        return g_strdup (sd_safety_web_text (web, lang, N_("No staff member has this number. Check your staff "
                                                           "number and try again.")));
      case SD_AUTH_ERROR_BAD_PIN:
      case SD_AUTH_ERROR_WRONG_PIN:
        return g_strdup (sd_safety_web_text (web, lang, N_("The staff number or the PIN is wrong. Try again.")));
      case SD_AUTH_ERROR_LOCKED:
        return text_n (web, lang, N_("Too many wrong PINs. Wait %d second, then try again."),
                       N_("Too many wrong PINs. Wait %d seconds, then try again."), MAX (wait_s, 1));
      case SD_AUTH_ERROR_NO_PIN:
        return g_strdup (sd_safety_web_text (web, lang, N_("This staff member has no PIN yet. A shelter lead or "
                                                           "HQ can set one.")));
      case SD_AUTH_ERROR_NOT_ALLOWED:
      default:
        break;
      }
  if (error->domain == SD_STORE_ERROR && error->code == SD_STORE_ERROR_INVALID)
    return g_strdup (sd_safety_web_text (web, lang, N_("This roll-call was closed and takes no more answers. "
                                                       "Open the form again for the current one.")));
  return g_strdup (sd_safety_web_text (web, lang, N_("The answer could not be stored. Send it again; if it fails "
                                                     "again, phone HQ.")));
}

/* ---- reading a posted answer ---- */

/* Whether TEXT is a value of the question, by the core's own parsers. */
static gboolean is_safety (const char *text) { return sd_safety_from_string (text, NULL); }
static gboolean is_where (const char *text) { return sd_where_from_string (text, NULL); }
static gboolean is_means (const char *text) { return sd_means_from_string (text, NULL); }
static gboolean is_arrival (const char *text) { return sd_arrival_from_string (text, NULL); }
static gboolean is_report (const char *text) { return g_str_equal (text, "yes") || g_str_equal (text, "no"); }

/* FALSE when NAME is not answered; *CHANGED when its value is none of IS's. */
static gboolean
read_choice (GHashTable   *form,
             const char   *name,
             gboolean    (*is) (const char *text),
             const char  **value,
             gboolean     *changed)
{
  *value = g_hash_table_lookup (form, name);
  if (*value == NULL || **value == '\0')
    return FALSE;
  if (!is (*value))
    *changed = TRUE;
  return TRUE;
}

gboolean
sd_safety_web_read_answer (GHashTable          *form,
                           SdSafetyAnswerSpec  *spec,
                           const char         **problem)
{
  const char *safety = NULL, *where = NULL, *report = NULL, *means = NULL, *arrival = NULL;
  const char *note = g_hash_table_lookup (form, "location_note");
  const char *message = g_hash_table_lookup (form, "message");
  gboolean changed = FALSE;

  memset (spec, 0, sizeof *spec);
  *problem = NULL;
  if (!read_choice (form, "safety", is_safety, &safety, &changed))
    *problem = N_("Choose whether you are unhurt, slightly hurt or seriously hurt.");
  else if (!read_choice (form, "location", is_where, &where, &changed))
    *problem = N_("Choose where you are now: at home, at the workplace or elsewhere.");
  else if (!read_choice (form, "can_report", is_report, &report, &changed))
    *problem = N_("Choose whether you can report for duty.");
  else if (g_str_equal (report, "yes") && !read_choice (form, "means", is_means, &means, &changed))
    *problem = N_("Choose how you would come: on foot, by bicycle, car, bus, train or other means.");
  else if (g_str_equal (report, "yes") && !read_choice (form, "arrival", is_arrival, &arrival, &changed))
    *problem = N_("Choose how long it would take you to come.");
  else if (g_str_equal (where, "other") && (note == NULL || *g_strstrip ((char *) note) == '\0'))
    *problem = N_("Write where you are now, since it is neither home nor the workplace.");
  if (changed ||
      (note != NULL && (!g_utf8_validate (note, -1, NULL) || g_utf8_strlen (note, -1) > 200)) ||
      (message != NULL && (!g_utf8_validate (message, -1, NULL) || g_utf8_strlen (message, -1) > 500)))
    *problem = N_("The form came back changed. Choose your answers again and send it.");
  if (*problem != NULL)
    return FALSE;

  sd_safety_from_string (safety, &spec->safety);
  sd_where_from_string (where, &spec->where);
  spec->where_note = spec->where == SD_WHERE_OTHER ? note : NULL;
  spec->can_report = g_str_equal (report, "yes");
  spec->means = SD_MEANS_NONE;
  spec->arrival = SD_ARRIVAL_NONE;
  if (spec->can_report)
    {
      sd_means_from_string (means, &spec->means);
      sd_arrival_from_string (arrival, &spec->arrival);
    }
  spec->message = message != NULL && *message != '\0' ? message : NULL;
  spec->via = SD_ANSWER_VIA_WEB;
  return TRUE;
}
