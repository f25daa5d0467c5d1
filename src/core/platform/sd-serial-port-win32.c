/* sd-serial-port-win32.c: sd-serial-port.h on Windows COM ports.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A COM port cannot be polled like a terminal, so a thread of the port's
 * own waits in an overlapped ReadFile() of one byte, with no timeout, then
 * reads at once whatever else has arrived (ClearCommError's count), and
 * appends it to a buffer under a lock.  Asking for one byte with no
 * timeout, rather than a buffer's worth with the "return what is there"
 * timeouts, behaves the same on every implementation: Wine, for one, waits
 * for a whole buffer under those timeouts, and loses bytes that arrive as
 * a read times out.  The source it wakes with
 * g_source_set_ready_time() hands the bytes to the callback on the main
 * context.  Closing sets the stop event, which ends the wait, cancels the
 * read and joins the thread before the handle is closed.
 */
#include "sd-serial-port.h"

#include <windows.h>

#define READ_BYTES      4096

struct _SdSerialPort
{
  HANDLE      handle;
  HANDLE      stop;      /* set by close() */
  GThread    *thread;    /* NULL until there is a source */
  GMutex      lock;
  GByteArray *pending;   /* read, not yet handed over; under lock */
  char       *lost;      /* why the device went away; under lock */
  GSource    *source;    /* a reference, so the thread may wake it */
};

typedef struct {
  GSource          parent;
  SdSerialPort    *port;
} PortSource;

/* "COM3" → "\\.\COM3" (needed past COM9, harmless before); a path that
 * already names a device is used as it is. */
static char *
device_name (const char *path)
{
  if (g_str_has_prefix (path, "\\\\"))
    return g_strdup (path);
  return g_strconcat ("\\\\.\\", path, NULL);
}

