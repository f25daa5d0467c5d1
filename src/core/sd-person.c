/* sd-person.c: households, persons and the append-only events of their stay.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Registration writes the household and all its members in one
 * transaction: a household is never saved half.  Events are only ever
 * inserted; a person's status is derived from their newest one (the
 * person_latest view), so events recorded at two kiosks merge without
 * either overwriting the other.  The transition check below is a help for
 * the volunteer at this desk, not an invariant of the merged data.
 */
#include "sd-date.h"
#include "sd-person-private.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _SdPerson
{
  GObject         parent_instance;

  char           *id;
  char           *household_id;
  char           *name;
  char           *kana;
  char           *birth_date;
  char           *address;
  char           *phone;
  char           *shelter_id;
  char           *shelter_name;
  char           *allergies;
  char           *illness;
  char           *disability;
  char           *mobility;
  char           *language;
  char           *merged_into;
  SdSex           sex;
  SdStay          stay;
  SdCareLevel     care_level;
  SdPersonStatus  status;
  gboolean        consent_disclose;
  gboolean        pregnant;
};

G_DEFINE_FINAL_TYPE (SdPerson, sd_person, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KANA,
  PROP_BIRTH_DATE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sd_person_finalize (GObject *object)
{
  SdPerson *self = SD_PERSON (object);

  g_free (self->id);
  g_free (self->household_id);
  g_free (self->name);
  g_free (self->kana);
  g_free (self->birth_date);
  g_free (self->address);
  g_free (self->phone);
  g_free (self->shelter_id);
  g_free (self->shelter_name);
  g_free (self->allergies);
  g_free (self->illness);
  g_free (self->disability);
  g_free (self->mobility);
  g_free (self->language);
  g_free (self->merged_into);

  G_OBJECT_CLASS (sd_person_parent_class)->finalize (object);
}

static void
sd_person_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SdPerson *self = SD_PERSON (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_KANA: g_value_set_string (value, self->kana); break;
    case PROP_BIRTH_DATE: g_value_set_string (value, self->birth_date); break;
    case PROP_STATUS: g_value_set_int (value, self->status); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_person_class_init (SdPersonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sd_person_finalize;
  object_class->get_property = sd_person_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KANA] = g_param_spec_string ("kana", NULL, NULL, NULL, flags);
  properties[PROP_BIRTH_DATE] = g_param_spec_string ("birth-date", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, SD_PERSON_STATUS_LEFT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_person_init (SdPerson *self)
{
}

const char *sd_person_get_id (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->id; }
const char *sd_person_get_household_id (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->household_id; }
const char *sd_person_get_name (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->name; }
const char *sd_person_get_kana (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->kana; }
const char *sd_person_get_birth_date (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->birth_date; }
SdSex sd_person_get_sex (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), 0); return self->sex; }
const char *sd_person_get_address (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->address; }
const char *sd_person_get_phone (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->phone; }
gboolean sd_person_get_consent_disclose (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), FALSE); return self->consent_disclose; }
SdPersonStatus sd_person_get_status (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), 0); return self->status; }
const char *sd_person_get_shelter_id (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->shelter_id; }
const char *sd_person_get_shelter_name (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->shelter_name; }
const char *sd_person_get_allergies (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->allergies; }
const char *sd_person_get_illness (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->illness; }
gboolean sd_person_get_pregnant (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), FALSE); return self->pregnant; }
const char *sd_person_get_disability (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->disability; }
SdCareLevel sd_person_get_care_level (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), 0); return self->care_level; }
const char *sd_person_get_mobility (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->mobility; }
const char *sd_person_get_language (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->language; }
const char *sd_person_get_merged_into (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), NULL); return self->merged_into; }
SdStay sd_person_get_stay (SdPerson *self) { g_return_val_if_fail (SD_IS_PERSON (self), 0); return self->stay; }

/* ---- enumerations as stored ---- */

