/* sd-qr-prereg.c: a household's pre-registration, as JSON and as an "SDP1" code.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The code carries the same JSON as the documented file (docs/qr-format.md),
 * read by the strict reader every household goes through (sd-intake-input.c:
 * an unknown or mistyped field is refused by name), written again without
 * empty fields, zlib-compressed (whose Adler-32 catches a half-read code)
 * and base32-encoded.  It is not signed: anyone may make one, and all it
 * does is fill the intake form for a volunteer to confirm with the people
 * in front of them.
 */
#include "sd-qr.h"
#include "sd-qr-private.h"
#include "sd-intake-input.h"
#include "sd-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PREREG_FORMAT "shelterdesk-prereg"
#define MAX_JSON_BYTES (64 * 1024)

/* The household and its members, read by the same strict reader as
 * every other way a household comes in (sd-intake-input.c). */
struct _SdPrereg
{
  SdIntakeInput *input;
};

void
sd_prereg_free (SdPrereg *self)
{
  if (self == NULL)
    return;
  sd_intake_input_free (self->input);
  g_free (self);
}

const SdHouseholdSpec *
sd_prereg_get_household (SdPrereg *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return sd_intake_input_get_household (self->input);
}

const SdPersonSpec *
sd_prereg_get_members (SdPrereg *self,
                       guint    *n_members)
{
  g_return_val_if_fail (self != NULL, NULL);
  return sd_intake_input_get_members (self->input, n_members);
}

/* ---- from JSON ---- */

static void
set_invalid (GError    **error,
             const char *what)
{
  g_set_error (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
               _("The pre-registration is not acceptable: %s"), what);
}

