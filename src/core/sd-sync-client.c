/* sd-sync-client.c: a kiosk's side of the network: push its batch to HQ's receiver, fetch HQ's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exchange, each step only after the one before answered:
 *
 *   1. GET hello: the receiver says it is HQ of this kiosk's deployment
 *      and gives a one-time challenge.  This is the probe: nothing is
 *      exported while HQ does not answer.
 *   2. If HQ lacks changes: export them (sd_sync_export) and POST the
 *      batch.  HQ answers with what it now holds of each origin, signed
 *      by HQ's key; only a verified answer is recorded as acknowledged,
 *      so that no one on the way can make the kiosk forget to send.
 *      A batch that got no answer is taken back as "sent"
 *      (_sd_sync_unsend), so that HQ does not count it as one it missed.
 *   3. GET HQ's batch for this kiosk, signed over the challenge and what
 *      the kiosk holds, and import it like a file from a USB stick.
 *
 * A retry of a batch HQ did receive is harmless: HQ knows the file by its
 * SHA-256, or its changes by (origin, seq), and says it had them.
 *
 * Threads, as in the Sync desk: the exchange runs in a worker thread with
 * an SdStore and a SoupSession of its own (libsoup's blocking API), so a
 * large batch blocks no one; the caller's store then catches up with
 * what the worker wrote.  Answers are read with a bound (a JSON answer
 * 1 MiB, HQ's batch MAX_BATCH_BYTES), so that whatever answers cannot
 * fill the kiosk's memory.
 */
#include "sd-sync-client.h"

#include "sd-json.h"
#include "sd-sync-protocol-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S     30
#define MAX_ANSWER_BYTES      (1024 * 1024)
#define MAX_BATCH_BYTES       ((gsize) 1024 * 1024 * 1024)
/* Above this, the batch waits for HQ's "100 Continue", so that a refusal
 * (too large, busy) costs no upload. */
#define EXPECT_CONTINUE_BYTES (1024 * 1024)

G_DEFINE_QUARK (sd-sync-client-error-quark, sd_sync_client_error)

struct _SdSyncClient
{
  GObject       parent_instance;

  char         *url;       /* as given */
  char         *base;      /* scheme://host:port/path, no trailing slash */
  GTlsDatabase *tls_database;
  guint         timeout;
};

G_DEFINE_FINAL_TYPE (SdSyncClient, sd_sync_client, G_TYPE_OBJECT)

void
sd_sync_client_result_clear (SdSyncClientResult *result)
{
  g_clear_pointer (&result->sent_result, g_free);
  g_clear_pointer (&result->reason, g_free);
  memset (result, 0, sizeof *result);
}

gboolean
sd_sync_client_error_is_temporary (const GError *error)
{
  return g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_UNREACHABLE) ||
         g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_HQ_FAILED) ||
         g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY);
}

/* ---- one exchange, in the worker thread ---- */

typedef struct {
  /* given */
  char               *url;
  char               *base;
  GTlsDatabase       *tls_database;
  guint               timeout;
  char               *db_path;
  SdSyncClientFlags   flags;
  gboolean            probe_only;

  /* the worker's own */
  SdStore            *store;
  SoupSession        *session;
  GCancellable       *cancellable;
  char               *own_site;
  char               *hq_site;
  guint8              hq_sign_pk[crypto_sign_PUBLICKEYBYTES];
  char               *challenge;
  char               *batch_sha;       /* the batch pushed */
  SdSyncSent          before;          /* what was recorded as sent before it */
  gboolean            unsend;          /* no answer yet: take it back on failure */

  /* for the caller */
  SdSyncClientResult  result;
  GHashTable         *tables;          /* written by the worker's store */
  SdHlc               hlc;
} Exchange;

static void
exchange_free (Exchange *ex)
{
  g_free (ex->url);
  g_free (ex->base);
  g_clear_object (&ex->tls_database);
  g_free (ex->db_path);
  g_clear_object (&ex->store);
  g_clear_object (&ex->session);
  g_free (ex->own_site);
  g_free (ex->hq_site);
  g_free (ex->challenge);
  g_free (ex->batch_sha);
  _sd_sync_sent_clear (&ex->before);
  sd_sync_client_result_clear (&ex->result);
  g_hash_table_unref (ex->tables);
  g_free (ex);
}

static SoupMessage *
new_message (Exchange   *ex,
             const char *method,
             const char *path)
{
  g_autofree char *uri = g_strconcat (ex->base, path, NULL);

  return soup_message_new (method, uri);
}

