/* sd-safety-service.c: the staff safety web form as the receiver serves it: its requests, its sessions, its answers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sign-in's Argon2id check runs where the receiver puts it (a bounded
 * pool of its own), never on the store's thread, so that an answer from
 * someone signed in waits only for the store, however many phones are
 * signing in; the lockout is the desk's own (prepare and record run on
 * the store's thread).  A session is a random token in a cookie
 * (HttpOnly, SameSite=Strict, Secure over TLS), kept only in memory,
 * with a second random token in every form that must come back with it.
 * Nothing here logs a number, a name, a PIN or a token: only what
 * happened ("a sign-in refused (auth)").
 */
#include "sd-safety-service.h"
#include "sd-error.h"
#include "sd-safety-web.h"
#include "sd-staff-private.h"
#include "sd-sync-protocol-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#define MAX_SESSIONS         4096
#define SESSION_LIFETIME_US  (30 * 60 * G_USEC_PER_SEC)
#define SESSION_COOKIE       "sd_safety"
#define WEB_PAGE_TYPE        "text/html; charset=utf-8"

typedef enum {
  ROUTE_SAFETY,          /* GET: the sign-in page or the form */
  ROUTE_SAFETY_SIGNIN,   /* POST */
  ROUTE_SAFETY_SIGNOUT,  /* POST */
  ROUTE_SAFETY_ANSWER,   /* POST */
  ROUTE_OTHER,
} Route;

typedef enum {
  KIND_SIGNIN,          /* the account and its lock; then verify, off the store's thread */
  KIND_SIGNIN_RECORD,   /* after the check: count or clear failures */
  KIND_FORM,            /* the person and the open roll-call, for the form */
  KIND_ANSWER,          /* store an answer */
} Kind;

/* A phone signed in. */
typedef struct {
  char   *staff_no;
  char   *csrf;
  gint64  expires;   /* monotonic µs */
} Session;

struct _SdSafetyService
{
  SdSafetyWeb *web;
  GHashTable  *sessions;   /* token → Session* */
  gboolean     secure;
};

struct _SdSafetyRequest
{
  Kind                kind;
  char               *lang;
  char               *staff_no;      /* typed at sign-in, or the session's */
  char               *pin;           /* wiped as soon as the check has it */
  SdSignIn           *sign_in;
  GHashTable         *form;          /* ANSWER (and FORM after a refused one): the posted fields */
  char               *csrf;          /* FORM, ANSWER: the session's form token */
  SdStaff            *staff;
  SdRollcall         *rollcall;
  SdSafetyAnswerSpec  spec;
  gint64              answered_at;
  GError             *web_error;
  guint               wait_s;
  const char         *problem;       /* FORM: the msgid of what to fix in the posted answer */
};

static Route
route_of (const char *path)
{
  if (g_strcmp0 (path, "/safety") == 0 || g_strcmp0 (path, "/safety/") == 0)
    return ROUTE_SAFETY;
  if (g_strcmp0 (path, "/safety/signin") == 0)
    return ROUTE_SAFETY_SIGNIN;
  if (g_strcmp0 (path, "/safety/signout") == 0)
    return ROUTE_SAFETY_SIGNOUT;
  if (g_strcmp0 (path, "/safety/answer") == 0)
    return ROUTE_SAFETY_ANSWER;
  return ROUTE_OTHER;
}

SdSafetyRoute
sd_safety_service_route (const char *path)
{
  switch (route_of (path))
    {
    case ROUTE_SAFETY:
      return SD_SAFETY_ROUTE_PAGE;
    case ROUTE_SAFETY_SIGNIN:
    case ROUTE_SAFETY_SIGNOUT:
    case ROUTE_SAFETY_ANSWER:
      return SD_SAFETY_ROUTE_POST;
    case ROUTE_OTHER:
    default:
      return SD_SAFETY_ROUTE_NONE;
    }
}

static void
session_free (Session *session)
{
  g_free (session->staff_no);
  g_free (session->csrf);
  g_free (session);
}

static char *
random_token (gsize bytes)
{
  guint8 random[32];
  char *hex = g_malloc (2 * sizeof random + 1);

  g_assert (bytes <= sizeof random);
  randombytes_buf (random, bytes);
  return sodium_bin2hex (hex, 2 * sizeof random + 1, random, bytes);
}

/* The value of cookie NAME in the request, or NULL. */
static char *
cookie_of (SoupServerMessage *msg,
           const char        *name)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg), "Cookie");
  g_auto(GStrv) pairs = NULL;
  gsize name_length = strlen (name);

  if (header == NULL)
    return NULL;
  pairs = g_strsplit (header, ";", 32);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *pair = g_strstrip (pairs[i]);

      if (strncmp (pair, name, name_length) == 0 && pair[name_length] == '=')
        return g_strdup (pair + name_length + 1);
    }
  return NULL;
}

