/* sd-safety.c: staff safety confirmation: roll-calls, answers, and their totals.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables (sd-migrations.c, schema 14): rollcalls, safety_answers (an
 * answer is never changed: append-only, like person_events) and the
 * derived safety_state, each person's newest answer per roll-call.
 * Every read that counts goes through safety_state, so the dashboard's
 * recount reads one row per member of staff, not every answer.
 *
 * Invariants: an answer belongs to one roll-call and one member of the
 * roster; it is taken only while its roll-call is open; "can report"
 * and a way and time to come go together.  A drill is a roll-call of
 * kind "drill": its answers are its own, so they never count towards a
 * real one.
 */
#include "sd-codes.h"
#include "sd-safety.h"
#include "sd-safety-private.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* A double press or a form sent twice within this long gives one answer. */
#define SAME_ANSWER_MS (60 * 1000)
/* How far ahead of this computer's clock a time given to us may be. */
#define FUTURE_SLACK_MS (10 * 60 * 1000)

/* ---- codes and labels ---- */

static const char *const safety_codes[] = { "unhurt", "minor", "serious", NULL };
static const char *const where_codes[] = { "home", "work", "other", NULL };
static const char *const means_codes[] = { "", "walk", "bicycle", "car", "bus", "train", "other", NULL };
static const char *const arrival_codes[] = {
  "", "within_30m", "within_1h", "within_2h", "within_3h", "over_3h", NULL };
static const char *const via_codes[] = { "kiosk", "web", "phone", "import", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (safety_codes) == SD_N_SAFETY + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (where_codes) == SD_N_WHERE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (means_codes) == SD_N_MEANS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (arrival_codes) == SD_N_ARRIVAL + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (via_codes) == SD_N_ANSWER_VIA + 1);

SD_CODE_FUNCS (safety, SdSafety, safety_codes, SD_N_SAFETY)
SD_CODE_FUNCS (where, SdWhere, where_codes, SD_N_WHERE)
SD_CODE_FUNCS (means, SdMeans, means_codes, SD_N_MEANS)
SD_CODE_FUNCS (arrival, SdArrival, arrival_codes, SD_N_ARRIVAL)
SD_CODE_FUNCS (answer_via, SdAnswerVia, via_codes, SD_N_ANSWER_VIA)

const char *
sd_rollcall_kind_to_string (SdRollcallKind kind)
{
  return kind == SD_ROLLCALL_DRILL ? "drill" : "real";
}

/* What a person reads, untranslated: the forms show them in the
 * process's language (_()), the web form in each phone's. */
static const char *const safety_msgids[] = { N_("Unhurt"), N_("Minor injury"), N_("Serious injury"), NULL };
static const char *const where_msgids[] = { N_("At home"), N_("At the workplace"), N_("Elsewhere"), NULL };
static const char *const means_msgids[] = {
  "", N_("On foot"), N_("Bicycle"), N_("Car"), N_("Bus"), N_("Train"), N_("Other means"), NULL };
static const char *const arrival_msgids[] = {
  "", N_("Within 30 min"), N_("30 min to 1 h"), N_("1 to 2 h"), N_("2 to 3 h"), N_("Over 3 h"), NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (safety_msgids) == SD_N_SAFETY + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (where_msgids) == SD_N_WHERE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (means_msgids) == SD_N_MEANS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (arrival_msgids) == SD_N_ARRIVAL + 1);

static const char *
msgid_of (const char *const *msgids,
          guint              n,
          guint              value)
{
  return value < n ? msgids[value] : "";
}

#define LABEL_FUNCS(name, Type, msgids, n) \
  const char *sd_##name##_msgid (Type value) { return msgid_of (msgids, n, value); } \
  const char *sd_##name##_label (Type value) \
  { \
    const char *msgid = msgid_of (msgids, n, value); \
    return *msgid != '\0' ? _(msgid) : ""; \
  }

LABEL_FUNCS (safety, SdSafety, safety_msgids, SD_N_SAFETY)
LABEL_FUNCS (where, SdWhere, where_msgids, SD_N_WHERE)
LABEL_FUNCS (means, SdMeans, means_msgids, SD_N_MEANS)
LABEL_FUNCS (arrival, SdArrival, arrival_msgids, SD_N_ARRIVAL)

