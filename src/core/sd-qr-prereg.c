/* sd-qr-prereg.c: a household's pre-registration, as JSON and as an "SDP1" code.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The code carries the same JSON as the documented file (docs/qr-format.md),
 * rewritten with only the fields ShelterDesk knows, zlib-compressed (whose
 * Adler-32 catches a half-read code) and base32-encoded.  It is not
 * signed: anyone may make one, and all it does is fill the intake form
 * for a volunteer to confirm with the people in front of them.
 */
#include "sd-qr.h"
#include "sd-qr-private.h"
#include "sd-date.h"
#include "sd-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PREREG_FORMAT "shelterdesk-prereg"
#define MAX_JSON_BYTES (64 * 1024)
#define MAX_FIELD_CHARS 400

struct _SdPrereg
{
  SdHouseholdSpec household;
  GArray         *members;  /* SdPersonSpec */
  GStringChunk   *strings;
};

void
sd_prereg_free (SdPrereg *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->members);
  g_string_chunk_free (self->strings);
  g_free (self);
}

const SdHouseholdSpec *
sd_prereg_get_household (SdPrereg *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->household;
}

const SdPersonSpec *
sd_prereg_get_members (SdPrereg *self,
                       guint    *n_members)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_members != NULL)
    *n_members = self->members->len;
  return (const SdPersonSpec *) self->members->data;
}

/* ---- from JSON ---- */

static void
set_invalid (GError    **error,
             const char *where,
             const char *what)
{
  g_set_error (error, SD_QR_ERROR, SD_QR_ERROR_INVALID,
               _("The pre-registration is not acceptable: %s: %s"), where, what);
}

/* A member string: NULL when absent or empty; FALSE when not a string or too long. */
static gboolean
get_text (SdPrereg    *self,
          json_t      *o,
          const char  *name,
          const char  *where,
          const char **out,
          GError     **error)
{
  json_t *node = json_object_get (o, name);
  const char *text;

  *out = NULL;
  if (node == NULL || json_is_null (node))
    return TRUE;
  if (!json_is_string (node))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be text"), name);
      set_invalid (error, where, what);
      return FALSE;
    }
  text = json_string_value (node);
  if (g_utf8_strlen (text, -1) > MAX_FIELD_CHARS)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is too long"), name);
      set_invalid (error, where, what);
      return FALSE;
    }
  if (*text != '\0')
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));
      if (*stripped != '\0')
        *out = g_string_chunk_insert (self->strings, stripped);
    }
  return TRUE;
}

static gboolean
get_bool (json_t      *o,
          const char  *name,
          const char  *where,
          gboolean    *out,
          GError     **error)
{
  json_t *node = json_object_get (o, name);

  *out = FALSE;
  if (node == NULL || json_is_null (node))
    return TRUE;
  if (!json_is_boolean (node))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be true or false"), name);
      set_invalid (error, where, what);
      return FALSE;
    }
  *out = json_is_true (node);
  return TRUE;
}

typedef gboolean (*FromStringFunc) (const char *text, gpointer out);

