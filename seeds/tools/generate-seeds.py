#!/usr/bin/env python3
# generate-seeds.py: writes the embedded demo data of the fictional みなと川市 (seeds/).
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every person, place and phone number here is invented.  The generator uses
# only the standard library and one fixed random seed, and it never looks at
# the clock, so running it again rewrites the same files byte for byte:
#
#     python3 seeds/tools/generate-seeds.py            # writes into seeds/
#     python3 seeds/tools/generate-seeds.py --out DIR  # writes elsewhere
#
# Draws from the random generator happen in a fixed order; adding a draw in
# the middle changes everything after it, which is fine as long as the
# regenerated files are committed together with the change.

import argparse
import csv
import datetime
import io
import json
import math
import os
import random
import re
import sqlite3
import struct
import unicodedata
import zlib

SEED = 20260117

CITY = "みなと川市"
CITY_EN = "Minatogawa City"
SITE_NAME = "みなと川市 災害対策本部（デモ）"

# 町名 of the fictional city, with how many 丁目 each has.
TOWNS = [
    ("東町", 4), ("西町", 3), ("南町", 5), ("北町", 3), ("港町", 4),
    ("川口町", 2), ("桜台", 3), ("緑ヶ丘", 4), ("中央", 3), ("本町", 2),
    ("若葉台", 3), ("松原", 2), ("汐見", 3), ("浜通", 2), ("大川", 4),
]

# Common family names with their readings.  髙橋 and 山﨑 are spelt with
# characters only CP932 has (not JIS X 0208); they appear in the welfare
# export, which is where such spellings cause trouble in practice.
FAMILY_NAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
    ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"),
    ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"),
    ("石井", "イシイ"), ("小川", "オガワ"), ("前田", "マエダ"), ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"),
    ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
    ("斉藤", "サイトウ"), ("福田", "フクダ"), ("太田", "オオタ"), ("西村", "ニシムラ"),
    ("藤井", "フジイ"), ("金子", "カネコ"), ("岡本", "オカモト"), ("藤原", "フジワラ"),
    ("中野", "ナカノ"), ("三浦", "ミウラ"), ("原田", "ハラダ"), ("中川", "ナカガワ"),
    ("松田", "マツダ"), ("竹内", "タケウチ"), ("小野", "オノ"), ("田村", "タムラ"),
    ("中山", "ナカヤマ"), ("和田", "ワダ"), ("石田", "イシダ"), ("上田", "ウエダ"),
    ("森田", "モリタ"), ("原", "ハラ"), ("柴田", "シバタ"), ("酒井", "サカイ"),
    ("工藤", "クドウ"), ("横山", "ヨコヤマ"), ("宮崎", "ミヤザキ"), ("宮本", "ミヤモト"),
    ("内田", "ウチダ"), ("高木", "タカギ"), ("安藤", "アンドウ"), ("谷口", "タニグチ"),
    ("大野", "オオノ"), ("丸山", "マルヤマ"), ("今井", "イマイ"), ("河野", "コウノ"),
    ("藤本", "フジモト"), ("村田", "ムラタ"), ("武田", "タケダ"), ("上野", "ウエノ"),
]
CP932_ONLY_FAMILY_NAMES = [("髙橋", "タカハシ"), ("山﨑", "ヤマザキ")]

# Given names of people born in different decades, so that a 1940 birth
# does not come with a 2010s name.
MALE_OLD = [
    ("茂", "シゲル"), ("清", "キヨシ"), ("博", "ヒロシ"), ("勇", "イサム"), ("稔", "ミノル"),
    ("進", "ススム"), ("正雄", "マサオ"), ("武", "タケシ"), ("昭", "アキラ"), ("和夫", "カズオ"),
    ("孝", "タカシ"), ("勝", "マサル"), ("実", "ミノル"), ("弘", "ヒロシ"), ("義男", "ヨシオ"),
    ("幸雄", "ユキオ"), ("三郎", "サブロウ"), ("久雄", "ヒサオ"), ("秀夫", "ヒデオ"), ("光男", "ミツオ"),
]
FEMALE_OLD = [
    ("幸子", "サチコ"), ("和子", "カズコ"), ("節子", "セツコ"), ("洋子", "ヨウコ"), ("恵子", "ケイコ"),
    ("京子", "キョウコ"), ("悦子", "エツコ"), ("久子", "ヒサコ"), ("トシ", "トシ"), ("ハル", "ハル"),
    ("美代子", "ミヨコ"), ("文子", "フミコ"), ("千代子", "チヨコ"), ("静子", "シズコ"), ("弘子", "ヒロコ"),
    ("信子", "ノブコ"), ("キヨ", "キヨ"), ("敏子", "トシコ"), ("照子", "テルコ"), ("貞子", "サダコ"),
]
MALE_MID = [
    ("誠", "マコト"), ("浩", "ヒロシ"), ("健一", "ケンイチ"), ("聡", "サトシ"), ("隆", "タカシ"),
    ("修", "オサム"), ("哲也", "テツヤ"), ("直樹", "ナオキ"), ("大輔", "ダイスケ"), ("拓也", "タクヤ"),
    ("和也", "カズヤ"), ("剛", "ツヨシ"), ("達也", "タツヤ"), ("秀樹", "ヒデキ"), ("裕介", "ユウスケ"),
    ("健太", "ケンタ"), ("亮", "リョウ"), ("学", "マナブ"), ("伸一", "シンイチ"), ("淳", "ジュン"),
]
FEMALE_MID = [
    ("裕子", "ユウコ"), ("真由美", "マユミ"), ("智子", "トモコ"), ("直美", "ナオミ"), ("由美子", "ユミコ"),
    ("恵美", "エミ"), ("久美子", "クミコ"), ("明美", "アケミ"), ("陽子", "ヨウコ"), ("香織", "カオリ"),
    ("美穂", "ミホ"), ("愛", "アイ"), ("麻衣", "マイ"), ("彩", "アヤ"), ("舞", "マイ"),
    ("理恵", "リエ"), ("沙織", "サオリ"), ("由香", "ユカ"), ("千尋", "チヒロ"), ("瞳", "ヒトミ"),
]
MALE_YOUNG = [
    ("蓮", "レン"), ("大翔", "ヒロト"), ("湊", "ミナト"), ("悠真", "ユウマ"), ("陽翔", "ハルト"),
    ("颯太", "ソウタ"), ("蒼", "アオイ"), ("樹", "イツキ"), ("悠人", "ユウト"), ("翔太", "ショウタ"),
    ("陸", "リク"), ("大和", "ヤマト"), ("朝陽", "アサヒ"), ("律", "リツ"), ("奏太", "カナタ"),
]
FEMALE_YOUNG = [
    ("陽菜", "ヒナ"), ("結衣", "ユイ"), ("葵", "アオイ"), ("凛", "リン"), ("さくら", "サクラ"),
    ("結菜", "ユイナ"), ("芽依", "メイ"), ("紬", "ツムギ"), ("美咲", "ミサキ"), ("莉子", "リコ"),
    ("杏", "アン"), ("心春", "コハル"), ("彩花", "アヤカ"), ("七海", "ナナミ"), ("花", "ハナ"),
]


def given_names(sex, year):
    male = sex == "1"
    if year < 1960:
        return MALE_OLD if male else FEMALE_OLD
    if year < 1995:
        return MALE_MID if male else FEMALE_MID
    return MALE_YOUNG if male else FEMALE_YOUNG


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used_phones = set()
        self.used_addresses = set()

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.r.random() * total
        for value, w in pairs:
            x -= w
            if x < 0:
                return value
        return pairs[-1][0]

    def date_between(self, first_year, last_year):
        start = datetime.date(first_year, 1, 1).toordinal()
        end = datetime.date(last_year, 12, 31).toordinal()
        return datetime.date.fromordinal(self.r.randint(start, end))

    def name(self, sex, year, family=None):
        if family is None:
            family = self.pick(FAMILY_NAMES)
        given = self.pick(given_names(sex, year))
        return family[0] + " " + given[0], family[1] + " " + given[1]

    def address(self):
        # Houses are unique so two unrelated households never share one.
        while True:
            town, chome = self.pick(TOWNS)
            a = "%s%s%d丁目%d-%d" % (CITY, town, self.r.randint(1, chome),
                                    self.r.randint(1, 30), self.r.randint(1, 25))
            if a not in self.used_addresses:
                self.used_addresses.add(a)
                return a

    def apartment(self, base):
        return "%s みなと川ハイツ%d号室" % (base, self.r.choice((101, 102, 203, 205, 301, 402)))

    def phone(self):
        # 0X0-0000-XXXX: the 0000 exchange is not issued to anyone.
        while True:
            p = "%s-0000-%04d" % (self.pick(("090", "080", "070")), self.r.randint(1, 9999))
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p


