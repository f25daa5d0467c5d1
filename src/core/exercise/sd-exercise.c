/* sd-exercise.c: tabletop exercises: an exercise database made from a deployment, and the engine that plays a scenario on it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine is a discrete-event simulation in exercise time.  Each
 * inject is delivered at its T+, and its machine action is cut into
 * units (a household arriving, one person going out, one staff answer)
 * spread evenly over the action's "over"; all units of all injects are
 * played in time order, so overlapping waves interleave as they would.
 * Each unit draws its fictional data, and the ids of the records it
 * makes (_sd_store_set_id_seed ()), from generators seeded by the
 * exercise seed, the inject's serial and the unit's number, and picks
 * whom it acts on from the database as it is then: the same file,
 * scenario and seed give the same records, ids included, whatever else
 * changes.
 *
 * A drill splits one scenario among desks (sd_exercise_engine_set_part):
 * each kiosk plays the units at its own shelters, HQ the rest.  A unit
 * then picks only among the records of its own kiosk's shelters, and the
 * shelters a report may name come from the scenario, not from what has
 * reached the desk: so each part plays the very same records whenever
 * the others' batches arrive, and the whole played on one database is
 * the scenario's reference day.
 */
#include "sd-exercise.h"

#include "sd-exercise-live.h"

#include "sd-error.h"
#include "sd-person.h"
#include "sd-report.h"
#include "sd-scan.h"
#include "sd-safety.h"
#include "sd-shelter.h"
#include "sd-store-private.h"
#include "sd-support.h"
#include "sd-sync.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a new exercise database ---- */

/* What is copied from the deployment, in an order that keeps references
 * whole.  Shelters start closed: the scenario opens them. */
static const char *const copied_tables[] = {
  "shelters", "staff", "staff_pins", "support_persons", "support_contacts", "map_base", "map_addresses",
};

static GPtrArray *
table_columns (sqlite3    *db,
               const char *schema,
               const char *table)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA \"%s\".table_info (\"%s\")", schema, table);
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return columns;
}

static gboolean
exec_plain (SdStore     *store,
            const char  *sql,
            GError     **error)
{
  sqlite3 *db = _sd_store_get_db (store);

  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not make the exercise database: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* Copies TABLE from the attached deployment, the columns both have, in
 * the caller's transaction: captured, so the exercise's kiosks get them. */
static gboolean
copy_table (SdStore     *store,
            const char  *table,
            GError     **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  g_autoptr(GPtrArray) mine = table_columns (db, "main", table);
  g_autoptr(GPtrArray) theirs = table_columns (db, "deployment", table);
  g_autoptr(GString) names = g_string_new (NULL), values = g_string_new (NULL);
  g_autofree char *sql = NULL;

  for (guint i = 0; i < mine->len; i++)
    {
      const char *column = g_ptr_array_index (mine, i);
      gboolean present = FALSE;

      for (guint j = 0; j < theirs->len && !present; j++)
        present = g_str_equal (column, g_ptr_array_index (theirs, j));
      if (!present)
        continue;
      g_string_append_printf (names, "%s\"%s\"", names->len > 0 ? ", " : "", column);
      if (g_str_equal (table, "shelters") && g_str_equal (column, "is_open"))
        g_string_append_printf (values, "%s0", values->len > 0 ? ", " : "");
      else if (g_str_equal (table, "shelters") && g_str_equal (column, "opened_at"))
        g_string_append_printf (values, "%sNULL", values->len > 0 ? ", " : "");
      else
        g_string_append_printf (values, "%s\"%s\"", values->len > 0 ? ", " : "", column);
    }
  if (names->len == 0)
    return TRUE;
  /* Table and column names are ShelterDesk's own. */
  sql = g_strdup_printf ("INSERT INTO main.\"%s\" (%s) SELECT %s FROM deployment.\"%s\"", table, names->str,
                         values->str, table);
  return exec_plain (store, sql, error);
}

gboolean
sd_exercise_new (const char  *from_path,
                 const char  *out_path,
                 GError     **error)
{
  g_autoptr(SdStore) from = NULL;
  g_autoptr(SdStore) out = NULL;
  g_autofree char *deployment = NULL, *name = NULL, *uri = NULL, *absolute = NULL;
  gboolean ok;

  g_return_val_if_fail (from_path != NULL && out_path != NULL, FALSE);

  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("“%s” already exists: an exercise is always made as a new file. Choose another name."),
                   out_path);
      return FALSE;
    }
  from = sd_store_open (from_path, SD_STORE_OPEN_READ_ONLY, error);
  if (from == NULL)
    return FALSE;
  if (sd_store_get_is_exercise (from))
    {
      /* A copy of an exercise is an exercise: allowed, it holds nothing real. */
    }
  deployment = sd_sync_get_deployment_name (from);
  /* TRANSLATORS: the site name of an exercise database: 訓練: みなと川市 災害対策本部 */
  name = g_strdup_printf (_("Exercise: %s"), deployment != NULL ? deployment : sd_store_get_site_name (from));
  g_clear_object (&from);

  out = sd_store_open (out_path, SD_STORE_OPEN_CREATE, error);
  if (out == NULL)
    return FALSE;
  if (!sd_store_mark_exercise (out, error) || !sd_store_set_site_name (out, name, error))
    goto failed;

  absolute = g_canonicalize_filename (from_path, NULL);
  uri = g_filename_to_uri (absolute, NULL, error);
  if (uri == NULL)
    goto failed;
  {
    /* Read only: the deployment is never written. */
    sqlite3_stmt *stmt = NULL;
    sqlite3 *db = _sd_store_get_db (out);
    g_autofree char *ro = g_strconcat (uri, "?mode=ro", NULL);

    sqlite3_prepare_v2 (db, "ATTACH DATABASE ?1 AS deployment", -1, &stmt, NULL);
    sqlite3_bind_text (stmt, 1, ro, -1, SQLITE_TRANSIENT);
    ok = sqlite3_step (stmt) == SQLITE_DONE;
    sqlite3_finalize (stmt);
    if (!ok)
      {
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read “%s”: %s"), from_path,
                     sqlite3_errmsg (db));
        goto failed;
      }
  }
  {
    g_autoptr(SdTxn) txn = _sd_store_begin (out, error);

    ok = txn != NULL;
    for (guint i = 0; ok && i < G_N_ELEMENTS (copied_tables); i++)
      ok = copy_table (out, copied_tables[i], error);
    ok = ok && _sd_txn_commit (g_steal_pointer (&txn), error);
  }
  sqlite3_exec (_sd_store_get_db (out), "DETACH DATABASE deployment", NULL, NULL, NULL);
  if (!ok || !sd_sync_init_hq (out, name, error))
    goto failed;
  return TRUE;

failed:
  {
    g_autofree char *wal = g_strconcat (out_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (out_path, "-shm", NULL);

    g_clear_object (&out);
    g_unlink (out_path);
    g_unlink (wal);
    g_unlink (shm);
  }
  return FALSE;
}

/* ---- fictional people ---- */

typedef struct { const char *kanji, *kana; } Name;

static const Name surnames[] = {
  { "佐藤", "サトウ" }, { "鈴木", "スズキ" }, { "高橋", "タカハシ" }, { "田中", "タナカ" }, { "伊藤", "イトウ" },
  { "渡辺", "ワタナベ" }, { "山本", "ヤマモト" }, { "中村", "ナカムラ" }, { "小林", "コバヤシ" }, { "加藤", "カトウ" },
  { "吉田", "ヨシダ" }, { "山田", "ヤマダ" }, { "佐々木", "ササキ" }, { "山口", "ヤマグチ" }, { "松本", "マツモト" },
  { "井上", "イノウエ" }, { "木村", "キムラ" }, { "林", "ハヤシ" }, { "斎藤", "サイトウ" }, { "清水", "シミズ" },
  { "山崎", "ヤマザキ" }, { "森", "モリ" }, { "池田", "イケダ" }, { "橋本", "ハシモト" }, { "阿部", "アベ" },
  { "石川", "イシカワ" }, { "前田", "マエダ" }, { "藤田", "フジタ" }, { "小川", "オガワ" }, { "岡田", "オカダ" },
  { "後藤", "ゴトウ" }, { "長谷川", "ハセガワ" }, { "村上", "ムラカミ" }, { "近藤", "コンドウ" }, { "石井", "イシイ" },
  { "坂本", "サカモト" }, { "遠藤", "エンドウ" }, { "青木", "アオキ" }, { "藤井", "フジイ" }, { "西村", "ニシムラ" },
};
static const Name male_names[] = {
  { "翔太", "ショウタ" }, { "大輔", "ダイスケ" }, { "健一", "ケンイチ" }, { "誠", "マコト" }, { "浩", "ヒロシ" },
  { "隆", "タカシ" }, { "蓮", "レン" }, { "悠真", "ユウマ" }, { "陽翔", "ハルト" }, { "湊", "ミナト" },
  { "和夫", "カズオ" }, { "茂", "シゲル" }, { "清", "キヨシ" }, { "拓也", "タクヤ" }, { "直樹", "ナオキ" },
  { "修", "オサム" }, { "勇気", "ユウキ" }, { "大和", "ヤマト" }, { "正雄", "マサオ" }, { "博之", "ヒロユキ" },
};
static const Name female_names[] = {
  { "陽菜", "ヒナ" }, { "結衣", "ユイ" }, { "美咲", "ミサキ" }, { "さくら", "サクラ" }, { "葵", "アオイ" },
  { "恵子", "ケイコ" }, { "幸子", "サチコ" }, { "和子", "カズコ" }, { "裕子", "ユウコ" }, { "久美子", "クミコ" },
  { "芽依", "メイ" }, { "凛", "リン" }, { "真由美", "マユミ" }, { "直美", "ナオミ" }, { "明美", "アケミ" },
  { "節子", "セツコ" }, { "由美", "ユミ" }, { "愛", "アイ" }, { "千尋", "チヒロ" }, { "花子", "ハナコ" },
};
static const char *const allergies[] = { "卵", "小麦", "そば", "えび・かに", "乳" };
static const char *const illnesses[] = { "高血圧（服薬中）", "糖尿病（インスリン使用）", "喘息", "心臓病（服薬中）",
                                         "人工透析（週3回）" };
