/* sd-scenario.c: a tabletop exercise's scenario (MSEL), read from CSV or JSON and checked whole.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-scenario.h"

#include "sd-csv.h"
#include "sd-error.h"
#include "sd-json.h"
#include "sd-shelter.h"

#include <glib/gi18n-lib.h>
#include <jansson.h>
#include <string.h>

/* More than any exercise has: a day of injects every minute. */
#define MAX_INJECTS 5000
#define MAX_CELL_CHARS 2000

struct _SdScenario {
  char      *name;
  char      *file;     /* what errors call it */
  char      *sha256;
  GPtrArray *injects;  /* SdInject*, in delivery order once read */
};

typedef enum {
  COL_SERIAL, COL_TIME, COL_TYPE, COL_METHOD, COL_FROM, COL_TO, COL_DESCRIPTION, COL_EXPECTED, COL_ACTION,
  N_COLUMNS
} Column;

/* The JSON member of each column, and the headings a spreadsheet may
 * give it, compared after NFKC and in lower case. */
static const char *const column_keys[N_COLUMNS] = {
  "serial", "time", "type", "method", "from", "to", "description", "expected", "action",
};
static const char *const column_headings[N_COLUMNS] = {
  "serial|no|no.|#|番号|通番|連番",
  "time|delivery time|t+|時刻|時間|配信時刻|付与時刻|発生時刻",
  "type|inject type|種別|種類|区分",
  "method|delivery method|伝達手段|手段|伝達方法",
  "from|sender|発信者|発信元|送信者",
  "to|recipient|受信者|宛先|送信先|対象",
  "description|inject|内容|状況|状況付与|付与内容",
  "expected|expected action|期待される対応|期待行動|想定対応",
  "action|machine action|機械動作|自動動作",
};

static void
inject_free (SdInject *inject)
{
  g_free (inject->serial);
  g_free (inject->after);
  g_free (inject->type);
  g_free (inject->method);
  g_free (inject->sender);
  g_free (inject->recipient);
  g_free (inject->description);
  g_free (inject->expected);
  g_free (inject->action_text);
  sd_exercise_action_clear (&inject->action);
  g_free (inject);
}

void
sd_scenario_free (SdScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->name);
  g_free (scenario->file);
  g_free (scenario->sha256);
  g_ptr_array_unref (scenario->injects);
  g_free (scenario);
}

/* NFKC, trimmed: full-width digits and colons from a Japanese IME read
 * as the ASCII ones. */
static char *
tidy (const char *text)
{
  char *folded = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_ALL_COMPOSE);

  return g_strstrip (folded != NULL ? folded : g_strdup (""));
}

char *
sd_scenario_format_time (gint64 ms)
{
  gint64 minutes = ms / 60000, seconds = (ms / 1000) % 60;

  if (seconds != 0)
    return g_strdup_printf ("T+%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            minutes / 60, minutes % 60, seconds);
  return g_strdup_printf ("T+%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, minutes / 60, minutes % 60);
}

char *
sd_scenario_format_duration (gint64 ms)
{
  gint64 s = MAX (ms, 0) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                            s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, s / 60, s % 60);
}

/* "01:30" or "1:30:15" or "90" (minutes), after the "T+" or "+". */
static gboolean
parse_offset (const char *text,
              gint64     *out_ms)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  gint64 value[3] = { 0, 0, 0 };

  if (n < 1 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *p = parts[i];
      guint digits = 0;

      for (; g_ascii_isdigit (*p) && digits < 4; p++, digits++)
        value[i] = value[i] * 10 + (*p - '0');
      if (digits == 0 || *p != '\0' || (i > 0 && (digits != 2 || value[i] > 59)))
        return FALSE;
    }
  if (n == 1)
    *out_ms = value[0] * 60000;  /* T+mm, as MSELs often write it */
  else
    *out_ms = value[0] * 3600000 + value[1] * 60000 + (n == 3 ? value[2] * 1000 : 0);
  /* A week at most. */
  return *out_ms <= 7 * 24 * 3600000LL;
}

