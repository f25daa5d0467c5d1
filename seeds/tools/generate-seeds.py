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
import os
import random
import unicodedata

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


def write_support(out, g):
    rows = []
    for i in range(120):
        p = support_person(g)
        rows.append(["M%06d" % (1200 + i * 7), p["name"], p["kana"], p["sex"],
                     p["birth"].isoformat(), p["address"], p["phone"],
                     "、".join(p["reasons"]), p["consent"]])
    write_csv_utf8(out, "support-list.csv",
                   ["external_id", "name", "kana", "sex", "birth_date", "address", "phone",
                    "reason", "consent_share"], rows)
    return len(rows)


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
            {"kind": "staff", "path": "staff.csv"},
            {"kind": "safety", "path": "safety.json"},
            {"kind": "support", "path": "support-list.csv"},
            {"kind": "support", "path": "support-list-welfare.sjis.csv", "encoding": "CP932",
             "columns": {h: field for h, field in WELFARE_COLUMNS}},
            {"kind": "evacuees", "path": "evacuees.json"},
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
    staff_rows = write_staff(args.out, Gen(SEED + 1))
    n_staff = len(staff_rows)
    n_answers = write_safety(args.out, Gen(SEED + 5), staff_rows)
    support_gen = Gen(SEED + 2)
    n_support = write_support(args.out, support_gen)
    n_welfare = write_welfare(args.out, support_gen)
    n_households, n_persons, n_events = write_evacuees(args.out, Gen(SEED + 3))

    print("shelters %d, staff %d, safety answers %d, support %d + %d (CP932), households %d, persons %d, "
          "events %d" % (n_shelters, n_staff, n_answers, n_support, n_welfare, n_households, n_persons, n_events))


if __name__ == "__main__":
    main()
