/* sd-batch.h: the batch file: signed, sealed, compressed operations, as a stream.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The container of sync (issue 14), documented for other systems in
 * docs/batch-format.md.  This layer knows nothing of the database: it
 * writes a header (a JSON object the caller fills, to which it adds the
 * payload's hash and count), signs it with the sending site's Ed25519
 * key, compresses the operations (one JSON text each) and seals the whole
 * to the receiver's X25519 key, as a stream; and it reads one back,
 * refusing anything damaged, truncated, forged or sealed to someone else
 * before the caller has applied a single operation.
 */
#pragma once

#include <gio/gio.h>
#include <jansson.h>
#include <sodium.h>

G_BEGIN_DECLS

#define SD_BATCH_ERROR (sd_batch_error_quark ())
GQuark sd_batch_error_quark (void);

typedef enum {
  SD_BATCH_ERROR_NOT_A_BATCH,    /* not a ShelterDesk batch at all */
  SD_BATCH_ERROR_NOT_FOR_US,     /* sealed to another receiver's key */
  SD_BATCH_ERROR_DAMAGED,        /* truncated, or changed after it was made */
  SD_BATCH_ERROR_BAD_SIGNATURE,  /* not signed by the key it names */
  SD_BATCH_ERROR_TOO_NEW,        /* a format this ShelterDesk does not know */
} SdBatchError;

#define SD_BATCH_FORMAT 1

/* Keys: a site signs with its Ed25519 secret key; a receiver opens with
 * its X25519 key pair (crypto_box). */
typedef struct {
  guint8 sign_pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sign_sk[crypto_sign_SECRETKEYBYTES];
} SdBatchSigner;

typedef struct {
  guint8 box_pk[crypto_box_PUBLICKEYBYTES];
  guint8 box_sk[crypto_box_SECRETKEYBYTES];
} SdBatchReceiver;

void sd_batch_signer_generate   (SdBatchSigner   *signer);
void sd_batch_receiver_generate (SdBatchReceiver *receiver);

typedef struct _SdBatchWriter SdBatchWriter;

SdBatchWriter *sd_batch_writer_new    (const SdBatchSigner *signer,
                                       const guint8        *receiver_pk,
                                       GError             **error);
gboolean       sd_batch_writer_add    (SdBatchWriter       *writer,
                                       const json_t        *operation,
                                       GError             **error);
/* The same, for an operation already written as one line of compact
 * JSON (LENGTH bytes, no newline). */
gboolean       sd_batch_writer_add_line (SdBatchWriter     *writer,
                                       const char          *line,
                                       gsize                length,
                                       GError             **error);
/* HEADER (stolen) gets "format", "signer", "payload_sha256",
 * "operations" added; the batch is written to OUT, which is not closed.
 * Returns the SHA-256 of the bytes written (32), for the next batch's
 * "prev" link. */
GBytes        *sd_batch_writer_finish (SdBatchWriter       *writer,
                                       json_t              *header,
                                       GOutputStream       *out,
                                       GCancellable        *cancellable,
                                       GError             **error);
void           sd_batch_writer_free   (SdBatchWriter       *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBatchWriter, sd_batch_writer_free)

typedef struct _SdBatchReader SdBatchReader;

/* Opens IN, checks it is sealed to RECEIVER, reads the header and checks
 * its signature by the key it names (the caller decides whether that key
 * may send).  Nothing of the payload is trusted yet. */
SdBatchReader *sd_batch_reader_new    (GInputStream          *in,
                                       const SdBatchReceiver *receiver,
                                       GCancellable          *cancellable,
                                       GError               **error);
const json_t  *sd_batch_reader_get_header (SdBatchReader     *reader);
const guint8  *sd_batch_reader_get_signer (SdBatchReader     *reader);
/* The next operation, or NULL at the end (and *error unset): only then
 * has the whole payload been proved to be the one the header signs, so
 * apply operations in a transaction committed after the NULL. */
json_t        *sd_batch_reader_next   (SdBatchReader         *reader,
                                       GCancellable          *cancellable,
                                       GError               **error);
/* The same, as the line's text without its newline (LENGTH bytes and a
 * NUL, owned by READER until the next call, which the caller may write
 * in), for a caller that reads operations itself; a line it cannot read
 * goes to sd_batch_reader_parse_line (), which says so as the reader
 * does. */
char          *sd_batch_reader_next_line (SdBatchReader      *reader,
                                       gsize                 *length,
                                       GCancellable          *cancellable,
                                       GError               **error);
json_t        *sd_batch_reader_parse_line (SdBatchReader     *reader,
                                       const char            *line,
                                       gsize                  length,
                                       GError               **error);
void           sd_batch_reader_free   (SdBatchReader         *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBatchReader, sd_batch_reader_free)

G_END_DECLS