gboolean
sd_scenario_parse_offset (const char *text,
                          gint64     *out_ms)
{
  g_autofree char *tidied = tidy (text);
  g_autofree char *lower = g_ascii_strdown (tidied, -1);
  const char *offset = g_str_has_prefix (lower, "t+") ? lower + 2 : lower;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  return parse_offset (g_strstrip ((char *) offset), out_ms);
}

/* "T+01:30", or "after 12 +00:10" / "after 12". */
static gboolean
parse_time (SdInject    *inject,
            const char  *cell,
            GError     **error)
{
  g_autofree char *text = tidy (cell);
  g_autofree char *lower = g_ascii_strdown (text, -1);
  gboolean ok = FALSE;

  if (g_str_has_prefix (lower, "t+"))
    ok = parse_offset (g_strstrip (lower + 2), &inject->offset_ms);
  else if (g_str_has_prefix (lower, "after "))
    {
      g_autofree char *rest = g_strstrip (g_strdup (text + 6));
      char *plus = strchr (rest, '+');

      if (plus != NULL)
        {
          *plus = '\0';
          ok = parse_offset (g_strstrip (plus + 1), &inject->offset_ms);
        }
      else
        {
          inject->offset_ms = 0;
          ok = TRUE;
        }
      g_strstrip (rest);
      ok = ok && *rest != '\0' && strchr (rest, ' ') == NULL;
      if (ok)
        inject->after = g_strdup (rest);
    }
  if (!ok)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                 _("the time “%s” is not one ShelterDesk reads: write T+hh:mm after the start (T+01:30), "
                   "or “after SERIAL +hh:mm” after another inject is delivered"), cell);
  return ok;
}

/* Prefixes ERROR with the file and line. */
static gboolean
at_line (SdScenario  *scenario,
         guint        line,
         GError     **error)
{
  g_prefix_error (error, _("%s, line %u: "), scenario->file, line);
  return FALSE;
}

/* One inject from its cells (NULL for a column the file does not have). */
static gboolean
add_inject (SdScenario  *scenario,
            const char  *cells[N_COLUMNS],
            guint        line,
            GError     **error)
{
  SdInject *inject = g_new0 (SdInject, 1);
  GError *local = NULL;

  g_ptr_array_add (scenario->injects, inject);
  inject->line = line;
  inject->serial = tidy (cells[COL_SERIAL]);
  inject->type = tidy (cells[COL_TYPE]);
  inject->method = tidy (cells[COL_METHOD]);
  inject->sender = tidy (cells[COL_FROM]);
  inject->recipient = tidy (cells[COL_TO]);
  inject->description = g_strstrip (g_strdup (cells[COL_DESCRIPTION] != NULL ? cells[COL_DESCRIPTION] : ""));
  inject->expected = g_strstrip (g_strdup (cells[COL_EXPECTED] != NULL ? cells[COL_EXPECTED] : ""));
  inject->action_text = tidy (cells[COL_ACTION]);

  for (guint c = 0; c < N_COLUMNS; c++)
    if (cells[c] != NULL && g_utf8_strlen (cells[c], -1) > MAX_CELL_CHARS)
      {
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                     _("the “%s” cell is longer than %d characters"), column_keys[c], MAX_CELL_CHARS);
        return at_line (scenario, line, error);
      }
  if (*inject->serial == '\0' || g_utf8_strlen (inject->serial, -1) > 20 || strchr (inject->serial, ' ') != NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("every inject needs a serial of 1 to 20 characters without spaces, such as 12"));
      return at_line (scenario, line, error);
    }
  if (*inject->description == '\0')
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("inject %s has no description: write what happens, as the players will read it"),
                   inject->serial);
      return at_line (scenario, line, error);
    }
  if (cells[COL_TIME] == NULL || !parse_time (inject, cells[COL_TIME], error))
    {
      if (cells[COL_TIME] == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                     _("inject %s has no delivery time: write T+hh:mm"), inject->serial);
      return at_line (scenario, line, error);
    }
  if (!sd_exercise_action_parse (inject->action_text, &inject->action, &local))
    {
      g_propagate_prefixed_error (error, local, _("inject %s: "), inject->serial);
      return at_line (scenario, line, error);
    }
  if (scenario->injects->len > MAX_INJECTS)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("a scenario has at most %d injects"), MAX_INJECTS);
      return at_line (scenario, line, error);
    }
  return TRUE;
}

