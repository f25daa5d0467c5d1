/* test-person.c: search in every script, duplicates, "same person", the enquiry desk, stays, history.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>

typedef struct {
  char      *dir;
  SdStore   *store;
  SdShelter *shelter;
  GPtrArray *yamada;   /* 山田 太郎, 山田 花子 */
  char      *nguyen;   /* NGUYEN VAN AN, consented to nothing */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *h1 = NULL, *h2 = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  SdShelterSpec shelter = { "S01", "みなと川市立東小学校", SD_SHELTER_KIND_DESIGNATED, 2, NULL };

  f->dir = g_dir_make_tmp ("sd-person-XXXXXX", NULL);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->shelter = sd_store_add_shelter (f->store, &shelter, &error);
  g_assert_no_error (error);

  {
    SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_SHELTER,
                          .address = "みなと川市東町1-2-3", .phone = "090-1234-5678" };
    SdPersonSpec m[] = {
      { .name = "山田 太郎", .kana = "やまだ たろう", .birth_date = "昭和25年1月6日", .sex = SD_SEX_MALE,
        .consent_disclose = TRUE, .care_level = SD_CARE_2, .illness = "高血圧（降圧薬）" },
      { .name = "山田 花子", .kana = "ヤマダ ハナコ", .birth_date = "1952-03-04", .sex = SD_SEX_FEMALE,
        .allergies = "えび", .language = "ja" },
    };
    f->yamada = g_ptr_array_new_with_free_func (g_free);
    h1 = sd_store_add_household (f->store, &h, m, 2, f->yamada, &error);
    g_assert_no_error (error);
  }
  {
    SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_VEHICLE,
                          .vehicle_plate = "みなと 500 あ 12-34", .phone = "080-0000-9876",
                          .pets = "犬", .pets_count = 1 };
    SdPersonSpec m[] = {
      { .name = "ＮＧＵＹＥＮ ＶＡＮ ＡＮ", .birth_date = "1990-07-15", .sex = SD_SEX_MALE, .language = "vi" },
    };
    h2 = sd_store_add_household (f->store, &h, m, 1, ids, &error);
    g_assert_no_error (error);
    f->nguyen = g_strdup (g_ptr_array_index (ids, 0));
  }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->shelter);
  g_clear_object (&f->store);
  g_clear_pointer (&f->yamada, g_ptr_array_unref);
  g_free (f->nguyen);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* A count from SQL with one text parameter. */
static gint64
raw_count (Fixture *f, const char *sql, const char *param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static guint
count_hits (Fixture *f, const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = sd_store_search_persons (f->store, query, 50, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (hits);
}

static char *
first_hit_name (Fixture *f, const char *query)
{
  g_autoptr(GListModel) hits = sd_store_search_persons (f->store, query, 50, NULL);
  g_autoptr(SdPerson) p = NULL;

  if (g_list_model_get_n_items (hits) == 0)
    return NULL;
  p = g_list_model_get_item (hits, 0);
  return g_strdup (sd_person_get_name (p));
}

static void
test_search_every_script (Fixture *f, gconstpointer data)
{
  static const char *both_yamadas[] = {
    "山田", "山", "やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "yama", "ｙａｍａ", "YAMADA",
  };
  g_autofree char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (both_yamadas); i++)
    g_assert_cmpuint (count_hits (f, both_yamadas[i]), ==, 2);

  /* Given names, in kana of either kind and width. */
  name = first_hit_name (f, "ﾀﾛｳ");
  g_assert_cmpstr (name, ==, "山田 太郎");
  g_clear_pointer (&name, g_free);
  name = first_hit_name (f, "はなこ");
  g_assert_cmpstr (name, ==, "山田 花子");
  g_clear_pointer (&name, g_free);
  name = first_hit_name (f, "太郎");
  g_assert_cmpstr (name, ==, "山田 太郎");
  g_clear_pointer (&name, g_free);

  /* Latin in either width and case: a foreign resident's name. */
  g_assert_cmpuint (count_hits (f, "nguyen"), ==, 1);
  g_assert_cmpuint (count_hits (f, "NGU"), ==, 1);
  g_assert_cmpuint (count_hits (f, "van an"), ==, 1);

  /* Spaces typed or not. */
  g_assert_cmpuint (count_hits (f, "やまだ　たろう"), ==, 1);
  g_assert_cmpuint (count_hits (f, "やまだたろう"), ==, 1);
}

static char *
add_one (Fixture    *f,
         const char *name,
         const char *kana)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household = NULL;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_HOME };
  SdPersonSpec m = { .name = name, .kana = kana, .sex = SD_SEX_UNKNOWN };

  household = sd_store_add_household (f->store, &h, &m, 1, ids, &error);
  g_assert_no_error (error);
  return g_strdup (g_ptr_array_index (ids, 0));
}

