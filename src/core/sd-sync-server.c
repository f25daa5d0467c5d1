/* sd-sync-server.c: HQ's receiver: batches in over HTTP(S), HQ's batch out, bounded against abuse.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The protocol is docs/sync-protocol.md.  Three parts:
 *
 * Connections.  The receiver accepts TCP connections itself (a
 * GSocketService) and hands each to libsoup (soup_server_accept_iostream)
 * after the TLS handshake, if any, through an input stream that lets
 * through only what the request is allowed: 64 KiB of headers, then the
 * Content-Length the early handler accepted.  libsoup 3.2 bounds neither
 * headers nor time, so this file does: a periodic sweep shuts down every
 * connection that keeps a phase waiting past its deadline (headers within
 * the timeout, a body within the timeout of its last byte and at no less
 * than MIN_RATE on the whole, an answer likewise), and it limits
 * connections per address and in all, requests per address and minute
 * (a token bucket), uploads at once and imports queued.  Each connection
 * carries one request: answers say "Connection: close", and a server with
 * no listener of its own never keeps a connection alive anyway.  A request
 * refused before its body (too large, wrong method, too many) is answered
 * on the stolen connection at once, without reading the body, and the
 * rest is drained for a moment so that the client reads the answer
 * rather than a reset.
 *
 * The store.  An SdStore belongs to the thread that opened it, and
 * imports must be serialized anyway (each is one BEGIN IMMEDIATE
 * transaction).  So the receiver has one worker thread (an exclusive
 * GThreadPool of one) that opens HQ's database, runs every job that
 * touches it (import, export for a kiosk, taking back a batch that never
 * left) one after the other, and closes it.  A 100 000-change batch takes
 * seconds to merge; done on the main loop it would stall every other
 * connection's deadlines and answers, while here the loop only parses
 * HTTP.  The message waits paused meanwhile, and its deadline with it.
 *
 * The staff safety web form.  /safety is sd-safety-service.c's: this
 * file gives it connections and the same limits, runs its work on the
 * store's thread, and runs a sign-in's Argon2id check in a bounded pool
 * of its own (VERIFY_THREADS), never on the store's thread, so that an
 * answer from someone signed in waits only for the store, however many
 * phones are signing in.
 *
 * Privacy: nothing here logs an address, a name or a batch's content:
 * only sizes, counts, site ids and reason codes (g_debug), and the
 * ::batch-received and ::batch-sent signals carry nothing else.
 */
#include "sd-sync-server.h"

#include "sd-batch.h"
#include "sd-exercise-live.h"
#include "sd-json.h"
#include "sd-safety-service.h"
#include "sd-safety-web.h"
#include "sd-scenario.h"
#include "sd-store.h"
#include "sd-sync-protocol-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#ifdef G_OS_UNIX
#include <netinet/in.h>
#include <netinet/tcp.h>
#endif

#define MAX_HEADER_BYTES            (64 * 1024)
#define MAX_CONNECTIONS             256
#define MAX_CONNECTIONS_PER_ADDRESS 16
#define MAX_UPLOADS                 8      /* request bodies being received at once */
#define MAX_UPLOADS_PER_ADDRESS     2
#define MAX_QUEUED_JOBS             16
#define MAX_CHALLENGES              4096
#define CHALLENGE_LIFETIME_US       (120 * G_USEC_PER_SEC)
#define MIN_RATE                    (16 * 1024)   /* bytes a second, on the whole of a body or answer */
#define LINGER_US                   (G_USEC_PER_SEC)
#define SWEEP_INTERVAL_MS           250
#define MAX_WEB_JOBS                256    /* web form requests at the store or verifying */
#define VERIFY_THREADS              2      /* Argon2id checks at once */

G_DEFINE_QUARK (sd-sync-server-error-quark, sd_sync_server_error)

/* ---- an input stream that lets through what it is allowed ---- */

#define SD_TYPE_LIMITED_INPUT (sd_limited_input_get_type ())
G_DECLARE_FINAL_TYPE (SdLimitedInput, sd_limited_input, SD, LIMITED_INPUT, GFilterInputStream)

struct _SdLimitedInput
{
  GFilterInputStream parent_instance;
  gint64             allowance;  /* bytes still allowed; -1: no limit */
};

static void sd_limited_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdLimitedInput, sd_limited_input, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, sd_limited_input_pollable_init))

static GInputStream *
base_of (gpointer stream)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
}

/* Shortens COUNT to what is allowed; FALSE once nothing is. */
static gboolean
limit_count (SdLimitedInput  *self,
             gsize           *count,
             GError         **error)
{
  if (self->allowance == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "request larger than allowed");
      return FALSE;
    }
  if (self->allowance > 0 && (guint64) *count > (guint64) self->allowance)
    *count = (gsize) self->allowance;
  return TRUE;
}

static void
take_allowance (SdLimitedInput *self,
                gssize          n)
{
  if (n > 0 && self->allowance > 0)
    self->allowance -= n;
}

static gssize
sd_limited_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  SdLimitedInput *self = SD_LIMITED_INPUT (stream);
  gssize n;

  if (!limit_count (self, &count, error))
    return -1;
  n = g_input_stream_read (base_of (self), buffer, count, cancellable, error);
  take_allowance (self, n);
  return n;
}

static gboolean
sd_limited_input_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = base_of (stream);

  return G_IS_POLLABLE_INPUT_STREAM (base) && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
sd_limited_input_is_readable (GPollableInputStream *stream)
{
  /* Readable when exhausted, so that the reader meets the error at once. */
  return SD_LIMITED_INPUT (stream)->allowance == 0 ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_of (stream)));
}

static GSource *
sd_limited_input_create_source (GPollableInputStream *stream,
                                GCancellable         *cancellable)
{
  g_autoptr(GSource) base_source = NULL;

  if (SD_LIMITED_INPUT (stream)->allowance == 0)
    base_source = g_timeout_source_new (0);
  else
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base_of (stream)), NULL);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
sd_limited_input_read_nonblocking (GPollableInputStream  *stream,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  SdLimitedInput *self = SD_LIMITED_INPUT (stream);
  gssize n;

  if (!limit_count (self, &count, error))
    return -1;
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (base_of (self)), buffer, count, NULL,
                                                error);
  take_allowance (self, n);
  return n;
}

static void
sd_limited_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = sd_limited_input_can_poll;
  iface->is_readable = sd_limited_input_is_readable;
  iface->create_source = sd_limited_input_create_source;
  iface->read_nonblocking = sd_limited_input_read_nonblocking;
}

static void
sd_limited_input_class_init (SdLimitedInputClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = sd_limited_input_read;
}

static void
sd_limited_input_init (SdLimitedInput *self)
{
}

/* ---- the receiver ---- */

typedef enum {
  PHASE_HANDSHAKE,   /* TLS */
  PHASE_HEADERS,     /* waiting for the request's headers */
  PHASE_BODY,        /* receiving its body */
  PHASE_WORKING,     /* paused while the worker thread does the job: no deadline */
  PHASE_ANSWERING,   /* libsoup writes the answer */
  PHASE_REFUSING,    /* writing a refusal on the stolen connection */
  PHASE_LINGERING,   /* draining what the client still sends after a refusal */
} Phase;

/* What the receiver knows of one client address: only for the limits. */
typedef struct {
  guint   connections;
  guint   uploads;
  double  tokens;
  gint64  refilled_at;
} Client;

