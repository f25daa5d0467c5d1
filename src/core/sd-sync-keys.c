/* sd-sync-keys.c: a deployment's keys and sites: HQ, the bundle, enrolment, revocation.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HQ makes a deployment (its Ed25519 signing key and X25519 box key) and
 * writes a bundle: a batch like any other, signed by HQ and carrying
 * every record HQ holds, but sealed to a key made from a passphrase
 * (crypto_pwhash, Argon2id) that HQ shows once, so that a stick lost on
 * the way leaks nothing.  A blank database enrolled from it becomes a
 * kiosk: it makes its own keys, trusts HQ's, and shows its fingerprint;
 * its first batch to HQ carries its public keys, and HQ enrols it when a
 * person has compared the fingerprint on both screens (docs/sync.md).
 * The bundle says whether the deployment is a tabletop exercise: a
 * kiosk enrolled from an exercise's is marked one, and a database made
 * for an exercise is never enrolled into a real deployment.
 *
 * The bundle file: "SDBUNDL" 0x01, 16 bytes of salt, then a batch
 * (docs/batch-format.md) sealed to the key pair crypto_box_seed_keypair
 * makes from crypto_pwhash (32 bytes, the passphrase as typed without
 * spaces and hyphens, upper case; the salt; OPSLIMIT and MEMLIMIT
 * INTERACTIVE; Argon2id 1.3).
 */
#include "sd-store-private.h"
#include "sd-sync-private.h"
#include "sd-sync-client.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (sd-sync-error-quark, sd_sync_error)

#define BUNDLE_MAGIC "SDBUNDL\x01"
#define BUNDLE_MAGIC_LEN 8
#define BUNDLE_SALT_LEN crypto_pwhash_SALTBYTES

void
_sd_sync_self_clear (SdSyncSelf *self)
{
  g_clear_pointer (&self->deployment_id, g_free);
  g_clear_pointer (&self->deployment_name, g_free);
  sodium_memzero (&self->signer, sizeof self->signer);
  sodium_memzero (&self->receiver, sizeof self->receiver);
}

static gboolean
copy_blob (sqlite3_stmt *stmt,
           int           column,
           guint8       *out,
           gsize         length)
{
  if (sqlite3_column_type (stmt, column) != SQLITE_BLOB || (gsize) sqlite3_column_bytes (stmt, column) != length)
    return FALSE;
  memcpy (out, sqlite3_column_blob (stmt, column), length);
  return TRUE;
}

gboolean
_sd_sync_load_self (SdStore     *store,
                    SdSyncSelf  *self,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (self, 0, sizeof *self);
  stmt = _sd_store_prepare (store, "SELECT role, deployment_id, deployment_name, sign_pk, sign_sk, box_pk, box_sk "
                                   "FROM sync_self WHERE id = 1", error);
  if (stmt == NULL || (rc = _sd_store_step (store, stmt, _("read the site’s keys"), error)) < 0)
    return FALSE;
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ENROLLED,
                   _("This database does not belong to a deployment yet. At HQ, make one with "
                     "“deploy bundle”; at a kiosk, enrol it from HQ’s bundle with “deploy enrol”."));
      return FALSE;
    }
  self->role = g_str_equal (sqlite3_column_text (stmt, 0), "hq") ? SD_SYNC_ROLE_HQ : SD_SYNC_ROLE_KIOSK;
  self->deployment_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->deployment_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  copy_blob (stmt, 3, self->signer.sign_pk, sizeof self->signer.sign_pk);
  copy_blob (stmt, 4, self->signer.sign_sk, sizeof self->signer.sign_sk);
  copy_blob (stmt, 5, self->receiver.box_pk, sizeof self->receiver.box_pk);
  copy_blob (stmt, 6, self->receiver.box_sk, sizeof self->receiver.box_sk);
  sqlite3_reset (stmt);
  return TRUE;
}

