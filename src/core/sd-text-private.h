/* sd-text-private.h: the steps of sd_text_fold() and sd_text_reading(), for search keys made in bulk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's search keys fold every tail of a name (sd-person-search.c).
 * Tidying is the costly step (NFKC), so the keys tidy the name once and
 * fold the tails of the tidy text, which gives the same keys only where
 * the tidy text is a fixed point of sd_text_tidy(): see
 * _sd_text_tidy_is_fixed().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether sd_text_tidy() gives TIDY back unchanged, and the same for
 * every tail of TIDY that starts after one of its spaces: TRUE when TIDY,
 * itself made by sd_text_tidy(), has only characters that NFKC leaves as
 * they are whatever stands around them.  When FALSE (rare: NFKC's output
 * with combining marks, or an invisible removed between two characters
 * that then compose), fold each tail with sd_text_fold() instead. */
gboolean  _sd_text_tidy_is_fixed   (const char *tidy);

/* sd_text_fold() of text that sd_text_tidy() gives back unchanged. */
char     *_sd_text_fold_tidy       (const char *tidy);

/* sd_text_reading() of the text whose sd_text_fold() is FOLDED (nullable). */
char     *_sd_text_reading_of_fold (const char *folded);

G_END_DECLS
