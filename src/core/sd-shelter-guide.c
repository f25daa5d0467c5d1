/* sd-shelter-guide.c: the one-page shelter guide: what it holds, how times are read, where it is kept.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-evacuee-text.h"
#include "sd-error.h"
#include "sd-intake-input.h"
#include "sd-json.h"
#include "sd-shelter-guide.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *id;
  const char *text;  /* EN_: in the evacuee catalogues */
} rules[] = {
  [SD_GUIDE_RULE_NO_SMOKING] = { "no-smoking", EN_("Do not smoke inside the building.") },
  [SD_GUIDE_RULE_NO_ALCOHOL] = { "no-alcohol", EN_("Do not drink alcohol in the shelter.") },
  [SD_GUIDE_RULE_SHOES_OFF] = { "shoes-off", EN_("Take off your shoes in the living area.") },
  [SD_GUIDE_RULE_PETS] = { "pets", EN_("Pets stay in the pet area, not in the living area.") },
  [SD_GUIDE_RULE_AISLES] = { "aisles", EN_("Keep the aisles clear: do not leave things in them.") },
  [SD_GUIDE_RULE_QUIET] = { "quiet", EN_("Please be quiet after lights out.") },
  [SD_GUIDE_RULE_TELL_DESK] = { "tell-desk", EN_("Tell the desk when you go out, and when you leave the shelter.") },
  [SD_GUIDE_RULE_RUBBISH] = { "rubbish", EN_("Sort your rubbish and put it in the right place.") },
  [SD_GUIDE_RULE_CHARGING] = { "charging", EN_("Charge phones only at the charging place.") },
  [SD_GUIDE_RULE_VALUABLES] = { "valuables", EN_("Keep your valuables with you.") },
  [SD_GUIDE_RULE_WASH_HANDS] = { "wash-hands", EN_("Wash your hands before eating and after the toilet.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (rules) == SD_N_GUIDE_RULES);

/* The columns of the shelters row (schema 18), in the order of the enums. */
static const char *const time_columns[] = {
  "guide_breakfast", "guide_lunch", "guide_dinner", "guide_lights_out", "guide_lights_on" };
static const char *const place_columns[] = {
  "guide_ask", "guide_supplies", "guide_pets", "guide_smoking", "guide_charging" };

G_STATIC_ASSERT (G_N_ELEMENTS (time_columns) == SD_N_GUIDE_TIMES);
G_STATIC_ASSERT (G_N_ELEMENTS (place_columns) == SD_N_GUIDE_PLACES);

SdShelterGuide *
sd_shelter_guide_new (void)
{
  return g_new0 (SdShelterGuide, 1);
}

SdShelterGuide *
sd_shelter_guide_copy (const SdShelterGuide *guide)
{
  SdShelterGuide *copy;

  g_return_val_if_fail (guide != NULL, NULL);

  copy = g_memdup2 (guide, sizeof *guide);
  copy->shelter_name = g_strdup (guide->shelter_name);
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    copy->times[i] = g_strdup (guide->times[i]);
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    copy->places[i] = g_strdup (guide->places[i]);
  copy->note = g_strdup (guide->note);
  copy->unknown_rules = g_strdup (guide->unknown_rules);
  return copy;
}

void
sd_shelter_guide_free (SdShelterGuide *guide)
{
  if (guide == NULL)
    return;
  g_free (guide->shelter_name);
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    g_free (guide->times[i]);
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    g_free (guide->places[i]);
  g_free (guide->note);
  g_free (guide->unknown_rules);
  g_free (guide);
}

/* NULL and "" are the same: nothing written. */
static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && *a ? a : NULL, b != NULL && *b ? b : NULL) == 0;
}

gboolean
sd_shelter_guide_equal (const SdShelterGuide *a,
                        const SdShelterGuide *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    if (!same_text (a->times[i], b->times[i]))
      return FALSE;
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    if (!same_text (a->places[i], b->places[i]))
      return FALSE;
  return a->rules == b->rules && same_text (a->note, b->note);
}

gboolean
sd_shelter_guide_is_empty (const SdShelterGuide *guide)
{
  g_autoptr(SdShelterGuide) empty = sd_shelter_guide_new ();

  g_return_val_if_fail (guide != NULL, TRUE);
  return sd_shelter_guide_equal (guide, empty);
}

const char *
sd_guide_rule_to_string (SdGuideRule rule)
{
  g_return_val_if_fail (rule < SD_N_GUIDE_RULES, NULL);
  return rules[rule].id;
}

gboolean
sd_guide_rule_from_string (const char  *text,
                           SdGuideRule *out_rule)
{
  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    if (g_strcmp0 (text, rules[i].id) == 0)
      {
        *out_rule = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_guide_rule_text (SdGuideRule  rule,
                    const char  *language)
{
  g_return_val_if_fail (rule < SD_N_GUIDE_RULES, NULL);
  return sd_evacuee_gettext (language != NULL ? language : "en", rules[rule].text);
}

/* ---- times ---- */

static gboolean
set_not_a_time (const char  *text,
                const char  *what,
                GError     **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
               /* Translators: "“7じ” is not a time (Breakfast): write it as 7:30 or 19:00" */
               _("“%s” is not a time (%s): write it as 7:30 or 19:00"), text, what);
  return FALSE;
}

gboolean
sd_guide_time_parse (const char  *text,
                     const char  *what,
                     char       **out,
                     GError     **error)
{
  g_autofree char *tidy = sd_text_tidy (text);
  g_autoptr(GString) plain = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  const char *rest;
  int after_noon = -1;  /* -1: not said; 0: 午前 / am; 1: 午後 / pm */
  int hour = -1, minute = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  *out = NULL;
  if (tidy == NULL)
    return TRUE;

  /* 午前 / 午後 before, am / pm after; spaces anywhere. */
  /* Any script's digits as ASCII (NFKC leaves ٧ and ७ as they are), so
   * that what is read is what was typed, never midnight. */
  plain = g_string_new (NULL);
  for (rest = tidy; *rest; rest = g_utf8_next_char (rest))
    {
      gunichar c = g_utf8_get_char (rest);

      if (c == ' ')
        continue;
      if (g_unichar_isdigit (c) && g_unichar_digit_value (c) >= 0)
        g_string_append_c (plain, (char) ('0' + g_unichar_digit_value (c)));
      else if (c < 0x80)
        g_string_append_c (plain, g_ascii_tolower ((char) c));
      else
        g_string_append_unichar (plain, c);
    }
  if (g_str_has_prefix (plain->str, "午前") || g_str_has_prefix (plain->str, "午後"))
    {
      after_noon = g_str_has_prefix (plain->str, "午後");
      g_string_erase (plain, 0, strlen ("午前"));
    }
  else if (g_str_has_suffix (plain->str, "am") || g_str_has_suffix (plain->str, "pm"))
    {
      after_noon = g_str_has_suffix (plain->str, "pm");
      g_string_truncate (plain, plain->len - 2);
    }

  regex = g_regex_new ("^(?:([0-9]{1,2})[:.]([0-9]{2})|([0-9]{1,2})時(?:([0-9]{1,2})分|(半))?|([0-9]{1,2})([0-9]{2})?)$",
                       G_REGEX_OPTIMIZE, 0, NULL);
  if (!g_regex_match (regex, plain->str, 0, &match))
    return set_not_a_time (text, what, error);
  for (int group = 1; group <= 7; group++)
    {
      g_autofree char *part = g_match_info_fetch (match, group);

      if (part == NULL || *part == '\0')
        continue;
      if (group == 1 || group == 3 || group == 6)
        hour = atoi (part);
      else if (group == 5)
        minute = 30;
      else
        minute = atoi (part);
    }
  /* 午後18時 is not a time anyone means. */
  if (hour < 0 || hour > 23 || minute > 59 || (after_noon >= 0 && hour > 12))
    return set_not_a_time (text, what, error);
  if (after_noon == 1 && hour < 12)
    hour += 12;
  else if (after_noon == 0 && hour == 12)
    hour = 0;
  *out = g_strdup_printf ("%02d:%02d", hour, minute);
  return TRUE;
}

char *
sd_guide_time_format (const char *time)
{
  if (time == NULL || strlen (time) != 5 || !g_ascii_isdigit (time[0]) || !g_ascii_isdigit (time[1]) ||
      time[2] != ':' || !g_ascii_isdigit (time[3]) || !g_ascii_isdigit (time[4]))
    return NULL;
  return g_strdup_printf ("%d:%s", atoi (time), time + 3);
}

/* ---- JSON ---- */

static const char *const time_members[] = { "breakfast", "lunch", "dinner", "lights_out", "lights_on" };
static const char *const place_members[] = { "ask", "supplies", "pets", "smoking", "charging" };

G_STATIC_ASSERT (G_N_ELEMENTS (time_members) == SD_N_GUIDE_TIMES);
G_STATIC_ASSERT (G_N_ELEMENTS (place_members) == SD_N_GUIDE_PLACES);

json_t *
sd_shelter_guide_to_json (const SdShelterGuide *guide)
{
  json_t *object = json_object ();
  json_t *list = json_array ();

  g_return_val_if_fail (guide != NULL, NULL);

  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    {
      g_autofree char *time = sd_guide_time_format (guide->times[i]);
      json_object_set_new (object, time_members[i], sd_json_text (time));
    }
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    json_object_set_new (object, place_members[i], sd_json_text (guide->places[i]));
  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    if (guide->rules & (1u << i))
      json_array_append_new (list, json_string (rules[i].id));
  json_object_set_new (object, "rules", list);
  json_object_set_new (object, "note", sd_json_text (guide->note));
  return object;
}

/* MEMBER of OBJECT into *OUT when given: text, or null. */
static gboolean
read_text_member (json_t      *object,
                  const char  *member,
                  char       **out,
                  GError     **error)
{
  json_t *value = json_object_get (object, member);

  if (value == NULL)
    return TRUE;
  if (!json_is_string (value) && !json_is_null (value))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("“%s” must be text"), member);
      return FALSE;
    }
  g_free (*out);
  *out = json_is_string (value) && *json_string_value (value) ? g_strdup (json_string_value (value)) : NULL;
  return TRUE;
}

