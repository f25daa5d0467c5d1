/* sd-cli-serve.c: the network: serve (HQ's receiver), sync set-url and sync push (a kiosk).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "serve" and "sync push --watch" run until SIGINT or SIGTERM (Ctrl+C or
 * Ctrl+Break on Windows), printing
 * one line as they start (serve: the address, with the port, so a script
 * that asked for port 0 learns it) and one line per batch; both lines are
 * flushed at once, for a script or a log reading the pipe.
 */
#include <glib/gi18n.h>
#include <stdio.h>

#include "sd-cli-private.h"
#include "sd-platform.h"
#include "sd-sync-client.h"
#include "sd-sync-pusher.h"
#include "sd-sync-server.h"
#include "sd-sync.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* Runs LOOP until the program is asked to stop. */
static void
run_until_signal (GMainLoop *loop)
{
  SdPlatformStopWatch *watch = sd_platform_watch_stop (quit_cb, loop);

  g_main_loop_run (loop);
  sd_platform_unwatch_stop (watch);
}

static void
print_line (const char *line)
{
  g_print ("%s\n", line);
  fflush (stdout);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%H:%M:%S");
}

/* ---- serve ---- */

static void
batch_received_cb (SdSyncServer *server,
                   const char   *site,
                   const char   *result,
                   const char   *reason,
                   gint64        bytes,
                   gint64        operations,
                   gint64        applied,
                   gpointer      data)
{
  gboolean json = GPOINTER_TO_INT (data);
  g_autofree char *time = now_text ();
  g_autofree char *line = NULL;

  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s?, s:s, s:s?, s:I, s:I, s:I}", "event", "received",
                                          "from", site, "result", result, "reason", reason,
                                          "bytes", (json_int_t) bytes, "operations", (json_int_t) operations,
                                          "applied", (json_int_t) applied);
      line = json_dumps (root, JSON_COMPACT);
    }
  else if (reason != NULL)
    /* Translators: HH:MM:SS, a site id (or "?"), a reason code, a size in bytes */
    line = g_strdup_printf (_("%s  batch from %s refused: %s (%lld bytes)"), time,
                            site != NULL ? site : "?", reason, (long long) bytes);
  else
    /* Translators: HH:MM:SS, a site id, "imported" or "already-imported", counts, a size in bytes */
    line = g_strdup_printf (_("%s  batch from %s %s: %lld changes, %lld new "
                              "(%lld bytes)"), time, site, result, (long long) operations, (long long) applied, (long long) bytes);
  print_line (line);
}

static void
batch_sent_cb (SdSyncServer *server,
               const char   *site,
               gint64        operations,
               gint64        bytes,
               gpointer      data)
{
  gboolean json = GPOINTER_TO_INT (data);
  g_autofree char *time = now_text ();
  g_autofree char *line = NULL;

  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:I, s:I}", "event", "sent", "to", site,
                                          "operations", (json_int_t) operations, "bytes", (json_int_t) bytes);
      line = json_dumps (root, JSON_COMPACT);
    }
  else
    /* Translators: HH:MM:SS, a site id, a count, a size in bytes */
    line = g_strdup_printf (_("%s  HQ’s batch to %s: %lld changes (%lld bytes)"),
                            time, site, (long long) operations, (long long) bytes);
  print_line (line);
}

