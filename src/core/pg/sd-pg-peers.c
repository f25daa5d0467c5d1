/* sd-pg-peers.c: the deployment's enrolled sites, shared by every receiver through PostgreSQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A receiver checks a batch against the sites its copy of HQ's file
 * (`hq.sqlite`) has enrolled.  Receivers on several machines each have a
 * copy, and HQ's people enrol a kiosk at one of them (its desk, or
 * `batch import --enrol`).  So that every copy knows every kiosk, each
 * receiver, before it checks a batch or writes one, shares its sites
 * with PostgreSQL's `sync_peers`:
 *
 *   publish  the sites of its copy that PostgreSQL lacks are added, and
 *            a revocation it holds is added to PostgreSQL's (the earliest
 *            wins; a revocation is never undone);
 *   learn    the sites PostgreSQL has that its copy lacks, or has not
 *            revoked, are written into its copy, as a kiosk learns them
 *            from HQ's batches (_sd_sync_learn_peers): so a batch from a
 *            kiosk enrolled at another machine is taken here too, and
 *            HQ's batches from here list it.
 *
 * A site's keys never change: a row already in PostgreSQL keeps them.
 * Anyone who may write ShelterDesk's tables in PostgreSQL may already
 * write any change into the deployment: the receivers' role is trusted
 * with the deployment as a whole (docs/deploy-hq-postgres.md).
 */
#include "sd-pg-private.h"

#include "sd-json.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

#include <glib/gi18n-lib.h>

gboolean
_sd_pg_share_peers (SdPgStore  *self,
                    SdStore    *identity,
                    gboolean    learn,
                    GError    **error)
{
  g_autoptr(json_t) local = _sd_sync_peers_json (identity);
  g_autoptr(json_t) missing = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *text = json_dumps (local, JSON_COMPACT);
  const char *params[] = { text };

  /* Published; then PostgreSQL's sites this copy lacks or has not revoked. */
  res = _sd_pg_query (self, _("share the deployment’s sites"),
                      "WITH p AS (INSERT INTO sync_peers AS s (site_id, peer, revoked_at)"
                      "    SELECT e ->> 'site', e - 'revoked_at', (e ->> 'revoked_at')::bigint"
                      "    FROM jsonb_array_elements ($1::jsonb) e ORDER BY 1"
                      "    ON CONFLICT (site_id) DO UPDATE SET revoked_at = least (s.revoked_at, excluded.revoked_at)"
                      "    WHERE excluded.revoked_at IS NOT NULL"
                      "      AND s.revoked_at IS DISTINCT FROM least (s.revoked_at, excluded.revoked_at))"
                      "SELECT coalesce (jsonb_agg (CASE WHEN s.revoked_at IS NULL THEN s.peer"
                      "  ELSE s.peer || jsonb_build_object ('revoked_at', s.revoked_at) END ORDER BY s.site_id), '[]')"
                      "FROM sync_peers s LEFT JOIN jsonb_array_elements ($1::jsonb) e ON e ->> 'site' = s.site_id "
                      "WHERE e IS NULL OR (s.revoked_at IS NOT NULL AND e ->> 'revoked_at' IS NULL)",
                      1, params, error);
  if (res == NULL)
    return FALSE;
  if (!learn)
    return TRUE;
  missing = json_loads (PQgetvalue (res, 0, 0), 0, NULL);
  if (missing == NULL || json_array_size (missing) == 0)
    return TRUE;
  g_debug ("pg: %zu sites learnt from the database", json_array_size (missing));
  txn = _sd_store_begin (identity, error);
  return txn != NULL && _sd_sync_learn_peers (identity, missing, error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