SdSyncRole
sd_sync_get_role (SdStore *store)
{
  g_auto(SdSyncSelf) self = { 0 };

  if (!_sd_sync_load_self (store, &self, NULL))
    return SD_SYNC_ROLE_NONE;
  return self.role;
}

char *
_sd_sync_fingerprint (const guint8 *pk)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  GString *out = g_string_new (NULL);

  crypto_hash_sha256 (hash, pk, crypto_sign_PUBLICKEYBYTES);
  for (guint i = 0; i < 10; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (out, '-');
      g_string_append_printf (out, "%02X", hash[i]);
    }
  return g_string_free (out, FALSE);
}

char *
sd_sync_get_fingerprint (SdStore *store)
{
  g_auto(SdSyncSelf) self = { 0 };

  if (!_sd_sync_load_self (store, &self, NULL))
    return NULL;
  return _sd_sync_fingerprint (self.signer.sign_pk);
}

char *
sd_sync_get_deployment_name (SdStore *store)
{
  g_auto(SdSyncSelf) self = { 0 };

  if (!_sd_sync_load_self (store, &self, NULL))
    return NULL;
  return g_steal_pointer (&self.deployment_name);
}

static gboolean
save_self (SdStore          *store,
           const SdSyncSelf *self,
           GError          **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "INSERT INTO sync_self (id, role, deployment_id, deployment_name, sign_pk, sign_sk, box_pk, box_sk, "
    "enrolled_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->role == SD_SYNC_ROLE_HQ ? "hq" : "kiosk", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->deployment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, self->deployment_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 4, self->signer.sign_pk, sizeof self->signer.sign_pk, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 5, self->signer.sign_sk, sizeof self->signer.sign_sk, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 6, self->receiver.box_pk, sizeof self->receiver.box_pk, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 7, self->receiver.box_sk, sizeof self->receiver.box_sk, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("save the site’s keys"), error);
}

static gboolean
refuse_if_enrolled (SdStore  *store,
                    GError  **error)
{
  g_auto(SdSyncSelf) self = { 0 };

  if (!_sd_sync_load_self (store, &self, NULL))
    return TRUE;
  g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_ALREADY_ENROLLED,
               self.role == SD_SYNC_ROLE_HQ
               ? _("This database is already the HQ of the deployment “%s”.")
               : _("This database is already a kiosk of the deployment “%s”."),
               self.deployment_name);
  return FALSE;
}

gboolean
sd_sync_init_hq (SdStore     *store,
                 const char  *name,
                 GError     **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  guint8 id[16];
  g_autoptr(SdTxn) txn = NULL;

  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  txn = _sd_store_begin (store, error);
  if (txn == NULL || !refuse_if_enrolled (store, error))
    return FALSE;
  randombytes_buf (id, sizeof id);
  self.role = SD_SYNC_ROLE_HQ;
  self.deployment_id = g_malloc (33);
  sodium_bin2hex (self.deployment_id, 33, id, sizeof id);
  self.deployment_name = g_strdup (name);
  sd_batch_signer_generate (&self.signer);
  sd_batch_receiver_generate (&self.receiver);
  return save_self (store, &self, error) && _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- the sites of the deployment ---- */

char *
_sd_sync_hex (const guint8 *bytes,
              gsize         n)
{
  char *hex = g_malloc (n * 2 + 1);

  sodium_bin2hex (hex, n * 2 + 1, bytes, n);
  return hex;
}

static gboolean
key_from_hex (const char *hex,
              guint8     *out,
              gsize       n)
{
  gsize len = 0;

  return hex != NULL && strlen (hex) == n * 2 &&
         sodium_hex2bin (out, n, hex, n * 2, NULL, &len, NULL) == 0 && len == n;
}

json_t *
_sd_sync_peers_json (SdStore *store)
{
  json_t *peers = json_array ();
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT site_id, role, name, sign_pk, box_pk, enrolled_at, "
                                                 "revoked_at FROM sync_peers ORDER BY site_id", NULL);

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *sign = _sd_sync_hex (sqlite3_column_blob (stmt, 3), crypto_sign_PUBLICKEYBYTES);
      g_autofree char *box = _sd_sync_hex (sqlite3_column_blob (stmt, 4), crypto_box_PUBLICKEYBYTES);
      json_t *peer = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:I}",
                                "site", sqlite3_column_text (stmt, 0), "role", sqlite3_column_text (stmt, 1),
                                "name", sqlite3_column_text (stmt, 2), "sign_pk", sign, "box_pk", box,
                                "enrolled_at", (json_int_t) sqlite3_column_int64 (stmt, 5));

      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        json_object_set_new (peer, "revoked_at", json_integer (sqlite3_column_int64 (stmt, 6)));
      json_array_append_new (peers, peer);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return peers;
}

