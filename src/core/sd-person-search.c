/* sd-person-search.c: finding people again: search as you type, duplicates, the enquiry desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search keys.  Each person has rows in person_keys, kept by triggers
 * (sd-migrations.c, version 2) through sd_search_keys(), which calls
 * _sd_person_search_keys() below.  A key is a one-letter kind and a
 * folded text (sd_text_fold: NFKC, hiragana to katakana, latin lower
 * case, no spaces), so that one index answers every form of the same
 * name:
 *
 *   n<name>    the whole name, and every tail of it after a space
 *   k<kana>    the same for the kana
 *   r<reading> the romaji reading (sd_text_reading) of the name and of the
 *              kana, and of their tails, where they have one: kana, and
 *              names in latin letters
 *   p<digits>  the phone number's digits; q<last four> its last four
 *   b<date>    the birth date, ISO 8601
 *   d<date><name>  the birth date and the whole name, and
 *   e<date><kana>  the same with the kana: what the duplicate check
 *              looks up, one probe each however common the name
 *
 * A search is then a few range scans on the primary key (key, person_id):
 * prefix ranges for names, kana, readings and phone digits, exact keys
 * for the last four digits and the birth date.  Nothing scans the persons
 * table.  Readings are their own kind, searched after names and kana,
 * because they are looser (おの and おおの read alike): exact matches
 * come first in the list.
 *
 * The keys stored are a function of sd_text_fold() and sd_text_reading():
 * a change to either that changes a key needs a migration step that
 * rebuilds person_keys (sd-migrations.c, version 5 did).  Making them
 * faster must not change a byte: test-search-keys-same.c compares them
 * with a frozen copy of the code that made the keys already stored.
 */
#include "sd-date.h"
#include "sd-json.h"
#include "sd-person-private.h"
#include "sd-store-private.h"
#include "sd-text.h"
#include "sd-text-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Greater than any UTF-8 text that starts with the same prefix. */
#define PREFIX_END "\xf4\x8f\xbf\xbf"

/* Each key once: a romaji name and its kana have the same reading.  A
 * person has some ten keys, so a look along them is quicker than a hash
 * table; only name, kana and reading keys are added here, before the
 * others, whose kinds differ anyway. */
static void
add_key (GPtrArray   *keys,
         char         kind,
         const char  *text)
{
  gsize len = strlen (text);
  char *key;

  for (guint i = 0; i < keys->len; i++)
    {
      const char *known = g_ptr_array_index (keys, i);

      if (known[0] == kind && strcmp (known + 1, text) == 0)
        return;
    }
  key = g_malloc (len + 2);
  key[0] = kind;
  memcpy (key + 1, text, len + 1);
  g_ptr_array_add (keys, key);
}

/* The keys of a name or a kana: every tail of it (after a space) folded,
 * and the reading of each.  Returns the fold of the whole, which the
 * duplicate check's key is made of, or NULL.
 *
 * The text is tidied once, and the tails folded from the tidy text: the
 * same keys as folding each tail from scratch (which tidies it again)
 * wherever the tidy text is a fixed point of sd_text_tidy(), which is
 * what _sd_text_tidy_is_fixed() checks; elsewhere the tails are folded
 * from scratch, as they always were.  test-search-keys-same.c holds the
 * keys to the bytes the old code made. */
static char *
add_name_keys (GPtrArray   *keys,
               char         kind,
               const char  *text)
{
  g_autofree char *tidy = sd_text_tidy (text);
  char *whole = NULL;
  gboolean fixed;

  if (tidy == NULL)
    return NULL;

  /* Every tail of the name is searched too: "太郎" finds 山田 太郎,
   * "van an" finds NGUYEN VAN AN, "taro" finds やまだ たろう.  Tidy
   * text has no space at either end and never two in a row. */
  fixed = _sd_text_tidy_is_fixed (tidy);
  for (const char *tail = tidy, *space = NULL; tail != NULL; tail = space != NULL ? space + 1 : NULL)
    {
      char *folded;
      g_autofree char *reading = NULL;

      space = strchr (tail, ' ');
      folded = fixed ? _sd_text_fold_tidy (tail) : sd_text_fold (tail);
      if (folded == NULL)
        continue;
      add_key (keys, kind, folded);
      reading = _sd_text_reading_of_fold (folded);
      if (reading != NULL)
        add_key (keys, 'r', reading);
      if (tail == tidy)
        whole = folded;
      else
        g_free (folded);
    }
  return whole;
}

/* The duplicate check's key: KIND ('d' for the name, 'e' for the kana),
 * the ISO birth date, and the whole TEXT folded; NULL without either. */
static char *
duplicate_key (char        kind,
               const char *birth_date,
               const char *text)
{
  g_autofree char *tidy = sd_text_tidy (text);
  g_autofree char *folded = tidy != NULL ? sd_text_fold (tidy) : NULL;

  if (folded == NULL || birth_date == NULL || *birth_date == '\0')
    return NULL;
  return g_strdup_printf ("%c%s%s", kind, birth_date, folded);
}

