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
#include "sd-person.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>

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
  SdSex           sex;
  SdPersonStatus  status;
  gboolean        consent_disclose;
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

/* ---- enumerations as stored ---- */

static const char *const sexes[] = { "unknown", "male", "female", "not_applicable", NULL };
static const char *const stays[] = { "shelter", "home", "vehicle", "relatives", NULL };
static const char *const event_kinds[] = { "arrive", "go_out", "return", "leave", "supply", NULL };
static const char *const statuses[] = { "none", "in", "out", "left", NULL };

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

typedef struct {
  char *name;
  char *kana;
  char *birth_date;
  char *address;
  char *phone;
} TidyPerson;

static void
tidy_person_clear (TidyPerson *p)
{
  g_free (p->name);
  g_free (p->kana);
  g_free (p->birth_date);
  g_free (p->address);
  g_free (p->phone);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TidyPerson, tidy_person_clear)

static gboolean
tidy_person (const SdPersonSpec  *spec,
             guint                index,
             TidyPerson          *out,
             GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                           g_date_time_get_month (now),
                                           g_date_time_get_year (now));

  if (!sd_text_validate (spec->name, _("The name"), 100, FALSE, error) ||
      !sd_text_validate (spec->kana, _("The kana"), 100, FALSE, error) ||
      !sd_text_validate (spec->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (spec->phone, _("The phone number"), 30, FALSE, error))
    goto fail;

  out->name = sd_text_tidy (spec->name);
  out->kana = sd_text_tidy (spec->kana);
  out->address = sd_text_tidy (spec->address);
  out->phone = sd_text_tidy (spec->phone);
  if (out->name == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Every person needs a name."));
      goto fail;
    }
  if (spec->birth_date != NULL && *spec->birth_date != '\0')
    {
      out->birth_date = sd_date_parse_iso (spec->birth_date, today, error);
      if (out->birth_date == NULL)
        goto fail;
    }
  if (spec->sex > SD_SEX_NOT_APPLICABLE)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The sex is not valid."));
      goto fail;
    }
  return TRUE;

fail:
  /* Which member, but not their name: messages may end up in logs. */
  g_prefix_error (error, _("Member %u: "), index + 1);
  return FALSE;
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
    "consent_disclose, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, household_id);
  _sd_bind_text (stmt, 3, p->name);
  _sd_bind_text (stmt, 4, p->kana);
  _sd_bind_text (stmt, 5, p->birth_date);
  _sd_bind_text (stmt, 6, sd_sex_to_string (spec->sex));
  _sd_bind_text (stmt, 7, p->address);
  _sd_bind_text (stmt, 8, p->phone);
  sqlite3_bind_int (stmt, 9, !!spec->consent_disclose);
  sqlite3_bind_int64 (stmt, 10, now);
  return _sd_store_exec (store, stmt, _("save the person"), error);
}