/* Whether QUERY finds the person PERSON_ID. */
static gboolean
finds (Fixture    *f,
       const char *query,
       const char *person_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) hits = sd_store_search_persons (f->store, query, 50, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (hits); i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (hits, i);

      if (g_strcmp0 (sd_person_get_id (p), person_id) == 0)
        return TRUE;
    }
  g_test_message ("“%s” does not find %s", query, person_id);
  return FALSE;
}

static void
test_search_however_typed (Fixture *f, gconstpointer data)
{
  /* A family register's glyph: 葛 with a variation selector. */
  g_autofree char *katsuragi = add_one (f, "葛\U000E0100城 美咲", "かつらぎ みさき");
  g_autofree char *zoe = add_one (f, "Zoé MARTIN", NULL);
  g_autofree char *ken = add_one (f, "Yamada Ken", NULL);
  g_autofree char *sato = add_one (f, "佐藤 真一", "ｻﾄｳ ｼﾝｲﾁ");
  g_autofree char *hattori = add_one (f, "服部 千佳", "はっとり ちか");
  g_autofree char *junya = add_one (f, "大野 潤也", "おおの じゅんや");
  const char *taro = g_ptr_array_index (f->yamada, 0);
  const char *hanako = g_ptr_array_index (f->yamada, 1);

  g_assert_true (finds (f, "葛城", katsuragi));
  g_assert_true (finds (f, "葛\U000E0100城", katsuragi));
  g_assert_true (finds (f, "美咲", katsuragi));
  g_assert_true (finds (f, "katsuragi", katsuragi));
  g_assert_true (finds (f, "katuragi", katsuragi));

  /* Accents typed or not, and the other way round. */
  g_assert_true (finds (f, "Zoe", zoe));
  g_assert_true (finds (f, "zoé", zoe));
  g_assert_true (finds (f, "ZOE MARTIN", zoe));
  g_assert_true (finds (f, "martin", zoe));

  /* Romaji finds kana, in Hepburn or kunrei, as it is being typed. */
  for (const char *const *q = (const char *const[]) { "yamada", "Yamada", "YAMADA", "yam", "ｙａｍ", NULL }; *q; q++)
    {
      g_assert_true (finds (f, *q, taro));
      g_assert_true (finds (f, *q, hanako));
      g_assert_true (finds (f, *q, ken));
    }
  g_assert_true (finds (f, "yamada tarou", taro));
  g_assert_true (finds (f, "yamada taro", taro));
  g_assert_true (finds (f, "Tarō", taro));
  g_assert_true (finds (f, "hanako", hanako));
  g_assert_cmpuint (count_hits (f, "yamada hanako"), ==, 1);
  for (const char *const *q = (const char *const[]) { "satou", "sato", "satō", "satoo", "sato shinichi",
                                                      "shin'ichi", "shinichi", "siniti", NULL }; *q; q++)
    g_assert_true (finds (f, *q, sato));
  for (const char *const *q = (const char *const[]) { "hattori", "hattori chika", "tika", "chika", NULL }; *q; q++)
    g_assert_true (finds (f, *q, hattori));
  for (const char *const *q = (const char *const[]) { "ohno", "oono", "ōno", "ono junya", "jun'ya",
                                                      "zyunya", NULL }; *q; q++)
    g_assert_true (finds (f, *q, junya));

  /* And kana finds a name stored in romaji. */
  g_assert_true (finds (f, "やまだ", ken));
  g_assert_true (finds (f, "ヤマダ ケン", ken));
  g_assert_true (finds (f, "ﾔﾏﾀﾞ", ken));
  g_assert_true (finds (f, "けん", ken));
  g_assert_true (finds (f, "ゾエ", zoe));

  /* Still no match where none is meant. */
  g_assert_cmpuint (count_hits (f, "yamamoto"), ==, 0);
  g_assert_cmpuint (count_hits (f, "katsuo"), ==, 0);
  g_assert_true (sd_store_check (f->store, NULL));
}

