/* sd-store.c: one site's database: opening, migrations, identity, clock, transactions.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Durability: WAL with synchronous=FULL, so a write is on disk when its
 * COMMIT returns and "acknowledged" means it survives power loss.  Every
 * write is BEGIN IMMEDIATE so it takes the write lock up front and cannot
 * fail half-way through with SQLITE_BUSY.
 *
 * The clock: self->hlc is the newest HLC this site has handed out or
 * seen.  It is seeded on open from the newest op-log entry, which is
 * written in the same transaction as the data, so it survives restarts
 * without a separate write; sd_hlc() in the capture triggers advances it.
 *
 * Threads: an SdStore belongs to the thread that opened it.  Work that
 * must not block the main loop opens its own SdStore on the same file in
 * a worker thread (SQLite's WAL lets readers and one writer share it).
 *
 * Damage.  A file that SQLite finds damaged (at open's check, at any
 * SQLITE_CORRUPT later, or in sd_store_check()) is never written again:
 * writing into a damaged b-tree spreads the damage to pages that were
 * fine.  The store marks it with a file beside it, NAME-damaged, so the
 * next program to open it refuses it too, until a full check passes
 * (sd_store_check) or the data is rescued into a new file (sd-rescue.c).
 * The check at open reads the whole file when it is small (a shelter's
 * kiosk: up to SD_OPEN_FULL_CHECK_BYTES), and otherwise the small tables
 * every sign-in and setting reads; the desk then checks the whole file
 * in a worker thread (sd_store_verify_async), and the big tables are
 * checked page by page as SQLite reads them (cell_size_check).
 *
 * Read-only media.  A file on a write-protected stick or in a folder this
 * account cannot write is opened immutable: SQLite then takes no locks
 * and makes no -wal or -shm file, so inspecting a copy leaves nothing
 * behind.
 */
#include "sd-oplog.h"
#include "sd-platform.h"
#include "sd-private-file.h"
#include "sd-replay.h"
#include "sd-store-private.h"
#include "sd-uuid.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

static void reload_site (SdStore *self);
static void mark_damaged (SdStore *self);

/* The open-time check reads all of a file up to this size.  quick_check
 * reads some 0.65 GB a second on a 2-core kiosk (1.5 s for the 949 MB
 * city of tests/bench/bench-intake.c), so 32 MiB, a shelter of about
 * 3 500 people, costs about 50 ms, inside the 100 ms an open may take. */
#define SD_OPEN_FULL_CHECK_BYTES (32 * 1024 * 1024)
static gint64 full_check_bytes = SD_OPEN_FULL_CHECK_BYTES;

struct _SdTxn
{
  SdStore *store;
  guint    depth;  /* 1 for the outermost transaction, then savepoints */
};

struct _SdStore
{
  GObject      parent_instance;

  sqlite3     *db;
  char        *path;
  char        *site_id;
  char        *site_name;
  gboolean     is_demo;
  gboolean     is_exercise;

  /* Ids from a seeded stream instead of the random source (an exercise's
   * engine): _sd_store_set_id_seed (). */
  gboolean     id_seeded;
  guint8       id_seed[32];
  guint64      id_count;
  gint64       id_last_ms;
  guint        id_seq;
  gboolean     read_only;
  gboolean     immutable;  /* on read-only media: no locks, no -wal or -shm */
  char        *new_site_id;  /* the id a new database takes (rescue), or NULL for a new one */
  char        *open_uri;   /* the immutable URI it was opened by, or NULL */
  gboolean     damaged;
  int          schema_version;

  GHashTable  *statements;  /* SQL text address → sqlite3_stmt* */
  guint        txn_depth;
  GHashTable  *touched;     /* tables changed in the open transaction (interned) */

  SdHlc        hlc;
  gint64       site_n;      /* this site's number in oplog_sites, or 0 until looked up */
  gint64       txn_id;      /* the open transaction's id in the op-log, or 0 */
  guint        checkpoint_delay;   /* seconds after the last commit, or 0 for none */
  GSource     *checkpoint_source;
  gboolean     capture;
  SdClockFunc  clock;
  gpointer     clock_data;
};

