/* sd-sync-exchange.c: the Sync desk's exports and imports, run in a worker thread on a store of their own.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An SdStore belongs to the thread that opened it, and an import or an
 * export can take seconds on a slow stick: the work opens its own
 * SdStore on the same file in the worker (SQLite's WAL lets the desk go
 * on reading meanwhile).  It writes nothing anyone else reads until it
 * is done, except its progress, under a lock.  Then, back on the desk's
 * thread, sd_sync_exchange_catch_up() moves the desk's clock past what
 * was received and emits SdStore::changed there for every table the
 * worker wrote, so that each open desk shows what came in.
 *
 * What each file did is a JSON object (a row), in the words of the
 * core's SdSyncImport and SdSyncExport; for a batch refused because HQ
 * does not know its kiosk, the row carries who signed it, read while the
 * stick is still in, for the person who compares the fingerprint.
 */
#include "sd-sync-exchange.h"
#include "sd-batch.h"
#include "sd-sync.h"

#include <string.h>

struct _SdSyncExchange
{
  gboolean      export;
  char         *db_path;
  gboolean      hq;          /* refused kiosks may be enrolled: read who signed */
  char         *folder;      /* export: where to */
  GStrv         targets;     /* export: for whom (sd_sync_export_to_folder's TO) */
  GStrv         target_names;
  GPtrArray    *inputs;      /* import: GFile, batches or folders */
  char         *enrol;

  /* The worker's, handed to the main thread when it is done. */
  GPtrArray    *rows;        /* json_t*, one per file */
  GHashTable   *tables;      /* the tables its writes changed (interned) */
  SdHlc         hlc;

  /* Progress, read by the main thread meanwhile. */
  GMutex        lock;
  guint         done;
  guint         total;
  char         *current;
};

void
sd_sync_exchange_free (SdSyncExchange *ex)
{
  g_free (ex->db_path);
  g_free (ex->folder);
  g_strfreev (ex->targets);
  g_strfreev (ex->target_names);
  g_clear_pointer (&ex->inputs, g_ptr_array_unref);
  g_free (ex->enrol);
  g_ptr_array_unref (ex->rows);
  g_hash_table_unref (ex->tables);
  g_mutex_clear (&ex->lock);
  g_free (ex->current);
  g_free (ex);
}

static SdSyncExchange *
exchange_new (SdStore *store)
{
  SdSyncExchange *ex = g_new0 (SdSyncExchange, 1);

  if (store != NULL)
    {
      ex->db_path = g_strdup (sd_store_get_path (store));
      ex->hq = sd_sync_get_role (store) == SD_SYNC_ROLE_HQ;
    }
  ex->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  ex->tables = g_hash_table_new (NULL, NULL);
  g_mutex_init (&ex->lock);
  return ex;
}

static void
set_progress (SdSyncExchange *ex,
              guint           done,
              guint           total,
              const char     *current)
{
  g_mutex_lock (&ex->lock);
  ex->done = done;
  ex->total = total;
  g_free (ex->current);
  ex->current = g_strdup (current);
  g_mutex_unlock (&ex->lock);
}

static void
worker_changed_cb (SdStore        *store,
                   const char     *table,
                   SdSyncExchange *ex)
{
  g_hash_table_add (ex->tables, (gpointer) g_intern_string (table));
}

static json_t *
new_row_json (const char *path,
              const char *result)
{
  g_autofree char *file = g_filename_display_basename (path);

  /* A file's name need not be UTF-8: the path is kept as it is. */
  return json_pack ("{s:s, s:o, s:s}", "file", file, "path", json_string_nocheck (path), "result", result);
}

/* The core names the file at the start of its message; the row does too. */
static const char *
without_file_name (const char *message,
                   const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  size_t len = strlen (base);

  if (strncmp (message, base, len) == 0 && g_str_has_prefix (message + len, ": "))
    return message + len + 2;
  return message;
}

static json_t *
import_one (SdSyncExchange *ex,
            SdStore        *store,
            const char     *path,
            GCancellable   *cancellable)
{
  g_autoptr(GError) error = NULL;
  SdSyncImport r = { 0 };
  json_t *row;

  if (sd_sync_import_file (store, path, ex->enrol, &r, cancellable, &error))
    {
      row = new_row_json (path, r.already_imported ? "already-imported" : "imported");
      json_object_update_new (row, json_pack ("{s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}",
                                              "from_name", r.from_name, "operations", (json_int_t) r.operations,
                                              "applied", (json_int_t) r.applied,
                                              "already_had", (json_int_t) r.already_had,
                                              "waiting", (json_int_t) r.waiting, "clamped", (json_int_t) r.clamped,
                                              "conflicts", (json_int_t) r.conflicts,
                                              "duplicates", (json_int_t) r.duplicates,
                                              "chain_broken", r.chain_broken, "enrolled", r.enrolled));
      sd_sync_import_clear (&r);
      return row;
    }
  sd_sync_import_clear (&r);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return new_row_json (path, "cancelled");
  if (g_error_matches (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ADDRESSED) ||
      g_error_matches (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US))
    row = new_row_json (path, "not-for-here");
  else if (g_error_matches (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_SENDER) && ex->hq)
    {
      g_autofree char *name = NULL;
      g_autofree char *fingerprint = NULL;

      row = new_row_json (path, "unknown-sender");
      /* What the enrolment dialog shows, read while the stick is here. */
      if (sd_sync_read_batch_sender (store, path, &name, &fingerprint, cancellable, NULL))
        json_object_update_new (row, json_pack ("{s:s?, s:s}", "sender_name", name, "fingerprint", fingerprint));
    }
  else
    row = new_row_json (path, "refused");
  json_object_set_new (row, "message", json_string (without_file_name (error->message, path)));
  return row;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The batches in FOLDER, in name order: a site's batches are named by
 * when they were made, so they come in the order they were written. */
static gboolean
list_batches (GFile         *folder,
              GPtrArray     *paths,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folder_path = g_file_get_path (folder);
  GFileInfo *info;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (children == NULL)
    return FALSE;
  while (g_file_enumerator_iterate (children, &info, NULL, cancellable, error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);

      /* A batch still being written is a hidden ".part" file. */
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && name[0] != '.' &&
          g_str_has_suffix (name, ".sdbatch"))
        g_ptr_array_add (names, g_strdup (name));
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (folder_path, g_ptr_array_index (names, i), NULL));
  return TRUE;
}