static void
test_search_phone_and_birth (Fixture *f, gconstpointer data)
{
  /* Members without a phone of their own are found by the household's. */
  g_assert_cmpuint (count_hits (f, "090"), ==, 2);
  g_assert_cmpuint (count_hits (f, "０９０－１２３４"), ==, 2);
  g_assert_cmpuint (count_hits (f, "5678"), ==, 2);  /* last four */
  g_assert_cmpuint (count_hits (f, "9876"), ==, 1);
  g_assert_cmpuint (count_hits (f, "0800000"), ==, 1);

  g_assert_cmpuint (count_hits (f, "1950-01-06"), ==, 1);
  g_assert_cmpuint (count_hits (f, "19500106"), ==, 1);
  g_assert_cmpuint (count_hits (f, "S25.1.6"), ==, 1);
  g_assert_cmpuint (count_hits (f, "昭和25年1月6日"), ==, 1);
}

static void
test_search_nothing (Fixture *f, gconstpointer data)
{
  g_assert_cmpuint (count_hits (f, ""), ==, 0);
  g_assert_cmpuint (count_hits (f, "   "), ==, 0);
  g_assert_cmpuint (count_hits (f, "佐藤"), ==, 0);
  g_assert_cmpuint (count_hits (f, "\xff\xfe"), ==, 0);
  g_assert_cmpuint (count_hits (f, "%"), ==, 0);
  g_assert_cmpuint (count_hits (f, "' OR 1=1 --"), ==, 0);
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdPersonSpec same_name = { .name = "山田　太郎", .birth_date = "1950/1/6" };
  SdPersonSpec same_kana = { .name = "山⽥ 太朗", .kana = "ﾔﾏﾀﾞ ﾀﾛｳ", .birth_date = "S25.1.6" };
  SdPersonSpec other_birth = { .name = "山田 太郎", .birth_date = "1960-01-06" };
  SdPersonSpec no_birth = { .name = "山田 太郎" };
  g_autoptr(GListModel) a = sd_store_find_duplicates (f->store, &same_name, NULL, NULL, &error);
  g_autoptr(GListModel) b = sd_store_find_duplicates (f->store, &same_kana, "みなと川市東町１－２－３", NULL, &error);
  g_autoptr(GListModel) c = sd_store_find_duplicates (f->store, &same_kana, "別の町", NULL, &error);
  g_autoptr(GListModel) d = sd_store_find_duplicates (f->store, &other_birth, NULL, NULL, &error);
  g_autoptr(GListModel) e = sd_store_find_duplicates (f->store, &no_birth, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (b), ==, 1);  /* kana + birth + address */
  g_assert_cmpuint (g_list_model_get_n_items (c), ==, 0);  /* kana + birth, other address */
  g_assert_cmpuint (g_list_model_get_n_items (d), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (e), ==, 0);
}

/* A placeholder birth date given to a crowd of namesakes: the check reads
 * SD_DUPLICATES_EXAMINED of them and says it stopped there. */
static void
test_duplicates_capped (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_HOME };
  SdPersonSpec crowd = { .name = "佐藤 翔太", .kana = "さとう しょうた", .birth_date = "2000-01-01" };
  SdPersonSpec other_name = { .name = "佐藤 健", .birth_date = "2000-01-01" };
  gboolean capped = TRUE;

  for (guint n = 1; n <= SD_DUPLICATES_EXAMINED + 1; n++)
    {
      g_autoptr(GListModel) found = NULL;
      g_autofree char *id = sd_store_add_household (f->store, &h, &crowd, 1, NULL, &error);

      g_assert_no_error (error);
      if (n < SD_DUPLICATES_EXAMINED)
        continue;
      found = sd_store_find_duplicates (f->store, &crowd, NULL, &capped, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (found), ==, MIN (n, SD_DUPLICATES_EXAMINED));
      g_assert_cmpint (capped, ==, n > SD_DUPLICATES_EXAMINED);
    }

  /* Born that day with another name: none of them is a candidate. */
  {
    g_autoptr(GListModel) found = sd_store_find_duplicates (f->store, &other_name, NULL, &capped, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
    g_assert_false (capped);
  }
}