gboolean
sd_shelter_guide_read_json (SdShelterGuide  *into,
                            json_t          *object,
                            GError         **error)
{
  static const char *const known[] = {
    "breakfast", "lunch", "dinner", "lights_out", "lights_on", "ask", "supplies", "pets", "smoking",
    "charging", "rules", "note", NULL };
  json_t *list;

  g_return_val_if_fail (into != NULL, FALSE);

  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("not a JSON object"));
      return FALSE;
    }
  if (!sd_intake_input_refuse_unknown (object, _("the guide"), known, error))
    return FALSE;
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    {
      g_autofree char *typed = NULL;
      char *time = NULL;

      if (json_object_get (object, time_members[i]) == NULL)
        continue;
      if (!read_text_member (object, time_members[i], &typed, error) ||
          !sd_guide_time_parse (typed, time_members[i], &time, error))
        return FALSE;
      g_free (into->times[i]);
      into->times[i] = time;
    }
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    if (!read_text_member (object, place_members[i], &into->places[i], error))
      return FALSE;
  if (!read_text_member (object, "note", &into->note, error))
    return FALSE;
  list = json_object_get (object, "rules");
  if (json_is_null (list))
    into->rules = 0;
  else if (list != NULL)
    {
      guint set = 0;

      if (!json_is_array (list))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("“%s” must be a list of text"), "rules");
          return FALSE;
        }
      for (guint i = 0; i < json_array_size (list); i++)
        {
          const char *code = json_string_value (json_array_get (list, i));
          SdGuideRule rule;

          if (!sd_guide_rule_from_string (code, &rule))
            {
              g_autoptr(GString) names = g_string_new (NULL);

              for (guint r = 0; r < SD_N_GUIDE_RULES; r++)
                g_string_append_printf (names, "%s%s", r > 0 ? ", " : "", rules[r].id);
              g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("“%s” is not a value of “%s”: write one of %s"), code != NULL ? code : "?", "rules",
                           names->str);
              return FALSE;
            }
          set |= 1u << rule;
        }
      into->rules = set;
    }
  return TRUE;
}

