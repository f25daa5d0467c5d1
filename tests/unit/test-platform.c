/* test-platform.c: sd-platform.h on the platform the tests run on (Linux, or Windows under Wine).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-platform-private.h"
#include "sd-private-file.h"
#include "sd-error.h"

#include <glib/gstdio.h>
#include <string.h>
#ifdef G_OS_WIN32
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#endif

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("sd-platform-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Opens PATH to everyone (the mistake a private file must be checked for):
 * mode 0644, or an ACE that lets Everyone read. */
static gboolean
share_with_everyone (const char *path)
{
#ifdef G_OS_WIN32
  g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  PSECURITY_DESCRIPTOR sd = NULL;
  PACL dacl = NULL, wider = NULL;
  EXPLICIT_ACCESS_W everyone = { 0 };
  gboolean ok;

  if (GetNamedSecurityInfoW (wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &dacl, NULL, &sd) != ERROR_SUCCESS)
    return FALSE;
  everyone.grfAccessPermissions = GENERIC_READ;
  everyone.grfAccessMode = GRANT_ACCESS;
  everyone.Trustee.TrusteeForm = TRUSTEE_IS_NAME;
  everyone.Trustee.ptstrName = (wchar_t *) L"EVERYONE";
  ok = SetEntriesInAclW (1, &everyone, dacl, &wider) == ERROR_SUCCESS &&
       SetNamedSecurityInfoW (wpath, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, wider, NULL) == ERROR_SUCCESS;
  LocalFree (wider);
  LocalFree (sd);
  return ok;
#else
  return g_chmod (path, 0644) == 0;
#endif
}

static void
test_private_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "site.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  gboolean shared = TRUE;

  g_assert_true (sd_private_file_create (path, &error));
  g_assert_no_error (error);
  g_assert_true (sd_platform_is_shared (path, &shared, &error));
  g_assert_no_error (error);
  g_assert_false (shared);
  g_assert_true (sd_private_file_check (path, &error));

  /* A file opened to others is refused, and the message says how to
   * close it again on this platform. */
  if (g_getenv ("SD_UNDER_WINE") != NULL)
    {
      g_test_skip ("Wine keeps no access lists on files (it maps them onto Unix modes), so a shared file "
                   "cannot be made here; /platform/access-lists checks the rule on descriptors.");
      return;
    }
  if (!share_with_everyone (path))
    {
      g_test_skip ("This system does not keep access lists on files (Wine on a file system without "
                   "extended attributes).");
      return;
    }
  g_assert_true (sd_platform_is_shared (path, &shared, &error));
  g_assert_true (shared);
  g_assert_false (sd_private_file_check (path, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PERMISSIONS);
#ifdef G_OS_WIN32
  g_assert_nonnull (strstr (error->message, "icacls"));
#else
  g_assert_nonnull (strstr (error->message, "chmod 600"));
#endif
  g_clear_error (&error);

  /* Making it private again closes it. */
  g_assert_true (sd_platform_make_private (path, &error));
  g_assert_true (sd_private_file_check (path, &error));
  g_assert_no_error (error);
}

static void
test_private_dir (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->dir, "ShelterDesk", NULL);
  g_autofree char *inside = g_build_filename (dir, "site.sqlite-wal", NULL);
  g_autoptr(GError) error = NULL;
  gboolean shared = TRUE;

  g_assert_true (sd_private_dir_create (dir, &error));
  g_assert_no_error (error);
  g_assert_true (sd_platform_is_shared (dir, &shared, &error));
  g_assert_false (shared);
  /* What SQLite makes there by itself (-wal, -shm) is private too: by the
   * folder's inherited entries on Windows, by the database's mode here. */
  g_assert_true (g_file_set_contents (inside, "x", 1, NULL));
#ifdef G_OS_WIN32
  /* (Under Wine this says "not shared" whatever the list: see above.) */
  g_assert_true (sd_platform_is_shared (inside, &shared, &error));
  g_assert_false (shared);
#endif
  g_remove (inside);
  g_rmdir (dir);
}

#ifdef G_OS_WIN32
/* The rule for a file's access list, on descriptors written in SDDL (the
 * form icacls and Windows' own documentation use). */