G_DEFINE_FINAL_TYPE (SdStore, sd_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sd_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  SdStore *self = SD_STORE (object);

  switch (prop_id)
    {
    case PROP_DAMAGED:
      g_value_set_boolean (value, self->damaged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_store_finalize (GObject *object)
{
  SdStore *self = SD_STORE (object);

  if (self->checkpoint_source != NULL)
    g_source_destroy (self->checkpoint_source);
  g_clear_pointer (&self->checkpoint_source, g_source_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->open_uri, g_free);
  g_clear_pointer (&self->new_site_id, g_free);
  g_clear_pointer (&self->site_id, g_free);
  g_clear_pointer (&self->site_name, g_free);

  G_OBJECT_CLASS (sd_store_parent_class)->finalize (object);
}

static void
sd_store_class_init (SdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_store_finalize;
  object_class->get_property = sd_store_get_property;

  /**
   * SdStore:damaged:
   *
   * Whether SQLite found the file damaged: nothing is written to it from
   * then on, and the desk says so.
   */
  properties[PROP_DAMAGED] =
    g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdStore::changed:
   * @table: the table that changed
   *
   * Emitted after a write that changed @table has been committed; the
   * signal's detail is the table name too ("changed::persons").
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
sd_store_init (SdStore *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->touched = g_hash_table_new (NULL, NULL);
  self->capture = TRUE;
}

static gint64
wall_clock_ms (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

/* ---- SQL functions the capture triggers call (see sd-migrations.c) ---- */

/* The first number a query on the store's own connection gives, or 0. */
static gint64
query_first (SdStore    *self,
             const char *sql,
             gint64      param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (param >= 0)
        sqlite3_bind_int64 (stmt, 1, param);
      else
        sqlite3_bind_text (stmt, 1, self->site_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

/* sd_site (): this site's number in the file's op-log (oplog_sites). */
static gint64
site_number (SdStore *self)
{
  if (self->site_n == 0 && self->site_id != NULL)
    self->site_n = query_first (self, "SELECT n FROM oplog_sites WHERE site_id = ?1", -1);
  return self->site_n;
}

static void
sql_site_cb (sqlite3_context *ctx,
             int              argc,
             sqlite3_value  **argv)
{
  SdStore *self = sqlite3_user_data (ctx);
  gint64 n = site_number (self);

  if (n == 0)
    sqlite3_result_error (ctx, "site identity not set up", -1);
  else
    sqlite3_result_int64 (ctx, n);
}

/* sd_txn (): the open transaction's id, the sequence number of its first
 * change, so that all the changes of one action share it.  Forgotten when
 * the transaction ends (the commit and rollback hooks below). */
static void
sql_txn_cb (sqlite3_context *ctx,
            int              argc,
            sqlite3_value  **argv)
{
  SdStore *self = sqlite3_user_data (ctx);

  if (self->txn_id == 0)
    self->txn_id = query_first (self, "SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site = ?1",
                                site_number (self));
  sqlite3_result_int64 (ctx, self->txn_id);
}

static int
commit_hook_cb (void *user_data)
{
  SdStore *self = user_data;

  self->txn_id = 0;
  return 0;
}

static void
rollback_hook_cb (void *user_data)
{
  SdStore *self = user_data;

  self->txn_id = 0;
}

static void
sql_hlc_cb (sqlite3_context *ctx,
            int              argc,
            sqlite3_value  **argv)
{
  SdStore *self = sqlite3_user_data (ctx);

  self->hlc = sd_hlc_tick (self->hlc, sd_store_now_ms (self));
  sqlite3_result_int64 (ctx, self->hlc);
}

static void
sql_capture_cb (sqlite3_context *ctx,
                int              argc,
                sqlite3_value  **argv)
{
  SdStore *self = sqlite3_user_data (ctx);

  sqlite3_result_int (ctx, self->capture);
}

static void
sql_search_keys_cb (sqlite3_context *ctx,
                    int              argc,
                    sqlite3_value  **argv)
{
  g_autofree char *keys = _sd_person_search_keys ((const char *) sqlite3_value_text (argv[0]),
                                                  (const char *) sqlite3_value_text (argv[1]),
                                                  (const char *) sqlite3_value_text (argv[2]),
                                                  (const char *) sqlite3_value_text (argv[3]));

  sqlite3_result_text (ctx, keys, -1, SQLITE_TRANSIENT);
}

static void
update_hook_cb (void          *user_data,
                int            op,
                const char    *db_name,
                const char    *table,
                sqlite3_int64  rowid)
{
  SdStore *self = user_data;

  g_hash_table_add (self->touched, (gpointer) g_intern_string (table));
}

/* ---- errors ---- */

void
_sd_store_set_error (SdStore     *self,
                     int          rc,
                     const char  *what,
                     GError     **error)
{
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_READONLY:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                   _("Could not %s: the database cannot be written. Check that the disk is not "
                     "write-protected or full."), what);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_BUSY,
                   _("Could not %s: another program is using the database. Close it and try again."),
                   what);
      break;
    case SQLITE_CORRUPT:
      if (self != NULL)
        mark_damaged (self);
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT,
                   _("Could not %s: the database file is damaged. ShelterDesk will not write to it "
                     "again. Rescue what it holds into a new file with “shelterdesk-cli --db FILE "
                     "rescue --out NEW.sqlite” and use the new file."), what);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE,
                   _("Could not %s: the file is not a ShelterDesk database."), what);
      break;
    case SQLITE_FULL:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not %s: the disk is full. Free some space and try again."), what);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("Could not %s: a value is not acceptable (%s)."), what, detail);
      break;
    default:
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not %s: %s"), what, detail);
      break;
    }
}

/* ---- statements ---- */

sqlite3 *
_sd_store_get_db (SdStore *self)
{
  return self->db;
}

sqlite3_stmt *
_sd_store_prepare (SdStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      /* A statement that does not prepare is a bug in ShelterDesk, not bad input. */
      g_critical ("Preparing a statement failed: %s", sqlite3_errmsg (self->db));
      _sd_store_set_error (self, rc, _("read the database"), error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

int
_sd_store_step (SdStore      *self,
                sqlite3_stmt *stmt,
                const char   *what,
                GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _sd_store_set_error (self, rc, what, error);
      sqlite3_reset (stmt);
    }
  return rc;
}

gboolean
_sd_store_exec (SdStore      *self,
                sqlite3_stmt *stmt,
                const char   *what,
                GError      **error)
{
  int rc = _sd_store_step (self, stmt, what, error);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

void
_sd_bind_text (sqlite3_stmt *stmt,
               int           index,
               const char   *text)
{
  if (text == NULL || *text == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
_sd_column_text (sqlite3_stmt *stmt,
                 int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

/* ---- transactions ---- */

static gboolean
exec_simple (SdStore     *self,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _sd_store_set_error (self, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

SdTxn *
_sd_store_begin (SdStore  *self,
                 GError  **error)
{
  SdTxn *txn;

  g_return_val_if_fail (SD_IS_STORE (self), NULL);

  if (self->damaged)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT,
                   _("The database file is damaged, so nothing more is saved to it. Rescue what it "
                     "holds into a new file with “shelterdesk-cli --db FILE rescue --out NEW.sqlite” "
                     "and use the new file."));
      return NULL;
    }
  if (self->read_only)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                   _("This database was opened read-only; nothing can be saved."));
      return NULL;
    }

  if (self->txn_depth == 0)
    {
      g_hash_table_remove_all (self->touched);
      if (!exec_simple (self, "BEGIN IMMEDIATE", _("start saving"), error))
        return NULL;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT sd_%u", self->txn_depth);

      if (!exec_simple (self, sql, _("start saving"), error))
        return NULL;
    }

  txn = g_new0 (SdTxn, 1);
  txn->store = g_object_ref (self);
  txn->depth = ++self->txn_depth;
  return txn;
}

static void
emit_changed (SdStore *self)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* Copy first: a handler may write again and refill the set. */
  g_hash_table_iter_init (&iter, self->touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (tables, key);
  g_hash_table_remove_all (self->touched);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_signal_emit (self, signals[CHANGED], g_quark_from_static_string (table), table);
    }
}

static gboolean
checkpoint_cb (gpointer data)
{
  SdStore *self = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->checkpoint_source, g_source_unref);
  if (!sd_store_checkpoint (self, &error))
    g_debug ("No checkpoint while the desk is idle: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* Each commit puts the idle checkpoint off again. */
static void
schedule_checkpoint (SdStore *self)
{
  if (self->checkpoint_delay == 0)
    return;
  if (self->checkpoint_source != NULL)
    {
      g_source_destroy (self->checkpoint_source);
      g_clear_pointer (&self->checkpoint_source, g_source_unref);
    }
  self->checkpoint_source = g_timeout_source_new_seconds (self->checkpoint_delay);
  g_source_set_callback (self->checkpoint_source, checkpoint_cb, self, NULL);
  g_source_set_static_name (self->checkpoint_source, "[shelterdesk] idle checkpoint");
  g_source_attach (self->checkpoint_source, g_main_context_get_thread_default ());
}

/**
 * sd_store_checkpoint:
 *
 * Copies what the write-ahead log holds into the database file
 * (SQLite's PASSIVE checkpoint), so that the next commits do not pay for
 * it.  SQLite would otherwise do it inside whichever commit finds the
 * log over its limit: at 100 000 persons, one Ctrl+S in a few paid 10 to
 * 20 ms more for it (tests/bench/bench-intake.c).
 */
gboolean
sd_store_checkpoint (SdStore  *self,
                     GError  **error)
{
  int rc, log = 0, done = 0;
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (self->damaged || self->read_only || self->txn_depth > 0)
    return TRUE;  /* nothing to copy, or not now */
  rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      _sd_store_set_error (self, rc, _("save the latest changes into the database file"), error);
      return FALSE;
    }
  g_debug ("Checkpoint: %d of %d log pages in %.1f ms", done, log, (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

void
sd_store_set_idle_checkpoint (SdStore *self,
                              guint    seconds)
{
  g_return_if_fail (SD_IS_STORE (self));
  self->checkpoint_delay = seconds;
}

static void
txn_free (SdTxn *txn)
{
  g_object_unref (txn->store);
  g_free (txn);
}

gboolean
_sd_txn_commit (SdTxn   *txn,
                GError **error)
{
  SdStore *self = txn->store;
  gboolean ok;

  g_return_val_if_fail (txn->depth == self->txn_depth, FALSE);

  if (txn->depth == 1)
    {
      ok = exec_simple (self, "COMMIT", _("save"), error);
      if (!ok)
        {
          _sd_txn_rollback (txn);
          return FALSE;
        }
      self->txn_depth = 0;
      schedule_checkpoint (self);
      emit_changed (self);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("RELEASE sd_%u", txn->depth - 1);

      ok = exec_simple (self, sql, _("save"), error);
      if (!ok)
        {
          _sd_txn_rollback (txn);
          return FALSE;
        }
      self->txn_depth--;
    }

  txn_free (txn);
  return TRUE;
}

void
_sd_txn_rollback (SdTxn *txn)
{
  SdStore *self = txn->store;

  g_return_if_fail (txn->depth == self->txn_depth);

  if (txn->depth == 1)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->touched);
      /* A site setting changed inside the rolled-back transaction must
       * not live on in memory. */
      reload_site (self);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO sd_%u; RELEASE sd_%u",
                                              txn->depth - 1, txn->depth - 1);
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }
  self->txn_depth--;
  txn_free (txn);
}

/* The site row as the file has it now, whatever of it can be read (a
 * rolled-back setting, or a damaged file opened to check or rescue).
 * The id is taken only when none is known: a site never changes it. */
static void
reload_site (SdStore *self)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT site_id, site_name, is_demo, is_exercise FROM site WHERE id = 1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (self->site_id == NULL)
        self->site_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_free (self->site_name);
      self->site_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      self->is_demo = sqlite3_column_int (stmt, 2);
      self->is_exercise = sqlite3_column_int (stmt, 3);
    }
  sqlite3_finalize (stmt);
}

/* ---- damage ---- */

static char *
damage_marker_path (const char *path)
{
  return g_strconcat (path, "-damaged", NULL);
}

static void
mark_damaged (SdStore *self)
{
  if (self->damaged)
    return;
  self->damaged = TRUE;
  g_info ("The database file is damaged; nothing more will be written to it");
  /* Not even SQLite's checkpoint when the file is closed: what the -wal
   * holds stays there for the rescue to read. */
  if (self->db != NULL)
    sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  /* Read-only media cannot hold the mark: the check at the next open
   * finds the damage again, or SQLite does when it reads the page. */
  if (!self->immutable)
    {
      g_autofree char *marker = damage_marker_path (self->path);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format_iso8601 (now);
      g_autofree char *text = g_strdup_printf ("ShelterDesk found this database damaged at %s.\n"
                                               "Rescue it: shelterdesk-cli --db FILE rescue --out NEW.sqlite\n",
                                               stamp);

      /* The first finding stays: when, is what a lead needs to know. */
      if (!g_file_test (marker, G_FILE_TEST_EXISTS))
        g_file_set_contents_full (marker, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAMAGED]);
}

static void
set_damaged_error (const char  *name,
                   GError     **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT,
               _("The database “%s” is damaged, so ShelterDesk will not use it. Rescue what it "
                 "holds into a new file with “shelterdesk-cli --db FILE rescue --out NEW.sqlite”, "
                 "then use the new file."), name);
}

/* PRAGMA quick_check over the whole file or over one table: whether it
 * found the file damaged.  Only its own verdict, or SQLite saying
 * "corrupt" or "not a database" while reading, is damage: a check that
 * could not run for another reason (another program holding a lock too
 * long, the machine out of memory) says nothing about the file, and a
 * sound file must never be marked damaged for it. */
static gboolean
quick_check_finds_damage (sqlite3    *db,
                          const char *table)
{
  g_autofree char *sql = table ? g_strdup_printf ("PRAGMA quick_check (%s)", table)
                               : g_strdup ("PRAGMA quick_check");
  sqlite3_stmt *stmt = NULL;
  gboolean damaged = FALSE;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    damaged = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0;
  else
    damaged = (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
  if (rc != SQLITE_ROW && !damaged)
    g_info ("The damage check could not run: %s", sqlite3_errstr (rc));
  sqlite3_finalize (stmt);
  return damaged;
}

/* Whether TABLE is in the schema (sqlite_schema always is): a table an
 * older schema does not have yet is not damage. */
static gboolean
table_exists (sqlite3    *db,
              const char *table)
{
  sqlite3_stmt *stmt = NULL;
  gboolean exists = FALSE;

  if (g_str_equal (table, "sqlite_schema"))
    return TRUE;
  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE name = ?1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return exists;
}

/* The tables every sign-in, setting and shelter list reads: small at any
 * size of city, so they are checked whatever the file's size. */
static const char *const small_tables[] = {
  "sqlite_schema", "site", "shelters", "staff", "signin_state", "card_keys",
};

static gboolean
check_on_open (SdStore *self,
               gint64   file_size)
{
  if (file_size <= full_check_bytes)
    return !quick_check_finds_damage (self->db, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (small_tables); i++)
    {
      if (table_exists (self->db, small_tables[i]) && quick_check_finds_damage (self->db, small_tables[i]))
        return FALSE;
    }
  return TRUE;
}

/* ---- opening ---- */

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *out_value,
           int         *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *out_rc = rc;
  return rc == SQLITE_OK;
}

static gboolean
check_writable (const char  *path,
                gboolean     exists,
                GError     **error)
{
  g_autofree char *name = g_path_get_basename (path);
  gboolean medium;

  /* SQLite would quietly open a read-only file read-only and fail on the
   * first save, after a volunteer has typed a whole household: say it now. */
  if (!sd_platform_can_write (path, exists, &medium))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                   medium ? _("The database “%s” is on a read-only medium (a write-protected stick or "
                              "disc): it can be looked at, not changed. Copy it to a writable folder "
                              "to work on it.")
                          : _("The database “%s” cannot be written (the file or its folder is read-only "
                              "for this account): it can be looked at, not changed. Copy it to a "
                              "writable folder to work on it."),
                   name);
      return FALSE;
    }
  return TRUE;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static gboolean