/* What a person reads when HQ does not answer. */
static void
set_transport_error (Exchange      *ex,
                     const GError  *error,
                     GError       **out)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (out, g_error_copy (error));
  else if (error->domain == G_TLS_ERROR)
    g_set_error (out, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_TLS,
                 _("HQ’s receiver at %s answers, but its certificate is not trusted (%s). If HQ uses a "
                   "certificate of its own, give this kiosk its file with --tls-ca."), ex->url, error->message);
  else
    g_set_error (out, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_UNREACHABLE,
                 _("HQ cannot be reached at %s (%s). Nothing is lost: the changes wait here and go when HQ "
                   "answers again, or take them on a USB stick (“batch export --to hq”)."),
                 ex->url, error->message);
}

/* Sends MSG and reads its answer, at most MAX bytes of it. */
static GBytes *
send_message (Exchange     *ex,
              SoupMessage  *msg,
              gsize         max,
              GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GInputStream) in = soup_session_send (ex->session, msg, ex->cancellable, &local);
  g_autoptr(GByteArray) body = NULL;
  guint8 buffer[64 * 1024];
  gssize n;

  if (in == NULL)
    {
      set_transport_error (ex, local, error);
      return NULL;
    }
  body = g_byte_array_new ();
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, ex->cancellable, &local)) > 0)
    {
      if (body->len + (gsize) n > max)
        {
          g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_NOT_RECEIVER,
                       _("The receiver at %s sent more than this kiosk reads at once."), ex->url);
          return NULL;
        }
      g_byte_array_append (body, buffer, n);
    }
  if (n < 0)
    {
      set_transport_error (ex, local, error);
      return NULL;
    }
  g_input_stream_close (in, NULL, NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

static gboolean
not_receiver (Exchange     *ex,
              SoupMessage  *msg,
              GError      **error)
{
  g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_NOT_RECEIVER,
               _("The address %s answers, but not as ShelterDesk’s HQ receiver (HTTP %u). Check the address "
                 "(“sync set-url”)."), ex->url, soup_message_get_status (msg));
  return FALSE;
}

/* The JSON object of an answer, or NULL. */
static json_t *
parse_answer (Exchange     *ex,
              SoupMessage  *msg,
              GBytes       *body,
              GError      **error)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  json_t *root = NULL;

  if (g_strcmp0 (type, "application/json") == 0 && size > 0)
    root = sd_json_parse (data, size, 0, NULL);
  if (root == NULL || !json_is_object (root))
    {
      g_clear_pointer (&root, json_decref);
      not_receiver (ex, msg, error);
    }
  return root;
}

/* HQ said no: what the shelter lead reads, by HQ's reason. */
static gboolean
refused (Exchange     *ex,
         SoupMessage  *msg,
         GBytes       *body,
         GError      **error)
{
  g_autoptr(json_t) answer = parse_answer (ex, msg, body, error);
  g_autofree char *fingerprint = NULL, *size = NULL;
  const char *reason, *message;
  guint status = soup_message_get_status (msg);

  if (answer == NULL)
    return FALSE;
  reason = json_string_value (json_object_get (answer, "reason"));
  message = json_string_value (json_object_get (answer, "message"));
  if (reason == NULL)
    reason = "failed";
  if (message == NULL)
    message = soup_message_get_reason_phrase (msg);
  ex->result.reason = g_strdup (reason);

  if (g_str_equal (reason, "exercise-network-down"))
    /* A tabletop exercise's outage: HQ's own words say until when; sent
     * again later, as after any failure of HQ's. */
    g_set_error_literal (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_HQ_FAILED, message);
  else if (status >= 500 || status == SD_SYNC_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_REQUEST_TIMEOUT)
    g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_HQ_FAILED,
                 _("HQ could not take it now (%s: %s). It is sent again later; if this goes on, tell HQ."),
                 reason, message);
  else if (g_str_equal (reason, "unknown-sender"))
    {
      fingerprint = sd_sync_get_fingerprint (ex->store);
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED,
                   _("HQ does not know this kiosk yet, so it refused the batch. Take a first batch to HQ on a USB "
                     "stick (“batch export --to hq”) and have HQ enrol this kiosk after comparing its key "
                     "fingerprint, %s; then sending over the network works."), fingerprint);
    }
  else if (g_str_equal (reason, "revoked"))
    g_set_error_literal (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED,
                         _("HQ revoked this kiosk (reported lost or stolen): HQ takes nothing from it any more. "
                           "Ask HQ."));
  else if (g_str_equal (reason, "too-large"))
    {
      size = g_format_size (ex->result.sent_bytes);
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED,
                   _("The batch (%s) is larger than HQ’s receiver takes. Take it to HQ on a USB stick (“batch "
                     "export --to hq”), or ask HQ to raise the limit."), size);
    }
  else if (g_str_equal (reason, "exercise"))
    g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED,
                 sd_store_get_is_exercise (ex->store)
                 ? _("The receiver at %s is the HQ of real data and this kiosk is a tabletop exercise (訓練): "
                     "it refused the batch, so that exercise records never mix with real ones. Check the "
                     "address (“sync set-url”).")
                 : _("The receiver at %s is the HQ of a tabletop exercise (訓練) and this kiosk holds real data: "
                     "it refused the batch, so that exercise records never mix with real ones. Check the "
                     "address (“sync set-url”)."),
                 ex->url);
  else if (g_str_equal (reason, "other-deployment") || g_str_equal (reason, "not-for-us") ||
           g_str_equal (reason, "not-addressed"))
    g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED,
                 _("The receiver at %s is not this kiosk’s HQ (%s). Check the address (“sync set-url”)."),
                 ex->url, reason);
  else
    g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED, _("HQ refused (%s): %s"), reason,
                 message);
  return FALSE;
}

