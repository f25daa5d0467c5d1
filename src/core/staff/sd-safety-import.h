/* sd-safety-import.h: answers collected elsewhere (a commercial safety service's export), read from CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The columns are found by their headings, in Japanese as services write
 * them or by the codes of docs/safety.md: 職員番号, 回答日時, 安否,
 * 現在地, 現在地(その他), 参集可否, 参集方法, 参集までの時間, メッセージ
 * (the table in docs/safety.md lists every name and value understood).
 * Other columns (氏名, 所属, a mail address) are left alone.  The file is
 * UTF-8 or Shift_JIS, found out unless ENCODING says.  Every row is read
 * and checked before anything is stored; then all are stored in one
 * transaction, as answers by "import" at the time the service took them.
 * One bad row refuses the file, naming its line and what to fix: nothing
 * is half-imported.  The same file imported twice stores nothing new.
 */
#pragma once

#include "sd-safety.h"

G_BEGIN_DECLS

typedef struct {
  char  *encoding;   /* "UTF-8" or "CP932": what the file was read as */
  guint  rows;       /* answers in the file */
  guint  stored;     /* new here */
  guint  already;    /* imported before (the same person, time and answer) */
} SdSafetyImport;

gboolean sd_store_import_safety_csv (SdStore         *store,
                                     const char      *rollcall_id,
                                     GBytes          *csv,
                                     const char      *encoding,
                                     SdSafetyImport  *result,
                                     GError         **error);
void     sd_safety_import_clear     (SdSafetyImport  *result);

G_END_DECLS
