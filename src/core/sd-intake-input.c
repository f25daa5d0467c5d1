/* sd-intake-input.c: one strict check of a household and its members, for every way one comes in.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each field has one kind, and a value of another kind is refused rather
 * than read as a default: "consent_disclose": "true" is not consent (a
 * string is not true/false), "phone": 9012345678 is not a phone number
 * (the leading zero is gone already), "birth_date": 19500106 is not a
 * date written by a person.  A member this file does not know is refused
 * by name, since a misspelt "adress" would otherwise drop the address
 * without a word.  Text may not hold U+0000 (C would cut the name there)
 * or bidirectional controls (U+202E shows "abc" stored as "cba").
 *
 * Messages name where ("household", "member 2") and the field as it is
 * written in the JSON, and say what was expected; they never quote the
 * value, which is personal data.
 */
#include "sd-intake-input.h"

#include "sd-date.h"
#include "sd-error.h"
#include "sd-json.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <stddef.h>
#include <string.h>

struct _SdIntakeInput
{
  SdHouseholdSpec household;
  GArray         *members;   /* SdPersonSpec */
  GStringChunk   *strings;
  const char     *shelter;   /* evacuee add's shelter code */
  GDate           today;
};

typedef enum {
  FIELD_TEXT,
  FIELD_DATE,
  FIELD_FLAG,
  FIELD_COUNT,
  FIELD_SEX,
  FIELD_CARE_LEVEL,
  FIELD_STAY,
  FIELD_DAMAGE,
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  gsize       offset;  /* into SdHouseholdSpec or SdPersonSpec */
} Field;

#define H(name, kind) { #name, kind, offsetof (SdHouseholdSpec, name) }
#define P(name, kind) { #name, kind, offsetof (SdPersonSpec, name) }

static const Field household_fields[] = {
  H (address, FIELD_TEXT),
  H (phone, FIELD_TEXT),
  H (stay, FIELD_STAY),
  H (vehicle_plate, FIELD_TEXT),
  H (house_damage, FIELD_DAMAGE),
  H (pets, FIELD_TEXT),
  H (pets_count, FIELD_COUNT),
};

/* existing_id and move_household are last: only evacuee add may name
 * them. */
static const Field person_fields[] = {
  P (name, FIELD_TEXT),
  P (kana, FIELD_TEXT),
  P (birth_date, FIELD_DATE),
  P (sex, FIELD_SEX),
  P (address, FIELD_TEXT),
  P (phone, FIELD_TEXT),
  P (consent_disclose, FIELD_FLAG),
  P (allergies, FIELD_TEXT),
  P (illness, FIELD_TEXT),
  P (pregnant, FIELD_FLAG),
  P (disability, FIELD_TEXT),
  P (care_level, FIELD_CARE_LEVEL),
  P (mobility, FIELD_TEXT),
  P (language, FIELD_TEXT),
  P (existing_id, FIELD_TEXT),
  P (move_household, FIELD_FLAG),
};

#undef H
#undef P

#define MAX_PETS 99

SdIntakeInput *
sd_intake_input_new (void)
{
  SdIntakeInput *self = g_new0 (SdIntakeInput, 1);

  self->members = g_array_new (FALSE, TRUE, sizeof (SdPersonSpec));
  self->strings = g_string_chunk_new (256);
  g_date_clear (&self->today, 1);
  return self;
}

void
sd_intake_input_free (SdIntakeInput *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->members);
  g_string_chunk_free (self->strings);
  g_free (self);
}

void
sd_intake_input_set_today (SdIntakeInput *self,
                           const GDate   *today)
{
  g_return_if_fail (self != NULL);
  if (today != NULL && g_date_valid (today))
    self->today = *today;
  else
    g_date_clear (&self->today, 1);
}

SdHouseholdSpec *
sd_intake_input_get_household (SdIntakeInput *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->household;
}

SdPersonSpec *
sd_intake_input_get_members (SdIntakeInput *self,
                             guint         *n_members)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_members != NULL)
    *n_members = self->members->len;
  return (SdPersonSpec *) (gpointer) self->members->data;
}