static const char *const sexes[] = { "unknown", "male", "female", "not_applicable", NULL };
static const char *const stays[] = { "shelter", "home", "vehicle", "relatives", NULL };
static const char *const event_kinds[] = { "arrive", "go_out", "return", "leave", "supply", NULL };
static const char *const statuses[] = { "none", "in", "out", "left", NULL };
static const char *const care_levels[] = {
  "none", "support1", "support2", "care1", "care2", "care3", "care4", "care5", NULL };
static const char *const damages[] = {
  "unknown", "none", "partial", "semi_half", "half", "medium_half", "major_half", "total", NULL };

static gboolean
lookup (const char *const *names,
        const char        *text,
        int               *out_value)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], text) == 0)
      {
        *out_value = i;
        return TRUE;
      }
  return FALSE;
}

const char *sd_sex_to_string (SdSex sex) { g_return_val_if_fail (sex <= SD_SEX_NOT_APPLICABLE, NULL); return sexes[sex]; }
const char *sd_stay_to_string (SdStay stay) { g_return_val_if_fail (stay <= SD_STAY_RELATIVES, NULL); return stays[stay]; }
const char *sd_event_kind_to_string (SdEventKind kind) { g_return_val_if_fail (kind <= SD_EVENT_SUPPLY, NULL); return event_kinds[kind]; }
const char *sd_person_status_to_string (SdPersonStatus status) { g_return_val_if_fail (status <= SD_PERSON_STATUS_LEFT, NULL); return statuses[status]; }
const char *sd_care_level_to_string (SdCareLevel level) { g_return_val_if_fail (level <= SD_CARE_5, NULL); return care_levels[level]; }
const char *sd_house_damage_to_string (SdHouseDamage damage) { g_return_val_if_fail (damage <= SD_DAMAGE_TOTAL, NULL); return damages[damage]; }

gboolean
sd_care_level_from_string (const char  *text,
                           SdCareLevel *out_level)
{
  int value;

  if (!lookup (care_levels, text, &value))
    return FALSE;
  *out_level = value;
  return TRUE;
}

gboolean
sd_house_damage_from_string (const char    *text,
                             SdHouseDamage *out_damage)
{
  int value;

  if (!lookup (damages, text, &value))
    return FALSE;
  *out_damage = value;
  return TRUE;
}

gboolean
sd_sex_from_string (const char *text,
                    SdSex      *out_sex)
{
  int value;

  /* ISO 5218 codes, as the My Number card and welfare systems write them. */
  static const char *const iso5218[] = { "0", "1", "2", NULL };

  if (lookup (sexes, text, &value) || lookup (iso5218, text, &value))
    {
      *out_sex = value;
      return TRUE;
    }
  if (g_strcmp0 (text, "9") == 0)
    {
      *out_sex = SD_SEX_NOT_APPLICABLE;
      return TRUE;
    }
  return FALSE;
}

gboolean
sd_stay_from_string (const char *text,
                     SdStay     *out_stay)
{
  int value;

  if (!lookup (stays, text, &value))
    return FALSE;
  *out_stay = value;
  return TRUE;
}

gboolean
sd_event_kind_from_string (const char  *text,
                           SdEventKind *out_kind)
{
  int value;

  if (!lookup (event_kinds, text, &value))
    return FALSE;
  *out_kind = value;
  return TRUE;
}

/* ---- registration ---- */

/* One member's fields after validation and tidying, ready to bind. */
typedef struct {
  char *name;
  char *kana;
  char *birth_date;
  char *address;
  char *phone;
  char *allergies;
  char *illness;
  char *disability;
  char *mobility;
  char *language;
} TidyPerson;

static void
tidy_person_clear (TidyPerson *p)
{
  g_free (p->name);
  g_free (p->kana);
  g_free (p->birth_date);
  g_free (p->address);
  g_free (p->phone);
  g_free (p->allergies);
  g_free (p->illness);
  g_free (p->disability);
  g_free (p->mobility);
  g_free (p->language);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TidyPerson, tidy_person_clear)