load_or_create_site (SdStore  *self,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sd_store_prepare (self, "SELECT site_id, site_name, is_demo, is_exercise FROM site WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = _sd_store_step (self, stmt, _("read the site identity"), error);
  if (rc == SQLITE_ROW)
    {
      self->site_id = g_strdup (_sd_column_text (stmt, 0));
      self->site_name = g_strdup (_sd_column_text (stmt, 1));
      self->is_demo = sqlite3_column_int (stmt, 2);
      self->is_exercise = sqlite3_column_int (stmt, 3);
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  if (self->read_only)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT,
                   _("The database has no site identity and is open read-only."));
      return FALSE;
    }

  {
    guint8 raw[16];
    char hex[33];
    g_autoptr(SdTxn) txn = NULL;

    /* 128 random bits: two kiosks set up apart never share an id, and a
     * cloned disk image, which would, is caught when batches are merged. */
    randombytes_buf (raw, sizeof raw);
    sodium_bin2hex (hex, sizeof hex, raw, sizeof raw);
    /* A rescued copy goes on as the same site, and its op-log already
     * holds the operation that named it. */
    if (self->new_site_id != NULL)
      {
        g_strlcpy (hex, self->new_site_id, sizeof hex);
        self->capture = FALSE;
      }

    txn = _sd_store_begin (self, error);
    if (txn == NULL)
      return FALSE;
    stmt = _sd_store_prepare (self,
                              "INSERT INTO site (id, site_id, site_name, is_demo, created_at) "
                              "VALUES (1, ?1, ?2, 0, ?3)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, hex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, g_get_host_name (), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (self));
    if (!_sd_store_exec (self, stmt, _("create the site identity"), error) ||
        !_sd_txn_commit (g_steal_pointer (&txn), error))
      return FALSE;
    self->capture = TRUE;

    self->site_id = g_strdup (hex);
    self->site_name = g_strdup (g_get_host_name ());
  }
  return TRUE;
}

static gboolean
seed_clock (SdStore  *self,
            GError  **error)
{
  /* Each site's clock only moves forward along its sequence, so the
   * newest HLC is one of the sites' last changes: one seek per site.
   * Other sites' changes move it at most SD_HLC_MAX_AHEAD_MS ahead of
   * the wall clock, as when they were received (sync clamps a kiosk
   * whose clock runs ahead; a restart must not undo that). */
  sqlite3_stmt *stmt = _sd_store_prepare (self,
    "SELECT coalesce (max (CASE WHEN s.site_id = ?1 THEN h END), 0), "
    "       coalesce (max (CASE WHEN s.site_id IS NOT ?1 THEN h END), 0) "
    "FROM (SELECT site_id, (SELECT hlc FROM oplog WHERE site = n ORDER BY seq DESC LIMIT 1) AS h FROM oplog_sites) s",
    error);
  SdHlc own, others, limit;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->site_id, -1, SQLITE_STATIC);
  if (_sd_store_step (self, stmt, _("read the clock"), error) != SQLITE_ROW)
    return FALSE;
  own = sqlite3_column_int64 (stmt, 0);
  others = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  limit = sd_hlc_pack (sd_store_now_ms (self) + SD_HLC_MAX_AHEAD_MS, 0);
  self->hlc = MAX (own, MIN (others, limit));
  return TRUE;
}