const char *
sd_answer_via_label (SdAnswerVia via)
{
  switch (via)
    {
    case SD_ANSWER_VIA_KIOSK: return _("Kiosk");
    case SD_ANSWER_VIA_WEB: return _("Web form");
    case SD_ANSWER_VIA_PHONE: return _("By phone");
    case SD_ANSWER_VIA_IMPORT: return _("Imported");
    case SD_N_ANSWER_VIA: break;
    }
  return "";
}

/* ---- roll-calls ---- */

struct _SdRollcall
{
  GObject         parent_instance;

  char           *id;
  char           *title;
  SdRollcallKind  kind;
  gint64          started_at;
  gint64          closed_at;
};

G_DEFINE_FINAL_TYPE (SdRollcall, sd_rollcall, G_TYPE_OBJECT)

enum {
  ROLLCALL_PROP_0,
  ROLLCALL_PROP_TITLE,
  ROLLCALL_PROP_IS_DRILL,
  ROLLCALL_PROP_IS_OPEN,
  ROLLCALL_PROP_STARTED_AT,
  N_ROLLCALL_PROPS
};

static GParamSpec *rollcall_properties[N_ROLLCALL_PROPS];

static void
sd_rollcall_finalize (GObject *object)
{
  SdRollcall *self = SD_ROLLCALL (object);

  g_free (self->id);
  g_free (self->title);
  G_OBJECT_CLASS (sd_rollcall_parent_class)->finalize (object);
}

static void
sd_rollcall_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SdRollcall *self = SD_ROLLCALL (object);

  switch (prop_id)
    {
    case ROLLCALL_PROP_TITLE: g_value_set_string (value, self->title); break;
    case ROLLCALL_PROP_IS_DRILL: g_value_set_boolean (value, self->kind == SD_ROLLCALL_DRILL); break;
    case ROLLCALL_PROP_IS_OPEN: g_value_set_boolean (value, self->closed_at == 0); break;
    case ROLLCALL_PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rollcall_class_init (SdRollcallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sd_rollcall_finalize;
  object_class->get_property = sd_rollcall_get_property;

  rollcall_properties[ROLLCALL_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  rollcall_properties[ROLLCALL_PROP_IS_DRILL] = g_param_spec_boolean ("is-drill", NULL, NULL, FALSE, flags);
  rollcall_properties[ROLLCALL_PROP_IS_OPEN] = g_param_spec_boolean ("is-open", NULL, NULL, FALSE, flags);
  rollcall_properties[ROLLCALL_PROP_STARTED_AT] =
    g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_ROLLCALL_PROPS, rollcall_properties);
}

static void
sd_rollcall_init (SdRollcall *self)
{
}

const char *sd_rollcall_get_id (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), NULL); return self->id; }
const char *sd_rollcall_get_title (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), NULL); return self->title; }
SdRollcallKind sd_rollcall_get_kind (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), 0); return self->kind; }
gboolean sd_rollcall_get_is_drill (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), FALSE); return self->kind == SD_ROLLCALL_DRILL; }
gint64 sd_rollcall_get_started_at (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), 0); return self->started_at; }
gint64 sd_rollcall_get_closed_at (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), 0); return self->closed_at; }
gboolean sd_rollcall_get_is_open (SdRollcall *self) { g_return_val_if_fail (SD_IS_ROLLCALL (self), FALSE); return self->closed_at == 0; }

#define ROLLCALL_COLUMNS "id, title, kind, started_at, coalesce (closed_at, 0)"

static SdRollcall *
rollcall_from_row (sqlite3_stmt *stmt)
{
  SdRollcall *self = g_object_new (SD_TYPE_ROLLCALL, NULL);

  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->title = g_strdup (_sd_column_text (stmt, 1));
  self->kind = g_strcmp0 (_sd_column_text (stmt, 2), "drill") == 0 ? SD_ROLLCALL_DRILL : SD_ROLLCALL_REAL;
  self->started_at = sqlite3_column_int64 (stmt, 3);
  self->closed_at = sqlite3_column_int64 (stmt, 4);
  return self;
}

