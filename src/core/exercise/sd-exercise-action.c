/* sd-exercise-action.c: the machine actions of a scenario's injects, read from their text.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-exercise-action.h"

#include "sd-error.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

/* The most people one action moves: far more than a shelter holds, far
 * less than would stall an exercise. */
#define MAX_PEOPLE 20000

typedef struct {
  SdActionKind  kind;
  const char   *verb;
  const char   *keys;      /* the keys it takes, space-separated, for the message */
  gboolean      bare_shelter;
} Verb;

static const Verb verbs[] = {
  { SD_ACTION_SHELTER_OPEN, "shelter-open", "shelter", TRUE },
  { SD_ACTION_SHELTER_CLOSE, "shelter-close", "shelter", TRUE },
  { SD_ACTION_ARRIVALS, "arrivals", "shelter people over cards duplicates elsewhere", FALSE },
  { SD_ACTION_CHECKOUTS, "checkouts", "shelter people over", FALSE },
  { SD_ACTION_GOINGS_OUT, "goings-out", "shelter people over", FALSE },
  { SD_ACTION_RETURNS, "returns", "shelter people over", FALSE },
  { SD_ACTION_SUPPLY_PICKUPS, "supply-pickups", "shelter people over", FALSE },
  { SD_ACTION_ROLLCALL, "rollcall", "title", FALSE },
  { SD_ACTION_SAFETY_ANSWERS, "safety-answers", "share within rollcall", FALSE },
  { SD_ACTION_SUPPORT_STATUS, "support-status", "confirmed district within", FALSE },
  { SD_ACTION_SHELTER_CONDITION, "shelter-condition", "electricity water gas communications toilets", TRUE },
  { SD_ACTION_NETWORK_DOWN, "network", "down at", FALSE },
  { SD_ACTION_READER_FAILS, "reader", "fails at for", FALSE },
  { SD_ACTION_DRILL, "drill", "at by", FALSE },
};

static const char *const drill_faults[] = {
  NULL, "kiosk-killed", "receiver-killed", "import-cut", "stick-pulled", "stick-truncated", "batch-replayed",
  "clock-ahead",
};

const char *
sd_drill_fault_to_string (SdDrillFault fault)
{
  return fault > 0 && fault < G_N_ELEMENTS (drill_faults) ? drill_faults[fault] : "";
}

static const char *const lifeline_keys[SD_N_LIFELINES] = {
  "electricity", "water", "gas", "communications", "toilets",
};

const char *
sd_exercise_action_verb (SdActionKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (verbs[i].kind == kind)
      return verbs[i].verb;
  return "";
}

void
sd_exercise_action_clear (SdAction *action)
{
  g_clear_pointer (&action->shelter, g_free);
  g_clear_pointer (&action->title, g_free);
  g_clear_pointer (&action->district, g_free);
  memset (action, 0, sizeof *action);
}

gboolean
sd_exercise_parse_duration (const char *text,
                            gint64     *out_ms)
{
  gint64 total = 0;
  const char *p = text;
  int last_unit = -1;

  if (text == NULL || *text == '\0')
    return FALSE;
  while (*p != '\0')
    {
      static const char units[] = "hms";
      static const gint64 unit_ms[] = { 3600000, 60000, 1000 };
      const char *unit;
      guint64 n = 0;
      guint digits = 0;

      while (g_ascii_isdigit (*p) && digits < 6)
        n = n * 10 + (guint64) (*p++ - '0'), digits++;
      if (digits == 0 || *p == '\0' || (unit = strchr (units, *p)) == NULL)
        return FALSE;
      /* h before m before s, each once. */
      if ((int) (unit - units) <= last_unit)
        return FALSE;
      last_unit = (int) (unit - units);
      total += (gint64) n * unit_ms[unit - units];
      p++;
    }
  /* Up to a week: an exercise is a day or two. */
  if (total > 7 * 24 * 3600000LL)
    return FALSE;
  *out_ms = total;
  return TRUE;
}

/* The words of TEXT, split at spaces outside double quotes (which go). */
static GPtrArray *
split_words (const char  *text,
             GError     **error)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);
  gboolean quoted = FALSE, any = FALSE;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"')
        {
          quoted = !quoted;
          any = TRUE;
        }
      else if (c == 0 || (!quoted && (g_unichar_isspace (c))))
        {
          if (any)
            g_ptr_array_add (words, g_string_free (g_steal_pointer (&word), FALSE));
          word = g_string_new (NULL);
          any = FALSE;
          if (c == 0)
            break;
        }
      else
        {
          g_string_append_unichar (word, c);
          any = TRUE;
        }
    }
  if (quoted)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                   _("A double quote (\") is not closed."));
      return NULL;
    }
  return g_steal_pointer (&words);
}

static gboolean
bad_value (const Verb  *verb,
           const char  *key,
           const char  *value,
           const char  *expected,
           GError     **error)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               /* TRANSLATORS: “arrivals”: “people” is “lots”: write a whole number from 1 to 20000. */
               _("“%s”: “%s” is “%s”: %s."), verb->verb, key, value, expected);
  return FALSE;
}