static void
test_same_person_moved_on_purpose (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdPerson) taro = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autofree char *household = NULL;
  SdStoreCounts before, after;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_HOME,
                        .address = "みなと川市西町5-6" };
  SdPersonSpec m[] = {
    { .name = "山田 一郎", .birth_date = "1980-05-05", .sex = SD_SEX_MALE },
    { .existing_id = g_ptr_array_index (f->yamada, 0), .move_household = TRUE, .phone = "070-1111-2222",
      .care_level = SD_CARE_3 },
  };

  g_assert_true (sd_store_get_counts (f->store, &before, NULL));
  household = sd_store_add_household (f->store, &h, m, 2, ids, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_counts (f->store, &after, NULL));
  g_assert_cmpuint (after.persons, ==, before.persons + 1);  /* one new, one joined */
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, g_ptr_array_index (f->yamada, 0));

  taro = sd_store_get_person (f->store, g_ptr_array_index (f->yamada, 0), &error);
  g_assert_cmpstr (sd_person_get_household_id (taro), ==, household);
  g_assert_cmpstr (sd_person_get_name (taro), ==, "山田 太郎");           /* kept */
  g_assert_cmpstr (sd_person_get_illness (taro), ==, "高血圧(降圧薬)");     /* kept */
  g_assert_cmpstr (sd_person_get_phone (taro), ==, "070-1111-2222");       /* written */
  g_assert_cmpint (sd_person_get_care_level (taro), ==, SD_CARE_3);
  g_assert_cmpint (sd_person_get_stay (taro), ==, SD_STAY_HOME);
  g_assert_true (sd_person_get_consent_disclose (taro));                   /* not taken back */

  members = sd_store_list_household_members (f->store, household, &error);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 2);

  /* The new phone finds him; the search keys followed the change. */
  g_assert_cmpuint (count_hits (f, "2222"), ==, 1);
  g_assert_true (sd_store_check (f->store, &error));
}

/* Issue 12, 1: 山田 太郎 registered again alone, with no address, and
 * the volunteer answers "same person": nothing known is lost.  He stays
 * in his household (no new empty one is made), keeps its address and
 * phone, his consent and his needs, and is checked in. */
static void
test_same_person_keeps_what_is_known (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdPerson) before = sd_store_get_person (f->store, g_ptr_array_index (f->yamada, 0), NULL);
  g_autoptr(SdPerson) taro = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autofree char *household = NULL;
  SdStoreCounts counts_before, counts_after;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_SHELTER, .check_in = TRUE };
  SdPersonSpec again = { .name = "山田 太郎", .birth_date = "S25.1.6", .sex = SD_SEX_MALE,
                         .existing_id = g_ptr_array_index (f->yamada, 0) };

  g_assert_true (sd_store_get_counts (f->store, &counts_before, NULL));
  household = sd_store_add_household (f->store, &h, &again, 1, ids, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_counts (f->store, &counts_after, NULL));
  g_assert_cmpuint (counts_after.households, ==, counts_before.households);
  g_assert_cmpuint (counts_after.persons, ==, counts_before.persons);
  g_assert_cmpstr (household, ==, sd_person_get_household_id (before));

  taro = sd_store_get_person (f->store, g_ptr_array_index (f->yamada, 0), &error);
  g_assert_cmpstr (sd_person_get_household_id (taro), ==, sd_person_get_household_id (before));
  g_assert_cmpstr (sd_person_get_address (taro), ==, "みなと川市東町1-2-3");
  g_assert_cmpstr (sd_person_get_phone (taro), ==, "090-1234-5678");
  g_assert_cmpstr (sd_person_get_kana (taro), ==, "やまだ たろう");
  g_assert_cmpstr (sd_person_get_illness (taro), ==, sd_person_get_illness (before));
  g_assert_cmpint (sd_person_get_care_level (taro), ==, SD_CARE_2);
  g_assert_true (sd_person_get_consent_disclose (taro));
  g_assert_cmpint (sd_person_get_status (taro), ==, SD_PERSON_STATUS_IN);
  members = sd_store_list_household_members (f->store, household, &error);
  g_assert_cmpuint (g_list_model_get_n_items (members), ==, 2);  /* with 花子 still */
  g_assert_true (sd_store_check_deep (f->store, &error));
  g_assert_no_error (error);
}