typedef struct {
  SdSyncServer      *server;        /* borrowed: connections are dropped before the server goes */
  char              *address;       /* the client's IP address: the key of its Client, never logged */
  GSocketConnection *socket_conn;
  GIOStream         *base;          /* socket_conn, or the TLS connection over it */
  SdLimitedInput    *input;
  GIOStream         *stream;        /* base with its input limited: what libsoup reads */
  GIOStream         *stolen;        /* after a refusal before the body */
  SoupServerMessage *msg;           /* from request-started until finished or stolen */
  GCancellable      *cancellable;
  Phase              phase;
  gint64             deadline;      /* monotonic µs; 0: none */
  gint64             body_start;    /* monotonic µs */
  guint64            received;      /* bytes of the body so far */
  gboolean           shut;          /* the socket was shut down at a deadline */
  gboolean           uploading;     /* counted in server->uploads */
  gboolean           wrote_body;
  gboolean           closed;
  /* A pull's batch, taken back unless its answer was written whole. */
  char              *sent_site;
  char              *sent_sha;
  SdSyncSent         sent_before;
} Conn;

typedef enum {
  JOB_OPEN,
  JOB_IMPORT,
  JOB_PULL,
  JOB_UNSEND,
  JOB_CLOSE,
  JOB_WEB,                /* the web form's work at the store (sd-safety-service.c) */
} JobKind;

typedef struct {
  JobKind       kind;
  GTask        *task;          /* which owns the job; NULL for OPEN and CLOSE */
  Conn         *conn;          /* a reference, for IMPORT and PULL */
  GBytes       *body;          /* IMPORT: the batch */
  char         *site;          /* PULL, UNSEND */
  char         *challenge;     /* PULL */
  char         *holds;         /* PULL */
  char         *signature;     /* PULL */
  char         *sent_sha;      /* PULL's result, UNSEND */
  SdSyncSent    sent_before;
  GAsyncQueue  *reply;         /* OPEN, CLOSE: the starting thread waits for it */
  GError       *error;         /* OPEN */

  /* the answer */
  guint         status;
  const char   *content_type;
  GBytes       *answer;
  /* for ::batch-received and ::batch-sent */
  char         *from_site;
  const char   *result;
  const char   *reason;
  gint64        operations;
  gint64        applied;

  /* WEB */
  SdSafetyRequest *web;
  gboolean      handed_on;     /* gone to the verify pool: the task is not returned yet */
} Job;

struct _SdSyncServer
{
  GObject          parent_instance;

  /* Settings */
  char            *db_path;
  guint64          max_bytes;
  guint            max_requests;
  guint            timeout;
  GTlsCertificate *certificate;
  gboolean         safety_only;     /* the web form alone, on any site */
  const SdSyncServerStorage *storage;  /* file_storage: HQ's file */
  gpointer         storage_data;
  GDestroyNotify   storage_destroy;

  /* The listening side (the thread that started it) */
  GSocketService  *service;
  SoupServer      *soup;
  guint16          port;
  GInetAddress    *listen_address;
  GPtrArray       *conns;          /* Conn*, owned */
  GHashTable      *clients;        /* address → Client* */
  GHashTable      *challenges;     /* hex → expiry (gint64*, monotonic µs) */
  Conn            *accepting;      /* the connection soup_server_accept_iostream() is taking */
  GSource         *sweep_source;
  guint            uploads;
  guint            jobs;           /* queued or running */
  gboolean         stopped;

  /* Facts of HQ's database, read once at start */
  char            *site_id;
  char            *deployment_id;
  char            *deployment_name;

  /* The web form (the listening side's) */
  SdSafetyService *safety;
  GThreadPool     *verify_pool;    /* Argon2id, VERIFY_THREADS at once */
  guint            web_jobs;       /* queued, running or verifying */

  /* The worker thread's own: nothing else touches them */
  GThreadPool     *pool;
  SdStore         *store;
  SdSyncSelf       keys;
};

G_DEFINE_FINAL_TYPE (SdSyncServer, sd_sync_server, G_TYPE_OBJECT)

enum {
  BATCH_RECEIVED,
  BATCH_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void conn_close (Conn *conn);

/* ---- answers ---- */

static GBytes *
json_bytes (json_t *root)
{
  char *text = json_dumps (root, JSON_COMPACT);

  json_decref (root);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
refusal_bytes (const char *reason,
               const char *message)
{
  return json_bytes (json_pack ("{s:s, s:s, s:s}", "result", "refused", "reason", reason, "message", message));
}

static void
respond_refusal (SoupServerMessage *msg,
                 guint              status,
                 const char        *reason,
                 const char        *message)
{
  g_autoptr(GBytes) body = refusal_bytes (reason, message);

  g_debug ("Refused a request: %u %s", status, reason);
  _sd_sync_respond (msg, status, "application/json", body);
}

/* The whole answer as bytes, for a connection taken from libsoup. */
static GBytes *
raw_refusal (guint       status,
             const char *reason,
             const char *message)
{
  g_autoptr(GBytes) body = refusal_bytes (reason, message);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\nConnection: close\r\nCache-Control: no-store\r\n",
                          status, _sd_sync_phrase (status), g_bytes_get_size (body));
  if (status == SD_SYNC_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_string_append (out, "Retry-After: " SD_SYNC_RETRY_AFTER_S "\r\n");
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    g_string_append (out, "Allow: GET, POST\r\n");
  g_string_append (out, "\r\n");
  g_string_append_len (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return g_string_free_to_bytes (out);
}

static guint
status_for (const GError *error)
{
  const char *reason = sd_sync_error_reason (error);

  if (g_str_equal (reason, "failed"))
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;
  if (g_str_equal (reason, "cloned-site"))
    return SOUP_STATUS_CONFLICT;
  if (g_str_equal (reason, "not-a-batch") || g_str_equal (reason, "damaged") || g_str_equal (reason, "too-new") ||
      g_str_equal (reason, "bad-operation"))
    return SOUP_STATUS_UNPROCESSABLE_ENTITY;
  return SOUP_STATUS_FORBIDDEN;
}

/* ---- connections ---- */

static Conn *
conn_ref (Conn *conn)
{
  return g_rc_box_acquire (conn);
}

static void
conn_clear (Conn *conn)
{
  g_free (conn->address);
  g_clear_object (&conn->socket_conn);
  g_clear_object (&conn->base);
  g_clear_object (&conn->input);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->stolen);
  g_clear_object (&conn->msg);
  g_clear_object (&conn->cancellable);
  g_free (conn->sent_site);
  g_free (conn->sent_sha);
  _sd_sync_sent_clear (&conn->sent_before);
}

static void
conn_unref (Conn *conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) conn_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_unref)

static void
set_phase (Conn   *conn,
           Phase   phase,
           gint64  seconds)
{
  conn->phase = phase;
  conn->deadline = seconds > 0 ? g_get_monotonic_time () + seconds * G_USEC_PER_SEC : 0;
}

/* The deadline for moving BYTES: the timeout, and MIN_RATE on the whole. */
static gint64
transfer_seconds (SdSyncServer *self,
                  guint64       bytes)
{
  return self->timeout + (gint64) (bytes / MIN_RATE);
}

static Client *
client_get (SdSyncServer *self,
            const char   *address)
{
  Client *client = g_hash_table_lookup (self->clients, address);

  if (client == NULL)
    {
      client = g_new0 (Client, 1);
      client->tokens = self->max_requests;
      client->refilled_at = g_get_monotonic_time ();
      g_hash_table_insert (self->clients, g_strdup (address), client);
    }
  return client;
}

static void
client_refill (SdSyncServer *self,
               Client       *client)
{
  gint64 now = g_get_monotonic_time ();

  client->tokens = MIN ((double) self->max_requests,
                        client->tokens + (now - client->refilled_at) / (double) G_USEC_PER_SEC *
                                         self->max_requests / 60.0);
  client->refilled_at = now;
}

/* One request of ADDRESS's allowance a minute, if any is left. */
static gboolean
client_take_request (SdSyncServer *self,
                     const char   *address)
{
  Client *client = client_get (self, address);

  client_refill (self, client);
  if (client->tokens < 1)
    return FALSE;
  client->tokens -= 1;
  return TRUE;
}

static void
conn_stop_upload (Conn *conn)
{
  Client *client;

  if (conn->uploading)
    {
      conn->uploading = FALSE;
      conn->server->uploads--;
      if ((client = g_hash_table_lookup (conn->server->clients, conn->address)) != NULL && client->uploads > 0)
        client->uploads--;
    }
}

static void queue_unsend (SdSyncServer *self,
                          Conn         *conn);
static void conn_drop_msg (Conn *conn);

/* Closes everything of CONN and forgets it; what is still pending on it
 * fails and finds it closed. */
static void
conn_close (Conn *conn)
{
  SdSyncServer *self = conn->server;
  Client *client;

  if (conn->closed)
    return;
  conn->closed = TRUE;
  g_cancellable_cancel (conn->cancellable);
  conn_stop_upload (conn);
  if (!conn->wrote_body)
    queue_unsend (self, conn);
  /* The socket first: closing a TLS stream over it then writes nothing. */
  g_io_stream_close (G_IO_STREAM (conn->socket_conn), NULL, NULL);
  if (conn->stolen != NULL)
    g_io_stream_close (conn->stolen, NULL, NULL);
  if (conn->stream != NULL && conn->msg == NULL)
    g_io_stream_close (conn->stream, NULL, NULL);
  conn_drop_msg (conn);
  if ((client = g_hash_table_lookup (self->clients, conn->address)) != NULL && client->connections > 0)
    client->connections--;
  g_ptr_array_remove_fast (self->conns, conn);
}

static void
conn_drop_msg (Conn *conn)
{
  if (conn->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->msg, conn);
      g_clear_object (&conn->msg);
    }
}