/* The request's session, if it has a live one. */
static Session *
session_of (SdSafetyService   *service,
            SoupServerMessage *msg)
{
  g_autofree char *token = cookie_of (msg, SESSION_COOKIE);
  Session *session = token != NULL ? g_hash_table_lookup (service->sessions, token) : NULL;

  if (session != NULL && session->expires < g_get_monotonic_time ())
    {
      g_hash_table_remove (service->sessions, token);
      return NULL;
    }
  return session;
}

static void
sessions_sweep (SdSafetyService *service)
{
  GHashTableIter iter;
  Session *session;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, service->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session->expires < now)
      g_hash_table_iter_remove (&iter);
}

static void
set_cookie (SdSafetyService   *service,
            SoupServerMessage *msg,
            const char        *name,
            const char        *value,
            gint64             max_age_s)
{
  g_autofree char *cookie = g_strdup_printf ("%s=%s; Path=/safety; Max-Age=%" G_GINT64_FORMAT
                                             "; HttpOnly; SameSite=Strict%s",
                                             name, value, max_age_s, service->secure ? "; Secure" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", cookie);
}

/* HTML (taken) as the answer. */
static void
respond_page (SoupServerMessage *msg,
              guint              status,
              char              *html)
{
  g_autoptr(GBytes) body = g_bytes_new_take (html, strlen (html));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  _sd_sync_respond (msg, status, WEB_PAGE_TYPE, body);
  /* No script, no frame, no form sent anywhere else. */
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
}

static void
redirect_to_form (SoupServerMessage *msg)
{
  _sd_sync_respond (msg, SOUP_STATUS_SEE_OTHER, NULL, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", "/safety");
}

static void
respond_signin (SdSafetyService   *service,
                SoupServerMessage *msg,
                guint              status,
                const char        *lang,
                const char        *staff_no,
                const char        *notice)
{
  respond_page (msg, status, sd_safety_web_signin_page (service->web, lang, staff_no, notice));
}

static void
respond_message (SdSafetyService   *service,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *lang,
                 SdRollcall        *rollcall,
                 const char        *msgid)
{
  respond_page (msg, status,
                sd_safety_web_message_page (service->web, lang, rollcall, sd_safety_web_text (service->web, lang, msgid)));
}

void
sd_safety_service_answer (SdSafetyService   *service,
                          SdSafetyRequest   *job,
                          SoupServerMessage *msg)
{
  const char *lang = job->lang;
  g_autofree char *text = NULL;

  switch (job->kind)
    {
    case KIND_SIGNIN:
    case KIND_SIGNIN_RECORD:
      if (job->staff == NULL)
        {
          gboolean locked = g_error_matches (job->web_error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED);

          g_debug ("Web form: a sign-in refused (%s)", locked ? "locked" : "auth");
          text = sd_safety_web_error_text (service->web, lang, job->web_error, job->wait_s);
          respond_signin (service, msg, locked ? SD_SYNC_STATUS_TOO_MANY_REQUESTS : SOUP_STATUS_UNAUTHORIZED, lang,
                          job->staff_no, text);
        }
      else
        {
          Session *session = g_new0 (Session, 1);
          char *token = random_token (32);

          session->staff_no = g_strdup (sd_staff_get_staff_no (job->staff));
          session->csrf = random_token (16);
          session->expires = g_get_monotonic_time () + SESSION_LIFETIME_US;
          g_hash_table_insert (service->sessions, token, session);
          set_cookie (service, msg, SESSION_COOKIE, token, SESSION_LIFETIME_US / G_USEC_PER_SEC);
          redirect_to_form (msg);
        }
      break;
    case KIND_FORM:
    case KIND_ANSWER:
      if (job->staff == NULL)
        {
          /* Taken off the roster since signing in. */
          respond_signin (service, msg, SOUP_STATUS_UNAUTHORIZED, lang, NULL,
                          sd_safety_web_text (service->web, lang, N_("Sign in again.")));
        }
      else if (job->rollcall == NULL &&
               (job->web_error == NULL || g_error_matches (job->web_error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID)))
        /* None open, or the one answered was closed since with none after it. */
        respond_message (service, msg, job->web_error == NULL ? SOUP_STATUS_OK : SOUP_STATUS_CONFLICT, lang, NULL,
                         N_("No roll-call is open now. When HQ opens one, this form takes your answer."));
      else if (job->kind == KIND_ANSWER && job->web_error == NULL)
        {
          g_debug ("Web form: an answer stored");
          respond_page (msg, SOUP_STATUS_OK, sd_safety_web_done_page (service->web, lang, job->rollcall, job->staff,
                                                                     &job->spec, job->answered_at));
        }
      else if (job->rollcall == NULL)
        respond_message (service, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, lang, NULL,
                         N_("The answer could not be stored. Send it again; if it fails again, phone HQ."));
      else
        {
          guint status = SOUP_STATUS_OK;

          if (job->web_error != NULL)
            {
              text = sd_safety_web_error_text (service->web, lang, job->web_error, 0);
              status = job->web_error->domain == SD_STORE_ERROR && job->web_error->code == SD_STORE_ERROR_INVALID
                         ? SOUP_STATUS_CONFLICT : SOUP_STATUS_INTERNAL_SERVER_ERROR;
              g_debug ("Web form: an answer refused (%s)", status == SOUP_STATUS_CONFLICT ? "closed" : "store");
            }
          else if (job->problem != NULL)
            {
              text = g_strdup (sd_safety_web_text (service->web, lang, job->problem));
              status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
            }
          respond_page (msg, status, sd_safety_web_form_page (service->web, lang, job->rollcall, job->staff, job->csrf,
                                                              job->form, text));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
posted_form (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return soup_form_decode (text);
}

SdSafetyRequest *
sd_safety_service_take (SdSafetyService   *service,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  Route route = route_of (path);
  g_autoptr(GHashTable) form = (route != ROUTE_SAFETY) ? posted_form (msg) : NULL;
  g_autofree char *remembered = cookie_of (msg, "sd_lang");
  const char *asked = query != NULL ? g_hash_table_lookup (query, "lang") : NULL;
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Language");
  const char *lang;
  Session *session = session_of (service, msg);
  SdSafetyRequest *job;

  if (asked == NULL && form != NULL)
    asked = g_hash_table_lookup (form, "lang");
  lang = sd_safety_web_language (asked != NULL ? asked : remembered, accept);
  if (asked != NULL && g_strcmp0 (asked, lang) == 0)
    set_cookie (service, msg, "sd_lang", lang, 365 * 24 * 3600);

  if (route == ROUTE_SAFETY_SIGNIN)
    {
      const char *staff_no = g_hash_table_lookup (form, "staff_no");
      const char *pin = g_hash_table_lookup (form, "pin");

      if (staff_no == NULL || *staff_no == '\0' || pin == NULL || *pin == '\0' ||
          !g_utf8_validate (staff_no, -1, NULL) || strlen (staff_no) > 32)
        {
          respond_signin (service, msg, SOUP_STATUS_BAD_REQUEST, lang, NULL,
                          sd_safety_web_text (service->web, lang, N_("Write your staff number and your PIN.")));
          return NULL;
        }
      sessions_sweep (service);
      if (g_hash_table_size (service->sessions) >= MAX_SESSIONS)
        {
          respond_message (service, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, lang, NULL,
                           N_("Many people are answering at once. Wait a moment, then send again."));
          return NULL;
        }
      job = g_new0 (SdSafetyRequest, 1);
      job->kind = KIND_SIGNIN;
      job->lang = g_strdup (lang);
      job->staff_no = g_strdup (g_strstrip ((char *) staff_no));
      job->pin = g_strdup (pin);
      sodium_memzero ((char *) pin, strlen (pin));
      return job;
    }
  if (session == NULL)
    {
      respond_signin (service, msg, route == ROUTE_SAFETY ? SOUP_STATUS_OK : SOUP_STATUS_UNAUTHORIZED, lang, NULL,
                      route == ROUTE_SAFETY ? NULL
                                            : sd_safety_web_text (service->web, lang,
                                                                  N_("Your sign-in has ended. Sign in again, "
                                                                     "then send your answer.")));
      return NULL;
    }
  if (route != ROUTE_SAFETY && g_strcmp0 (g_hash_table_lookup (form, "csrf"), session->csrf) != 0)
    {
      respond_message (service, msg, SOUP_STATUS_FORBIDDEN, lang, NULL,
                       N_("The form came back changed. Open the form again and send it from there."));
      return NULL;
    }
  if (route == ROUTE_SAFETY_SIGNOUT)
    {
      g_autofree char *token = cookie_of (msg, SESSION_COOKIE);

      g_hash_table_remove (service->sessions, token);
      set_cookie (service, msg, SESSION_COOKIE, "", 0);
      redirect_to_form (msg);
      return NULL;
    }

  job = g_new0 (SdSafetyRequest, 1);
  job->kind = KIND_FORM;
  job->lang = g_strdup (lang);
  job->staff_no = g_strdup (session->staff_no);
  job->csrf = g_strdup (session->csrf);
  if (route == ROUTE_SAFETY_ANSWER)
    {
      job->form = g_steal_pointer (&form);
      if (sd_safety_web_read_answer (job->form, &job->spec, &job->problem))
        job->kind = KIND_ANSWER;
    }
  return job;
}

/* ---- on the store's thread ---- */

static gboolean
run_signin (SdSafetyRequest *job,
            SdStore         *store)
{
  job->sign_in = _sd_sign_in_prepare (store, job->staff_no, job->pin, &job->web_error);
  sodium_memzero (job->pin, strlen (job->pin));
  if (job->sign_in == NULL)
    {
      if (g_error_matches (job->web_error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED))
        job->wait_s = sd_store_get_signin_wait (store, job->staff_no);
      return FALSE;
    }
  /* The slow part, off the store's thread; it comes back as SIGNIN_RECORD. */
  return TRUE;
}

void
sd_safety_request_verify (SdSafetyRequest *job)
{
  _sd_sign_in_verify (job->sign_in);
  job->kind = KIND_SIGNIN_RECORD;
}

static void
run_signin_record (SdSafetyRequest *job,
                   SdStore         *store)
{
  job->staff = _sd_sign_in_record (store, job->sign_in, &job->web_error);
  if (g_error_matches (job->web_error, SD_AUTH_ERROR, SD_AUTH_ERROR_LOCKED))
    job->wait_s = sd_store_get_signin_wait (store, job->staff_no);
}

static void
run_form (SdSafetyRequest *job,
          SdStore         *store)
{
  job->staff = sd_store_find_staff (store, job->staff_no, &job->web_error);
  if (job->staff != NULL)
    job->rollcall = sd_store_current_rollcall (store, &job->web_error);
}

static void
run_answer (SdSafetyRequest *job,
            SdStore         *store)
{
  const char *posted = g_hash_table_lookup (job->form, "rollcall");
  g_autofree char *id = NULL;

  run_form (job, store);
  if (job->web_error != NULL || job->staff == NULL)
    return;
  if (job->rollcall == NULL || g_strcmp0 (posted, sd_rollcall_get_id (job->rollcall)) != 0)
    {
      /* Closed since the form was opened (or a roll-call id that was never
       * on a form): refused, with the current one's form to answer. */
      g_set_error_literal (&job->web_error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, "closed");
      return;
    }
  job->spec.staff_no = job->staff_no;
  id = sd_store_record_safety_answer (store, sd_rollcall_get_id (job->rollcall), &job->spec, &job->web_error);
  job->answered_at = sd_store_now_ms (store);
}

gboolean
sd_safety_request_run (SdSafetyRequest *job,
                       SdStore         *store)
{
  switch (job->kind)
    {
    case KIND_SIGNIN:
      return run_signin (job, store);
    case KIND_SIGNIN_RECORD:
      run_signin_record (job, store);
      break;
    case KIND_FORM:
      run_form (job, store);
      break;
    case KIND_ANSWER:
      run_answer (job, store);
      break;
    }
  return FALSE;
}

/* ---- the object ---- */

void
sd_safety_service_busy (SdSafetyService   *service,
                        SdSafetyRequest   *job,
                        SoupServerMessage *msg)
{
  respond_message (service, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, job->lang, NULL,
                   N_("Many people are answering at once. Wait a moment, then send again."));
}

void
sd_safety_request_free (SdSafetyRequest *job)
{
  if (job == NULL)
    return;
  g_free (job->lang);
  g_free (job->staff_no);
  if (job->pin != NULL)
    {
      sodium_memzero (job->pin, strlen (job->pin));
      g_free (job->pin);
    }
  _sd_sign_in_free (job->sign_in);
  g_clear_pointer (&job->form, g_hash_table_unref);
  g_free (job->csrf);
  g_clear_object (&job->staff);
  g_clear_object (&job->rollcall);
  g_clear_error (&job->web_error);
  g_free (job);
}

SdSafetyService *
sd_safety_service_new (void)
{
  SdSafetyService *service = g_new0 (SdSafetyService, 1);

  service->web = sd_safety_web_new ();
  service->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_free);
  return service;
}

void
sd_safety_service_free (SdSafetyService *service)
{
  if (service == NULL)
    return;
  g_hash_table_unref (service->sessions);
  sd_safety_web_free (service->web);
  g_free (service);
}

void
sd_safety_service_clear (SdSafetyService *service)
{
  g_hash_table_remove_all (service->sessions);
}

void
sd_safety_service_set_secure (SdSafetyService *service,
                              gboolean         secure)
{
  service->secure = secure;
}