/* Someone registered who keeps their household, with a new member: the
 * new household is the new member's, and they represent it. */
static void
test_same_person_with_someone_new (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdPerson) taro = NULL;
  g_autoptr(SdPerson) jiro = NULL;
  g_autofree char *household = NULL;
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter), .stay = SD_STAY_SHELTER };
  SdPersonSpec m[] = {
    { .name = "山田 太郎", .birth_date = "1950-01-06", .existing_id = g_ptr_array_index (f->yamada, 0) },
    { .name = "山田 次郎", .birth_date = "1985-02-02" },
  };

  household = sd_store_add_household (f->store, &h, m, 2, ids, &error);
  g_assert_no_error (error);
  taro = sd_store_get_person (f->store, g_ptr_array_index (ids, 0), &error);
  jiro = sd_store_get_person (f->store, g_ptr_array_index (ids, 1), &error);
  g_assert_cmpstr (sd_person_get_household_id (jiro), ==, household);
  g_assert_cmpstr (sd_person_get_household_id (taro), !=, household);
  g_assert_cmpint (raw_count (f, "SELECT count (*) FROM households WHERE representative_id = ?1",
                              g_ptr_array_index (ids, 1)), ==, 1);
  g_assert_true (sd_store_check (f->store, &error));
}

static void
test_enquiry_discloses_only_with_consent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) yamada = sd_store_enquire (f->store, "やまだ", &error);
  g_autoptr(GListModel) nguyen = sd_store_enquire (f->store, "Nguyen", &error);
  g_autoptr(GListModel) nobody = sd_store_enquire (f->store, "佐藤", &error);
  g_autoptr(SdPerson) only = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (yamada), ==, 1);
  only = g_list_model_get_item (yamada, 0);
  g_assert_true (sd_person_get_consent_disclose (only));
  /* Here but not consented, and not here at all, look the same. */
  g_assert_cmpuint (g_list_model_get_n_items (nguyen), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (nobody), ==, 0);
}

static void
test_stays_counted_apart (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *sid = sd_shelter_get_id (f->shelter);
  SdStayCounts c;
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;

  e1 = sd_store_record_event (f->store, g_ptr_array_index (f->yamada, 0), SD_EVENT_ARRIVE, sid, NULL, &error);
  e2 = sd_store_record_event (f->store, g_ptr_array_index (f->yamada, 1), SD_EVENT_ARRIVE, sid, NULL, &error);
  e3 = sd_store_record_event (f->store, g_ptr_array_index (f->yamada, 1), SD_EVENT_GO_OUT, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (sd_store_count_stays (f->store, sid, &c, &error));
  g_assert_cmpuint (c.in_shelter, ==, 1);
  g_assert_cmpuint (c.out_now, ==, 1);
  g_assert_cmpuint (c.in_vehicle, ==, 1);
  g_assert_cmpuint (c.at_home, ==, 0);
  g_assert_cmpuint (sd_store_count_occupancy (f->store, sid, NULL), ==, 2);

  /* One more arrival puts the shelter over its capacity of 2: a warning
   * for people, never a refusal. */
  e4 = sd_store_record_event (f->store, f->nguyen, SD_EVENT_ARRIVE, sid, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdShelter) s = sd_store_find_shelter (f->store, "S01", &error);
    g_assert_true (sd_shelter_get_over_capacity (s));
  }
  /* Arrived: counted in the shelter now, no longer in the vehicle. */
  g_assert_true (sd_store_count_stays (NULL == f ? NULL : f->store, NULL, &c, &error));
  g_assert_cmpuint (c.in_shelter, ==, 2);
}