gboolean
sd_cli_run_serve (SdCli   *cli,
                  GStrv   *args,
                  GError **error)
{
  g_autoptr(SdSyncServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL, *cert = NULL, *key = NULL, *url = NULL, *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gint64 max_bytes = 0, max_requests = 0, timeout = 0;
  gboolean json = FALSE, safety_only = FALSE;
  const char *path;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("The address and port to listen on, such as 0.0.0.0:8443 (port 0: any free port)"), N_("ADDRESS:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("HTTPS with this certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("The certificate’s private key (PEM)"), N_("FILE") },
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &max_bytes, N_("The largest batch taken, in bytes (default 64 MiB)"),
      N_("N") },
    { "max-requests", 0, 0, G_OPTION_ARG_INT64, &max_requests,
      N_("Requests one address may make in a minute (default 120)"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT64, &timeout,
      N_("Seconds a client may wait without sending before it is dropped (default 15)"), N_("SECONDS") },
    { "safety-only", 0, 0, G_OPTION_ARG_NONE, &safety_only,
      N_("Serve only the staff safety form (/safety), from any site’s database: a shelter’s own LAN"), NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("Store the batches in this PostgreSQL database (a connection string, or “service=NAME”); the database "
         "given stays HQ’s keys and its desk"), N_("CONNINFO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON lines"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (listen, "--listen", error))
    return FALSE;
  if ((cert == NULL) != (key == NULL))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("HTTPS needs both --tls-cert and --tls-key."));
      return FALSE;
    }
  if (max_bytes < 0 || max_requests < 0 || max_requests > G_MAXUINT || timeout < 0 || timeout > 3600)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--max-bytes, --max-requests and --timeout take a positive number."));
      return FALSE;
    }
  if ((path = sd_cli_get_db_path (cli)) == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("No database given: use “--db FILE” or set SHELTERDESK_DB."));
      return FALSE;
    }

  if (conninfo != NULL && safety_only)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--pg stores batches; --safety-only receives none. Give one or the other."));
      return FALSE;
    }
  /* Opened now, so that a wrong connection string or schema is said at
   * once, not at the first batch. */
  if (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL)
    return FALSE;

  server = sd_sync_server_new (path);
  sd_sync_server_set_safety_only (server, safety_only);
  if (pg != NULL)
    sd_cli_pg_serve (pg, server);
  if (max_bytes > 0)
    sd_sync_server_set_max_bytes (server, (guint64) max_bytes);
  if (max_requests > 0)
    sd_sync_server_set_max_requests (server, (guint) max_requests);
  if (timeout > 0)
    sd_sync_server_set_timeout (server, (guint) timeout);
  if ((cert != NULL && !sd_sync_server_set_tls_files (server, cert, key, error)) ||
      !sd_sync_server_start (server, listen, error))
    return FALSE;
  g_signal_connect (server, "batch-received", G_CALLBACK (batch_received_cb), GINT_TO_POINTER (json));
  g_signal_connect (server, "batch-sent", G_CALLBACK (batch_sent_cb), GINT_TO_POINTER (json));

  url = sd_sync_server_get_url (server);
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:i, s:s, s:b}", "event", "listening", "url", url,
                                          "port", (int) sd_sync_server_get_port (server),
                                          "deployment", sd_sync_server_get_deployment_name (server),
                                          "safety_only", safety_only);
      g_autofree char *line = json_dumps (root, JSON_COMPACT);

      print_line (line);
    }
  else if (safety_only)
    {
      /* Translators: the site's name and the form's address */
      g_autofree char *line = g_strdup_printf (_("The staff safety form of “%s” is at %s/safety (Ctrl+C stops it)."),
                                               sd_sync_server_get_deployment_name (server), url);

      print_line (line);
    }
  else
    {
      /* Translators: the receiver's address (with its port) and the deployment's name */
      g_autofree char *line = g_strdup_printf (_("HQ’s receiver of “%2$s” listens on %1$s (Ctrl+C stops it)."),
                                               url, sd_sync_server_get_deployment_name (server));

      print_line (line);
    }

  loop = g_main_loop_new (NULL, FALSE);
  run_until_signal (loop);
  sd_sync_server_stop (server);
  return TRUE;
}

/* ---- sync set-url ---- */

