/* sd-serial-scanner.c: a barcode or QR code scanner on a serial (USB-CDC) port.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The port (platform/sd-serial-port.h: a terminal, or a Windows COM port)
 * is watched by its source on the context that was thread-default when
 * sd_serial_scanner_start() ran; each wake-up hands over what arrived,
 * which is split into lines here, so a
 * line that arrives in pieces is joined and one that stops half-way can
 * be dropped by its own timer.  Everything (watch, timers, port) is torn
 * down synchronously by sd_serial_scanner_stop() and dispose.
 *
 * Privacy: a code can carry a person's details, so its text is never
 * logged, only its length.
 *
 * Reentrancy: a handler of ::scanned may stop, restart or drop the
 * scanner.  self->serial changes whenever the port is closed or opened,
 * and the reading loop stops as soon as it sees that.
 */
#include "sd-serial-scanner.h"
#include "sd-serial-port.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Longest code kept; a QR code holds at most 7089 characters. */
#define MAX_LINE_BYTES     8192
/* A line with no byte for this long is a scan that broke off. */
#define PARTIAL_TIMEOUT_MS 300
#define RETRY_INTERVAL_MS  1000

struct _SdSerialScanner
{
  GObject       parent_instance;

  char         *device_path;
  GMainContext *context;         /* thread-default at start(); NULL when stopped */
  gboolean      started;
  gboolean      connected;
  guint         serial;          /* changes at each open and close */

  SdSerialPort *port;            /* NULL when closed */
  GSource      *port_source;
  GSource      *partial_source;  /* drops the partial line when it fires */
  GSource      *retry_source;    /* tries to open the port again */

  GByteArray   *line;            /* bytes of the line so far, no terminator */
  gsize         dropping;        /* > 0: bytes of a too-long line dropped so far */
};

G_DEFINE_FINAL_TYPE (SdSerialScanner, sd_serial_scanner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE_PATH,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCANNED,
  PARTIAL,
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void stop_internal (SdSerialScanner *self,
                           gboolean         emit);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
set_connected (SdSerialScanner *self,
               gboolean         connected,
               gboolean         announce)
{
  if (self->connected == connected)
    return;

  self->connected = connected;
  if (announce && connected)
    g_message (_("The barcode scanner on %s is connected."), self->device_path);
  else if (announce)
    g_message (_("The barcode scanner on %s was disconnected; it will be used again when it is plugged back in."),
               self->device_path);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
}

/* Forgets the partial line, returning how many bytes it had. */
static guint
take_partial (SdSerialScanner *self)
{
  gsize n = self->dropping > 0 ? self->dropping : self->line->len;

  self->dropping = 0;
  g_byte_array_set_size (self->line, 0);
  clear_source (&self->partial_source);

  return (guint) MIN (n, G_MAXUINT);
}

static gboolean
partial_timeout_cb (gpointer user_data)
{
  SdSerialScanner *self = user_data;
  guint n = take_partial (self);  /* also destroys this source */

  g_debug ("Dropped %u bytes of a scan that broke off on %s", n, self->device_path);
  if (n > 0)
    g_signal_emit (self, signals[PARTIAL], 0, n);

  return G_SOURCE_REMOVE;
}

static void
restart_partial_timer (SdSerialScanner *self)
{
  clear_source (&self->partial_source);
  if (self->line->len == 0 && self->dropping == 0)
    return;

  self->partial_source = g_timeout_source_new (PARTIAL_TIMEOUT_MS);
  g_source_set_static_name (self->partial_source, "[shelterdesk] scanner partial line");
  g_source_set_callback (self->partial_source, partial_timeout_cb, self, NULL);
  g_source_attach (self->partial_source, self->context);
}

/* A terminator arrived: emit what came before it, if anything. */
static void
finish_line (SdSerialScanner *self)
{
  g_autofree char *text = NULL;

  if (self->dropping > 0)
    {
      guint n = take_partial (self);

      g_debug ("Dropped a line of %u bytes on %s: longer than %d bytes",
               n, self->device_path, MAX_LINE_BYTES);
      g_signal_emit (self, signals[PARTIAL], 0, n);
      return;
    }

  if (self->line->len == 0)
    return;

  text = g_utf8_make_valid ((const char *) self->line->data, self->line->len);
  g_byte_array_set_size (self->line, 0);
  g_strstrip (text);
  if (*text == '\0')
    return;

  g_debug ("Scanned a code of %" G_GSIZE_FORMAT " bytes on %s", strlen (text), self->device_path);
  g_signal_emit (self, signals[SCANNED], 0, text);
}

static void
process_bytes (SdSerialScanner *self,
               const guint8    *data,
               gsize            len)
{
  guint serial = self->serial;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (c == '\r' || c == '\n')
        {
          /* CRLF ends a line and then an empty one, which is ignored. */
          finish_line (self);
          if (self->serial != serial)
            return;  /* a handler stopped or restarted the scanner */
        }
      else if (self->dropping > 0)
        {
          self->dropping++;
        }
      else if (self->line->len >= MAX_LINE_BYTES)
        {
          self->dropping = self->line->len + 1;
          g_byte_array_set_size (self->line, 0);
        }
      else
        {
          g_byte_array_append (self->line, &c, 1);
        }
    }

  restart_partial_timer (self);
}