static gboolean
read_share (const Verb  *verb,
            const char  *key,
            const char  *value,
            double      *out,
            GError     **error)
{
  char *end = NULL;
  double v = g_ascii_strtod (value, &end);

  /* 0.3 or 30% */
  if (end != value && g_str_equal (end, "%"))
    v /= 100.0, end++;
  if (end == value || *end != '\0' || !(v >= 0.0 && v <= 1.0))
    return bad_value (verb, key, value, _("write a share from 0 to 1, such as 0.3, or a percentage such as 30%"),
                      error);
  *out = v;
  return TRUE;
}

static gboolean
read_duration (const Verb  *verb,
               const char  *key,
               const char  *value,
               gint64      *out,
               GError     **error)
{
  if (!sd_exercise_parse_duration (value, out))
    return bad_value (verb, key, value, _("write a length of time such as 30m, 2h or 1h30m (at most a week)"),
                      error);
  return TRUE;
}

static gboolean
read_shelter (const Verb  *verb,
              const char  *key,
              const char  *value,
              SdAction    *action,
              GError     **error)
{
  if (*value == '\0' || strlen (value) > 20 || strchr (value, '=') != NULL)
    return bad_value (verb, key, value, _("write a shelter code such as S01"), error);
  if (action->shelter != NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” names a shelter twice: an action acts at one shelter."), verb->verb);
      return FALSE;
    }
  action->shelter = g_strdup (value);
  return TRUE;
}

static gboolean
read_key (const Verb  *verb,
          const char  *key,
          const char  *value,
          SdAction    *action,
          GError     **error)
{
  g_auto(GStrv) allowed = g_strsplit (verb->keys, " ", -1);

  if (!g_strv_contains ((const char *const *) allowed, key))
    {
      g_autofree char *list = g_strjoinv (", ", allowed);

      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   /* TRANSLATORS: “arrivals” has no “foo”: it takes shelter, people, over. */
                   _("“%s” has no “%s”: it takes %s."), verb->verb, key, list);
      return FALSE;
    }
  if (g_str_equal (key, "shelter") || g_str_equal (key, "at"))
    return read_shelter (verb, key, value, action, error);
  if (g_str_equal (key, "people"))
    {
      char *end = NULL;
      guint64 n = g_ascii_strtoull (value, &end, 10);

      if (end == value || *end != '\0' || n < 1 || n > MAX_PEOPLE)
        return bad_value (verb, key, value, _("write a whole number from 1 to 20000"), error);
      action->people = (guint) n;
      return TRUE;
    }
  if (g_str_equal (key, "over") || g_str_equal (key, "within"))
    return read_duration (verb, key, value, &action->over_ms, error);
  if (g_str_equal (key, "down") || g_str_equal (key, "for") || g_str_equal (key, "by"))
    return read_duration (verb, key, value, &action->for_ms, error);
  if (g_str_equal (key, "share") || g_str_equal (key, "confirmed"))
    return read_share (verb, key, value, &action->share, error);
  if (g_str_equal (key, "cards"))
    return read_share (verb, key, value, &action->cards, error);
  if (g_str_equal (key, "duplicates"))
    return read_share (verb, key, value, &action->duplicates, error);
  if (g_str_equal (key, "elsewhere"))
    return read_share (verb, key, value, &action->elsewhere, error);
  if (g_str_equal (key, "title") || g_str_equal (key, "rollcall") || g_str_equal (key, "district"))
    {
      char **slot = g_str_equal (key, "district") ? &action->district : &action->title;

      if (*value == '\0' || g_utf8_strlen (value, -1) > 100)
        return bad_value (verb, key, value, _("write 1 to 100 characters, in double quotes if it has spaces"),
                          error);
      g_free (*slot);
      *slot = g_strdup (value);
      return TRUE;
    }
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    if (g_str_equal (key, lifeline_keys[i]))
      {
        SdLifelineState state;

        if (!sd_lifeline_state_from_string (value, &state) || state == SD_LIFELINE_STATE_UNKNOWN)
          return bad_value (verb, key, value, _("write ok, limited or out"), error);
        action->lifelines[i] = state;
        return TRUE;
      }
  g_assert_not_reached ();
}

