/* sd-qr-card.c: evacuee cards: the signed "SDC1" payload and the deployment's card key.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body is 104 bytes, big-endian where numbers are:
 *
 *   0   key id      4   first 4 bytes of BLAKE2b-256 of the public key
 *   4   person id  16   the person's UUID
 *   20  site id    16   the issuing site (its 128-bit id)
 *   36  issued at   4   Unix seconds, unsigned
 *   40  signature  64   Ed25519 (crypto_sign_detached) over "SDC1" + bytes 0..39
 *
 * The prefix is signed too, so a body can never be passed off as another
 * kind or version of code.
 */
#include "sd-qr.h"
#include "sd-json.h"
#include "sd-qr-private.h"
#include "sd-store-private.h"
#include "sd-uuid.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

G_DEFINE_QUARK (sd-qr-error-quark, sd_qr_error)

#define SIGNED_LEN 40
#define KEY_JSON_FORMAT "shelterdesk-card-key"

/* ---- base32 ---- */

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

char *
_sd_base32_encode (const guint8 *data,
                   gsize         length)
{
  GString *out = g_string_sized_new (length * 8 / 5 + 2);
  guint32 buffer = 0;
  int bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, b32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, b32_alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

GByteArray *
_sd_base32_decode (const char *text,
                   gsize       length)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (length * 5 / 8 + 1);
  guint32 buffer = 0;
  int bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = g_ascii_toupper (text[i]);
      guint value;

      if (c >= 'A' && c <= 'Z')
        value = c - 'A';
      else if (c >= '2' && c <= '7')
        value = c - '2' + 26;
      else
        return NULL;
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8)
        {
          guint8 byte = (buffer >> (bits - 8)) & 0xff;

          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  /* Leftover bits are padding and must be zero: one encoding per body. */
  if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0)
    return NULL;
  return g_steal_pointer (&out);
}

SdQrKind
sd_qr_kind_of (const char *text)
{
  if (text == NULL)
    return SD_QR_KIND_UNKNOWN;
  if (g_ascii_strncasecmp (text, "SDC", 3) == 0)
    return SD_QR_KIND_CARD;
  if (g_ascii_strncasecmp (text, "SDP", 3) == 0)
    return SD_QR_KIND_PREREG;
  return SD_QR_KIND_UNKNOWN;
}

/* ---- the card body ---- */

static void
uuid_to_bytes (const char *uuid,
               guint8      out[16])
{
  gsize n = 0;

  for (const char *p = uuid; *p && n < 16; p++)
    if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
      {
        out[n++] = g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]);
        p++;
      }
}

static void
bytes_to_uuid (const guint8 in[16],
               char         out[37])
{
  char *o = out;

  for (int i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *o++ = '-';
      g_snprintf (o, 3, "%02x", in[i]);
      o += 2;
    }
  *o = '\0';
}

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static void
set_not_ours (GError **error)
{
  g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NOT_OURS,
                       _("This is not a ShelterDesk evacuee card. Scan the QR code on the person’s "
                         "evacuee card, or find them by name."));
}

static void
set_partial (GError **error)
{
  g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_PARTIAL,
                       _("Only part of the code was read. Hold the card flat and steady, and scan again."));
}

static void
set_forged (GError **error)
{
  g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_FORGED,
                       _("This code is not genuine: it was altered, damaged or forged. Nothing was "
                         "recorded. Find the person by name and tell the shelter lead."));
}