SdSerialPort *
sd_serial_port_open (const char *path)
{
  g_autofree char *name = device_name (path);
  g_autofree gunichar2 *wname = g_utf8_to_utf16 (name, -1, NULL, NULL, NULL);
  COMMTIMEOUTS timeouts = { 0 };
  SdSerialPort *port;
  DCB dcb = { 0 };
  HANDLE handle;

  handle = wname == NULL ? INVALID_HANDLE_VALUE
                         : CreateFileW (wname, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
  if (handle == INVALID_HANDLE_VALUE)
    {
      g_autofree char *why = g_win32_error_message (GetLastError ());

      g_debug ("Could not open the barcode scanner on %s: %s", path, why);
      return NULL;
    }
  if (GetFileType (handle) != FILE_TYPE_CHAR)
    {
      /* A regular file would be read again at each retry. */
      g_debug ("Not using %s as a barcode scanner: it is not a device", path);
      CloseHandle (handle);
      return NULL;
    }

  /* 9600 8N1, no flow control.  The speed means nothing to a USB-CDC
   * device but must be valid. */
  dcb.DCBlength = sizeof dcb;
  if (GetCommState (handle, &dcb))
    {
      dcb.BaudRate = CBR_9600;
      dcb.ByteSize = 8;
      dcb.Parity = NOPARITY;
      dcb.StopBits = ONESTOPBIT;
      dcb.fBinary = TRUE;
      dcb.fParity = FALSE;
      dcb.fOutxCtsFlow = FALSE;
      dcb.fOutxDsrFlow = FALSE;
      dcb.fDtrControl = DTR_CONTROL_ENABLE;
      dcb.fRtsControl = RTS_CONTROL_ENABLE;
      dcb.fOutX = FALSE;
      dcb.fInX = FALSE;
      if (!SetCommState (handle, &dcb))
        g_debug ("Could not set 9600 8N1 on %s", path);
    }
  /* No timeouts: a read of one byte returns when it is there (a stop
   * cancels it). */
  SetCommTimeouts (handle, &timeouts);
  PurgeComm (handle, PURGE_RXABORT | PURGE_RXCLEAR);

  port = g_new0 (SdSerialPort, 1);
  port->handle = handle;
  port->stop = CreateEventW (NULL, TRUE, FALSE, NULL);
  port->pending = g_byte_array_new ();
  g_mutex_init (&port->lock);
  return port;
}

/* Hands BYTES (or, with LOST, the device's loss) to the main context. */
static void
post (SdSerialPort *port,
      const guint8 *bytes,
      DWORD         n,
      const char   *lost)
{
  g_mutex_lock (&port->lock);
  if (n > 0)
    g_byte_array_append (port->pending, bytes, n);
  if (lost != NULL && port->lost == NULL)
    port->lost = g_strdup (lost);
  g_mutex_unlock (&port->lock);
  g_source_set_ready_time (port->source, 0);
}

/* After the first byte in BUFFER[0], reads what else is waiting in the
 * port (no wait: it is there), adding to *GOT.  FALSE when the port went
 * away meanwhile (posted). */
static gboolean
read_waiting (SdSerialPort *port,
              OVERLAPPED   *overlapped,
              guint8       *buffer,
              DWORD        *got)
{
  COMSTAT status = { 0 };
  DWORD errors = 0;
  DWORD more = 0;
  DWORD want;

  if (!ClearCommError (port->handle, &errors, &status) || status.cbInQue == 0)
    return TRUE;
  want = MIN (status.cbInQue, READ_BYTES - *got);
  ResetEvent (overlapped->hEvent);
  if ((!ReadFile (port->handle, buffer + *got, want, NULL, overlapped) && GetLastError () != ERROR_IO_PENDING) ||
      !GetOverlappedResult (port->handle, overlapped, &more, TRUE))
    {
      g_autofree char *why = g_win32_error_message (GetLastError ());

      post (port, buffer, *got, why);
      *got = 0;
      return FALSE;
    }
  *got += more;
  return TRUE;
}

static gpointer
read_thread (gpointer data)
{
  SdSerialPort *port = data;
  OVERLAPPED overlapped = { 0 };
  guint8 buffer[READ_BYTES];

  overlapped.hEvent = CreateEventW (NULL, TRUE, FALSE, NULL);
  for (;;)
    {
      HANDLE waits[2] = { overlapped.hEvent, port->stop };
      DWORD got = 0;

      ResetEvent (overlapped.hEvent);
      if (!ReadFile (port->handle, buffer, 1, NULL, &overlapped) &&
          GetLastError () != ERROR_IO_PENDING)
        {
          g_autofree char *why = g_win32_error_message (GetLastError ());

          post (port, NULL, 0, why);
          break;
        }
      if (WaitForMultipleObjects (2, waits, FALSE, INFINITE) != WAIT_OBJECT_0)
        {
          /* Stopping: the read is cancelled and waited for, so that
           * nothing writes into BUFFER once this thread is gone. */
          CancelIoEx (port->handle, &overlapped);
          GetOverlappedResult (port->handle, &overlapped, &got, TRUE);
          break;
        }
      if (!GetOverlappedResult (port->handle, &overlapped, &got, FALSE))
        {
          /* ERROR_ACCESS_DENIED, ERROR_BAD_COMMAND, ERROR_OPERATION_ABORTED:
           * the USB device went away. */
          g_autofree char *why = g_win32_error_message (GetLastError ());

          post (port, NULL, 0, why);
          break;
        }
      if (got > 0 && !read_waiting (port, &overlapped, buffer, &got))
        break;
      if (got > 0)
        post (port, buffer, got, NULL);
      /* 0 bytes (a driver that times out all the same): read again. */
    }
  CloseHandle (overlapped.hEvent);
  return NULL;
}

static gboolean
port_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  SdSerialPort *port = ((PortSource *) source)->port;
  SdSerialPortFunc func = (SdSerialPortFunc) (void (*) (void)) callback;
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *lost = NULL;
  gboolean keep = G_SOURCE_CONTINUE;

  g_source_set_ready_time (source, -1);
  g_mutex_lock (&port->lock);
  bytes = port->pending;
  port->pending = g_byte_array_new ();
  lost = g_steal_pointer (&port->lost);
  g_mutex_unlock (&port->lock);

  if (func == NULL)
    return G_SOURCE_REMOVE;
  if (bytes->len > 0)
    keep = func (bytes->data, bytes->len, NULL, user_data);
  /* A handler of those bytes may have closed the port. */
  if (g_source_is_destroyed (source))
    return G_SOURCE_REMOVE;
  if (keep == G_SOURCE_CONTINUE && lost != NULL)
    {
      func (NULL, 0, lost, user_data);
      keep = G_SOURCE_REMOVE;
    }
  return keep;
}

static GSourceFuncs port_source_funcs = {
  .dispatch = port_source_dispatch,
};

GSource *
sd_serial_port_create_source (SdSerialPort     *port,
                              SdSerialPortFunc  func,
                              gpointer          user_data)
{
  GSource *source;

  g_return_val_if_fail (port->source == NULL, NULL);

  source = g_source_new (&port_source_funcs, sizeof (PortSource));
  ((PortSource *) source)->port = port;
  g_source_set_static_name (source, "[shelterdesk] scanner port");
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) func, user_data, NULL);
  port->source = g_source_ref (source);
  port->thread = g_thread_new ("sd-serial-port", read_thread, port);
  return source;
}

void
sd_serial_port_close (SdSerialPort *port)
{
  if (port == NULL)
    return;
  SetEvent (port->stop);
  if (port->thread != NULL)
    g_thread_join (port->thread);
  CloseHandle (port->handle);
  CloseHandle (port->stop);
  g_clear_pointer (&port->source, g_source_unref);
  g_byte_array_unref (port->pending);
  g_free (port->lost);
  g_mutex_clear (&port->lock);
  g_free (port);
}