static gboolean
read_csv (SdScenario  *scenario,
          GBytes      *data,
          GError     **error)
{
  g_autoptr(SdCsvReader) reader = sd_csv_reader_new_from_bytes (data, NULL, error);
  int column_of[N_COLUMNS];
  gboolean have_headings = FALSE;
  GError *local = NULL;
  GPtrArray *row;

  if (reader == NULL)
    {
      g_prefix_error (error, "%s: ", scenario->file);
      return FALSE;
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    column_of[c] = -1;
  while ((row = sd_csv_reader_read_row (reader, &local)) != NULL)
    {
      g_autoptr(GPtrArray) cells = row;
      guint line = sd_csv_reader_get_line (reader);
      gboolean empty = TRUE;

      for (guint i = 0; i < cells->len; i++)
        {
          g_autofree char *cell = tidy (g_ptr_array_index (cells, i));
          empty &= *cell == '\0';
        }
      if (empty)
        continue;
      if (!have_headings)
        {
          for (guint i = 0; i < cells->len; i++)
            {
              g_autofree char *cell = tidy (g_ptr_array_index (cells, i));
              g_autofree char *heading = g_utf8_strdown (cell, -1);

              for (guint c = 0; c < N_COLUMNS; c++)
                {
                  g_auto(GStrv) names = g_strsplit (column_headings[c], "|", -1);

                  if (!g_strv_contains ((const char *const *) names, heading))
                    continue;
                  if (column_of[c] >= 0)
                    {
                      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                                   _("two columns are headed “%s”"), column_keys[c]);
                      return at_line (scenario, line, error);
                    }
                  column_of[c] = (int) i;
                }
            }
          for (guint c = 0; c < N_COLUMNS; c++)
            if (column_of[c] < 0 && (c == COL_SERIAL || c == COL_TIME || c == COL_DESCRIPTION))
              {
                g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                             _("the first row must name the columns, and the “%s” column is missing "
                               "(serial, time, type, method, from, to, description, expected, action; "
                               "or 番号, 時刻, 種別, 伝達手段, 発信者, 受信者, 内容, 期待される対応, 機械動作)"),
                             column_keys[c]);
                return at_line (scenario, line, error);
              }
          have_headings = TRUE;
          continue;
        }
      {
        const char *values[N_COLUMNS];

        for (guint c = 0; c < N_COLUMNS; c++)
          values[c] = column_of[c] >= 0 && (guint) column_of[c] < cells->len
                      ? g_ptr_array_index (cells, column_of[c]) : (column_of[c] >= 0 ? "" : NULL);
        if (!add_inject (scenario, values, line, error))
          return FALSE;
      }
    }
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, "%s: ", scenario->file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_json (SdScenario  *scenario,
           GBytes      *data,
           GError     **error)
{
  gsize length = 0;
  const char *text = g_bytes_get_data (data, &length);
  json_error_t json_error;
  g_autoptr(json_t) root = json_loadb (text, length, JSON_REJECT_DUPLICATES, &json_error);
  json_t *injects, *name;
  size_t i;
  json_t *item;

  if (root == NULL || !json_is_object (root))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                   _("%s, line %d: this is not a scenario in JSON (%s)"), scenario->file,
                   root == NULL ? json_error.line : 1, root == NULL ? json_error.text : _("not an object"));
      return FALSE;
    }
  name = json_object_get (root, "name");
  if (json_is_string (name) && *json_string_value (name) != '\0')
    {
      g_free (scenario->name);
      scenario->name = g_utf8_substring (json_string_value (name), 0, 200);
    }
  injects = json_object_get (root, "injects");
  if (!json_is_array (injects))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("%s: a scenario in JSON has an “injects” list"), scenario->file);
      return FALSE;
    }
  json_array_foreach (injects, i, item)
    {
      const char *values[N_COLUMNS];
      g_autofree char *serial = NULL;

      if (!json_is_object (item))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("inject %u is not an object"), (guint) i + 1);
          return at_line (scenario, (guint) i + 1, error);
        }
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          json_t *v = json_object_get (item, column_keys[c]);

          if (c == COL_SERIAL && json_is_integer (v))
            values[c] = serial = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_integer_value (v));
          else if (v == NULL || json_is_null (v))
            values[c] = NULL;
          else if (json_is_string (v))
            values[c] = json_string_value (v);
          else
            {
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("inject %u: “%s” must be text"), (guint) i + 1, column_keys[c]);
              return at_line (scenario, (guint) i + 1, error);
            }
        }
      if (!add_inject (scenario, values, (guint) i + 1, error))
        return FALSE;
    }
  return TRUE;
}