static gboolean
open_file (SdStore          *self,
           SdStoreOpenFlags  flags,
           GError          **error)
{
  g_autofree char *name = g_path_get_basename (self->path);
  gboolean exists = g_file_test (self->path, G_FILE_TEST_EXISTS);
  gboolean on_medium;
  int sqlite_flags;
  int user_version = 0, app_id = 0, n_tables = 0;
  int rc;
  static gsize configured = 0;

  /* SQLite's count of its own memory takes a global mutex on every
   * allocation; nothing here reads it, and an import is a tenth faster
   * without it.  Only possible before SQLite starts (else refused). */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
  if (!exists && !(flags & SD_STORE_OPEN_CREATE))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   _("There is no database “%s”. Check the path, or create it with "
                     "“shelterdesk-cli --db FILE init”."), name);
      return FALSE;
    }
  if (exists && !g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a file."), name);
      return FALSE;
    }
  if (!self->read_only && !check_writable (self->path, exists, error))
    return FALSE;
  if (!exists && !sd_private_file_create (self->path, error))
    return FALSE;

  /* WAL makes its -wal and -shm files beside the file: a folder this
   * account cannot write needs the immutable open too. */
  if (self->read_only && !sd_platform_can_write (self->path, TRUE, &on_medium))
    {
      g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);

      /* Immutable, so that SQLite makes no -shm or -wal here; but then it
       * would also ignore a -wal that holds the newest changes. */
      if (file_size (wal) > 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                       _("The newest changes to “%s” are still in “%s-wal”, and this folder cannot be "
                         "written, so they cannot be read. Copy both files to a writable folder and "
                         "open the copy."), name, name);
          return FALSE;
        }
      self->immutable = TRUE;
    }

  if (self->immutable)
    {
      g_autofree char *absolute = g_canonicalize_filename (self->path, NULL);
      g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);
      g_autofree char *immutable_uri = g_strconcat (uri, "?immutable=1", NULL);

      self->open_uri = g_strdup (immutable_uri);
      rc = sqlite3_open_v2 (immutable_uri, &self->db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    }
  else
    {
      sqlite_flags = self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
      rc = sqlite3_open_v2 (self->path, &self->db, sqlite_flags | SQLITE_OPEN_NOMUTEX, NULL);
    }
  if (rc != SQLITE_OK)
    {
      _sd_store_set_error (self, rc, _("open the database"), error);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);
  _sd_oplog_register_functions (self->db);
  /* Every page is checked as it is read, so damage in a part the open
   * check skipped is found before anything is built on it. */
  sqlite3_exec (self->db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL);

  /* The first read of the schema is where a file that is not SQLite at
   * all, or whose header is damaged, shows itself. */
  if (!query_int (self->db, "SELECT count(*) FROM sqlite_schema", &n_tables, &rc) ||
      !query_int (self->db, "PRAGMA user_version", &user_version, &rc) ||
      !query_int (self->db, "PRAGMA application_id", &app_id, &rc))
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE,
                     _("“%s” is not a ShelterDesk database (it is not a database file at all)."), name);
      else if ((rc & 0xff) == SQLITE_CORRUPT)
        {
          mark_damaged (self);
          set_damaged_error (name, error);
        }
      else
        _sd_store_set_error (self, rc, _("open the database"), error);
      return FALSE;
    }

  if (n_tables > 0 && (guint32) app_id != SD_APPLICATION_ID)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is a database of another program, not of ShelterDesk."), name);
      return FALSE;
    }
  if (n_tables == 0 && !(flags & SD_STORE_OPEN_CREATE))
    {
      /* An empty file where a site's database should be: do not quietly
       * turn it into a new, empty site. */
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is empty, not a ShelterDesk database. Create a database with "
                     "“shelterdesk-cli --db FILE init”."), name);
      return FALSE;
    }
  if (user_version > SD_SCHEMA_VERSION)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer ShelterDesk (database version %d; this one "
                     "knows up to %d). Update ShelterDesk on this computer to open it."),
                   name, user_version, SD_SCHEMA_VERSION);
      return FALSE;
    }
  if (user_version < SD_SCHEMA_VERSION && self->read_only && !(flags & SD_STORE_OPEN_DAMAGED))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                   _("“%s” needs an upgrade, which cannot be done read-only."), name);
      return FALSE;
    }

  /* Personal data: the file must be its owner's alone before anything
   * is read out of it or written into it.  A copy on read-only media
   * cannot be changed either way, so it may still be looked at. */
  if (!self->immutable && !sd_private_file_check (self->path, error))
    return FALSE;

  {
    g_autofree char *marker = damage_marker_path (self->path);

    if (g_file_test (marker, G_FILE_TEST_EXISTS) || (n_tables > 0 && !check_on_open (self, file_size (self->path))))
      {
        mark_damaged (self);
        if (!(flags & SD_STORE_OPEN_DAMAGED))
          {
            set_damaged_error (name, error);
            return FALSE;
          }
      }
  }
  if (flags & SD_STORE_OPEN_DAMAGED)
    {
      /* Only what checking and rescuing need: no upgrade, no site set-up. */
      self->schema_version = user_version;
      sqlite3_create_function (self->db, "sd_search_keys", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                               sql_search_keys_cb, NULL, NULL);
      reload_site (self);
      return TRUE;
    }

  if (!self->read_only &&
      !exec_simple (self, "PRAGMA journal_mode = WAL", _("open the database"), error))
    return FALSE;
  /* A 64 MiB page cache: with the default 2 MiB, a report over 100 000
   * people re-reads the same pages from the OS over and over (measured:
   * 266 ms against 90 ms for the bare join, tests/bench/bench-intake.c). */
  /* SQLite copies the write-ahead log into the file inside a commit once
   * the log passes wal_autocheckpoint pages.  A desk does it when idle
   * instead (sd_store_set_idle_checkpoint); the limit, raised from 1 000
   * to 4 000 pages (16 MB), is only the safety net for a store that is
   * never idle, and keeps a bulk load from checkpointing every few rows. */
  if (!exec_simple (self, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -" G_STRINGIFY (SD_STORE_CACHE_KIB) "; PRAGMA temp_store = MEMORY;"
                          "PRAGMA wal_autocheckpoint = 4000;",
                    _("open the database"), error))
    return FALSE;

  sqlite3_create_function (self->db, "sd_site", 0, SQLITE_UTF8, self, sql_site_cb, NULL, NULL);
  sqlite3_create_function (self->db, "sd_txn", 0, SQLITE_UTF8, self, sql_txn_cb, NULL, NULL);
  sqlite3_commit_hook (self->db, commit_hook_cb, self);
  sqlite3_rollback_hook (self->db, rollback_hook_cb, self);
  sqlite3_create_function (self->db, "sd_hlc", 0, SQLITE_UTF8, self, sql_hlc_cb, NULL, NULL);
  sqlite3_create_function (self->db, "sd_capture", 0, SQLITE_UTF8, self, sql_capture_cb, NULL, NULL);
  sqlite3_create_function (self->db, "sd_search_keys", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           sql_search_keys_cb, NULL, NULL);
  sqlite3_update_hook (self->db, update_hook_cb, self);

  if (user_version < SD_SCHEMA_VERSION)
    {
      g_debug ("Migrating database from version %d to %d", user_version, SD_SCHEMA_VERSION);
      if (!_sd_migrate (self->db, user_version, SD_SCHEMA_VERSION, error))
        return FALSE;
    }
  self->schema_version = SD_SCHEMA_VERSION;

  return _sd_check_schema (self->db, error) &&
         load_or_create_site (self, error) &&
         seed_clock (self, error);
}