const char *
sd_intake_input_get_shelter (SdIntakeInput *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->shelter;
}

/* ---- one value ---- */

static void
set_error (GError    **error,
           int         code,
           const char *where,
           const char *what)
{
  g_set_error (error, SD_DATA_ERROR, code, "%s: %s", where, what);
}

gboolean
sd_intake_check_text (const char  *where,
                      const char  *field,
                      const char  *text,
                      gssize       length,
                      GError     **error)
{
  gunichar bidi;

  g_return_val_if_fail (where != NULL && field != NULL, FALSE);

  if (text == NULL)
    return TRUE;
  if (length < 0)
    length = strlen (text);
  if (memchr (text, '\0', length) != NULL)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” contains the character U+0000, which text may not hold"),
                                               field);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  if (!g_utf8_validate (text, length, NULL))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is not UTF-8 text"), field);
      set_error (error, SD_DATA_ERROR_ENCODING, where, what);
      return FALSE;
    }
  bidi = sd_text_find_bidi_control (text);
  if (bidi != 0)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” contains U+%04X, an invisible direction control that makes "
                                                 "text show other than it is stored: remove it"),
                                               field, bidi);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  if (g_utf8_strlen (text, length) > SD_INTAKE_MAX_FIELD_CHARS)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is too long: at most %d characters"),
                                               field, SD_INTAKE_MAX_FIELD_CHARS);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_intake_input_get_text (SdIntakeInput  *self,
                          json_t         *object,
                          const char     *where,
                          const char     *field,
                          const char    **out,
                          GError        **error)
{
  json_t *node = json_object_get (object, field);
  g_autofree char *stripped = NULL;

  *out = NULL;
  if (node == NULL || json_is_null (node))
    return TRUE;
  if (!json_is_string (node))
    {
      /* A phone number or a date written as a number has already lost
       * its leading zero or its form; say so, since that is the why. */
      g_autofree char *what = json_is_number (node)
        ? g_strdup_printf (_("“%s” must be text in double quotes, not a number (a number loses a leading zero)"), field)
        : g_strdup_printf (_("“%s” must be text in double quotes"), field);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  if (!sd_intake_check_text (where, field, json_string_value (node), json_string_length (node), error))
    return FALSE;
  stripped = g_strstrip (g_strdup (json_string_value (node)));
  if (*stripped != '\0')
    *out = g_string_chunk_insert (self->strings, stripped);
  return TRUE;
}

gboolean
sd_intake_input_get_flag (json_t      *object,
                          const char  *where,
                          const char  *field,
                          gboolean    *out,
                          GError     **error)
{
  json_t *node = json_object_get (object, field);

  if (node == NULL || json_is_null (node))
    return TRUE;
  if (!json_is_boolean (node))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be true or false, without quotes"), field);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  *out = json_is_true (node);
  return TRUE;
}

/* Sex as the desk writes it, ISO 5218 digits, and the words Japanese
 * files use, so one file can come from the desk or a welfare system. */
static gboolean
sex_from_text (const char *text,
               SdSex      *out)
{
  static const struct { const char *text; SdSex sex; } words[] = {
    { "男", SD_SEX_MALE }, { "男性", SD_SEX_MALE },
    { "女", SD_SEX_FEMALE }, { "女性", SD_SEX_FEMALE },
    { "不明", SD_SEX_UNKNOWN },
  };

  if (sd_sex_from_string (text, out))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (text, words[i].text))
      {
        *out = words[i].sex;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_enum (const char  *text,
           FieldKind    kind,
           gpointer     out,
           const char **expected)
{
  switch (kind)
    {
    case FIELD_SEX:
      *expected = "male, female, not_applicable, unknown (or 1, 2, 9, 0)";
      return sex_from_text (text, out);
    case FIELD_CARE_LEVEL:
      *expected = "none, support1, support2, care1 … care5";
      return sd_care_level_from_string (text, out);
    case FIELD_STAY:
      *expected = "shelter, home, vehicle, relatives";
      return sd_stay_from_string (text, out);
    case FIELD_DAMAGE:
      *expected = "unknown, none, partial, semi_half, half, medium_half, major_half, total";
      return sd_house_damage_from_string (text, out);
    case FIELD_TEXT:
    case FIELD_DATE:
    case FIELD_FLAG:
    case FIELD_COUNT:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

static gboolean
read_field (SdIntakeInput  *self,
            json_t         *object,
            const char     *where,
            const Field    *f,
            guint8         *spec,
            GError        **error)
{
  gpointer slot = spec + f->offset;
  const char *text = NULL;

  switch (f->kind)
    {
    case FIELD_FLAG:
      return sd_intake_input_get_flag (object, where, f->name, slot, error);

    case FIELD_COUNT:
      {
        json_t *node = json_object_get (object, f->name);

        if (node == NULL || json_is_null (node))
          return TRUE;
        if (!json_is_integer (node) || json_integer_value (node) < 0 || json_integer_value (node) > MAX_PETS)
          {
            g_autofree char *what = g_strdup_printf (_("“%s” must be a whole number from 0 to %d, without quotes"),
                                                     f->name, MAX_PETS);
            set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
            return FALSE;
          }
        *(guint *) slot = (guint) json_integer_value (node);
        return TRUE;
      }

    case FIELD_TEXT:
      return sd_intake_input_get_text (self, object, where, f->name, (const char **) slot, error);

    case FIELD_DATE:
      {
        g_autoptr(GError) local = NULL;
        g_autofree char *iso = NULL;

        if (!sd_intake_input_get_text (self, object, where, f->name, &text, error))
          return FALSE;
        if (text == NULL)
          return TRUE;
        iso = sd_date_parse_iso (text, g_date_valid (&self->today) ? &self->today : NULL, &local);
        if (iso == NULL)
          {
            g_autofree char *what = g_strdup_printf ("“%s”: %s", f->name, local->message);
            set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
            return FALSE;
          }
        *(const char **) slot = g_string_chunk_insert (self->strings, iso);
        return TRUE;
      }

    case FIELD_SEX:
    case FIELD_CARE_LEVEL:
    case FIELD_STAY:
    case FIELD_DAMAGE:
    default:
      {
        const char *expected = NULL;

        if (!sd_intake_input_get_text (self, object, where, f->name, &text, error))
          return FALSE;
        if (text != NULL && !read_enum (text, f->kind, slot, &expected))
          {
            g_autofree char *what = g_strdup_printf (_("“%s” has a value ShelterDesk does not know: write one of %s"),
                                                     f->name, expected);
            set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
            return FALSE;
          }
        return TRUE;
      }
    }
}

gboolean
sd_intake_input_refuse_unknown (json_t             *object,
                                const char         *where,
                                const char *const  *known,
                                GError            **error)
{
  const char *key;
  json_t *value;

  json_object_foreach (object, key, value)
    {
      g_autofree char *names = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *what = NULL;

      if (g_strv_contains (known, key))
        continue;
      names = g_strjoinv (", ", (char **) known);
      /* The member's name is the file's spelling, not personal data; it is
       * shown only as far as it is readable text. */
      shown = g_utf8_make_valid (key, MIN (strlen (key), 40));
      what = g_strdup_printf (_("“%s” is not a field ShelterDesk knows: check its spelling (known: %s)"),
                              shown, names);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, where, what);
      return FALSE;
    }
  return TRUE;
}

/* The names of FIELDS and then ALSO, for sd_intake_input_refuse_unknown(). */
static gboolean
refuse_unknown (json_t             *object,
                const char         *where,
                const Field        *fields,
                guint               n_fields,
                const char *const  *also,
                GError            **error)
{
  g_autoptr(GPtrArray) known = g_ptr_array_new ();

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (known, (gpointer) fields[i].name);
  for (guint i = 0; also != NULL && also[i] != NULL; i++)
    g_ptr_array_add (known, (gpointer) also[i]);
  g_ptr_array_add (known, NULL);
  return sd_intake_input_refuse_unknown (object, where, (const char *const *) known->pdata, error);
}

/* ---- a household ---- */

gboolean
sd_intake_input_read_household (SdIntakeInput      *self,
                                json_t             *object,
                                const char *const  *also,
                                GError            **error)
{
  const char *where = _("household");

  g_return_val_if_fail (self != NULL, FALSE);

  if (!json_is_object (object))
    {
      set_error (error, SD_DATA_ERROR_SYNTAX, where, _("must be a JSON object { … }"));
      return FALSE;
    }
  if (!refuse_unknown (object, where, household_fields, G_N_ELEMENTS (household_fields), also, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (household_fields); i++)
    if (!read_field (self, object, where, &household_fields[i], (guint8 *) &self->household, error))
      return FALSE;
  return TRUE;
}

gboolean
sd_intake_input_read_members (SdIntakeInput  *self,
                              json_t         *array,
                              guint           max_members,
                              gboolean        with_existing_id,
                              GError        **error)
{
  guint n_fields = G_N_ELEMENTS (person_fields) - (with_existing_id ? 0 : 2);

  g_return_val_if_fail (self != NULL, FALSE);

  if (!json_is_array (array) || json_array_size (array) == 0)
    {
      set_error (error, SD_DATA_ERROR_MISSING, _("members"),
                 _("there must be a list [ … ] of at least one member"));
      return FALSE;
    }
  if (max_members > 0 && json_array_size (array) > max_members)
    {
      g_autofree char *what = g_strdup_printf (_("at most %u people fit one code"), max_members);
      set_error (error, SD_DATA_ERROR_BAD_VALUE, _("members"), what);
      return FALSE;
    }

  for (guint i = 0; i < json_array_size (array); i++)
    {
      json_t *object = json_array_get (array, i);
      g_autofree char *where = g_strdup_printf (_("member %u"), i + 1);
      SdPersonSpec spec = { 0 };

      if (!json_is_object (object))
        {
          set_error (error, SD_DATA_ERROR_SYNTAX, where, _("must be a JSON object { … }"));
          return FALSE;
        }
      if (!refuse_unknown (object, where, person_fields, n_fields, NULL, error))
        return FALSE;
      for (guint f = 0; f < n_fields; f++)
        if (!read_field (self, object, where, &person_fields[f], (guint8 *) &spec, error))
          return FALSE;
      if (spec.name == NULL && spec.existing_id == NULL)
        {
          set_error (error, SD_DATA_ERROR_MISSING, where, _("“name” is missing or empty"));
          return FALSE;
        }
      g_array_append_val (self->members, spec);
    }
  return TRUE;
}

/* ---- evacuee add ---- */

SdIntakeInput *
sd_intake_input_new_from_json (const char  *json,
                               gsize        length,
                               GError     **error)
{
  static const char *const also[] = { "shelter", "check_in", "members", NULL };
  g_autoptr(SdIntakeInput) self = sd_intake_input_new ();
  g_autoptr(json_t) root = NULL;
  gboolean check_in;

  /* U+0000 is let through the parser so the field can be named. */
  root = sd_json_parse (json, length, JSON_ALLOW_NUL, error);
  if (root == NULL)
    return NULL;
  if (!json_is_object (root))
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                           _("the household must be one JSON object { … }"));
      return NULL;
    }
  if (!sd_intake_input_read_household (self, root, also, error) ||
      !sd_intake_input_get_text (self, root, _("household"), "shelter", &self->shelter, error) ||
      !sd_intake_input_read_members (self, json_object_get (root, "members"), 0, TRUE, error))
    return NULL;

  /* Like the desk: people who stay in the shelter are checked in with the save. */
  check_in = self->household.stay == SD_STAY_SHELTER;
  if (!sd_intake_input_get_flag (root, _("household"), "check_in", &check_in, error))
    return NULL;
  self->household.check_in = check_in;
  return g_steal_pointer (&self);
}