/* ---- the store ---- */

/* When the guide last changed: the newest op-log change of the shelter's
 * row that wrote a guide line (a field named guide_…), in ms. */
#define GUIDE_UPDATED_AT \
  "(SELECT max (o.hlc) >> 16 FROM oplog o WHERE o.tbl = t.n AND o.row_id = sd_row_key (s.id) " \
  "   AND o.kind IN (1, 2) AND EXISTS (SELECT 1 FROM json_each (o.fields) j JOIN oplog_fields f " \
  "     ON f.tbl = t.n AND f.n = CAST (j.key AS INTEGER) WHERE f.name GLOB 'guide_*'))"

#define GUIDE_COLUMNS \
  "s.name, s.guide_breakfast, s.guide_lunch, s.guide_dinner, s.guide_lights_out, s.guide_lights_on, " \
  "s.guide_ask, s.guide_supplies, s.guide_pets, s.guide_smoking, s.guide_charging, s.guide_rules, s.guide_note, " \
  GUIDE_UPDATED_AT

SdShelterGuide *
sd_store_get_shelter_guide (SdStore     *store,
                            const char  *shelter_id,
                            GError     **error)
{
  g_autoptr(SdShelterGuide) guide = NULL;
  sqlite3_stmt *stmt;
  int rc;
  int column = 0;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (shelter_id != NULL, NULL);

  stmt = _sd_store_prepare (store, "SELECT " GUIDE_COLUMNS " FROM shelters s "
                            "JOIN oplog_tables t ON t.name = 'shelters' WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, shelter_id);
  rc = _sd_store_step (store, stmt, _("read the shelter guide"), error);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such shelter."));
      return NULL;
    }
  guide = sd_shelter_guide_new ();
  guide->shelter_name = g_strdup (_sd_column_text (stmt, column++));
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    guide->times[i] = g_strdup (_sd_column_text (stmt, column++));
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    guide->places[i] = g_strdup (_sd_column_text (stmt, column++));
  {
    /* A rule this build does not know (a newer desk's) is not printed. */
    g_auto(GStrv) codes = g_strsplit (_sd_column_text (stmt, column++) ?: "", " ", -1);

    g_autoptr(GString) unknown = g_string_new (NULL);

    for (guint i = 0; codes[i] != NULL; i++)
      {
        SdGuideRule rule;

        if (sd_guide_rule_from_string (codes[i], &rule))
          guide->rules |= 1u << rule;
        else if (*codes[i] != '\0')
          g_string_append_printf (unknown, "%s%s", unknown->len > 0 ? " " : "", codes[i]);
      }
    guide->unknown_rules = unknown->len > 0 ? g_strdup (unknown->str) : NULL;
  }
  guide->note = g_strdup (_sd_column_text (stmt, column++));
  guide->updated_at = sqlite3_column_int64 (stmt, column++);
  sqlite3_reset (stmt);
  return g_steal_pointer (&guide);
}

