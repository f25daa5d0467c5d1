# mutations.py: the small deliberate bugs the test suite must catch, one at a time.
#
# Copyright 2026 The ShelterDesk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each entry is one bug a person could plausibly write (or a reviewer
# could miss), taken from the mutation spot-check of issue 10, where half
# of them passed the whole suite.  run-mutations.py applies each one to the
# source tree, rebuilds, runs the suites named here and reverts it; every
# entry must be caught.  FIND must occur exactly once in FILE, so an entry
# that no longer matches the code fails loudly instead of testing nothing.
# When a mutation survives, strengthen the test named in caught_by; never
# weaken or drop the mutation.

MUTATIONS = [
    {
        "name": "oplog-allergies",
        "file": "src/core/sd-migrations.c",
        "find": '"allergies", "illness", "pregnant", "disability", "care_level", "mobility", "language", "merged_into"',
        "replace": '"illness", "pregnant", "disability", "care_level", "mobility", "language", "merged_into"',
        "breaks": "persons.allergies is no longer captured in the op-log, so it never syncs",
        "suites": ["unit"],
        "caught_by": ["test-oplog"],
    },
    {
        "name": "report-gone-out-present",
        "file": "src/core/sd-report.c",
        "find": "status->stays.in_shelter = status->persons - status->stays.out_now;",
        "replace": "status->stays.in_shelter = status->persons;",
        "breaks": "the all-shelters report counts people who went out as present",
        "suites": ["unit", "ui"],
        "caught_by": ["test-report", "ui-report"],
    },
    {
        "name": "intake-no-household-phone",
        "file": "src/app/sd-intake-page.c",
        "find": "household.phone = gtk_editable_get_text (self->phone_entry);",
        "replace": "household.phone = NULL;",
        "breaks": "the intake desk saves households without the phone typed",
        "suites": ["ui"],
        "caught_by": ["ui-intake"],
    },
    {
        "name": "no-bad-database-dialog",
        "file": "src/app/sd-application.c",
        "find": "  /* No window to be transient for yet: this dialog is the whole desk. */\n",
        "replace": "  return;\n"
                   "  /* No window to be transient for yet: this dialog is the whole desk. */\n",
        "breaks": "a database that cannot be opened shows nothing: the desk just quits",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "no-desk-shortcuts",
        "file": "src/app/sd-window.c",
        "find": "  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "
                "\"win.show-desk\", \"s\", \"home\");\n"
                "  /* Ctrl+N is the N-th desk the sidebar shows (a lead's seventh is Sync). */\n"
                "  for (int n = 1; n <= SD_N_DESKS; n++)\n"
                "    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + n, GDK_CONTROL_MASK,\n"
                "                                         \"win.show-desk-number\", \"i\", n);\n",
        "replace": "",
        "breaks": "Ctrl+0 … Ctrl+9 no longer switch desks",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "scan-repeat-ignored",
        "file": "src/core/sd-scan.c",
        "find": "  if (previous > 0 && settings->repeat_seconds > 0 &&\n",
        "replace": "  if (FALSE && previous > 0 && settings->repeat_seconds > 0 &&\n",
        "breaks": "the same card scanned twice within the repeat window records two events",
        "suites": ["qr", "cli"],
        "caught_by": ["test-qr", "qr-desk", "cli"],
    },
    {
        "name": "open-skips-damage-check",
        "file": "src/core/sd-store.c",
        "find": "check_on_open (SdStore *self,\n"
                "               gint64   file_size)\n"
                "{\n",
        "replace": "check_on_open (SdStore *self,\n"
                   "               gint64   file_size)\n"
                   "{\n"
                   "  return TRUE;\n",
        "breaks": "a damaged database is opened and written to",
        "suites": ["unit", "cli"],
        "caught_by": ["test-store", "cli-store"],
    },
    {
        "name": "schema-not-compared",
        "file": "src/core/sd-migrations.c",
        "find": "_sd_check_schema (sqlite3  *db,\n"
                "                  GError  **error)\n"
                "{\n",
        "replace": "_sd_check_schema (sqlite3  *db,\n"
                   "                  GError  **error)\n"
                   "{\n"
                   "  return TRUE;\n",
        "breaks": "a database whose triggers were dropped or edited outside ShelterDesk is accepted",
        "suites": ["unit", "cli"],
        "caught_by": ["test-store", "cli-store"],
    },
    {
        "name": "csv-formulas-kept",
        "file": "src/core/sd-csv.c",
        "find": "  if (starts_formula (text))\n",
        "replace": "  if (FALSE && starts_formula (text))\n",
        "breaks": "CSV cells beginning with = + - @ reach Excel as formulas",
        "suites": ["unit", "cli"],
        "caught_by": ["test-csv", "cli"],
    },
    {
        "name": "lead-pin-four-digits",
        "file": "src/core/sd-staff.c",
        "find": "  return role == SD_ROLE_VOLUNTEER ? 4 : 6;\n",
        "replace": "  return 4;\n",
        "breaks": "a shelter lead or HQ may set a 4-digit PIN",
        "suites": ["unit", "cli"],
        "caught_by": ["test-staff", "cli"],
    },
    {
        "name": "oplog-delete-unguarded",
        "file": "src/core/sd-migrations.c",
        "find": "  \"CREATE TRIGGER guard_oplog_delete BEFORE DELETE ON oplog \"\n"
                "  \"BEGIN SELECT RAISE (ABORT, 'the record of changes is never deleted from'); END;\"\n"
                "  \"CREATE TRIGGER guard_oplog_sites",
        "replace": "  \"CREATE TRIGGER guard_oplog_sites",
        "breaks": "the plain sqlite3 shell can delete op-log entries, so changes silently never sync",
        "suites": ["unit", "cli"],
        "caught_by": ["test-store", "cli-store"],
    },
    {
        "name": "shared-database-opened",
        "file": "src/core/sd-private-file.c",
        "find": "  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)\n",
        "replace": "  if (FALSE)\n",
        "breaks": "a database other local users can read (health data, PIN hashes) is opened without a word",
        "suites": ["unit", "cli"],
        "caught_by": ["test-store", "cli-store"],
    },
    {
        "name": "demo-sign-in-anywhere",
        "file": "src/app/sd-window.c",
        "find": "  if (!sd_store_get_is_demo (self->store))\n"
                "    {\n"
                "      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NOT_ALLOWED,\n",
        "replace": "  if (FALSE)\n"
                   "    {\n"
                   "      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NOT_ALLOWED,\n",
        "breaks": "the desk's --demo sign-in without a PIN works on a real site's database",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "txn-per-change",
        "file": "src/core/sd-store.c",
        "find": "  if (self->txn_id == 0)\n    self->txn_id = query_first",
        "replace": "  if (TRUE)\n    self->txn_id = query_first",
        "breaks": "each change of one action gets its own transaction id, so a batch can carry half a registration",
        "suites": ["unit"],
        "caught_by": ["test-oplog"],
    },
    {
        "name": "search-keys-unproven",
        "file": "src/core/sd-replay.c",
        "find": "  same = want.n == have.n && want.sum == have.sum;",
        "replace": "  same = TRUE;",
        "breaks": "check --deep no longer computes the search keys again, so a person hidden from search goes unseen",
        "suites": ["cli"],
        "caught_by": ["cli-store"],
    },
    {
        "name": "counts-leave-still-at-home",
        "file": "src/core/sd-migrations.c",
        "find": "\".kind = 'leave' AND \" ELSEWHERE_STAY (\"h.stay\"))",
        "replace": "\".kind = 'never' AND \" ELSEWHERE_STAY (\"h.stay\"))",
        "breaks": "someone registered as staying at home who leaves is still counted at home",
        "suites": ["unit"],
        "caught_by": ["test-aggregates"],
    },
    {
        "name": "counts-pets-not-followed",
        "file": "src/core/sd-migrations.c",
        "find": '"    OR " HAS_PETS ("OLD") " IS NOT " HAS_PETS ("NEW") " "',
        "replace": '"    OR 0 "',
        "breaks": "a staying household's pets, changed later (by sync), are not counted in the all-shelters report",
        "suites": ["unit"],
        "caught_by": ["test-aggregates"],
    },
    {
        "name": "counts-back-from-out-not-in-city",
        "file": "src/core/sd-migrations.c",
        "find": '"    WHERE EXISTS (SELECT 1 FROM persons WHERE id = NEW.person_id);"',
        "replace": '"    WHERE 0;"',
        "breaks": "going out and coming back moves the shelter's counts but not the city's out-for-now",
        "suites": ["unit"],
        "caught_by": ["test-aggregates", "test-report"],
    },
    {
        "name": "counts-split-household-twice",
        "file": "src/core/sd-migrations.c",
        "find": '"  SELECT 1 FROM shelter_households o WHERE o.household_id = NEW.household_id '
                'AND o.shelter_id != NEW.shelter_id)"',
        "replace": '"  SELECT 1 WHERE 0)"',
        "breaks": "a household split over two shelters counts twice in the all-shelters report",
        "suites": ["unit"],
        "caught_by": ["test-aggregates", "test-report"],
    },
    {
        "name": "report-band-edge",
        "file": "src/core/sd-report.c",
        "find": "static const int years_back[] = { 75, 65, 15, 6, 0, 1 };",
        "replace": "static const int years_back[] = { 75, 65, 16, 6, 0, 1 };",
        "breaks": "in the all-shelters report someone who turns 15 today is still a child",
        "suites": ["unit"],
        "caught_by": ["test-report"],
    },
    {
        "name": "occupancy-one-shelter-counts-all",
        "file": "src/core/sd-person.c",
        "find": '"FROM shelter_occupancy WHERE shelter_id = ?1", error)',
        "replace": '"FROM shelter_occupancy WHERE ?1 IS NOT NULL", error)',
        "breaks": "the check-in desk's occupancy line and a shelter's report count every shelter's people",
        "suites": ["unit"],
        "caught_by": ["test-aggregates", "test-report"],
    },
    {
        "name": "keys-household-phone-ignored",
        "file": "src/core/sd-migrations.c",
        "find": '"    WHERE p.household_id = NEW.id AND p.phone IS NULL;"',
        "replace": '"    WHERE p.household_id = NEW.id AND 0;"',
        "breaks": "after a household's phone changes, its members are no longer found by the new number",
        "suites": ["unit"],
        "caught_by": ["test-store"],
    },
    {
        "name": "keys-old-kept-on-change",
        "file": "src/core/sd-migrations.c",
        "find": '"CREATE TRIGGER person_keys_update AFTER UPDATE OF name, kana, phone, birth_date, household_id ON persons BEGIN"\n'
                '  "  DELETE FROM person_keys WHERE person_id = OLD.id AND key IN',
        "replace": '"CREATE TRIGGER person_keys_update AFTER UPDATE OF name, kana, phone, birth_date, household_id ON persons BEGIN"\n'
                   '  "  DELETE FROM person_keys WHERE person_id = OLD.id AND 0 AND key IN',
        "breaks": "a corrected name or birth date leaves the old ones searchable and in the duplicate check",
        "suites": ["unit"],
        "caught_by": ["test-store"],
    },
    {
        "name": "duplicates-kana-only",
        "file": "src/core/sd-person-search.c",
        "find": "_sd_bind_text (stmt, 1, name_key);",
        "replace": "_sd_bind_text (stmt, 1, kana_key);",
        "breaks": "the duplicate check no longer finds someone registered again under the same name and birth date",
        "suites": ["unit"],
        "caught_by": ["test-store", "test-person"],
    },
    {
        "name": "mnemonic-register-twice",
        "file": "po/ja.po",
        "find": 'msgstr "親族・知人宅(_F)"',
        "replace": 'msgstr "親族・知人宅(_R)"',
        "breaks": "Alt+R on Intake goes to 親族・知人宅 instead of 登録 (issue 12, 5)",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "reflow-never-stacks",
        "file": "src/app/sd-reflow-box.c",
        "find": "  gboolean stacked = width < row_minimum (self);",
        "replace": "  gboolean stacked = FALSE;",
        "breaks": "on a portrait tablet (800×1280) Check-in's person and sign-in's pad are pushed off the "
                  "screen, or squeezed to nothing (issue 12, 4)",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "merge-undo-skips-household",
        "file": "src/core/sd-person.c",
        "find": "  _sd_bind_text (stmt, 2, before->household_id);\n  _sd_bind_text (stmt, 3, before->name);",
        "replace": "  _sd_bind_text (stmt, 2, NULL);\n  _sd_bind_text (stmt, 3, before->name);",
        "breaks": "undoing a 'same person' merge leaves the person out of their household (issue 12, 1)",
        "suites": ["unit", "ui"],
        "caught_by": ["test-oplog", "ui-intake"],
    },
    {
        "name": "settings-not-next-to-exe",
        "file": "src/app/sd-settings.c",
        "find": '{ "../share/glib-2.0/schemas", "../../data", NULL }',
        "replace": '{ NULL }',
        "breaks": "the desk run from the build tree or a relocated install loses its kept settings and "
                  "warns, as if no schema were installed (issue 13)",
        "suites": ["packaging"],
        "caught_by": ["packaging"],
    },
    {
        "name": "kiosk-creates-missing-database",
        "file": "src/app/sd-application.c",
        "find": "self->kiosk ? SD_STORE_OPEN_DEFAULT : SD_STORE_OPEN_CREATE",
        "replace": "SD_STORE_OPEN_CREATE",
        "breaks": "a kiosk whose site database is missing starts on a fresh empty one (issue 13)",
        "suites": ["ui"],
        "caught_by": ["ui-window"],
    },
    {
        "name": "batch-payload-hash-unchecked",
        "file": "src/core/sd-batch.c",
        "find": "  if (sodium_memcmp (hash, self->payload_hash, sizeof hash) != 0)",
        "replace": "  if (FALSE)",
        "breaks": "a batch whose operations are not the ones its signed header names is read as whole (issue 14)",
        "suites": ["unit"],
        "caught_by": ["test-batch"],
    },
    {
        "name": "sync-clone-accepted",
        "file": "src/core/sd-sync.c",
        "find": "    result->already_had++;\n  else\n    return cloned_site (m, p->site, p->seq, error);",
        "replace": "    result->already_had++;\n  else\n    result->already_had++;",
        "breaks": "a copied disk's different change under a number already held is taken as already had: two kiosks' histories mix (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-op-duplicate-field-taken",
        "file": "src/core/sd-sync.c",
        "find": " ||\n          op->n_fields == G_N_ELEMENTS (op->field) || (seen[number / 32] & (1u << (number % 32))) != 0)",
        "replace": " ||\n          op->n_fields == G_N_ELEMENTS (op->field))",
        "breaks": "an operation naming one field twice is read in place instead of refused as jansson refuses it: the packed change is not the one the origin holds (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-op-utf8-unchecked",
        "file": "src/core/sd-sync.c",
        "find": "  if (p >= limit || (!ascii && !g_utf8_validate_len (start, p - start, NULL)))",
        "replace": "  if (p >= limit || (!ascii && FALSE && !g_utf8_validate_len (start, p - start, NULL)))",
        "breaks": "an operation whose text is not UTF-8 is stored instead of refusing the batch as damaged (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-export-line-unchecked",
        "file": "src/core/sd-sync.c",
        "find": "  copy = g_strndup (line->str, line->len);\n  return _sd_sync_op_parse",
        "replace": "  copy = g_strndup (line->str, line->len);\n  return TRUE;\n  return _sd_sync_op_parse",
        "breaks": "a change whose row id or text JSON must escape is copied into the batch as it is: the receiver cannot read the batch (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-revoked-accepted",
        "file": "src/core/sd-sync.c",
        "find": "  if (found && revoked)",
        "replace": "  if (found && revoked && FALSE)",
        "breaks": "a revoked (lost or stolen) kiosk's batches are still imported (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-clock-follows-restart",
        "file": "src/core/sd-store.c",
        "find": "  self->hlc = MAX (own, MIN (others, limit));",
        "replace": "  self->hlc = MAX (own, others + 0 * limit);",
        "breaks": "after a restart a kiosk whose clock ran an hour ahead drags this site's clock with it, and wins every later conflict (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-refused"],
    },
    {
        "name": "sync-recreation-keeps-old-fields",
        "file": "src/core/sd-replay.c",
        "find": "        if (r->set[c] && newer_than (r->created_hlc, r->created_site, r->hlcs[c], r->sites[c]))",
        "replace": "        if (FALSE)",
        "breaks": "a row created again after a deletion keeps fields written before it: sites disagree (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
    {
        "name": "derive-forgets-household-members",
        "file": "src/core/sd-derive.c",
        "find": "  \"INSERT OR IGNORE INTO temp.derive_persons (id) \"\n  \"  SELECT p.id FROM temp.sync_touched t JOIN persons p ON p.household_id = sd_row_id (t.row_id) \"\n",
        "replace": "  \"INSERT OR IGNORE INTO temp.derive_persons (id) \"\n  \"  SELECT p.id FROM temp.sync_touched t JOIN persons p ON p.household_id = sd_row_id (t.row_id) AND 0 \"\n",
        "breaks": "a batch that moves a household home leaves its members counted in the shelter: the status report is wrong until a rescue (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
    {
        "name": "derive-forgets-households-moved-to",
        "file": "src/core/sd-derive.c",
        "find": "  \"    WHERE t.tbl = \" TABLE_N (\"persons\") \") WHERE v IS NOT NULL;\";",
        "replace": "  \"    WHERE t.tbl = \" TABLE_N (\"persons\") \") WHERE v IS NOT NULL AND 0;\";",
        "breaks": "a batch that moves a person to another household counts that household twice among the staying ones (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
    {
        "name": "merge-forgets-the-leave-event",
        "file": "src/core/sd-sync-duplicates.c",
        "find": '  if (g_strcmp0 (merge->state_kind, "leave") != 0)',
        "replace": '  if (FALSE)',
        "breaks": "a merged record keeps counting: the status report and occupancy count one human twice (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-duplicates"],
    },
    {
        "name": "scan-ignores-merge",
        "file": "src/core/sd-scan.c",
        "find": "  person_id = _sd_person_follow_merge (store, card.person_id, error);",
        "replace": "  person_id = g_strdup (card.person_id);",
        "breaks": "the card of a record merged into another checks in the closed record, not the one kept (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-duplicates"],
    },
    {
        "name": "fold-insert-conflict-drops-update",
        "file": "src/core/sd-replay.c",
        "find": "          if (!a->append_only)\n            {\n              sqlite3_bind_text (a->update, 1, row->id, -1, SQLITE_STATIC);",
        "replace": "          if (FALSE)\n            {\n              sqlite3_bind_text (a->update, 1, row->id, -1, SQLITE_STATIC);",
        "breaks": "an import that brings an edit of a row already there inserts nothing and updates nothing: the edit is lost at that site (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
    {
        "name": "gaps-ignore-held-in-a-hole",
        "file": "src/core/sd-sync.c",
        "find": "AND seq > ?2 AND seq < ?3 ORDER BY seq\"",
        "replace": "AND seq > ?2 AND seq < ?3 AND 0 ORDER BY seq\"",
        "breaks": "an import whose runs straddle changes already held records those changes as missing: the kiosk holds back its acknowledgement and the status shows gaps for ever (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
    {
        "name": "duplicates-small-batch-keys-lost",
        "file": "src/core/sd-sync.c",
        "find": "DUPLICATES (\"FROM temp.sync_new_persons np JOIN persons p ON p.id = sd_row_id (np.row_id) \"",
        "replace": "DUPLICATES (\"FROM temp.sync_new_persons np JOIN persons p ON p.id = sd_row_id (np.row_id) AND 0 \"",
        "breaks": "a push of a few registrations into a large HQ never lists a possible duplicate: the same person is counted twice (issue 14)",
        "suites": ["sync"],
        "caught_by": ["test-sync-merge"],
    },
]