static const char *const disabilities[] = { "視覚障害", "聴覚障害", "肢体不自由", "知的障害", "精神障害" };
static const char *const mobility[] = { "車いす", "杖", "歩行器" };
static const char *const languages[] = { "vi", "zh", "pt-BR", "ne", "tl", "ko", "en", "id" };
static const char *const pets[] = { "犬", "猫", "小鳥" };

#define PICK(rand, list) ((list)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))])

/* A birth date for an age drawn as a town's evacuees are: more old
 * people than the census, as in every shelter. */
static char *
birth_date (GRand  *rand,
            gint64  at_ms,
            gboolean adult)
{
  static const int bands[][3] = {
    /* share %, from age, to age */
    { 5, 0, 5 }, { 9, 6, 14 }, { 50, 15, 64 }, { 17, 65, 74 }, { 19, 75, 99 },
  };
  GDateTime *now = g_date_time_new_from_unix_utc (at_ms / 1000);
  g_autoptr(GDateTime) born = NULL;
  int roll = g_rand_int_range (rand, 0, 100), age = 40;

  for (guint i = 0, sum = 0; i < G_N_ELEMENTS (bands); i++)
    {
      sum += bands[i][0];
      if (roll < (int) sum)
        {
          age = g_rand_int_range (rand, bands[i][1], bands[i][2] + 1);
          break;
        }
    }
  if (adult && age < 18)
    age = g_rand_int_range (rand, 25, 80);
  born = g_date_time_add_days (now, -(age * 365 + g_rand_int_range (rand, 0, 365)));
  g_date_time_unref (now);
  return g_date_time_format (born, "%Y-%m-%d");
}

static int
age_of (const char *iso,
        gint64      at_ms)
{
  int year = atoi (iso);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (at_ms / 1000);

  return g_date_time_get_year (now) - year;
}

/* Members' specs with their strings, freed together. */
typedef struct {
  GPtrArray    *strings;
  SdPersonSpec  members[8];
  guint         n;
  SdHouseholdSpec household;
  gboolean      card;
} Household;

static const char *
keep (Household *h,
      char      *text)
{
  g_ptr_array_add (h->strings, text);
  return text;
}

/* The address part of a shelter's address before its numbers: people
 * live in the shelter's town. */
static char *
town_of (const char *address)
{
  const char *p = address != NULL ? address : "";
  const char *end = p;

  for (const char *q = p; *q != '\0'; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (g_unichar_isdigit (c) || c == '-' || c == 0x2212 || c == 0xFF0D || c == 0x4E01 /* 丁 */)
        break;
      end = g_utf8_next_char (q);
    }
  return g_strndup (p, end - p);
}

static void
make_household (Household   *h,
                GRand       *rand,
                guint        size,
                const char  *shelter_id,
                const char  *shelter_address,
                gint64       at_ms,
                double       cards,
                double       elsewhere)
{
  const Name *surname = &PICK (rand, surnames);
  g_autofree char *town = town_of (shelter_address);
  const char *address = keep (h, g_strdup_printf ("%s%d丁目%d-%d", town, g_rand_int_range (rand, 1, 6),
                                                  g_rand_int_range (rand, 1, 30), g_rand_int_range (rand, 1, 20)));
  double where = g_rand_double (rand);

  h->n = MIN (size, G_N_ELEMENTS (h->members));
  h->card = g_rand_double (rand) < cards;
  h->household = (SdHouseholdSpec) { .shelter_id = shelter_id, .stay = SD_STAY_SHELTER, .address = address,
                                     .house_damage = SD_DAMAGE_UNKNOWN, .check_in = TRUE };
  if (where < elsewhere)
    {
      /* At home or in a car: registered at the shelter, not checked in. */
      h->household.stay = g_rand_double (rand) < 0.6 ? SD_STAY_HOME : SD_STAY_VEHICLE;
      h->household.check_in = FALSE;
      if (h->household.stay == SD_STAY_VEHICLE)
        h->household.vehicle_plate = keep (h, g_strdup_printf ("みなと川 %d さ %02d-%02d",
                                                               g_rand_int_range (rand, 300, 600),
                                                               g_rand_int_range (rand, 10, 99),
                                                               g_rand_int_range (rand, 10, 99)));
    }
  if (g_rand_double (rand) < 0.5)
    h->household.phone = keep (h, g_strdup_printf ("090-0000-%04d", g_rand_int_range (rand, 0, 10000)));
  if (g_rand_double (rand) < 0.08)
    {
      h->household.pets = PICK (rand, pets);
      h->household.pets_count = g_rand_int_range (rand, 1, 3);
    }
  h->household.house_damage = (SdHouseDamage) g_rand_int_range (rand, SD_DAMAGE_UNKNOWN, SD_DAMAGE_TOTAL + 1);

  for (guint i = 0; i < h->n; i++)
    {
      SdPersonSpec *p = &h->members[i];
      gboolean male = g_rand_boolean (rand);
      const Name *given = male ? &PICK (rand, male_names) : &PICK (rand, female_names);
      char *born = birth_date (rand, at_ms, i == 0);
      int age = age_of (born, at_ms);

      keep (h, born);
      p->name = keep (h, g_strdup_printf ("%s %s", surname->kanji, given->kanji));
      /* A My Number card gives the four basic facts: no reading. */
      p->kana = h->card ? NULL : keep (h, g_strdup_printf ("%s %s", surname->kana, given->kana));
      p->birth_date = born;
      p->sex = male ? SD_SEX_MALE : SD_SEX_FEMALE;
      p->address = address;
      p->consent_disclose = g_rand_double (rand) < 0.8;
      if (g_rand_double (rand) < 0.04)
        p->allergies = PICK (rand, allergies);
      if (g_rand_double (rand) < (age >= 65 ? 0.3 : 0.05))
        p->illness = PICK (rand, illnesses);
      p->pregnant = !male && age >= 20 && age <= 40 && g_rand_double (rand) < 0.05;
      if (g_rand_double (rand) < 0.03)
        p->disability = PICK (rand, disabilities);
      if (age >= 75 && g_rand_double (rand) < 0.25)
        p->care_level = (SdCareLevel) g_rand_int_range (rand, SD_CARE_SUPPORT_1, SD_CARE_5 + 1);
      if (age >= 70 && g_rand_double (rand) < 0.1)
        p->mobility = PICK (rand, mobility);
      if (g_rand_double (rand) < 0.02)
        p->language = PICK (rand, languages);
    }
}

/* ---- the engine ---- */

typedef struct {
  gint64  at_ms;
  guint   inject;   /* index in the scenario */
  gint    unit;     /* -1: the inject's delivery */
} Step;

typedef struct {
  const SdInject *inject;
  char           *shelter_id;
  char           *shelter_address;
  GArray         *sizes;        /* arrivals: each household's size */
  int             group;        /* the kiosk whose shelter it acts at, or SD_EXERCISE_PART_HQ */
  guint           units;
  guint           played;       /* units played, as exercise_injects.played keeps it */
  GPtrArray      *targets;      /* answers: each unit's staff number; support reports: each unit's person */
  char           *rollcall;     /* answers: the title of the roll-call they answer */
  guint           first;        /* answers: the place of its first unit in the roll-call's order of staff */
  guint           pool;         /* answers: the staff in that order */
  guint           pool_units;   /* answers: the units of every answers inject to that roll-call */
  gint64          due;          /* T+ of its delivery: the scenario's, or as the facilitator re-timed it */
  gboolean        delivered;
  gboolean        skipped;
} Play;

struct _SdExerciseEngine {
  SdStore          *store;
  SdScenario       *scenario;
  guint64           seed;
  gint64            start_at;
  gint64            clock;      /* exercise time now, ms after T+0 */
  gint64            end;
  GArray           *steps;      /* Step, in time order */
  guint             next;       /* the next step to play */
  Play             *plays;      /* one per inject */
  GHashTable       *rollcalls;  /* title → id */
  gint64            spent_us[SD_ACTION_DRILL + 1];  /* per action, for the debug log */
  GPtrArray        *groups;     /* per kiosk: a JSON array of its shelters' ids, or NULL */
  char            **group_codes; /* per kiosk: its shelters' codes, "S01,S04" */
  int               part;       /* what this engine plays: SD_EXERCISE_PART_* or a kiosk */
  gint64            ahead_ms;   /* this desk's clock runs ahead by */
  gboolean          scans;      /* movements go through the scan path */
  GArray           *waiting;    /* Step: answers given on paper at a kiosk that has not the roll-call yet */
  SdExerciseCardReadFunc card_read;
  gpointer          card_read_data;
  gboolean          resumed;
  SdExerciseTotals  totals;
};

