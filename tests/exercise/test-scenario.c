/* test-scenario.c: scenario files and machine actions: what is read, and what is refused with its line.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-scenario.h"

#include <string.h>

static SdScenario *
parse (const char  *text,
       gboolean     json,
       GError     **error)
{
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  return sd_scenario_parse (data, json ? "test.json" : "test.csv", json, error);
}

/* The error's message starts with the file and the line. */
static void
assert_refused (const char *text,
                gboolean    json,
                const char *where,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScenario) scenario = parse (text, json, &error);

  g_assert_null (scenario);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, where));
  g_assert_nonnull (strstr (error->message, says));
}

static void
test_csv_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScenario) scenario = parse (
    "serial,time,type,method,from,to,description,expected,action,担当\n"
    "1,T+00:00,info,radio,control,all,An earthquake.,Open the HQ.,,x\n"
    "3,after 2 +00:15,task,phone,HQ,S01 desk,\"Open, now\",Set up the desk,\"shelter-open S01\",\n"
    "\n"
    "2,T+1:30,machine,,,,Arrivals,,arrivals shelter=S01 people=12 over=30m cards=50%\n"
    "4,T+90,info,,,,Same time as 2,,\n", FALSE, &error);
  const SdInject *inject;

  g_assert_no_error (error);
  g_assert_cmpuint (sd_scenario_get_n_injects (scenario), ==, 4);
  g_assert_cmpstr (sd_scenario_get_name (scenario), ==, "test");
  g_assert_cmpuint (strlen (sd_scenario_get_sha256 (scenario)), ==, 64);
  /* In delivery order; the same time keeps the file's order. */
  inject = sd_scenario_get_inject (scenario, 0);
  g_assert_cmpstr (inject->serial, ==, "1");
  g_assert_cmpint (inject->at_ms, ==, 0);
  g_assert_cmpstr (inject->recipient, ==, "all");
  inject = sd_scenario_get_inject (scenario, 1);
  g_assert_cmpstr (inject->serial, ==, "2");
  g_assert_cmpint (inject->at_ms, ==, 90 * 60000);
  g_assert_cmpint (inject->action.kind, ==, SD_ACTION_ARRIVALS);
  g_assert_cmpstr (inject->action.shelter, ==, "S01");
  g_assert_cmpuint (inject->action.people, ==, 12);
  g_assert_cmpint (inject->action.over_ms, ==, 30 * 60000);
  g_assert_cmpfloat (inject->action.cards, ==, 0.5);
  g_assert_cmpuint (inject->line, ==, 5);
  inject = sd_scenario_get_inject (scenario, 2);
  g_assert_cmpstr (inject->serial, ==, "4");
  g_assert_cmpint (inject->at_ms, ==, 90 * 60000);
  inject = sd_scenario_get_inject (scenario, 3);
  g_assert_cmpstr (inject->serial, ==, "3");
  g_assert_cmpstr (inject->after, ==, "2");
  g_assert_cmpint (inject->at_ms, ==, 105 * 60000);
  g_assert_cmpstr (inject->description, ==, "Open, now");
  g_assert_cmpint (inject->action.kind, ==, SD_ACTION_SHELTER_OPEN);
  g_assert_cmpint (sd_scenario_get_end_ms (scenario), ==, 120 * 60000);
  g_assert_true (sd_scenario_find_inject (scenario, "3") == inject);
}

/* Japanese headings, full-width digits from an IME, and CP932 as Excel
 * saves it: the same scenario. */
static void
test_csv_japanese_cp932 (void)
{
  const char *utf8 = "番号,時刻,種別,伝達手段,発信者,受信者,内容,期待される対応,機械動作\r\n"
                     "１,Ｔ＋０１：３０,状況付与,電話,本部,S02 受付,西小学校で断水。,給水を要請する。,"
                     "shelter-condition S02 water=out\r\n";
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *sjis = g_convert (utf8, -1, "CP932", "UTF-8", NULL, &length, &error);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(SdScenario) scenario = NULL;
  const SdInject *inject;

  g_assert_no_error (error);
  data = g_bytes_new (sjis, length);
  scenario = sd_scenario_parse (data, "訓練.csv", FALSE, &error);
  g_assert_no_error (error);
  inject = sd_scenario_get_inject (scenario, 0);
  g_assert_cmpstr (inject->serial, ==, "1");
  g_assert_cmpint (inject->at_ms, ==, 90 * 60000);
  g_assert_cmpstr (inject->description, ==, "西小学校で断水。");
  g_assert_cmpint (inject->action.kind, ==, SD_ACTION_SHELTER_CONDITION);
  g_assert_cmpint (inject->action.lifelines[SD_LIFELINE_WATER], ==, SD_LIFELINE_STATE_OUT);
  g_assert_cmpint (inject->action.lifelines[SD_LIFELINE_GAS], ==, SD_LIFELINE_STATE_UNKNOWN);
}

