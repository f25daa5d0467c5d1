/* sd-bench.h: what the benchmarks share: fictional names, percentiles, a clock.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

#include "sd-person.h"

typedef struct { const char *kanji; const char *kana; } Name;

static const Name G_GNUC_UNUSED families[] = {
  { "佐藤", "サトウ" }, { "鈴木", "スズキ" }, { "高橋", "タカハシ" }, { "田中", "タナカ" }, { "伊藤", "イトウ" },
  { "渡辺", "ワタナベ" }, { "山本", "ヤマモト" }, { "中村", "ナカムラ" }, { "小林", "コバヤシ" }, { "加藤", "カトウ" },
  { "吉田", "ヨシダ" }, { "山田", "ヤマダ" }, { "佐々木", "ササキ" }, { "山口", "ヤマグチ" }, { "松本", "マツモト" },
  { "井上", "イノウエ" }, { "木村", "キムラ" }, { "林", "ハヤシ" }, { "斎藤", "サイトウ" }, { "清水", "シミズ" },
  { "山崎", "ヤマザキ" }, { "森", "モリ" }, { "池田", "イケダ" }, { "橋本", "ハシモト" }, { "阿部", "アベ" },
  { "石川", "イシカワ" }, { "山下", "ヤマシタ" }, { "中島", "ナカジマ" }, { "石井", "イシイ" }, { "小川", "オガワ" },
  { "前田", "マエダ" }, { "岡田", "オカダ" }, { "長谷川", "ハセガワ" }, { "藤田", "フジタ" }, { "後藤", "ゴトウ" },
  { "近藤", "コンドウ" }, { "村上", "ムラカミ" }, { "遠藤", "エンドウ" }, { "青木", "アオキ" }, { "坂本", "サカモト" },
};
static const Name G_GNUC_UNUSED givens[] = {
  { "太郎", "タロウ" }, { "花子", "ハナコ" }, { "一郎", "イチロウ" }, { "翔太", "ショウタ" }, { "美咲", "ミサキ" },
  { "健", "ケン" }, { "陽菜", "ヒナ" }, { "大輔", "ダイスケ" }, { "結衣", "ユイ" }, { "蓮", "レン" },
  { "葵", "アオイ" }, { "悠真", "ユウマ" }, { "さくら", "サクラ" }, { "拓也", "タクヤ" }, { "愛", "アイ" },
  { "誠", "マコト" }, { "由美", "ユミ" }, { "直樹", "ナオキ" }, { "恵子", "ケイコ" }, { "修", "オサム" },
  { "和子", "カズコ" }, { "隆", "タカシ" }, { "幸子", "サチコ" }, { "博", "ヒロシ" }, { "明美", "アケミ" },
  { "清", "キヨシ" }, { "節子", "セツコ" }, { "勇", "イサム" }, { "久美子", "クミコ" }, { "茂", "シゲル" },
};

static inline int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static inline double
pct (double *v, guint n, double p)
{
  qsort (v, n, sizeof *v, compare_double);
  return v[MIN (n - 1, (guint) (p * n))];
}

static inline double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

#define SD_BENCH_MAX_MEMBERS 6

/* The members of one fictional household and the text they point into. */
typedef struct {
  char         names[SD_BENCH_MAX_MEMBERS][64];
  char         kanas[SD_BENCH_MAX_MEMBERS][64];
  char         births[SD_BENCH_MAX_MEMBERS][16];
  SdPersonSpec members[SD_BENCH_MAX_MEMBERS];
} SdBenchHousehold;

/* N members of family FAM, with given names and birth dates from RAND. */
static inline void
sd_bench_household_fill (SdBenchHousehold *h,
                         GRand            *rand,
                         const Name       *fam,
                         guint             n)
{
  g_assert (n <= SD_BENCH_MAX_MEMBERS);
  for (guint m = 0; m < n; m++)
    {
      const Name *giv = &givens[g_rand_int_range (rand, 0, G_N_ELEMENTS (givens))];

      g_snprintf (h->names[m], sizeof h->names[m], "%s %s", fam->kanji, giv->kanji);
      g_snprintf (h->kanas[m], sizeof h->kanas[m], "%s %s", fam->kana, giv->kana);
      g_snprintf (h->births[m], sizeof h->births[m], "%04d-%02d-%02d", g_rand_int_range (rand, 1925, 2025),
                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      h->members[m] = (SdPersonSpec) { .name = h->names[m], .kana = h->kanas[m], .birth_date = h->births[m],
                                       .sex = 1 + m % 2 };
    }
}