/* What each verb must have, once its words are read. */
static gboolean
check_complete (const Verb  *verb,
                SdAction    *action,
                gboolean     saw_fails,
                GError     **error)
{
  const char *missing = NULL;

  switch (action->kind)
    {
    case SD_ACTION_SHELTER_OPEN:
    case SD_ACTION_SHELTER_CLOSE:
      missing = action->shelter == NULL ? "shelter" : NULL;
      break;
    case SD_ACTION_ARRIVALS:
    case SD_ACTION_CHECKOUTS:
    case SD_ACTION_GOINGS_OUT:
    case SD_ACTION_RETURNS:
    case SD_ACTION_SUPPLY_PICKUPS:
      missing = action->shelter == NULL ? "shelter" : action->people == 0 ? "people" : NULL;
      break;
    case SD_ACTION_ROLLCALL:
      missing = action->title == NULL ? "title" : NULL;
      break;
    case SD_ACTION_SAFETY_ANSWERS:
    case SD_ACTION_SUPPORT_STATUS:
      missing = action->share < 0 ? (action->kind == SD_ACTION_SAFETY_ANSWERS ? "share" : "confirmed") : NULL;
      break;
    case SD_ACTION_SHELTER_CONDITION:
      if (action->shelter == NULL)
        missing = "shelter";
      else
        {
          gboolean any = FALSE;

          for (guint i = 0; i < SD_N_LIFELINES; i++)
            any |= action->lifelines[i] != SD_LIFELINE_STATE_UNKNOWN;
          missing = any ? NULL : "water";
        }
      break;
    case SD_ACTION_NETWORK_DOWN:
      missing = action->for_ms <= 0 ? "down" : NULL;
      break;
    case SD_ACTION_READER_FAILS:
      missing = !saw_fails ? "fails" : NULL;
      break;
    case SD_ACTION_DRILL:
      missing = action->drill == 0 ? "kiosk-killed"
                : action->drill == SD_DRILL_CLOCK_AHEAD && action->for_ms <= 0 ? "by"
                : action->shelter == NULL && action->drill != SD_DRILL_RECEIVER_KILLED &&
                  action->drill != SD_DRILL_IMPORT_CUT ? "at" : NULL;
      break;
    case SD_ACTION_NONE:
      break;
    }
  if (missing != NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   /* TRANSLATORS: “arrivals” needs “people”: arrivals shelter=S03 people=120 over=30m */
                   _("“%s” needs “%s”, for example: %s"), verb->verb, missing,
                   action->kind == SD_ACTION_SHELTER_CONDITION ? "shelter-condition S02 water=out"
                   : action->kind == SD_ACTION_NETWORK_DOWN ? "network down=2h at=S01"
                   : action->kind == SD_ACTION_READER_FAILS ? "reader fails at=S01 for=1h"
                   : action->kind == SD_ACTION_DRILL ? "drill kiosk-killed at=S01, drill clock-ahead at=S03 by=2h"
                   : action->kind == SD_ACTION_ROLLCALL ? "rollcall title=\"地震 職員安否確認\""
                   : action->kind == SD_ACTION_SAFETY_ANSWERS ? "safety-answers share=0.6 within=1h"
                   : action->kind == SD_ACTION_SUPPORT_STATUS ? "support-status district=東町 confirmed=0.3"
                   : action->kind == SD_ACTION_SHELTER_OPEN ? "shelter-open S01"
                   : action->kind == SD_ACTION_SHELTER_CLOSE ? "shelter-close S01"
                   : "arrivals shelter=S03 people=120 over=30m");
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_exercise_action_parse (const char  *text,
                          SdAction    *action,
                          GError     **error)
{
  g_autoptr(GPtrArray) words = NULL;
  const Verb *verb = NULL;
  gboolean saw_fails = FALSE;

  memset (action, 0, sizeof *action);
  if (text == NULL)
    return TRUE;
  words = split_words (text, error);
  if (words == NULL)
    return FALSE;
  if (words->len == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (g_ptr_array_index (words, 0), verbs[i].verb))
      verb = &verbs[i];
  if (verb == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” is not an action ShelterDesk knows. The actions are: shelter-open, shelter-close, "
                     "arrivals, checkouts, goings-out, returns, supply-pickups, rollcall, safety-answers, "
                     "support-status, shelter-condition, network, reader, drill (docs/scenario-format.md)."),
                   (const char *) g_ptr_array_index (words, 0));
      return FALSE;
    }
  action->kind = verb->kind;
  action->share = -1;
  action->cards = 0.4;
  action->duplicates = 0.02;
  action->elsewhere = 0.1;
  for (guint i = 1; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      const char *eq = strchr (word, '=');
      g_autofree char *key = eq != NULL ? g_strndup (word, eq - word) : NULL;

      if (eq == NULL && verb->bare_shelter)
        {
          if (!read_shelter (verb, "shelter", word, action, error))
            goto failed;
        }
      else if (eq == NULL && action->kind == SD_ACTION_READER_FAILS && g_str_equal (word, "fails"))
        saw_fails = TRUE;
      else if (eq == NULL && action->kind == SD_ACTION_DRILL && action->drill == 0)
        {
          for (guint f = 1; f < G_N_ELEMENTS (drill_faults); f++)
            if (g_str_equal (word, drill_faults[f]))
              action->drill = (SdDrillFault) f;
          if (action->drill == 0)
            {
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("“drill %s” is not a fault a drill plays. They are: kiosk-killed, receiver-killed, "
                             "import-cut, stick-pulled, stick-truncated, batch-replayed, clock-ahead."), word);
              goto failed;
            }
        }
      else if (eq == NULL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                       /* TRANSLATORS: In “arrivals”, “S03” is not key=value, such as people=120. */
                       _("In “%s”, “%s” is not key=value, such as people=120."), verb->verb, word);
          goto failed;
        }
      else if (!read_key (verb, key, eq + 1, action, error))
        goto failed;
    }
  if (!check_complete (verb, action, saw_fails, error))
    goto failed;
  return TRUE;

failed:
  sd_exercise_action_clear (action);
  return FALSE;
}