/* ---- the worker thread ---- */

static void job_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data);

static void
job_free (Job *job)
{
  g_clear_pointer (&job->conn, conn_unref);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->site);
  g_free (job->challenge);
  g_free (job->holds);
  g_free (job->signature);
  g_free (job->sent_sha);
  _sd_sync_sent_clear (&job->sent_before);
  g_clear_pointer (&job->reply, g_async_queue_unref);
  g_clear_error (&job->error);
  g_clear_pointer (&job->answer, g_bytes_unref);
  g_free (job->from_site);
  sd_safety_request_free (job->web);
  g_free (job);
}

static void
job_refuse_with (Job        *job,
                 guint       status,
                 const char *reason,
                 const char *message)
{
  job->reason = reason;
  job->status = status;
  job->content_type = "application/json";
  job->answer = refusal_bytes (reason, message);
}

static void
job_refuse (Job          *job,
            const GError *error)
{
  job_refuse_with (job, status_for (error), sd_sync_error_reason (error), error->message);
}

static void
run_open (SdSyncServer *self,
          Job          *job)
{
  self->store = sd_store_open (self->db_path, SD_STORE_OPEN_DEFAULT, &job->error);
  if (self->store == NULL)
    return;
  /* An exercise's HQ lives in exercise time, as its desks do: what it
   * records, and how far ahead a kiosk's clock is, by the shared clock. */
  if (sd_store_get_is_exercise (self->store))
    sd_exercise_follow_clock (self->store);
  if (self->safety_only)
    return;
  if (!_sd_sync_load_self (self->store, &self->keys, &job->error))
    {
      g_clear_error (&job->error);
      g_set_error (&job->error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_NOT_HQ,
                   _("This database belongs to no deployment, so it receives no batches. Make it HQ with "
                     "“deploy bundle” first; to serve only the staff safety form, add --safety-only."));
    }
  else if (self->keys.role != SD_SYNC_ROLE_HQ)
    g_set_error (&job->error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_NOT_HQ,
                 _("This database is a kiosk of “%s”; only HQ’s database receives batches. To serve the staff "
                   "safety form to this shelter’s LAN, add --safety-only."),
                 self->keys.deployment_name);
  if (job->error != NULL)
    {
      g_clear_object (&self->store);
      _sd_sync_self_clear (&self->keys);
    }
}

/* In a tabletop exercise whose scenario has the network down for the
 * kiosk now (docs/exercises.md), HQ answers as an unreachable HQ would
 * leave the kiosk: nothing taken or given, try again later, and when the
 * network returns.  A USB stick still gets through.  SITE: the pulling
 * kiosk, or NULL for a push, whose signer names it. */
static gboolean
exercise_outage (SdSyncServer *self,
                 Job          *job,
                 const char   *site)
{
  g_autoptr(SdBatchReader) reader = NULL;
  g_autofree char *name = NULL, *back = NULL, *message = NULL;
  gint64 until;

  if (!sd_store_get_is_exercise (self->store))
    return FALSE;
  if (site == NULL)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (job->body);

      /* A batch that does not open is refused by the import, as ever. */
      reader = sd_batch_reader_new (in, &self->keys.receiver, NULL, NULL);
      if (reader == NULL)
        return FALSE;
      name = _sd_sync_peer_name (self->store, NULL, sd_batch_reader_get_signer (reader));
    }
  else
    name = _sd_sync_peer_name (self->store, site, NULL);
  if (!sd_exercise_network_down_for (self->store, name, &until))
    return FALSE;
  if (until >= 0)
    {
      back = sd_scenario_format_time (until);
      message = g_strdup_printf (_("Tabletop exercise (訓練): the scenario has the network down for this kiosk "
                                   "until %s. Nothing was sent; it is sent again when the network returns, or "
                                   "take a batch to HQ on a USB stick."), back);
    }
  else
    message = g_strdup (_("Tabletop exercise (訓練): the scenario has the network down for this kiosk. Nothing "
                          "was sent; it is sent again when the network returns, or take a batch to HQ on a USB "
                          "stick."));
  job->result = "refused";
  job_refuse_with (job, SOUP_STATUS_SERVICE_UNAVAILABLE, "exercise-network-down", message);
  return TRUE;
}

/* HQ's own file: the storage of a receiver that was given none. */
static gboolean
file_import (SdStore       *hq,
             GBytes        *batch,
             SdSyncImport  *result,
             char         **holds,
             gpointer       user_data,
             GError       **error)
{
  return sd_sync_import_bytes (hq, batch, NULL, result, NULL, error) &&
         (*holds = sd_sync_get_holds (hq, error)) != NULL;
}

static gboolean
file_export (SdStore        *hq,
             const char     *site,
             const char     *holds,
             GOutputStream  *out,
             SdSyncExport   *result,
             gpointer        user_data,
             GError        **error)
{
  return (holds == NULL || sd_sync_set_peer_holds (hq, site, holds, error)) &&
         sd_sync_export (hq, site, out, result, NULL, error);
}

static const SdSyncServerStorage file_storage = { file_import, file_export };