/* Runs STMT (bound) and returns its rows as a list of TYPE made by FROM_ROW. */
static GListModel *
collect (SdStore       *store,
         sqlite3_stmt  *stmt,
         GType          type,
         gpointer     (*from_row) (sqlite3_stmt *),
         const char    *what,
         GError       **error)
{
  g_autoptr(GListStore) list = g_list_store_new (type);
  int rc;

  while ((rc = _sd_store_step (store, stmt, what, error)) == SQLITE_ROW)
    {
      g_autoptr(GObject) item = from_row (stmt);

      g_list_store_append (list, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

SdRollcall *
sd_store_find_rollcall (SdStore     *store,
                        const char  *rollcall_id,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  SdRollcall *rollcall = NULL;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, "SELECT " ROLLCALL_COLUMNS " FROM rollcalls WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  rc = _sd_store_step (store, stmt, _("read the roll-call"), error);
  if (rc == SQLITE_ROW)
    rollcall = rollcall_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                 _("There is no such roll-call. Choose one from the list of roll-calls."));
  sqlite3_reset (stmt);
  return rollcall;
}

SdRollcall *
sd_store_current_rollcall (SdStore  *store,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  SdRollcall *rollcall = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT " ROLLCALL_COLUMNS " FROM rollcalls WHERE closed_at IS NULL "
                            "ORDER BY started_at DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (_sd_store_step (store, stmt, _("read the roll-call"), error) == SQLITE_ROW)
    rollcall = rollcall_from_row (stmt);
  sqlite3_reset (stmt);
  return rollcall;
}

GListModel *
sd_store_list_rollcalls (SdStore  *store,
                         GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT " ROLLCALL_COLUMNS " FROM rollcalls ORDER BY started_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;
  return collect (store, stmt, SD_TYPE_ROLLCALL, (gpointer (*) (sqlite3_stmt *)) rollcall_from_row,
                  _("list the roll-calls"), error);
}

SdRollcall *
sd_store_open_rollcall (SdStore         *store,
                        const char      *title,
                        SdRollcallKind   kind,
                        gint64           started_at,
                        const char      *by_staff_id,
                        GError         **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *tidy = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (!sd_text_validate (title, _("The title"), 200, FALSE, error))
    return NULL;
  tidy = sd_text_tidy (title);
  if (tidy == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("A roll-call needs a title that says what happened, for example “Earthquake, 3 December”."));
      return NULL;
    }
  if (kind != SD_ROLLCALL_REAL && kind != SD_ROLLCALL_DRILL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("A roll-call is real or a drill."));
      return NULL;
    }

  if (started_at <= 0)
    started_at = sd_store_now_ms (store);
  else if (started_at > sd_store_now_ms (store) + FUTURE_SLACK_MS)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("A roll-call cannot start in the future: check the date and time."));
      return NULL;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;
  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO rollcalls (id, title, kind, started_at, opened_by) "
                            "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, tidy);
  _sd_bind_text (stmt, 3, sd_rollcall_kind_to_string (kind));
  sqlite3_bind_int64 (stmt, 4, started_at);
  _sd_bind_text (stmt, 5, by_staff_id);
  if (!_sd_store_exec (store, stmt, _("open the roll-call"), error) ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return sd_store_find_rollcall (store, id, error);
}

static gboolean
refuse_closed (SdRollcall  *rollcall,
               GError     **error)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (rollcall->closed_at / 1000);
  g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M");

  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
               _("The roll-call “%s” was closed at %s: it takes no more answers. Ask HQ which roll-call is open."),
               rollcall->title, when);
  return FALSE;
}