static char *
rules_text (guint set)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    if (set & (1u << i))
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", rules[i].id);
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

const char *
sd_guide_time_get_label (SdGuideTime time)
{
  switch (time)
    {
    case SD_GUIDE_BREAKFAST: return _("Breakfast");
    case SD_GUIDE_LUNCH: return _("Lunch");
    case SD_GUIDE_DINNER: return _("Dinner");
    case SD_GUIDE_LIGHTS_OUT: return _("Lights out");
    case SD_GUIDE_LIGHTS_ON: return _("Lights on");
    case SD_N_GUIDE_TIMES:
    default: g_return_val_if_reached (NULL);
    }
}

const char *
sd_guide_place_get_label (SdGuidePlace place)
{
  switch (place)
    {
    case SD_GUIDE_ASK: return _("Where to ask");
    case SD_GUIDE_SUPPLIES: return _("Where supplies are given out");
    case SD_GUIDE_PETS: return _("Pet area");
    case SD_GUIDE_SMOKING: return _("Smoking area");
    case SD_GUIDE_CHARGING: return _("Charging place");
    case SD_N_GUIDE_PLACES:
    default: g_return_val_if_reached (NULL);
    }
}

/* GUIDE's lines as they will be stored: times checked, places and the
 * note tidied and checked.  NULL with a message a lead can act on. */
