/* sd-card-reader.c: one card reader, whatever carries its APDUs (PC/SC or libnfc).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two steps of a read run as GTasks on a worker thread; a mutex keeps
 * them one at a time, as a card can only answer one APDU at a time.  The
 * PIN is copied into the task and wiped with sodium_memzero() when the
 * task ends, whatever happened.
 */
#include "sd-card-reader-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

typedef struct
{
  char     *spec;
  GMutex    lock;
  gboolean  connected;
  /* What the card last said of its PIN tries, with that PIN file
   * current: the read goes straight to VERIFY.  -1: not known. */
  SdMynumberPinKind known_kind;
  int       known_tries;
} SdCardReaderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SdCardReader, sd_card_reader, G_TYPE_OBJECT)

static void
sd_card_reader_finalize (GObject *object)
{
  SdCardReader *self = SD_CARD_READER (object);
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  g_free (priv->spec);
  g_mutex_clear (&priv->lock);
  G_OBJECT_CLASS (sd_card_reader_parent_class)->finalize (object);
}

static void
sd_card_reader_dispose (GObject *object)
{
  sd_card_reader_disconnect (SD_CARD_READER (object));
  G_OBJECT_CLASS (sd_card_reader_parent_class)->dispose (object);
}

static void
sd_card_reader_class_init (SdCardReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_card_reader_finalize;
  G_OBJECT_CLASS (klass)->dispose = sd_card_reader_dispose;
}

static void
sd_card_reader_init (SdCardReader *self)
{
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  g_mutex_init (&priv->lock);
  priv->known_tries = -1;
}

SdCardReader *
sd_card_reader_new_from_spec (const char  *spec,
                              GError     **error)
{
  SdCardReader *reader = NULL;
  SdCardReaderPrivate *priv;

  if (spec == NULL || *spec == '\0' || g_str_equal (spec, "pcsc"))
    reader = _sd_pcsc_reader_new (NULL);
  else if (g_str_has_prefix (spec, "pcsc:") && spec[5] != '\0')
    reader = _sd_pcsc_reader_new (spec + 5);
  else if (g_str_equal (spec, "nfc"))
    reader = _sd_nfc_reader_new (NULL);
  else if (g_str_has_prefix (spec, "nfc:") && spec[4] != '\0')
    reader = _sd_nfc_reader_new (spec + 4);

  if (reader == NULL)
    {
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER,
                   _("“%s” is not a card reader setting. Use “pcsc”, “pcsc:NAME”, “nfc” or “nfc:DEVICE”."),
                   spec);
      return NULL;
    }
  priv = sd_card_reader_get_instance_private (reader);
  priv->spec = g_strdup (spec && *spec ? spec : "pcsc");
  return reader;
}

const char *
sd_card_reader_get_spec (SdCardReader *self)
{
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  return priv->spec;
}

GPtrArray *
sd_card_reader_list (GError **error)
{
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) pcsc_error = NULL;

  /* No PC/SC service is not a failure when libnfc has a device. */
  _sd_pcsc_list (specs, &pcsc_error);
  _sd_nfc_list (specs);
  if (specs->len == 0 && pcsc_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&pcsc_error));
      return NULL;
    }
  return g_steal_pointer (&specs);
}

gboolean
sd_card_reader_connect (SdCardReader  *self,
                        guint          timeout_ms,
                        GCancellable  *cancellable,
                        GError       **error)
{
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  sd_card_reader_disconnect (self);
  priv->connected = SD_CARD_READER_GET_CLASS (self)->connect (self, timeout_ms, cancellable, error);
  return priv->connected;
}

void
sd_card_reader_disconnect (SdCardReader *self)
{
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  if (priv->connected)
    SD_CARD_READER_GET_CLASS (self)->disconnect (self);
  priv->connected = FALSE;
  priv->known_tries = -1;
}

gboolean
sd_card_reader_is_connected (SdCardReader *self)
{
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);

  return priv->connected;
}

static gboolean
channel_transmit (gpointer      user_data,
                  const guint8 *apdu,
                  gsize         len,
                  GByteArray   *response,
                  GError      **error)
{
  SdCardReader *self = user_data;

  return SD_CARD_READER_GET_CLASS (self)->transmit (self, apdu, len, response, error);
}

void
sd_card_reader_channel (SdCardReader  *self,
                        SdApduChannel *channel)
{
  memset (channel, 0, sizeof *channel);
  channel->transmit = channel_transmit;
  channel->user_data = self;
}

void
sd_card_facts_free (SdCardFacts *facts)
{
  if (facts == NULL)
    return;
  sd_card_facts_clear (facts);
  g_free (facts);
}