static int
compare_injects (gconstpointer a,
                 gconstpointer b)
{
  const SdInject *x = *(SdInject *const *) a, *y = *(SdInject *const *) b;

  if (x->at_ms != y->at_ms)
    return x->at_ms < y->at_ms ? -1 : 1;
  return (x->line > y->line) - (x->line < y->line);
}

/* Every inject's T+, following "after" chains; refuses an unknown
 * serial and a loop. */
static gboolean
resolve_times (SdScenario  *scenario,
               GError     **error)
{
  g_autoptr(GHashTable) by_serial = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = scenario->injects->len;

  for (guint i = 0; i < n; i++)
    {
      SdInject *inject = g_ptr_array_index (scenario->injects, i);
      SdInject *before = g_hash_table_lookup (by_serial, inject->serial);

      if (before != NULL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("serial %s is used twice (also on line %u): each inject needs its own"),
                       inject->serial, before->line);
          return at_line (scenario, inject->line, error);
        }
      g_hash_table_insert (by_serial, inject->serial, inject);
    }
  for (guint i = 0; i < n; i++)
    {
      SdInject *start = g_ptr_array_index (scenario->injects, i);
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      SdInject *at = start;
      gint64 total = 0;

      /* Walk back to an inject timed from T+0; more steps than injects
       * is a loop. */
      while (at->after != NULL)
        {
          SdInject *from = g_hash_table_lookup (by_serial, at->after);

          if (from == NULL)
            {
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("inject %s is timed after %s, and there is no inject %s"), at->serial, at->after,
                           at->after);
              return at_line (scenario, at->line, error);
            }
          g_ptr_array_add (chain, at);
          total += at->offset_ms;
          if (chain->len > n)
            {
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("inject %s is timed after %s, which comes back to %s: a loop, so none of them "
                             "would ever be delivered. Time one of them from the start (T+hh:mm)"),
                           start->serial, start->after, start->serial);
              return at_line (scenario, start->line, error);
            }
          at = from;
        }
      start->at_ms = total + at->offset_ms;
      if (start->at_ms > 7 * 24 * 3600000LL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("inject %s comes more than a week after the start"), start->serial);
          return at_line (scenario, start->line, error);
        }
    }
  g_ptr_array_sort (scenario->injects, compare_injects);
  return TRUE;
}

