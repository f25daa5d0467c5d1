/* sd-sync-pusher.c: keeps a kiosk sending: its changes go to HQ whenever HQ can be reached.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small state machine over SdSyncClient (see sd-sync-pusher.h):
 *
 *   IDLE ──something waits──▶ SENDING ──worked──▶ IDLE (or SENDING again
 *                                │                 if more came meanwhile)
 *                                ├─no answer───▶ RETRYING ─timer/network─▶ SENDING
 *                                └─refused─────▶ REFUSED ──max-delay/network─▶ SENDING
 *
 * The exchange's first request is the probe of the receiver (hello):
 * nothing is exported while HQ does not answer, so a kiosk without
 * network makes no batch at all.  GNetworkMonitor only says when to try
 * again at once; it does not stop an attempt, because a shelter's own
 * network may have no route to the internet and still reach HQ.
 */
#include "sd-sync-pusher.h"

#include "sd-sync.h"


#define DEFAULT_MIN_DELAY_S       2
#define DEFAULT_MAX_DELAY_S       300
#define DEFAULT_CHECK_INTERVAL_S  30
#define DEFAULT_PULL_INTERVAL_S   300
/* Writes come in bursts (a household is several): one look after them. */
#define DEBOUNCE_MS               1000
#define AGAIN_MS                  1000

