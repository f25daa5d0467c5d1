/* sd-bench-cold.c: a database file dropped from the page cache, for the figures of a cold start.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * posix_fadvise(POSIX_FADV_DONTNEED) drops one file's clean pages and
 * touches nothing else on a machine other work shares; dirty pages stay,
 * so each file is synced first.  Whether it worked is not assumed: the
 * pages still resident are counted with mincore() after each eviction
 * (on this project's Debian 12 VMs a 500 MB file read back at 0.47 GB/s
 * after it, against 6 to 8 GB/s before).  Only when that count says the
 * advice was ignored does root fall back to drop_caches, which empties
 * the page cache of the whole machine.  On a VM the host may still hold
 * the disk's blocks in its own cache: "cold" is cold for this system.
 */
#define _GNU_SOURCE  /* mincore, sync, O_CLOEXEC under -std=c17 */
#define G_LOG_DOMAIN "sd-bench"

#include "sd-bench-cold.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static guint  n_fadvise, n_drop_caches;
static double most_left;

double
sd_bench_resident (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  struct stat st;
  void *map;
  gsize page = (gsize) sysconf (_SC_PAGESIZE), n, resident = 0;
  g_autofree unsigned char *vec = NULL;

  if (fd < 0)
    return 0;
  if (fstat (fd, &st) != 0 || st.st_size == 0)
    {
      close (fd);
      return 0;
    }
  n = ((gsize) st.st_size + page - 1) / page;
  map = mmap (NULL, (gsize) st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  g_assert (map != MAP_FAILED);
  vec = g_malloc (n);
  g_assert (mincore (map, (gsize) st.st_size, vec) == 0);
  for (gsize i = 0; i < n; i++)
    resident += vec[i] & 1;
  munmap (map, (gsize) st.st_size);
  return (double) resident / n;
}

static void
advise_dontneed (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fdatasync (fd);
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  close (fd);
}

static gboolean
drop_caches (void)
{
  int fd;
  gboolean ok;

  if (geteuid () != 0)
    return FALSE;
  sync ();
  fd = g_open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  ok = write (fd, "1\n", 2) == 2;
  close (fd);
  return ok;
}

double
sd_bench_evict (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  double left;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      advise_dontneed (p);
    }
  n_fadvise++;
  left = sd_bench_resident (path);
  if (left > 0.05 && drop_caches ())
    {
      n_drop_caches++;
      left = sd_bench_resident (path);
    }
  most_left = MAX (most_left, left);
  return left;
}

char *
sd_bench_evict_describe (void)
{
  GString *text = g_string_new (NULL);

  if (n_fadvise == 0)
    return g_strdup ("no file was evicted");
  g_string_printf (text, "evicted %u times with posix_fadvise(DONTNEED)", n_fadvise);
  if (n_drop_caches > 0)
    g_string_append_printf (text, ", %u of them also with sync + drop_caches (the advice left too much)",
                            n_drop_caches);
  g_string_append_printf (text, "; at most %.1f %% of the file was still in memory after (mincore)",
                          100 * most_left);
  return g_string_free (text, FALSE);
}
