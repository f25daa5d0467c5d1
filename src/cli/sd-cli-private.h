/* sd-cli-private.h: what the files of shelterdesk-cli share: the command table, output, PIN input.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command is a function that parses its own options, does one
 * thing through the core API and returns FALSE with a GError when it
 * fails.  main() turns an error into one line on stderr and an exit
 * status: 2 for a usage error (SD_CLI_ERROR_USAGE or a GOptionError),
 * 1 for everything else.
 */
#pragma once

#include "sd-core.h"
#include "sd-json.h"
#include "sd-sync-server.h"

G_BEGIN_DECLS

#define SD_CLI_EXIT_OK      0
#define SD_CLI_EXIT_FAILED  1
#define SD_CLI_EXIT_USAGE   2

#define SD_CLI_ERROR (sd_cli_error_quark ())

typedef enum {
  SD_CLI_ERROR_USAGE,   /* the command line is wrong: exit status 2 */
  SD_CLI_ERROR_FAILED,  /* anything else the CLI itself finds wrong */
} SdCliError;

GQuark sd_cli_error_quark (void);

typedef struct _SdCli SdCli;
typedef struct _SdCliCommand SdCliCommand;

/* ARGS starts with the command's own name (as argv[0] would) and is owned
 * by the caller; option parsing may shorten it in place. */
typedef gboolean (*SdCliRunFunc) (SdCli   *cli,
                                  GStrv   *args,
                                  GError **error);

struct _SdCliCommand {
  const char   *group;    /* "shelter", "qr key" (words apart by one space), or NULL for a command of its own */
  const char   *name;     /* "list" */
  const char   *params;   /* positional parameters for --help, or NULL */
  const char   *summary;  /* N_() */
  SdCliRunFunc  run;
};

struct _SdCli {
  char               *db_path;  /* owned; from --db, else SHELTERDESK_DB at open time */
  const SdCliCommand *command;  /* the command being run */
};

/* sd-cli.c */
gboolean  sd_cli_parse_args   (SdCli              *cli,
                               const GOptionEntry *entries,
                               GStrv              *args,
                               guint               min_params,
                               guint               max_params,
                               GError            **error);
gboolean  sd_cli_require_option (const char       *value,
                                 const char       *option,
                                 GError          **error);
SdStore  *sd_cli_open_store   (SdCli              *cli,
                               gboolean            writes,
                               GError            **error);
const char *sd_cli_get_db_path (SdCli             *cli);
/* Read-only, and also when the file is damaged: for check and rescue only. */
SdStore  *sd_cli_open_damaged_store (SdCli        *cli,
                                     GError      **error);

/* sd-cli-site.c, sd-cli-shelter.c, sd-cli-staff.c */
/* HQ in PostgreSQL (sd-cli-pg.c; sd-cli-pg-none.c in a build without
 * libpq refuses with a message): the store, a batch file merged into it
 * with HQ's own changes, and the receiver storing into it and answering
 * kiosks' pulls from it. */
GObject  *sd_cli_pg_open          (const char    *conninfo,
                                   GError       **error);
gboolean  sd_cli_pg_import_file   (GObject       *pg,
                                   SdStore       *hq,
                                   const char    *path,
                                   SdSyncImport  *result,
                                   GError       **error);
void      sd_cli_pg_serve         (GObject       *pg,
                                   SdSyncServer  *server);
/* HQ's batch for the kiosk TO, from PostgreSQL, into FOLDER. */
gboolean  sd_cli_pg_export_to_folder (GObject      *pg,
                                      SdStore      *hq,
                                      const char   *to,
                                      const char   *folder,
                                      SdSyncExport *result,
                                      GError      **error);
/* The shelter status report from PostgreSQL, named and timed by HQ's file. */
SdShelterStatus *sd_cli_pg_shelter_status (GObject     *pg,
                                           SdStore     *hq,
                                           const char  *shelter_code,
                                           GError     **error);
/* A roll-call's answers counted in PostgreSQL. */
SdSafetyCount   *sd_cli_pg_count_safety   (GObject     *pg,
                                           const char  *rollcall_id,
                                           GError     **error);
/* Who has not answered the roll-call, by the answers in PostgreSQL. */
GListModel *sd_cli_pg_safety_missing (GObject     *pg,
                                      SdStore     *hq,
                                      const char  *rollcall_id,
                                      GError     **error);
/* What PostgreSQL holds of each site, printed (JSON with JSON). */
gboolean  sd_cli_pg_sync_status   (GObject     *pg,
                                   SdStore     *hq,
                                   gboolean     json,
                                   GError     **error);