static void
close_device (SdSerialScanner *self)
{
  self->serial++;
  clear_source (&self->port_source);
  g_clear_pointer (&self->port, sd_serial_port_close);
}

static gboolean retry_cb (gpointer user_data);

static void
schedule_retry (SdSerialScanner *self)
{
  if (self->retry_source != NULL || !self->started)
    return;

  self->retry_source = g_timeout_source_new (RETRY_INTERVAL_MS);
  g_source_set_static_name (self->retry_source, "[shelterdesk] scanner retry");
  g_source_set_callback (self->retry_source, retry_cb, self, NULL);
  g_source_attach (self->retry_source, self->context);
}

/* The port went away (read error or end of file): unplugged. */
static void
lose_device (SdSerialScanner *self,
             const char      *why)
{
  guint serial;
  guint n;

  g_debug ("Lost the barcode scanner on %s: %s", self->device_path, why);

  close_device (self);
  serial = self->serial;
  n = take_partial (self);
  schedule_retry (self);

  if (n > 0)
    {
      g_signal_emit (self, signals[PARTIAL], 0, n);
      if (self->serial != serial)
        return;
    }
  set_connected (self, FALSE, TRUE);
}

static gboolean
bytes_cb (const guint8 *bytes,
          gsize         n,
          const char   *lost,
          gpointer      user_data)
{
  SdSerialScanner *self = user_data;
  G_GNUC_UNUSED g_autoptr(SdSerialScanner) hold = g_object_ref (self);  /* handlers may drop theirs */

  if (n > 0)
    {
      process_bytes (self, bytes, n);
      return G_SOURCE_CONTINUE;
    }
  lose_device (self, lost);
  return G_SOURCE_REMOVE;
}

static gboolean
try_open (SdSerialScanner *self)
{
  SdSerialPort *port = sd_serial_port_open (self->device_path);

  if (port == NULL)
    return FALSE;

  close_device (self);
  take_partial (self);
  self->port = port;
  self->port_source = sd_serial_port_create_source (port, bytes_cb, self);
  g_source_attach (self->port_source, self->context);

  g_debug ("Opened the barcode scanner on %s", self->device_path);
  set_connected (self, TRUE, TRUE);

  return TRUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  SdSerialScanner *self = user_data;
  G_GNUC_UNUSED g_autoptr(SdSerialScanner) hold = g_object_ref (self);  /* handlers may drop theirs */

  if (!try_open (self))
    return G_SOURCE_CONTINUE;

  clear_source (&self->retry_source);
  return G_SOURCE_REMOVE;
}