static void
table_changed_cb (SdStore    *store,
                  const char *table,
                  gpointer    data)
{
  Exchange *ex = data;

  g_hash_table_add (ex->tables, g_strdup (table));
}

/* The kiosk's own part: keys, and whom to talk to. */
static gboolean
prepare (Exchange  *ex,
         GError   **error)
{
  ex->store = sd_store_open (ex->db_path, SD_STORE_OPEN_DEFAULT, error);
  if (ex->store == NULL)
    return FALSE;
  if (sd_sync_get_role (ex->store) != SD_SYNC_ROLE_KIOSK)
    {
      g_set_error_literal (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_FAILED,
                           _("Only a kiosk enrolled in a deployment sends its changes to HQ (“deploy enrol”)."));
      return FALSE;
    }
  ex->own_site = g_strdup (sd_store_get_site_id (ex->store));
  ex->hq_site = _sd_sync_hq_sign_key (ex->store, ex->hq_sign_pk, error);
  if (ex->hq_site == NULL)
    return FALSE;
  g_signal_connect (ex->store, "changed", G_CALLBACK (table_changed_cb), ex);
  ex->session = soup_session_new_with_options ("timeout", ex->timeout, "idle-timeout", ex->timeout,
                                               "user-agent", "ShelterDesk/" SD_VERSION, NULL);
  if (ex->tls_database != NULL)
    soup_session_set_tls_database (ex->session, ex->tls_database);
  return TRUE;
}

/* 1. Who answers, and a challenge. */
static gboolean
hello (Exchange  *ex,
       GError   **error)
{
  g_autoptr(SoupMessage) msg = new_message (ex, SOUP_METHOD_GET, SD_SYNC_PATH_HELLO);
  g_autoptr(GBytes) body = send_message (ex, msg, MAX_ANSWER_BYTES, error);
  g_autoptr(json_t) answer = NULL;
  g_auto(SdSyncSelf) keys = { 0 };
  const char *challenge;
  guint status;

  if (body == NULL)
    return FALSE;
  status = soup_message_get_status (msg);
  if (status == SD_SYNC_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    return refused (ex, msg, body, error);
  if ((answer = parse_answer (ex, msg, body, error)) == NULL || !_sd_sync_load_self (ex->store, &keys, error))
    return FALSE;
  challenge = json_string_value (json_object_get (answer, "challenge"));
  if (status != SOUP_STATUS_OK ||
      g_strcmp0 (json_string_value (json_object_get (answer, "service")), SD_SYNC_SERVICE) != 0 ||
      json_integer_value (json_object_get (answer, "protocol")) != SD_SYNC_PROTOCOL_VERSION ||
      challenge == NULL || strlen (challenge) > 128)
    return not_receiver (ex, msg, error);
  if (g_strcmp0 (json_string_value (json_object_get (answer, "deployment")), keys.deployment_id) != 0 ||
      g_strcmp0 (json_string_value (json_object_get (answer, "site")), ex->hq_site) != 0)
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_NOT_RECEIVER,
                   _("The receiver at %s is the HQ of another deployment, not of “%s”. Check the address (“sync "
                     "set-url”)."), ex->url, keys.deployment_name);
      return FALSE;
    }
  g_free (ex->challenge);
  ex->challenge = g_strdup (challenge);
  return TRUE;
}