static gint64
engine_clock (gpointer data)
{
  SdExerciseEngine *engine = data;

  return engine->start_at + engine->clock + engine->ahead_ms;
}

static guint32
serial_hash (const char *serial)
{
  guint32 h = 2166136261u;

  for (const char *p = serial; *p != '\0'; p++)
    h = (h ^ (guint8) *p) * 16777619u;
  return h;
}

/* The generator of one unit (or, with UNIT -1, of the inject's plan). */
static GRand *
unit_rand (SdExerciseEngine *engine,
           const SdInject   *inject,
           gint              unit)
{
  guint32 seed[4] = { (guint32) engine->seed, (guint32) (engine->seed >> 32), serial_hash (inject->serial),
                      (guint32) unit };

  return g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
}

static gint64
count_in (SdStore     *store,
          const char  *sql,
          const char  *text,
          const char  *group)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  if (group != NULL)
    sqlite3_bind_text (stmt, 3, group, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
count_of (SdStore     *store,
          const char  *sql,
          const char  *text)
{
  return count_in (store, sql, text, NULL);
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *x = a, *y = b;

  if (x->at_ms != y->at_ms)
    return x->at_ms < y->at_ms ? -1 : 1;
  if (x->inject != y->inject)
    return x->inject < y->inject ? -1 : 1;
  return (x->unit > y->unit) - (x->unit < y->unit);
}

/* A listed person of district ?1 (the district or the address starts
 * with or contains it), or of any when ?1 is NULL. */
#define IN_DISTRICT "listed = 1 AND (?1 IS NULL OR coalesce (district, '') LIKE ?1 || '%' " \
                    "  OR coalesce (address, '') LIKE '%' || ?1 || '%')"

/* The texts in the first column SQL gives (with TEXT as ?1), in its order. */
static GPtrArray *
column_of (SdStore    *store,
           const char *sql,
           const char *text)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    return texts;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (texts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return texts;
}

/* TEXTS in an order drawn from the engine's seed and SALT. */
static void
shuffle (SdExerciseEngine *engine,
         GPtrArray        *texts,
         guint32           salt)
{
  guint32 seed[3] = { (guint32) engine->seed, (guint32) (engine->seed >> 32), salt };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));

  for (guint i = texts->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      gpointer t = texts->pdata[i - 1];

      texts->pdata[i - 1] = texts->pdata[j];
      texts->pdata[j] = t;
    }
}

static int
compare_plays_by_time (gconstpointer a,
                       gconstpointer b,
                       gpointer      data)
{
  const Play *plays = data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (plays[x].due != plays[y].due)
    return plays[x].due < plays[y].due ? -1 : 1;
  return (x > y) - (x < y);
}

/* Who each answer and each support-list report is about, fixed by the
 * scenario, the seed and the roster alone, not by what a desk has heard
 * so far: the same on every desk of a drill, so that any desk can play
 * any unit.  The answers to a roll-call go through its staff in an order
 * drawn from the seed (who has not answered first, then second answers).
 * The reports go through the listed people in an order drawn from the
 * seed, each inject taking those of its district that no earlier inject
 * reported on. */
static void
plan_targets (SdExerciseEngine *engine)
{
  guint n = sd_scenario_get_n_injects (engine->scenario);
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  g_autoptr(GPtrArray) staff = column_of (engine->store, "SELECT staff_no FROM staff WHERE active = 1 ORDER BY staff_no", NULL);
  g_autoptr(GPtrArray) listed = column_of (engine->store, "SELECT id FROM support_persons WHERE listed = 1 ORDER BY id", NULL);
  g_autoptr(GHashTable) orders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);   /* title → units so far */
  g_autoptr(GHashTable) units = g_hash_table_new (g_str_hash, g_str_equal);   /* title → all its units */
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  const char *title = NULL;

  for (guint i = 0; i < n; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_plays_by_time, engine->plays);
  /* Which roll-call each answers inject answers: the one it names, else
   * the latest opened before it. */
  for (guint k = 0; k < n; k++)
    {
      Play *play = &engine->plays[g_array_index (order, guint, k)];
      const SdAction *action = &play->inject->action;

      if (action->kind == SD_ACTION_ROLLCALL)
        title = action->title;
      else if (action->kind == SD_ACTION_SAFETY_ANSWERS && (action->title != NULL || title != NULL))
        {
          play->rollcall = g_strdup (action->title != NULL ? action->title : title);
          g_hash_table_insert (units, play->rollcall,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (units, play->rollcall)) +
                                                 play->units));
        }
    }
  shuffle (engine, listed, 0x73757070u /* "supp" */);
  for (guint k = 0; k < n; k++)
    {
      Play *play = &engine->plays[g_array_index (order, guint, k)];
      const SdAction *action = &play->inject->action;

      if (action->kind == SD_ACTION_SAFETY_ANSWERS && play->rollcall != NULL)
        {
          GPtrArray *staff_order = g_hash_table_lookup (orders, play->rollcall);

          if (staff_order == NULL)
            {
              staff_order = g_ptr_array_new ();
              for (guint i = 0; i < staff->len; i++)
                g_ptr_array_add (staff_order, staff->pdata[i]);
              shuffle (engine, staff_order, serial_hash (play->rollcall));
              g_hash_table_insert (orders, play->rollcall, staff_order);
            }
          play->first = GPOINTER_TO_UINT (g_hash_table_lookup (taken, play->rollcall));
          play->pool = staff_order->len;
          play->pool_units = GPOINTER_TO_UINT (g_hash_table_lookup (units, play->rollcall));
          play->targets = g_ptr_array_new_with_free_func (g_free);
          for (guint u = 0; u < play->units && play->pool > 0; u++)
            g_ptr_array_add (play->targets, g_strdup (staff_order->pdata[(play->first + u) % play->pool]));
          g_hash_table_insert (taken, play->rollcall, GUINT_TO_POINTER (play->first + play->units));
        }
      else if (action->kind == SD_ACTION_SUPPORT_STATUS)
        {
          g_autoptr(GHashTable) in_district = NULL;

          if (action->district != NULL)
            {
              g_autoptr(GPtrArray) ids = column_of (engine->store, "SELECT id FROM support_persons WHERE " IN_DISTRICT,
                                                    action->district);
              in_district = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
              for (guint i = 0; i < ids->len; i++)
                g_hash_table_add (in_district, g_strdup (ids->pdata[i]));
            }
          play->targets = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < listed->len && play->targets->len < play->units; i++)
            if (!g_hash_table_contains (reported, listed->pdata[i]) &&
                (in_district == NULL || g_hash_table_contains (in_district, listed->pdata[i])))
              {
                g_hash_table_add (reported, listed->pdata[i]);
                g_ptr_array_add (play->targets, g_strdup (listed->pdata[i]));
              }
        }
    }
}

/* How many units each inject's action takes, and when each is played. */
static void
plan (SdExerciseEngine *engine)
{
  guint n = sd_scenario_get_n_injects (engine->scenario);
  gint64 staff = count_of (engine->store, "SELECT count (*) FROM staff WHERE active = 1", NULL);

  engine->plays = g_new0 (Play, n);
  engine->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  for (guint i = 0; i < n; i++)
    {
      const SdInject *inject = sd_scenario_get_inject (engine->scenario, i);
      const SdAction *action = &inject->action;
      Play *play = &engine->plays[i];

      play->inject = inject;
      play->due = inject->at_ms;
      switch (action->kind)
        {
        case SD_ACTION_NONE:
          play->units = 0;
          break;
        case SD_ACTION_ARRIVALS:
          {
            g_autoptr(GRand) rand = unit_rand (engine, inject, -1);
            static const int size_share[] = { 35, 30, 15, 13, 7 };  /* 1 … 5 people */
            guint left = action->people;

            play->sizes = g_array_new (FALSE, FALSE, sizeof (guint));
            while (left > 0)
              {
                int roll = g_rand_int_range (rand, 0, 100);
                guint size = 1, sum = 0;

                for (guint s = 0; s < G_N_ELEMENTS (size_share); s++)
                  if (roll < (int) (sum += size_share[s]))
                    {
                      size = s + 1;
                      break;
                    }
                size = MIN (size, left);
                g_array_append_val (play->sizes, size);
                left -= size;
              }
            play->units = play->sizes->len;
          }
          break;
        case SD_ACTION_CHECKOUTS:
        case SD_ACTION_GOINGS_OUT:
        case SD_ACTION_RETURNS:
        case SD_ACTION_SUPPLY_PICKUPS:
          play->units = action->people;
          break;
        case SD_ACTION_SAFETY_ANSWERS:
          play->units = (guint) (action->share * staff + 0.5);
          break;
        case SD_ACTION_SUPPORT_STATUS:
          play->units = (guint) (action->share *
                                 count_of (engine->store, "SELECT count (*) FROM support_persons WHERE " IN_DISTRICT,
                                           action->district) + 0.5);
          break;
        default:
          play->units = 1;
          break;
        }
    }
}