SdPrereg *
sd_prereg_new_from_json (const char  *json,
                         gssize       length,
                         GError     **error)
{
  static const char *const top[] = { "format", "version", "household", "members", NULL };
  g_autoptr(json_t) root = NULL;
  g_autoptr(SdPrereg) self = g_new0 (SdPrereg, 1);
  g_autoptr(GError) local = NULL;
  json_t *node;

  g_return_val_if_fail (json != NULL, NULL);

  self->input = sd_intake_input_new ();
  if (length < 0)
    length = strlen (json);
  if (length > MAX_JSON_BYTES || !g_utf8_validate (json, length, NULL))
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
                           _("This is not a pre-registration: it is not a JSON object in UTF-8."));
      return NULL;
    }
  /* U+0000 gets through the parser only for the reader to name its field. */
  root = sd_json_parse (json, length, JSON_ALLOW_NUL, &local);
  if (root == NULL)
    {
      set_invalid (error, local->message);
      return NULL;
    }
  if (!json_is_object (root))
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
                           _("This is not a pre-registration: it is not a JSON object in UTF-8."));
      return NULL;
    }
  node = json_object_get (root, "format");
  if (node != NULL && g_strcmp0 (json_string_value (node), PREREG_FORMAT) != 0)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
                           _("This is not a pre-registration: its “format” is not “shelterdesk-prereg”."));
      return NULL;
    }
  node = json_object_get (root, "version");
  if (node != NULL && (!json_is_integer (node) || json_integer_value (node) != 1))
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NEWER,
                           _("This pre-registration was made for a newer version of ShelterDesk. "
                             "Register the household by hand."));
      return NULL;
    }

  if (!sd_intake_input_refuse_unknown (root, _("pre-registration"), top, &local))
    {
      set_invalid (error, local->message);
      return NULL;
    }
  node = json_object_get (root, "household");
  if (node != NULL && !json_is_null (node) &&
      !sd_intake_input_read_household (self->input, node, NULL, &local))
    {
      set_invalid (error, local->message);
      return NULL;
    }
  if (!sd_intake_input_read_members (self->input, json_object_get (root, "members"),
                                     SD_QR_PREREG_MAX_MEMBERS, FALSE, &local))
    {
      set_invalid (error, local->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* ---- to JSON ---- */

static void
add_text (json_t     *o,
          const char *name,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  json_object_set_new (o, name, sd_json_text (value));
}

static void
add_true (json_t     *o,
          const char *name,
          gboolean    value)
{
  if (!value)
    return;
  json_object_set_new (o, name, json_true ());
}

static char *
to_json (SdPrereg *self,
         gboolean  for_code)
{
  g_autoptr(json_t) root = json_object ();
  json_t *b = json_object ();
  json_t *list = json_array ();
  const SdHouseholdSpec *h = sd_prereg_get_household (self);
  guint n_members = 0;
  const SdPersonSpec *members = sd_prereg_get_members (self, &n_members);

  if (!for_code)
    {
      add_text (root, "format", PREREG_FORMAT);
      json_object_set_new (root, "version", json_integer (1));
    }
  json_object_set_new (root, "household", b);
  add_text (b, "address", h->address);
  add_text (b, "phone", h->phone);
  if (h->stay != SD_STAY_SHELTER)
    add_text (b, "stay", sd_stay_to_string (h->stay));
  add_text (b, "vehicle_plate", h->vehicle_plate);
  if (h->house_damage != SD_DAMAGE_UNKNOWN)
    add_text (b, "house_damage", sd_house_damage_to_string (h->house_damage));
  add_text (b, "pets", h->pets);
  if (h->pets_count > 0)
    json_object_set_new (b, "pets_count", json_integer (h->pets_count));

  json_object_set_new (root, "members", list);
  for (guint i = 0; i < n_members; i++)
    {
      const SdPersonSpec *m = &members[i];

      b = json_object ();
      json_array_append_new (list, b);
      add_text (b, "name", m->name);
      add_text (b, "kana", m->kana);
      add_text (b, "birth_date", m->birth_date);
      if (m->sex != SD_SEX_UNKNOWN)
        add_text (b, "sex", sd_sex_to_string (m->sex));
      add_text (b, "address", m->address);
      add_text (b, "phone", m->phone);
      add_true (b, "consent_disclose", m->consent_disclose);
      add_text (b, "allergies", m->allergies);
      add_text (b, "illness", m->illness);
      add_true (b, "pregnant", m->pregnant);
      add_text (b, "disability", m->disability);
      if (m->care_level != SD_CARE_NONE)
        add_text (b, "care_level", sd_care_level_to_string (m->care_level));
      add_text (b, "mobility", m->mobility);
      add_text (b, "language", m->language);
    }

  return for_code ? sd_json_to_compact (root) : sd_json_to_pretty (root);
}

char *
sd_prereg_to_json (SdPrereg *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return to_json (self, FALSE);
}

/* ---- the code ---- */

/* Runs CONVERTER over IN; NULL when it fails or the output passes LIMIT. */
static GBytes *
convert (GConverter   *converter,
         const guint8 *in,
         gsize         in_len,
         gsize         limit)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[4096];

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult r = g_converter_convert (converter, in, in_len, buf, sizeof buf,
                                                G_CONVERTER_INPUT_AT_END, &read, &written, NULL);

      if (r == G_CONVERTER_ERROR)
        return NULL;
      g_byte_array_append (out, buf, written);
      in += read;
      in_len -= read;
      if (out->len > limit)
        return NULL;
      if (r == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        return NULL;  /* input ran out before the stream ended: cut short */
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
sd_prereg_to_text (SdPrereg  *self,
                   GError   **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GBytes) packed = NULL;
  g_autofree char *b32 = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (self != NULL, NULL);

  json = to_json (self, TRUE);
  packed = convert (G_CONVERTER (z), (const guint8 *) json, strlen (json), MAX_JSON_BYTES);
  g_assert (packed != NULL);
  data = g_bytes_get_data (packed, &len);
  b32 = _sd_base32_encode (data, len);
  if (strlen (b32) + strlen (SD_QR_PREREG_PREFIX) > SD_QR_PREREG_MAX_TEXT)
    {
      g_set_error (error, SD_QR_ERROR, SD_QR_ERROR_TOO_LARGE,
                   _("Too much for one code (%zu characters, at most %d fit one that a phone photo "
                     "can be read from). Leave out long notes, or make one code for each part of the "
                     "household."),
                   strlen (b32) + strlen (SD_QR_PREREG_PREFIX), SD_QR_PREREG_MAX_TEXT);
      return NULL;
    }
  return g_strconcat (SD_QR_PREREG_PREFIX, b32, NULL);
}

SdPrereg *
sd_prereg_new_from_text (const char  *text,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GByteArray) raw = NULL;
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GBytes) json = NULL;
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  length = strlen (trimmed);
  if (g_ascii_strncasecmp (trimmed, "SDP", MIN (length, 3)) != 0 || length < 3)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NOT_OURS,
                           _("This is not a ShelterDesk pre-registration code."));
      return NULL;
    }
  if (length < 4 || g_ascii_strncasecmp (trimmed, SD_QR_PREREG_PREFIX, 4) != 0)
    {
      g_set_error_literal (error, SD_QR_ERROR, length < 4 ? SD_QR_ERROR_PARTIAL : SD_QR_ERROR_NEWER,
                           length < 4
                           ? _("Only part of the code was read. Hold it flat and steady, and scan again.")
                           : _("This pre-registration was made for a newer version of ShelterDesk. "
                               "Register the household by hand."));
      return NULL;
    }
  if (length > SD_QR_PREREG_MAX_TEXT * 2 ||
      strspn (trimmed + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567") != length - 4)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
                           _("This pre-registration code is damaged. Register the household by hand."));
      return NULL;
    }
  /* Characters past the last whole byte are dropped; zlib's checksum
   * then tells a code read in part from a whole one. */
  raw = _sd_base32_decode (trimmed + 4, length - 4);
  if (raw == NULL)
    raw = _sd_base32_decode (trimmed + 4, (length - 4) / 8 * 8);
  json = raw ? convert (G_CONVERTER (z), raw->data, raw->len, MAX_JSON_BYTES) : NULL;
  if (json == NULL)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_PARTIAL,
                           _("Only part of the pre-registration code was read, or it is damaged. "
                             "Scan it again; if it still fails, register the household by hand."));
      return NULL;
    }
  return sd_prereg_new_from_json (g_bytes_get_data (json, NULL), g_bytes_get_size (json), error);
}