gboolean
sd_cli_run_sync_set_url (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdSyncClient) client = NULL;
  gboolean clear = FALSE;
  const GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Forget HQ’s address"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 1, error))
    return FALSE;
  if (clear == ((*args)[1] != NULL))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("Give HQ’s address, or --clear to forget it. Usage: shelterdesk-cli [--db FILE] sync set-url "
                     "URL"));
      return FALSE;
    }
  if (!clear && (client = sd_sync_client_new ((*args)[1], error)) == NULL)
    return FALSE;
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_sync_set_hq_url (store, clear ? NULL : (*args)[1], error))
    return FALSE;
  if (clear)
    g_print (_("HQ’s address is forgotten: batches go by USB stick only.\n"));
  else
    g_print (_("HQ’s address: %s\n"), (*args)[1]);
  return TRUE;
}

/* ---- sync push ---- */

static json_t *
result_json (const SdSyncClientResult *r)
{
  json_t *sent = r->sent ? json_pack ("{s:s, s:I, s:I, s:I, s:I}", "result", r->sent_result,
                                      "operations", (json_int_t) r->sent_operations,
                                      "bytes", (json_int_t) r->sent_bytes,
                                      "applied", (json_int_t) r->hq_applied,
                                      "already_had", (json_int_t) r->hq_already_had)
                         : json_null ();
  json_t *received = r->received ? json_pack ("{s:I, s:I, s:I}", "operations", (json_int_t) r->received_operations,
                                              "bytes", (json_int_t) r->received_bytes,
                                              "applied", (json_int_t) r->received_applied)
                                 : json_null ();

  return json_pack ("{s:o, s:o, s:I}", "sent", sent, "received", received, "waiting", (json_int_t) r->waiting);
}

static char *
result_text (const SdSyncClientResult *r)
{
  GString *text = g_string_new (NULL);

  if (r->sent)
    g_string_append_printf (text, g_dngettext (NULL, "Sent %lld change to HQ (%lld new there).",
                                               "Sent %lld changes to HQ (%lld new there).",
                                               (gulong) r->sent_operations),
                            (long long) r->sent_operations, (long long) r->hq_applied);
  else
    g_string_append (text, _("Nothing was waiting to be sent."));
  g_string_append_c (text, ' ');
  if (r->received)
    g_string_append_printf (text, g_dngettext (NULL, "Received %lld change from HQ (%lld new here).",
                                               "Received %lld changes from HQ (%lld new here).",
                                               (gulong) r->received_operations),
                            (long long) r->received_operations, (long long) r->received_applied);
  else
    g_string_append (text, _("Nothing new from HQ."));
  if (r->waiting > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Still waiting to be sent: %llu."), (unsigned long long) r->waiting);
    }
  return g_string_free (text, FALSE);
}

typedef struct {
  GMainLoop          *loop;
  gboolean            ok;
  SdSyncClientResult  result;
  GError             *error;
} PushOnce;

static void
push_once_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  PushOnce *once = data;

  once->ok = sd_sync_client_sync_finish (SD_SYNC_CLIENT (source), result, &once->result, &once->error);
  g_main_loop_quit (once->loop);
}

static gboolean
push_once (SdStore       *store,
           SdSyncClient  *client,
           gboolean       json,
           GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  PushOnce once = { .loop = loop };

  sd_sync_client_sync_async (client, store, SD_SYNC_CLIENT_PUSH | SD_SYNC_CLIENT_PULL, NULL, push_once_cb, &once);
  g_main_loop_run (loop);

  if (json)
    {
      g_autoptr(json_t) root = result_json (&once.result);

      json_object_set_new (root, "url", json_string (sd_sync_client_get_url (client)));
      json_object_set_new (root, "result", json_string (once.ok ? "done" : "failed"));
      if (!once.ok)
        {
          json_object_set_new (root, "reason", json_string (once.result.reason != NULL ? once.result.reason
                                                                                       : "failed"));
          json_object_set_new (root, "message", json_string (once.error->message));
        }
      sd_cli_print_json (root);
    }
  else if (once.ok)
    {
      g_autofree char *text = result_text (&once.result);

      g_print ("%s\n", text);
    }
  sd_sync_client_result_clear (&once.result);
  if (!once.ok)
    {
      g_propagate_error (error, once.error);
      return FALSE;
    }
  return TRUE;
}