# ---------------------------------------------------------------- shelters

SHELTERS = [
    ("S01", "みなと川市立東小学校", "designated", 480, "東町2丁目5-1"),
    ("S02", "みなと川市立西小学校", "designated", 420, "西町1丁目12-3"),
    ("S03", "みなと川市立南中学校", "designated", 600, "南町3丁目8-1"),
    ("S04", "みなと川市立北中学校", "designated", 550, "北町2丁目1-1"),
    ("S05", "みなと川市立緑ヶ丘小学校", "designated", 380, "緑ヶ丘4丁目3-10"),
    ("S06", "港町地区センター", "designated", 150, "港町1丁目20-5"),
    ("S07", "桜台コミュニティセンター", "designated", 120, "桜台2丁目7-2"),
    ("S08", "みなと川市中央公民館", "designated", 200, "中央1丁目1-8"),
    ("S09", "みなと川市総合福祉センター（福祉避難所）", "welfare", 60, "本町1丁目4-6"),
    ("S10", "特別養護老人ホーム 汐見の里（福祉避難所）", "welfare", 30, "汐見3丁目15-2"),
    ("S11", "川辺公園（一時避難場所）", "temporary", 1500, "大川2丁目22"),
    ("S12", "桜台中央公園（一時避難場所）", "temporary", 900, "桜台3丁目1"),
]


def write_shelters(out):
    rows = [[code, name, kind, str(cap), CITY + addr] for code, name, kind, cap, addr in SHELTERS]
    write_csv_utf8(out, "shelters.csv", ["code", "name", "kind", "capacity", "address"], rows)
    return len(rows)


# The one-page guide (避難所のご案内) of three shelters, as their leads
# would write it: the desk prints it in every language it offers.
SHELTER_GUIDES = [
    {
        "shelter": "S01",
        "breakfast": "7:00",
        "lunch": "12:00",
        "dinner": "18:00",
        "lights_out": "22:00",
        "lights_on": "6:00",
        "ask": "体育館入口の受付（緑のベスト）",
        "supplies": "体育館横のピロティ",
        "pets": "校舎北側の自転車置き場",
        "smoking": "正門横の喫煙所",
        "charging": "図書室（1階）",
        "rules": [
            "no-smoking",
            "no-alcohol",
            "shoes-off",
            "pets",
            "aisles",
            "quiet",
            "tell-desk",
            "rubbish",
            "charging",
            "valuables",
            "wash-hands"
        ],
        "note": "給水車は毎日10時と15時に校庭に来ます。入浴支援は自衛隊のテント（校庭の東側）で14時から20時までです。"
    },
    {
        "shelter": "S02",
        "breakfast": "7:30",
        "lunch": "12:00",
        "dinner": "17:30",
        "lights_out": "21:30",
        "lights_on": "6:30",
        "ask": "職員室前の受付",
        "supplies": "体育館ステージ前",
        "pets": "プール横のテント",
        "smoking": "裏門の外",
        "charging": "職員室前の廊下",
        "rules": [
            "no-smoking",
            "no-alcohol",
            "shoes-off",
            "pets",
            "aisles",
            "quiet",
            "tell-desk",
            "rubbish",
            "charging",
            "wash-hands"
        ],
        "note": "トイレは校舎1階と仮設トイレ（校庭）を使ってください。体育館のトイレは使えません。"
    },
    {
        "shelter": "S09",
        "breakfast": "7:30",
        "lunch": "11:30",
        "dinner": "17:00",
        "lights_out": "21:00",
        "lights_on": "6:30",
        "ask": "1階 総合受付",
        "supplies": "1階 多目的室",
        "charging": "1階 ロビー",
        "rules": [
            "no-smoking",
            "no-alcohol",
            "aisles",
            "quiet",
            "tell-desk",
            "valuables",
            "wash-hands"
        ],
        "note": "看護師が毎日9時から17時まで1階の相談室にいます。"
    }
]