static void
run_import (SdSyncServer *self,
            Job          *job)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *holds = NULL, *text = NULL, *signature = NULL;
  SdSyncImport result = { 0 };

  if (exercise_outage (self, job, NULL))
    return;
  if (!self->storage->import (self->store, job->body, &result, &holds, self->storage_data, &error))
    {
      job->result = "refused";
      job->from_site = g_strdup (result.from_site);
      job_refuse (job, error);
      sd_sync_import_clear (&result);
      return;
    }
  text = _sd_sync_ack_text (result.sha256, holds);
  signature = _sd_sync_sign_text (&self->keys, text);
  job->result = result.already_imported ? "already-imported" : "imported";
  job->from_site = g_strdup (result.from_site);
  job->operations = result.operations;
  job->applied = result.applied;
  job->status = SOUP_STATUS_OK;
  job->content_type = "application/json";
  job->answer = json_bytes (json_pack ("{s:s, s:s, s:s?, s:I, s:I, s:I, s:o, s:s}",
                                       "result", job->result, "batch", result.sha256, "from", result.from_site,
                                       "operations", (json_int_t) result.operations,
                                       "applied", (json_int_t) result.applied,
                                       "already_had", (json_int_t) result.already_had,
                                       "holds", json_loads (holds, 0, NULL), "signature", signature));
  sd_sync_import_clear (&result);
}

static void
run_pull (SdSyncServer *self,
          Job          *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autofree char *text = NULL;
  guint8 sign_pk[crypto_sign_PUBLICKEYBYTES];
  SdSyncExport result = { 0 };

  job->from_site = g_strdup (job->site);
  if (!_sd_sync_peer_sign_key (self->store, job->site, "kiosk", sign_pk, &error))
    {
      job_refuse (job, error);
      return;
    }
  text = _sd_sync_pull_text (job->site, job->challenge, job->holds);
  if (!_sd_sync_verify_text (sign_pk, text, job->signature))
    {
      job_refuse_with (job, SOUP_STATUS_FORBIDDEN, "bad-signature",
                       _("The request is not signed by the kiosk it names."));
      return;
    }
  if (exercise_outage (self, job, job->site))
    return;
  out = g_memory_output_stream_new_resizable ();
  if (!_sd_sync_get_sent (self->store, job->site, &job->sent_before, &error) ||
      !self->storage->export (self->store, job->site, job->holds, out, &result, self->storage_data, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      /* What the kiosk says it holds could not be read. */
      if (g_error_matches (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION))
        job_refuse_with (job, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
      else
        job_refuse (job, error);
      sd_sync_export_clear (&result);
      return;
    }
  job->operations = result.operations;
  if (result.operations == 0)
    {
      /* Nothing new for the kiosk: no batch, and none recorded as sent. */
      if (!_sd_sync_unsend (self->store, job->site, result.sha256, &job->sent_before, &error))
        g_debug ("An empty batch stays recorded as sent: %s", error->message);
      job->status = SOUP_STATUS_NO_CONTENT;
    }
  else
    {
      job->status = SOUP_STATUS_OK;
      job->content_type = SD_SYNC_BATCH_CONTENT_TYPE;
      job->answer = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      job->sent_sha = g_strdup (result.sha256);
    }
  sd_sync_export_clear (&result);
}

static void
run_unsend (SdSyncServer *self,
            Job          *job)
{
  g_autoptr(GError) error = NULL;

  if (!_sd_sync_unsend (self->store, job->site, job->sent_sha, &job->sent_before, &error))
    g_debug ("A batch that never left stays recorded as sent: %s", error->message);
}

/* A sign-in's Argon2id check, VERIFY_THREADS at once, then back to the
 * store's thread to record it. */
static void
verify_worker (gpointer data,
               gpointer user_data)
{
  SdSyncServer *self = user_data;
  Job *job = data;

  sd_safety_request_verify (job->web);
  job->handed_on = FALSE;
  g_thread_pool_push (self->pool, job, NULL);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  SdSyncServer *self = user_data;
  Job *job = data;
  GTask *task = job->task;

  switch (job->kind)
    {
    case JOB_OPEN:
      run_open (self, job);
      break;
    case JOB_IMPORT:
      run_import (self, job);
      break;
    case JOB_PULL:
      run_pull (self, job);
      break;
    case JOB_UNSEND:
      run_unsend (self, job);
      break;
    case JOB_CLOSE:
      g_clear_object (&self->store);
      _sd_sync_self_clear (&self->keys);
      break;
    case JOB_WEB:
      /* A sign-in goes on to the verify pool, and comes back here. */
      job->handed_on = sd_safety_request_run (job->web, self->store);
      if (job->handed_on)
        g_thread_pool_push (self->verify_pool, job, NULL);
      break;
    }

  if (job->handed_on)
    return;
  if (task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  else
    g_async_queue_push (job->reply, job);
}

/* Runs JOB (OPEN or CLOSE) in the worker thread and waits for it. */
static void
run_and_wait (SdSyncServer *self,
              Job          *job)
{
  job->reply = g_async_queue_new ();
  g_thread_pool_push (self->pool, job, NULL);
  g_async_queue_pop (job->reply);
}

/* Queues JOB; job_done_cb() gets it back on this thread.  FALSE when too
 * many wait already. */
static gboolean
queue_job (SdSyncServer *self,
           Job          *job)
{
  GTask *task;
  gboolean web = job->kind == JOB_WEB;

  /* The web form's requests are counted apart, and handle_safety() checks
   * their room before it queues one. */
  if (!web && self->jobs >= MAX_QUEUED_JOBS && job->kind != JOB_UNSEND)
    {
      job_free (job);
      return FALSE;
    }
  if (web)
    self->web_jobs++;
  else
    self->jobs++;
  task = g_task_new (self, NULL, job_done_cb, NULL);
  g_task_set_source_tag (task, queue_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* The worker returns the task and drops this reference. */
  job->task = task;
  g_thread_pool_push (self->pool, job, NULL);
  return TRUE;
}

static void
queue_unsend (SdSyncServer *self,
              Conn         *conn)
{
  Job *job;

  if (conn->sent_sha == NULL || self->stopped)
    return;
  job = g_new0 (Job, 1);
  job->kind = JOB_UNSEND;
  job->site = g_steal_pointer (&conn->sent_site);
  job->sent_sha = g_steal_pointer (&conn->sent_sha);
  job->sent_before = conn->sent_before;
  memset (&conn->sent_before, 0, sizeof conn->sent_before);
  queue_job (self, job);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  SdSyncServer *self = SD_SYNC_SERVER (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  Conn *conn = job->conn;

  if (job->kind == JOB_WEB)
    {
      self->web_jobs--;
      if (conn != NULL && conn->msg != NULL && !conn->closed && !self->stopped)
        {
          sd_safety_service_answer (self->safety, job->web, conn->msg);
          set_phase (conn, PHASE_ANSWERING, self->timeout);
          soup_server_message_unpause (conn->msg);
        }
      return;
    }
  self->jobs--;
  if (job->kind == JOB_IMPORT)
    g_signal_emit (self, signals[BATCH_RECEIVED], 0, job->from_site, job->result != NULL ? job->result : "refused",
                   job->reason, (gint64) g_bytes_get_size (job->body), job->operations, job->applied);
  if (conn == NULL)
    return;

  if (job->sent_sha != NULL)
    {
      conn->sent_site = g_strdup (job->site);
      conn->sent_sha = g_steal_pointer (&job->sent_sha);
      conn->sent_before = job->sent_before;
      memset (&job->sent_before, 0, sizeof job->sent_before);
    }
  if (conn->msg == NULL || conn->closed || self->stopped)
    {
      /* The client is gone: the batch made for it never left. */
      queue_unsend (self, conn);
      return;
    }
  if (job->kind == JOB_PULL && job->status == SOUP_STATUS_OK)
    g_signal_emit (self, signals[BATCH_SENT], 0, job->site, job->operations,
                   (gint64) g_bytes_get_size (job->answer));
  if (job->reason != NULL)
    g_debug ("%s: refused, %s", job->kind == JOB_IMPORT ? "A batch" : "A request for HQ’s batch", job->reason);
  _sd_sync_respond (conn->msg, job->status, job->content_type, job->answer);
  set_phase (conn, PHASE_ANSWERING,
             transfer_seconds (self, job->answer != NULL ? g_bytes_get_size (job->answer) : 0));
  soup_server_message_unpause (conn->msg);
}

/* ---- refusing before the body ---- */

static void
linger_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(Conn) conn = data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (conn->closed)
    return;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      conn_close (conn);
      return;
    }
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 64 * 1024, G_PRIORITY_LOW, conn->cancellable,
                                   linger_read_cb, conn_ref (conn));
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(Conn) conn = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) || conn->closed)
    {
      conn_close (conn);
      return;
    }
  /* The answer is out: say so, and read what the client still sends for
   * a moment, so its kernel does not answer our close with a reset that
   * would lose the answer before it reads it. */
  g_socket_shutdown (g_socket_connection_get_socket (conn->socket_conn), FALSE, TRUE, NULL);
  conn->phase = PHASE_LINGERING;
  conn->deadline = g_get_monotonic_time () + LINGER_US;
  conn->input->allowance = -1;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (conn->stolen), 64 * 1024, G_PRIORITY_LOW,
                                   conn->cancellable, linger_read_cb, conn_ref (conn));
}