/* The day it is by the store's clock (an exercise's day in an exercise),
 * here. */
static GDate *
today (gint64 now_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);

  return g_date_new_dmy (g_date_time_get_day_of_month (now),
                         g_date_time_get_month (now),
                         g_date_time_get_year (now));
}

static gboolean
language_is_valid (const char *tag)
{
  /* BCP 47 in the small: letters, digits and hyphens, as "vi" or "pt-BR". */
  gsize len = strlen (tag);

  if (len < 2 || len > 35 || !g_ascii_isalpha (tag[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (tag[i]) && tag[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
tidy_person (const SdPersonSpec  *spec,
             guint                index,
             gint64               now_ms,
             TidyPerson          *out,
             GError             **error)
{
  if (!sd_text_validate (spec->name, _("The name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The phone number"), 30, FALSE, error) ||
      !sd_text_validate (spec->allergies, _("The allergies"), 200, FALSE, error) ||
      !sd_text_validate (spec->illness, _("The illness and medication"), 500, TRUE, error) ||
      !sd_text_validate (spec->disability, _("The disability"), 200, FALSE, error) ||
      !sd_text_validate (spec->mobility, _("The mobility aids"), 200, FALSE, error) ||
      !sd_text_validate (spec->language, _("The language"), 35, FALSE, error))
    goto fail;

  out->name = sd_text_tidy (spec->name);
  out->kana = sd_text_tidy (spec->kana);
  out->address = sd_text_tidy (spec->address);
  out->phone = sd_text_tidy (spec->phone);
  out->allergies = sd_text_tidy (spec->allergies);
  out->illness = sd_text_tidy (spec->illness);
  out->disability = sd_text_tidy (spec->disability);
  out->mobility = sd_text_tidy (spec->mobility);
  out->language = sd_text_tidy (spec->language);

  if (out->name == NULL && spec->existing_id == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Every person needs a name."));
      goto fail;
    }
  if (spec->birth_date != NULL && *spec->birth_date != '\0')
    {
      g_autoptr(GDate) latest = today (now_ms);

      out->birth_date = sd_date_parse_iso (spec->birth_date, latest, error);
      if (out->birth_date == NULL)
        goto fail;
    }
  if (out->language != NULL && !language_is_valid (out->language))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("The language is a code such as “vi” or “pt-BR”."));
      goto fail;
    }
  if (spec->sex > SD_SEX_NOT_APPLICABLE || spec->care_level > SD_CARE_5)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The sex or care level is not valid."));
      goto fail;
    }
  return TRUE;

fail:
  /* Which member, but not their name: messages may end up in logs. */
  g_prefix_error (error, _("Member %u: "), index + 1);
  return FALSE;
}

static void
bind_person (sqlite3_stmt       *stmt,
             const TidyPerson   *p,
             const SdPersonSpec *spec)
{
  _sd_bind_text (stmt, 3, p->name);
  _sd_bind_text (stmt, 4, p->kana);
  _sd_bind_text (stmt, 5, p->birth_date);
  _sd_bind_text (stmt, 6, spec->sex != SD_SEX_UNKNOWN ? sd_sex_to_string (spec->sex) : NULL);
  _sd_bind_text (stmt, 7, p->address);
  _sd_bind_text (stmt, 8, p->phone);
  sqlite3_bind_int (stmt, 9, !!spec->consent_disclose);
  _sd_bind_text (stmt, 10, p->allergies);
  _sd_bind_text (stmt, 11, p->illness);
  sqlite3_bind_int (stmt, 12, !!spec->pregnant);
  _sd_bind_text (stmt, 13, p->disability);
  _sd_bind_text (stmt, 14, spec->care_level != SD_CARE_NONE ? sd_care_level_to_string (spec->care_level) : NULL);
  _sd_bind_text (stmt, 15, p->mobility);
  _sd_bind_text (stmt, 16, p->language);
}

static gboolean
insert_person (SdStore            *store,
               const char         *id,
               const char         *household_id,
               const TidyPerson   *p,
               const SdPersonSpec *spec,
               gint64              now,
               GError            **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "INSERT INTO persons (id, household_id, name, kana, birth_date, sex, address, phone, "
    "consent_disclose, allergies, illness, pregnant, disability, care_level, mobility, language, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, coalesce (?6, 'unknown'), ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, coalesce (?14, 'none'), ?15, ?16, ?17)", error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, household_id);
  bind_person (stmt, p, spec);
  sqlite3_bind_int64 (stmt, 17, now);
  return _sd_store_exec (store, stmt, _("save the person"), error);
}

/* "Same person": what the volunteer chose from what was typed is written
 * over the existing record, what they left blank or chose to keep is
 * kept (NULL binds keep the column), and a consent or pregnancy already
 * recorded is never taken back by a registration (that is an edit of its
 * own).  The person stays in their household unless moved on purpose.
 * The capture triggers log only the fields that really change, so every
 * old value stays in the op-log. */
static gboolean
merge_person (SdStore            *store,
              const char         *household_id,
              const TidyPerson   *p,
              const SdPersonSpec *spec,
              GError            **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "UPDATE persons SET household_id = coalesce (?2, household_id), name = coalesce (?3, name), "
    "kana = coalesce (?4, kana), birth_date = coalesce (?5, birth_date), sex = coalesce (?6, sex), "
    "address = coalesce (?7, address), phone = coalesce (?8, phone), "
    "consent_disclose = max (consent_disclose, ?9), allergies = coalesce (?10, allergies), "
    "illness = coalesce (?11, illness), pregnant = max (pregnant, ?12), disability = coalesce (?13, disability), "
    "care_level = coalesce (?14, care_level), mobility = coalesce (?15, mobility), "
    "language = coalesce (?16, language) WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, spec->existing_id);
  _sd_bind_text (stmt, 2, spec->move_household ? household_id : NULL);
  bind_person (stmt, p, spec);
  if (!_sd_store_exec (store, stmt, _("save the person"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("The person chosen as the same person is no longer on this desk."));
      return FALSE;
    }
  return TRUE;
}

/* Undoing "same person": every field of the record, and its household,
 * put back as BEFORE (read before the merge) held them.  Like any undo
 * here it is a new change, never a delete: the op-log keeps what the
 * merge wrote and what the undo wrote back. */
gboolean
sd_store_restore_person (SdStore   *store,
                         SdPerson  *before,
                         GError   **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (SD_IS_PERSON (before), FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store,
    "UPDATE persons SET household_id = ?2, name = ?3, kana = ?4, birth_date = ?5, sex = ?6, address = ?7, "
    "phone = ?8, consent_disclose = ?9, allergies = ?10, illness = ?11, pregnant = ?12, disability = ?13, "
    "care_level = ?14, mobility = ?15, language = ?16 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, before->id);
  _sd_bind_text (stmt, 2, before->household_id);
  _sd_bind_text (stmt, 3, before->name);
  _sd_bind_text (stmt, 4, before->kana);
  _sd_bind_text (stmt, 5, before->birth_date);
  _sd_bind_text (stmt, 6, sd_sex_to_string (before->sex));
  _sd_bind_text (stmt, 7, before->address);
  _sd_bind_text (stmt, 8, before->phone);
  sqlite3_bind_int (stmt, 9, !!before->consent_disclose);
  _sd_bind_text (stmt, 10, before->allergies);
  _sd_bind_text (stmt, 11, before->illness);
  sqlite3_bind_int (stmt, 12, !!before->pregnant);
  _sd_bind_text (stmt, 13, before->disability);
  _sd_bind_text (stmt, 14, sd_care_level_to_string (before->care_level));
  _sd_bind_text (stmt, 15, before->mobility);
  _sd_bind_text (stmt, 16, before->language);
  if (!_sd_store_exec (store, stmt, _("put the person back as they were"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("The person is no longer on this desk."));
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* Whether member SPEC will belong to the household being registered. */
static gboolean
joins_new_household (const SdPersonSpec *spec)
{
  return spec->existing_id == NULL || spec->move_household;
}

/* The household of an existing person, or NULL. */
static char *
household_of (SdStore     *store,
              const char  *person_id,
              GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT household_id FROM persons WHERE id = ?1", error);
  char *household_id = NULL;

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, person_id);
  if (_sd_store_step (store, stmt, _("save the person"), error) == SQLITE_ROW)
    household_id = g_strdup (_sd_column_text (stmt, 0));
  else if (error == NULL || *error == NULL)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("The person chosen as the same person is no longer on this desk."));
  sqlite3_reset (stmt);
  return household_id;
}

/**
 * sd_store_add_household:
 * @out_person_ids: (nullable) (element-type utf8): receives the persons'
 *   ids, in the order of @members
 *
 * Registers a household and its members in one transaction; the first
 * member who belongs to it is the household's representative.  A member
 * with existing_id set is someone already registered (see merge_person):
 * they stay in their own household unless move_household is set, and
 * when every member does, no household is made and the first one's is
 * returned.
 *
 * Returns: (transfer full): the new household's id, or %NULL
 */
char *
sd_store_add_household (SdStore                *store,
                        const SdHouseholdSpec  *household,
                        const SdPersonSpec     *members,
                        guint                   n_members,
                        GPtrArray              *out_person_ids,
                        GError                **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household_id = NULL;
  g_autofree char *plate = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *pets = NULL;
  sqlite3_stmt *stmt;
  gint64 now;
  int representative = -1;  /* the first member of the new household */

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (household != NULL, NULL);
  g_return_val_if_fail (members != NULL || n_members == 0, NULL);

  if (n_members == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("A household needs at least one member."));
      return NULL;
    }
  if (!sd_text_validate (household->vehicle_plate, _("The number plate"), 40, FALSE, error) ||
      !sd_text_validate (household->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (household->phone, _("The phone number"), 30, FALSE, error) ||
      !sd_text_validate (household->pets, _("The pets"), 100, FALSE, error))
    return NULL;
  if (household->stay > SD_STAY_RELATIVES || household->house_damage > SD_DAMAGE_TOTAL ||
      household->pets_count > 100)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("Where the household stays, the house damage or the number of pets is not valid."));
      return NULL;
    }
  plate = sd_text_tidy (household->vehicle_plate);
  address = sd_text_tidy (household->address);
  phone = sd_text_tidy (household->phone);
  pets = sd_text_tidy (household->pets);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  now = sd_store_now_ms (store);
  for (guint i = 0; i < n_members; i++)
    {
      g_ptr_array_add (ids, members[i].existing_id ? g_strdup (members[i].existing_id)
                                                   : _sd_store_new_id (store));
      if (representative < 0 && joins_new_household (&members[i]))
        representative = (int) i;
    }

  /* Everyone is someone registered who stays in their own household:
   * no new, empty household; the answer is the first one's. */
  if (representative < 0)
    {
      household_id = household_of (store, members[0].existing_id, error);
      if (household_id == NULL)
        return NULL;
    }
  else
    {
      household_id = _sd_store_new_id (store);
      stmt = _sd_store_prepare (store,
                                "INSERT INTO households (id, shelter_id, stay, vehicle_plate, address, phone, "
                                "representative_id, created_at, house_damage, pets, pets_count) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
      if (stmt == NULL)
        return NULL;
      _sd_bind_text (stmt, 1, household_id);
      _sd_bind_text (stmt, 2, household->shelter_id);
      _sd_bind_text (stmt, 3, sd_stay_to_string (household->stay));
      _sd_bind_text (stmt, 4, household->stay == SD_STAY_VEHICLE ? plate : NULL);
      _sd_bind_text (stmt, 5, address);
      _sd_bind_text (stmt, 6, phone);
      _sd_bind_text (stmt, 7, g_ptr_array_index (ids, representative));
      sqlite3_bind_int64 (stmt, 8, now);
      _sd_bind_text (stmt, 9, sd_house_damage_to_string (household->house_damage));
      _sd_bind_text (stmt, 10, pets);
      sqlite3_bind_int (stmt, 11, pets != NULL ? MAX (household->pets_count, 1) : household->pets_count);
      if (!_sd_store_exec (store, stmt, _("save the household"), error))
        return NULL;
    }

  for (guint i = 0; i < n_members; i++)
    {
      g_auto(TidyPerson) p = { 0 };
      const SdPersonSpec *spec = &members[i];

      if (!tidy_person (spec, i, now, &p, error))
        return NULL;
      if (spec->existing_id != NULL
          ? !merge_person (store, household_id, &p, spec, error)
          : !insert_person (store, g_ptr_array_index (ids, i), household_id, &p, spec, now, error))
        return NULL;
    }

  if (household->check_in)
    for (guint i = 0; i < ids->len; i++)
      {
        g_autoptr(SdPerson) member = sd_store_get_person (store, g_ptr_array_index (ids, i), error);
        g_autofree char *event = NULL;

        if (member == NULL)
          return NULL;
        /* A "same person" who is already staying here stays checked in. */
        if ((member->status == SD_PERSON_STATUS_IN || member->status == SD_PERSON_STATUS_OUT) &&
            g_strcmp0 (member->shelter_id, household->shelter_id) == 0)
          continue;
        event = sd_store_record_event (store, g_ptr_array_index (ids, i), SD_EVENT_ARRIVE,
                                       household->shelter_id, household->staff_id, error);
        if (event == NULL)
          return NULL;
      }

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;

  if (out_person_ids != NULL)
    for (guint i = 0; i < ids->len; i++)
      g_ptr_array_add (out_person_ids, g_strdup (g_ptr_array_index (ids, i)));
  return g_steal_pointer (&household_id);
}

/* ---- reading ---- */

static SdPersonStatus
status_from_kind (const char *kind)
{
  SdEventKind event = SD_EVENT_ARRIVE;

  if (kind == NULL)
    return SD_PERSON_STATUS_NONE;
  sd_event_kind_from_string (kind, &event);
  return event == SD_EVENT_GO_OUT ? SD_PERSON_STATUS_OUT
       : event == SD_EVENT_LEAVE ? SD_PERSON_STATUS_LEFT
       : SD_PERSON_STATUS_IN;
}

SdPerson *
_sd_person_new_from_row (sqlite3_stmt *stmt)
{
  SdPerson *self = g_object_new (SD_TYPE_PERSON, NULL);

  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->household_id = g_strdup (_sd_column_text (stmt, 1));
  self->name = g_strdup (_sd_column_text (stmt, 2));
  self->kana = g_strdup (_sd_column_text (stmt, 3));
  self->birth_date = g_strdup (_sd_column_text (stmt, 4));
  sd_sex_from_string (_sd_column_text (stmt, 5), &self->sex);
  self->address = g_strdup (_sd_column_text (stmt, 6));
  self->phone = g_strdup (_sd_column_text (stmt, 7));
  self->consent_disclose = sqlite3_column_int (stmt, 8);
  self->status = status_from_kind (_sd_column_text (stmt, 9));
  self->shelter_id = g_strdup (_sd_column_text (stmt, 10));
  self->allergies = g_strdup (_sd_column_text (stmt, 11));
  self->illness = g_strdup (_sd_column_text (stmt, 12));
  self->pregnant = sqlite3_column_int (stmt, 13);
  self->disability = g_strdup (_sd_column_text (stmt, 14));
  sd_care_level_from_string (_sd_column_text (stmt, 15), &self->care_level);
  self->mobility = g_strdup (_sd_column_text (stmt, 16));
  self->language = g_strdup (_sd_column_text (stmt, 17));
  sd_stay_from_string (_sd_column_text (stmt, 18), &self->stay);
  self->shelter_name = g_strdup (_sd_column_text (stmt, 19));
  self->merged_into = g_strdup (_sd_column_text (stmt, 20));
  return self;
}

SdPerson *
sd_store_get_person (SdStore     *store,
                     const char  *person_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  SdPerson *self;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, SD_PERSON_SELECT "WHERE p.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, person_id);
  rc = _sd_store_step (store, stmt, _("look up the person"), error);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                     _("There is no such person. The record may not have reached this desk yet."));
      return NULL;
    }
  self = _sd_person_new_from_row (stmt);
  sqlite3_reset (stmt);
  return self;
}

GListModel *
sd_store_list_household_members (SdStore     *store,
                                 const char  *household_id,
                                 GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_PERSON);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            SD_PERSON_SELECT "WHERE p.household_id = ?1 "
                            "ORDER BY p.id = h.representative_id DESC, p.created_at, p.id", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, household_id);
  while ((rc = _sd_store_step (store, stmt, _("list the household"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdPerson) person = _sd_person_new_from_row (stmt);
      g_list_store_append (list, person);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

/* ---- merged records ---- */

char *
_sd_person_follow_merge (SdStore     *store,
                         const char  *person_id,
                         GError     **error)
{
  /* One hop, and only to a record that is there: a merge never makes a
   * chain (sd_sync_merge_duplicate), and a kept record that has not
   * reached this desk yet leaves the closed one standing for itself. */
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT k.id FROM persons p JOIN persons k ON k.id = p.merged_into "
                                          "WHERE p.id = ?1", error);
  char *id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, person_id);
  rc = _sd_store_step (store, stmt, _("look up the person"), error);
  if (rc == SQLITE_ROW)
    id = g_strdup (_sd_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    id = g_strdup (person_id);
  sqlite3_reset (stmt);
  return id;
}

/* ---- events ---- */

static gboolean
check_transition (SdPerson     *person,
                  SdEventKind   kind,
                  const char   *shelter_id,
                  GError      **error)
{
  SdPersonStatus status = person->status;
  const char *message = NULL;

  switch (kind)
    {
    case SD_EVENT_ARRIVE:
      if (status == SD_PERSON_STATUS_IN && g_strcmp0 (person->shelter_id, shelter_id) == 0)
        message = _("This person is already checked in here.");
      break;
    case SD_EVENT_GO_OUT:
      if (status != SD_PERSON_STATUS_IN)
        message = _("This person is not in the shelter, so they cannot go out. Check them in first.");
      break;
    case SD_EVENT_RETURN:
      if (status != SD_PERSON_STATUS_OUT)
        message = _("This person has not gone out, so they cannot return. Use check-in for a new arrival.");
      break;
    case SD_EVENT_LEAVE:
      if (status != SD_PERSON_STATUS_IN && status != SD_PERSON_STATUS_OUT)
        message = _("This person is not staying at a shelter, so they cannot leave.");
      break;
    case SD_EVENT_SUPPLY:
      break;
    }

  if (message != NULL)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, message);
      return FALSE;
    }
  return TRUE;
}