static void
test_access_lists (void)
{
  static const struct {
    const char *sddl;
    gboolean    shared;
  } cases[] = {
    /* What sd_platform_make_private() writes. */
    { "O:S-1-5-21-1-2-3-1001D:P(A;;FA;;;S-1-5-21-1-2-3-1001)(A;;FA;;;SY)(A;;FA;;;BA)", FALSE },
    /* A file made in the user's own profile: inherited, the same people. */
    { "O:S-1-5-21-1-2-3-1001D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;S-1-5-21-1-2-3-1001)", FALSE },
    /* Made in ProgramData: every user may read. */
    { "O:S-1-5-21-1-2-3-1001D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)", TRUE },
    /* Everyone, or another user. */
    { "O:S-1-5-21-1-2-3-1001D:(A;;FA;;;S-1-5-21-1-2-3-1001)(A;;FR;;;WD)", TRUE },
    { "O:S-1-5-21-1-2-3-1001D:(A;;FA;;;S-1-5-21-1-2-3-1001)(A;;FW;;;S-1-5-21-1-2-3-1002)", TRUE },
    /* No access list at all: everyone may do anything. */
    { "O:S-1-5-21-1-2-3-1001", TRUE },
    /* A deny entry and an entry only for what is made inside do not open it. */
    { "O:S-1-5-21-1-2-3-1001D:(D;;FA;;;WD)(A;;FA;;;S-1-5-21-1-2-3-1001)(A;OIIO;FR;;;BU)", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].sddl);
      g_assert_cmpint (_sd_platform_sddl_is_shared (cases[i].sddl), ==, cases[i].shared);
    }
}
#endif

static void
test_sync_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "batch.part", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "batch", -1, NULL));
  g_assert_true (sd_platform_sync_file (path, &error));
  g_assert_no_error (error);
  g_assert_false (sd_platform_sync_file (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* The message names the file, never the whole path. */
  g_assert_nonnull (strstr (error->message, "missing"));
  g_assert_null (strstr (error->message, f->dir));
  sd_platform_sync_folder (f->dir);
}

/* Whether the folder holds nothing but NAME (the file under test). */
static gboolean
only_file (const char *dir,
           const char *name)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint n = 0;

  while (folder != NULL && (entry = g_dir_read_name (folder)) != NULL)
    if (g_strcmp0 (entry, name) != 0 || ++n > 1)
      return FALSE;
  return TRUE;
}

static void
test_can_write (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "site.sqlite", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "gone", "site.sqlite", NULL);
  gboolean on_medium = TRUE;

  /* A new file in a writable folder, then the file itself; the folder's
   * test (a file made and deleted on Windows) leaves nothing behind. */
  g_assert_true (sd_platform_can_write (path, FALSE, &on_medium));
  g_assert_false (on_medium);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_true (sd_platform_can_write (path, TRUE, &on_medium));
  g_assert_true (only_file (f->dir, "site.sqlite"));

  /* A folder that is not there is not writable, and no medium is blamed. */
  on_medium = TRUE;
  g_assert_false (sd_platform_can_write (nowhere, FALSE, &on_medium));
  g_assert_false (on_medium);
}

static void
test_site_dir (void)
{
  g_autofree char *dir = sd_platform_get_site_dir ("/var");

#ifdef G_OS_WIN32
  g_autofree char *expected = g_build_filename (g_getenv ("PROGRAMDATA"), "ShelterDesk", NULL);

  g_assert_cmpstr (dir, ==, expected);
#else
  g_assert_cmpstr (dir, ==, "/var/lib/shelterdesk");
#endif
}

/* A child that runs until it is killed: the drill's crash of a receiver. */
static void
test_kill_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
#ifdef G_OS_WIN32
  const char *argv[] = { "cmd.exe", "/c", "ping -n 60 127.0.0.1 > NUL", NULL };
#else
  const char *argv[] = { "sleep", "60", NULL };
#endif

  child = sd_platform_spawn_tied (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (child);
  g_assert_cmpint (sd_platform_process_io (child, TRUE), >=, 0);
  sd_platform_kill_process (child);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_false (g_subprocess_get_successful (child));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/platform/private-file", Fixture, NULL, fixture_set_up, test_private_file, fixture_tear_down);
  g_test_add ("/platform/private-dir", Fixture, NULL, fixture_set_up, test_private_dir, fixture_tear_down);
  g_test_add ("/platform/sync-file", Fixture, NULL, fixture_set_up, test_sync_file, fixture_tear_down);
  g_test_add ("/platform/can-write", Fixture, NULL, fixture_set_up, test_can_write, fixture_tear_down);
  g_test_add_func ("/platform/site-dir", test_site_dir);
#ifdef G_OS_WIN32
  g_test_add_func ("/platform/access-lists", test_access_lists);
#endif
  g_test_add_func ("/platform/kill-process", test_kill_process);
  return g_test_run ();
}
