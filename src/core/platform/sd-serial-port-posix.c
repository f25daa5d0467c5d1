/* sd-serial-port-posix.c: sd-serial-port.h on POSIX terminals.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* cfmakeraw, O_CLOEXEC */
#include "sd-serial-port.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

struct _SdSerialPort
{
  int fd;
};

typedef struct {
  SdSerialPortFunc func;
  gpointer         user_data;
} Watch;

SdSerialPort *
sd_serial_port_open (const char *path)
{
  SdSerialPort *port;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int errsv = errno;

      g_debug ("Could not open the barcode scanner on %s: %s", path, g_strerror (errsv));
      return NULL;
    }

  if (isatty (fd))
    {
      struct termios tio;

      if (tcgetattr (fd, &tio) == 0)
        {
          /* 8N1, no echo, no CR/LF translation, bytes as they come.  The
           * speed means nothing to a USB-CDC device but must be valid. */
          cfmakeraw (&tio);
          tio.c_cflag |= CLOCAL | CREAD;
          tio.c_cc[VMIN] = 1;
          tio.c_cc[VTIME] = 0;
          cfsetispeed (&tio, B9600);
          cfsetospeed (&tio, B9600);
          if (tcsetattr (fd, TCSANOW, &tio) != 0)
            {
              int errsv = errno;

              g_debug ("Could not set raw mode on %s: %s", path, g_strerror (errsv));
            }
        }
      tcflush (fd, TCIFLUSH);
    }
  else if (fstat (fd, &st) != 0 || !(S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
    {
      /* A regular file would be read again at each retry. */
      g_debug ("Not using %s as a barcode scanner: it is not a device", path);
      g_close (fd, NULL);
      return NULL;
    }

  port = g_new0 (SdSerialPort, 1);
  port->fd = fd;
  return port;
}

static gboolean
fd_ready_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Watch *watch = user_data;
  guint8 buffer[4096];
  gssize n;
  int errsv;

  n = read (fd, buffer, sizeof buffer);
  errsv = errno;

  if (n > 0)
    return watch->func (buffer, (gsize) n, NULL, watch->user_data);
  if (n < 0 && errsv == EINTR)
    return G_SOURCE_CONTINUE;
  if (n < 0 && (errsv == EAGAIN || errsv == EWOULDBLOCK) && (condition & (G_IO_HUP | G_IO_ERR)) == 0)
    return G_SOURCE_CONTINUE;

  /* 0 (end of file), EIO (a pty whose other side closed, a USB device
   * that went away) or a hang-up. */
  watch->func (NULL, 0, n < 0 ? g_strerror (errsv) : "end of file", watch->user_data);
  return G_SOURCE_REMOVE;
}

GSource *
sd_serial_port_create_source (SdSerialPort     *port,
                              SdSerialPortFunc  func,
                              gpointer          user_data)
{
  GSource *source = g_unix_fd_source_new (port->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  Watch *watch = g_new0 (Watch, 1);

  watch->func = func;
  watch->user_data = user_data;
  g_source_set_static_name (source, "[shelterdesk] scanner port");
  g_source_set_callback (source, G_SOURCE_FUNC (fd_ready_cb), watch, g_free);
  return source;
}

void
sd_serial_port_close (SdSerialPort *port)
{
  if (port == NULL)
    return;
  g_close (port->fd, NULL);
  g_free (port);
}
