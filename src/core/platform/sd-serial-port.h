/* sd-serial-port.h: a serial port read byte by byte, as a barcode scanner's (USB-CDC) port.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIO has no serial API; this is the little SdSerialScanner needs, with
 * one implementation for POSIX terminals (sd-serial-port-posix.c: a
 * non-blocking fd in raw mode, watched by a GUnixFDSource) and one for
 * Windows COM ports (sd-serial-port-win32.c: overlapped reads in a thread
 * of the port's own, handed to the main context by a GSource).
 *
 * Privacy: the bytes can be a person's details; nothing here logs them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdSerialPort SdSerialPort;

/* N > 0: BYTES arrived.  N == 0: the device went away (unplugged, or the
 * other side of a terminal closed); LOST says why, for a debug line, and
 * the source is removed after this call whatever it returns.  Return
 * G_SOURCE_REMOVE to stop reading. */
typedef gboolean (*SdSerialPortFunc) (const guint8 *bytes,
                                      gsize         n,
                                      const char   *lost,
                                      gpointer      user_data);

/* Opens the port PATH (/dev/ttyACM0; COM3) raw, 9600 8N1, and drops what
 * it held while nobody read it (a code scanned then was meant for another
 * screen).  NULL, after a debug line, when it cannot be opened or is not a
 * device. */
SdSerialPort *sd_serial_port_open          (const char       *path);

/* A source that calls FUNC on the thread-default context it is attached
 * to, each time bytes arrive.  One per port. */
GSource      *sd_serial_port_create_source (SdSerialPort     *port,
                                            SdSerialPortFunc  func,
                                            gpointer          user_data);

/* Stops reading and closes the port; destroy its source first. */
void          sd_serial_port_close         (SdSerialPort     *port);

G_END_DECLS