gboolean
sd_store_close_rollcall (SdStore     *store,
                         const char  *rollcall_id,
                         const char  *by_staff_id,
                         GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  rollcall = sd_store_find_rollcall (store, rollcall_id, error);
  if (rollcall == NULL)
    return FALSE;
  if (rollcall->closed_at != 0)
    return refuse_closed (rollcall, error);
  stmt = _sd_store_prepare (store, "UPDATE rollcalls SET closed_at = ?2, closed_by = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, rollcall_id);
  /* Never 0, which means open. */
  sqlite3_bind_int64 (stmt, 2, MAX (sd_store_now_ms (store), rollcall->started_at + 1));
  _sd_bind_text (stmt, 3, by_staff_id);
  return _sd_store_exec (store, stmt, _("close the roll-call"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- answers ---- */

struct _SdSafetyAnswer
{
  GObject      parent_instance;

  char        *id;
  char        *staff_id;
  char        *staff_no;
  char        *name;
  char        *kana;
  char        *department;
  char        *section;
  char        *rank;
  char        *phone;
  SdSafety     safety;
  SdWhere      where;
  char        *where_note;
  gboolean     can_report;
  SdMeans      means;
  SdArrival    arrival;
  char        *message;
  gint64       answered_at;
  SdAnswerVia  via;
  char        *recorded_by_name;
  guint        n_answers;
};

G_DEFINE_FINAL_TYPE (SdSafetyAnswer, sd_safety_answer, G_TYPE_OBJECT)

/* What the dashboard's columns sort and filter by. */
enum {
  ANSWER_PROP_0,
  ANSWER_PROP_STAFF_NO,
  ANSWER_PROP_NAME,
  ANSWER_PROP_KANA,
  ANSWER_PROP_DEPARTMENT,
  ANSWER_PROP_SECTION,
  ANSWER_PROP_RANK,
  ANSWER_PROP_SAFETY,
  ANSWER_PROP_CAN_REPORT,
  ANSWER_PROP_ARRIVAL,
  ANSWER_PROP_ANSWERED_AT,
  N_ANSWER_PROPS
};

static GParamSpec *answer_properties[N_ANSWER_PROPS];

static void
sd_safety_answer_finalize (GObject *object)
{
  SdSafetyAnswer *self = SD_SAFETY_ANSWER (object);

  g_free (self->id);
  g_free (self->staff_id);
  g_free (self->staff_no);
  g_free (self->name);
  g_free (self->kana);
  g_free (self->department);
  g_free (self->section);
  g_free (self->rank);
  g_free (self->phone);
  g_free (self->where_note);
  g_free (self->message);
  g_free (self->recorded_by_name);
  G_OBJECT_CLASS (sd_safety_answer_parent_class)->finalize (object);
}

static void
sd_safety_answer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SdSafetyAnswer *self = SD_SAFETY_ANSWER (object);

  switch (prop_id)
    {
    case ANSWER_PROP_STAFF_NO: g_value_set_string (value, self->staff_no); break;
    case ANSWER_PROP_NAME: g_value_set_string (value, self->name); break;
    case ANSWER_PROP_KANA: g_value_set_string (value, self->kana); break;
    case ANSWER_PROP_DEPARTMENT: g_value_set_string (value, self->department); break;
    case ANSWER_PROP_SECTION: g_value_set_string (value, self->section); break;
    case ANSWER_PROP_RANK: g_value_set_string (value, self->rank); break;
    case ANSWER_PROP_SAFETY: g_value_set_int (value, self->safety); break;
    case ANSWER_PROP_CAN_REPORT: g_value_set_boolean (value, self->can_report); break;
    case ANSWER_PROP_ARRIVAL: g_value_set_int (value, self->arrival); break;
    case ANSWER_PROP_ANSWERED_AT: g_value_set_int64 (value, self->answered_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_safety_answer_class_init (SdSafetyAnswerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sd_safety_answer_finalize;
  object_class->get_property = sd_safety_answer_get_property;

  answer_properties[ANSWER_PROP_STAFF_NO] = g_param_spec_string ("staff-no", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_KANA] = g_param_spec_string ("kana", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_DEPARTMENT] = g_param_spec_string ("department", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_SECTION] = g_param_spec_string ("section", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_RANK] = g_param_spec_string ("rank", NULL, NULL, NULL, flags);
  answer_properties[ANSWER_PROP_SAFETY] = g_param_spec_int ("safety", NULL, NULL, 0, SD_N_SAFETY, 0, flags);
  answer_properties[ANSWER_PROP_CAN_REPORT] = g_param_spec_boolean ("can-report", NULL, NULL, FALSE, flags);
  answer_properties[ANSWER_PROP_ARRIVAL] = g_param_spec_int ("arrival", NULL, NULL, 0, SD_N_ARRIVAL, 0, flags);
  answer_properties[ANSWER_PROP_ANSWERED_AT] =
    g_param_spec_int64 ("answered-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_ANSWER_PROPS, answer_properties);
}

static void
sd_safety_answer_init (SdSafetyAnswer *self)
{
}

const char *sd_safety_answer_get_id (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->id; }
const char *sd_safety_answer_get_staff_id (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->staff_id; }
const char *sd_safety_answer_get_staff_no (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->staff_no; }
const char *sd_safety_answer_get_name (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->name; }
const char *sd_safety_answer_get_kana (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->kana; }
const char *sd_safety_answer_get_department (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->department; }
const char *sd_safety_answer_get_section (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->section; }
const char *sd_safety_answer_get_rank (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->rank; }
const char *sd_safety_answer_get_phone (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->phone; }
SdSafety sd_safety_answer_get_safety (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->safety; }
SdWhere sd_safety_answer_get_where (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->where; }
const char *sd_safety_answer_get_where_note (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->where_note; }
gboolean sd_safety_answer_get_can_report (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), FALSE); return self->can_report; }
SdMeans sd_safety_answer_get_means (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->means; }
SdArrival sd_safety_answer_get_arrival (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->arrival; }
const char *sd_safety_answer_get_message (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->message; }
gint64 sd_safety_answer_get_answered_at (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->answered_at; }
SdAnswerVia sd_safety_answer_get_via (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->via; }
const char *sd_safety_answer_get_recorded_by_name (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), NULL); return self->recorded_by_name; }
guint sd_safety_answer_get_n_answers (SdSafetyAnswer *self) { g_return_val_if_fail (SD_IS_SAFETY_ANSWER (self), 0); return self->n_answers; }

/* An answer with who gave it (S) and who recorded it for them (R). */
#define ANSWER_COLUMNS \
  "a.id, s.id, s.staff_no, s.name, s.kana, s.department, s.section, s.rank, s.phone, a.safety, a.location, " \
  "a.location_note, a.can_report, a.means, a.arrival, a.message, a.answered_at, a.via, r.name, " \
  "(SELECT count (*) FROM safety_answers c WHERE c.rollcall_id = a.rollcall_id AND c.staff_id = a.staff_id)"
#define ANSWER_JOINS "JOIN staff s ON s.id = a.staff_id LEFT JOIN staff r ON r.id = a.recorded_by "
#define ROSTER_ORDER "s.department, s.section, length (s.staff_no), s.staff_no"

static SdSafetyAnswer *
answer_from_row (sqlite3_stmt *stmt)
{
  SdSafetyAnswer *self = g_object_new (SD_TYPE_SAFETY_ANSWER, NULL);

  self->id = g_strdup (_sd_column_text (stmt, 0));
  self->staff_id = g_strdup (_sd_column_text (stmt, 1));
  self->staff_no = g_strdup (_sd_column_text (stmt, 2));
  self->name = g_strdup (_sd_column_text (stmt, 3));
  self->kana = g_strdup (_sd_column_text (stmt, 4));
  self->department = g_strdup (_sd_column_text (stmt, 5));
  self->section = g_strdup (_sd_column_text (stmt, 6));
  self->rank = g_strdup (_sd_column_text (stmt, 7));
  self->phone = g_strdup (_sd_column_text (stmt, 8));
  /* The table's checks allow only these codes. */
  sd_safety_from_string (_sd_column_text (stmt, 9), &self->safety);
  sd_where_from_string (_sd_column_text (stmt, 10), &self->where);
  self->where_note = g_strdup (_sd_column_text (stmt, 11));
  self->can_report = sqlite3_column_int (stmt, 12) != 0;
  sd_means_from_string (_sd_column_text (stmt, 13), &self->means);
  sd_arrival_from_string (_sd_column_text (stmt, 14), &self->arrival);
  self->message = g_strdup (_sd_column_text (stmt, 15));
  self->answered_at = sqlite3_column_int64 (stmt, 16);
  sd_answer_via_from_string (_sd_column_text (stmt, 17), &self->via);
  self->recorded_by_name = g_strdup (_sd_column_text (stmt, 18));
  self->n_answers = sqlite3_column_int (stmt, 19);
  return self;
}

GListModel *
sd_store_list_safety_answers (SdStore     *store,
                              const char  *rollcall_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT " ANSWER_COLUMNS " FROM safety_state l "
                            "JOIN safety_answers a ON a.id = l.answer_id " ANSWER_JOINS
                            "WHERE l.rollcall_id = ?1 AND s.active = 1 ORDER BY " ROSTER_ORDER, error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  return collect (store, stmt, SD_TYPE_SAFETY_ANSWER, (gpointer (*) (sqlite3_stmt *)) answer_from_row,
                  _("read the answers"), error);
}

GListModel *
sd_store_list_safety_history (SdStore     *store,
                              const char  *rollcall_id,
                              const char  *staff_no,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store,
                            "SELECT " ANSWER_COLUMNS " FROM safety_answers a " ANSWER_JOINS
                            "WHERE a.rollcall_id = ?1 AND s.staff_no = ?2 AND s.active = 1 "
                            "ORDER BY a.answered_at DESC, a.hlc DESC, a.id DESC", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  _sd_bind_text (stmt, 2, staff_no);
  return collect (store, stmt, SD_TYPE_SAFETY_ANSWER, (gpointer (*) (sqlite3_stmt *)) answer_from_row,
                  _("read the answers"), error);
}

GListModel *
_sd_safety_missing (SdStore     *store,
                    GHashTable  *answered,
                    GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_STAFF);
  g_autoptr(GListModel) roster = sd_store_list_staff_by_department (store, error);

  if (roster == NULL)
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(SdStaff) staff = g_list_model_get_item (roster, i);

      if (!g_hash_table_contains (answered, sd_staff_get_id (staff)))
        g_list_store_append (list, staff);
    }
  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
sd_store_list_safety_missing (SdStore     *store,
                              const char  *rollcall_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GHashTable) answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  /* The roster comes from sd-staff.c as SdStaff; who has answered is
   * one pass over safety_state. */
  stmt = _sd_store_prepare (store, "SELECT staff_id FROM safety_state WHERE rollcall_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  while ((rc = _sd_store_step (store, stmt, _("read the answers"), error)) == SQLITE_ROW)
    g_hash_table_add (answered, g_strdup (_sd_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return _sd_safety_missing (store, answered, error);
}

static gboolean
validate_answer (const SdSafetyAnswerSpec  *spec,
                 GError                   **error)
{
  const char *message = NULL;

  if (spec->safety >= SD_N_SAFETY)
    message = _("Choose whether you are unhurt, slightly hurt or seriously hurt.");
  else if (spec->where >= SD_N_WHERE)
    message = _("Choose where you are now: at home, at the workplace or elsewhere.");
  else if (spec->where == SD_WHERE_OTHER && (spec->where_note == NULL || *spec->where_note == '\0'))
    message = _("Write where you are now, since it is neither home nor the workplace.");
  else if (spec->can_report && (spec->means == SD_MEANS_NONE || spec->means >= SD_N_MEANS))
    message = _("Choose how you would come: on foot, by bicycle, car, bus, train or other means.");
  else if (spec->can_report && (spec->arrival == SD_ARRIVAL_NONE || spec->arrival >= SD_N_ARRIVAL))
    message = _("Choose how long it would take you to come.");
  else if (!spec->can_report && (spec->means != SD_MEANS_NONE || spec->arrival != SD_ARRIVAL_NONE))
    message = _("Someone who cannot report for duty has no way or time to come: leave those empty.");
  else if (spec->via >= SD_N_ANSWER_VIA)
    message = _("The way the answer came in is not known.");
  else if (spec->via == SD_ANSWER_VIA_PHONE && spec->recorded_by == NULL)
    message = _("An answer taken by phone needs the staff member who took it.");
  if (message != NULL)
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, message);
      return FALSE;
    }
  return sd_text_validate (spec->where_note, _("Where you are"), 200, FALSE, error) &&
         sd_text_validate (spec->message, _("The message"), 1000, TRUE, error);
}

/* The id of an answer the same as SPEC from STAFF_ID since SINCE (ms),
 * newest first; NULL when there is none. */
static char *
same_answer (SdStore                   *store,
             const char                *rollcall_id,
             const char                *staff_id,
             const SdSafetyAnswerSpec  *spec,
             const char                *where_note,
             const char                *message,
             gint64                     since,
             GError                   **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT id FROM safety_answers WHERE rollcall_id = ?1 AND staff_id = ?2 "
                                          "AND answered_at >= ?3 AND safety = ?4 AND location = ?5 "
                                          "AND location_note IS ?6 AND can_report = ?7 AND means IS ?8 "
                                          "AND arrival IS ?9 AND message IS ?10 AND via = ?11 "
                                          "AND recorded_by IS ?12 "
                                          "ORDER BY answered_at DESC, hlc DESC, id DESC LIMIT 1", error);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  _sd_bind_text (stmt, 2, staff_id);
  sqlite3_bind_int64 (stmt, 3, since);
  _sd_bind_text (stmt, 4, sd_safety_to_string (spec->safety));
  _sd_bind_text (stmt, 5, sd_where_to_string (spec->where));
  _sd_bind_text (stmt, 6, where_note);
  sqlite3_bind_int (stmt, 7, spec->can_report ? 1 : 0);
  _sd_bind_text (stmt, 8, sd_means_to_string (spec->means));
  _sd_bind_text (stmt, 9, sd_arrival_to_string (spec->arrival));
  _sd_bind_text (stmt, 10, message);
  _sd_bind_text (stmt, 11, sd_answer_via_to_string (spec->via));
  _sd_bind_text (stmt, 12, spec->recorded_by);
  if (_sd_store_step (store, stmt, _("read the answers"), error) == SQLITE_ROW)
    id = g_strdup (_sd_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

char *
sd_store_record_safety_answer (SdStore                   *store,
                               const char                *rollcall_id,
                               const SdSafetyAnswerSpec  *spec,
                               GError                   **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *where_note = NULL, *message = NULL, *id = NULL;
  GError *local_error = NULL;
  gint64 now, answered_at;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!validate_answer (spec, error))
    return NULL;
  where_note = spec->where == SD_WHERE_OTHER ? sd_text_tidy (spec->where_note) : NULL;
  message = sd_text_tidy (spec->message);
  if (spec->where == SD_WHERE_OTHER && where_note == NULL)
    {
      /* Only spaces. */
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("Write where you are now, since it is neither home nor the workplace."));
      return NULL;
    }
  now = sd_store_now_ms (store);
  answered_at = spec->answered_at > 0 ? spec->answered_at : now;
  if (answered_at > now + FUTURE_SLACK_MS)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("The answer’s time is in the future: check the clock of the system it came from."));
      return NULL;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;
  rollcall = sd_store_find_rollcall (store, rollcall_id, error);
  if (rollcall == NULL)
    return NULL;
  if (rollcall->closed_at != 0)
    {
      refuse_closed (rollcall, error);
      return NULL;
    }
  staff = sd_store_find_staff (store, spec->staff_no, error);
  if (staff == NULL)
    return NULL;

  /* The same answer again: a live one within a minute of the first, an
   * imported one with the same time (the same file imported twice). */
  id = same_answer (store, rollcall_id, sd_staff_get_id (staff), spec, where_note, message,
                    spec->answered_at > 0 ? answered_at : now - SAME_ANSWER_MS, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id != NULL && (spec->answered_at == 0 || answered_at == spec->answered_at))
    return g_steal_pointer (&id);
  g_clear_pointer (&id, g_free);

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO safety_answers (id, rollcall_id, staff_id, safety, location, "
                            "location_note, can_report, means, arrival, message, answered_at, hlc, via, "
                            "recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, sd_hlc (), "
                            "?12, ?13)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, rollcall_id);
  _sd_bind_text (stmt, 3, sd_staff_get_id (staff));
  _sd_bind_text (stmt, 4, sd_safety_to_string (spec->safety));
  _sd_bind_text (stmt, 5, sd_where_to_string (spec->where));
  _sd_bind_text (stmt, 6, where_note);
  sqlite3_bind_int (stmt, 7, spec->can_report ? 1 : 0);
  _sd_bind_text (stmt, 8, sd_means_to_string (spec->means));
  _sd_bind_text (stmt, 9, sd_arrival_to_string (spec->arrival));
  _sd_bind_text (stmt, 10, message);
  sqlite3_bind_int64 (stmt, 11, answered_at);
  _sd_bind_text (stmt, 12, sd_answer_via_to_string (spec->via));
  _sd_bind_text (stmt, 13, spec->recorded_by);
  if (!_sd_store_exec (store, stmt, _("save the answer"), error) ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- totals ---- */

typedef struct {
  guint     department;   /* index into departments */
  guint     section;      /* index into that department's sections */
  int       safety;       /* -1: not answered */
  gboolean  can_report;
  SdArrival arrival;
  guint     n;
} CountRow;

struct _SdSafetyCount
{
  GArray     *rows;          /* CountRow */
  GPtrArray  *departments;   /* char*, NULL-terminated */
  GPtrArray  *sections;      /* per department: GPtrArray of char*, NULL-terminated */
};

void
sd_safety_count_free (SdSafetyCount *count)
{
  if (count == NULL)
    return;
  g_array_unref (count->rows);
  g_ptr_array_unref (count->departments);
  g_ptr_array_unref (count->sections);
  g_free (count);
}

static GPtrArray *
new_names (void)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (names, NULL);
  return names;
}

/* The index of NAME in NAMES (NULL-terminated), added at the end when new. */
static guint
name_index (GPtrArray  *names,
            const char *name)
{
  guint n = names->len - 1;

  if (n > 0 && g_strcmp0 (g_ptr_array_index (names, n - 1), name) == 0)
    return n - 1;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return i;
  g_ptr_array_index (names, n) = g_strdup (name);
  g_ptr_array_add (names, NULL);
  return n;
}

SdSafetyCount *
_sd_safety_count_new (void)
{
  SdSafetyCount *count = g_new0 (SdSafetyCount, 1);

  count->rows = g_array_new (FALSE, FALSE, sizeof (CountRow));
  count->departments = new_names ();
  count->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return count;
}

void
_sd_safety_count_add (SdSafetyCount *count,
                      const char    *department,
                      const char    *section,
                      const char    *safety_text,
                      gboolean       can_report,
                      const char    *arrival,
                      guint          n)
{
  CountRow row = { 0 };
  SdSafety safety;

  row.department = name_index (count->departments, department);
  if (row.department >= count->sections->len)
    g_ptr_array_add (count->sections, new_names ());
  row.section = name_index (g_ptr_array_index (count->sections, row.department), section);
  row.safety = sd_safety_from_string (safety_text, &safety) ? (int) safety : -1;
  row.can_report = can_report;
  sd_arrival_from_string (arrival, &row.arrival);
  row.n = n;
  g_array_append_val (count->rows, row);
}

SdSafetyCount *
sd_store_count_safety (SdStore     *store,
                       const char  *rollcall_id,
                       GError     **error)
{
  g_autoptr(SdSafetyCount) count = _sd_safety_count_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  /* One row per member of the roster, with their newest answer if any:
   * grouped by what the totals tell apart, in roster order so that
   * departments and sections come out sorted.  (PostgreSQL's HQ counts
   * by the same query: src/core/pg/sd-pg-report.c.) */
  stmt = _sd_store_prepare (store, SD_SAFETY_COUNT_SQL ("?1"), error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, rollcall_id);
  while ((rc = _sd_store_step (store, stmt, _("count the answers"), error)) == SQLITE_ROW)
    _sd_safety_count_add (count, (const char *) sqlite3_column_text (stmt, 0),
                          (const char *) sqlite3_column_text (stmt, 1), _sd_column_text (stmt, 2),
                          sqlite3_column_int (stmt, 3) != 0, _sd_column_text (stmt, 4),
                          (guint) sqlite3_column_int (stmt, 5));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&count);
}

static int
find_name (GPtrArray  *names,
           const char *name)
{
  for (guint i = 0; i + 1 < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return i;
  return -1;
}

void
sd_safety_count_totals (SdSafetyCount  *count,
                        const char     *department,
                        const char     *section,
                        SdSafetyTotals *out)
{
  int d = -1, s = -1;

  g_return_if_fail (count != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  if (department != NULL && (d = find_name (count->departments, department)) < 0)
    return;
  if (d >= 0 && section != NULL && (s = find_name (g_ptr_array_index (count->sections, d), section)) < 0)
    return;
  for (guint i = 0; i < count->rows->len; i++)
    {
      const CountRow *row = &g_array_index (count->rows, CountRow, i);

      if ((d >= 0 && row->department != (guint) d) || (s >= 0 && row->section != (guint) s))
        continue;
      out->roster += row->n;
      if (row->safety < 0)
        continue;
      out->answered += row->n;
      out->by_safety[row->safety] += row->n;
      if (row->can_report)
        {
          out->can_report += row->n;
          out->by_arrival[row->arrival] += row->n;
        }
      else
        out->cannot_report += row->n;
    }
}

guint
sd_safety_totals_within (const SdSafetyTotals *totals,
                         SdArrival             band)
{
  guint n = 0;

  g_return_val_if_fail (totals != NULL, 0);

  for (guint b = SD_ARRIVAL_WITHIN_30M; b <= band && b < SD_N_ARRIVAL; b++)
    n += totals->by_arrival[b];
  return n;
}

const char *const *
sd_safety_count_departments (SdSafetyCount *count)
{
  g_return_val_if_fail (count != NULL, NULL);
  return (const char *const *) count->departments->pdata;
}

const char *const *
sd_safety_count_sections (SdSafetyCount *count,
                          const char    *department)
{
  static const char *const none[] = { NULL };
  int d;

  g_return_val_if_fail (count != NULL, NULL);

  d = find_name (count->departments, department);
  if (d < 0)
    return none;
  return (const char *const *) ((GPtrArray *) g_ptr_array_index (count->sections, d))->pdata;
}