gboolean
sd_qr_card_parse (const char  *text,
                  SdQrCard    *out_card,
                  guint8       out_raw[SD_QR_CARD_BYTES],
                  GError     **error)
{
  g_autoptr(GByteArray) raw = NULL;
  g_autofree char *trimmed = NULL;
  gsize length;

  g_return_val_if_fail (text != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  length = strlen (trimmed);
  /* A prefix of the prefix is the start of a card, read no further. */
  if (length < strlen (SD_QR_CARD_PREFIX))
    {
      if (length >= 2 && g_ascii_strncasecmp (trimmed, SD_QR_CARD_PREFIX, length) == 0)
        set_partial (error);
      else
        set_not_ours (error);
      return FALSE;
    }
  if (g_ascii_strncasecmp (trimmed, "SDC", 3) != 0)
    {
      set_not_ours (error);
      return FALSE;
    }
  if (g_ascii_strncasecmp (trimmed, SD_QR_CARD_PREFIX, 4) != 0)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NEWER,
                           _("This card was made by a newer version of ShelterDesk, which this desk "
                             "cannot read. Find the person by name, and ask HQ to update this desk."));
      return FALSE;
    }
  if (length < SD_QR_CARD_TEXT_LEN)
    {
      /* Only a true start of a code counts as half-read. */
      if (strspn (trimmed + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567") == length - 4)
        set_partial (error);
      else
        set_forged (error);
      return FALSE;
    }
  if (length > SD_QR_CARD_TEXT_LEN)
    {
      set_forged (error);
      return FALSE;
    }
  raw = _sd_base32_decode (trimmed + 4, length - 4);
  if (raw == NULL || raw->len != SD_QR_CARD_BYTES)
    {
      set_forged (error);
      return FALSE;
    }

  if (out_card != NULL)
    {
      out_card->key_id = get_u32 (raw->data);
      bytes_to_uuid (raw->data + 4, out_card->person_id);
      sodium_bin2hex (out_card->site_id, sizeof out_card->site_id, raw->data + 20, 16);
      out_card->issued_at = get_u32 (raw->data + 36);
    }
  if (out_raw != NULL)
    memcpy (out_raw, raw->data, SD_QR_CARD_BYTES);
  return TRUE;
}

/* ---- keys ---- */

/* A key id as people see it: 8 hex digits. */
static char *
key_id_text (guint32 key_id)
{
  return g_strdup_printf ("%08x", key_id);
}

static guint32
key_id_of (const guint8 pk[crypto_sign_PUBLICKEYBYTES])
{
  guint8 hash[32];

  crypto_generichash (hash, sizeof hash, pk, crypto_sign_PUBLICKEYBYTES, NULL, 0);
  return get_u32 (hash);
}

static gboolean
add_key (SdStore      *store,
         const guint8  pk[crypto_sign_PUBLICKEYBYTES],
         const guint8 *seed,
         guint32      *out_key_id,
         GError      **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  guint32 key_id = key_id_of (pk);
  sqlite3_stmt *stmt;

  if (txn == NULL)
    return FALSE;
  if (seed != NULL)
    {
      stmt = _sd_store_prepare (store, "UPDATE card_keys SET is_current = 0", error);
      if (stmt == NULL || !_sd_store_exec (store, stmt, _("save the card key"), error))
        return FALSE;
    }
  /* A key known already keeps its secret if this copy has none. */
  stmt = _sd_store_prepare (store,
                            "INSERT INTO card_keys (key_id, public_key, seed, is_current, added_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT (key_id) DO UPDATE SET seed = coalesce (excluded.seed, seed), "
                            "  is_current = max (excluded.is_current, is_current)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key_id);
  sqlite3_bind_blob (stmt, 2, pk, crypto_sign_PUBLICKEYBYTES, SQLITE_TRANSIENT);
  if (seed != NULL)
    sqlite3_bind_blob (stmt, 3, seed, crypto_sign_SEEDBYTES, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, seed != NULL);
  sqlite3_bind_int64 (stmt, 5, sd_store_now_ms (store));
  if (!_sd_store_exec (store, stmt, _("save the card key"), error))
    return FALSE;
  if (out_key_id != NULL)
    *out_key_id = key_id;
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* The signing key: SK must hold crypto_sign_SECRETKEYBYTES. */
static gboolean
current_key (SdStore  *store,
             gboolean  create,
             guint32  *out_key_id,
             guint8   *sk,
             GError  **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT key_id, seed FROM card_keys WHERE is_current = 1 "
                                          "AND seed IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = _sd_store_step (store, stmt, _("read the card key"), error);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 1) == crypto_sign_SEEDBYTES)
    {
      guint8 pk[crypto_sign_PUBLICKEYBYTES];

      *out_key_id = (guint32) sqlite3_column_int64 (stmt, 0);
      crypto_sign_seed_keypair (pk, sk, sqlite3_column_blob (stmt, 1));
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return FALSE;
  if (!create)
    {
      g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NO_KEY,
                           _("This desk has no card key yet, so it cannot make evacuee cards. "
                             "Ask HQ for the deployment’s card key file."));
      return FALSE;
    }

  {
    guint8 seed[crypto_sign_SEEDBYTES];
    guint8 pk[crypto_sign_PUBLICKEYBYTES];
    gboolean ok;

    randombytes_buf (seed, sizeof seed);
    crypto_sign_seed_keypair (pk, sk, seed);
    ok = add_key (store, pk, seed, out_key_id, error);
    sodium_memzero (seed, sizeof seed);
    g_debug ("made a new card key %08x", *out_key_id);
    return ok;
  }
}

static gboolean
public_key (SdStore *store,
            guint32  key_id,
            guint8   pk[crypto_sign_PUBLICKEYBYTES],
            GError **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT public_key FROM card_keys WHERE key_id = ?1", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, key_id);
  found = _sd_store_step (store, stmt, _("read the card key"), error) == SQLITE_ROW &&
          sqlite3_column_bytes (stmt, 0) == crypto_sign_PUBLICKEYBYTES;
  if (found)
    memcpy (pk, sqlite3_column_blob (stmt, 0), crypto_sign_PUBLICKEYBYTES);
  sqlite3_reset (stmt);
  return found;
}

char *
sd_store_get_card_key_id (SdStore *store)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT key_id FROM card_keys ORDER BY is_current DESC, "
                                                 "added_at DESC LIMIT 1", NULL);
  char *id = NULL;

  if (stmt != NULL && _sd_store_step (store, stmt, NULL, NULL) == SQLITE_ROW)
    id = key_id_text ((guint32) sqlite3_column_int64 (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return id;
}

char *
sd_store_export_card_key (SdStore   *store,
                          gboolean   with_secret,
                          GError   **error)
{
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint32 key_id;
  g_autoptr(json_t) root = json_object ();
  g_autofree char *pk64 = NULL;
  g_autofree char *hex = NULL;
  char *seed64 = NULL;
  char *json;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (!current_key (store, TRUE, &key_id, sk, error))
    return NULL;
  /* libsodium's secret key is seed | public key. */
  pk64 = g_base64_encode (sk + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES);
  hex = key_id_text (key_id);
  json_object_set_new (root, "format", json_string (KEY_JSON_FORMAT));
  json_object_set_new (root, "version", json_integer (1));
  json_object_set_new (root, "key_id", json_string (hex));
  json_object_set_new (root, "public_key", json_string (pk64));
  if (with_secret)
    {
      seed64 = g_base64_encode (sk, crypto_sign_SEEDBYTES);
      json_object_set_new (root, "seed", json_string (seed64));
    }
  sodium_memzero (sk, sizeof sk);

  json = sd_json_to_pretty (root);
  if (seed64 != NULL)
    {
      sodium_memzero (seed64, strlen (seed64));
      g_free (seed64);
    }
  return json;
}

static gboolean
decode_b64 (const char *text,
            guint8     *out,
            gsize       want)
{
  gsize n = 0;
  g_autofree guint8 *raw = NULL;
  gboolean ok;

  if (text == NULL)
    return FALSE;
  raw = g_base64_decode (text, &n);
  ok = n == want;
  if (ok)
    memcpy (out, raw, want);
  if (raw != NULL)
    sodium_memzero (raw, n);
  return ok;
}

char *
sd_store_import_card_key (SdStore     *store,
                          const char  *json,
                          GError     **error)
{
  g_autoptr(json_t) o = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 seed[crypto_sign_SEEDBYTES];
  gboolean has_seed;
  guint32 key_id;
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  o = sd_json_parse (json, strlen (json), 0, NULL);
  if (!json_is_object (o) ||
      g_strcmp0 (json_string_value (json_object_get (o, "format")), KEY_JSON_FORMAT) != 0)
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                           _("This is not a ShelterDesk card key file."));
      return NULL;
    }
  if (!json_is_integer (json_object_get (o, "version")) ||
      json_integer_value (json_object_get (o, "version")) != 1)
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("This card key file was made by a newer version of ShelterDesk."));
      return NULL;
    }
  if (!decode_b64 (json_string_value (json_object_get (o, "public_key")), pk, sizeof pk))
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                           _("The card key file is damaged: its public key is missing or wrong."));
      return NULL;
    }
  has_seed = json_object_get (o, "seed") != NULL;
  if (has_seed)
    {
      guint8 derived_pk[crypto_sign_PUBLICKEYBYTES];
      guint8 sk[crypto_sign_SECRETKEYBYTES];

      if (!decode_b64 (json_string_value (json_object_get (o, "seed")), seed, sizeof seed))
        {
          g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                               _("The card key file is damaged: its secret part is wrong."));
          return NULL;
        }
      crypto_sign_seed_keypair (derived_pk, sk, seed);
      sodium_memzero (sk, sizeof sk);
      if (sodium_memcmp (derived_pk, pk, sizeof pk) != 0)
        {
          sodium_memzero (seed, sizeof seed);
          g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                               _("The card key file is damaged: its two parts do not belong together."));
          return NULL;
        }
    }
  ok = add_key (store, pk, has_seed ? seed : NULL, &key_id, error);
  sodium_memzero (seed, sizeof seed);
  return ok ? key_id_text (key_id) : NULL;
}