/* The same scenario in JSON reads the same. */
static void
test_json_same_as_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScenario) csv = parse ("serial,time,to,description,action\n"
                                     "7,T+02:00,S03,Network down,network down=2h at=S03\n"
                                     "8,after 7 +00:30,,Reader,reader fails at=S01 for=1h\n", FALSE, &error);
  g_autoptr(SdScenario) json = NULL;

  g_assert_no_error (error);
  json = parse ("{\"name\": \"flood\", \"injects\": ["
                "{\"serial\": 7, \"time\": \"T+02:00\", \"to\": \"S03\", \"description\": \"Network down\","
                " \"action\": \"network down=2h at=S03\"},"
                "{\"serial\": \"8\", \"time\": \"after 7 +00:30\", \"description\": \"Reader\","
                " \"action\": \"reader fails at=S01 for=1h\"}]}", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_scenario_get_name (json), ==, "flood");
  for (guint i = 0; i < 2; i++)
    {
      const SdInject *a = sd_scenario_get_inject (csv, i), *b = sd_scenario_get_inject (json, i);

      g_assert_cmpstr (a->serial, ==, b->serial);
      g_assert_cmpint (a->at_ms, ==, b->at_ms);
      g_assert_cmpstr (a->recipient, ==, b->recipient);
      g_assert_cmpint (a->action.kind, ==, b->action.kind);
      g_assert_cmpint (a->action.for_ms, ==, b->action.for_ms);
      g_assert_cmpstr (a->action.shelter, ==, b->action.shelter);
    }
  g_assert_cmpint (sd_scenario_get_inject (json, 1)->at_ms, ==, 150 * 60000);
}

static void
test_refused (void)
{
  const char *head = "serial,time,description,action\n";
  struct { const char *rows; const char *where; const char *says; } cases[] = {
    { "1,T+1:75,x,\n", "test.csv, line 2: ", "T+hh:mm" },
    { "1,tomorrow,x,\n", "test.csv, line 2: ", "“tomorrow”" },
    { "1,T+00:00,x,\n2,T+00:10,y,evacuate everyone\n", "test.csv, line 3: ", "“evacuate”" },
    { "1,T+00:00,x,arrivals shelter=S01\n", "test.csv, line 2: ", "“people”" },
    { "1,T+00:00,x,arrivals shelter=S01 people=ten\n", "test.csv, line 2: ", "whole number" },
    { "1,T+00:00,x,arrivals shelter=S01 people=5 colour=red\n", "test.csv, line 2: ", "“colour”" },
    { "1,T+00:00,x,safety-answers share=1.5\n", "test.csv, line 2: ", "share" },
    { "1,T+00:00,x,network down=forever\n", "test.csv, line 2: ", "30m" },
    { "1,T+00:00,x,\"rollcall title=\"\"open\"\n", "test.csv, line 2: ", "double quote" },
    { "1,T+00:00,x,\n1,T+00:10,y,\n", "test.csv, line 3: ", "used twice" },
    { "1,T+00:00,,\n", "test.csv, line 2: ", "no description" },
    { "1,T+00:00,x,\n2,after 9,y,\n", "test.csv, line 3: ", "no inject 9" },
    /* A loop: 2 after 3, 3 after 4, 4 after 2. */
    { "1,T+00:00,x,\n2,after 3,a,\n3,after 4 +00:05,b,\n4,after 2,c,\n", "test.csv, line ", "loop" },
    { "1,after 1,x,\n", "test.csv, line 2: ", "loop" },
    { "1,T+200:00,x,\n", "test.csv, line 2: ", "T+hh:mm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (head, cases[i].rows, NULL);

      assert_refused (text, FALSE, cases[i].where, cases[i].says);
    }
  /* No heading row, or one without the columns needed. */
  assert_refused ("1,T+00:00,x\n", FALSE, "test.csv, line 1: ", "“serial” column");
  assert_refused ("serial,description\n1,x\n", FALSE, "test.csv, line 1: ", "“time” column");
  assert_refused ("serial,time,description\n", FALSE, "test.csv: ", "no injects");
  assert_refused ("{\"injects\": [{\"serial\": 1, \"time\": \"T+0\", \"description\": 5}]}", TRUE,
                  "test.json, line 1: ", "must be text");
  assert_refused ("{\"injects\": [", TRUE, "test.json, line 1: ", "not a scenario");
  assert_refused ("[]", TRUE, "test.json, line 1: ", "not a scenario");
}

static void
test_durations (void)
{
  struct { const char *text; gint64 ms; } good[] = {
    { "30m", 1800000 }, { "2h", 7200000 }, { "1h30m", 5400000 }, { "45s", 45000 }, { "90m", 5400000 },
  };
  const char *bad[] = { "", "m", "30", "1m2h", "2h2h", "-5m", "1d", "200h", "1.5h", NULL };
  gint64 ms = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (sd_exercise_parse_duration (good[i].text, &ms));
      g_assert_cmpint (ms, ==, good[i].ms);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_false (sd_exercise_parse_duration (bad[i], &ms));
}

/* Every demo scenario reads. */
static void
test_demo_scenarios (void)
{
  const char *names[] = { "m7-day1.csv", "river-flood.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (g_getenv ("SD_SEEDS_DIR"), "scenarios", names[i], NULL);
      g_autoptr(SdScenario) scenario = sd_scenario_load (path, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (sd_scenario_get_n_injects (scenario), >, 20);
      g_assert_cmpint (sd_scenario_get_end_ms (scenario), >=, 12 * 3600000);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenario/csv", test_csv_read);
  g_test_add_func ("/scenario/csv-japanese-cp932", test_csv_japanese_cp932);
  g_test_add_func ("/scenario/json-same-as-csv", test_json_same_as_csv);
  g_test_add_func ("/scenario/refused", test_refused);
  g_test_add_func ("/scenario/durations", test_durations);
  g_test_add_func ("/scenario/demo", test_demo_scenarios);
  return g_test_run ();
}