static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(SdPersonEvent) newest = NULL;
  g_autoptr(SdStaff) staff = NULL;
  SdStaffSpec staff_spec = { "1001", "受付 係", NULL, NULL, NULL, NULL, SD_ROLE_VOLUNTEER };
  const char *sid = sd_shelter_get_id (f->shelter);
  const char *taro = g_ptr_array_index (f->yamada, 0);
  SdEventKind kinds[] = { SD_EVENT_ARRIVE, SD_EVENT_GO_OUT, SD_EVENT_RETURN, SD_EVENT_SUPPLY, SD_EVENT_LEAVE };

  staff = sd_store_add_staff (f->store, &staff_spec, NULL, &error);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *id = sd_store_record_event (f->store, taro, kinds[i], i == 0 ? sid : NULL,
                                                   sd_staff_get_id (staff), &error);
      g_assert_no_error (error);
    }
  history = sd_store_list_person_events (f->store, taro, &error);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 5);
  newest = g_list_model_get_item (history, 0);
  g_assert_cmpint (sd_person_event_get_kind (newest), ==, SD_EVENT_LEAVE);
  g_assert_cmpstr (sd_person_event_get_staff_name (newest), ==, "受付 係");
  g_assert_cmpstr (sd_person_event_get_shelter_code (newest), ==, "S01");
}

static void
test_state_follows_newest_event_in_any_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPerson) p = NULL;
  const char *taro = g_ptr_array_index (f->yamada, 0);
  const char *sid = sd_shelter_get_id (f->shelter);
  g_autofree char *e1 = sd_store_record_event (f->store, taro, SD_EVENT_ARRIVE, sid, NULL, &error);
  g_autofree char *sql = NULL;
  sqlite3 *db = _sd_store_get_db (f->store);

  /* An older "leave" from another kiosk arrives late (as a sync would
   * apply it, with capture off): it must not change where he is now. */
  _sd_store_set_capture (f->store, FALSE);
  sql = g_strdup_printf ("INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) "
                         "VALUES ('old', '%s', '%s', 'leave', 0, 1)", taro, sid);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  _sd_store_set_capture (f->store, TRUE);

  p = sd_store_get_person (f->store, taro, &error);
  g_assert_cmpint (sd_person_get_status (p), ==, SD_PERSON_STATUS_IN);
}

static void
test_needs_round_trip_and_bad_values (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPerson) hanako = sd_store_get_person (f->store, g_ptr_array_index (f->yamada, 1), &error);
  g_autoptr(SdPerson) taro = sd_store_get_person (f->store, g_ptr_array_index (f->yamada, 0), &error);
  SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (f->shelter) };
  SdPersonSpec bad_language = { .name = "テスト", .language = "日本語" };
  SdPersonSpec bad_illness = { .name = "テスト", .illness = "a\x01" };
  g_autofree char *id = NULL;

  g_assert_cmpstr (sd_person_get_allergies (hanako), ==, "えび");
  g_assert_cmpstr (sd_person_get_language (hanako), ==, "ja");
  g_assert_cmpint (sd_person_get_care_level (taro), ==, SD_CARE_2);
  g_assert_cmpstr (sd_person_get_kana (taro), ==, "やまだ たろう");
  g_assert_cmpstr (sd_person_get_shelter_name (taro), ==, "みなと川市立東小学校");

  id = sd_store_add_household (f->store, &h, &bad_language, 1, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_clear_error (&error);
  id = sd_store_add_household (f->store, &h, &bad_illness, 1, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/person/search/every-script", test_search_every_script);
  ADD ("/person/search/however-typed", test_search_however_typed);
  ADD ("/person/search/phone-and-birth", test_search_phone_and_birth);
  ADD ("/person/search/nothing", test_search_nothing);
  ADD ("/person/duplicates", test_duplicates);
  ADD ("/person/duplicates-capped", test_duplicates_capped);
  ADD ("/person/same-person-moved-on-purpose", test_same_person_moved_on_purpose);
  ADD ("/person/same-person-keeps-what-is-known", test_same_person_keeps_what_is_known);
  ADD ("/person/same-person-with-someone-new", test_same_person_with_someone_new);
  ADD ("/person/enquiry-discloses-only-with-consent", test_enquiry_discloses_only_with_consent);
  ADD ("/person/stays-counted-apart", test_stays_counted_apart);
  ADD ("/person/history", test_history);
  ADD ("/person/state-follows-newest-event", test_state_follows_newest_event_in_any_order);
  ADD ("/person/needs-and-bad-values", test_needs_round_trip_and_bad_values);
#undef ADD
  return g_test_run ();
}
