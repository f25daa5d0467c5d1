/* sd-qr.h: the QR codes ShelterDesk makes and reads: evacuee cards and pre-registrations.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both payloads are plain text in the QR alphanumeric set, upper-case
 * letters and digits only, so that a keyboard-wedge scanner types them the
 * same on a Japanese (JIS) and a US keyboard layout.  docs/qr-format.md is
 * the format's reference:
 *
 *   "SDC1" + BASE32 (key id 4 | person 16 | site 16 | issued 4 | Ed25519 signature 64)
 *       an evacuee card, signed with the deployment's card key, so any kiosk
 *       of the same deployment checks it offline;
 *   "SDP1" + BASE32 (zlib (JSON))
 *       a household's own pre-registration, unsigned: it only fills the
 *       intake form, which a volunteer confirms with the people.
 *
 * The card key (an Ed25519 key pair) is the deployment's: made on the
 * first card a database issues, copied to the other kiosks with
 * sd_store_export_card_key() / sd_store_import_card_key().  A database
 * keeps every key it has known, so cards issued before an import still
 * verify.
 */
#pragma once

#include <cairo.h>

#include "sd-person.h"

G_BEGIN_DECLS

#define SD_QR_ERROR (sd_qr_error_quark ())

typedef enum {
  SD_QR_ERROR_NOT_OURS,        /* not a ShelterDesk code at all */
  SD_QR_ERROR_PARTIAL,         /* only the start of a code was read */
  SD_QR_ERROR_NEWER,           /* a format this build does not know */
  SD_QR_ERROR_FOREIGN,         /* signed with a key this deployment does not have */
  SD_QR_ERROR_FORGED,          /* the signature does not match: altered or forged */
  SD_QR_ERROR_UNKNOWN_PERSON,  /* genuine, but the person is not in this database */
  SD_QR_ERROR_INVALID,         /* a pre-registration whose content is not acceptable */
  SD_QR_ERROR_TOO_LARGE,       /* more than one code can carry */
  SD_QR_ERROR_NO_KEY,          /* this database has no card key to sign with */
} SdQrError;

GQuark sd_qr_error_quark (void);

typedef enum {
  SD_QR_KIND_UNKNOWN,
  SD_QR_KIND_CARD,    /* "SDC…": an evacuee card */
  SD_QR_KIND_PREREG,  /* "SDP…": a pre-registration */
} SdQrKind;

/* What the prefix says TEXT is, without checking the rest. */
SdQrKind  sd_qr_kind_of             (const char  *text);

/* ---- evacuee cards ---- */

#define SD_QR_CARD_PREFIX   "SDC1"
#define SD_QR_CARD_BYTES    104   /* decoded body, signature included */
#define SD_QR_CARD_TEXT_LEN 171   /* prefix + base32 of the body */

typedef struct {
  guint32 key_id;        /* which card key signed it */
  char    person_id[37]; /* UUID, text form */
  char    site_id[33];   /* the issuing site, 32 hex digits */
  gint64  issued_at;     /* Unix seconds */
} SdQrCard;

/* Parses a card's text (no signature check: that needs the keys).
 * SIGNED_LEN receives how many leading bytes of RAW the signature covers.
 * For fuzzing and for sd_store_verify_card(). */
gboolean  sd_qr_card_parse          (const char  *text,
                                     SdQrCard    *out_card,
                                     guint8       out_raw[SD_QR_CARD_BYTES],
                                     GError     **error);

/* The card text for PERSON_ID, signed with this database's card key
 * (made now if there is none yet). */
char     *sd_store_issue_card       (SdStore     *store,
                                     const char  *person_id,
                                     GError     **error);
/* Checks TEXT: ours, whole, of a known key, genuine.  The person need
 * not be in this database (SD_QR_ERROR_UNKNOWN_PERSON is the caller's). */
gboolean  sd_store_verify_card      (SdStore     *store,
                                     const char  *text,
                                     SdQrCard    *out_card,
                                     GError     **error);

/* The card key in use: its 8-hex-digit id, or NULL when there is none. */
char     *sd_store_get_card_key_id  (SdStore     *store);
/* The key as a small JSON document; with WITH_SECRET the signing seed
 * is included, for another kiosk of the same deployment.  Creates the
 * key first when there is none. */
char     *sd_store_export_card_key  (SdStore     *store,
                                     gboolean     with_secret,
                                     GError     **error);
/* Adds the key in JSON; with a secret, it becomes the one cards are
 * issued with from now on.  Returns the key id. */
char     *sd_store_import_card_key  (SdStore     *store,
                                     const char  *json,
                                     GError     **error);

typedef struct {
  char     key_id[9];   /* 8 hex digits */
  gboolean current;     /* new cards are signed with it */
  gboolean has_secret;  /* this database may issue cards with it */
  gint64   added_at;    /* Unix ms */
} SdCardKeyInfo;

/* Every card key this database knows, the current one first. */
GArray   *sd_store_list_card_keys   (SdStore     *store,
                                     GError     **error);
/* Forgets a key, so cards signed with it are refused from now on: after
 * a kiosk with the secret is lost, import a new key everywhere, then
 * remove the old one.  The current key cannot be removed. */
gboolean  sd_store_remove_card_key  (SdStore     *store,
                                     const char  *key_id,
                                     GError     **error);

/* ---- pre-registration ---- */

#define SD_QR_PREREG_PREFIX   "SDP1"
#define SD_QR_PREREG_MAX_TEXT 1600  /* keeps the code at version 25 or less */
#define SD_QR_PREREG_MAX_MEMBERS 10

typedef struct _SdPrereg SdPrereg;

/* From the documented JSON (docs/qr-format.md): a household and its members. */
SdPrereg *sd_prereg_new_from_json   (const char  *json,
                                     gssize       length,
                                     GError     **error);
/* From a scanned "SDP1…" text. */
SdPrereg *sd_prereg_new_from_text   (const char  *text,
                                     GError     **error);
char     *sd_prereg_to_text         (SdPrereg    *self,
                                     GError     **error);
char     *sd_prereg_to_json         (SdPrereg    *self);
/* Borrowed; strings live as long as SELF.  shelter_id, check_in and
 * staff_id are never set: the desk decides those. */
const SdHouseholdSpec *sd_prereg_get_household (SdPrereg *self);
const SdPersonSpec    *sd_prereg_get_members   (SdPrereg *self,
                                                guint    *n_members);
void      sd_prereg_free            (SdPrereg    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdPrereg, sd_prereg_free)

/* ---- drawing ---- */

typedef struct _SdQrMatrix SdQrMatrix;

/* The modules of TEXT's QR code (error correction level M). */
SdQrMatrix *sd_qr_matrix_new        (const char  *text,
                                     GError     **error);
guint       sd_qr_matrix_get_width  (SdQrMatrix  *self);  /* modules, no quiet zone */
gboolean    sd_qr_matrix_get        (SdQrMatrix  *self,
                                     guint        x,
                                     guint        y);
/* Draws the code with its 4-module quiet zone into the square at X, Y
 * of side SIZE (user units), black on white. */
void        sd_qr_matrix_draw       (SdQrMatrix  *self,
                                     cairo_t     *cr,
                                     double       x,
                                     double       y,
                                     double       size);
void        sd_qr_matrix_free       (SdQrMatrix  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdQrMatrix, sd_qr_matrix_free)

/* TEXT as a PNG: MODULE_PX pixels a module, with the quiet zone. */
gboolean    sd_qr_write_png         (const char  *text,
                                     guint        module_px,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