def write_shelter_guides(out):
    with open(os.path.join(out, "shelter-guides.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"guides": SHELTER_GUIDES}, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return len(SHELTER_GUIDES)


# ---------------------------------------------------------------- staff

# 部 → 課 → how many people work there (a small city of about 300 staff
# counted here: those on the disaster roster).
DEPARTMENTS = [
    ("総務部", [("総務課", 12), ("危機管理課", 12), ("人事課", 9), ("情報政策課", 9)]),
    ("企画財政部", [("企画課", 9), ("財政課", 9), ("税務課", 16)]),
    ("市民部", [("市民課", 16), ("保険年金課", 12), ("地域振興課", 10)]),
    ("福祉部", [("福祉総務課", 11), ("障害福祉課", 13), ("高齢福祉課", 14), ("子育て支援課", 14)]),
    ("健康部", [("健康推進課", 12), ("保健センター", 10)]),
    ("環境部", [("環境政策課", 8), ("ごみ対策課", 12)]),
    ("都市整備部", [("都市計画課", 9), ("道路課", 13), ("下水道課", 10), ("公園緑地課", 8)]),
    ("教育委員会事務局", [("教育総務課", 10), ("学校教育課", 11), ("生涯学習課", 10)]),
    ("会計課", [("会計課", 6)]),
    ("議会事務局", [("議事課", 5)]),
]

# The head of most 部 is a 部長; these two have their own titles.
HEAD_RANKS = {"会計課": "会計管理者", "議会事務局": "事務局長"}


def staff_ranks(g, dept, size, first_in_dept):
    """The ranks in one section, most senior first."""
    ranks = []
    if first_in_dept:
        ranks.append(HEAD_RANKS.get(dept, "部長"))
    ranks.append("課長")
    if size >= 10:
        ranks.append("課長補佐")
    ranks += ["係長"] * (1 + size // 7)
    while len(ranks) < size:
        ranks.append(g.weighted([("主任", 3), ("主事", 4), ("技師", 1),
                                 ("会計年度任用職員", 2)]))
    return ranks[:size]


BIRTH_YEARS = {
    "部長": (1966, 1970), "会計管理者": (1966, 1970), "事務局長": (1966, 1970), "課長": (1968, 1976), "課長補佐": (1970, 1980),
    "係長": (1974, 1988), "主任": (1982, 1995), "主事": (1992, 2003),
    "技師": (1988, 2002), "会計年度任用職員": (1958, 2000),
}


def staff_role(g, dept, section, rank):
    if section == "危機管理課" or rank in ("部長", "会計管理者", "事務局長"):
        return "hq"
    if rank in ("課長補佐", "係長") and g.chance(0.45):
        return "lead"
    return "volunteer"


def write_staff(out, g):
    rows = []
    used_numbers = {"1001", "1002", "1003"}

    # The demo accounts, documented in README.md; the only ones with PINs.
    demo = [
        ("1001", ("中村", "ナカムラ"), "1", 1979, "教育委員会事務局", "生涯学習課", "係長", "lead", "123456"),
        ("1002", ("小川", "オガワ"), "2", 1998, "市民部", "地域振興課", "会計年度任用職員", "volunteer", "1111"),
        ("1003", ("石田", "イシダ"), "1", 1972, "総務部", "危機管理課", "課長", "hq", "999999"),
    ]
    for no, family, sex, year, dept, section, rank, role, pin in demo:
        name, kana = g.name(sex, year, family)
        rows.append([no, name, kana, dept, section, rank, role, pin])

    def number(rank):
        # Regular staff have 5-digit numbers by year of hire; 会計年度任用職員
        # a 6-digit series of their own; the old 4-digit numbers of long-serving
        # staff were kept when the system changed.
        while True:
            if rank == "会計年度任用職員":
                n = "9%05d" % g.r.randint(100, 9999)
            elif rank in ("部長", "会計管理者", "事務局長", "課長") and g.chance(0.5):
                n = "%04d" % g.r.randint(2000, 8999)
            else:
                n = "%02d%03d" % (g.r.randint(10, 25), g.r.randint(1, 999))
            if n not in used_numbers:
                used_numbers.add(n)
                return n

    for dept, sections in DEPARTMENTS:
        for i, (section, size) in enumerate(sections):
            for rank in staff_ranks(g, dept, size, i == 0):
                sex = g.weighted([("1", 55), ("2", 45)])
                year = g.r.randint(*BIRTH_YEARS[rank])
                name, kana = g.name(sex, year)
                rows.append([number(rank), name, kana, dept, section, rank,
                             staff_role(g, dept, section, rank), ""])

    # A mobile number each, for the call sheets of those who have not
    # answered a roll-call; drawn last, from a generator of its own, so the
    # names and numbers above stay as they were.
    phones = Gen(SEED + 4)
    for row in rows:
        row.append(phones.phone())

    write_csv_utf8(out, "staff.csv",
                   ["staff_no", "name", "kana", "department", "section", "rank", "role", "pin", "phone"],
                   rows)
    return rows


# ---------------------------------------------------------------- staff safety

SAFETY_MESSAGES = [
    "子どもを実家に預けてから向かいます。",
    "自宅周辺で道路が冠水しています。迂回して向かいます。",
    "家族は全員無事です。",
    "電車が止まっているため自転車で向かいます。",
    "足を少しけがしました。手当てをしてから向かいます。",
    "親の安否を確認してから連絡します。",
    "携帯の充電が残りわずかです。",
]


def write_safety(out, g, staff_rows):
    """An open drill roll-call an hour and a half old, answered by most of
    the roster: the HQ dashboard of the demo has something to show."""
    answers = []
    for row in staff_rows:
        staff_no = row[0]
        if staff_no in ("1001", "1002", "1003") or not g.chance(0.78):
            continue  # the demo accounts answer by hand; the rest have not answered yet
        safety = g.weighted([("unhurt", 90), ("minor", 8), ("serious", 2)])
        location = g.weighted([("home", 80), ("work", 8), ("other", 12)])
        answer = {"staff_no": staff_no, "minutes_after_start": g.r.randint(2, 80),
                  "safety": safety, "location": location}
        if location == "other":
            answer["location_note"] = g.pick(("実家", "外出先（駅前）", "親戚宅", "避難所"))
        can_report = safety != "serious" and g.chance(0.88 if safety == "unhurt" else 0.5)
        answer["can_report"] = can_report
        if can_report:
            answer["means"] = g.weighted([("walk", 25), ("bicycle", 25), ("car", 40), ("bus", 4),
                                          ("train", 3), ("other", 3)])
            answer["arrival"] = g.weighted([("within_30m", 35), ("within_1h", 30), ("within_2h", 18),
                                            ("within_3h", 9), ("over_3h", 8)])
        if g.chance(0.15):
            answer["message"] = g.pick(SAFETY_MESSAGES)
        answer["via"] = g.weighted([("web", 80), ("kiosk", 12), ("phone", 8)])
        if answer["via"] == "phone":
            answer["recorded_by"] = "1003"
        answers.append(answer)
        if g.chance(0.08):
            # A second answer that supersedes the first: could not come, now can.
            later = dict(answer)
            later["minutes_after_start"] = min(89, answer["minutes_after_start"] + g.r.randint(5, 30))
            later["location"] = "home"
            later.pop("location_note", None)
            later["can_report"] = True
            later["means"] = later.get("means", "car")
            later["arrival"] = g.pick(("within_1h", "within_2h"))
            later["message"] = "状況が変わりました。参集できます。"
            answers.append(later)
    answers.sort(key=lambda a: a["minutes_after_start"])
    safety = {"rollcalls": [{"title": "職員安否確認訓練（震度6強想定）", "kind": "drill",
                             "started_minutes_ago": 90, "answers": answers}]}
    with open(os.path.join(out, "safety.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(safety, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return len(answers)


# ---------------------------------------------------------------- support list

CARE_LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
ELDERLY_EXTRA = ["日中独居", "独居", "高齢者のみ世帯", "認知症", "在宅酸素療法",
                 "車いす使用", "視覚障害", "聴覚障害"]
DISABILITY = ["身体障害者手帳1級", "身体障害者手帳2級", "療育手帳A", "療育手帳B",
              "精神障害者保健福祉手帳2級", "視覚障害", "聴覚障害", "人工呼吸器使用",
              "難病（ALS）", "車いす使用", "医療的ケア児"]


def support_person(g):
    sex = g.weighted([("2", 58), ("1", 41), ("9", 1)])
    elderly = g.chance(0.82)
    if elderly:
        birth = g.date_between(1930, 1960)
        reasons = [g.pick(CARE_LEVELS)] if g.chance(0.75) else []
        for _ in range(g.weighted([(0, 3), (1, 5), (2, 2)])):
            extra = g.pick(ELDERLY_EXTRA)
            if extra not in reasons:
                reasons.append(extra)
        if not reasons:
            reasons.append("日中独居")
    else:
        birth = g.date_between(1961, 2018)
        reasons = [g.pick(DISABILITY)]
        if g.chance(0.3):
            extra = g.pick(DISABILITY)
            if extra not in reasons:
                reasons.append(extra)
    name_sex = sex if sex != "9" else g.pick(("1", "2"))
    name, kana = g.name(name_sex, birth.year)
    address = g.address()
    if g.chance(0.2):
        address = g.apartment(address)
    phone = g.phone() if g.chance(0.9) else ""
    consent = "1" if g.chance(0.8) else "0"
    return {"name": name, "kana": kana, "sex": sex, "birth": birth, "address": address,
            "phone": phone, "reasons": reasons, "consent": consent}


def write_support(out, g, listed=None):
    rows = []
    for i in range(120):
        p = support_person(g)
        rows.append(["M%06d" % (1200 + i * 7), p["name"], p["kana"], p["sex"],
                     p["birth"].isoformat(), p["address"], p["phone"],
                     "、".join(p["reasons"]), p["consent"]])
        if listed is not None:
            listed.append(dict(p, external_id=rows[-1][0]))
    write_csv_utf8(out, "support-list.csv",
                   ["external_id", "name", "kana", "sex", "birth_date", "address", "phone",
                    "reason", "consent_share"], rows)
    return len(rows)


# Individual evacuation plans (個別避難計画) of most people on the list:
# where to go, what to bring, how to help, their family to call and the
# neighbours, 民生委員 and 自主防災組織 members who go to them.
RELATIONS_FAMILY = ["長女", "長男", "次女", "次男", "妻", "夫", "姉", "弟", "甥", "姪"]
SUPPORTER_ROLES = ["民生委員", "自主防災組織", "近隣住民", "町会長", "ケアマネジャー"]


def plan_for(p, g, shelters):
    reasons = "、".join(p["reasons"])
    town = p["address"].replace(CITY, "").split("丁目")[0].rstrip("0123456789")
    heavy = any(level in reasons for level in ("要介護3", "要介護4", "要介護5", "人工呼吸器", "医療的ケア児"))
    shelter = "S09" if heavy else next((code for code, t in shelters if t == town), "S08")
    bring, assist = ["常備薬", "お薬手帳"], []
    if "酸素" in reasons:
        bring.append("酸素ボンベ")
        assist.append("oxygen")
    if "人工呼吸器" in reasons:
        bring.append("人工呼吸器の予備バッテリー")
        assist += ["stretcher", "vehicle"]
    if "視覚障害" in reasons:
        bring.append("白杖")
        assist.append("guide")
    if "聴覚障害" in reasons:
        bring.append("補聴器、筆談ボード")
        assist.append("sign_language")
    if "車いす" in reasons or "要介護4" in reasons or "要介護5" in reasons:
        assist.append("wheelchair")
    if "要介護" in reasons:
        bring.append("紙おむつ")
    if not assist:
        assist.append("walking_aid" if p["birth"].year < 1950 else "vehicle")
    family = p["name"].split(" ")[0]
    family_kana = p["kana"].split(" ")[0]
    contacts = []
    if g.chance(0.85):
        name, kana = g.name(g.pick(("1", "2")), p["birth"].year + 30, (family, family_kana))
        contacts.append({"kind": "emergency", "name": name, "kana": kana,
                         "relation": g.pick(RELATIONS_FAMILY), "phone": g.phone()})
    for role in g.r.sample(SUPPORTER_ROLES, g.weighted([(1, 5), (2, 4), (3, 1)])):
        name, kana = g.name(g.pick(("1", "2")), g.r.randint(1945, 1990))
        contacts.append({"kind": "supporter", "name": name, "kana": kana, "relation": role, "phone": g.phone()})
    plan = {"person": p["external_id"], "shelter": shelter,
            "route": g.pick(("大通りを通って%sへ。狭い路地は通らない", "川沿いを避け、高台側の道で%sへ",
                             "近所の集合場所（%s町会の掲示板前）で合流してから%%sへ" % town)) % shelter,
            "bring": "、".join(bring), "assist": sorted(set(assist)), "contacts": contacts}
    if heavy:
        plan["note"] = "福祉避難所へ直接。車両の手配を要する"
    return plan


def write_support_plans(out, g, listed):
    shelters = []
    with open(os.path.join(out, "shelters.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            code, _name, _kind, _cap, address = line.rstrip("\n").split(",")
            shelters.append((code, address.replace(CITY, "").split("丁目")[0].rstrip("0123456789")))
    plans = [plan_for(p, g, shelters) for p in listed if g.chance(0.7)]
    with open(os.path.join(out, "support-plans.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"plans": plans}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return len(plans), sum(len(p["contacts"]) for p in plans)


# The welfare system's export: Excel CSV in CP932.
WELFARE_COLUMNS = [
    ("管理番号", "external_id"), ("氏名", "name"), ("ﾌﾘｶﾞﾅ", "kana"), ("性別", "sex"),
    ("生年月日", "birth_date"), ("住所", "address"), ("電話番号", "phone"),
    ("支援理由", "reason"), ("情報提供同意", "consent_share"),
]

ERAS = [  # name, initial, first day
    ("令和", "R", datetime.date(2019, 5, 1)),
    ("平成", "H", datetime.date(1989, 1, 8)),
    ("昭和", "S", datetime.date(1926, 12, 25)),
    ("大正", "T", datetime.date(1912, 7, 30)),
]

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def era_date(d, style):
    for era, initial, first in ERAS:
        if d >= first:
            year = d.year - first.year + 1
            break
    else:
        raise ValueError(d)
    if style == "kanji":
        y = "元" if year == 1 else str(year)
        return "%s%s年%d月%d日" % (era, y, d.month, d.day)
    if style == "kanji-fw":
        return ("%s%d年%d月%d日" % (era, year, d.month, d.day)).translate(FULL_WIDTH)
    if style == "initial":
        return "%s%d.%d.%d" % (initial, year, d.month, d.day)
    raise ValueError(style)


def build_halfwidth_table():
    table = {}
    for cp in range(0xFF61, 0xFFA0):
        table[unicodedata.normalize("NFKC", chr(cp))] = chr(cp)
    table["\u3099"] = "\uFF9E"  # combining voiced mark → ﾞ
    table["\u309A"] = "\uFF9F"  # combining semi-voiced mark → ﾟ
    table[" "] = " "
    table["\u3000"] = " "
    return table


HALFWIDTH = build_halfwidth_table()


def to_halfwidth_kana(text):
    return "".join(HALFWIDTH[c] for c in unicodedata.normalize("NFD", text))


def write_welfare(out, g):
    rows = []
    for i in range(30):
        p = support_person(g)
        if i in (3, 17):
            # Spellings only CP932 can encode: the reason this file exists.
            family = CP932_ONLY_FAMILY_NAMES[0 if i == 3 else 1]
            p["name"] = family[0] + " " + p["name"].split(" ")[1]
            p["kana"] = family[1] + " " + p["kana"].split(" ")[1]
        if i == 8:
            p["birth"] = datetime.date(1923, 11, 3)  # 大正12年
        if i == 21:
            p["birth"] = datetime.date(1926, 12, 28)  # 昭和元年
        if p["sex"] == "9":
            p["sex"] = "1"  # the welfare system only knows 男 and 女
        # Excel's habits: a full-width space between family and given name,
        # full-width digits in some addresses and phone numbers, and era
        # dates written three different ways.
        name = p["name"].replace(" ", "\u3000")
        d = p["birth"]
        style = "kanji" if d.year < 1927 else g.weighted([("kanji", 5), ("initial", 3), ("kanji-fw", 2)])
        address = p["address"]
        if g.chance(0.4):
            address = address.translate(FULL_WIDTH).replace(" ", "\u3000")
        phone = p["phone"]
        if phone and g.chance(0.4):
            phone = phone.translate(FULL_WIDTH)
        reason = "、".join(p["reasons"])
        if i in (5, 12):
            extra = "日中独居" if "日中独居" not in p["reasons"] else "緊急通報装置設置"
            reason = ",".join(p["reasons"] + [extra])  # makes Excel quote the field
        rows.append(["%05d" % (30000 + i * 13), name, to_halfwidth_kana(p["kana"]),
                     "男" if p["sex"] == "1" else "女", era_date(d, style), address, phone,
                     reason, "有" if p["consent"] == "1" else "無"])

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([h for h, _ in WELFARE_COLUMNS])
    w.writerows(rows)
    with open(os.path.join(out, "support-list-welfare.sjis.csv"), "wb") as f:
        f.write(buf.getvalue().encode("cp932"))
    return len(rows)


# ---------------------------------------------------------------- evacuees

PLATE_KANA = "あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるろれわ"


def vehicle_plate(g):
    # The region name is the fictional city's own, so no plate can be real.
    return "みなと川 %d %s %d-%02d" % (g.pick((300, 330, 500, 502, 580)), g.pick(PLATE_KANA),
                                   g.r.randint(1, 99), g.r.randint(0, 99))


def household(g):
    size = g.weighted([(1, 22), (2, 30), (3, 20), (4, 20), (5, 8)])
    family = g.pick(FAMILY_NAMES)
    members = []

    def person(sex, first_year, last_year):
        d = g.date_between(first_year, last_year)
        name, kana = g.name(sex, d.year, family)
        members.append({"name": name, "kana": kana, "birth_date": d.isoformat(), "sex": sex,
                        "consent_disclose": g.chance(0.85)})

    if size == 1:
        person(g.pick(("1", "2")), 1935, 2000)
    elif size == 2 and g.chance(0.6):
        person("1", 1938, 1960)
        person("2", 1940, 1962)
    else:
        person("1", 1970, 1992)
        person("2", 1972, 1994)
        for _ in range(size - 2):
            if g.chance(0.15):
                person(g.pick(("1", "2")), 1938, 1955)  # a grandparent
            else:
                person(g.pick(("1", "2")), 2008, 2024)
    return members


def write_evacuees(out, g):
    households = []
    persons = events = 0
    for _ in range(60):
        stay = g.weighted([("shelter", 74), ("home", 12), ("vehicle", 9), ("relatives", 5)])
        shelter = g.weighted([("S01", 14), ("S02", 10), ("S03", 12), ("S04", 8), ("S05", 6),
                              ("S06", 4), ("S07", 3), ("S08", 4), ("S09", 3), ("S10", 2)])
        members = household(g)
        h = {"shelter": shelter, "stay": stay}
        if stay == "vehicle":
            h["vehicle_plate"] = vehicle_plate(g)
        address = g.address()
        h["address"] = address
        h["phone"] = g.phone() if g.chance(0.9) else ""
        h["members"] = members
        if stay == "shelter":
            h["events"] = g.weighted([(["arrive"], 80), (["arrive", "go_out"], 8),
                                      (["arrive", "go_out", "return"], 6),
                                      (["arrive", "leave"], 6)])
        else:
            h["events"] = []
        persons += len(members)
        events += len(members) * len(h["events"])
        households.append(h)

    with open(os.path.join(out, "evacuees.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"households": households}, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return len(households), persons, events


# ---------------------------------------------------------------- base map and address reference
#
# map.mbtiles is a base map of the city, drawn here (MBTiles 1.3: 256 × 256
# PNG tiles in SQLite, rows numbered from the south as TMS does), and
# address-reference.sjis.csv the city's blocks (街区) in the format of the
# national address reference (MLIT 位置参照情報, 街区レベル).  Both are
# invented: the city lies in the open Pacific around 32.50 °N, 141.50 °E,
# where there is nothing to draw over.  Flat colours, no anti-aliasing, no
# text:
#
#     water (sea and river)   #9ecae8
#     land                    #f2eee3
#     road                    #ffffff
#     road casing             #bcae98
#     district (町丁目) line   #a08eb4
#     park                    #c3e0a5
#
# Bounding box (the "bounds" metadata; every tile that touches it is drawn
# at zoom 12 to 16): west 141.455, south 32.467, east 141.545, north 32.533.
#
# Sample points for UI tests, (lat, lon), checked against the zoom-15 and
# zoom-16 tiles that hold them (and by this generator, which stops if a
# change to the drawing moves them):
#
#     sea    (32.472948, 141.489359)  water #9ecae8: 600 m out from the
#                                     south coast, 3 km from the piers
#     river  (32.498151, 141.500393)  water #9ecae8: the middle of 大川,
#                                     which is 90 m wide there (45 m to
#                                     either bank), 660 m from the
#                                     nearest bridge
#     land   (32.518621, 141.520643)  land #f2eee3: open ground in the
#                                     north-east, 300 m from the nearest
#                                     road or district line, further
#                                     from any park, river or coast
#
# The plan is drawn in metres east (x) and north (y) of 32.50 °N, 141.50 °E:
# a grid of 丁目, one cell each, split into 30 blocks (6 × 5) by local
# streets; a river corridor between the fourth and fifth column; main roads
# on some of the grid lines and along the coast.

MAP_ORIGIN = (32.50, 141.50)
MAP_BOUNDS = (141.455, 32.467, 141.545, 32.533)  # west, south, east, north
MAP_ZOOMS = range(12, 17)
MAP_SAMPLES = {  # name: ((lat, lon), palette index expected)
    "sea": ((32.472948, 141.489359), 1),
    "river": ((32.498151, 141.500393), 1),
    "land": ((32.518621, 141.520643), 0),
}

LAND, WATER, ROAD, CASING, DISTRICT, PARK = range(6)
PALETTE = [(0xf2, 0xee, 0xe3), (0x9e, 0xca, 0xe8), (0xff, 0xff, 0xff),
           (0xbc, 0xae, 0x98), (0xa0, 0x8e, 0xb4), (0xc3, 0xe0, 0xa5)]

# Widths in pixels by zoom: (core, casing) of main and local roads (local
# streets are not drawn below zoom 14, nor cased at 14); district lines are
# 1 pixel.
MAIN_ROAD_PX = {12: (2, 4), 13: (3, 5), 14: (4, 6), 15: (6, 8), 16: (10, 14)}
LOCAL_ROAD_PX = {14: (2, 0), 15: (3, 5), 16: (5, 7)}

# The grid: column widths west to east (the river's corridor lies between
# the fourth and the fifth), row heights from the coast northwards.
COLUMN_WIDTHS = (660, 720, 680, 640, 640, 700, 680, 660)
RIVER_CORRIDOR = 500
ROW_HEIGHTS = (620, 660, 640, 680, 640, 660, 620)
CITY_WEST, CITY_SOUTH = -2940, -2145

# Which 丁目 lies in which cell, north row first: town letter and 丁目;
# "..": open land, "##": park, "~~": sea.
TOWN_LETTERS = {"H": "東町", "W": "西町", "S": "南町", "N": "北町", "M": "港町", "K": "川口町",
                "Z": "桜台", "G": "緑ヶ丘", "C": "中央", "T": "本町", "Y": "若葉台", "P": "松原",
                "O": "汐見", "B": "浜通", "R": "大川"}
TOWN_PLAN = [
    ".. Y3 N3 N2 R2 R4 .. H4",
    "Y2 Y1 Z3 N1 R1 R3 H2 H3",
    "G3 G1 Z2 T2 C3 ## O3 H1",
    "G4 G2 Z1 T1 C1 M4 O1 O2",
    "W2 W1 S2 S1 C2 M3 ~~ ~~",
    "W3 S5 S4 S3 K2 M2 ~~ ~~",
    "P2 P1 B2 B1 K1 M1 ~~ ~~",
]
BLOCK_COLUMNS, BLOCK_ROWS = 6, 5

# The coast: its distance from the cells next to it, and the coast road's.
COAST_OFFSET, COAST_ROAD_OFFSET = 250, 100
FAR = 30000  # metres: beyond the edge of any tile drawn

KANJI_NUMERALS = "〇一二三四五六七八九"


def m_per_degree(lat):
    phi = math.radians(lat)
    return (111132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi),
            111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi))


M_PER_DEG_LAT, M_PER_DEG_LON = m_per_degree(MAP_ORIGIN[0])


def m_to_latlon(x, y):
    return MAP_ORIGIN[0] + y / M_PER_DEG_LAT, MAP_ORIGIN[1] + x / M_PER_DEG_LON


def world_pixel(lat, lon, z):
    """Web-mercator pixel of (LAT, LON) at zoom Z, from the north-west corner."""
    n = 256 << z
    return ((lon + 180.0) / 360.0 * n,
            (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)


def tile_range(z):
    """The tiles (x0, y0, x1, y1, inclusive, XYZ) that touch MAP_BOUNDS."""
    west, south, east, north = MAP_BOUNDS
    x0, y0 = world_pixel(north, west, z)
    x1, y1 = world_pixel(south, east, z)
    return int(x0 // 256), int(y0 // 256), int(x1 // 256), int(y1 // 256)


def plane_rectangular(lat, lon, lat0, lon0):
    """Japan Plane Rectangular Coordinates (GRS80, m0 0.9999; GSI's series):
    X north and Y east of the origin (LAT0, LON0), in metres."""
    a, f, m0 = 6378137.0, 1 / 298.257222101, 0.9999
    n = f / (2 - f)
    big_a = (1 + n ** 2 / 4 + n ** 4 / 64, -1.5 * (n - n ** 3 / 8 - n ** 5 / 64),
             15 / 16 * (n ** 2 - n ** 4 / 4), -35 / 48 * (n ** 3 - 5 / 16 * n ** 5),
             315 / 512 * n ** 4, -693 / 1280 * n ** 5)
    alpha = (0, n / 2 - 2 / 3 * n ** 2 + 5 / 16 * n ** 3 + 41 / 180 * n ** 4 - 127 / 288 * n ** 5,
             13 / 48 * n ** 2 - 3 / 5 * n ** 3 + 557 / 1440 * n ** 4 + 281 / 630 * n ** 5,
             61 / 240 * n ** 3 - 103 / 140 * n ** 4 + 15061 / 26880 * n ** 5,
             49561 / 161280 * n ** 4 - 179 / 168 * n ** 5, 34729 / 80640 * n ** 5)
    phi0 = math.radians(lat0)
    scale = m0 * a / (1 + n)
    s_phi0 = scale * (big_a[0] * phi0 + sum(big_a[j] * math.sin(2 * j * phi0) for j in range(1, 6)))
    phi, dl = math.radians(lat), math.radians(lon - lon0)
    k = 2 * math.sqrt(n) / (1 + n)
    t = math.sinh(math.atanh(math.sin(phi)) - k * math.atanh(k * math.sin(phi)))
    xi = math.atan2(t, math.cos(dl))
    eta = math.atanh(math.sin(dl) / math.sqrt(1 + t * t))
    x = scale * big_a[0] * (xi + sum(alpha[j] * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
                                     for j in range(1, 6))) - s_phi0
    y = scale * big_a[0] * (eta + sum(alpha[j] * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
                                      for j in range(1, 6)))
    return x, y


# The address reference gives plane coordinates in 系 IX (origin 36°N,
# 139°50′E), the system of the Izu islands, the nearest land.
PLANE_SYSTEM = ("9", 36.0, 139.0 + 50 / 60)


class CityPlan:
    """Everything drawn, in metres: cells, blocks, parks, roads, river, coast."""

    def __init__(self, r):
        self.r = r
        self.grid()
        self.blocks_and_streets()
        self.coast()
        self.river()
        self.roads_and_parks()

    # -- the grid of 丁目
    def grid(self):
        xs, x = [], CITY_WEST
        for i, w in enumerate(COLUMN_WIDTHS):
            if i == 4:
                self.corridor = (x, x + RIVER_CORRIDOR)
                x += RIVER_CORRIDOR
            xs.append((x, x + w))
            x += w
        ys, y = [], CITY_SOUTH
        for h in ROW_HEIGHTS:
            ys.append((y, y + h))
            y += h
        self.columns, self.rows = xs, ys
        self.city_east, self.city_north = x, y
        self.cells = {}      # (town, chome): (x0, y0, x1, y1)
        self.cell_at = {}    # (column, row): (town, chome)
        self.sea_cells = []
        self.other_cells = {}  # (col, row): ".." or "##"
        for n, line in enumerate(TOWN_PLAN):
            row = len(TOWN_PLAN) - 1 - n
            for col, token in enumerate(line.split()):
                rect = (xs[col][0], ys[row][0], xs[col][1], ys[row][1])
                if token == "~~":
                    self.sea_cells.append((col, row))
                elif token in ("..", "##"):
                    self.other_cells[(col, row)] = (token, rect)
                else:
                    key = (TOWN_LETTERS[token[0]], int(token[1:]))
                    assert key not in self.cells, key
                    self.cells[key] = rect
                    self.cell_at[(col, row)] = key
        for town, chome in TOWNS:
            got = sorted(c for t, c in self.cells if t == town)
            assert got == list(range(1, chome + 1)), (town, got)
            # A town is one piece: every cell of it reachable from its first.
            mine = {cr for cr, key in self.cell_at.items() if key[0] == town}
            seen, todo = set(), [min(mine)]
            while todo:
                c, r = todo.pop()
                if (c, r) in seen:
                    continue
                seen.add((c, r))
                todo += [n for n in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)) if n in mine]
            assert seen == mine, town
        assert len(self.cells) == sum(n for _, n in TOWNS)
        # The sea's corner: east of the fifth column's east edge, south of the
        # fourth row's south edge (the grid above checks this).
        self.coast_x = xs[5][1]
        self.bay_y = ys[3][0]
        for col, row in self.sea_cells:
            assert xs[col][0] >= self.coast_x and ys[row][1] <= self.bay_y

    # -- 30 blocks a 丁目, numbered from the corner nearest the city centre,
    #    row by row and back again, as 住居表示 numbers them
    def blocks_and_streets(self):
        r = self.r
        self.blocks = {}          # (town, chome, block): (x, y) of its point
        self.block_rects = {}     # (town, chome, block): (x0, y0, x1, y1)
        self.cell_grids = {}      # (town, chome): (x edges, y edges)
        for key in sorted(self.cells, key=lambda k: (self.cells[k][1], self.cells[k][0])):
            x0, y0, x1, y1 = self.cells[key]
            bw, bh = (x1 - x0) / BLOCK_COLUMNS, (y1 - y0) / BLOCK_ROWS
            xe = [x0] + [x0 + i * bw + r.uniform(-0.12, 0.12) * bw for i in range(1, BLOCK_COLUMNS)] + [x1]
            ye = [y0] + [y0 + j * bh + r.uniform(-0.12, 0.12) * bh for j in range(1, BLOCK_ROWS)] + [y1]
            self.cell_grids[key] = (xe, ye)
            from_east = abs(x1) < abs(x0)
            from_north = abs(y1) < abs(y0)
            number = 0
            for j in range(BLOCK_ROWS):
                jj = BLOCK_ROWS - 1 - j if from_north else j
                order = list(range(BLOCK_COLUMNS))
                if from_east != (j % 2 == 1):
                    order.reverse()
                for ii in order:
                    number += 1
                    rect = (xe[ii], ye[jj], xe[ii + 1], ye[jj + 1])
                    self.block_rects[key + (number,)] = rect
                    self.blocks[key + (number,)] = ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)

    def park_blocks(self, town, chome, numbers):
        rects = [self.block_rects[(town, chome, n)] for n in numbers]
        return (min(r[0] for r in rects), min(r[1] for r in rects),
                max(r[2] for r in rects), max(r[3] for r in rects))

    # -- the coast: south of the first row, east of the sixth column up to the
    #    fourth row, then east along it; rounded corners, and waves
    def stair_line(self, offset, step=8.0):
        # The corners are arcs about fixed centres, so that the coast and the
        # coast road run parallel: radius A + OFFSET round the headland, B -
        # OFFSET in the bay.
        a, b = 150.0, 520.0
        xe, ys, yn = self.coast_x, CITY_SOUTH, self.bay_y
        c1, c2 = (xe - a, ys + a), (xe + b, yn - b)
        pts = []

        def line(p, q):
            n = max(1, int(math.hypot(q[0] - p[0], q[1] - p[1]) / step))
            pts.extend((p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n) for i in range(n))

        def arc(c, radius, t0, t1):
            n = max(2, int(abs(t1 - t0) * radius / step))
            pts.extend((c[0] + radius * math.cos(t0 + (t1 - t0) * i / n),
                        c[1] + radius * math.sin(t0 + (t1 - t0) * i / n)) for i in range(n))

        line((-FAR, ys - offset), (c1[0], ys - offset))
        arc(c1, a + offset, -math.pi / 2, 0.0)
        line((xe + offset, c1[1]), (xe + offset, c2[1]))
        arc(c2, b - offset, math.pi, math.pi / 2)
        line((c2[0], yn - offset), (FAR, yn - offset))
        pts.append((FAR, yn - offset))
        return pts

    def coast(self):
        r = self.r
        waves = [(30.0, 1150.0, r.uniform(0, 2 * math.pi)), (16.0, 430.0, r.uniform(0, 2 * math.pi)),
                 (7.0, 170.0, r.uniform(0, 2 * math.pi))]
        base = self.stair_line(COAST_OFFSET)
        coast, s = [], 0.0
        for i, (x, y) in enumerate(base):
            if i:
                s += math.hypot(x - base[i - 1][0], y - base[i - 1][1])
            p, q = base[max(i - 1, 0)], base[min(i + 1, len(base) - 1)]
            d = math.hypot(q[0] - p[0], q[1] - p[1])
            nx, ny = (q[1] - p[1]) / d, -(q[0] - p[0]) / d  # to the right: the sea
            w = sum(amp * math.sin(2 * math.pi * s / length + phase) for amp, length, phase in waves)
            coast.append((x + nx * w, y + ny * w))
        self.coastline = coast
        self.sea = coast + [(FAR, -FAR), (-FAR, -FAR)]
        # The port: two piers and a breakwater off 港町.
        xe = self.coast_x
        self.piers = [(xe + 175, -1480, xe + 640, -1400),
                      (xe + 175, -1220, xe + 560, -1150),
                      (xe + 800, -1780, xe + 830, -1060)]

    # -- 大川: from the north edge through its corridor to the sea, 60 m wide
    #    north of the city and 115 m at its mouth
    def river(self):
        r = self.r
        mid = (self.corridor[0] + self.corridor[1]) / 2
        p1, p2 = r.uniform(0, 2 * math.pi), r.uniform(0, 2 * math.pi)

        def centre(y):
            return mid + 80 * math.sin(2 * math.pi * y / 1700 + p1) + 28 * math.sin(2 * math.pi * y / 640 + p2)

        def width(y):
            t = min(1.0, max(0.0, (self.city_north - y) / (self.city_north - CITY_SOUTH)))
            return 60 + 55 * t

        self.river_centre, self.river_width = centre, width
        top, bottom = FAR, CITY_SOUTH - COAST_OFFSET - 600
        ys = []
        y = top
        while y > bottom:
            ys.append(y)
            y -= 500 if y > 16000 else 10
        ys.append(bottom)
        left, right = [], []
        for i, y in enumerate(ys):
            ya, yb = ys[max(i - 1, 0)], ys[min(i + 1, len(ys) - 1)]
            dx, dy = centre(yb) - centre(ya), yb - ya
            d = math.hypot(dx, dy)
            nx, ny = dy / d, -dx / d
            h = width(y) / 2
            c = centre(y)
            left.append((c + nx * h, y + ny * h))
            right.append((c - nx * h, y - ny * h))
        self.river_polygon = left + right[::-1]
        # The corridor leaves the river room: no cell touches it.
        for y in range(int(CITY_SOUTH), int(self.city_north) + 1, 5):
            assert self.corridor[0] + 60 < centre(y) - width(y) / 2
            assert centre(y) + width(y) / 2 < self.corridor[1] - 60

    # -- roads and parks
    def roads_and_parks(self):
        cx, cy = self.columns, self.rows
        ys = CITY_SOUTH - COAST_ROAD_OFFSET
        self.coast_road = self.stair_line(COAST_ROAD_OFFSET, step=10.0)
        bay_road = self.bay_y - COAST_ROAD_OFFSET
        # Main roads: ("v", x, y0, y1) and ("h", y, x0, x1).
        self.main_roads = [
            ("v", cx[0][0], ys, FAR),
            ("v", cx[1][1], ys, FAR),
            ("v", cx[4][1], ys, FAR),
            ("v", cx[6][1], bay_road, FAR),
            ("h", cy[1][1], -FAR, self.coast_x + COAST_ROAD_OFFSET),
            ("h", cy[3][1], -FAR, FAR),
            ("h", cy[5][1], -FAR, FAR),
        ]
        # Local streets along the river, and between the blocks of each 丁目.
        self.local_roads = [("v", self.corridor[0], ys, FAR), ("v", self.corridor[1], ys, FAR)]
        # Parks: the pine belt of 松原 behind the beach, the park of 桜台 (桜台中央公園,
        # 桜台3丁目1), 川辺公園 by the river (大川2丁目22), and the big park in the middle.
        r2 = self.cells[("大川", 2)]
        kawabe = self.park_blocks("大川", 2, (22, 23, 24))
        self.parks = [
            (-FAR, CITY_SOUTH - COAST_OFFSET - 200, cx[2][1], ys),
            self.park_blocks("桜台", 3, (1, 2, 11, 12)),
            ((self.corridor[0] + self.corridor[1]) / 2, r2[1], r2[0], r2[3]),
            (self.corridor[1], kawabe[1], kawabe[2], kawabe[3]),
        ]
        for (col, row), (token, rect) in sorted(self.other_cells.items()):
            if token == "##":
                self.parks.append(rect)
        in_park = set()
        for key, rect in self.block_rects.items():
            bx, by = self.blocks[key]
            if any(p[0] <= bx <= p[2] and p[1] <= by <= p[3] for p in self.parks):
                in_park.add(rect)
        for key in sorted(self.cells):
            xe, ye = self.cell_grids[key]
            for i in range(1, BLOCK_COLUMNS):
                for j in range(BLOCK_ROWS):
                    a, b = (xe[i - 1], ye[j], xe[i], ye[j + 1]), (xe[i], ye[j], xe[i + 1], ye[j + 1])
                    if not (a in in_park and b in in_park):
                        self.local_roads.append(("v", xe[i], ye[j], ye[j + 1]))
            for j in range(1, BLOCK_ROWS):
                for i in range(BLOCK_COLUMNS):
                    a, b = (xe[i], ye[j - 1], xe[i + 1], ye[j]), (xe[i], ye[j], xe[i + 1], ye[j + 1])
                    if not (a in in_park and b in in_park):
                        self.local_roads.append(("h", ye[j], xe[i], xe[i + 1]))


class Raster:
    """Palette indices, one byte a pixel, drawn with the pixel centre rule."""

    def __init__(self, z):
        self.z = z
        self.tx0, self.ty0, tx1, ty1 = tile_range(z)
        self.tiles_x, self.tiles_y = tx1 - self.tx0 + 1, ty1 - self.ty0 + 1
        self.w, self.h = self.tiles_x * 256, self.tiles_y * 256
        self.buf = bytearray(self.w * self.h)  # LAND

    def px(self, x, y):
        """Pixel of a point given in metres."""
        lat, lon = m_to_latlon(x, y)
        wx, wy = world_pixel(lat, lon, self.z)
        return wx - self.tx0 * 256, wy - self.ty0 * 256

    def at(self, lat, lon):
        wx, wy = world_pixel(lat, lon, self.z)
        return self.buf[int(wy - self.ty0 * 256) * self.w + int(wx - self.tx0 * 256)]

    def fill_rect(self, x0, y0, x1, y1, colour):
        i0, i1 = max(0, math.ceil(x0 - 0.5)), min(self.w, math.ceil(x1 - 0.5))
        j0, j1 = max(0, math.ceil(y0 - 0.5)), min(self.h, math.ceil(y1 - 0.5))
        if i0 >= i1 or j0 >= j1:
            return
        run, w, buf = bytes((colour,)) * (i1 - i0), self.w, self.buf
        for j in range(j0 * w, j1 * w, w):
            buf[j + i0:j + i1] = run

    def rect_m(self, rect, colour):
        x0, y1 = self.px(rect[0], rect[1])
        x1, y0 = self.px(rect[2], rect[3])
        self.fill_rect(x0, y0, x1, y1, colour)

    def line_m(self, road, width, colour, extend=0.0):
        """An axis-parallel road or line WIDTH pixels wide."""
        kind, at, a, b = road
        half = width / 2
        if kind == "v":
            x, y1 = self.px(at, a)
            _, y0 = self.px(at, b)
            self.fill_rect(x - half, y0 - extend, x + half, y1 + extend, colour)
        else:
            x0, y = self.px(a, at)
            x1, _ = self.px(b, at)
            self.fill_rect(x0 - extend, y - half, x1 + extend, y + half, colour)

    def polygon(self, pts, colour):
        """Fills the polygon PTS (pixels), even-odd."""
        edges = []
        n = len(pts)
        for k in range(n):
            (xa, ya), (xb, yb) = pts[k], pts[(k + 1) % n]
            if ya == yb:
                continue
            if ya > yb:
                xa, ya, xb, yb = xb, yb, xa, ya
            j0, j1 = max(0, math.ceil(ya - 0.5)), min(self.h, math.ceil(yb - 0.5))
            if j0 >= j1:
                continue
            slope = (xb - xa) / (yb - ya)
            edges.append((j0, j1, xa + (j0 + 0.5 - ya) * slope, slope))
        if not edges:
            return
        edges.sort()
        w, buf, active, e = self.w, self.buf, [], 0
        run = bytes((colour,)) * w
        for j in range(edges[0][0], max(ed[1] for ed in edges)):
            while e < len(edges) and edges[e][0] == j:
                active.append([edges[e][1], edges[e][2], edges[e][3]])
                e += 1
            active = [a for a in active if a[0] > j]
            xs = sorted(a[1] for a in active)
            for k in range(0, len(xs) - 1, 2):
                i0, i1 = max(0, math.ceil(xs[k] - 0.5)), min(w, math.ceil(xs[k + 1] - 0.5))
                if i0 < i1:
                    buf[j * w + i0:j * w + i1] = run[:i1 - i0]
            for a in active:
                a[1] += a[2]

    def polygon_m(self, pts, colour):
        self.polygon([self.px(x, y) for x, y in pts], colour)

    def polyline_m(self, pts, width, colour):
        """A road along PTS (metres), WIDTH pixels wide."""
        p = [self.px(x, y) for x, y in pts]
        half, left, right = width / 2, [], []
        for k, (x, y) in enumerate(p):
            (xa, ya), (xb, yb) = p[max(k - 1, 0)], p[min(k + 1, len(p) - 1)]
            d = math.hypot(xb - xa, yb - ya)
            nx, ny = -(yb - ya) / d * half, (xb - xa) / d * half
            left.append((x + nx, y + ny))
            right.append((x - nx, y - ny))
        self.polygon(left + right[::-1], colour)


def draw_zoom(plan, z):
    r = Raster(z)
    local = LOCAL_ROAD_PX.get(z)
    main_core, main_casing = MAIN_ROAD_PX[z]
    for rect in plan.parks:
        r.rect_m(rect, PARK)
    if local:
        for road in plan.local_roads:
            r.line_m(road, local[1], CASING)  # nothing when 0
        for road in plan.local_roads:
            r.line_m(road, local[0], ROAD)
    for key in sorted(plan.cells):
        x0, y0, x1, y1 = plan.cells[key]
        for edge in (("h", y0, x0, x1), ("h", y1, x0, x1), ("v", x0, y0, y1), ("v", x1, y0, y1)):
            r.line_m(edge, 1, DISTRICT)
    r.polygon_m(plan.river_polygon, WATER)
    r.polyline_m(plan.coast_road, main_casing, CASING)
    for road in plan.main_roads:
        r.line_m(road, main_casing, CASING, extend=main_core / 2)
    r.polyline_m(plan.coast_road, main_core, ROAD)
    for road in plan.main_roads:
        r.line_m(road, main_core, ROAD, extend=main_core / 2)
    r.polygon_m(plan.sea, WATER)
    for rect in plan.piers:
        r.rect_m(rect, LAND)
    return r


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


RGB_TABLES = [bytes(PALETTE[i][c] if i < len(PALETTE) else 0 for i in range(256)) for c in range(3)]


def tile_png(r, tx, ty):
    """The PNG of one tile of R (RGB, 8 bits; a row the same as the one above
    is written with the Up filter, which makes it all zeros)."""
    rows, previous = [], None
    zero = b"\x02" + bytes(768)
    for j in range(256):
        o = (ty * 256 + j) * r.w + tx * 256
        index = bytes(r.buf[o:o + 256])
        if index == previous:
            rows.append(zero)
            continue
        rgb = bytearray(768)
        for c in range(3):
            rgb[c::3] = index.translate(RGB_TABLES[c])
        rows.append(b"\x00" + rgb)
        previous = index
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + png_chunk(b"IEND", b""))


def check_drawing(plan, r):
    """Stops the generator when a change to the drawing puts a 丁目 or a block
    in the water, or moves a sample point off its colour."""
    for key, (x0, y0, x1, y1) in plan.cells.items():
        (i0, j1), (i1, j0) = r.px(x0, y0), r.px(x1, y1)
        for j in range(int(j0), int(j1) + 1):
            assert WATER not in r.buf[j * r.w + int(i0):j * r.w + int(i1) + 1], key
    for key, (x, y) in plan.blocks.items():
        lat, lon = (float("%.6f" % v) for v in m_to_latlon(x, y))
        assert r.at(lat, lon) in (LAND, PARK), key
    if r.z >= 15:
        for name, ((lat, lon), colour) in MAP_SAMPLES.items():
            assert r.at(lat, lon) == colour, (name, r.z, r.at(lat, lon))


def write_map(out, plan):
    tiles, counts = [], {}
    for z in MAP_ZOOMS:
        r = draw_zoom(plan, z)
        if z >= 15:
            check_drawing(plan, r)
        for tx in range(r.tiles_x):
            for ty in range(r.tiles_y):
                x, y = r.tx0 + tx, r.ty0 + ty
                tiles.append((z, x, (1 << z) - 1 - y, tile_png(r, tx, ty)))
        counts[z] = r.tiles_x * r.tiles_y
        del r
    west, south, east, north = MAP_BOUNDS
    metadata = [
        ("name", "みなと川市 デモ地図"),
        ("format", "png"),
        ("type", "baselayer"),
        ("version", "1"),
        ("description", "架空の都市みなと川市の背景地図（デモ用）。海岸線、大川、道路、町丁目界、公園を "
                        "generate-seeds.py が描いたもので、実在の場所ではない。 / Base map of a city that "
                        "does not exist, drawn by generate-seeds.py."),
        ("bounds", "%.6f,%.6f,%.6f,%.6f" % (west, south, east, north)),
        ("center", "%.6f,%.6f,14" % (MAP_ORIGIN[1], MAP_ORIGIN[0])),
        ("minzoom", str(MAP_ZOOMS[0])),
        ("maxzoom", str(MAP_ZOOMS[-1])),
        ("attribution", "架空の地図（みなと川市デモ）/ Fictional demo map"),
    ]
    path = os.path.join(out, "map.mbtiles")
    partial = path + ".part"
    for p in (partial, partial + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    db = sqlite3.connect(partial, isolation_level=None)
    db.execute("PRAGMA application_id = 1297105496")  # "MPBX", as MBTiles 1.3 suggests
    db.execute("BEGIN")
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
    db.executemany("INSERT INTO metadata (name, value) VALUES (?, ?)", metadata)
    db.executemany("INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)",
                   tiles)
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.close()
    os.replace(partial, path)
    return counts


ADDRESS_HEADER = ["都道府県名", "市区町村名", "大字・丁目名", "小字・通称名", "街区符号・地番", "座標系番号",
                  "Ｘ座標", "Ｙ座標", "緯度", "経度", "住居表示フラグ", "代表フラグ", "更新前履歴フラグ",
                  "更新後履歴フラグ"]


def write_address_reference(out, plan):
    system, lat0, lon0 = PLANE_SYSTEM
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(ADDRESS_HEADER)
    n = 0
    for town, chome_count in TOWNS:
        for chome in range(1, chome_count + 1):
            for block in range(1, BLOCK_COLUMNS * BLOCK_ROWS + 1):
                lat, lon = m_to_latlon(*plan.blocks[(town, chome, block)])
                x, y = plane_rectangular(lat, lon, lat0, lon0)
                w.writerow(["みなと県", CITY, "%s%s丁目" % (town, KANJI_NUMERALS[chome]), "", str(block), system,
                            "%.1f" % x, "%.1f" % y, "%.6f" % lat, "%.6f" % lon, "1", "1", "0", "0"])
                n += 1
    # Every shelter's address is a block of the reference.
    for code, _, _, _, address in SHELTERS:
        m = re.fullmatch(r"(.+?)(\d+)丁目(\d+)(?:-\d+)?", address)
        assert m and (m.group(1), int(m.group(2)), int(m.group(3))) in plan.blocks, (code, address)
    with open(os.path.join(out, "address-reference.sjis.csv"), "wb") as f:
        f.write(buf.getvalue().encode("cp932"))
    return n


# ---------------------------------------------------------------- output

def write_csv_utf8(out, filename, header, rows):
    with open(os.path.join(out, filename), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


def write_manifest(out):
    manifest = {
        "format": 1,
        "demo": True,
        "city": CITY,
        "site_name": SITE_NAME,
        "files": [
            {"kind": "shelters", "path": "shelters.csv"},
            {"kind": "shelter-guides", "path": "shelter-guides.json"},
            {"kind": "staff", "path": "staff.csv"},
            {"kind": "safety", "path": "safety.json"},
            {"kind": "support", "path": "support-list.csv"},
            {"kind": "support", "path": "support-list-welfare.sjis.csv", "encoding": "CP932",
             "columns": {h: field for h, field in WELFARE_COLUMNS}},
            {"kind": "evacuees", "path": "evacuees.json"},
            {"kind": "map-tiles", "path": "map.mbtiles"},
            {"kind": "addresses", "path": "address-reference.sjis.csv", "encoding": "CP932"},
            {"kind": "support-plans", "path": "support-plans.json"},
        ],
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Write the demo seed files of %s (%s)."
                                     % (CITY, CITY_EN))
    parser.add_argument("--out", default=os.path.dirname(here),
                        help="directory to write into (default: seeds/)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    # One generator per file, so that changing one file's rules leaves the
    # others as they were.
    write_manifest(args.out)
    n_shelters = write_shelters(args.out)
    write_shelter_guides(args.out)
    staff_rows = write_staff(args.out, Gen(SEED + 1))
    n_staff = len(staff_rows)
    n_answers = write_safety(args.out, Gen(SEED + 5), staff_rows)
    support_gen = Gen(SEED + 2)
    listed = []
    n_support = write_support(args.out, support_gen, listed)
    n_welfare = write_welfare(args.out, support_gen)
    n_households, n_persons, n_events = write_evacuees(args.out, Gen(SEED + 3))
    # The map and the address reference draw from a generator of their own,
    # after everything else, so the files above stay as they were.
    plan = CityPlan(random.Random(SEED + 9))
    tiles = write_map(args.out, plan)
    n_blocks = write_address_reference(args.out, plan)
    # Plans last, from their own generator, for the same reason.
    n_plans, n_contacts = write_support_plans(args.out, Gen(SEED + 10), listed)

    print("shelters %d, staff %d, safety answers %d, support %d + %d (CP932), households %d, persons %d, "
          "events %d" % (n_shelters, n_staff, n_answers, n_support, n_welfare, n_households, n_persons, n_events))
    print("support plans %d with %d contacts and supporters" % (n_plans, n_contacts))
    print("map tiles %d (%s), address blocks %d"
          % (sum(tiles.values()), ", ".join("z%d %d" % zn for zn in sorted(tiles.items())), n_blocks))


if __name__ == "__main__":
    main()
