/* sd-sync-protocol.c: reason codes, the signed texts and the record of batches sent, for the network.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both ends of docs/sync-protocol.md sign what the other must be able to
 * trust over plain HTTP: HQ its acknowledgement (a forged one would make
 * a kiosk stop sending what HQ never received), a kiosk its request for
 * HQ's batch (so that no one else makes HQ write batches in its name).
 * The texts are fixed ASCII lines with a purpose prefix, so a signature
 * made for one purpose never passes for another.
 */
#include "sd-store-private.h"
#include "sd-sync-protocol-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

const char *
_sd_sync_phrase (guint status)
{
  return status == SD_SYNC_STATUS_TOO_MANY_REQUESTS ? "Too Many Requests" : soup_status_get_phrase (status);
}

void
_sd_sync_respond (SoupServerMessage *msg,
                  guint              status,
                  const char        *content_type,
                  GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, _sd_sync_phrase (status));
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (status == SD_SYNC_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (headers, "Retry-After", SD_SYNC_RETRY_AFTER_S);
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    soup_message_headers_replace (headers, "Allow", "GET, POST");
  if (body != NULL)
    {
      soup_message_headers_set_content_type (headers, content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
    }
}

const char *
sd_sync_error_reason (const GError *error)
{
  /* In the order of SdSyncError and SdBatchError. */
  static const char *const sync_codes[] = {
    "not-enrolled", "already-enrolled", "not-blank", "bad-passphrase", "unknown-sender", "revoked",
    "other-deployment", "not-addressed", "cloned-site", "too-new", "bad-operation", "unknown-peer",
    "fingerprint", "not-mergeable", "exercise" };
  static const char *const batch_codes[] = { "not-a-batch", "not-for-us", "damaged", "bad-signature", "too-new" };

  g_return_val_if_fail (error != NULL, "failed");

  if (error->domain == SD_SYNC_ERROR && error->code >= 0 && (guint) error->code < G_N_ELEMENTS (sync_codes))
    return sync_codes[error->code];
  if (error->domain == SD_BATCH_ERROR && error->code >= 0 && (guint) error->code < G_N_ELEMENTS (batch_codes))
    return batch_codes[error->code];
  return "failed";
}

gboolean
sd_sync_is_site_id (const char *text)
{
  if (text == NULL || strlen (text) != 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* ---- signed texts ---- */

char *
_sd_sync_pull_text (const char *site,
                    const char *challenge,
                    const char *holds)
{
  return g_strdup_printf ("shelterdesk-pull-v1\n%s\n%s\n%s", site, challenge, holds != NULL ? holds : "");
}

char *
_sd_sync_ack_text (const char *batch_sha256,
                   const char *holds)
{
  return g_strdup_printf ("shelterdesk-ack-v1\n%s\n%s", batch_sha256, holds);
}

char *
_sd_sync_sign_text (const SdSyncSelf *self,
                    const char       *text)
{
  guint8 signature[crypto_sign_BYTES];

  crypto_sign_detached (signature, NULL, (const guint8 *) text, strlen (text), self->signer.sign_sk);
  return _sd_sync_hex (signature, sizeof signature);
}

gboolean
_sd_sync_verify_text (const guint8 *sign_pk,
                      const char   *text,
                      const char   *signature_hex)
{
  guint8 signature[crypto_sign_BYTES];
  gsize len = 0;

  return signature_hex != NULL && strlen (signature_hex) == 2 * crypto_sign_BYTES &&
         sodium_hex2bin (signature, sizeof signature, signature_hex, 2 * crypto_sign_BYTES, NULL, &len, NULL) == 0 &&
         len == sizeof signature &&
         crypto_sign_verify_detached (signature, (const guint8 *) text, strlen (text), sign_pk) == 0;
}

/* ---- keys of the deployment's sites ---- */

gboolean
_sd_sync_peer_sign_key (SdStore     *store,
                        const char  *site_id,
                        const char  *role,
                        guint8      *sign_pk,
                        GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT sign_pk, revoked_at IS NOT NULL FROM sync_peers "
                                                 "WHERE site_id = ?1 AND role = ?2", error);
  gboolean found, revoked = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == crypto_sign_PUBLICKEYBYTES;
  if (found)
    {
      memcpy (sign_pk, sqlite3_column_blob (stmt, 0), crypto_sign_PUBLICKEYBYTES);
      revoked = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_SENDER,
                 _("This site is not enrolled in this deployment."));
  else if (revoked)
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_REVOKED,
                 _("HQ revoked this site: nothing is exchanged with it any more."));
  return found && !revoked;
}

char *
_sd_sync_peer_name (SdStore      *store,
                    const char   *site_id,
                    const guint8 *sign_pk)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, site_id != NULL
                                                 ? "SELECT name FROM sync_peers WHERE site_id = ?1"
                                                 : "SELECT name FROM sync_peers WHERE sign_pk = ?2", NULL);
  char *name = NULL;

  if (stmt == NULL)
    return NULL;
  if (site_id != NULL)
    sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_blob (stmt, 2, sign_pk, crypto_sign_PUBLICKEYBYTES, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

char *
_sd_sync_hq_sign_key (SdStore  *store,
                      guint8   *sign_pk,
                      GError  **error)
{
  g_autofree char *hq = sd_sync_find_peer (store, "hq", error);

  if (hq == NULL || !_sd_sync_peer_sign_key (store, hq, "hq", sign_pk, error))
    return NULL;
  return g_steal_pointer (&hq);
}

/* ---- the record of the last batch sent ---- */

void
_sd_sync_sent_clear (SdSyncSent *sent)
{
  g_clear_pointer (&sent->sha256, g_free);
  sent->at = 0;
}

gboolean
_sd_sync_get_sent (SdStore     *store,
                   const char  *peer_site_id,
                   SdSyncSent  *out,
                   GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT last_sent_sha, last_sent_at FROM sync_peers "
                                                 "WHERE site_id = ?1", error);
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer_site_id, -1, SQLITE_TRANSIENT);
  rc = _sd_store_step (store, stmt, _("read what was sent"), error);
  if (rc == SQLITE_ROW)
    {
      out->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out->at = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc >= 0;
}

gboolean
_sd_sync_unsend (SdStore           *store,
                 const char        *peer_site_id,
                 const char        *sent_sha256,
                 const SdSyncSent  *before,
                 GError           **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  sqlite3_stmt *stmt;

  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "UPDATE sync_peers SET last_sent_sha = ?3, last_sent_at = nullif (?4, 0) "
                                   "WHERE site_id = ?1 AND last_sent_sha = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer_site_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sent_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, before->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, before->at);
  return _sd_store_exec (store, stmt, _("record what was sent"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