/**
 * sd_store_open:
 * @path: the database file
 * @flags: whether to create it, or to open it read-only
 * @error: a #SD_STORE_ERROR for a missing, damaged, foreign, newer or
 *   read-only file
 *
 * Opens a site's database, upgrading its schema when this build is newer
 * and creating the site identity on first open.
 *
 * Returns: (transfer full): the store, or %NULL
 */
static SdStore *
store_open (const char        *path,
            SdStoreOpenFlags   flags,
            const char        *new_site_id,
            GError           **error)
{
  g_autoptr(SdStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  /* Idempotent and thread-safe; the PIN hashes and ids need it. */
  if (sodium_init () < 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("The cryptography library could not start on this computer."));
      return NULL;
    }

  self = g_object_new (SD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = (flags & (SD_STORE_OPEN_READ_ONLY | SD_STORE_OPEN_DAMAGED)) != 0;
  self->clock = wall_clock_ms;
  self->new_site_id = g_strdup (new_site_id);

  if (!open_file (self, flags, error))
    return NULL;
  return g_steal_pointer (&self);
}

SdStore *
sd_store_open (const char        *path,
               SdStoreOpenFlags   flags,
               GError           **error)
{
  return store_open (path, flags, NULL, error);
}

SdStore *
_sd_store_create_for_site (const char  *path,
                           const char  *site_id,
                           GError     **error)
{
  g_return_val_if_fail (site_id == NULL || strlen (site_id) == 32, NULL);
  return store_open (path, SD_STORE_OPEN_CREATE, site_id, error);
}

const char *
sd_store_get_path (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return self->path;
}

const char *
sd_store_get_site_id (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return self->site_id;
}

const char *
sd_store_get_site_name (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return self->site_name;
}

static gboolean
update_site (SdStore     *self,
             const char  *sql,
             const char  *text,
             int          number,
             GError     **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (self, error);
  sqlite3_stmt *stmt;

  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int (stmt, 1, number);
  if (!_sd_store_exec (self, stmt, _("save the site settings"), error))
    return FALSE;
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_store_set_site_name (SdStore     *self,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *tidy = NULL;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  tidy = g_strstrip (g_strdup (name ? name : ""));
  if (*tidy == '\0' || !g_utf8_validate (tidy, -1, NULL) || g_utf8_strlen (tidy, -1) > 100)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("A site name must be 1 to 100 characters of text."));
      return FALSE;
    }
  if (!update_site (self, "UPDATE site SET site_name = ?1 WHERE id = 1", tidy, 0, error))
    return FALSE;
  g_free (self->site_name);
  self->site_name = g_steal_pointer (&tidy);
  return TRUE;
}

gboolean
sd_store_get_is_demo (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return self->is_demo;
}

gboolean
sd_store_set_is_demo (SdStore   *self,
                      gboolean   is_demo,
                      GError   **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (!update_site (self, "UPDATE site SET is_demo = ?1 WHERE id = 1", NULL, !!is_demo, error))
    return FALSE;
  self->is_demo = !!is_demo;
  return TRUE;
}

gboolean
sd_store_get_is_exercise (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return self->is_exercise;
}

/* Only a blank database becomes an exercise: one that holds no person,
 * event, staff member or support-list person, and belongs to no
 * deployment yet.  Then nothing live can ever be in it. */
