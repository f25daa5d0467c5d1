/* test-fields.c: the fields reader of the replay gives what json_each gives.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sd-fields-differ.h"
#include "sd-fields.h"

static void
check (sqlite3    *db,
       const char *json,
       gsize       n,
       int         want_accepted)  /* -1: either */
{
  gboolean accepted;

  if (!sd_fields_differ_check (db, json, n, &accepted))
    g_error ("the reader and json_each differ on %.*s", (int) n, json);
  if (want_accepted >= 0 && accepted != want_accepted)
    g_error ("the reader %s %.*s", accepted ? "accepted" : "refused", (int) n, json);
}

/* What ShelterDesk writes, and JSON as others may write it: read here. */
static void
test_fields_accepted (void)
{
  static const char *const cases[] = {
    "{}", " { } ", "{\"3\":\"山田\",\"5\":12,\"7\":null,\"8\":true,\"9\":false}",
    "{\"1\":\"\"}", "{\"1\":0,\"2\":-0,\"3\":-1}",
    "{\"1\":9223372036854775807,\"2\":-9223372036854775808}",
    "{\"1\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}",
    "{\"1\":\"\\u0041\\u00e9\\u3042\\uD83D\\uDE00\\ud83d\\ude00\"}",
    "{\"1\":\"\xff\xfe not UTF-8\"}", "{\"1\":\"\x7f\"}",
    "{\"1\":[1, 2.5e3 ,\"x\\u0000\", {\"a\" : [ ] } ],\"2\":{ }}",
    "{\"1\":[-0.0,1E+2,1e-2,true,false,null,\"\\uD800\"]}",
    "{\"3\":1,\"3\":2}", "{\"0\":1}", "{\"0003\":1}", "{\"999999999\":1}",
    "\t\r\n{\t\"1\"\n:\r1\t}\n",
  };

  sqlite3 *db = sd_fields_differ_open ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check (db, cases[i], strlen (cases[i]), TRUE);
  sqlite3_close (db);
}

/* What json_each reads its own way, or refuses: left to it. */
static void
test_fields_refused (void)
{
  static const char *const cases[] = {
    "", "[]", "1", "\"x\"", "{", "{\"1\":}", "{\"1\":1,}", "{,}", "{\"1\" 1}", "{\"a\":1}", "{\"\":1}",
    "{\"1\\u0030\":1}", "{\"1234567890\":1}", "{1:1}", "{\"1\":1}x", "{\"1\":1}{}",
    "{\"1\":1.0}", "{\"1\":1e3}", "{\"1\":9223372036854775808}", "{\"1\":-9223372036854775809}",
    "{\"1\":123456789012345678901234567890}", "{\"1\":01}", "{\"1\":-}", "{\"1\":1.}", "{\"1\":.5}",
    "{\"1\":+1}", "{\"1\":\"\\u0000\"}", "{\"1\":\"\\uD800\"}", "{\"1\":\"\\uDC00\"}",
    "{\"1\":\"\\uD800\\u0041\"}", "{\"1\":\"\\x\"}", "{\"1\":\"\\u12\"}", "{\"1\":\"a\nb\"}",
    "{\"1\":tru}", "{\"1\":truex}", "{\"1\":nul}", "{\"1\":[1,]}", "{\"1\":[01]}", "{\"1\":{\"a\"}}",
    "{\"1\":{1:2}}", "{\"1\":[1 2]}", "{\"1\":\"x\"\f}", "\v{}",
    "{\"1\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
  };

  sqlite3 *db = sd_fields_differ_open ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check (db, cases[i], strlen (cases[i]), FALSE);
  /* A NUL ends the text for SQLite, not for the reader. */
  check (db, "{\"1\":1}\0x", 9, FALSE);
  check (db, "{\"1\":\"a\0b\"}", 11, FALSE);
  sqlite3_close (db);
}

static const char *const pieces[] = {
  "{", "}", "[", "]", ",", ":", " ", "\n", "\"", "\\", "\\u", "\\\"", "\\n", "\\uD83D", "\\uDE00", "\\u0000",
  "0", "1", "-", ".", "e", "E", "+", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
  "true", "false", "null", "\"1\"", "\"23\"", "\"x\"", "山田", "\xff", "\x01", "00", "1.5", "e5",
};

/* A member's value, valid or nearly. */
static void
append_value (GString *out,
              int      depth)
{
  switch (g_test_rand_int_range (0, depth < 4 ? 9 : 6))
    {
    case 0:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) g_test_rand_int () * g_test_rand_int_range (1, 4));
      break;
    case 1:
      g_string_append (out, pieces[g_test_rand_int_range (23, 29)]);
      break;
    case 2:
    case 3:
      g_string_append_c (out, '"');
      for (int k = g_test_rand_int_range (0, 5); k > 0; k--)
        g_string_append (out, pieces[g_test_rand_int_range (9, G_N_ELEMENTS (pieces))]);
      g_string_append_c (out, '"');
      break;
    case 4:
      g_string_append (out, "\"plain\"");
      break;
    case 5:
      g_string_append (out, g_test_rand_bit () ? "1.25" : "-0");
      break;
    default:
      g_string_append_c (out, g_test_rand_bit () ? '[' : '{');
      if (out->str[out->len - 1] == '{')
        {
          for (int k = g_test_rand_int_range (0, 3); k > 0; k--)
            {
              g_string_append_printf (out, "\"k%d\" : ", k);
              append_value (out, depth + 1);
              if (k > 1)
                g_string_append (out, " , ");
            }
          g_string_append_c (out, '}');
        }
      else
        {
          for (int k = g_test_rand_int_range (0, 3); k > 0; k--)
            {
              append_value (out, depth + 1);
              if (k > 1)
                g_string_append_c (out, ',');
            }
          g_string_append_c (out, ']');
        }
      break;
    }
}

/* Random objects, then the same broken at random: each compared. */
static void
test_fields_random (void)
{
  sqlite3 *db = sd_fields_differ_open ();
  guint accepted = 0;

  for (int i = 0; i < 20000; i++)
    {
      g_autoptr(GString) json = g_string_new ("{");
      gboolean ok;

      for (int k = g_test_rand_int_range (0, 6); k > 0; k--)
        {
          g_string_append_printf (json, "\"%d\":", g_test_rand_int_range (0, 40));
          append_value (json, 0);
          if (k > 1)
            g_string_append (json, g_test_rand_bit () ? "," : " ,\n");
        }
      g_string_append_c (json, '}');
      if (!sd_fields_differ_check (db, json->str, json->len, &ok))
        g_error ("the reader and json_each differ on %s", json->str);
      accepted += ok;

      /* Broken: a piece put in, a byte taken out, the end cut. */
      switch (g_test_rand_int_range (0, 3))
        {
        case 0:
          g_string_insert (json, g_test_rand_int_range (0, (int) json->len + 1),
                           pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          break;
        case 1:
          g_string_erase (json, g_test_rand_int_range (0, (int) json->len), 1);
          break;
        default:
          g_string_truncate (json, g_test_rand_int_range (0, (int) json->len));
          break;
        }
      check (db, json->str, json->len, -1);
    }
  /* Most of the valid ones are read here, not left to json_each. */
  g_assert_cmpuint (accepted, >, 5000);
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fields/accepted", test_fields_accepted);
  g_test_add_func ("/fields/refused", test_fields_refused);
  g_test_add_func ("/fields/random", test_fields_random);
  return g_test_run ();
}