/* 2. This kiosk's batch for HQ, if HQ lacks anything. */
static gboolean
push (Exchange  *ex,
      GError   **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) batch = NULL, body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(json_t) answer = NULL;
  g_autofree char *holds = NULL, *text = NULL;
  SdSyncStatus status;
  SdSyncExport exported = { 0 };
  const char *result;

  if (!sd_sync_get_status (ex->store, &status, error))
    return FALSE;
  if (status.waiting == 0)
    return TRUE;
  if (!_sd_sync_get_sent (ex->store, ex->hq_site, &ex->before, error) ||
      !sd_sync_export (ex->store, "hq", out, &exported, ex->cancellable, error) ||
      !g_output_stream_close (out, NULL, error))
    {
      sd_sync_export_clear (&exported);
      return FALSE;
    }
  ex->batch_sha = g_steal_pointer (&exported.sha256);
  ex->unsend = TRUE;
  ex->result.sent_operations = exported.operations;
  sd_sync_export_clear (&exported);
  batch = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  ex->result.sent_bytes = g_bytes_get_size (batch);

  msg = new_message (ex, SOUP_METHOD_POST, SD_SYNC_PATH_BATCHES);
  soup_message_set_request_body_from_bytes (msg, SD_SYNC_BATCH_CONTENT_TYPE, batch);
  if (g_bytes_get_size (batch) > EXPECT_CONTINUE_BYTES)
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);
  if ((body = send_message (ex, msg, MAX_ANSWER_BYTES, error)) == NULL)
    return FALSE;
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    return refused (ex, msg, body, error);
  if ((answer = parse_answer (ex, msg, body, error)) == NULL)
    return FALSE;

  /* Only HQ's own signature makes the changes acknowledged. */
  result = json_string_value (json_object_get (answer, "result"));
  if (json_is_object (json_object_get (answer, "holds")))
    holds = json_dumps (json_object_get (answer, "holds"), JSON_COMPACT | JSON_SORT_KEYS);
  text = holds != NULL ? _sd_sync_ack_text (ex->batch_sha, holds) : NULL;
  if (text == NULL || (g_strcmp0 (result, "imported") != 0 && g_strcmp0 (result, "already-imported") != 0) ||
      !_sd_sync_verify_text (ex->hq_sign_pk, text, json_string_value (json_object_get (answer, "signature"))))
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_NOT_RECEIVER,
                   _("The answer from %s is not signed by this deployment’s HQ, so nothing is taken as "
                     "received. Check the address (“sync set-url”)."), ex->url);
      return FALSE;
    }
  ex->unsend = FALSE;
  ex->result.sent = TRUE;
  ex->result.sent_result = g_strdup (result);
  ex->result.hq_applied = json_integer_value (json_object_get (answer, "applied"));
  ex->result.hq_already_had = json_integer_value (json_object_get (answer, "already_had"));
  return sd_sync_set_peer_holds (ex->store, ex->hq_site, holds, error);
}

/* 3. HQ's batch for this kiosk. */
static gboolean
pull (Exchange  *ex,
      gboolean   may_ask_again,
      GError   **error)
{
  g_auto(SdSyncSelf) keys = { 0 };
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *holds = NULL, *text = NULL, *signature = NULL, *path = NULL;
  SoupMessageHeaders *headers;
  SdSyncImport imported = { 0 };
  guint status;

  if ((holds = sd_sync_get_holds (ex->store, error)) == NULL || !_sd_sync_load_self (ex->store, &keys, error))
    return FALSE;
  text = _sd_sync_pull_text (ex->own_site, ex->challenge, holds);
  signature = _sd_sync_sign_text (&keys, text);
  path = g_strconcat (SD_SYNC_PATH_BATCHES_FOR, ex->own_site, NULL);
  msg = new_message (ex, SOUP_METHOD_GET, path);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, SD_SYNC_HEADER_CHALLENGE, ex->challenge);
  soup_message_headers_replace (headers, SD_SYNC_HEADER_HOLDS, holds);
  soup_message_headers_replace (headers, SD_SYNC_HEADER_SIGNATURE, signature);
  if ((body = send_message (ex, msg, MAX_BATCH_BYTES, error)) == NULL)
    return FALSE;

  status = soup_message_get_status (msg);
  /* The challenge ran out while the batch went: ask for another, once. */
  if (status == SOUP_STATUS_UNAUTHORIZED && may_ask_again)
    return hello (ex, error) && pull (ex, FALSE, error);
  if (status == SOUP_STATUS_NO_CONTENT)
    return TRUE;
  if (status != SOUP_STATUS_OK)
    return refused (ex, msg, body, error);
  if (!sd_sync_import_bytes (ex->store, body, NULL, &imported, ex->cancellable, error))
    {
      ex->result.reason = g_strdup (sd_sync_error_reason (*error));
      g_prefix_error (error, _("HQ’s batch was refused here: "));
      sd_sync_import_clear (&imported);
      return FALSE;
    }
  ex->result.received = TRUE;
  ex->result.received_operations = imported.operations;
  ex->result.received_bytes = g_bytes_get_size (body);
  ex->result.received_applied = imported.applied;
  sd_sync_import_clear (&imported);
  return TRUE;
}