gboolean
sd_store_mark_exercise (SdStore  *self,
                        GError  **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  if (self->is_exercise)
    return TRUE;
  txn = _sd_store_begin (self, error);
  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM person_events) "
                                  "OR EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM support_persons) "
                                  "OR EXISTS (SELECT 1 FROM sync_self)", error);
  if (stmt == NULL)
    return FALSE;
  rc = _sd_store_step (self, stmt, _("save the site settings"), error);
  if (rc != SQLITE_ROW)
    return FALSE;
  if (sqlite3_column_int (stmt, 0))
    {
      sqlite3_reset (stmt);
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("Only a new, empty database can be made an exercise: this one already holds data."));
      return FALSE;
    }
  sqlite3_reset (stmt);
  stmt = _sd_store_prepare (self, "UPDATE site SET is_exercise = 1 WHERE id = 1", error);
  if (stmt == NULL || !_sd_store_exec (self, stmt, _("save the site settings"), error) ||
      !_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;
  self->is_exercise = TRUE;
  return TRUE;
}

int
sd_store_get_schema_version (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
sd_store_get_counts (SdStore       *self,
                     SdStoreCounts *counts,
                     GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  stmt = _sd_store_prepare (self,
                            /* Kept by triggers (schema 8): six seeks. */
                            "SELECT (SELECT n FROM table_counts WHERE name = 'shelters'),"
                            "       (SELECT n FROM table_counts WHERE name = 'households'),"
                            "       (SELECT n FROM table_counts WHERE name = 'persons'),"
                            "       (SELECT n FROM table_counts WHERE name = 'person_events'),"
                            "       (SELECT n FROM table_counts WHERE name = 'staff'),"
                            "       (SELECT n FROM table_counts WHERE name = 'support_persons'),"
                            /* The op-log's size without reading it: each
                             * site's sequence is dense from 1 (check proves
                             * it) but for the gaps recorded, so it is the sum
                             * of each site's last number, one seek per site,
                             * less those gaps.  count(*) read all 2.8 M
                             * entries of a 100 000-person city: 2.2 s from a
                             * cold cache, here under 1 ms. */
                            "       (SELECT coalesce (sum ((SELECT max (seq) FROM oplog WHERE site = s.n)), 0)"
                            "        FROM oplog_sites s)"
                            "       - (SELECT coalesce (sum (last_seq - first_seq + 1), 0) FROM oplog_gaps)", error);
  if (stmt == NULL || _sd_store_step (self, stmt, _("count records"), error) != SQLITE_ROW)
    return FALSE;
  counts->shelters = sqlite3_column_int (stmt, 0);
  counts->households = sqlite3_column_int (stmt, 1);
  counts->persons = sqlite3_column_int (stmt, 2);
  counts->events = sqlite3_column_int (stmt, 3);
  counts->staff = sqlite3_column_int (stmt, 4);
  counts->support_persons = sqlite3_column_int (stmt, 5);
  counts->oplog = sqlite3_column_int (stmt, 6);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The number a query of one row and column gives, or -1. */
static gint64
count_of (SdStore    *self,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* What is derived from the synced tables, recomputed from them and
 * compared both ways: where each person is, each staff member's newest
 * safety answer, each listed person's newest status report.  (The search keys take
 * seconds to recompute for a city, so only the deep check's replay
 * compares them.) */
static const struct {
  const char *table;
  const char *differences;
} derived_checks[] = {
  { "person_state",
    /* The recount is made once (the window sorts every event: seconds at
     * a million persons) and compared both ways. */
    "WITH r AS MATERIALIZED ("
    "  SELECT person_id, id, kind, shelter_id, at, hlc FROM ("
    "    SELECT e.*, row_number () OVER (PARTITION BY person_id ORDER BY hlc DESC, id DESC) AS n"
    "    FROM person_events e WHERE kind != 'supply') WHERE n = 1) "
    "SELECT (SELECT count (*) FROM ("
    "  SELECT * FROM r EXCEPT SELECT person_id, event_id, kind, shelter_id, at, hlc FROM person_state))"
    " + (SELECT count (*) FROM ("
    "  SELECT person_id, event_id, kind, shelter_id, at, hlc FROM person_state EXCEPT SELECT * FROM r))" },
  { "safety_state",
    "WITH r AS MATERIALIZED ("
    "  SELECT rollcall_id, staff_id, id, answered_at, hlc, safety, can_report, arrival FROM ("
    "    SELECT a.*, row_number () OVER (PARTITION BY rollcall_id, staff_id"
    "      ORDER BY answered_at DESC, hlc DESC, id DESC) AS n"
    "    FROM safety_answers a) WHERE n = 1) "
    "SELECT (SELECT count (*) FROM ("
    "  SELECT * FROM r EXCEPT SELECT rollcall_id, staff_id, answer_id, answered_at, hlc, safety, can_report, arrival"
    "  FROM safety_state))"
    " + (SELECT count (*) FROM ("
    "  SELECT rollcall_id, staff_id, answer_id, answered_at, hlc, safety, can_report, arrival FROM safety_state"
    "  EXCEPT SELECT * FROM r))" },
  { "support_state",
    "WITH r AS MATERIALIZED ("
    "  SELECT support_person_id, id, status, shelter_id, reported_at, hlc FROM ("
    "    SELECT r.*, row_number () OVER (PARTITION BY support_person_id"
    "      ORDER BY reported_at DESC, hlc DESC, id DESC) AS n"
    "    FROM support_reports r) WHERE n = 1) "
    "SELECT (SELECT count (*) FROM ("
    "  SELECT * FROM r EXCEPT SELECT support_person_id, report_id, status, shelter_id, reported_at, hlc"
    "  FROM support_state))"
    " + (SELECT count (*) FROM ("
    "  SELECT support_person_id, report_id, status, shelter_id, reported_at, hlc FROM support_state"
    "  EXCEPT SELECT * FROM r))" },
};

/* DEEP: the replay that follows proves every row has its changes, row
 * for row, so the search for rows without any is left to the quick check. */
static gboolean
check_oplog (SdStore   *self,
             gboolean   deep,
             GError   **error)
{
  const char *table;
  gint64 gaps;
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; !deep && (table = _sd_synced_table (i)) != NULL; i++)
    {
      /* Table names come from our own schema list, never from input. */
      g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM %s t WHERE NOT EXISTS (SELECT 1 FROM oplog o WHERE "
        "o.tbl = (SELECT n FROM oplog_tables WHERE name = '%s') AND o.row_id = sd_row_key (t.id))", table, table);
      gint64 missing = count_of (self, sql);

      if (missing != 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                       _("%d records in “%s” were written outside ShelterDesk and are missing from "
                         "the record of changes, so HQ would never receive them. Ask HQ for help."),
                       (int) missing, table);
          return FALSE;
        }
    }

  g_debug ("check: every row has its changes, %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  t0 = g_get_monotonic_time ();
  /* The site's own history names it: a site id changed outside
   * ShelterDesk has none, and would reuse sequence numbers HQ has seen. */
  if (count_of (self, "SELECT count (*) FROM site s JOIN oplog_sites x ON x.site_id = s.site_id WHERE EXISTS "
                      "(SELECT 1 FROM oplog o WHERE o.site = x.n AND o.tbl = 1 AND o.row_id = s.site_id)") != 1)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("The site’s identity was changed outside ShelterDesk, so HQ could not tell its "
                     "records from another site’s. Do not use this database; ask HQ for help."));
      return FALSE;
    }

  /* Sequence numbers are dense from 1: a hole is a change taken out. */
  gaps = count_of (self, "SELECT coalesce (sum (n), 0) FROM "
                         "(SELECT max (seq) - count (*) AS n FROM oplog GROUP BY site)") -
         count_of (self, "SELECT coalesce (sum (last_seq - first_seq + 1), 0) FROM oplog_gaps");
  if (gaps != 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("%d changes were taken out of the record of changes outside ShelterDesk, so HQ "
                     "would never receive them. Do not use this database; ask HQ for help."),
                   (int) gaps);
      return FALSE;
    }

  g_debug ("check: the site and its sequence, %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; (table = _sd_counted_table (i)) != NULL; i++)
    {
      /* Table names come from our own schema list, never from input. */
      g_autofree char *sql = g_strdup_printf (
        "SELECT (SELECT n FROM table_counts WHERE name = '%s') IS NOT (SELECT count (*) FROM %s)", table, table);

      if (count_of (self, sql) != 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                       _("“%s” differs from what it is derived from: it was changed outside ShelterDesk. "
                         "Do not use it; ask HQ for help."), "table_counts");
          return FALSE;
        }
    }

  g_debug ("check: row counts, %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (derived_checks); i++)
    if (count_of (self, derived_checks[i].differences) != 0)
      {
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                     _("“%s” differs from what it is derived from: it was changed outside ShelterDesk. "
                       "Do not use it; ask HQ for help."), derived_checks[i].table);
        return FALSE;
      }
  g_debug ("check: where people are, %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

/* The kept counts (sd-migrations.c, SD_SCHEMA_AGGREGATES) equal a
 * recount from the rows they follow, compared both ways row for row: a
 * count changed by hand, a row added or taken out, or a trigger that
 * missed a change. */
static gboolean
check_aggregates (SdStore  *self,
                  GError  **error)
{
  const char *table, *recount;

  for (guint i = 0; (table = _sd_aggregate_table (i, &recount)) != NULL; i++)
    {
      /* Table names and queries are ShelterDesk's own constants.  The
       * recount is made once and compared both ways (seconds at
       * 1 000 000 persons each time it is made). */
      g_autofree char *sql = g_strdup_printf ("WITH r AS MATERIALIZED (%s) "
                                              "SELECT (SELECT count (*) FROM (SELECT * FROM r EXCEPT SELECT * FROM %s))"
                                              " + (SELECT count (*) FROM (SELECT * FROM %s EXCEPT SELECT * FROM r))",
                                              recount, table, table);

      if (count_of (self, sql) != 0)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                       _("“%s” differs from what it is derived from: it was changed outside ShelterDesk. "
                         "Do not use it; ask HQ for help."), table);
          return FALSE;
        }
    }
  return TRUE;
}