/* The work of one task. */
typedef struct
{
  SdMynumberPinKind kind;
  guint             timeout_ms;
  char             *pin;          /* wiped in free */
  int               tries_left;
  gboolean          verify_sent;
  SdCardTimings     timings;
} Job;

static void
job_free (Job *job)
{
  if (job->pin != NULL)
    {
      sodium_memzero (job->pin, strlen (job->pin));
      g_free (job->pin);
    }
  g_free (job);
}

static void
record (Job           *job,
        SdApduChannel *channel,
        gint64         start)
{
  job->timings.n_apdus = channel->n_apdus;
  job->timings.apdu_usec = channel->apdu_usec;
  job->timings.total_usec = g_get_monotonic_time () - start;
  job->verify_sent = channel->verify_sent;
}

/* Waits for a card and opens the application: the start of both steps. */
static gboolean
connect_and_select (SdCardReader  *self,
                    Job           *job,
                    SdApduChannel *channel,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 start = g_get_monotonic_time ();

  if (!sd_card_reader_connect (self, job->timeout_ms, cancellable, error))
    return FALSE;
  job->timings.connect_usec = g_get_monotonic_time () - start;
  sd_card_reader_channel (self, channel);
  return sd_mynumber_select_application (channel, error);
}

static void
probe_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SdCardReader *self = source;
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);
  Job *job = task_data;
  SdApduChannel channel = { 0 };
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  int tries = -1;

  g_mutex_lock (&priv->lock);
  if (connect_and_select (self, job, &channel, cancellable, &error))
    tries = sd_mynumber_get_tries (&channel, job->kind, &error);
  record (job, &channel, start);
  if (tries < 0)
    sd_card_reader_disconnect (self);
  priv->known_kind = job->kind;
  priv->known_tries = tries;
  g_mutex_unlock (&priv->lock);

  if (tries < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, tries);
}

void
sd_card_reader_probe_async (SdCardReader        *self,
                            SdMynumberPinKind    kind,
                            guint                timeout_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->timeout_ms = timeout_ms;
  job->tries_left = -1;
  g_task_set_source_tag (task, sd_card_reader_probe_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, probe_thread);
}

int
sd_card_reader_probe_finish (SdCardReader  *self,
                             GAsyncResult  *result,
                             SdCardTimings *timings,
                             GError       **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  if (timings != NULL)
    *timings = job->timings;
  return g_task_propagate_int (G_TASK (result), error);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SdCardReader *self = source;
  SdCardReaderPrivate *priv = sd_card_reader_get_instance_private (self);
  Job *job = task_data;
  SdApduChannel channel = { 0 };
  g_autoptr(SdCardFacts) facts = g_new0 (SdCardFacts, 1);
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_mutex_lock (&priv->lock);
  /* Still connected after the probe: straight on.  The card was put down
   * again since: find it and open the application again first. */
  if (priv->connected && SD_CARD_READER_GET_CLASS (self)->is_present != NULL &&
      !SD_CARD_READER_GET_CLASS (self)->is_present (self))
    sd_card_reader_disconnect (self);  /* lifted while the PIN was typed */
  if (priv->connected)
    {
      sd_card_reader_channel (self, &channel);
      ok = TRUE;
    }
  else
    ok = connect_and_select (self, job, &channel, cancellable, &error);
  ok = ok &&
       sd_mynumber_verify_selected (&channel, job->kind, job->pin,
                                    priv->known_kind == job->kind ? priv->known_tries : -1,
                                    &job->tries_left, &error) &&
       sd_mynumber_read_facts (&channel, facts, &error);
  priv->known_tries = -1;
  if (g_error_matches (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN) && job->tries_left > 0)
    priv->known_tries = job->tries_left;  /* the PIN file is still current */
  record (job, &channel, start);
  /* A wrong PIN keeps the card open for the next try; anything else ends
   * this read. */
  if (ok || !g_error_matches (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN))
    sd_card_reader_disconnect (self);
  g_mutex_unlock (&priv->lock);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&facts), (GDestroyNotify) sd_card_facts_free);
}

void
sd_card_reader_read_async (SdCardReader        *self,
                           SdMynumberPinKind    kind,
                           const char          *pin,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->pin = g_strdup (pin ? pin : "");
  job->timeout_ms = 10000;
  job->tries_left = -1;
  g_task_set_source_tag (task, sd_card_reader_read_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, read_thread);
}

SdCardFacts *
sd_card_reader_read_finish (SdCardReader  *self,
                            GAsyncResult  *result,
                            int           *tries_left,
                            gboolean      *verify_sent,
                            SdCardTimings *timings,
                            GError       **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (tries_left != NULL)
    *tries_left = job->tries_left;
  if (verify_sent != NULL)
    *verify_sent = job->verify_sent;
  if (timings != NULL)
    *timings = job->timings;
  return g_task_propagate_pointer (G_TASK (result), error);
}