G_DEFINE_ENUM_TYPE (SdSyncPusherState, sd_sync_pusher_state,
  G_DEFINE_ENUM_VALUE (SD_SYNC_PUSHER_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (SD_SYNC_PUSHER_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (SD_SYNC_PUSHER_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (SD_SYNC_PUSHER_RETRYING, "retrying"),
  G_DEFINE_ENUM_VALUE (SD_SYNC_PUSHER_REFUSED, "refused"))

struct _SdSyncPusher
{
  GObject            parent_instance;

  /* Owned References */
  SdStore           *store;
  SdSyncClient      *client;
  GNetworkMonitor   *monitor;
  GCancellable      *cancellable;     /* the exchange under way */
  GSource           *attempt_source;
  GSource           *check_source;
  GSource           *debounce_source;
  gulong             changed_id;
  gulong             network_id;

  /* State */
  SdSyncPusherState  state;
  guint64            waiting;
  gint64             last_contact;    /* ms, wall clock */
  gint64             next_attempt;    /* ms, wall clock */
  char              *last_error;
  guint              failures;        /* in a row */
  gboolean           pull_only;       /* the exchange under way sends nothing */
  gint64             last_pull;       /* µs, monotonic */

  /* Settings */
  guint              min_delay;
  guint              max_delay;
  guint              check_interval;
  guint              pull_interval;
};

G_DEFINE_FINAL_TYPE (SdSyncPusher, sd_sync_pusher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_WAITING,
  PROP_LAST_CONTACT,
  PROP_NEXT_ATTEMPT,
  PROP_LAST_ERROR,
  PROP_MIN_DELAY,
  PROP_MAX_DELAY,
  PROP_CHECK_INTERVAL,
  PROP_PULL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EXCHANGED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void attempt (SdSyncPusher *self);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
add_timeout (guint        ms,
             GSourceFunc  func,
             gpointer     data,
             const char  *name)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
set_state (SdSyncPusher      *self,
           SdSyncPusherState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_waiting (SdSyncPusher *self,
             guint64       waiting)
{
  if (self->waiting == waiting)
    return;
  self->waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

static void
set_last_error (SdSyncPusher *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static gboolean
attempt_cb (gpointer data)
{
  SdSyncPusher *self = data;

  g_clear_pointer (&self->attempt_source, g_source_unref);
  attempt (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_attempt (SdSyncPusher *self,
                  guint         ms)
{
  clear_source (&self->attempt_source);
  self->attempt_source = add_timeout (ms, attempt_cb, self, "[shelterdesk] sync attempt");
  self->next_attempt = g_get_real_time () / 1000 + ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT]);
}

/* The next delay after FAILURES failures in a row, with its jitter. */
static guint
backoff_ms (SdSyncPusher *self)
{
  guint64 seconds = self->min_delay;

  for (guint i = 1; i < self->failures && seconds < self->max_delay; i++)
    seconds *= 2;
  seconds = MIN (seconds, self->max_delay);
  return (guint) (seconds * 1000 * g_random_double_range (0.5, 1.0));
}

static gboolean
count_waiting (SdSyncPusher *self)
{
  g_autoptr(GError) error = NULL;
  SdSyncStatus status;

  if (!sd_sync_get_status (self->store, &status, &error))
    {
      set_last_error (self, error->message);
      return FALSE;
    }
  set_waiting (self, status.waiting);
  return TRUE;
}

static gboolean
pull_due (SdSyncPusher *self)
{
  return self->pull_interval > 0 &&
         (self->last_pull == 0 ||
          g_get_monotonic_time () - self->last_pull >= (gint64) self->pull_interval * G_USEC_PER_SEC);
}

static void
exchanged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(SdSyncPusher) self = data;
  g_autoptr(GError) error = NULL;
  g_auto(SdSyncClientResult) outcome = { 0 };
  gboolean ok = sd_sync_client_sync_finish (SD_SYNC_CLIENT (source), result, &outcome, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->state == SD_SYNC_PUSHER_STOPPED)
    return;
  g_clear_object (&self->cancellable);
  self->next_attempt = 0;

  if (ok)
    {
      self->failures = 0;
      self->last_pull = g_get_monotonic_time ();
      self->last_contact = g_get_real_time () / 1000;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CONTACT]);
      set_last_error (self, NULL);
      set_waiting (self, outcome.waiting);
      g_signal_emit (self, signals[EXCHANGED], 0, &outcome);
      if (outcome.waiting > 0)
        {
          /* More was written while this went: send that too. */
          set_state (self, SD_SYNC_PUSHER_IDLE);
          schedule_attempt (self, AGAIN_MS);
        }
      else
        set_state (self, SD_SYNC_PUSHER_IDLE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT]);
      return;
    }

  set_last_error (self, error->message);
  if (self->pull_only)
    {
      /* Nothing waits to be sent: no hurry, HQ's news comes at the next
       * pull, or with the next push. */
      self->last_pull = g_get_monotonic_time ();
      set_state (self, SD_SYNC_PUSHER_IDLE);
    }
  else if (sd_sync_client_error_is_temporary (error))
    {
      self->failures++;
      set_state (self, SD_SYNC_PUSHER_RETRYING);
      schedule_attempt (self, backoff_ms (self));
    }
  else
    {
      set_state (self, SD_SYNC_PUSHER_REFUSED);
      schedule_attempt (self, self->max_delay * 1000);
    }
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
attempt (SdSyncPusher *self)
{
  SdSyncClientFlags flags = SD_SYNC_CLIENT_PUSH | SD_SYNC_CLIENT_PULL;

  if (self->state == SD_SYNC_PUSHER_STOPPED || self->state == SD_SYNC_PUSHER_SENDING)
    return;
  clear_source (&self->attempt_source);
  if (!count_waiting (self))
    return;
  if (self->waiting == 0 && !pull_due (self))
    {
      self->failures = 0;
      set_state (self, SD_SYNC_PUSHER_IDLE);
      return;
    }
  self->pull_only = self->waiting == 0;
  if (self->pull_only)
    flags = SD_SYNC_CLIENT_PULL;
  set_state (self, SD_SYNC_PUSHER_SENDING);
  self->cancellable = g_cancellable_new ();
  sd_sync_client_sync_async (self->client, self->store, flags, self->cancellable, exchanged_cb,
                             g_object_ref (self));
}

/* A look at what waits: an attempt unless one is planned or under way. */
static void
check (SdSyncPusher *self)
{
  if (self->state == SD_SYNC_PUSHER_IDLE)
    attempt (self);
  else if (self->state != SD_SYNC_PUSHER_STOPPED)
    count_waiting (self);
}

static gboolean
debounce_cb (gpointer data)
{
  SdSyncPusher *self = data;

  g_clear_pointer (&self->debounce_source, g_source_unref);
  check (self);
  return G_SOURCE_REMOVE;
}

static gboolean
check_cb (gpointer data)
{
  check (data);
  return G_SOURCE_CONTINUE;
}

static void
store_changed_cb (SdStore    *store,
                  const char *table,
                  gpointer    data)
{
  SdSyncPusher *self = data;

  if (self->debounce_source == NULL)
    self->debounce_source = add_timeout (DEBOUNCE_MS, debounce_cb, self, "[shelterdesk] sync debounce");
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         data)
{
  SdSyncPusher *self = data;

  /* The network came back, or changed: what waited for HQ goes now. */
  if (!available)
    return;
  if (self->state == SD_SYNC_PUSHER_RETRYING)
    self->failures = 0;
  if (self->state == SD_SYNC_PUSHER_RETRYING || self->state == SD_SYNC_PUSHER_REFUSED)
    schedule_attempt (self, AGAIN_MS);
}

void
sd_sync_pusher_start (SdSyncPusher *self)
{
  g_return_if_fail (SD_IS_SYNC_PUSHER (self));

  if (self->state != SD_SYNC_PUSHER_STOPPED)
    return;
  set_state (self, SD_SYNC_PUSHER_IDLE);
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_id = g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
  if (self->check_interval > 0)
    self->check_source = add_timeout (self->check_interval * 1000, check_cb, self, "[shelterdesk] sync check");
  schedule_attempt (self, 0);
}

void
sd_sync_pusher_stop (SdSyncPusher *self)
{
  g_return_if_fail (SD_IS_SYNC_PUSHER (self));

  if (self->state == SD_SYNC_PUSHER_STOPPED)
    return;
  set_state (self, SD_SYNC_PUSHER_STOPPED);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_source (&self->attempt_source);
  clear_source (&self->check_source);
  clear_source (&self->debounce_source);
  g_clear_signal_handler (&self->changed_id, self->store);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_id, self->monitor);
  g_clear_object (&self->monitor);
  self->next_attempt = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT]);
}

void
sd_sync_pusher_push_now (SdSyncPusher *self)
{
  g_return_if_fail (SD_IS_SYNC_PUSHER (self));

  if (self->state == SD_SYNC_PUSHER_STOPPED || self->state == SD_SYNC_PUSHER_SENDING)
    return;
  self->failures = 0;
  set_state (self, SD_SYNC_PUSHER_IDLE);
  schedule_attempt (self, 0);
}

SdSyncPusher *
sd_sync_pusher_new (SdStore      *store,
                    SdSyncClient *client)
{
  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (SD_IS_SYNC_CLIENT (client), NULL);

  return g_object_new (SD_TYPE_SYNC_PUSHER, "store", store, "client", client, NULL);
}

SdSyncPusherState
sd_sync_pusher_get_state (SdSyncPusher *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PUSHER (self), SD_SYNC_PUSHER_STOPPED);

  return self->state;
}

