/* fuzz-intake.c: libFuzzer target for the strict JSON reader of households and people.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes are what `evacuee add --json` reads from standard input (and,
 * through the same reader, a seed's evacuees file or a pre-registration).
 * Besides not crashing, what is accepted must keep the reader's promises:
 * every member has a name or an existing id, and no accepted text holds a
 * character the rules refuse.  Any JSON that parses must also survive our
 * pretty printer: printed and read again, it is the same value.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sd-intake-input.h"
#include "sd-json.h"
#include "sd-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL) || sd_text_find_bidi_control (text) != 0 ||
      g_utf8_strlen (text, -1) > SD_INTAKE_MAX_FIELD_CHARS)
    __builtin_trap ();
}

static void
check_accepted (SdIntakeInput *input)
{
  const SdHouseholdSpec *h = sd_intake_input_get_household (input);
  guint n = 0;
  const SdPersonSpec *m = sd_intake_input_get_members (input, &n);

  if (n == 0 || h->pets_count > 99)
    __builtin_trap ();
  check_text (sd_intake_input_get_shelter (input));
  check_text (h->address);
  check_text (h->phone);
  check_text (h->vehicle_plate);
  check_text (h->pets);
  for (guint i = 0; i < n; i++)
    {
      if (m[i].name == NULL && m[i].existing_id == NULL)
        __builtin_trap ();
      check_text (m[i].name);
      check_text (m[i].kana);
      check_text (m[i].birth_date);
      check_text (m[i].address);
      check_text (m[i].phone);
      check_text (m[i].allergies);
      check_text (m[i].illness);
      check_text (m[i].disability);
      check_text (m[i].mobility);
      check_text (m[i].language);
      check_text (m[i].existing_id);
    }
}

static void
check_printer (const char *text,
               gsize       length)
{
  g_autoptr(json_t) value = sd_json_parse (text, length, 0, NULL);
  g_autofree char *pretty = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(json_t) again = NULL;
  g_autoptr(json_t) again_compact = NULL;

  if (value == NULL)
    return;
  pretty = sd_json_to_pretty (value);
  compact = sd_json_to_compact (value);
  again = sd_json_parse (pretty, strlen (pretty), 0, NULL);
  again_compact = sd_json_parse (compact, strlen (compact), 0, NULL);
  if (again == NULL || again_compact == NULL || !json_equal (value, again) || !json_equal (value, again_compact))
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SdIntakeInput) input = NULL;

  if (size > 16384)
    return 0;

  input = sd_intake_input_new_from_json ((const char *) data, size, NULL);
  if (input != NULL)
    check_accepted (input);
  check_printer ((const char *) data, size);
  return 0;
}
