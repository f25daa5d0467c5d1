/* sd-serial-scanner.h: a barcode or QR code scanner on a serial (USB-CDC) port.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-held scanners set to "USB COM port" (CDC-ACM) mode send each code
 * as one line, ended by CR, LF or CRLF.  An SdSerialScanner reads such a
 * port on the thread-default main context of the thread that started it
 * and emits SdSerialScanner::scanned once per complete code, without the
 * terminator and surrounding white space, always as valid UTF-8 (bytes
 * that are not become U+FFFD, so the caller can refuse the code).
 *
 * A line that stops half-way (no byte for 300 ms) or runs past 8192 bytes
 * is dropped, never glued to the next scan, and reported through
 * SdSerialScanner::partial.  When the port cannot be opened, or goes away
 * (the scanner was unplugged), SdSerialScanner:connected turns FALSE and
 * the port is tried again every second until it is back or
 * sd_serial_scanner_stop() is called.
 *
 * DEVICE_PATH is a terminal device on Unix, a COM port ("COM3") on
 * Windows (platform/sd-serial-port.h).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_TYPE_SERIAL_SCANNER (sd_serial_scanner_get_type ())
G_DECLARE_FINAL_TYPE (SdSerialScanner, sd_serial_scanner, SD, SERIAL_SCANNER, GObject)

/* DEVICE_PATH: e.g. "/dev/ttyACM0", a udev link in /dev/serial/by-id/, or "COM3" */
SdSerialScanner *sd_serial_scanner_new             (const char      *device_path);
const char      *sd_serial_scanner_get_device_path (SdSerialScanner *self);

/* Opens the port and reads it on the thread-default main context; when it
 * cannot be opened, retries every second.  Does nothing when started. */
void             sd_serial_scanner_start           (SdSerialScanner *self);
/* Closes the port and cancels the retries; a partial line is forgotten
 * without a signal.  Nothing is emitted after it returns but
 * SdSerialScanner::state-changed (and notify::connected) once. */
void             sd_serial_scanner_stop            (SdSerialScanner *self);
gboolean         sd_serial_scanner_get_connected   (SdSerialScanner *self);

G_END_DECLS