GArray *
sd_store_list_card_keys (SdStore  *store,
                         GError  **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, TRUE, sizeof (SdCardKeyInfo));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, "SELECT key_id, is_current, seed IS NOT NULL, added_at FROM card_keys "
                                   "ORDER BY is_current DESC, added_at DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the card keys"), error)) == SQLITE_ROW)
    {
      SdCardKeyInfo info = { 0 };

      g_snprintf (info.key_id, sizeof info.key_id, "%08x", (guint32) sqlite3_column_int64 (stmt, 0));
      info.current = sqlite3_column_int (stmt, 1);
      info.has_secret = sqlite3_column_int (stmt, 2);
      info.added_at = sqlite3_column_int64 (stmt, 3);
      g_array_append_val (keys, info);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&keys) : NULL;
}

gboolean
sd_store_remove_card_key (SdStore     *store,
                          const char  *key_id,
                          GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;
  guint64 id;
  char *end = NULL;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  id = key_id ? g_ascii_strtoull (key_id, &end, 16) : 0;
  if (key_id == NULL || strlen (key_id) != 8 || end == NULL || *end != '\0')
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                           _("A card key id is 8 hexadecimal digits, as “qr key list” shows it."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "SELECT is_current FROM card_keys WHERE key_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  rc = _sd_store_step (store, stmt, _("read the card keys"), error);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0))
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                           _("This is the key new cards are signed with. Import the deployment’s new key "
                             "first, then remove this one."));
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                             _("This database has no card key with that id."));
      return FALSE;
    }
  stmt = _sd_store_prepare (store, "DELETE FROM card_keys WHERE key_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  return _sd_store_exec (store, stmt, _("remove the card key"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- issuing and verifying ---- */

char *
sd_store_issue_card (SdStore     *store,
                     const char  *person_id,
                     GError     **error)
{
  g_autoptr(SdPerson) person = NULL;
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 body[SD_QR_CARD_BYTES];
  guint8 message[4 + SIGNED_LEN];
  g_autofree char *b32 = NULL;
  guint32 key_id;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (person_id == NULL || !sd_uuid_is_valid (person_id))
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("No such person."));
      return NULL;
    }
  person = sd_store_get_person (store, person_id, error);
  if (person == NULL)
    return NULL;
  if (!current_key (store, TRUE, &key_id, sk, error))
    return NULL;

  put_u32 (body, key_id);
  uuid_to_bytes (person_id, body + 4);
  sodium_hex2bin (body + 20, 16, sd_store_get_site_id (store), 32, NULL, NULL, NULL);
  put_u32 (body + 36, (guint32) (sd_store_now_ms (store) / 1000));
  memcpy (message, SD_QR_CARD_PREFIX, 4);
  memcpy (message + 4, body, SIGNED_LEN);
  crypto_sign_detached (body + SIGNED_LEN, NULL, message, sizeof message, sk);
  sodium_memzero (sk, sizeof sk);

  b32 = _sd_base32_encode (body, sizeof body);
  return g_strconcat (SD_QR_CARD_PREFIX, b32, NULL);
}

gboolean
sd_store_verify_card (SdStore     *store,
                      const char  *text,
                      SdQrCard    *out_card,
                      GError     **error)
{
  SdQrCard card;
  guint8 raw[SD_QR_CARD_BYTES];
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 message[4 + SIGNED_LEN];
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (!sd_qr_card_parse (text, &card, raw, error))
    return FALSE;
  if (!public_key (store, card.key_id, pk, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_FOREIGN,
                             _("This card was not issued by this deployment (another municipality’s "
                               "ShelterDesk, or a damaged code), so it cannot be used here. Nothing was "
                               "recorded. Find the person by name or register them at intake."));
      return FALSE;
    }
  memcpy (message, SD_QR_CARD_PREFIX, 4);
  memcpy (message + 4, raw, SIGNED_LEN);
  if (crypto_sign_verify_detached (raw + SIGNED_LEN, message, sizeof message, pk) != 0)
    {
      set_forged (error);
      return FALSE;
    }
  if (out_card != NULL)
    *out_card = card;
  return TRUE;
}
