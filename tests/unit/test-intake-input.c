/* test-intake-input.c: unit tests for the one strict reader of households and people.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI, the pre-registration reader and the seed loader each have
 * their own tests through the path a person uses; these pin down the
 * rules themselves, and that the store refuses the same characters for
 * the desk's form, which saves through sd_store_add_household().
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sd-core.h"
#include "sd-json.h"

static void
assert_refused (const char *json,
                const char *words1,
                const char *words2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdIntakeInput) input = sd_intake_input_new_from_json (json, strlen (json), &error);

  g_assert_null (input);
  g_assert_nonnull (error);
  g_assert_true (error->domain == SD_DATA_ERROR);
  g_test_message ("%s → %s", json, error->message);
  if (strstr (error->message, words1) == NULL || (words2 != NULL && strstr (error->message, words2) == NULL))
    g_error ("“%s” does not say “%s” and “%s”", error->message, words1, words2 ? words2 : "");
}

static void
test_types (void)
{
  assert_refused ("{\"members\": [{\"name\": \"a\", \"consent_disclose\": \"true\"}]}", "member 1", "consent_disclose");
  assert_refused ("{\"members\": [{\"name\": \"a\", \"pregnant\": \"yes\"}]}", "member 1", "pregnant");
  assert_refused ("{\"members\": [{\"name\": \"a\", \"pregnant\": 1}]}", "member 1", "true or false");
  assert_refused ("{\"members\": [{\"name\": \"a\"}, {\"name\": \"b\", \"birth_date\": 19500106}]}", "member 2", "birth_date");
  assert_refused ("{\"members\": [{\"name\": \"a\", \"phone\": 9012345678}]}", "phone", "leading zero");
  assert_refused ("{\"phone\": 9012345678, \"members\": [{\"name\": \"a\"}]}", "household", "phone");
  assert_refused ("{\"members\": [{\"name\": [\"a\"]}]}", "member 1", "name");
  assert_refused ("{\"pets_count\": \"2\", \"members\": [{\"name\": \"a\"}]}", "household", "pets_count");
  assert_refused ("{\"pets_count\": 100, \"members\": [{\"name\": \"a\"}]}", "household", "pets_count");
  assert_refused ("{\"stay\": \"tent\", \"members\": [{\"name\": \"a\"}]}", "household", "stay");
  assert_refused ("{\"members\": [{\"name\": \"a\", \"care_level\": \"care9\"}]}", "member 1", "care_level");
  assert_refused ("{\"members\": [{\"kana\": \"あ\"}]}", "member 1", "name");
  assert_refused ("{\"members\": []}", "members", NULL);
  assert_refused ("{\"members\": {\"name\": \"a\"}}", "members", NULL);
  assert_refused ("{\"members\": [\"a\"]}", "member 1", "object");
}

static void
test_unknown_members (void)
{
  assert_refused ("{\"adress\": \"x\", \"members\": [{\"name\": \"a\"}]}", "household", "“adress”");
  assert_refused ("{\"members\": [{\"name\": \"a\"}, {\"name\": \"b\", \"adress\": \"x\"}]}", "member 2", "“adress”");
  assert_refused ("{\"members\": [{\"name\": \"a\", \"Name\": \"b\"}]}", "member 1", "“Name”");
}

static void
test_text (void)
{
  static const gunichar bidi[] = { 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                                   0x200E, 0x200F, 0x061C };
  g_autoptr(GError) error = NULL;

  assert_refused ("{\"members\": [{\"name\": \"a\\u0000b\"}]}", "“name”", "U+0000");
  for (guint i = 0; i < G_N_ELEMENTS (bidi); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"members\": [{\"name\": \"a\", \"kana\": \"x\\u%04x\"}]}", bidi[i]);
      g_autofree char *code = g_strdup_printf ("U+%04X", bidi[i]);

      assert_refused (json, "“kana”", code);
    }
  g_assert_true (sd_intake_check_text ("member 1", "name", "山田 太郎 ﾔﾏﾀﾞ Zoé", -1, &error));
  g_assert_no_error (error);
  g_assert_false (sd_intake_check_text ("member 1", "name", "a\0b", 3, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
}

static void
test_json (void)
{
  assert_refused ("{\"members\": [{\"name\": \"a\"}]}{}", "more after the end", NULL);
  assert_refused ("{'members': [{'name': 'a'}]}", "double quotes", NULL);
  assert_refused ("{\"members\": [{\"name\": \"a\", \"name\": \"b\"}]}", "twice", NULL);
  assert_refused ("", "empty", NULL);
  assert_refused ("[]", "one JSON object", NULL);
}

static void
test_good (void)
{
  static const char json[] =
    "{\"shelter\": \"S01\", \"stay\": \"vehicle\", \"vehicle_plate\": \"品川 500 あ 12-34\", \"phone\": \"090-0000-2468\","
    " \"pets\": \"犬\", \"pets_count\": 2, \"house_damage\": \"half\", \"check_in\": false,"
    " \"members\": [{\"name\": \" 山田 太郎 \", \"birth_date\": \"昭和25年1月6日\", \"sex\": \"男\","
    "               \"consent_disclose\": true, \"phone\": \"09012345678\", \"care_level\": \"care1\"},"
    "              {\"existing_id\": \"x\", \"pregnant\": null}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SdIntakeInput) input = sd_intake_input_new_from_json (json, strlen (json), &error);
  SdHouseholdSpec *h;
  SdPersonSpec *m;
  guint n = 0;

  g_assert_no_error (error);
  h = sd_intake_input_get_household (input);
  m = sd_intake_input_get_members (input, &n);
  g_assert_cmpstr (sd_intake_input_get_shelter (input), ==, "S01");
  g_assert_cmpint (h->stay, ==, SD_STAY_VEHICLE);
  g_assert_cmpuint (h->pets_count, ==, 2);
  g_assert_false (h->check_in);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (m[0].name, ==, "山田 太郎");
  g_assert_cmpstr (m[0].birth_date, ==, "1950-01-06");
  g_assert_cmpint (m[0].sex, ==, SD_SEX_MALE);
  g_assert_true (m[0].consent_disclose);
  g_assert_cmpstr (m[0].phone, ==, "09012345678");
  g_assert_cmpstr (m[1].existing_id, ==, "x");
  g_assert_false (m[1].pregnant);
}

/* The desk's form saves through the store, which refuses the same
 * characters whatever path they came by. */
static void
test_store_refuses_bidi (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-test-intake-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "site.sqlite", NULL);
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  SdShelterSpec shelter_spec = { .code = "A01", .name = "School", .kind = SD_SHELTER_KIND_DESIGNATED };
  g_autoptr(SdShelter) shelter = NULL;
  SdHouseholdSpec household = { 0 };
  SdPersonSpec member = { .name = "abc\xe2\x80\xae" "def" };  /* U+202E */
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  shelter = sd_store_add_shelter (store, &shelter_spec, &error);
  g_assert_no_error (error);
  household.shelter_id = sd_shelter_get_id (shelter);
  id = sd_store_add_household (store, &household, &member, 1, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "U+202E"));

  g_clear_object (&store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intake-input/types", test_types);
  g_test_add_func ("/intake-input/unknown-members", test_unknown_members);
  g_test_add_func ("/intake-input/text", test_text);
  g_test_add_func ("/intake-input/json", test_json);
  g_test_add_func ("/intake-input/good", test_good);
  g_test_add_func ("/intake-input/store-refuses-bidi", test_store_refuses_bidi);

  return g_test_run ();
}