static gboolean
run (Exchange  *ex,
     GError   **error)
{
  SdSyncStatus status;

  if (!prepare (ex, error) || !hello (ex, error))
    return FALSE;
  if (ex->probe_only)
    return TRUE;
  if (((ex->flags & SD_SYNC_CLIENT_PUSH) && !push (ex, error)) ||
      ((ex->flags & SD_SYNC_CLIENT_PULL) && !pull (ex, TRUE, error)) ||
      !sd_sync_get_status (ex->store, &status, error))
    return FALSE;
  ex->result.waiting = status.waiting;
  return TRUE;
}

static void
exchange_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Exchange *ex = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ex->cancellable = cancellable;
  ok = run (ex, &error);
  if (ex->unsend)
    {
      g_autoptr(GError) local = NULL;

      if (!_sd_sync_unsend (ex->store, ex->hq_site, ex->batch_sha, &ex->before, &local))
        g_debug ("A batch HQ never answered stays recorded as sent: %s", local->message);
    }
  if (ex->store != NULL)
    {
      ex->hlc = sd_store_get_hlc (ex->store);
      g_signal_handlers_disconnect_by_data (ex->store, ex);
      /* Closed on the thread that opened it. */
      g_clear_object (&ex->store);
    }
  g_clear_object (&ex->session);
  ex->cancellable = NULL;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Back on the caller's thread: its store catches up with the worker's. */
static void
exchange_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) outer = data;
  Exchange *ex = g_task_get_task_data (G_TASK (result));
  SdStore *store = g_task_get_task_data (outer);
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer table;

  g_hash_table_iter_init (&iter, ex->tables);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    g_ptr_array_add (tables, table);
  g_ptr_array_add (tables, NULL);
  if (tables->len > 1)
    sd_store_catch_up (store, ex->hlc, (const char *const *) tables->pdata);

  g_object_set_data_full (G_OBJECT (outer), "sd-sync-result", g_memdup2 (&ex->result, sizeof ex->result),
                          (GDestroyNotify) g_free);
  memset (&ex->result, 0, sizeof ex->result);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, g_steal_pointer (&error));
}

static void
start_exchange (SdSyncClient        *self,
                SdStore             *store,
                SdSyncClientFlags    flags,
                gboolean             probe_only,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  Exchange *ex;

  g_task_set_source_tag (outer, source_tag);
  /* What the exchange did before it was stopped is reported. */
  g_task_set_check_cancellable (outer, FALSE);
  g_task_set_task_data (outer, g_object_ref (store), g_object_unref);
  if (sd_store_get_path (store) == NULL)
    {
      g_task_return_new_error (outer, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_FAILED,
                               _("This database has no file to exchange from."));
      return;
    }

  ex = g_new0 (Exchange, 1);
  ex->url = g_strdup (self->url);
  ex->base = g_strdup (self->base);
  ex->tls_database = self->tls_database != NULL ? g_object_ref (self->tls_database) : NULL;
  ex->timeout = self->timeout;
  ex->db_path = g_strdup (sd_store_get_path (store));
  ex->flags = flags;
  ex->probe_only = probe_only;
  ex->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  inner = g_task_new (NULL, cancellable, exchange_done_cb, g_object_ref (outer));
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, ex, (GDestroyNotify) exchange_free);
  g_task_run_in_thread (inner, exchange_thread);
}

void
sd_sync_client_probe_async (SdSyncClient        *self,
                            SdStore             *store,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (SD_IS_SYNC_CLIENT (self));
  g_return_if_fail (SD_IS_STORE (store));

  start_exchange (self, store, 0, TRUE, cancellable, callback, user_data, sd_sync_client_probe_async);
}