static void
exchanged_cb (SdSyncPusher             *pusher,
              const SdSyncClientResult *result,
              gpointer                  data)
{
  gboolean json = GPOINTER_TO_INT (data);
  g_autofree char *time = now_text ();
  g_autofree char *line = NULL;

  if (json)
    {
      g_autoptr(json_t) root = result_json (result);

      json_object_set_new (root, "event", json_string ("exchanged"));
      line = json_dumps (root, JSON_COMPACT);
    }
  else
    {
      g_autofree char *text = result_text (result);

      line = g_strdup_printf ("%s  %s", time, text);
    }
  print_line (line);
}

static void
failed_cb (SdSyncPusher *pusher,
           const GError *error,
           gpointer      data)
{
  gboolean json = GPOINTER_TO_INT (data);
  gint64 next = sd_sync_pusher_get_next_attempt (pusher);
  gint64 seconds = next > 0 ? MAX (0, (next - g_get_real_time () / 1000 + 999) / 1000) : -1;
  g_autofree char *time = now_text ();
  g_autofree char *line = NULL;

  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:b, s:I}", "event", "failed", "message", error->message,
                                          "temporary", sd_sync_client_error_is_temporary (error),
                                          "retry_in_s", (json_int_t) seconds);
      line = json_dumps (root, JSON_COMPACT);
    }
  else if (seconds >= 0)
    /* Translators: HH:MM:SS, why it failed, seconds */
    line = g_strdup_printf (_("%s  %s Next attempt in %lld s."), time, error->message, (long long) seconds);
  else
    line = g_strdup_printf ("%s  %s", time, error->message);
  print_line (line);
}

static gboolean
push_watch (SdStore       *store,
            SdSyncClient  *client,
            gboolean       json,
            GError       **error)
{
  g_autoptr(SdSyncPusher) pusher = sd_sync_pusher_new (store, client);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_signal_connect (pusher, "exchanged", G_CALLBACK (exchanged_cb), GINT_TO_POINTER (json));
  g_signal_connect (pusher, "failed", G_CALLBACK (failed_cb), GINT_TO_POINTER (json));
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s}", "event", "watching", "url", sd_sync_client_get_url (client));
      g_autofree char *line = json_dumps (root, JSON_COMPACT);

      print_line (line);
    }
  else
    {
      g_autofree char *line = g_strdup_printf (_("Sending this kiosk’s changes to %s whenever it answers "
                                                 "(Ctrl+C stops)."), sd_sync_client_get_url (client));

      print_line (line);
    }
  sd_sync_pusher_start (pusher);
  run_until_signal (loop);
  sd_sync_pusher_stop (pusher);
  return TRUE;
}

gboolean
sd_cli_run_sync_push (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdSyncClient) client = NULL;
  g_autofree char *url = NULL, *ca = NULL;
  gboolean json = FALSE, watch = FALSE;
  gint64 timeout = 0;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("HQ’s receiver (default: the address stored with “sync set-url”)"), N_("URL") },
    { "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &ca,
      N_("Trust only this certificate file (PEM) for HQ: HQ’s own certificate"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT64, &timeout,
      N_("Seconds without an answer before HQ counts as unreachable (default 30)"), N_("SECONDS") },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep running: send whenever something waits and HQ answers, until stopped"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error))
    return FALSE;
  if (timeout < 0 || timeout > 3600)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--timeout takes a number of seconds."));
      return FALSE;
    }
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;
  if (url == NULL && (url = sd_sync_get_hq_url (store)) == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("No address of HQ: give --url, or store it once with “sync set-url URL”."));
      return FALSE;
    }
  if ((client = sd_sync_client_new (url, error)) == NULL ||
      (ca != NULL && !sd_sync_client_set_tls_ca_file (client, ca, error)))
    return FALSE;
  if (timeout > 0)
    sd_sync_client_set_timeout (client, (guint) timeout);
  return watch ? push_watch (store, client, json, error) : push_once (store, client, json, error);
}