typedef struct {
  Conn   *conn;
  GBytes *answer;
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  conn_unref (refusal->conn);
  g_bytes_unref (refusal->answer);
  g_free (refusal);
}

static gboolean
steal_and_refuse_cb (gpointer data)
{
  Refusal *refusal = data;
  Conn *conn = refusal->conn;
  gconstpointer bytes;
  gsize length;

  if (conn->closed || conn->msg == NULL)
    return G_SOURCE_REMOVE;
  /* Out of libsoup's own I/O callbacks: stealing frees its state. */
  conn->stolen = soup_server_message_steal_connection (conn->msg);
  conn_drop_msg (conn);
  if (conn->stolen == NULL)
    {
      conn_close (conn);
      return G_SOURCE_REMOVE;
    }
  bytes = g_bytes_get_data (refusal->answer, &length);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (conn->stolen), bytes, length, G_PRIORITY_DEFAULT,
                                   conn->cancellable, refusal_written_cb, conn_ref (conn));
  /* The bytes stay alive with the source until the write is done: */
  g_object_set_data_full (G_OBJECT (conn->stolen), "sd-refusal", g_bytes_ref (refusal->answer),
                          (GDestroyNotify) g_bytes_unref);
  return G_SOURCE_REMOVE;
}

/* Answers MSG with a refusal.  When the request has a body, the answer
 * goes out at once on the connection taken from libsoup, which would
 * otherwise read the whole body first, however large it says it is. */
static void
refuse (SdSyncServer      *self,
        Conn              *conn,
        SoupServerMessage *msg,
        gboolean           has_body,
        guint              status,
        const char        *reason,
        const char        *message)
{
  Refusal *refusal;

  if (!has_body || conn == NULL)
    {
      respond_refusal (msg, status, reason, message);
      if (conn != NULL)
        set_phase (conn, PHASE_ANSWERING, self->timeout);
      return;
    }
  g_debug ("Refused a request before its body: %u %s", status, reason);
  refusal = g_new0 (Refusal, 1);
  refusal->conn = conn_ref (conn);
  refusal->answer = raw_refusal (status, reason, message);
  set_phase (conn, PHASE_REFUSING, self->timeout);
  soup_server_message_pause (msg);
  g_idle_add_full (G_PRIORITY_DEFAULT, steal_and_refuse_cb, refusal, (GDestroyNotify) refusal_free);
}

/* ---- requests ---- */

typedef enum {
  ROUTE_NONE,
  ROUTE_HELLO,
  ROUTE_BATCHES,
  ROUTE_PULL,
  ROUTE_SAFETY_PAGE,     /* GET /safety */
  ROUTE_SAFETY_POST,     /* a form sent to /safety/… */
} Route;

#define IS_WEB_POST(route) ((route) == ROUTE_SAFETY_POST)

static Route
route_of (SdSyncServer *self,
          const char   *path,
          const char  **site)
{
  *site = NULL;
  switch (sd_safety_service_route (path))
    {
    case SD_SAFETY_ROUTE_PAGE:
      return ROUTE_SAFETY_PAGE;
    case SD_SAFETY_ROUTE_POST:
      return ROUTE_SAFETY_POST;
    case SD_SAFETY_ROUTE_NONE:
    default:
      break;
    }
  if (self->safety_only)
    return ROUTE_NONE;
  if (g_strcmp0 (path, SD_SYNC_PATH_HELLO) == 0)
    return ROUTE_HELLO;
  if (g_strcmp0 (path, SD_SYNC_PATH_BATCHES) == 0)
    return ROUTE_BATCHES;
  if (path != NULL && g_str_has_prefix (path, SD_SYNC_PATH_BATCHES_FOR) &&
      sd_sync_is_site_id (path + strlen (SD_SYNC_PATH_BATCHES_FOR)))
    {
      *site = path + strlen (SD_SYNC_PATH_BATCHES_FOR);
      return ROUTE_PULL;
    }
  return ROUTE_NONE;
}

static const char *
method_of (Route route)
{
  return route == ROUTE_BATCHES || IS_WEB_POST (route) ? SOUP_METHOD_POST : SOUP_METHOD_GET;
}

static Conn *
conn_of (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "sd-sync-conn");
}

/* No byte for the timeout, or less than MIN_RATE on average since the
 * body began (after the timeout's grace): either way it is dropped, so
 * that a client dripping a byte now and then holds no upload slot. */
static void
set_body_deadline (Conn *conn)
{
  gint64 timeout = conn->server->timeout * G_USEC_PER_SEC;
  gint64 by_rate = conn->body_start + timeout + (gint64) (conn->received * G_USEC_PER_SEC / MIN_RATE);

  conn->deadline = MIN (g_get_monotonic_time () + timeout, by_rate);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           data)
{
  Conn *conn = data;

  conn->received += g_bytes_get_size (chunk);
  set_body_deadline (conn);
}

static void
wrote_body_cb (SoupServerMessage *msg,
               gpointer           data)
{
  Conn *conn = data;

  conn->wrote_body = TRUE;
}

/* A connection libsoup has closed stops counting at once, not at the next
 * sweep: phones on one address (a shelter's NAT) or many at once would
 * otherwise meet the connection limits with connections already over. */
static gboolean
collect_cb (gpointer data)
{
  Conn *conn = data;

  if (!conn->closed && conn->stream != NULL && conn->stolen == NULL && g_io_stream_is_closed (conn->stream))
    conn_close (conn);
  return G_SOURCE_REMOVE;
}