/* The support list's counts in PostgreSQL. */
gboolean  sd_cli_pg_count_support (GObject     *pg,
                                   guint       *counts,
                                   GError     **error);
char     *sd_cli_pg_support_districts_json (GObject  *pg,
                                            GError  **error);
gboolean  sd_cli_run_pg_load      (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_pg_fetch     (SdCli *cli, GStrv *args, GError **error);

gboolean  sd_cli_run_init         (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_info         (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_check        (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_rescue       (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_seed_load    (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_kiosk_setup  (SdCli *cli, GStrv *args, GError **error);
void      sd_cli_print_seed_summary (const char *dir, const SdSeedSummary *summary);
gboolean  sd_cli_run_shelter_list (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_shelter_add  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_shelter_open (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_shelter_close (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_shelter_guide (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_prereg_form (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_staff_add    (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_staff_list   (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_staff_set_pin (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_evacuee_add  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_evacuee_search (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_evacuee_show (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_checkin      (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_goout        (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_return       (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_checkout     (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_enquire      (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_report_status (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_shelter_condition (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_card_readers (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_card_read    (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-sync.c */
gboolean  sd_cli_run_deploy_bundle (SdCli *cli, GStrv *args, GError **error);
/* sd-cli-exercise.c */
gboolean  sd_cli_run_exercise_new (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_exercise_check (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_exercise_run (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_exercise_report (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_exercise_replay (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_parse_speed (const char *text, gint64 *out, GError **error);
gboolean  sd_cli_parse_start (const char *text, gint64 *out, GError **error);

/* sd-cli-drill.c */
gboolean  sd_cli_run_drill_run (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_drill_step (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_deploy_enrol (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_deploy_revoke (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_batch_export (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_batch_import (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_sync_status  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_conflicts_list (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_conflicts_resolve (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_duplicates_list (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_duplicates_keep_apart (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_duplicates_merge (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-map.c */
gboolean  sd_cli_run_map_import_tiles (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_map_use_tiles (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_map_import_addresses (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_map_geocode (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-support.c */
gboolean  sd_cli_run_support_import (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_support_list (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_support_show (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_support_status (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_support_summary (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_support_sheet (SdCli *cli, GStrv *args, GError **error);

gboolean  sd_cli_run_safety_open  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_close (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_rollcalls (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_answer (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_import (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_list  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_summary (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_safety_missing (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-serve.c */
gboolean  sd_cli_run_serve        (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_sync_set_url (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_sync_push    (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-qr.c */
gboolean  sd_cli_run_qr_issue     (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_sheet     (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_scan      (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_mode      (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_prereg    (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_key_show  (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_key_export (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_key_import (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_key_list   (SdCli *cli, GStrv *args, GError **error);
gboolean  sd_cli_run_qr_key_remove (SdCli *cli, GStrv *args, GError **error);

/* sd-cli-output.c: aligned text tables, and JSON to stdout */
typedef struct _SdCliTable SdCliTable;

SdCliTable *sd_cli_table_new        (guint        n_columns,
                                     const char  *const *headings);
void        sd_cli_table_free       (SdCliTable  *table);
void        sd_cli_table_align_right (SdCliTable *table,
                                     guint        column);
/* N_COLUMNS strings; NULL prints as an empty cell. */
void        sd_cli_table_add_row    (SdCliTable  *table,
                                     ...);
void        sd_cli_table_print      (SdCliTable  *table);

void        sd_cli_print_json       (json_t      *root);
const char *sd_cli_yes_no           (gboolean     value);
/* PATH's contents, or standard input's for NULL or "-". */
char       *sd_cli_read_all         (const char  *path,
                                     gsize       *length,
                                     GError     **error);
/* The same, as bytes (a CSV file's). */
GBytes     *sd_cli_read_bytes       (const char  *path,
                                     GError     **error);
/* Unix ms as ISO 8601 local time, or NULL for 0. */
char       *sd_cli_format_iso       (gint64       at_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCliTable, sd_cli_table_free)

/* sd-cli-pin.c */
#define SD_CLI_PIN_BUFFER_SIZE 64

/* Reads one PIN from standard input into BUFFER (SD_CLI_PIN_BUFFER_SIZE
 * bytes): the first line, trimmed, or typed without echo at a terminal
 * (twice when CONFIRM).  The caller wipes BUFFER with sodium_memzero(). */
gboolean    sd_cli_read_pin         (char        *buffer,
                                     gboolean     confirm,
                                     GError     **error);

G_END_DECLS