GPtrArray *
_sd_person_search_key_list (const char *name,
                            const char *kana,
                            const char *phone,
                            const char *birth_date)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_full (16, g_free);
  g_autofree char *digits = sd_text_phone_digits (phone);
  g_autofree char *name_fold = NULL;
  g_autofree char *kana_fold = NULL;
  gboolean has_birth = birth_date != NULL && *birth_date != '\0';

  name_fold = add_name_keys (keys, 'n', name);
  kana_fold = add_name_keys (keys, 'k', kana);
  if (digits != NULL)
    {
      gsize n_digits = strlen (digits);

      g_ptr_array_add (keys, g_strconcat ("p", digits, NULL));
      if (n_digits >= 4)
        g_ptr_array_add (keys, g_strconcat ("q", digits + n_digits - 4, NULL));
    }
  if (has_birth)
    g_ptr_array_add (keys, g_strconcat ("b", birth_date, NULL));
  /* duplicate_key()'s keys, from the folds made already. */
  if (has_birth && name_fold != NULL)
    g_ptr_array_add (keys, g_strconcat ("d", birth_date, name_fold, NULL));
  if (has_birth && kana_fold != NULL)
    g_ptr_array_add (keys, g_strconcat ("e", birth_date, kana_fold, NULL));
  return g_steal_pointer (&keys);
}

char *
_sd_person_search_keys (const char *name,
                        const char *kana,
                        const char *phone,
                        const char *birth_date)
{
  g_autoptr(GPtrArray) list = _sd_person_search_key_list (name, kana, phone, birth_date);
  g_autoptr(json_t) keys = json_array ();

  for (guint i = 0; i < list->len; i++)
    json_array_append_new (keys, sd_json_text (g_ptr_array_index (list, i)));
  return sd_json_to_compact (keys);
}

typedef struct {
  char *from;
  char *to;  /* NULL: the key must equal FROM */
} KeyRange;

static void
key_range_clear (KeyRange *r)
{
  g_free (r->from);
  g_free (r->to);
}

static void
add_prefix (GArray     *ranges,
            char        kind,
            const char *text)
{
  KeyRange r = { g_strdup_printf ("%c%s", kind, text), g_strdup_printf ("%c%s" PREFIX_END, kind, text) };
  g_array_append_val (ranges, r);
}

static void
add_exact (GArray     *ranges,
           char        kind,
           const char *text)
{
  KeyRange r = { g_strdup_printf ("%c%s", kind, text), NULL };
  g_array_append_val (ranges, r);
}

static gboolean
looks_like_phone (const char *folded)
{
  for (const char *c = folded; *c; c++)
    if (!g_ascii_isdigit (*c) && *c != '-' && *c != '(' && *c != ')' && *c != '+')
      return FALSE;
  return TRUE;
}

/* Which key ranges a query asks for (see the comment at the top). */
static GArray *
query_ranges (const char *query)
{
  GArray *ranges = g_array_new (FALSE, TRUE, sizeof (KeyRange));
  g_autofree char *folded = sd_text_fold (query);
  g_autofree char *date = NULL;

  g_array_set_clear_func (ranges, (GDestroyNotify) key_range_clear);
  if (folded == NULL)
    return ranges;

  if (looks_like_phone (folded))
    {
      g_autofree char *digits = sd_text_phone_digits (folded);

      if (digits != NULL)
        {
          add_prefix (ranges, 'p', digits);
          if (strlen (digits) == 4)
            add_exact (ranges, 'q', digits);
        }
    }
  else
    {
      g_autofree char *reading = sd_text_reading (query);

      add_prefix (ranges, 'n', folded);
      add_prefix (ranges, 'k', folded);
      /* "yamada" finds やまだ, "やまだ" finds Yamada Ken. */
      if (reading != NULL)
        add_prefix (ranges, 'r', reading);
    }

  /* 19500106, S25.1.6 and 昭和25年1月6日 are dates as well as text. */
  date = sd_date_parse_iso (query, NULL, NULL);
  if (date != NULL)
    add_exact (ranges, 'b', date);
  return ranges;
}

static GListModel *
persons_from_ids (SdStore    *store,
                  GPtrArray  *ids,
                  gboolean    consented_only,
                  GError    **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_PERSON);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SdPerson) person = sd_store_get_person (store, g_ptr_array_index (ids, i), error);

      if (person == NULL)
        return NULL;
      /* A record merged into another is closed: the one kept is found. */
      if ((consented_only && !sd_person_get_consent_disclose (person)) || sd_person_get_merged_into (person) != NULL)
        continue;
      g_list_store_append (list, person);
    }
  return G_LIST_MODEL (g_steal_pointer (&list));
}