guint64
sd_sync_pusher_get_waiting (SdSyncPusher *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PUSHER (self), 0);

  return self->waiting;
}

gint64
sd_sync_pusher_get_last_contact (SdSyncPusher *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PUSHER (self), 0);

  return self->last_contact;
}

gint64
sd_sync_pusher_get_next_attempt (SdSyncPusher *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PUSHER (self), 0);

  return self->attempt_source != NULL ? self->next_attempt : 0;
}

const char *
sd_sync_pusher_get_last_error (SdSyncPusher *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PUSHER (self), NULL);

  return self->last_error;
}

static void
sd_sync_pusher_dispose (GObject *object)
{
  SdSyncPusher *self = SD_SYNC_PUSHER (object);

  sd_sync_pusher_stop (self);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_sync_pusher_parent_class)->dispose (object);
}

static void
sd_sync_pusher_finalize (GObject *object)
{
  SdSyncPusher *self = SD_SYNC_PUSHER (object);

  g_free (self->last_error);

  G_OBJECT_CLASS (sd_sync_pusher_parent_class)->finalize (object);
}

static void
sd_sync_pusher_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdSyncPusher *self = SD_SYNC_PUSHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_WAITING:
      g_value_set_uint64 (value, self->waiting);
      break;
    case PROP_LAST_CONTACT:
      g_value_set_int64 (value, self->last_contact);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_int64 (value, sd_sync_pusher_get_next_attempt (self));
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_MIN_DELAY:
      g_value_set_uint (value, self->min_delay);
      break;
    case PROP_MAX_DELAY:
      g_value_set_uint (value, self->max_delay);
      break;
    case PROP_CHECK_INTERVAL:
      g_value_set_uint (value, self->check_interval);
      break;
    case PROP_PULL_INTERVAL:
      g_value_set_uint (value, self->pull_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_pusher_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SdSyncPusher *self = SD_SYNC_PUSHER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_MIN_DELAY:
      self->min_delay = g_value_get_uint (value);
      break;
    case PROP_MAX_DELAY:
      self->max_delay = g_value_get_uint (value);
      break;
    case PROP_CHECK_INTERVAL:
      self->check_interval = g_value_get_uint (value);
      break;
    case PROP_PULL_INTERVAL:
      self->pull_interval = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_pusher_class_init (SdSyncPusherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sd_sync_pusher_dispose;
  object_class->finalize = sd_sync_pusher_finalize;
  object_class->get_property = sd_sync_pusher_get_property;
  object_class->set_property = sd_sync_pusher_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, SD_TYPE_STORE,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, SD_TYPE_SYNC_CLIENT,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SD_TYPE_SYNC_PUSHER_STATE,
                                              SD_SYNC_PUSHER_STOPPED, ro);
  properties[PROP_WAITING] = g_param_spec_uint64 ("waiting", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LAST_CONTACT] = g_param_spec_int64 ("last-contact", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NEXT_ATTEMPT] = g_param_spec_int64 ("next-attempt", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_MIN_DELAY] = g_param_spec_uint ("min-delay", NULL, NULL, 1, 3600, DEFAULT_MIN_DELAY_S, rw);
  properties[PROP_MAX_DELAY] = g_param_spec_uint ("max-delay", NULL, NULL, 1, 86400, DEFAULT_MAX_DELAY_S, rw);
  properties[PROP_CHECK_INTERVAL] = g_param_spec_uint ("check-interval", NULL, NULL, 0, 86400,
                                                       DEFAULT_CHECK_INTERVAL_S, rw);
  properties[PROP_PULL_INTERVAL] = g_param_spec_uint ("pull-interval", NULL, NULL, 0, 86400,
                                                      DEFAULT_PULL_INTERVAL_S, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdSyncPusher::exchanged:
   * @result: (type gpointer): the SdSyncClientResult of the exchange
   */
  signals[EXCHANGED] = g_signal_new ("exchanged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * SdSyncPusher::failed:
   * @error: why, for a person (also SdSyncPusher:last-error)
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sd_sync_pusher_init (SdSyncPusher *self)
{
  self->state = SD_SYNC_PUSHER_STOPPED;
}