static SdShelterGuide *
checked_guide (const SdShelterGuide  *guide,
               GError               **error)
{
  g_autoptr(SdShelterGuide) checked = sd_shelter_guide_new ();

  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    {
      char *time = NULL;

      if (!sd_guide_time_parse (guide->times[i], sd_guide_time_get_label (i), &time, error))
        return NULL;
      checked->times[i] = time;
    }
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    {
      /* Checked as it will be stored: tidying (NFKC) can make it longer (㍿ → 株式会社). */
      checked->places[i] = sd_text_tidy (guide->places[i]);
      if (checked->places[i] != NULL &&
          !sd_text_validate (checked->places[i], sd_guide_place_get_label (i), SD_GUIDE_PLACE_MAX_CHARS, FALSE,
                             error))
        return NULL;
    }
  if (guide->note != NULL)
    {
      g_autofree char *note = g_strstrip (g_strdup (guide->note));

      if (!sd_text_validate (note, _("The message"), SD_GUIDE_NOTE_MAX_CHARS, TRUE, error))
        return NULL;
      checked->note = *note ? g_steal_pointer (&note) : NULL;
    }
  if (guide->rules >> SD_N_GUIDE_RULES != 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("The guide lists a rule ShelterDesk does not know."));
      return NULL;
    }
  checked->rules = guide->rules;
  return g_steal_pointer (&checked);
}

/* Appends "COLUMN = ?N" for VALUE to the UPDATE being made. */
static void
set_column (GString    *sql,
            GPtrArray  *values,
            const char *column,
            char       *value)
{
  g_string_append_printf (sql, "%s%s = ?%u", values->len > 0 ? ", " : "", column, values->len + 2);
  g_ptr_array_add (values, value);
}

gboolean
sd_store_set_shelter_guide (SdStore              *store,
                            const char           *shelter_id,
                            const SdShelterGuide *base,
                            const SdShelterGuide *guide,
                            GError              **error)
{
  g_autoptr(SdShelterGuide) checked = NULL;
  g_autoptr(SdShelterGuide) before = NULL;
  g_autoptr(SdShelterGuide) now = NULL;
  g_autoptr(GString) sql = g_string_new ("UPDATE shelters SET ");
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (shelter_id != NULL && guide != NULL, FALSE);

  checked = checked_guide (guide, error);
  if (checked == NULL)
    return FALSE;
  if (base != NULL)
    {
      before = checked_guide (base, NULL);
      if (before == NULL)
        before = sd_shelter_guide_copy (base);
    }

  /* What is stored now is read in the same transaction as the write, so
   * another process's change between the two is not lost. */
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  now = sd_store_get_shelter_guide (store, shelter_id, error);
  if (now == NULL)
    return FALSE;

  /* Only the lines the editor changed: the others may be another desk's
   * newer words. */
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    if (before == NULL || !same_text (before->times[i], checked->times[i]))
      set_column (sql, values, time_columns[i], g_strdup (checked->times[i]));
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    if (before == NULL || !same_text (before->places[i], checked->places[i]))
      set_column (sql, values, place_columns[i], g_strdup (checked->places[i]));
  if (before == NULL || before->rules != checked->rules)
    {
      /* Each rule is a line of its own on the page: only the ones this
       * editor ticked or unticked change, on what is stored now, so a
       * rule another desk ticked meanwhile stays. */
      guint removed = before != NULL ? before->rules & ~checked->rules : 0;
      guint added = before != NULL ? checked->rules & ~before->rules : 0;
      guint set = before != NULL ? (now->rules & ~removed) | added : checked->rules;

      if (before == NULL || set != now->rules)
        {
          g_autofree char *known = rules_text (set);

          /* A rule a newer ShelterDesk wrote stays, as it was. */
          set_column (sql, values, "guide_rules",
                      now->unknown_rules == NULL ? g_steal_pointer (&known)
                      : known == NULL ? g_strdup (now->unknown_rules)
                      : g_strconcat (known, " ", now->unknown_rules, NULL));
        }
    }
  if (before == NULL || !same_text (before->note, checked->note))
    set_column (sql, values, "guide_note", g_strdup (checked->note));

  /* Nothing changed: no write (the capture writes no change for an
   * UPDATE that changes nothing either, so the date printed stays). */
  if (values->len == 0)
    return _sd_txn_commit (g_steal_pointer (&txn), error);
  g_string_append (sql, " WHERE id = ?1");
  /* The store keeps prepared statements by the text's address: one
   * interned string per set of lines changed (4096 at most), never a
   * buffer freed on return whose address the next save could reuse. */
  stmt = _sd_store_prepare (store, g_intern_string (sql->str), error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  for (guint i = 0; i < values->len; i++)
    _sd_bind_text (stmt, (int) i + 2, g_ptr_array_index (values, i));
  if (!_sd_store_exec (store, stmt, _("save the shelter guide"), error))
    return FALSE;
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}