gboolean
sd_sync_client_probe_finish (SdSyncClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_sync_client_sync_async (SdSyncClient        *self,
                           SdStore             *store,
                           SdSyncClientFlags    flags,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SD_IS_SYNC_CLIENT (self));
  g_return_if_fail (SD_IS_STORE (store));

  start_exchange (self, store, flags, FALSE, cancellable, callback, user_data, sd_sync_client_sync_async);
}

gboolean
sd_sync_client_sync_finish (SdSyncClient        *self,
                            GAsyncResult        *result,
                            SdSyncClientResult  *out,
                            GError             **error)
{
  SdSyncClientResult *got;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  got = g_object_get_data (G_OBJECT (result), "sd-sync-result");
  if (out != NULL)
    memset (out, 0, sizeof *out);
  if (got != NULL && out != NULL)
    {
      *out = *got;
      memset (got, 0, sizeof *got);
    }
  else if (got != NULL)
    sd_sync_client_result_clear (got);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the object ---- */

/* Whether HOST can be a computer's name or address: no spaces or
 * escapes a person typed by mistake ("hq example", "hq%20"). */
static gboolean
host_is_plausible (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *c = host; *c != '\0'; c++)
    if (!(g_ascii_isalnum (*c) || *c == '.' || *c == '-' || *c == '_' || (guchar) *c >= 0x80))
      return FALSE;
  return *host != '\0';
}

gboolean
sd_sync_client_check_url (const char  *url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme, *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &local);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri != NULL ? g_uri_get_port (uri) == 0 : g_error_matches (local, G_URI_ERROR, G_URI_ERROR_BAD_PORT))
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_BAD_URL,
                   _("The port in “%s” is not a number from 1 to 65535: write it after the host and a colon, "
                     "as in https://hq.example.jp:8443."), url);
      return FALSE;
    }
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_BAD_URL,
                   _("“%s” is not an address of HQ’s receiver: it begins with https:// (or http://), then the "
                     "host and the port, as in https://hq.example.jp:8443."), url);
      return FALSE;
    }
  if (host == NULL || !host_is_plausible (host))
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_BAD_URL,
                   _("“%s” has no usable host: after %s:// comes the name or IP address of HQ’s computer, with "
                     "no spaces, as in https://hq.example.jp:8443."), url, scheme);
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_BAD_URL,
                   _("“%s” has more than HQ’s address: leave out any user name (before @), “?” and “#”, and "
                     "give only https://HOST:PORT."), url);
      return FALSE;
    }
  return TRUE;
}

SdSyncClient *
sd_sync_client_new (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base = NULL;
  g_autofree char *path = NULL;
  SdSyncClient *self;

  g_return_val_if_fail (url != NULL, NULL);

  if (!sd_sync_client_check_url (url, error))
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  base = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), path, NULL, NULL);

  self = g_object_new (SD_TYPE_SYNC_CLIENT, NULL);
  self->url = g_strdup (url);
  self->base = g_uri_to_string (base);
  return self;
}

const char *
sd_sync_client_get_url (SdSyncClient *self)
{
  g_return_val_if_fail (SD_IS_SYNC_CLIENT (self), NULL);

  return self->url;
}

gboolean
sd_sync_client_set_tls_ca_file (SdSyncClient  *self,
                                const char    *ca_file,
                                GError       **error)
{
  g_autoptr(GError) local = NULL;
  GTlsDatabase *database;

  g_return_val_if_fail (SD_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (ca_file != NULL, FALSE);

  database = g_tls_file_database_new (ca_file, &local);
  if (database == NULL)
    {
      g_set_error (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_TLS,
                   _("The certificate file “%s” cannot be read: %s"), ca_file, local->message);
      return FALSE;
    }
  g_clear_object (&self->tls_database);
  self->tls_database = database;
  return TRUE;
}

void
sd_sync_client_set_timeout (SdSyncClient *self,
                            guint         seconds)
{
  g_return_if_fail (SD_IS_SYNC_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

static void
sd_sync_client_finalize (GObject *object)
{
  SdSyncClient *self = SD_SYNC_CLIENT (object);

  g_free (self->url);
  g_free (self->base);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (sd_sync_client_parent_class)->finalize (object);
}

static void
sd_sync_client_class_init (SdSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_sync_client_finalize;
}

static void
sd_sync_client_init (SdSyncClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_S;
}