static void
finished_cb (SoupServerMessage *msg,
             gpointer           data)
{
  Conn *conn = data;

  conn_stop_upload (conn);
  if (!conn->wrote_body)
    queue_unsend (conn->server, conn);
  conn_drop_msg (conn);
  g_idle_add_full (G_PRIORITY_DEFAULT, collect_cb, conn_ref (conn), (GDestroyNotify) conn_unref);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  SdSyncServer *self = data;
  Conn *conn = self->accepting;

  /* Only the first request of a connection comes here with one: the
   * connection is closed after its answer. */
  if (conn == NULL || conn->msg != NULL)
    return;
  conn->msg = g_object_ref (msg);
  g_object_set_data_full (G_OBJECT (msg), "sd-sync-conn", conn_ref (conn), (GDestroyNotify) conn_unref);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), conn);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (wrote_body_cb), conn);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), conn);
}

/* After the headers, before the body: everything that can be refused
 * without reading it is refused here. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  SdSyncServer *self = data;
  Conn *conn = conn_of (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length = encoding == SOUP_ENCODING_CONTENT_LENGTH ? soup_message_headers_get_content_length (headers) : 0;
  gboolean has_body = (encoding != SOUP_ENCODING_NONE && encoding != SOUP_ENCODING_CONTENT_LENGTH) || length > 0;
  const char *site, *content_type;
  Route route = route_of (self, path, &site);

  Client *client;

  if (conn == NULL)
    {
      refuse (self, NULL, msg, FALSE, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("Try again in a moment."));
      return;
    }
  conn->phase = PHASE_BODY;
  conn->body_start = g_get_monotonic_time ();
  set_body_deadline (conn);
  client = client_get (self, conn->address);

  if (!client_take_request (self, conn->address))
    refuse (self, conn, msg, has_body, SD_SYNC_STATUS_TOO_MANY_REQUESTS, "rate-limited",
            _("Too many requests from this address; try again in a minute."));
  else if (route == ROUTE_NONE)
    refuse (self, conn, msg, has_body, SOUP_STATUS_NOT_FOUND, "not-found",
            self->safety_only ? _("There is nothing here: this kiosk serves only the staff safety form, at /safety.")
                              : _("There is nothing here: ShelterDesk’s receiver answers under /sync/v1/."));
  else if (g_strcmp0 (soup_server_message_get_method (msg), method_of (route)) != 0)
    refuse (self, conn, msg, has_body, SOUP_STATUS_METHOD_NOT_ALLOWED, "wrong-method",
            _("This address does not take that kind of request."));
  else if (route != ROUTE_BATCHES && !IS_WEB_POST (route) && has_body)
    refuse (self, conn, msg, has_body, SOUP_STATUS_BAD_REQUEST, "bad-request",
            _("This request takes no body."));
  else if (IS_WEB_POST (route) &&
           ((content_type = soup_message_headers_get_content_type (headers, NULL)) == NULL ||
            g_ascii_strcasecmp (content_type, SD_SAFETY_SERVICE_FORM_TYPE) != 0))
    refuse (self, conn, msg, has_body, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "wrong-type",
            _("The form is sent as a web form."));
  else if (IS_WEB_POST (route) && (encoding != SOUP_ENCODING_CONTENT_LENGTH ||
                                   length > SD_SAFETY_WEB_MAX_FORM_BYTES))
    refuse (self, conn, msg, has_body, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
            _("The form is larger than any answer: open the form again and send it from there."));
  else if (IS_WEB_POST (route))
    conn->input->allowance += length;
  else if (route == ROUTE_BATCHES &&
           ((content_type = soup_message_headers_get_content_type (headers, NULL)) == NULL ||
            g_ascii_strcasecmp (content_type, SD_SYNC_BATCH_CONTENT_TYPE) != 0))
    {
      g_autofree char *message = g_strdup_printf (_("A batch is sent as %s."), SD_SYNC_BATCH_CONTENT_TYPE);

      refuse (self, conn, msg, has_body, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "wrong-type", message);
    }
  else if (route == ROUTE_BATCHES && encoding != SOUP_ENCODING_CONTENT_LENGTH)
    refuse (self, conn, msg, has_body, SOUP_STATUS_LENGTH_REQUIRED, "length-required",
            _("A batch is sent with its length (Content-Length)."));
  else if (route == ROUTE_BATCHES && (guint64) length > self->max_bytes)
    {
      g_autofree char *size = g_format_size (self->max_bytes);
      g_autofree char *message = g_strdup_printf (_("The batch is larger than this receiver takes (%s). Take it to "
                                                    "HQ on a USB stick, or ask HQ to raise the limit."), size);

      refuse (self, conn, msg, has_body, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", message);
    }
  else if (route == ROUTE_BATCHES && (self->uploads >= MAX_UPLOADS || client->uploads >= MAX_UPLOADS_PER_ADDRESS ||
                                      self->jobs >= MAX_QUEUED_JOBS))
    refuse (self, conn, msg, has_body, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
            _("HQ is receiving other batches; try again in a moment."));
  else if (route == ROUTE_BATCHES)
    {
      conn->uploading = TRUE;
      self->uploads++;
      client->uploads++;
      conn->input->allowance += length;
    }
}

static void
handle_hello (SdSyncServer      *self,
              SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  GHashTableIter iter;
  gpointer expiry;
  guint8 random[16];
  char *challenge;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->challenges);
  while (g_hash_table_iter_next (&iter, NULL, &expiry))
    if (*(gint64 *) expiry < now)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->challenges) >= MAX_CHALLENGES)
    {
      respond_refusal (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("Try again in a moment."));
      return;
    }
  randombytes_buf (random, sizeof random);
  challenge = _sd_sync_hex (random, sizeof random);
  now += CHALLENGE_LIFETIME_US;
  g_hash_table_insert (self->challenges, challenge, g_memdup2 (&now, sizeof now));
  body = json_bytes (json_pack ("{s:s, s:i, s:s, s:s, s:s}", "service", SD_SYNC_SERVICE,
                                "protocol", SD_SYNC_PROTOCOL_VERSION, "deployment", self->deployment_id,
                                "site", self->site_id, "challenge", challenge));
  _sd_sync_respond (msg, SOUP_STATUS_OK, "application/json", body);
}

static void
handle_pull (SdSyncServer      *self,
             Conn              *conn,
             SoupServerMessage *msg,
             const char        *site)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *challenge = soup_message_headers_get_one (headers, SD_SYNC_HEADER_CHALLENGE);
  const char *holds = soup_message_headers_get_one (headers, SD_SYNC_HEADER_HOLDS);
  const char *signature = soup_message_headers_get_one (headers, SD_SYNC_HEADER_SIGNATURE);
  Job *job;

  /* Each challenge answers one request. */
  if (challenge == NULL || !g_hash_table_remove (self->challenges, challenge))
    {
      g_autofree char *message = g_strdup_printf (_("Ask for a new challenge (%s) and sign the request with it."),
                                                  SD_SYNC_PATH_HELLO);

      respond_refusal (msg, SOUP_STATUS_UNAUTHORIZED, "challenge", message);
      return;
    }
  if (signature == NULL)
    {
      respond_refusal (msg, SOUP_STATUS_FORBIDDEN, "bad-signature", _("The request is not signed."));
      return;
    }
  job = g_new0 (Job, 1);
  job->kind = JOB_PULL;
  job->conn = conn_ref (conn);
  job->site = g_strdup (site);
  job->challenge = g_strdup (challenge);
  job->holds = g_strdup (holds);
  job->signature = g_strdup (signature);
  if (!queue_job (self, job))
    {
      respond_refusal (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", _("HQ is busy; try again in a moment."));
      return;
    }
  set_phase (conn, PHASE_WORKING, 0);
  soup_server_message_pause (msg);
}