static GPtrArray *opened_shelters_at (SdExerciseEngine *engine,
                                      gint64            at_ms);

/* When UNIT of PLAY is due. */
static gint64
unit_due (const Play *play,
          guint       unit)
{
  return play->due + (play->inject->action.over_ms * unit) / MAX (play->units, 1);
}

/* The share of staff who answer at a shelter's desk (they are working
 * there) rather than on the web form. */
#define DESK_SHARE 0.25

/* Where the staff member of answers UNIT answers: -1 on the web form,
 * else at a shelter desk (the number, modulo the kiosks, says which).
 * Only a first answer that no later one replaces is given at a desk: a
 * desk may enter it late, and it must not win over a newer answer. */
static int
desk_of (SdExerciseEngine *engine,
         const Play       *play,
         guint             unit)
{
  guint32 seed[4] = { (guint32) engine->seed, (guint32) (engine->seed >> 32),
                      serial_hash (play->inject->serial) ^ 0x6465736bu /* "desk" */, unit };
  g_autoptr(GRand) rand = NULL;
  guint place = play->first + unit;

  if (play->pool == 0 || place >= play->pool || place + play->pool < play->pool_units)
    return -1;
  rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  if (g_rand_double (rand) >= DESK_SHARE)
    return -1;
  return g_rand_int_range (rand, 0, 12);
}

/* What support-list report UNIT says, from the unit's own generator as
 * play_step hands it over: the status and, for the evacuated, the code
 * of the shelter (one the scenario has opened by then). */
static SdSupportStatus
support_outcome (SdExerciseEngine  *engine,
                 const Play        *play,
                 guint              unit,
                 const char       **shelter_code)
{
  g_autoptr(GRand) rand = unit_rand (engine, play->inject, (gint) unit);
  SdSupportStatus status;
  double roll;

  g_rand_int (rand);   /* the unit's id seed */
  g_rand_int (rand);
  roll = g_rand_double (rand);
  status = roll < 0.6 ? SD_SUPPORT_SAFE_HOME : roll < 0.9 ? SD_SUPPORT_EVACUATED
           : roll < 0.96 ? SD_SUPPORT_HELPING : SD_SUPPORT_INJURED;
  *shelter_code = NULL;
  if (status == SD_SUPPORT_EVACUATED)
    {
      g_autoptr(GPtrArray) open = opened_shelters_at (engine, unit_due (play, unit));

      if (open->len > 0)
        *shelter_code = g_ptr_array_index (open, g_rand_int_range (rand, 0, (gint32) open->len));
      else
        status = SD_SUPPORT_SAFE_HOME;
    }
  return status;
}

/* The kiosk (index in GROUPS) whose shelters include the one with CODE,
 * or SD_EXERCISE_PART_HQ. */
static int
group_of (const char *const *groups,
          const char        *code)
{
  for (guint g = 0; groups != NULL && groups[g] != NULL; g++)
    {
      g_auto(GStrv) codes = g_strsplit (groups[g], ",", -1);

      if (g_strv_contains ((const char *const *) codes, code))
        return (int) g;
    }
  return SD_EXERCISE_PART_HQ;
}

/* Who in a drill plays UNIT of PLAY: the kiosk of the shelter it acts at
 * (a support-list person found evacuated at a shelter is confirmed by
 * its desk; a staff member working at a shelter answers at its desk), or
 * HQ for the rest. */
static int
unit_group (SdExerciseEngine *engine,
            const Play       *play,
            guint             unit)
{
  switch (play->inject->action.kind)
    {
    case SD_ACTION_SAFETY_ANSWERS:
      {
        int desk = desk_of (engine, play, unit);
        guint n = engine->group_codes != NULL ? g_strv_length (engine->group_codes) : 0;

        return desk < 0 || n == 0 ? SD_EXERCISE_PART_HQ : desk % (int) n;
      }
    case SD_ACTION_SUPPORT_STATUS:
      {
        const char *code = NULL;

        return support_outcome (engine, play, unit, &code) == SD_SUPPORT_EVACUATED && code != NULL
               ? group_of ((const char *const *) engine->group_codes, code) : SD_EXERCISE_PART_HQ;
      }
    default:
      return play->group;
    }
}

/* Whether this engine plays UNIT of PLAY: every unit, or those of its
 * part of a drill (the units at a kiosk's shelters, or the rest at HQ). */
static gboolean
owns_unit (SdExerciseEngine *engine,
           const Play       *play,
           guint             unit)
{
  return engine->part == SD_EXERCISE_PART_ALL || engine->part == unit_group (engine, play, unit);
}

/* What is left to play, in time order: each inject not skipped, its
 * delivery if it is still due, and its units not played yet at their
 * times after its due time (a re-timed inject takes its units along). */
static void
rebuild_steps (SdExerciseEngine *engine)
{
  guint n = sd_scenario_get_n_injects (engine->scenario);

  g_array_set_size (engine->steps, 0);
  engine->next = 0;
  engine->end = engine->clock;
  for (guint i = 0; i < n; i++)
    {
      const Play *play = &engine->plays[i];
      gint64 over = play->inject->action.over_ms;

      if (play->skipped)
        continue;
      if (!play->delivered)
        {
          Step delivery = { play->due, i, -1 };

          g_array_append_val (engine->steps, delivery);
        }
      for (guint u = play->played; u < play->units; u++)
        if (owns_unit (engine, play, u))
          {
            Step step = { unit_due (play, u), i, (gint) u };

            g_array_append_val (engine->steps, step);
          }
      engine->end = MAX (engine->end, play->due + (play->units > 0 ? over : 0));
    }
  g_array_sort (engine->steps, compare_steps);
}

/* The injects as the file has them now: the facilitator may have
 * re-timed, delivered or skipped some, and a run before this one played
 * units already.  Steps are made again when anything moved. */