gboolean
_sd_sync_learn_peers (SdStore       *store,
                      const json_t  *peers,
                      GError       **error)
{
  size_t i;
  json_t *peer;
  const char *own = sd_store_get_site_id (store);

  json_array_foreach (peers, i, peer)
    {
      const char *site = json_string_value (json_object_get (peer, "site"));
      const char *role = json_string_value (json_object_get (peer, "role"));
      const char *name = json_string_value (json_object_get (peer, "name"));
      guint8 sign_pk[crypto_sign_PUBLICKEYBYTES], box_pk[crypto_box_PUBLICKEYBYTES];
      json_t *revoked = json_object_get (peer, "revoked_at");
      sqlite3_stmt *stmt;

      if (site == NULL || role == NULL || name == NULL || strlen (site) != 32 ||
          (!g_str_equal (role, "hq") && !g_str_equal (role, "kiosk")) ||
          !key_from_hex (json_string_value (json_object_get (peer, "sign_pk")), sign_pk, sizeof sign_pk) ||
          !key_from_hex (json_string_value (json_object_get (peer, "box_pk")), box_pk, sizeof box_pk))
        {
          g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                       _("HQ’s list of the deployment’s sites cannot be read."));
          return FALSE;
        }
      if (g_str_equal (site, own))
        continue;
      /* A revocation is never undone by an older list. */
      stmt = _sd_store_prepare (store,
        "INSERT INTO sync_peers (site_id, role, name, sign_pk, box_pk, enrolled_at, revoked_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (site_id) DO UPDATE SET name = excluded.name, "
        "revoked_at = coalesce (sync_peers.revoked_at, excluded.revoked_at)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, site, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, sign_pk, sizeof sign_pk, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 5, box_pk, sizeof box_pk, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, json_integer_value (json_object_get (peer, "enrolled_at")));
      if (json_is_integer (revoked))
        sqlite3_bind_int64 (stmt, 7, json_integer_value (revoked));
      if (!_sd_store_exec (store, stmt, _("record the deployment’s sites"), error))
        return FALSE;
    }
  return TRUE;
}

void
sd_sync_peer_free (SdSyncPeer *peer)
{
  g_free (peer->site_id);
  g_free (peer->name);
  g_free (peer->fingerprint);
  g_free (peer);
}

