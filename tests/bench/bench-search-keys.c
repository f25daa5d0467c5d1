/* bench-search-keys.c: making the search keys of an import's persons, against the code that made them before.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch import of 44 000 new persons computes every person's search
 * keys (_sd_person_search_key_list), and so do every intake save and
 * `check --deep`.  This times the live function on 44 000 persons of the
 * shapes a city's records have (kanji names with full-width kana, the
 * welfare system's half-width kana, romaji and accented names of foreign
 * residents), shape by shape and mixed, against the frozen copy of the
 * code that made the keys already stored (tests/unit/
 * sd-search-keys-reference.c), which gives the same keys: the floor,
 * measured in the same run.  CPU time of this thread, median of 5 runs,
 * after a warm-up that fills both transliteration caches.  Prints a
 * table; never asserts on time.  SD_BENCH_KEYS_PERSONS sets the size.
 */
#include "../unit/sd-search-keys-reference.h"
#include "sd-store-private.h"

#include <time.h>

#define RUNS 5

typedef struct {
  char *name, *kana, *phone, *birth_date;
} Person;

typedef GPtrArray *(*KeyListFunc) (const char *, const char *, const char *, const char *);

static const char *const family[][3] = {
  { "山田", "ヤマダ", "ﾔﾏﾀﾞ" }, { "佐藤", "サトウ", "ｻﾄｳ" }, { "佐々木", "ササキ", "ｻｻｷ" },
  { "鈴木", "スズキ", "ｽｽﾞｷ" }, { "髙橋", "タカハシ", "ﾀｶﾊｼ" }, { "中山", "ナカヤマ", "ﾅｶﾔﾏ" },
  { "伊藤", "イトウ", "ｲﾄｳ" }, { "渡辺", "ワタナベ", "ﾜﾀﾅﾍﾞ" }, { "小野", "オノ", "ｵﾉ" },
  { "大野", "オオノ", "ｵｵﾉ" }, { "齋藤", "サイトウ", "ｻｲﾄｳ" }, { "岡田", "オカダ", "ｵｶﾀﾞ" },
};
static const char *const given[][3] = {
  { "太郎", "タロウ", "ﾀﾛｳ" }, { "花子", "ハナコ", "ﾊﾅｺ" }, { "正雄", "マサオ", "ﾏｻｵ" },
  { "洋子", "ヨウコ", "ﾖｳｺ" }, { "光男", "ミツオ", "ﾐﾂｵ" }, { "照子", "テルコ", "ﾃﾙｺ" },
  { "美代子", "ミヨコ", "ﾐﾖｺ" }, { "順也", "ジュンヤ", "ｼﾞｭﾝﾔ" }, { "悦子", "エツコ", "ｴﾂｺ" },
  { "翔太", "ショウタ", "ｼｮｳﾀ" }, { "葵", "アオイ", "ｱｵｲ" }, { "秀樹", "ヒデキ", "ﾋﾃﾞｷ" },
};
static const char *const foreign[][2] = {
  { "NGUYEN VAN AN", "グエン ヴァン アン" }, { "Nguyễn Thị Lan", "グエン ティ ラン" },
  { "Zoé Martin", "ゾエ マルタン" }, { "Łukasz Nowak", "ウカシュ ノヴァク" },
  { "Maria Santos", "マリア サントス" }, { "TRAN VAN BINH", "チャン・ヴァン・ビン" },
  { "José García", "ホセ ガルシア" }, { "Kim Min-jun", "キム ミンジュン" },
};

static Person *
make_persons (guint n, guint shape)
{
  Person *persons = g_new0 (Person, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (44000 + shape);

  for (guint i = 0; i < n; i++)
    {
      Person *p = &persons[i];
      guint f = g_rand_int_range (rand, 0, G_N_ELEMENTS (family));
      guint g = g_rand_int_range (rand, 0, G_N_ELEMENTS (given));
      /* The mix: 3 in 4 kanji and full-width kana, 1 in 6 from the
       * welfare system's half-width kana, the rest foreign residents. */
      guint s = shape != 3 ? shape : (i % 12 < 9 ? 0 : i % 12 < 11 ? 1 : 2);

      if (s == 2)
        {
          guint k = g_rand_int_range (rand, 0, G_N_ELEMENTS (foreign));

          p->name = g_strdup (foreign[k][0]);
          p->kana = g_strdup (foreign[k][1]);
        }
      else
        {
          p->name = g_strdup_printf ("%s%s%s", family[f][0], s == 1 ? "　" : " ", given[g][0]);
          p->kana = g_strdup_printf ("%s %s", family[f][s == 1 ? 2 : 1], given[g][s == 1 ? 2 : 1]);
        }
      p->phone = g_strdup_printf (s == 1 ? "０９０－%04u－%04u" : "090-%04u-%04u",
                                  g_rand_int_range (rand, 0, 10000), g_rand_int_range (rand, 0, 10000));
      p->birth_date = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1930, 2025),
                                       g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
    }
  return persons;
}

static void
free_persons (Person *persons, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (persons[i].name);
      g_free (persons[i].kana);
      g_free (persons[i].phone);
      g_free (persons[i].birth_date);
    }
  g_free (persons);
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
time_keys (KeyListFunc func, const Person *persons, guint n)
{
  double t0 = cpu_ms ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_unref (func (persons[i].name, persons[i].kana, persons[i].phone, persons[i].birth_date));
  return cpu_ms () - t0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Ours and the floor in turns, so that a load on the machine that comes
 * and goes weighs on both alike. */
static void
median_ms (const Person *persons,
           guint         n,
           double       *ours,
           double       *floor)
{
  double v[2][RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      v[0][r] = time_keys (_sd_person_search_key_list, persons, n);
      v[1][r] = time_keys (ref_search_key_list, persons, n);
    }
  qsort (v[0], RUNS, sizeof v[0][0], compare_double);
  qsort (v[1], RUNS, sizeof v[1][0], compare_double);
  *ours = v[0][RUNS / 2];
  *floor = v[1][RUNS / 2];
}

int
main (void)
{
  const char *shapes[] = {
    "kanji name, full-width kana",
    "half-width kana, full-width digits",
    "romaji and accented names, kana",
    "the mix (9 : 2 : 1)",
  };
  const char *env = g_getenv ("SD_BENCH_KEYS_PERSONS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 44000;

  g_print ("\nSearch keys of %u persons (_sd_person_search_key_list), CPU ms of this thread, "
           "median of %d runs;\nfloor: the code that made the keys already stored, which gives the same keys\n\n",
           n, RUNS);
  g_print ("| %-36s | %11s | %11s | %7s | %8s |\n", "persons", "ShelterDesk", "floor (old)", "ratio", "us each");
  g_print ("|--------------------------------------|-------------|-------------|---------|----------|\n");
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      Person *persons = make_persons (n, s);
      double ours, floor;

      /* Warm-up: both transliteration caches hold these names after it,
       * as they do a few hundred persons into a real import. */
      time_keys (_sd_person_search_key_list, persons, n);
      time_keys (ref_search_key_list, persons, n);
      median_ms (persons, n, &ours, &floor);
      g_print ("| %-36s | %8.1f ms | %8.1f ms | %6.2fx | %8.2f |\n", shapes[s], ours, floor, ours / floor,
               ours * 1000.0 / n);
      free_persons (persons, n);
    }
  return 0;
}