/* What the deep check does on a second connection, in a thread of its
 * own while the first replays the op-log: SQLite's integrity check.  The
 * search keys are proved by whichever of the two is done first (claimed
 * through keys_claimed), so a 2-core kiosk keeps both cores busy however
 * the halves compare on its file. */
typedef struct {
  char     *path;        /* or the immutable URI */
  gboolean  uri;
  gboolean  sound;       /* integrity_check said ok */
  gint      keys_claimed;
  gboolean  keys_same;
  GError   *keys_error;
} DeepSide;

/* Proves the search keys on DB if the other side has not taken it. */
static void
deep_prove_keys (DeepSide *side,
                 sqlite3  *db)
{
  gint64 t0 = g_get_monotonic_time ();

  if (!g_atomic_int_compare_and_exchange (&side->keys_claimed, FALSE, TRUE))
    return;
  side->keys_same = _sd_replay_prove_search_keys (db, &side->keys_error);
  g_debug ("Search keys computed again in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
}

static gpointer
deep_side_thread (gpointer data)
{
  DeepSide *side = data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (sqlite3_open_v2 (side->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
                                         (side->uri ? SQLITE_OPEN_URI : 0), NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  /* integrity_check compares every index with its table: with a page
   * cache of up to 1 GiB it reads the 2.8 GB file of a million persons
   * in 40 s instead of 50 (SQLite's 2 MiB default).  Only as much as
   * the file needs is ever taken. */
  sqlite3_exec (db, "PRAGMA cache_size = -1048576", NULL, NULL, NULL);
  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    side->sound = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  g_debug ("integrity_check in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  if (side->sound)
    deep_prove_keys (side, db);
  sqlite3_close (db);
  return NULL;
}

/* Everything check proves beyond SQLite's own checks, each part timed
 * for G_MESSAGES_DEBUG. */
static gboolean
check_contents (SdStore   *self,
                gboolean   deep,
                GError   **error)
{
  gint64 t0;

  if (!_sd_check_schema (self->db, error) || !check_oplog (self, deep, error))
    return FALSE;
  t0 = g_get_monotonic_time ();
  if (!check_aggregates (self, error))
    return FALSE;
  g_debug ("check: kept counts, %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  return !deep || _sd_replay_prove (self, error);
}

static gboolean
check (SdStore   *self,
       gboolean   deep,
       GError   **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GThread) side_thread = NULL;
  DeepSide side = { self->open_uri != NULL ? self->open_uri : self->path, self->open_uri != NULL,
                    FALSE, FALSE, FALSE, NULL };
  gboolean ok;

  g_return_val_if_fail (SD_IS_STORE (self), FALSE);

  /* integrity_check also compares every index with its table: needed
   * before a damage mark may be lifted, since an index that disagrees
   * with its table is damage quick_check does not see.  The deep check
   * runs it beside the replay (deep_side_thread); a damaged file stops
   * there before anything else reads it. */
  if (deep && !self->damaged)
    side_thread = g_thread_new ("sd-deep-check", deep_side_thread, &side);
  else
    {
      stmt = self->damaged ? _sd_store_prepare (self, "PRAGMA integrity_check", error)
                           : _sd_store_prepare (self, "PRAGMA quick_check", error);
      if (stmt == NULL || _sd_store_step (self, stmt, _("check the database"), error) != SQLITE_ROW)
        return FALSE;
      side.sound = g_strcmp0 (_sd_column_text (stmt, 0), "ok") == 0;
      sqlite3_reset (stmt);
    }

  /* The whole file is sound after all (a damaged disk sector that was
   * rewritten, a marker copied with a restored backup): lift the mark. */
  if (self->damaged && side.sound)
    {
      g_autofree char *marker = damage_marker_path (self->path);

      if (g_remove (marker) != 0 && g_file_test (marker, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY,
                       _("The database is sound, but the mark that it was damaged could not be removed "
                         "from its folder. Check that the folder can be written and run the check again."));
          return FALSE;
        }
      self->damaged = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAMAGED]);
    }

  /* Beside the deep check's integrity check, read on as if sound: if it
   * is not, that is what is said, whatever the reading here met. */
  if ((side.sound || side_thread != NULL) && self->site_id != NULL && self->schema_version == SD_SCHEMA_VERSION)
    {
      ok = check_contents (self, deep, error);
      if (ok && side_thread != NULL)
        deep_prove_keys (&side, self->db);
    }
  else
    ok = TRUE;  /* opened only to check: the rest needs the newest schema */

  if (side_thread != NULL)
    g_thread_join (g_steal_pointer (&side_thread));
  if (!side.sound)
    {
      g_autofree char *name = g_path_get_basename (self->path);

      g_clear_error (error);
      g_clear_error (&side.keys_error);
      mark_damaged (self);
      set_damaged_error (name, error);
      return FALSE;
    }
  if (ok && deep && !side.keys_same && self->schema_version == SD_SCHEMA_VERSION)
    {
      g_propagate_error (error, g_steal_pointer (&side.keys_error));
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not check the database."));
      return FALSE;
    }
  g_clear_error (&side.keys_error);
  return ok;
}

/**
 * sd_store_check:
 *
 * The check for the CLI and for support: SQLite's quick check of every
 * page, every object of the schema against what this build makes, every
 * row of a synced table present in the op-log, sequence numbers dense,
 * and what is derived (where people are, search keys, the counts reports
 * and occupancy read) equal to a recomputation.  Reads the whole file: not
 * for the main loop.
 */
gboolean
sd_store_check (SdStore  *self,
                GError  **error)
{
  return check (self, FALSE, error);
}

/**
 * sd_store_check_deep:
 *
 * sd_store_check() with SQLite's full integrity check, and the proof
 * that the op-log is complete: replayed into an empty database it
 * makes every synced table exactly (sd-replay.c).
 */
gboolean
sd_store_check_deep (SdStore  *self,
                     GError  **error)
{
  return check (self, TRUE, error);
}

gboolean
sd_store_get_damaged (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return self->damaged;
}

/**
 * sd_store_get_data_version:
 *
 * SQLite's data version of this connection's file: it changes when
 * another connection (another process: the receiver's web form, a CLI
 * import) commits, and not for this store's own writes, which emit
 * SdStore::changed.  A page that shows what others write polls it.
 */
gint64
sd_store_get_data_version (SdStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  g_return_val_if_fail (SD_IS_STORE (self), -1);

  stmt = _sd_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return version;
}

gboolean
sd_store_get_read_only (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return self->read_only;
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;
  sqlite3 *db = NULL;
  gboolean sound;

  /* A connection of its own: the store's belongs to the main thread. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      g_task_return_new_error (task, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                               _("Could not open the database to check it."));
      return;
    }
  sqlite3_busy_timeout (db, 5000);
  sound = !quick_check_finds_damage (db, NULL);
  sqlite3_close (db);
  g_task_return_boolean (task, sound);
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  SdStore *self = g_task_get_source_object (outer);
  g_autoptr(GError) error = NULL;
  gboolean sound = g_task_propagate_boolean (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  if (!sound)
    {
      g_autofree char *name = g_path_get_basename (self->path);

      /* Marked here, on the store's own thread. */
      mark_damaged (self);
      set_damaged_error (name, &error);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (outer, TRUE);
}

void
sd_store_verify_async (SdStore            *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;

  g_return_if_fail (SD_IS_STORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, sd_store_verify_async);
  inner = g_task_new (NULL, cancellable, verify_done_cb, g_object_ref (outer));
  g_task_set_task_data (inner, g_strdup (self->open_uri ? self->open_uri : self->path), g_free);
  g_task_run_in_thread (inner, verify_thread);
}

gboolean
sd_store_verify_finish (SdStore       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_store_set_clock (SdStore     *self,
                    SdClockFunc  clock,
                    gpointer     user_data)
{
  g_return_if_fail (SD_IS_STORE (self));

  self->clock = clock ? clock : wall_clock_ms;
  self->clock_data = user_data;
}

gint64
sd_store_now_ms (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), 0);
  return self->clock (self->clock_data);
}

SdHlc
sd_store_get_hlc (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), 0);
  return self->hlc;
}