static void
handle_batch (SdSyncServer      *self,
              Conn              *conn,
              SoupServerMessage *msg)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_IMPORT;
  job->conn = conn_ref (conn);
  job->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  conn_stop_upload (conn);
  if (!queue_job (self, job))
    {
      respond_refusal (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                       _("HQ is receiving other batches; try again in a moment."));
      return;
    }
  set_phase (conn, PHASE_WORKING, 0);
  soup_server_message_pause (msg);
}

/* The web form: answered at once, or its work queued for the store. */
static void
handle_safety (SdSyncServer      *self,
               Conn              *conn,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  SdSafetyRequest *request = sd_safety_service_take (self->safety, msg, path, query);
  Job *job;

  if (request == NULL)
    return;
  if (self->web_jobs >= MAX_WEB_JOBS)
    {
      sd_safety_service_busy (self->safety, request, msg);
      sd_safety_request_free (request);
      return;
    }
  job = g_new0 (Job, 1);
  job->kind = JOB_WEB;
  job->web = request;
  job->conn = conn_ref (conn);
  queue_job (self, job);
  set_phase (conn, PHASE_WORKING, 0);
  soup_server_message_pause (msg);
}

/* After the body: the early handler let only acceptable requests through. */
static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  SdSyncServer *self = data;
  Conn *conn = conn_of (msg);
  const char *site;

  if (conn == NULL)
    return;
  set_phase (conn, PHASE_ANSWERING, self->timeout);
  switch (route_of (self, path, &site))
    {
    case ROUTE_HELLO:
      handle_hello (self, msg);
      break;
    case ROUTE_PULL:
      handle_pull (self, conn, msg, site);
      break;
    case ROUTE_BATCHES:
      handle_batch (self, conn, msg);
      break;
    case ROUTE_SAFETY_PAGE:
    case ROUTE_SAFETY_POST:
      handle_safety (self, conn, msg, path, query);
      break;
    case ROUTE_NONE:
    default:
      /* The early handler answered it already. */
      respond_refusal (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("There is nothing here."));
    }
}

/* ---- accepting ---- */

static void
hand_over (SdSyncServer *self,
           Conn         *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (conn->socket_conn, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (conn->socket_conn, NULL);

  conn->input = g_object_new (SD_TYPE_LIMITED_INPUT, "base-stream", g_io_stream_get_input_stream (conn->base),
                              "close-base-stream", FALSE, NULL);
  conn->input->allowance = MAX_HEADER_BYTES;
  conn->stream = g_simple_io_stream_new (G_INPUT_STREAM (conn->input), g_io_stream_get_output_stream (conn->base));
  set_phase (conn, PHASE_HEADERS, self->timeout);
  self->accepting = conn;
  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (self->soup, conn->stream, local, remote, &error))
    {
      g_debug ("A connection could not be taken: %s", error != NULL ? error->message : "no address");
      conn_close (conn);
    }
  self->accepting = NULL;
}

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(Conn) conn = data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_debug ("A TLS handshake failed: %s", error->message);
      conn_close (conn);
      return;
    }
  if (!conn->closed)
    hand_over (conn->server, conn);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           data)
{
  SdSyncServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *address = NULL;
  Client *client;
  Conn *conn;

  if (self->stopped || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  client = client_get (self, address);
  if (self->conns->len >= MAX_CONNECTIONS || client->connections >= MAX_CONNECTIONS_PER_ADDRESS)
    {
      g_debug ("Too many connections: one more closed at once");
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  client->connections++;

  conn = g_rc_box_new0 (Conn);
  conn->server = self;
  conn->address = g_steal_pointer (&address);
  conn->socket_conn = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->conns, conn);
#ifdef G_OS_UNIX
  /* Answers are small and written at once. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
#endif

  if (self->certificate == NULL)
    {
      conn->base = G_IO_STREAM (g_object_ref (connection));
      hand_over (self, conn);
      return TRUE;
    }
  conn->base = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error));
  if (conn->base == NULL)
    {
      g_debug ("No TLS for a connection: %s", error->message);
      conn_close (conn);
      return TRUE;
    }
  set_phase (conn, PHASE_HANDSHAKE, self->timeout);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->base), G_PRIORITY_DEFAULT, conn->cancellable,
                                    handshake_cb, conn_ref (conn));
  return TRUE;
}

/* Shuts down what waits past its deadline, and forgets what libsoup closed. */
static gboolean
sweep_cb (gpointer data)
{
  SdSyncServer *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Client *client;

  for (guint i = self->conns->len; i > 0; i--)
    {
      Conn *conn = g_ptr_array_index (self->conns, i - 1);

      if (conn->stream != NULL && conn->stolen == NULL && g_io_stream_is_closed (conn->stream))
        conn_close (conn);
      else if (conn->deadline != 0 && now > conn->deadline)
        {
          if (conn->shut || conn->phase == PHASE_REFUSING || conn->phase == PHASE_LINGERING ||
              conn->phase == PHASE_HANDSHAKE)
            conn_close (conn);
          else
            {
              /* libsoup meets the end of the stream and lets go of it;
               * if it has not by the next deadline, it is closed anyway. */
              g_debug ("A request took too long: dropped");
              g_socket_shutdown (g_socket_connection_get_socket (conn->socket_conn), TRUE, TRUE, NULL);
              conn->shut = TRUE;
              conn->deadline = now + G_USEC_PER_SEC;
            }
        }
    }

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &client))
    {
      client_refill (self, client);
      if (client->connections == 0 && client->tokens >= self->max_requests)
        g_hash_table_iter_remove (&iter);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- the object ---- */

SdSyncServer *
sd_sync_server_new (const char *db_path)
{
  SdSyncServer *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (SD_TYPE_SYNC_SERVER, NULL);
  self->db_path = g_strdup (db_path);
  return self;
}

void
sd_sync_server_set_max_bytes (SdSyncServer *self,
                              guint64       max_bytes)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));
  g_return_if_fail (max_bytes > 0);

  self->max_bytes = max_bytes;
}

guint64
sd_sync_server_get_max_bytes (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), 0);

  return self->max_bytes;
}

void
sd_sync_server_set_max_requests (SdSyncServer *self,
                                 guint         per_minute)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));
  g_return_if_fail (per_minute > 0);

  self->max_requests = per_minute;
}

guint
sd_sync_server_get_max_requests (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), 0);

  return self->max_requests;
}

void
sd_sync_server_set_safety_only (SdSyncServer *self,
                                gboolean      safety_only)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));
  g_return_if_fail (self->service == NULL);

  self->safety_only = safety_only;
}

gboolean
sd_sync_server_get_safety_only (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), FALSE);
  return self->safety_only;
}

void
sd_sync_server_set_storage (SdSyncServer               *self,
                            const SdSyncServerStorage  *storage,
                            gpointer                    user_data,
                            GDestroyNotify              destroy)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));
  g_return_if_fail (self->pool == NULL);

  if (self->storage_destroy != NULL)
    self->storage_destroy (self->storage_data);
  self->storage = storage != NULL ? storage : &file_storage;
  self->storage_data = user_data;
  self->storage_destroy = destroy;
}

void
sd_sync_server_set_timeout (SdSyncServer *self,
                            guint         seconds)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

guint
sd_sync_server_get_timeout (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), 0);

  return self->timeout;
}