static void
import_all (SdSyncExchange *ex,
            SdStore        *store,
            GCancellable   *cancellable)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ex->inputs->len; i++)
    {
      GFile *input = g_ptr_array_index (ex->inputs, i);
      g_autofree char *path = g_file_get_path (input);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        continue;
      if (g_file_query_file_type (input, G_FILE_QUERY_INFO_NONE, cancellable) != G_FILE_TYPE_DIRECTORY)
        g_ptr_array_add (paths, g_steal_pointer (&path));
      else if (!list_batches (input, paths, cancellable, &error))
        {
          json_t *row = new_row_json (path, "refused");

          json_object_set_new (row, "message", json_string (error->message));
          g_ptr_array_add (ex->rows, row);
        }
    }
  for (guint i = 0; i < paths->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *name = g_filename_display_basename (path);

      set_progress (ex, i, paths->len, name);
      g_ptr_array_add (ex->rows, import_one (ex, store, path, cancellable));
    }
  set_progress (ex, paths->len, paths->len, NULL);
}

static void
export_all (SdSyncExchange *ex,
            SdStore        *store,
            GCancellable   *cancellable)
{
  guint n = g_strv_length (ex->targets);

  for (guint i = 0; i < n && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(GError) error = NULL;
      SdSyncExport r = { 0 };
      json_t *row;

      set_progress (ex, i, n, ex->target_names[i]);
      if (sd_sync_export_to_folder (store, ex->targets[i], ex->folder, &r, cancellable, &error))
        {
          row = new_row_json (r.path, "exported");
          json_object_update_new (row, json_pack ("{s:s, s:I, s:I}", "to_name", ex->target_names[i],
                                                  "operations", (json_int_t) r.operations,
                                                  "bytes", (json_int_t) r.bytes));
        }
      else
        {
          row = json_pack ("{s:s, s:s, s:s}", "file", ex->target_names[i], "to_name", ex->target_names[i],
                           "result", g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled"
                                                                                               : "export-failed");
          json_object_set_new (row, "message", json_string (error->message));
        }
      sd_sync_export_clear (&r);
      g_ptr_array_add (ex->rows, row);
    }
  set_progress (ex, n, n, NULL);
}

gboolean
sd_sync_exchange_run (SdSyncExchange  *ex,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(SdStore) store = NULL;

  /* A connection of its own: the desk's store belongs to the main thread. */
  store = sd_store_open (ex->db_path, SD_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  g_signal_connect (store, "changed", G_CALLBACK (worker_changed_cb), ex);
  if (ex->export)
    export_all (ex, store, cancellable);
  else
    import_all (ex, store, cancellable);
  g_signal_handlers_disconnect_by_data (store, ex);
  ex->hlc = sd_store_get_hlc (store);
  return TRUE;
}

SdSyncExchange *
sd_sync_exchange_new_export (SdStore           *store,
                             const char        *folder,
                             const char *const *targets,
                             const char *const *names)
{
  SdSyncExchange *ex = exchange_new (store);

  ex->export = TRUE;
  ex->folder = g_strdup (folder);
  ex->targets = g_strdupv ((char **) targets);
  ex->target_names = g_strdupv ((char **) names);
  return ex;
}

SdSyncExchange *
sd_sync_exchange_new_import (SdStore    *store,
                             GListModel *files,
                             const char *enrol)
{
  SdSyncExchange *ex = exchange_new (store);

  ex->inputs = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    g_ptr_array_add (ex->inputs, g_list_model_get_item (files, i));
  ex->enrol = g_strdup (enrol);
  return ex;
}

gboolean
sd_sync_exchange_is_export (SdSyncExchange *ex)
{
  return ex->export;
}

const char *
sd_sync_exchange_get_enrol (SdSyncExchange *ex)
{
  return ex->enrol;
}

char *
sd_sync_exchange_get_progress (SdSyncExchange *ex,
                               guint          *done,
                               guint          *total)
{
  char *current;

  g_mutex_lock (&ex->lock);
  *done = ex->done;
  *total = ex->total;
  current = g_strdup (ex->current);
  g_mutex_unlock (&ex->lock);
  return current;
}

GPtrArray *
sd_sync_exchange_get_rows (SdSyncExchange *ex)
{
  return ex->rows;
}

void
sd_sync_exchange_catch_up (SdSyncExchange *ex,
                           SdStore        *store)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer table;

  g_hash_table_iter_init (&iter, ex->tables);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    g_ptr_array_add (tables, table);
  g_ptr_array_add (tables, NULL);
  /* Every desk hears of what came in, and the next change made here is
   * newer than anything received. */
  if (tables->len > 1)
    sd_store_catch_up (store, ex->hlc, (const char *const *) tables->pdata);
}