static gboolean
get_enum (SdPrereg       *self,
          json_t         *o,
          const char     *name,
          const char     *where,
          FromStringFunc  from_string,
          gpointer        out,
          GError        **error)
{
  const char *text;

  if (!get_text (self, o, name, where, &text, error))
    return FALSE;
  if (text != NULL && !from_string (text, out))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” has a value ShelterDesk does not know"), name);
      set_invalid (error, where, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_household (SdPrereg    *self,
                json_t      *o,
                GError     **error)
{
  const char *where = _("household");
  SdHouseholdSpec *h = &self->household;
  json_t *count;

  if (!get_text (self, o, "address", where, &h->address, error) ||
      !get_text (self, o, "phone", where, &h->phone, error) ||
      !get_enum (self, o, "stay", where, (FromStringFunc) sd_stay_from_string, &h->stay, error) ||
      !get_text (self, o, "vehicle_plate", where, &h->vehicle_plate, error) ||
      !get_enum (self, o, "house_damage", where, (FromStringFunc) sd_house_damage_from_string,
                 &h->house_damage, error) ||
      !get_text (self, o, "pets", where, &h->pets, error))
    return FALSE;
  count = json_object_get (o, "pets_count");
  if (count != NULL && !json_is_null (count))
    {
      json_int_t n = json_is_integer (count) ? json_integer_value (count) : -1;

      if (n < 0 || n > 99)
        {
          set_invalid (error, where, _("“pets_count” must be a number from 0 to 99"));
          return FALSE;
        }
      h->pets_count = (guint) n;
    }
  return TRUE;
}

static gboolean
read_member (SdPrereg    *self,
             json_t      *o,
             guint        index,
             GError     **error)
{
  g_autofree char *where = g_strdup_printf (_("member %u"), index + 1);
  SdPersonSpec m = { 0 };
  const char *birth;

  if (!get_text (self, o, "name", where, &m.name, error) ||
      !get_text (self, o, "kana", where, &m.kana, error) ||
      !get_text (self, o, "birth_date", where, &birth, error) ||
      !get_enum (self, o, "sex", where, (FromStringFunc) sd_sex_from_string, &m.sex, error) ||
      !get_text (self, o, "address", where, &m.address, error) ||
      !get_text (self, o, "phone", where, &m.phone, error) ||
      !get_bool (o, "consent_disclose", where, &m.consent_disclose, error) ||
      !get_text (self, o, "allergies", where, &m.allergies, error) ||
      !get_text (self, o, "illness", where, &m.illness, error) ||
      !get_bool (o, "pregnant", where, &m.pregnant, error) ||
      !get_text (self, o, "disability", where, &m.disability, error) ||
      !get_enum (self, o, "care_level", where, (FromStringFunc) sd_care_level_from_string,
                 &m.care_level, error) ||
      !get_text (self, o, "mobility", where, &m.mobility, error) ||
      !get_text (self, o, "language", where, &m.language, error))
    return FALSE;
  if (m.name == NULL)
    {
      set_invalid (error, where, _("the name is missing"));
      return FALSE;
    }
  if (birth != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *iso = sd_date_parse_iso (birth, NULL, &local);

      if (iso == NULL)
        {
          set_invalid (error, where, local->message);
          return FALSE;
        }
      m.birth_date = g_string_chunk_insert (self->strings, iso);
    }
  g_array_append_val (self->members, m);
  return TRUE;
}

static SdPrereg *
prereg_new (void)
{
  SdPrereg *self = g_new0 (SdPrereg, 1);

  self->members = g_array_new (FALSE, TRUE, sizeof (SdPersonSpec));
  self->strings = g_string_chunk_new (256);
  return self;
}

SdPrereg *
sd_prereg_new_from_json (const char  *json,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(json_t) root = NULL;
  g_autoptr(SdPrereg) self = prereg_new ();
  json_t *node;
  json_t *members;

  g_return_val_if_fail (json != NULL, NULL);

  if (length < 0)
    length = strlen (json);
  if (length <= MAX_JSON_BYTES && g_utf8_validate (json, length, NULL))
    root = sd_json_parse (json, length, 0, NULL);
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

  node = json_object_get (root, "household");
  if (node != NULL && !json_is_null (node))
    {
      if (!json_is_object (node))
        {
          set_invalid (error, _("household"), _("must be an object"));
          return NULL;
        }
      if (!read_household (self, node, error))
        return NULL;
    }

  members = json_object_get (root, "members");
  if (!json_is_array (members) || json_array_size (members) == 0)
    {
      set_invalid (error, _("members"), _("there must be at least one member"));
      return NULL;
    }
  if (json_array_size (members) > SD_QR_PREREG_MAX_MEMBERS)
    {
      g_autofree char *what = g_strdup_printf (_("at most %d people fit one code"), SD_QR_PREREG_MAX_MEMBERS);
      set_invalid (error, _("members"), what);
      return NULL;
    }
  for (guint i = 0; i < json_array_size (members); i++)
    {
      json_t *m = json_array_get (members, i);

      if (!json_is_object (m))
        {
          g_autofree char *where = g_strdup_printf (_("member %u"), i + 1);
          set_invalid (error, where, _("must be an object"));
          return NULL;
        }
      if (!read_member (self, m, i, error))
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
  const SdHouseholdSpec *h = &self->household;

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
  for (guint i = 0; i < self->members->len; i++)
    {
      const SdPersonSpec *m = &g_array_index (self->members, SdPersonSpec, i);

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