GPtrArray *
sd_sync_list_peers (SdStore  *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_sync_peer_free);
  sqlite3_stmt *stmt;
  int rc;

  /* What each peer still lacks: per origin, the changes above what it
   * acknowledged (each origin's sequence is dense but for known gaps),
   * and the HLC of the first of them, by one seek each. */
  stmt = _sd_store_prepare (store,
    "SELECT p.site_id, p.name, p.role, p.sign_pk, p.enrolled_at, coalesce (p.revoked_at, 0), "
    "  coalesce (p.last_received_at, 0), coalesce (p.last_sent_at, 0), p.chain_breaks, "
    "  (SELECT coalesce (sum (m.top - m.acked), 0) FROM (SELECT (SELECT max (seq) FROM oplog WHERE site = s.n) AS top, "
    "     coalesce ((SELECT acked_seq FROM peer_acks a WHERE a.peer_site_id = p.site_id AND a.origin = s.n), 0) "
    "     AS acked FROM oplog_sites s WHERE s.site_id != p.site_id) m WHERE m.top > m.acked), "
    "  (SELECT min ((SELECT hlc FROM oplog o WHERE o.site = s.n AND o.seq > coalesce ((SELECT acked_seq "
    "     FROM peer_acks a WHERE a.peer_site_id = p.site_id AND a.origin = s.n), 0) ORDER BY o.seq LIMIT 1)) "
    "   FROM oplog_sites s WHERE s.site_id != p.site_id) "
    "FROM sync_peers p ORDER BY p.role = 'hq' DESC, p.name, p.site_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the deployment’s sites"), error)) == SQLITE_ROW)
    {
      SdSyncPeer *peer = g_new0 (SdSyncPeer, 1);

      peer->site_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      peer->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      peer->is_hq = g_str_equal (sqlite3_column_text (stmt, 2), "hq");
      peer->fingerprint = _sd_sync_fingerprint (sqlite3_column_blob (stmt, 3));
      peer->enrolled_at = sqlite3_column_int64 (stmt, 4);
      peer->revoked_at = sqlite3_column_int64 (stmt, 5);
      peer->last_received_at = sqlite3_column_int64 (stmt, 6);
      peer->last_sent_at = sqlite3_column_int64 (stmt, 7);
      peer->chain_breaks = sqlite3_column_int64 (stmt, 8);
      peer->waiting = sqlite3_column_int64 (stmt, 9);
      peer->waiting_since = peer->waiting > 0 ? sd_hlc_get_wall_ms (sqlite3_column_int64 (stmt, 10)) : 0;
      g_ptr_array_add (peers, peer);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&peers);
}

char *
sd_sync_find_peer (SdStore     *store,
                   const char  *site,
                   GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT site_id FROM sync_peers WHERE site_id = ?1 OR name = ?1 OR (?1 = 'hq' AND role = 'hq') "
    "ORDER BY site_id = ?1 DESC LIMIT 2", error);
  char *found = NULL;
  int rc, n = 0;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, site, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (n++ == 0)
      found = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (found == NULL || (n > 1 && !g_str_equal (found, site)))
    {
      g_clear_pointer (&found, g_free);
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_PEER,
                   n > 1 ? _("More than one site of the deployment is called “%s”: name it by its site id.")
                         : _("“%s” is not a site of this deployment. “sync status” lists them."),
                   site);
    }
  return found;
}