SdScenario *
sd_scenario_parse (GBytes      *data,
                   const char  *name,
                   gboolean     json,
                   GError     **error)
{
  g_autoptr(SdScenario) scenario = g_new0 (SdScenario, 1);
  g_autofree char *base = g_path_get_basename (name);
  char *dot;

  g_return_val_if_fail (data != NULL && name != NULL, NULL);

  scenario->file = g_strdup (name);
  scenario->injects = g_ptr_array_new_with_free_func ((GDestroyNotify) inject_free);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  scenario->name = g_strdup (base);
  scenario->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);

  if (!(json ? read_json (scenario, data, error) : read_csv (scenario, data, error)))
    return NULL;
  if (scenario->injects->len == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("%s: the scenario has no injects"), scenario->file);
      return NULL;
    }
  if (!resolve_times (scenario, error))
    return NULL;
  return g_steal_pointer (&scenario);
}

SdScenario *
sd_scenario_load (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) data = NULL;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  return sd_scenario_parse (data, path, g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON"),
                            error);
}

const char *
sd_scenario_get_name (SdScenario *scenario)
{
  return scenario->name;
}

const char *
sd_scenario_get_sha256 (SdScenario *scenario)
{
  return scenario->sha256;
}

guint
sd_scenario_get_n_injects (SdScenario *scenario)
{
  return scenario->injects->len;
}

const SdInject *
sd_scenario_get_inject (SdScenario *scenario,
                        guint       index)
{
  g_return_val_if_fail (index < scenario->injects->len, NULL);
  return g_ptr_array_index (scenario->injects, index);
}

const SdInject *
sd_scenario_find_inject (SdScenario *scenario,
                         const char *serial)
{
  for (guint i = 0; i < scenario->injects->len; i++)
    {
      const SdInject *inject = g_ptr_array_index (scenario->injects, i);

      if (g_strcmp0 (inject->serial, serial) == 0)
        return inject;
    }
  return NULL;
}

gint64
sd_scenario_get_end_ms (SdScenario *scenario)
{
  gint64 end = 0;

  for (guint i = 0; i < scenario->injects->len; i++)
    {
      const SdInject *inject = g_ptr_array_index (scenario->injects, i);
      gint64 over = inject->action.kind == SD_ACTION_NETWORK_DOWN || inject->action.kind == SD_ACTION_READER_FAILS
                    ? 0 : inject->action.over_ms;

      end = MAX (end, inject->at_ms + over);
    }
  return end;
}

gboolean
sd_scenario_check_against (SdScenario  *scenario,
                           SdStore     *store,
                           GError     **error)
{
  g_autoptr(GHashTable) rollcalls = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any_rollcall = FALSE;

  if (!sd_store_get_is_exercise (store))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("“%s” is not an exercise database: a scenario only ever runs in one made with "
                     "“exercise new”, so that no exercise record can end up among real ones."),
                   sd_store_get_path (store));
      return FALSE;
    }
  for (guint i = 0; i < scenario->injects->len; i++)
    {
      const SdInject *inject = g_ptr_array_index (scenario->injects, i);
      const SdAction *action = &inject->action;

      if (action->shelter != NULL)
        {
          g_autoptr(GError) local = NULL;
          g_autoptr(SdShelter) shelter = sd_store_find_shelter (store, action->shelter, &local);

          if (shelter == NULL)
            {
              if (!g_error_matches (local, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("inject %s names the shelter %s, which this exercise does not have"),
                           inject->serial, action->shelter);
              return at_line (scenario, inject->line, error);
            }
        }
      if (action->kind == SD_ACTION_ROLLCALL)
        {
          g_hash_table_add (rollcalls, action->title);
          any_rollcall = TRUE;
        }
      if (action->kind == SD_ACTION_SAFETY_ANSWERS &&
          (action->title != NULL ? !g_hash_table_contains (rollcalls, action->title) : !any_rollcall))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("inject %s has staff answer a roll-call that no earlier inject opens: put a "
                         "“rollcall title=…” action before it"), inject->serial);
          return at_line (scenario, inject->line, error);
        }
    }
  return TRUE;
}
