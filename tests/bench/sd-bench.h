/* sd-bench.h: what the benchmarks share: fictional names, percentiles, a clock.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

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