/**
 * sd_store_add_household:
 * @out_person_ids: (nullable) (element-type utf8): receives the new
 *   persons' ids, in the order of @members
 *
 * Registers a household and its members in one transaction; the first
 * member is the household's representative.
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
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (household != NULL, NULL);
  g_return_val_if_fail (members != NULL || n_members == 0, NULL);

  if (n_members == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("A household needs at least one member."));
      return NULL;
    }
  if (household->stay > SD_STAY_RELATIVES ||
      !sd_text_validate (household->vehicle_plate, _("The number plate"), 40, FALSE, error) ||
      !sd_text_validate (household->address, _("The address"), 200, FALSE, error) ||
      !sd_text_validate (household->phone, _("The phone number"), 30, FALSE, error))
    {
      if (error && *error == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("Where the household stays is not valid."));
      return NULL;
    }
  plate = sd_text_tidy (household->vehicle_plate);
  address = sd_text_tidy (household->address);
  phone = sd_text_tidy (household->phone);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  now = sd_store_now_ms (store);
  household_id = _sd_store_new_id (store);
  for (guint i = 0; i < n_members; i++)
    g_ptr_array_add (ids, _sd_store_new_id (store));

  stmt = _sd_store_prepare (store,
                            "INSERT INTO households (id, shelter_id, stay, vehicle_plate, address, phone, "
                            "representative_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, household_id);
  _sd_bind_text (stmt, 2, household->shelter_id);
  _sd_bind_text (stmt, 3, sd_stay_to_string (household->stay));
  _sd_bind_text (stmt, 4, household->stay == SD_STAY_VEHICLE ? plate : NULL);
  _sd_bind_text (stmt, 5, address);
  _sd_bind_text (stmt, 6, phone);
  _sd_bind_text (stmt, 7, g_ptr_array_index (ids, 0));
  sqlite3_bind_int64 (stmt, 8, now);
  if (!_sd_store_exec (store, stmt, _("save the household"), error))
    return NULL;

  for (guint i = 0; i < n_members; i++)
    {
      g_auto(TidyPerson) p = { 0 };

      if (!tidy_person (&members[i], i, &p, error) ||
          !insert_person (store, g_ptr_array_index (ids, i), household_id, &p, &members[i], now, error))
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

SdPerson *
sd_store_get_person (SdStore     *store,
                     const char  *person_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  SdPerson *self;
  int status = SD_PERSON_STATUS_NONE;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT p.id, p.household_id, p.name, p.kana, p.birth_date, p.sex, p.address, "
                            "p.phone, p.consent_disclose, l.kind, l.shelter_id "
                            "FROM persons p LEFT JOIN person_latest l ON l.person_id = p.id "
                            "WHERE p.id = ?1", error);
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

  self = g_object_new (SD_TYPE_PERSON, NULL);
  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->household_id = g_strdup (_sd_column_text (stmt, 1));
  self->name = g_strdup (_sd_column_text (stmt, 2));
  self->kana = g_strdup (_sd_column_text (stmt, 3));
  self->birth_date = g_strdup (_sd_column_text (stmt, 4));
  sd_sex_from_string (_sd_column_text (stmt, 5), &self->sex);
  self->address = g_strdup (_sd_column_text (stmt, 6));
  self->phone = g_strdup (_sd_column_text (stmt, 7));
  self->consent_disclose = sqlite3_column_int (stmt, 8);
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    {
      SdEventKind kind = SD_EVENT_ARRIVE;

      sd_event_kind_from_string (_sd_column_text (stmt, 9), &kind);
      status = kind == SD_EVENT_GO_OUT ? SD_PERSON_STATUS_OUT
             : kind == SD_EVENT_LEAVE ? SD_PERSON_STATUS_LEFT
             : SD_PERSON_STATUS_IN;
      self->shelter_id = g_strdup (_sd_column_text (stmt, 10));
    }
  self->status = status;
  sqlite3_reset (stmt);
  return self;
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (kind <= SD_EVENT_SUPPLY, NULL);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

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

  id = _sd_store_new_id (store);
  /* The event's own HLC comes from the same clock as its op-log entries;
   * sd_hlc() ticks it, so two events of one person never tie here. */
  stmt = _sd_store_prepare (store,
                            "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc, staff_id) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, sd_hlc (), ?6)", error);
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

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

guint
sd_store_count_occupancy (SdStore     *store,
                          const char  *shelter_id,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  guint count;

  g_return_val_if_fail (SD_IS_STORE (store), 0);

  stmt = _sd_store_prepare (store,
                            "SELECT count(*) FROM person_latest WHERE shelter_id = ?1 "
                            "AND kind IN ('arrive', 'return', 'go_out')", error);
  if (stmt == NULL)
    return 0;
  _sd_bind_text (stmt, 1, shelter_id);
  if (_sd_store_step (store, stmt, _("count the people"), error) != SQLITE_ROW)
    return 0;
  count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}