char *
_sd_store_new_id (SdStore *self)
{
  gint64 now = sd_store_now_ms (self);
  guint8 counter[8], random[16];

  if (!self->id_seeded)
    return sd_uuid7_new (now);
  /* The next id of the seeded stream: the same seed, clock and writes
   * give the same ids (an exercise replayed from its seed), still
   * strictly increasing. */
  if (now <= self->id_last_ms)
    {
      now = self->id_last_ms;
      if (++self->id_seq > 0xfff)
        {
          now++;
          self->id_seq = 0;
        }
    }
  else
    self->id_seq = 0;
  self->id_last_ms = now;
  for (int i = 0; i < 8; i++)
    counter[i] = (guint8) (self->id_count >> (8 * i));
  self->id_count++;
  crypto_generichash (random, sizeof random, counter, sizeof counter, self->id_seed, sizeof self->id_seed);
  return sd_uuid7_format (now, self->id_seq, random);
}

void
_sd_store_set_id_seed (SdStore *self,
                       guint64  seed)
{
  guint8 material[8];

  for (int i = 0; i < 8; i++)
    material[i] = (guint8) (seed >> (8 * i));
  crypto_generichash (self->id_seed, sizeof self->id_seed, material, sizeof material,
                      (const guint8 *) "shelterdesk-exercise-ids", 24);
  self->id_seeded = TRUE;
  self->id_count = 0;
  self->id_last_ms = -1;
  self->id_seq = 0;
}

void
_sd_store_set_full_check_bytes (gint64 bytes)
{
  full_check_bytes = bytes < 0 ? SD_OPEN_FULL_CHECK_BYTES : bytes;
}

SdHlc
_sd_store_receive_hlc (SdStore  *self,
                       SdHlc     remote,
                       gint64    max_ahead_ms)
{
  self->hlc = sd_hlc_receive (self->hlc, remote, sd_store_now_ms (self), max_ahead_ms, NULL);
  return self->hlc;
}

void
_sd_store_set_capture (SdStore  *self,
                       gboolean  capture)
{
  self->capture = !!capture;
}

/**
 * sd_store_catch_up:
 * @hlc: the clock of the other store after its writes
 * @tables: (array zero-terminated=1): the tables they changed
 *
 * Another SdStore on this file (a worker thread's, importing a batch)
 * committed writes: this store's clock moves past @hlc, so that a change
 * made here next is newer than what was just received, and
 * SdStore::changed is emitted for each of @tables on this store's
 * thread, so that the pages showing them refresh.
 */
void
sd_store_catch_up (SdStore           *self,
                   SdHlc              hlc,
                   const char *const *tables)
{
  g_return_if_fail (SD_IS_STORE (self));
  g_return_if_fail (self->txn_depth == 0);

  if (hlc > self->hlc)
    self->hlc = hlc;
  reload_site (self);
  for (guint i = 0; tables != NULL && tables[i] != NULL; i++)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (tables[i]), tables[i]);
}