gboolean
sd_sync_revoke (SdStore     *store,
                const char  *site,
                GError     **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *site_id = NULL;
  sqlite3_stmt *stmt;

  if (!_sd_sync_load_self (store, &self, error))
    return FALSE;
  if (self.role != SD_SYNC_ROLE_HQ)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ENROLLED,
                   _("Only HQ revokes a kiosk."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  if (txn == NULL || (site_id = sd_sync_find_peer (store, site, error)) == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "UPDATE sync_peers SET revoked_at = coalesce (revoked_at, ?2) "
                                   "WHERE site_id = ?1 AND role = 'kiosk'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("revoke the kiosk"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- the bundle ---- */

/* The passphrase as a person may type it: spaces and hyphens dropped,
 * upper case, and the letters Crockford's base 32 reads as digits. */
static char *
normalize_passphrase (const char *passphrase)
{
  GString *out = g_string_new (NULL);

  for (const char *p = passphrase; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-' || c == '\t')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
bundle_receiver (const char      *passphrase,
                 const guint8    *salt,
                 SdBatchReceiver *receiver)
{
  g_autofree char *typed = normalize_passphrase (passphrase);
  guint8 seed[crypto_box_SEEDBYTES];
  gboolean ok;

  ok = crypto_pwhash (seed, sizeof seed, typed, strlen (typed), salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0 &&
       crypto_box_seed_keypair (receiver->box_pk, receiver->box_sk, seed) == 0;
  sodium_memzero (seed, sizeof seed);
  return ok;
}

/* 20 characters of Crockford's base 32 (100 bits) in groups of four. */
static char *
new_passphrase (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < 20; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, alphabet[randombytes_uniform (32)]);
    }
  return g_string_free (out, FALSE);
}

static json_t *
card_keys_json (SdStore *store)
{
  json_t *keys = json_array ();
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT key_id, public_key, seed, is_current, added_at "
                                                 "FROM card_keys ORDER BY key_id", NULL);

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *pk = _sd_sync_hex (sqlite3_column_blob (stmt, 1), 32);
      json_t *key = json_pack ("{s:I, s:s, s:b, s:I}", "key_id", (json_int_t) sqlite3_column_int64 (stmt, 0),
                               "public_key", pk, "is_current", sqlite3_column_int (stmt, 3),
                               "added_at", (json_int_t) sqlite3_column_int64 (stmt, 4));

      /* The seed lets the kiosk print cards: it travels sealed. */
      if (sqlite3_column_bytes (stmt, 2) == 32)
        {
          g_autofree char *seed = _sd_sync_hex (sqlite3_column_blob (stmt, 2), 32);

          json_object_set_new (key, "seed", json_string (seed));
          sodium_memzero (seed, strlen (seed));
        }
      json_array_append_new (keys, key);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return keys;
}

static gboolean
learn_card_keys (SdStore       *store,
                 const json_t  *keys,
                 GError       **error)
{
  size_t i;
  json_t *key;

  json_array_foreach (keys, i, key)
    {
      guint8 pk[32], seed[32];
      gboolean has_seed = json_object_get (key, "seed") != NULL;
      sqlite3_stmt *stmt;

      if (!json_is_integer (json_object_get (key, "key_id")) ||
          !key_from_hex (json_string_value (json_object_get (key, "public_key")), pk, sizeof pk) ||
          (has_seed && !key_from_hex (json_string_value (json_object_get (key, "seed")), seed, sizeof seed)))
        {
          g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                       _("The bundle’s card keys cannot be read."));
          return FALSE;
        }
      stmt = _sd_store_prepare (store, "INSERT OR REPLACE INTO card_keys (key_id, public_key, seed, is_current, "
                                       "added_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, json_integer_value (json_object_get (key, "key_id")));
      sqlite3_bind_blob (stmt, 2, pk, sizeof pk, SQLITE_TRANSIENT);
      if (has_seed)
        sqlite3_bind_blob (stmt, 3, seed, sizeof seed, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, json_is_true (json_object_get (key, "is_current")));
      sqlite3_bind_int64 (stmt, 5, json_integer_value (json_object_get (key, "added_at")));
      sodium_memzero (seed, sizeof seed);
      if (!_sd_store_exec (store, stmt, _("save the card keys"), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sd_sync_write_bundle (SdStore        *store,
                      GOutputStream  *out,
                      char          **out_passphrase,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autofree char *passphrase = NULL;
  g_autofree char *sign = NULL, *box = NULL;
  guint8 salt[BUNDLE_SALT_LEN];
  SdBatchReceiver bundle = { 0 };
  SdSyncExport result = { 0 };
  json_t *header;
  gboolean ok;

  if (!_sd_sync_load_self (store, &self, error))
    return FALSE;
  if (self.role != SD_SYNC_ROLE_HQ)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ENROLLED,
                   _("Only HQ makes a deployment bundle; this database is a kiosk."));
      return FALSE;
    }
  passphrase = new_passphrase ();
  randombytes_buf (salt, sizeof salt);
  if (!bundle_receiver (passphrase, salt, &bundle))
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_PASSPHRASE,
                   _("There is not enough memory to protect the bundle with its passphrase."));
      return FALSE;
    }
  if (!g_output_stream_write_all (out, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN, NULL, cancellable, error) ||
      !g_output_stream_write_all (out, salt, sizeof salt, NULL, cancellable, error))
    return FALSE;

  sign = _sd_sync_hex (self.signer.sign_pk, sizeof self.signer.sign_pk);
  box = _sd_sync_hex (self.receiver.box_pk, sizeof self.receiver.box_pk);
  header = json_pack ("{s:s, s:{s:s, s:s, s:s, s:s}, s:o, s:o}",
                      "kind", "bundle",
                      "hq", "site", sd_store_get_site_id (store), "name", sd_store_get_site_name (store),
                      "sign_pk", sign, "box_pk", box,
                      "peers", _sd_sync_peers_json (store),
                      "card_keys", card_keys_json (store));
  ok = _sd_sync_write_batch (store, &self, NULL, bundle.box_pk, NULL, header, out, &result, cancellable, error);
  sd_sync_export_clear (&result);
  sodium_memzero (&bundle, sizeof bundle);
  if (ok && out_passphrase != NULL)
    *out_passphrase = g_steal_pointer (&passphrase);
  return ok;
}

gboolean
sd_sync_enrol (SdStore       *store,
               GInputStream  *in,
               const char    *passphrase,
               GCancellable  *cancellable,
               GError       **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(SdBatchReader) reader = NULL;
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(GError) local = NULL;
  guint8 start[BUNDLE_MAGIC_LEN + BUNDLE_SALT_LEN];
  guint8 hq_sign[crypto_sign_PUBLICKEYBYTES], hq_box[crypto_box_PUBLICKEYBYTES];
  SdBatchReceiver bundle = { 0 };
  SdStoreCounts counts;
  SdSyncImport result = { 0 };
  const json_t *header, *hq;
  const char *hq_site, *deployment;
  gsize got = 0;
  sqlite3_stmt *stmt;
  gboolean ok, exercise;

  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  if (!refuse_if_enrolled (store, error) || !sd_store_get_counts (store, &counts, error))
    return FALSE;
  if (counts.shelters + counts.households + counts.persons + counts.staff + counts.support_persons > 0)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_BLANK,
                   _("Only a new, empty database can be enrolled, and this one already holds records. "
                     "Make a new one with “init” and enrol that."));
      return FALSE;
    }
  if (!g_input_stream_read_all (in, start, sizeof start, &got, cancellable, error))
    return FALSE;
  if (got != sizeof start || memcmp (start, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN) != 0)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH,
                   _("This is not a deployment bundle. HQ makes one with “deploy bundle”."));
      return FALSE;
    }
  if (!bundle_receiver (passphrase, start + BUNDLE_MAGIC_LEN, &bundle))
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_PASSPHRASE,
                   _("There is not enough memory to open the bundle."));
      return FALSE;
    }
  reader = sd_batch_reader_new (in, &bundle, cancellable, &local);
  sodium_memzero (&bundle, sizeof bundle);
  if (reader == NULL)
    {
      if (g_error_matches (local, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US))
        g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_PASSPHRASE,
                     _("The passphrase does not open this bundle. Type it again exactly as HQ showed it "
                       "(upper or lower case and hyphens do not matter)."));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  /* The bundle names HQ and is signed by the key it names: what makes it
   * HQ's is the passphrase only HQ could have shown, and the fingerprint
   * a person compares. */
  header = sd_batch_reader_get_header (reader);
  hq = json_object_get (header, "hq");
  hq_site = json_string_value (json_object_get (hq, "site"));
  deployment = json_string_value (json_object_get (header, "deployment"));
  if (g_strcmp0 (json_string_value (json_object_get (header, "kind")), "bundle") != 0 ||
      hq_site == NULL || strlen (hq_site) != 32 || deployment == NULL ||
      json_string_value (json_object_get (header, "deployment_name")) == NULL ||
      !key_from_hex (json_string_value (json_object_get (hq, "sign_pk")), hq_sign, sizeof hq_sign) ||
      !key_from_hex (json_string_value (json_object_get (hq, "box_pk")), hq_box, sizeof hq_box) ||
      memcmp (hq_sign, sd_batch_reader_get_signer (reader), sizeof hq_sign) != 0 ||
      json_integer_value (json_object_get (header, "schema")) > SD_SCHEMA_VERSION)
    {
      g_set_error (error, SD_SYNC_ERROR, json_integer_value (json_object_get (header, "schema")) > SD_SCHEMA_VERSION
                                         ? SD_SYNC_ERROR_TOO_NEW : SD_SYNC_ERROR_BAD_OPERATION,
                   json_integer_value (json_object_get (header, "schema")) > SD_SCHEMA_VERSION
                   ? _("This bundle was made by a newer ShelterDesk: update this kiosk first.")
                   : _("This bundle cannot be read: ask HQ for a new one."));
      return FALSE;
    }

  /* A real deployment never takes in a database made for an exercise;
   * an exercise's bundle makes its kiosk an exercise, marked in the
   * enrolment's transaction (before sync_self, which a mark needs absent),
   * so that a failed enrolment leaves no mark either. */
  exercise = _sd_sync_header_is_exercise (header);
  if (!exercise && sd_store_get_is_exercise (store))
    {
      g_set_error_literal (error, SD_SYNC_ERROR, SD_SYNC_ERROR_EXERCISE,
                           _("This bundle is of a real deployment and this database was made for a tabletop "
                             "exercise (訓練): it is refused, so that exercise records never mix with real ones. "
                             "Make a new database with “init” for real use, or enrol this one from the "
                             "exercise HQ’s bundle."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  if (txn == NULL || (exercise && !sd_store_mark_exercise (store, error)))
    return FALSE;
  self.role = SD_SYNC_ROLE_KIOSK;
  self.deployment_id = g_strdup (deployment);
  self.deployment_name = g_strdup (json_string_value (json_object_get (header, "deployment_name")));
  sd_batch_signer_generate (&self.signer);
  sd_batch_receiver_generate (&self.receiver);
  stmt = _sd_store_prepare (store, "INSERT INTO sync_peers (site_id, role, name, sign_pk, box_pk, enrolled_at) "
                                   "VALUES (?1, 'hq', ?2, ?3, ?4, ?5)", error);
  if (!save_self (store, &self, error) || stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hq_site, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json_string_value (json_object_get (hq, "name")) ?: "HQ", -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, hq_sign, sizeof hq_sign, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 4, hq_box, sizeof hq_box, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sd_store_now_ms (store));
  ok = _sd_store_exec (store, stmt, _("record HQ"), error) &&
       _sd_sync_learn_peers (store, json_object_get (header, "peers"), error) &&
       learn_card_keys (store, json_object_get (header, "card_keys"), error) &&
       _sd_sync_merge (store, reader, hq_site, &result, cancellable, error) &&
       _sd_txn_commit (g_steal_pointer (&txn), error);
  sd_sync_import_clear (&result);
  return ok;
}

/* ---- a kiosk's address of HQ (sd-sync-client.c) ---- */

char *
sd_sync_get_hq_url (SdStore *store)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT hq_url FROM sync_self WHERE id = 1", NULL);
  char *url = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return url;
}

gboolean
sd_sync_set_hq_url (SdStore     *store,
                    const char  *url,
                    GError     **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;

  /* Every way in (the CLI, the desk) stores only an address the pusher can use. */
  if ((url != NULL && !sd_sync_client_check_url (url, error)) || !_sd_sync_load_self (store, &self, error))
    return FALSE;
  if (self.role != SD_SYNC_ROLE_KIOSK)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ENROLLED,
                   _("HQ has no HQ address to send to: it receives the kiosks’ batches (“serve”)."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  stmt = txn != NULL ? _sd_store_prepare (store, "UPDATE sync_self SET hq_url = ?1 WHERE id = 1", error) : NULL;
  if (stmt == NULL)
    return FALSE;
  if (url != NULL)
    sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  return _sd_store_exec (store, stmt, _("save HQ’s address"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