gboolean
sd_sync_server_set_tls_files (SdSyncServer  *self,
                              const char    *cert_file,
                              const char    *key_file,
                              GError       **error)
{
  g_autoptr(GError) local = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), FALSE);
  g_return_val_if_fail (cert_file != NULL && key_file != NULL, FALSE);

  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()) == FALSE)
    {
      g_set_error (error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_TLS,
                   _("This computer has no TLS support for GLib (install glib-networking)."));
      return FALSE;
    }
  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local);
  if (certificate == NULL)
    {
      g_set_error (error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_TLS,
                   _("The certificate “%s” or its key “%s” cannot be used: %s"), cert_file, key_file, local->message);
      return FALSE;
    }
  g_clear_object (&self->certificate);
  self->certificate = certificate;
  return TRUE;
}

static GInetSocketAddress *
parse_address (const char  *text,
               GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;
  const char *colon = text != NULL ? strrchr (text, ':') : NULL;
  guint64 port = 0;

  if (colon != NULL && g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      host = g_strndup (text, colon - text);
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          memmove (host, host + 1, strlen (host) - 2);
          host[strlen (host) - 2] = '\0';
        }
      inet = g_inet_address_new_from_string (host);
    }
  if (inet == NULL)
    {
      g_set_error (error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_ADDRESS,
                   _("“%s” is not an address to listen on: give an IP address and a port, such as "
                     "127.0.0.1:8443 or [::1]:8443 (port 0: any free port)."), text != NULL ? text : "");
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet, (guint16) port));
}

gboolean
sd_sync_server_start (SdSyncServer  *self,
                      const char    *address,
                      GError       **error)
{
  g_autoptr(GInetSocketAddress) wanted = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local = NULL;
  Job *job;

  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  if ((wanted = parse_address (address, error)) == NULL)
    return FALSE;

  self->pool = g_thread_pool_new (worker, self, 1, TRUE, error);
  if (self->pool == NULL)
    return FALSE;
  self->verify_pool = g_thread_pool_new (verify_worker, self, VERIFY_THREADS, FALSE, error);
  if (self->verify_pool == NULL)
    {
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
      return FALSE;
    }
  job = g_new0 (Job, 1);
  job->kind = JOB_OPEN;
  run_and_wait (self, job);
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      job_free (job);
      g_thread_pool_free (g_steal_pointer (&self->verify_pool), FALSE, TRUE);
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
      return FALSE;
    }
  job_free (job);
  /* Read-only from here on, so the listening side may read them. */
  self->site_id = g_strdup (sd_store_get_site_id (self->store));
  self->deployment_id = g_strdup (self->keys.deployment_id);
  self->deployment_name = g_strdup (self->safety_only ? sd_store_get_site_name (self->store)
                                                      : self->keys.deployment_name);

  self->service = g_socket_service_new ();
  /* GIO's default of 10 overflows when dozens of phones connect at once
   * (then, with SYN cookies, the kernel resets connections the client
   * believes open); the limits above are what bound them. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), MAX_CONNECTIONS);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), G_SOCKET_ADDRESS (wanted),
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local))
    {
      g_set_error (error, SD_SYNC_SERVER_ERROR, SD_SYNC_SERVER_ERROR_ADDRESS,
                   _("Cannot listen on %s: %s"), address, local->message);
      sd_sync_server_stop (self);
      return FALSE;
    }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->listen_address = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (wanted)));

  self->soup = soup_server_new ("server-header", "ShelterDesk", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);

  self->sweep_source = g_timeout_source_new (SWEEP_INTERVAL_MS);
  g_source_set_callback (self->sweep_source, sweep_cb, self, NULL);
  g_source_set_static_name (self->sweep_source, "[shelterdesk] sync receiver sweep");
  g_source_attach (self->sweep_source, g_main_context_get_thread_default ());

  self->stopped = FALSE;
  sd_safety_service_set_secure (self->safety, self->certificate != NULL);
  g_socket_service_start (self->service);
  return TRUE;
}

void
sd_sync_server_stop (SdSyncServer *self)
{
  g_return_if_fail (SD_IS_SYNC_SERVER (self));

  self->stopped = TRUE;
  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  if (self->sweep_source != NULL)
    {
      g_source_destroy (self->sweep_source);
      g_clear_pointer (&self->sweep_source, g_source_unref);
    }
  while (self->conns->len > 0)
    conn_close (g_ptr_array_index (self->conns, self->conns->len - 1));
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  /* Checks under way go on to the store's thread, before it closes. */
  if (self->verify_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->verify_pool), FALSE, TRUE);
  if (self->pool != NULL)
    {
      Job *job = g_new0 (Job, 1);

      /* After every job queued before it: the import under way ends. */
      job->kind = JOB_CLOSE;
      run_and_wait (self, job);
      job_free (job);
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  g_hash_table_remove_all (self->challenges);
  g_hash_table_remove_all (self->clients);
  sd_safety_service_clear (self->safety);
  self->port = 0;
}

guint16
sd_sync_server_get_port (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), 0);

  return self->port;
}

char *
sd_sync_server_get_url (SdSyncServer *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), NULL);

  if (self->listen_address == NULL)
    return NULL;
  host = g_inet_address_to_string (self->listen_address);
  return g_strdup_printf (g_inet_address_get_family (self->listen_address) == G_SOCKET_FAMILY_IPV6
                          ? "%s://[%s]:%u" : "%s://%s:%u",
                          self->certificate != NULL ? "https" : "http", host, self->port);
}

const char *
sd_sync_server_get_deployment_name (SdSyncServer *self)
{
  g_return_val_if_fail (SD_IS_SYNC_SERVER (self), NULL);

  return self->deployment_name;
}

static void
sd_sync_server_dispose (GObject *object)
{
  SdSyncServer *self = SD_SYNC_SERVER (object);

  sd_sync_server_stop (self);

  G_OBJECT_CLASS (sd_sync_server_parent_class)->dispose (object);
}

static void
sd_sync_server_finalize (GObject *object)
{
  SdSyncServer *self = SD_SYNC_SERVER (object);

  g_free (self->db_path);
  if (self->storage_destroy != NULL)
    self->storage_destroy (self->storage_data);
  g_clear_object (&self->certificate);
  g_clear_object (&self->listen_address);
  g_ptr_array_unref (self->conns);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->challenges);
  sd_safety_service_free (self->safety);
  g_free (self->site_id);
  g_free (self->deployment_id);
  g_free (self->deployment_name);

  G_OBJECT_CLASS (sd_sync_server_parent_class)->finalize (object);
}

static void
sd_sync_server_class_init (SdSyncServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_sync_server_dispose;
  object_class->finalize = sd_sync_server_finalize;

  /**
   * SdSyncServer::batch-received:
   * @site: (nullable): the sending site's id, when the batch got that far
   * @result: "imported", "already-imported" or "refused"
   * @reason: (nullable): why it was refused (docs/sync-protocol.md)
   * @bytes: the batch's size
   * @operations: the changes it carried
   * @applied: the changes that were new here
   */
  signals[BATCH_RECEIVED] = g_signal_new ("batch-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 6, G_TYPE_STRING, G_TYPE_STRING,
                                          G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * SdSyncServer::batch-sent:
   * @site: the kiosk that fetched HQ's batch
   * @operations: the changes it carries
   * @bytes: its size
   */
  signals[BATCH_SENT] = g_signal_new ("batch-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
}

static void
sd_sync_server_init (SdSyncServer *self)
{
  self->max_bytes = SD_SYNC_SERVER_DEFAULT_MAX_BYTES;
  self->max_requests = SD_SYNC_SERVER_DEFAULT_MAX_REQUESTS;
  self->timeout = SD_SYNC_SERVER_DEFAULT_TIMEOUT;
  self->storage = &file_storage;
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_unref);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->challenges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->safety = sd_safety_service_new ();
}