static void
stop_internal (SdSerialScanner *self,
               gboolean         emit)
{
  self->started = FALSE;
  self->serial++;
  clear_source (&self->retry_source);
  clear_source (&self->partial_source);
  close_device (self);
  if (self->line != NULL)
    take_partial (self);
  g_clear_pointer (&self->context, g_main_context_unref);

  if (emit)
    set_connected (self, FALSE, FALSE);
  else
    self->connected = FALSE;
}

static void
sd_serial_scanner_dispose (GObject *object)
{
  SdSerialScanner *self = SD_SERIAL_SCANNER (object);

  stop_internal (self, FALSE);

  G_OBJECT_CLASS (sd_serial_scanner_parent_class)->dispose (object);
}

static void
sd_serial_scanner_finalize (GObject *object)
{
  SdSerialScanner *self = SD_SERIAL_SCANNER (object);

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->device_path, g_free);

  G_OBJECT_CLASS (sd_serial_scanner_parent_class)->finalize (object);
}

static void
sd_serial_scanner_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SdSerialScanner *self = SD_SERIAL_SCANNER (object);

  switch (prop_id)
    {
    case PROP_DEVICE_PATH: g_value_set_string (value, self->device_path); break;
    case PROP_CONNECTED: g_value_set_boolean (value, self->connected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_serial_scanner_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SdSerialScanner *self = SD_SERIAL_SCANNER (object);

  switch (prop_id)
    {
    case PROP_DEVICE_PATH: self->device_path = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_serial_scanner_class_init (SdSerialScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_serial_scanner_dispose;
  object_class->finalize = sd_serial_scanner_finalize;
  object_class->get_property = sd_serial_scanner_get_property;
  object_class->set_property = sd_serial_scanner_set_property;

  properties[PROP_DEVICE_PATH] =
    g_param_spec_string ("device-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SdSerialScanner:connected:
   *
   * Whether the port is open and being read.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdSerialScanner::scanned:
   * @code: the code, valid UTF-8, neither empty nor with white space around it
   *
   * Emitted once for each complete line the scanner sent.
   */
  signals[SCANNED] = g_signal_new ("scanned",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SdSerialScanner::partial:
   * @n_bytes: how many bytes were dropped
   *
   * Emitted when a line was dropped: it broke off (no byte for 300 ms, or
   * the scanner was unplugged) or was longer than 8192 bytes.  The person
   * should scan again.
   */
  signals[PARTIAL] = g_signal_new ("partial",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * SdSerialScanner::state-changed:
   *
   * Emitted when SdSerialScanner:connected changed.
   */
  signals[STATE_CHANGED] = g_signal_new ("state-changed",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
sd_serial_scanner_init (SdSerialScanner *self)
{
  self->line = g_byte_array_sized_new (256);
}

SdSerialScanner *
sd_serial_scanner_new (const char *device_path)
{
  g_return_val_if_fail (device_path != NULL, NULL);

  return g_object_new (SD_TYPE_SERIAL_SCANNER, "device-path", device_path, NULL);
}

const char *
sd_serial_scanner_get_device_path (SdSerialScanner *self)
{
  g_return_val_if_fail (SD_IS_SERIAL_SCANNER (self), NULL);

  return self->device_path;
}

gboolean
sd_serial_scanner_get_connected (SdSerialScanner *self)
{
  g_return_val_if_fail (SD_IS_SERIAL_SCANNER (self), FALSE);

  return self->connected;
}

void
sd_serial_scanner_start (SdSerialScanner *self)
{
  g_return_if_fail (SD_IS_SERIAL_SCANNER (self));
  g_return_if_fail (self->device_path != NULL);

  if (self->started)
    return;

  self->started = TRUE;
  self->context = g_main_context_ref_thread_default ();

  if (!try_open (self))
    schedule_retry (self);
}

void
sd_serial_scanner_stop (SdSerialScanner *self)
{
  g_return_if_fail (SD_IS_SERIAL_SCANNER (self));

  stop_internal (self, TRUE);
}