static gboolean
follow_file (SdExerciseEngine  *engine,
             gboolean           force,
             GError           **error)
{
  guint n = sd_scenario_get_n_injects (engine->scenario);
  gboolean changed = force;
  sqlite3_stmt *stmt = _sd_store_prepare (engine->store,
                                          "SELECT due_ms, state, played FROM exercise_injects WHERE serial = ?1",
                                          error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      Play *play = &engine->plays[i];
      int rc;

      sqlite3_bind_text (stmt, 1, play->inject->serial, -1, SQLITE_STATIC);
      rc = _sd_store_step (engine->store, stmt, _("read the exercise"), error);
      if (rc == SQLITE_ROW)
        {
          gint64 due = sqlite3_column_int64 (stmt, 0);
          const char *state = _sd_column_text (stmt, 1);
          gboolean skipped = g_strcmp0 (state, "skipped") == 0;
          gboolean delivered = !skipped && g_strcmp0 (state, "pending") != 0;
          guint played = (guint) MIN (sqlite3_column_int64 (stmt, 2), (gint64) play->units);

          changed |= due != play->due || skipped != play->skipped || delivered != play->delivered ||
                     played != play->played;
          play->due = due;
          play->skipped = skipped;
          play->delivered = delivered;
          play->played = played;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return FALSE;
    }
  if (changed)
    rebuild_steps (engine);
  return TRUE;
}

static gboolean
write_injects (SdExerciseEngine  *engine,
               GError           **error)
{
  SdStore *store = engine->store;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  sqlite3_stmt *stmt;

  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "INSERT INTO exercise_run (id, scenario_name, scenario_sha256, seed, start_at, "
                                   "  state, clock_ms, wall_at, speed) VALUES (1, ?1, ?2, ?3, ?4, 'ready', 0, ?5, 0)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sd_scenario_get_name (engine->scenario), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sd_scenario_get_sha256 (engine->scenario), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) engine->seed);
  sqlite3_bind_int64 (stmt, 4, engine->start_at);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
  if (!_sd_store_exec (store, stmt, _("start the exercise"), error))
    return FALSE;
  for (guint i = 0; i < sd_scenario_get_n_injects (engine->scenario); i++)
    {
      const SdInject *inject = sd_scenario_get_inject (engine->scenario, i);

      stmt = _sd_store_prepare (store, "INSERT INTO exercise_injects (serial, line, planned_ms, due_ms, type, method, "
                                       "  sender, recipient, description, expected, action) "
                                       "VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, inject->serial, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) inject->line);
      sqlite3_bind_int64 (stmt, 3, inject->at_ms);
      sqlite3_bind_text (stmt, 4, inject->type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, inject->method, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, inject->sender, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, inject->recipient, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, inject->description, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, inject->expected, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, inject->action_text, -1, SQLITE_STATIC);
      if (!_sd_store_exec (store, stmt, _("start the exercise"), error))
        return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

SdExerciseEngine *
sd_exercise_engine_new (SdStore     *store,
                        SdScenario  *scenario,
                        guint64      seed,
                        gint64       start_at,
                        GError     **error)
{
  g_autoptr(SdExerciseEngine) engine = NULL;
  guint n;

  g_return_val_if_fail (SD_IS_STORE (store) && scenario != NULL, NULL);

  if (!sd_scenario_check_against (scenario, store, error))
    return NULL;
  engine = g_new0 (SdExerciseEngine, 1);
  engine->store = g_object_ref (store);
  engine->scenario = scenario;
  engine->seed = seed;
  engine->start_at = start_at > 0 ? start_at : g_get_real_time () / 1000;
  engine->rollcalls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  engine->groups = g_ptr_array_new_with_free_func (g_free);
  engine->part = SD_EXERCISE_PART_ALL;
  {
    SdExerciseClock clock;
    g_autoptr(GError) local = NULL;

    if (sd_exercise_get_clock (store, &clock, &local))
      {
        /* Started before: the same scenario goes on where it was (the
         * console restarted), anything else is refused. */
        gboolean same = g_strcmp0 (clock.scenario_sha256, sd_scenario_get_sha256 (scenario)) == 0 &&
                        clock.state != SD_EXERCISE_ENDED;

        engine->resumed = TRUE;
        engine->seed = clock.seed;
        engine->start_at = clock.start_at;
        engine->clock = clock.clock_ms;
        sd_exercise_clock_clear (&clock);
        if (!same)
          {
            g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                         _("This exercise database has run a scenario already. Make a new one with "
                           "“exercise new” for another run."));
            return NULL;
          }
      }
    else if (!g_error_matches (local, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return NULL;
      }
  }
  plan (engine);
  plan_targets (engine);
  engine->waiting = g_array_new (FALSE, FALSE, sizeof (Step));
  n = sd_scenario_get_n_injects (scenario);
  for (guint i = 0; i < n; i++)
    {
      Play *play = &engine->plays[i];
      const char *code = play->inject->action.shelter;

      play->group = SD_EXERCISE_PART_HQ;
      if (code != NULL)
        {
          g_autoptr(SdShelter) shelter = sd_store_find_shelter (store, code, error);

          if (shelter == NULL)
            return NULL;
          play->shelter_id = g_strdup (sd_shelter_get_id (shelter));
          play->shelter_address = g_strdup (sd_shelter_get_address (shelter));
        }
    }
  if (!engine->resumed && !write_injects (engine, error))
    return NULL;
  if (!follow_file (engine, TRUE, error))
    return NULL;
  /* Rebuild the roll-calls the engine opened, by title, for answers to come. */
  {
    sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT title, id FROM rollcalls ORDER BY started_at, id", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    while ((rc = _sd_store_step (store, stmt, _("read the exercise"), error)) == SQLITE_ROW)
      {
        g_hash_table_replace (engine->rollcalls, g_strdup (_sd_column_text (stmt, 0)),
                              g_strdup (_sd_column_text (stmt, 1)));
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      return NULL;
  }
  sd_store_set_clock (store, engine_clock, engine);
  /* A resumed run draws its ids from another part of the stream. */
  _sd_store_set_id_seed (store, engine->seed ^ ((guint64) engine->clock * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)));
  return g_steal_pointer (&engine);
}

void
sd_exercise_engine_free (SdExerciseEngine *engine)
{
  if (engine == NULL)
    return;
  if (engine->plays != NULL)
    {
      sd_store_set_clock (engine->store, NULL, NULL);
      for (guint i = 0; i < sd_scenario_get_n_injects (engine->scenario); i++)
        {
          g_free (engine->plays[i].shelter_id);
          g_free (engine->plays[i].shelter_address);
          if (engine->plays[i].sizes != NULL)
            g_array_unref (engine->plays[i].sizes);
          g_clear_pointer (&engine->plays[i].targets, g_ptr_array_unref);
          g_free (engine->plays[i].rollcall);
        }
      g_free (engine->plays);
    }
  if (engine->steps != NULL)
    g_array_unref (engine->steps);
  g_clear_pointer (&engine->rollcalls, g_hash_table_unref);
  g_clear_pointer (&engine->groups, g_ptr_array_unref);
  g_clear_pointer (&engine->group_codes, g_strfreev);
  g_clear_pointer (&engine->waiting, g_array_unref);
  g_clear_object (&engine->store);
  g_free (engine);
}


static gboolean
acts_at_shelter (SdActionKind kind)
{
  switch (kind)
    {
    case SD_ACTION_SHELTER_OPEN:
    case SD_ACTION_SHELTER_CLOSE:
    case SD_ACTION_ARRIVALS:
    case SD_ACTION_CHECKOUTS:
    case SD_ACTION_GOINGS_OUT:
    case SD_ACTION_RETURNS:
    case SD_ACTION_SUPPLY_PICKUPS:
    case SD_ACTION_SHELTER_CONDITION:
    case SD_ACTION_READER_FAILS:   /* the reader is the shelter desk's */
      return TRUE;
    default:
      /* Roll-calls, answers, the support list and the faults the HQ
       * receiver plays are HQ's. */
      return FALSE;
    }
}

/* A kiosk restarted: its answers taken on paper before, not entered yet
 * (its own answers are the only ones of their staff to their roll-call). */
static gboolean
find_waiting (SdExerciseEngine  *engine,
              GError           **error)
{
  sqlite3_stmt *stmt;

  g_array_set_size (engine->waiting, 0);
  if (engine->part < 0)
    return TRUE;
  stmt = _sd_store_prepare (engine->store, "SELECT 1 FROM safety_state a JOIN staff s ON s.id = a.staff_id "
                                           "JOIN rollcalls r ON r.id = a.rollcall_id "
                                           "WHERE r.title = ?1 AND s.staff_no = ?2", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < sd_scenario_get_n_injects (engine->scenario); i++)
    {
      const Play *play = &engine->plays[i];

      if (play->inject->action.kind != SD_ACTION_SAFETY_ANSWERS || play->targets == NULL)
        continue;
      for (guint u = 0; u < play->played && u < play->targets->len; u++)
        {
          Step paper = { unit_due (play, u), i, (gint) u };
          int rc;

          if (unit_group (engine, play, u) != engine->part)
            continue;
          sqlite3_bind_text (stmt, 1, play->rollcall, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, g_ptr_array_index (play->targets, u), -1, SQLITE_STATIC);
          rc = _sd_store_step (engine->store, stmt, _("read the exercise"), error);
          sqlite3_reset (stmt);
          if (rc == SQLITE_DONE)
            g_array_append_val (engine->waiting, paper);
          else if (rc != SQLITE_ROW)
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
sd_exercise_engine_set_part (SdExerciseEngine   *engine,
                             const char *const  *groups,
                             int                 part,
                             GError            **error)
{
  guint n_groups = groups != NULL ? g_strv_length ((GStrv) groups) : 0;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (part >= SD_EXERCISE_PART_HQ && part < (int) n_groups, FALSE);

  g_ptr_array_set_size (engine->groups, 0);
  for (guint g = 0; g < n_groups; g++)
    {
      g_auto(GStrv) codes = g_strsplit (groups[g], ",", -1);
      g_autoptr(GString) ids = g_string_new ("[");

      for (guint c = 0; codes[c] != NULL; c++)
        {
          g_autoptr(SdShelter) shelter = sd_store_find_shelter (engine->store, codes[c], error);

          if (shelter == NULL)
            return FALSE;
          g_string_append_printf (ids, "%s\"%s\"", c > 0 ? "," : "", sd_shelter_get_id (shelter));
        }
      g_string_append_c (ids, ']');
      g_ptr_array_add (engine->groups, g_string_free (g_steal_pointer (&ids), FALSE));
    }
  for (guint i = 0; i < sd_scenario_get_n_injects (engine->scenario); i++)
    {
      Play *play = &engine->plays[i];
      const SdAction *action = &play->inject->action;

      play->group = action->shelter != NULL && acts_at_shelter (action->kind) ? group_of (groups, action->shelter)
                                                                             : SD_EXERCISE_PART_HQ;
    }
  g_strfreev (engine->group_codes);
  engine->group_codes = g_strdupv ((GStrv) groups);
  engine->part = part;
  rebuild_steps (engine);
  return find_waiting (engine, error);
}

void
sd_exercise_engine_set_clock_ahead (SdExerciseEngine *engine,
                                    gint64            ahead_ms)
{
  g_return_if_fail (engine != NULL);

  engine->ahead_ms = ahead_ms;
}

void
sd_exercise_engine_set_card_reader (SdExerciseEngine       *engine,
                                    SdExerciseCardReadFunc  read,
                                    gpointer                user_data)
{
  g_return_if_fail (engine != NULL);

  engine->card_read = read;
  engine->card_read_data = user_data;
}

void
sd_exercise_engine_set_scans (SdExerciseEngine *engine,
                              gboolean          scans)
{
  g_return_if_fail (engine != NULL);

  engine->scans = scans;
}

/* The shelters the scenario has opened by now and not closed, by code:
 * where a support-list report may say a person went, whichever desks'
 * batches have reached this one. */
static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
opened_shelters_at (SdExerciseEngine *engine,
                    gint64            at_ms)
{
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);  /* code → its newest Play */
  GPtrArray *codes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer code, value;

  for (guint i = 0; i < sd_scenario_get_n_injects (engine->scenario); i++)
    {
      Play *play = &engine->plays[i];
      SdActionKind kind = play->inject->action.kind;
      const Play *before;

      if ((kind != SD_ACTION_SHELTER_OPEN && kind != SD_ACTION_SHELTER_CLOSE) || play->skipped ||
          play->due > at_ms)
        continue;
      before = g_hash_table_lookup (last, play->inject->action.shelter);
      if (before == NULL || before->due <= play->due)
        g_hash_table_insert (last, (gpointer) play->inject->action.shelter, play);
    }
  g_hash_table_iter_init (&iter, last);
  while (g_hash_table_iter_next (&iter, &code, &value))
    if (((const Play *) value)->inject->action.kind == SD_ACTION_SHELTER_OPEN)
      g_ptr_array_add (codes, code);
  g_ptr_array_sort (codes, compare_codes);
  return codes;
}

/* A unit that found nothing to act on, or that the desk itself would
 * refuse (a closed shelter, a double press): counted, not fatal. */
static gboolean
skip_or_fail (SdExerciseEngine  *engine,
              GError            *local,
              GError           **error)
{
  if (local == NULL)
    return TRUE;
  if (local->domain == SD_STORE_ERROR &&
      (local->code == SD_STORE_ERROR_INVALID || local->code == SD_STORE_ERROR_NOT_FOUND ||
       local->code == SD_STORE_ERROR_EXISTS || local->code == SD_STORE_ERROR_CHANGED))
    {
      g_debug ("exercise: a unit skipped: %s", local->message);
      engine->totals.skipped++;
      g_error_free (local);
      return TRUE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

/* The id in row OFFSET (mod the count) of what COUNT_SQL counts and
 * PICK_SQL lists, both bound to TEXT (?1) and GROUP (?3, when not NULL);
 * NULL when there is none. */
static char *
pick_in (SdStore     *store,
         const char  *count_sql,
         const char  *pick_sql,
         const char  *text,
         const char  *group,
         GRand       *rand)
{
  gint64 n = count_in (store, count_sql, text, group);
  sqlite3_stmt *stmt = NULL;
  char *id = NULL;

  if (n <= 0 || sqlite3_prepare_v2 (_sd_store_get_db (store), pick_sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_rand_int_range (rand, 0, (gint32) MIN (n, G_MAXINT32)));
  if (group != NULL)
    sqlite3_bind_text (stmt, 3, group, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

static char *
pick_one (SdStore     *store,
          const char  *count_sql,
          const char  *pick_sql,
          const char  *text,
          GRand       *rand)
{
  return pick_in (store, count_sql, pick_sql, text, NULL, rand);
}

/* Each card holder's card through the desk's reader, unless the
 * scenario has failed the reader here: then the facts are typed. */
static gboolean
read_cards (SdExerciseEngine  *engine,
            Play              *play,
            Household         *h,
            GError           **error)
{
  if (sd_exercise_fault_now (engine->store, "reader", play->inject->action.shelter))
    {
      engine->totals.card_by_hand += h->n;
      return TRUE;
    }
  for (guint i = 0; i < h->n; i++)
    {
      SdPersonSpec *p = &h->members[i];

      if (!engine->card_read (p, engine->card_read_data, error))
        return FALSE;
      /* Kept with the household's strings: the reader's are its own. */
      p->name = keep (h, g_strdup (p->name));
      p->address = keep (h, g_strdup (p->address));
      p->birth_date = keep (h, g_strdup (p->birth_date));
      engine->totals.card_reads++;
    }
  return TRUE;
}

static gboolean
play_arrival (SdExerciseEngine  *engine,
              Play              *play,
              GRand             *rand,
              guint              unit,
              GError           **error)
{
  const SdAction *action = &play->inject->action;
  Household h = { g_ptr_array_new_with_free_func (g_free) };
  guint size = g_array_index (play->sizes, guint, unit);
  GError *local = NULL;

  /* Ages from the true exercise time: a desk's clock set wrong stamps
   * its records so, but does not change who comes through the door. */
  make_household (&h, rand, size, play->shelter_id, play->shelter_address, engine->start_at + engine->clock,
                  action->cards,
                  action->elsewhere);
  /* People registered before, at another shelter or gone home: the
   * desk's duplicate check finds each, and they are checked in as the
   * same person.  Whom the check does not find is registered anew. */
  if (g_rand_double (rand) < action->duplicates)
    {
      guint found_all = 0;

      for (guint k = 0; k < h.n; k++)
        {
          /* In a drill, among those of this kiosk's shelters only: the
           * same people whenever other kiosks' batches arrive. */
          g_autofree char *known = pick_in (engine->store,
            "SELECT count (*) FROM persons p LEFT JOIN person_state s ON s.person_id = p.id "
            "WHERE p.merged_into IS NULL AND (s.kind IS NULL OR s.kind = 'leave' OR s.shelter_id IS NOT ?1) "
            "  AND (?3 IS NULL OR p.household_id IN (SELECT id FROM households WHERE shelter_id IN "
            "    (SELECT value FROM json_each (?3))))",
            "SELECT p.id FROM persons p LEFT JOIN person_state s ON s.person_id = p.id "
            "WHERE p.merged_into IS NULL AND (s.kind IS NULL OR s.kind = 'leave' OR s.shelter_id IS NOT ?1) "
            "  AND (?3 IS NULL OR p.household_id IN (SELECT id FROM households WHERE shelter_id IN "
            "    (SELECT value FROM json_each (?3)))) "
            "ORDER BY p.id LIMIT 1 OFFSET ?2", play->shelter_id,
            play->group >= 0 && (guint) play->group < engine->groups->len ? g_ptr_array_index (engine->groups, play->group)
                                                                          : NULL, rand);
          g_autoptr(SdPerson) person = known != NULL ? sd_store_get_person (engine->store, known, NULL) : NULL;
          SdPersonSpec spec;
          g_autoptr(GListModel) found = NULL;
          g_autoptr(SdPerson) same = NULL;
          g_autofree char *event = NULL;

          if (person == NULL)
            break;
          spec = (SdPersonSpec) { .name = sd_person_get_name (person), .kana = sd_person_get_kana (person),
                                  .birth_date = sd_person_get_birth_date (person),
                                  .sex = sd_person_get_sex (person) };
          found = sd_store_find_duplicates (engine->store, &spec, sd_person_get_address (person), NULL, &local);
          if (found == NULL || g_list_model_get_n_items (found) == 0)
            {
              g_clear_error (&local);
              break;
            }
          /* The one the desk's list offers that is this person (a
           * namesake registered elsewhere may come first). */
          for (guint f = 0; same == NULL && f < g_list_model_get_n_items (found); f++)
            {
              g_autoptr(SdPerson) item = g_list_model_get_item (found, f);

              if (g_str_equal (sd_person_get_id (item), known))
                same = g_steal_pointer (&item);
            }
          if (same == NULL)
            break;
          event = sd_store_record_event (engine->store, sd_person_get_id (same), SD_EVENT_ARRIVE,
                                         play->shelter_id, NULL, &local);
          if (event == NULL)
            break;
          engine->totals.returning++;
          found_all++;
        }
      if (local != NULL || found_all == h.n)
        {
          g_ptr_array_unref (h.strings);
          return skip_or_fail (engine, local, error);
        }
      /* The rest of the group is new here. */
      memmove (h.members, h.members + found_all, (h.n - found_all) * sizeof h.members[0]);
      h.n -= found_all;
    }
  if (h.card && engine->card_read != NULL && !read_cards (engine, play, &h, error))
    {
      g_ptr_array_unref (h.strings);
      return FALSE;
    }
  {
    g_autofree char *household = sd_store_add_household (engine->store, &h.household, h.members, h.n, NULL, &local);

    if (household != NULL)
      {
        engine->totals.households++;
        engine->totals.persons += h.n;
        engine->totals.card_intakes += h.card ? h.n : 0;
      }
  }
  g_ptr_array_unref (h.strings);
  return skip_or_fail (engine, local, error);
}

static gboolean
play_movement (SdExerciseEngine  *engine,
               Play              *play,
               GRand             *rand,
               GError           **error)
{
  SdActionKind kind = play->inject->action.kind;
  g_autofree char *person = NULL;
  SdEventKind event_kind;
  GError *local = NULL;

  switch (kind)
    {
    case SD_ACTION_CHECKOUTS:
    case SD_ACTION_GOINGS_OUT:
      event_kind = kind == SD_ACTION_CHECKOUTS ? SD_EVENT_LEAVE : SD_EVENT_GO_OUT;
      person = pick_one (engine->store,
        "SELECT count (*) FROM person_state WHERE shelter_id = ?1 AND (kind = 'arrive' OR kind = 'return')",
        "SELECT person_id FROM person_state WHERE shelter_id = ?1 AND (kind = 'arrive' OR kind = 'return') "
        "ORDER BY person_id LIMIT 1 OFFSET ?2", play->shelter_id, rand);
      break;
    case SD_ACTION_RETURNS:
      event_kind = SD_EVENT_RETURN;
      person = pick_one (engine->store,
        "SELECT count (*) FROM person_state WHERE shelter_id = ?1 AND kind = 'go_out'",
        "SELECT person_id FROM person_state WHERE shelter_id = ?1 AND kind = 'go_out' "
        "ORDER BY person_id LIMIT 1 OFFSET ?2", play->shelter_id, rand);
      break;
    default:
      /* Supplies: for those in the shelter and those registered there who
       * stay at home or in a car. */
      event_kind = SD_EVENT_SUPPLY;
#define SUPPLIED \
  "SELECT person_id AS id FROM person_state WHERE shelter_id = ?1 AND (kind = 'arrive' OR kind = 'return') " \
  "UNION ALL SELECT p.id FROM households h JOIN persons p ON p.household_id = h.id " \
  "WHERE h.shelter_id = ?1 AND h.stay != 'shelter' AND p.merged_into IS NULL " \
  "  AND NOT EXISTS (SELECT 1 FROM person_state s WHERE s.person_id = p.id)"
      person = pick_one (engine->store, "SELECT count (*) FROM (" SUPPLIED ")",
                         "SELECT id FROM (" SUPPLIED ") ORDER BY id LIMIT 1 OFFSET ?2", play->shelter_id, rand);
#undef SUPPLIED
      break;
    }
  if (person == NULL)
    {
      engine->totals.skipped++;
      return TRUE;
    }
  if (engine->scans)
    {
      /* As a volunteer with a scanner does: the person's evacuee card,
       * read by the desk's scan path in the mode of the movement. */
      g_autofree char *card = sd_store_issue_card (engine->store, person, &local);
      SdScanSettings settings = { .mode = event_kind, .shelter_id = play->shelter_id };
      g_autoptr(SdScanResult) result = card != NULL ? sd_store_scan (engine->store, card, &settings, &local) : NULL;

      if (result != NULL && result->outcome == SD_SCAN_RECORDED)
        engine->totals.events++;
      else if (result != NULL)
        {
          g_debug ("exercise: a scan refused: %s", result->message != NULL ? result->message : "");
          engine->totals.skipped++;
        }
      return skip_or_fail (engine, local, error);
    }
  {
    g_autofree char *event = sd_store_record_event (engine->store, person, event_kind, play->shelter_id, NULL,
                                                    &local);
    if (event != NULL)
      engine->totals.events++;
  }
  return skip_or_fail (engine, local, error);
}

/* The id of the roll-call titled TITLE: opened by this engine, or reached
 * this desk from HQ.  NULL while this desk does not know it. */
static const char *
rollcall_id (SdExerciseEngine *engine,
             const char       *title)
{
  const char *id;
  sqlite3_stmt *stmt;

  if (title == NULL)
    return NULL;
  if ((id = g_hash_table_lookup (engine->rollcalls, title)) != NULL)
    return id;
  stmt = _sd_store_prepare (engine->store, "SELECT id FROM rollcalls WHERE title = ?1 ORDER BY started_at DESC, id "
                                           "LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_STATIC);
  if (_sd_store_step (engine->store, stmt, _("read the exercise"), NULL) == SQLITE_ROW)
    {
      id = g_strdup (_sd_column_text (stmt, 0));
      g_hash_table_replace (engine->rollcalls, g_strdup (title), (gpointer) id);
    }
  sqlite3_reset (stmt);
  return id;
}

static gboolean
play_safety_answer (SdExerciseEngine  *engine,
                    Play              *play,
                    GRand             *rand,
                    guint              unit,
                    gboolean           may_wait,
                    GError           **error)
{
  const char *rollcall = rollcall_id (engine, play->rollcall);
  const char *staff_no = play->targets != NULL && unit < play->targets->len ? g_ptr_array_index (play->targets, unit)
                                                                            : NULL;
  SdSafetyAnswerSpec spec = { 0 };
  double roll = g_rand_double (rand);
  GError *local = NULL;

  if (staff_no == NULL)
    {
      engine->totals.skipped++;
      return TRUE;
    }
  if (rollcall == NULL)
    {
      /* A kiosk HQ's roll-call has not reached: the staff member's answer
       * waits on paper, to be entered when it comes. */
      if (may_wait && engine->part >= 0)
        {
          Step paper = { engine->clock, (guint) (play - engine->plays), (gint) unit };

          g_array_append_val (engine->waiting, paper);
          engine->totals.answers_on_paper++;
        }
      else if (may_wait)
        engine->totals.skipped++;
      return TRUE;
    }
  spec.staff_no = staff_no;
  spec.safety = roll < 0.9 ? SD_SAFETY_UNHURT : roll < 0.98 ? SD_SAFETY_MINOR : SD_SAFETY_SERIOUS;
  roll = g_rand_double (rand);
  spec.where = roll < 0.7 ? SD_WHERE_HOME : roll < 0.9 ? SD_WHERE_WORK : SD_WHERE_OTHER;
  if (spec.where == SD_WHERE_OTHER)
    spec.where_note = "避難所";
  spec.can_report = spec.safety != SD_SAFETY_SERIOUS && g_rand_double (rand) < 0.85;
  if (spec.can_report)
    {
      spec.means = (SdMeans) g_rand_int_range (rand, SD_MEANS_WALK, SD_MEANS_OTHER);
      spec.arrival = (SdArrival) g_rand_int_range (rand, SD_ARRIVAL_WITHIN_30M, SD_ARRIVAL_OVER_3H + 1);
    }
  spec.via = desk_of (engine, play, unit) >= 0 ? SD_ANSWER_VIA_KIOSK : SD_ANSWER_VIA_WEB;
  {
    g_autofree char *answer = sd_store_record_safety_answer (engine->store, rollcall, &spec, &local);

    if (answer != NULL)
      engine->totals.safety_answers++;
  }
  return skip_or_fail (engine, local, error);
}

static gboolean
play_support_report (SdExerciseEngine  *engine,
                     Play              *play,
                     guint              unit,
                     GError           **error)
{
  const char *person = play->targets != NULL && unit < play->targets->len ? g_ptr_array_index (play->targets, unit)
                                                                          : NULL;
  const char *shelter = NULL;
  SdSupportStatus status;
  GError *local = NULL;

  if (person == NULL)
    {
      engine->totals.skipped++;
      return TRUE;
    }
  status = support_outcome (engine, play, unit, &shelter);
  {
    g_autofree char *report = sd_store_report_support_status (engine->store, person, status, shelter, NULL, NULL,
                                                              SD_SUPPORT_VIA_DESK, &local);
    if (report != NULL)
      engine->totals.support_reports++;
  }
  return skip_or_fail (engine, local, error);
}

static gboolean
play_condition (SdExerciseEngine  *engine,
                Play              *play,
                GError           **error)
{
  const SdAction *action = &play->inject->action;
  SdShelterConditionSpec spec = { .shelter_id = play->shelter_id };
  SdShelterStatus *now = sd_store_compute_shelter_status (engine->store, play->shelter_id, error);
  g_autofree char *id = NULL;

  if (now == NULL)
    return FALSE;
  /* What the inject does not name stays as it was. */
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    spec.lifelines[i] = action->lifelines[i] != SD_LIFELINE_STATE_UNKNOWN ? action->lifelines[i]
                                                                          : now->lifelines[i];
  sd_shelter_status_free (now);
  id = sd_store_record_shelter_condition (engine->store, &spec, error);
  if (id == NULL)
    return FALSE;
  engine->totals.conditions++;
  return TRUE;
}

static gboolean
play_fault (SdExerciseEngine  *engine,
            Play              *play,
            GError           **error)
{
  const SdAction *action = &play->inject->action;
  sqlite3_stmt *stmt = _sd_store_prepare (engine->store,
                                          "INSERT INTO exercise_faults (kind, shelter_id, from_ms, until_ms) "
                                          "VALUES (?1, ?2, ?3, ?4)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, action->kind == SD_ACTION_NETWORK_DOWN ? "network" : "reader", -1, SQLITE_STATIC);
  if (play->shelter_id != NULL)
    sqlite3_bind_text (stmt, 2, play->shelter_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, engine->clock);
  if (action->for_ms > 0)
    sqlite3_bind_int64 (stmt, 4, engine->clock + action->for_ms);
  if (!_sd_store_exec (engine->store, stmt, _("record the exercise"), error))
    return FALSE;
  engine->totals.faults++;
  return TRUE;
}

static gboolean
play_rollcall (SdExerciseEngine  *engine,
               Play              *play,
               GError           **error)
{
  const char *title = play->inject->action.title;
  g_autoptr(SdRollcall) rollcall = sd_store_open_rollcall (engine->store, title, SD_ROLLCALL_DRILL, 0, NULL, error);

  if (rollcall == NULL)
    return FALSE;
  g_hash_table_replace (engine->rollcalls, g_strdup (title), g_strdup (sd_rollcall_get_id (rollcall)));
  return TRUE;
}

/* The inject's row: delivered now; a machine inject for nobody is done
 * when its last unit is. */
static gboolean
mark_inject (SdExerciseEngine  *engine,
             Play              *play,
             gboolean           delivered,
             GError           **error)
{
  sqlite3_stmt *stmt;

  if (delivered)
    stmt = _sd_store_prepare (engine->store, "UPDATE exercise_injects SET state = 'delivered', delivered_ms = ?2 "
                                             "WHERE serial = ?1 AND state = 'pending'", error);
  else
    stmt = _sd_store_prepare (engine->store, "UPDATE exercise_injects SET state = 'done', done_ms = ?2, "
                                             "  done_by = 'machine' WHERE serial = ?1 AND state = 'delivered'",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, play->inject->serial, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, engine->clock);
  return _sd_store_exec (engine->store, stmt, _("record the exercise"), error);
}

/* The unit's generator, its records' ids drawn first from it: the same
 * in a drill's kiosk as on one database, and never those another unit
 * made. */
static GRand *
start_unit (SdExerciseEngine *engine,
            const SdInject   *inject,
            gint              unit)
{
  GRand *rand = unit_rand (engine, inject, unit);
  guint64 high = g_rand_int (rand);

  _sd_store_set_id_seed (engine->store, (high << 32) | g_rand_int (rand));
  return rand;
}

/* The answers a kiosk took on paper, entered once HQ's roll-call has
 * reached it, as they were given. */
static gboolean
enter_waiting (SdExerciseEngine  *engine,
               GError           **error)
{
  for (guint w = 0; w < engine->waiting->len;)
    {
      Step *paper = &g_array_index (engine->waiting, Step, w);
      Play *play = &engine->plays[paper->inject];
      g_autoptr(GRand) rand = NULL;

      if (rollcall_id (engine, play->rollcall) == NULL)
        {
          w++;
          continue;
        }
      rand = start_unit (engine, play->inject, paper->unit);
      if (!play_safety_answer (engine, play, rand, (guint) paper->unit, FALSE, error))
        {
          g_prefix_error (error, _("Inject %s (line %u): "), play->inject->serial, play->inject->line);
          return FALSE;
        }
      g_array_remove_index (engine->waiting, w);
    }
  return TRUE;
}

static gboolean
play_step (SdExerciseEngine  *engine,
           const Step        *step,
           GError           **error)
{
  Play *play = &engine->plays[step->inject];
  const SdInject *inject = play->inject;
  g_autoptr(GRand) rand = NULL;
  gboolean ok;

  engine->clock = step->at_ms;
  if (step->unit < 0)
    {
      engine->totals.injects++;
      if (!mark_inject (engine, play, TRUE, error))
        return FALSE;
      play->delivered = TRUE;
      ok = TRUE;
    }
  else
    {
      gint64 t0 = g_get_monotonic_time ();

      rand = start_unit (engine, inject, step->unit);
      switch (inject->action.kind)
        {
        case SD_ACTION_SHELTER_OPEN:
        case SD_ACTION_SHELTER_CLOSE:
          ok = sd_store_set_shelter_open (engine->store, play->shelter_id,
                                          inject->action.kind == SD_ACTION_SHELTER_OPEN, error);
          break;
        case SD_ACTION_ARRIVALS:
          ok = play_arrival (engine, play, rand, (guint) step->unit, error);
          break;
        case SD_ACTION_CHECKOUTS:
        case SD_ACTION_GOINGS_OUT:
        case SD_ACTION_RETURNS:
        case SD_ACTION_SUPPLY_PICKUPS:
          ok = play_movement (engine, play, rand, error);
          break;
        case SD_ACTION_ROLLCALL:
          ok = play_rollcall (engine, play, error);
          break;
        case SD_ACTION_SAFETY_ANSWERS:
          ok = play_safety_answer (engine, play, rand, (guint) step->unit, TRUE, error);
          break;
        case SD_ACTION_SUPPORT_STATUS:
          ok = play_support_report (engine, play, (guint) step->unit, error);
          break;
        case SD_ACTION_SHELTER_CONDITION:
          ok = play_condition (engine, play, error);
          break;
        case SD_ACTION_NETWORK_DOWN:
        case SD_ACTION_READER_FAILS:
          ok = play_fault (engine, play, error);
          break;
        case SD_ACTION_NONE:
        default:
          ok = TRUE;
          break;
        }
      /* Units before it are played, or another desk's in a drill. */
      play->played = (guint) step->unit + 1;
      engine->spent_us[inject->action.kind] += g_get_monotonic_time () - t0;
      if (ok)
        {
          sqlite3_stmt *stmt = _sd_store_prepare (engine->store, "UPDATE exercise_injects SET played = ?2 "
                                                                 "WHERE serial = ?1", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, inject->serial, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, play->played);
          ok = _sd_store_exec (engine->store, stmt, _("record the exercise"), error);
        }
    }
  if (!ok)
    {
      g_prefix_error (error, _("Inject %s (line %u): "), inject->serial, inject->line);
      return FALSE;
    }
  /* Nobody to act but the machine: done with its last unit. */
  if (*inject->recipient == '\0' && inject->action.kind != SD_ACTION_NONE && play->played == play->units)
    return mark_inject (engine, play, FALSE, error);
  return TRUE;
}

/* As fast as possible (ANCHOR), exercise time is where the engine is;
 * at a pace, the facilitator's clock decides and is left alone. */
static gboolean
save_clock (SdExerciseEngine  *engine,
            gboolean           ended,
            gboolean           anchor,
            GError           **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (engine->store,
                                          "UPDATE exercise_run SET "
                                          "  clock_ms = CASE WHEN ?4 OR ?3 THEN ?1 ELSE clock_ms END, "
                                          "  wall_at = CASE WHEN ?4 OR ?3 THEN ?2 ELSE wall_at END, "
                                          "  state = CASE WHEN ?3 THEN 'ended' ELSE state END WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, engine->clock);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_int (stmt, 3, ended);
  sqlite3_bind_int (stmt, 4, anchor);
  return _sd_store_exec (engine->store, stmt, _("record the exercise"), error);
}

gboolean
sd_exercise_engine_run_until (SdExerciseEngine  *engine,
                              gint64             until_ms,
                              gboolean           batch,
                              GError           **error)
{
  g_autoptr(SdTxn) txn = NULL;

  g_return_val_if_fail (engine != NULL, FALSE);

  if (batch)
    {
      txn = _sd_store_begin (engine->store, error);
      if (txn == NULL)
        return FALSE;
    }
  /* What another engine on the file played meanwhile (two runs started
   * together: the second finds it all played) is not played again. */
  if (!follow_file (engine, FALSE, error) || !enter_waiting (engine, error))
    return FALSE;
  while (engine->next < engine->steps->len)
    {
      const Step *step = &g_array_index (engine->steps, Step, engine->next);
      g_autoptr(SdTxn) one = NULL;

      if (step->at_ms > until_ms)
        break;
      /* Each unit with its progress, in one transaction: a power cut
       * never plays a unit twice or loses one. */
      if (!batch && (one = _sd_store_begin (engine->store, error)) == NULL)
        return FALSE;
      if (!play_step (engine, step, error))
        return FALSE;
      if (one != NULL && !_sd_txn_commit (g_steal_pointer (&one), error))
        return FALSE;
      engine->next++;
    }
  engine->clock = MAX (engine->clock, MIN (until_ms, MAX (engine->end, engine->clock)));
  for (guint k = 0; k < G_N_ELEMENTS (engine->spent_us); k++)
    if (engine->spent_us[k] > 0)
      g_debug ("exercise: %s: %.0f ms so far", sd_exercise_action_verb ((SdActionKind) k), engine->spent_us[k] / 1000.0);
  if (!save_clock (engine, sd_exercise_engine_is_done (engine), batch, error))
    return FALSE;
  return txn == NULL || _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_exercise_engine_run_all (SdExerciseEngine  *engine,
                            GError           **error)
{
  return sd_exercise_engine_run_until (engine, G_MAXINT64, TRUE, error);
}

gboolean
sd_exercise_engine_tick (SdExerciseEngine  *engine,
                         GError           **error)
{
  SdExerciseClock clock;
  gboolean ok = TRUE;

  g_return_val_if_fail (engine != NULL, FALSE);

  if (!sd_exercise_get_clock (engine->store, &clock, error))
    return FALSE;
  if (clock.state == SD_EXERCISE_RUNNING && !sd_exercise_engine_is_done (engine))
    {
      if (clock.speed == 0)
        {
          /* A slice, so desks watching see it fill and the facilitator
           * can pause. */
          ok = follow_file (engine, FALSE, error);
          if (ok)
            {
              guint last = MIN (engine->next + 200, engine->steps->len) - 1;

              ok = sd_exercise_engine_run_until (engine, g_array_index (engine->steps, Step, last).at_ms, TRUE,
                                                 error);
            }
        }
      else
        ok = sd_exercise_engine_run_until (engine, sd_exercise_clock_now (&clock, g_get_real_time () / 1000),
                                           FALSE, error);
    }
  sd_exercise_clock_clear (&clock);
  return ok;
}

gint64
sd_exercise_engine_get_clock (SdExerciseEngine *engine)
{
  return engine->clock;
}

guint64
sd_exercise_engine_get_seed (SdExerciseEngine *engine)
{
  return engine->seed;
}

gint64
sd_exercise_engine_get_end (SdExerciseEngine *engine)
{
  return engine->end;
}

gboolean
sd_exercise_engine_is_done (SdExerciseEngine *engine)
{
  return engine->next >= engine->steps->len && engine->waiting->len == 0;
}

guint
sd_exercise_engine_get_n_waiting (SdExerciseEngine *engine)
{
  g_return_val_if_fail (engine != NULL, 0);
  return engine->waiting->len;
}

const SdExerciseTotals *
sd_exercise_engine_get_totals (SdExerciseEngine *engine)
{
  return &engine->totals;
}