static GPtrArray *
search_ids (SdStore     *store,
            const char  *query,
            guint        limit,
            GError     **error)
{
  g_autoptr(GArray) ranges = query_ranges (query);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint r = 0; r < ranges->len && ids->len < limit; r++)
    {
      KeyRange *range = &g_array_index (ranges, KeyRange, r);
      sqlite3_stmt *stmt;
      int rc;

      stmt = range->to != NULL
        ? _sd_store_prepare (store, "SELECT person_id FROM person_keys WHERE key >= ?1 AND key < ?2 "
                                    "ORDER BY key LIMIT ?3", error)
        : _sd_store_prepare (store, "SELECT person_id FROM person_keys WHERE key = ?1 LIMIT ?3", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, range->from, -1, SQLITE_TRANSIENT);
      if (range->to != NULL)
        sqlite3_bind_text (stmt, 2, range->to, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, limit);

      while (ids->len < limit && (rc = _sd_store_step (store, stmt, _("search"), error)) == SQLITE_ROW)
        {
          const char *id = _sd_column_text (stmt, 0);

          if (g_hash_table_add (seen, g_strdup (id)))
            g_ptr_array_add (ids, g_strdup (id));
        }
      sqlite3_reset (stmt);
      if (error != NULL && *error != NULL)
        return NULL;
    }
  return g_steal_pointer (&ids);
}

/**
 * sd_store_search_persons:
 * @limit: the most results wanted (a list a person reads: 50 is plenty)
 *
 * Returns: (transfer full): matching #SdPerson, names before kana before
 *   phone numbers before birth dates, each in key order; or %NULL
 */
GListModel *
sd_store_search_persons (SdStore     *store,
                         const char  *query,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    return G_LIST_MODEL (g_list_store_new (SD_TYPE_PERSON));
  ids = search_ids (store, query, limit > 0 ? limit : 50, error);
  if (ids == NULL)
    return NULL;
  return persons_from_ids (store, ids, FALSE, error);
}

GListModel *
sd_store_enquire (SdStore     *store,
                  const char  *query,
                  GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  if (query == NULL || !g_utf8_validate (query, -1, NULL))
    return G_LIST_MODEL (g_list_store_new (SD_TYPE_PERSON));
  ids = search_ids (store, query, 200, error);
  if (ids == NULL)
    return NULL;
  return persons_from_ids (store, ids, TRUE, error);
}

static gboolean
same_folded (const char *a,
             const char *b)
{
  g_autofree char *fa = sd_text_fold (a);
  g_autofree char *fb = sd_text_fold (b);

  return fa != NULL && g_strcmp0 (fa, fb) == 0;
}

/**
 * sd_store_find_duplicates:
 * @household_address: (nullable): the household's address, for a member
 *   who has none of their own
 *
 * Never merges anything: it only lists who a person may be, for the
 * volunteer to decide.
 *
 * Returns: (transfer full): possible duplicates (#SdPerson), or %NULL
 */
GListModel *
sd_store_find_duplicates (SdStore             *store,
                          const SdPersonSpec  *spec,
                          const char          *household_address,
                          gboolean            *out_capped,
                          GError             **error)
{
  g_autofree char *name_key = NULL;
  g_autofree char *kana_key = NULL;
  guint examined = 0;
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_PERSON);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *birth = NULL;
  const char *address = spec->address && *spec->address ? spec->address : household_address;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (out_capped != NULL)
    *out_capped = FALSE;
  /* Both rules need the birth date: without it, a common name alone
   * would flag half the town. */
  birth = spec->birth_date ? sd_date_parse_iso (spec->birth_date, NULL, NULL) : NULL;
  if (birth == NULL)
    return G_LIST_MODEL (g_steal_pointer (&list));

  /* The candidates are the people born that day with the same whole name
   * or kana: one probe each of the (key, person) primary key for the keys
   * made of both (d<date><name>, e<date><kana>), however many namesakes
   * or people born that day a city of a million has, so only the few who
   * share both are read.  The names are then compared here (a kana match
   * also needs the same address).  At most SD_DUPLICATES_EXAMINED are
   * read; more than that (a placeholder birth date and name given to
   * many) is said, so the desk can tell the volunteer. */
  name_key = duplicate_key ('d', birth, spec->name);
  kana_key = duplicate_key ('e', birth, spec->kana);
  stmt = _sd_store_prepare (store,
                            SD_PERSON_SELECT "WHERE p.id IN (SELECT person_id FROM person_keys WHERE key IN (?1, ?2)) "
                            "AND p.merged_into IS NULL ORDER BY p.created_at LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, name_key);
  _sd_bind_text (stmt, 2, kana_key);
  sqlite3_bind_int (stmt, 3, SD_DUPLICATES_EXAMINED + 1);

  while ((rc = _sd_store_step (store, stmt, _("look for duplicates"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdPerson) person = NULL;

      if (++examined > SD_DUPLICATES_EXAMINED)
        {
          if (out_capped != NULL)
            *out_capped = TRUE;
          continue;
        }
      person = _sd_person_new_from_row (stmt);
      gboolean same_name = same_folded (sd_person_get_name (person), spec->name);
      gboolean same_kana_and_address = same_folded (sd_person_get_kana (person), spec->kana) &&
                                        same_folded (sd_person_get_address (person), address);

      /* Found by the kana alone: that needs the same address too. */
      if (g_strcmp0 (sd_person_get_id (person), spec->existing_id) == 0 ||
          !(same_name || same_kana_and_address))
        continue;
      if (g_hash_table_add (seen, (gpointer) g_intern_string (sd_person_get_id (person))))
        g_list_store_append (list, person);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}