char *
_sd_person_insert_event (SdStore      *store,
                         const char   *person_id,
                         SdEventKind   kind,
                         const char   *shelter_id,
                         const char   *staff_id,
                         GError      **error)
{
  g_autofree char *id = _sd_store_new_id (store);
  /* The event's own HLC comes from the same clock as its op-log entries;
   * sd_hlc() ticks it, so two events of one person never tie here. */
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc, "
                                          "staff_id) VALUES (?1, ?2, ?3, ?4, ?5, sd_hlc (), ?6)", error);

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, person_id);
  _sd_bind_text (stmt, 3, shelter_id);
  _sd_bind_text (stmt, 4, sd_event_kind_to_string (kind));
  sqlite3_bind_int64 (stmt, 5, sd_store_now_ms (store));
  _sd_bind_text (stmt, 6, staff_id);
  if (!_sd_store_exec (store, stmt, _("record the event"), error))
    return NULL;
  return g_steal_pointer (&id);
}

/**
 * sd_store_record_event:
 * @shelter_id: (nullable): where it happened; %NULL for the person's
 *   current shelter (going out, returning, leaving)
 * @staff_id: (nullable): the staff member who recorded it
 *
 * Returns: (transfer full): the event's id, or %NULL
 */
char *
sd_store_record_event (SdStore      *store,
                       const char   *person_id,
                       SdEventKind   kind,
                       const char   *shelter_id,
                       const char   *staff_id,
                       GError      **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdPerson) person = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stands_for = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (kind <= SD_EVENT_SUPPLY, NULL);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  /* A record merged into another is closed: what happens to the human
   * from now on belongs to the record kept. */
  stands_for = _sd_person_follow_merge (store, person_id, error);
  if (stands_for == NULL)
    return NULL;
  person_id = stands_for;
  person = sd_store_get_person (store, person_id, error);
  if (person == NULL || !check_transition (person, kind, shelter_id, error))
    return NULL;
  if (shelter_id == NULL)
    shelter_id = person->shelter_id;
  if (shelter_id == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("Choose the shelter first."));
      return NULL;
    }

  id = _sd_person_insert_event (store, person_id, kind, shelter_id, staff_id, error);
  if (id == NULL || !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

guint
sd_store_count_occupancy (SdStore     *store,
                          const char  *shelter_id,
                          GError     **error)
{
  SdStayCounts counts;

  if (!sd_store_count_stays (store, shelter_id, &counts, error))
    return 0;
  return counts.in_shelter + counts.out_now;
}

/**
 * sd_store_count_stays:
 * @shelter_id: (nullable): one shelter, or %NULL for all
 *
 * People staying at the shelter (in, or out for now) from their events,
 * and those registered through it who stay elsewhere: at home, in a
 * vehicle, at relatives' (and have not left).  Read from the counts the
 * database keeps (shelter_occupancy, sd-migrations.c): one row for a
 * shelter, so the desk can recount after every scan whatever the size
 * of the city; a row per shelter for all of them.
 */
gboolean
sd_store_count_stays (SdStore       *store,
                      const char    *shelter_id,
                      SdStayCounts  *counts,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  /* Two shapes, so that one shelter is a seek by its key. */
  stmt = shelter_id != NULL
    ? _sd_store_prepare (store,
        "SELECT sum (in_shelter), sum (out_now), sum (at_home), sum (in_vehicle), sum (at_relatives) "
        "FROM shelter_occupancy WHERE shelter_id = ?1", error)
    : _sd_store_prepare (store,
        "SELECT sum (in_shelter), sum (out_now), sum (at_home), sum (in_vehicle), sum (at_relatives) "
        "FROM shelter_occupancy", error);
  if (stmt == NULL)
    return FALSE;
  if (shelter_id != NULL)
    _sd_bind_text (stmt, 1, shelter_id);
  rc = _sd_store_step (store, stmt, _("count the people"), error);
  if (rc == SQLITE_ROW)
    {
      counts->in_shelter = sqlite3_column_int (stmt, 0);
      counts->out_now = sqlite3_column_int (stmt, 1);
      counts->at_home = sqlite3_column_int (stmt, 2);
      counts->in_vehicle = sqlite3_column_int (stmt, 3);
      counts->at_relatives = sqlite3_column_int (stmt, 4);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}
