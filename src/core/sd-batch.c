/* sd-batch.c: the batch file: signed, sealed, compressed operations, as a stream.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (docs/batch-format.md):
 *
 *   "SDBATCH" 0x01                      magic and container version
 *   crypto_box_seal (session key)       80 bytes: only the receiver opens it
 *   secretstream header                 24 bytes
 *   records: u32 BE length, ciphertext  XChaCha20-Poly1305 secretstream;
 *                                       the last record is empty, TAG_FINAL
 *
 * and inside, the plaintext:
 *
 *   u32 BE n, header (n bytes of JSON)  with "payload_sha256"
 *   Ed25519 signature of the header     64 bytes, crypto_sign_detached
 *   payload                             zlib: one JSON text a line
 *
 * The writer compresses the payload into a temporary file (never all in
 * memory), hashes it, then writes the header with that hash, its
 * signature and the payload, sealed.  The reader authenticates every
 * record (a flipped byte or a cut anywhere is caught), checks the
 * header's signature before reading any operation, and proves the
 * payload's hash only at its end: a caller applies inside a transaction
 * that it commits after the last operation came back.
 */
#include "sd-batch.h"
#include "sd-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#define MAGIC "SDBATCH\x01"
#define MAGIC_LEN 8
#define SEALED_LEN (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define CHUNK (64 * 1024)
/* The header, its length and signature travel in the first record. */
#define MAX_HEADER (CHUNK - 4 - crypto_sign_BYTES)
/* No operation is near this; a line without end is refused at it. */
#define MAX_LINE (1024 * 1024)

G_DEFINE_QUARK (sd-batch-error-quark, sd_batch_error)

void
sd_batch_signer_generate (SdBatchSigner *signer)
{
  crypto_sign_keypair (signer->sign_pk, signer->sign_sk);
}

void
sd_batch_receiver_generate (SdBatchReceiver *receiver)
{
  crypto_box_keypair (receiver->box_pk, receiver->box_sk);
}

static char *
to_hex (const guint8 *bytes,
        gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);

  sodium_bin2hex (hex, len * 2 + 1, bytes, len);
  return hex;
}

/* ---- writing ---- */

struct _SdBatchWriter
{
  SdBatchSigner  signer;
  guint8         receiver_pk[crypto_box_PUBLICKEYBYTES];
  GFile         *tmp;
  GFileIOStream *io;       /* tmp, open: closing it would close the payload */
  GOutputStream *payload;  /* zlib into tmp */
  GString       *pending;  /* lines not yet handed to zlib: one write a chunk, not two a line */
  guint64        count;
};

SdBatchWriter *
sd_batch_writer_new (const SdBatchSigner *signer,
                     const guint8        *receiver_pk,
                     GError             **error)
{
  GFileIOStream *io = NULL;
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  SdBatchWriter *self;
  GFile *tmp;

  g_return_val_if_fail (signer != NULL && receiver_pk != NULL, NULL);

  /* Not compressed yet sealed: in the user's own runtime folder (a
   * tmpfs under /run/user that a power cut empties), not in /tmp. */
  {
    g_autofree char *pattern = g_build_filename (g_get_user_runtime_dir (), "shelterdesk-batch-XXXXXX", NULL);
    int fd;

    g_mkdir_with_parents (g_get_user_runtime_dir (), 0700);
    fd = g_mkstemp_full (pattern, O_RDWR, 0600);

    if (fd < 0)
      {
        int saved = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write in “%s”: %s"),
                     g_get_user_runtime_dir (), g_strerror (saved));
        return NULL;
      }
    g_close (fd, NULL);
    tmp = g_file_new_for_path (pattern);
    io = g_file_open_readwrite (tmp, NULL, error);
    if (io == NULL)
      {
        g_file_delete (tmp, NULL, NULL);
        g_object_unref (tmp);
        return NULL;
      }
  }
  self = g_new0 (SdBatchWriter, 1);
  self->signer = *signer;
  memcpy (self->receiver_pk, receiver_pk, sizeof self->receiver_pk);
  self->tmp = tmp;
  self->io = io;
  self->payload = g_converter_output_stream_new (g_io_stream_get_output_stream (G_IO_STREAM (io)),
                                                 G_CONVERTER (zlib));
  self->pending = g_string_sized_new (CHUNK + 1024);
  return self;
}

gboolean
sd_batch_writer_add (SdBatchWriter *self,
                     const json_t  *operation,
                     GError       **error)
{
  g_autofree char *line = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL && self->payload != NULL, FALSE);
  g_return_val_if_fail (operation != NULL, FALSE);

  line = json_dumps (operation, JSON_COMPACT);
  if (line == NULL)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH, _("An operation could not be written."));
      return FALSE;
    }
  len = strlen (line);
  return sd_batch_writer_add_line (self, line, len, error);
}

static gboolean
flush_pending (SdBatchWriter *self,
               GError       **error)
{
  gboolean ok = g_output_stream_write_all (self->payload, self->pending->str, self->pending->len, NULL, NULL, error);

  g_string_truncate (self->pending, 0);
  return ok;
}

gboolean
sd_batch_writer_add_line (SdBatchWriter *self,
                          const char    *line,
                          gsize          length,
                          GError       **error)
{
  g_return_val_if_fail (self != NULL && self->payload != NULL, FALSE);
  g_return_val_if_fail (line != NULL && memchr (line, '\n', length) == NULL, FALSE);

  g_string_append_len (self->pending, line, (gssize) length);
  g_string_append_c (self->pending, '\n');
  self->count++;
  return self->pending->len < CHUNK || flush_pending (self, error);
}

typedef struct {
  GOutputStream                          *out;
  crypto_secretstream_xchacha20poly1305_state state;
  crypto_hash_sha256_state                written;  /* of every byte of the file */
} Sealer;

static gboolean
write_raw (Sealer        *s,
           const void    *data,
           gsize          len,
           GCancellable  *cancellable,
           GError       **error)
{
  crypto_hash_sha256_update (&s->written, data, len);
  return g_output_stream_write_all (s->out, data, len, NULL, cancellable, error);
}

static gboolean
write_record (Sealer        *s,
              const guint8  *plain,
              gsize          len,
              guint8         tag,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree guint8 *cipher = g_malloc (len + crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long cipher_len;
  guint32 be;

  crypto_secretstream_xchacha20poly1305_push (&s->state, cipher, &cipher_len, plain, len, NULL, 0, tag);
  be = GUINT32_TO_BE ((guint32) cipher_len);
  return write_raw (s, &be, sizeof be, cancellable, error) &&
         write_raw (s, cipher, cipher_len, cancellable, error);
}

GBytes *
sd_batch_writer_finish (SdBatchWriter *self,
                        json_t        *header,
                        GOutputStream *out,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(json_t) head = header;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *head_text = NULL;
  g_autofree char *signer_hex = NULL;
  g_autofree char *hash_hex = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK);
  guint8 session[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guint8 sealed[SEALED_LEN];
  guint8 ss_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  guint8 payload_hash[crypto_hash_sha256_BYTES];
  guint8 file_hash[crypto_hash_sha256_BYTES];
  guint8 signature[crypto_sign_BYTES];
  crypto_hash_sha256_state hashing;
  g_autoptr(GByteArray) first = g_byte_array_new ();
  Sealer s = { out };
  gssize got;
  guint32 be;

  g_return_val_if_fail (self != NULL && json_is_object (header), NULL);

  /* 1. The payload, complete, and its hash. */
  if (!flush_pending (self, error) || !g_output_stream_close (self->payload, cancellable, error))
    return NULL;
  g_clear_object (&self->payload);
  in = G_INPUT_STREAM (g_file_read (self->tmp, cancellable, error));
  if (in == NULL)
    return NULL;
  crypto_hash_sha256_init (&hashing);
  while ((got = g_input_stream_read (in, buffer, CHUNK, cancellable, error)) > 0)
    crypto_hash_sha256_update (&hashing, buffer, (gsize) got);
  if (got < 0)
    return NULL;
  crypto_hash_sha256_final (&hashing, payload_hash);

  /* 2. The header that names it, signed. */
  signer_hex = to_hex (self->signer.sign_pk, sizeof self->signer.sign_pk);
  hash_hex = to_hex (payload_hash, sizeof payload_hash);
  json_object_set_new (head, "format", json_integer (SD_BATCH_FORMAT));
  json_object_set_new (head, "signer", json_string (signer_hex));
  json_object_set_new (head, "payload_sha256", json_string (hash_hex));
  json_object_set_new (head, "operations", json_integer ((json_int_t) self->count));
  head_text = sd_json_to_compact (head);
  if (strlen (head_text) > MAX_HEADER)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH,
                   _("The batch’s header is too large (%zu bytes; at most %d)."), strlen (head_text), MAX_HEADER);
      return NULL;
    }
  crypto_sign_detached (signature, NULL, (const guint8 *) head_text, strlen (head_text), self->signer.sign_sk);

  /* 3. Sealed: the session key to the receiver, then the records. */
  crypto_hash_sha256_init (&s.written);
  crypto_secretstream_xchacha20poly1305_keygen (session);
  crypto_box_seal (sealed, session, sizeof session, self->receiver_pk);
  crypto_secretstream_xchacha20poly1305_init_push (&s.state, ss_header, session);
  sodium_memzero (session, sizeof session);
  if (!write_raw (&s, MAGIC, MAGIC_LEN, cancellable, error) ||
      !write_raw (&s, sealed, sizeof sealed, cancellable, error) ||
      !write_raw (&s, ss_header, sizeof ss_header, cancellable, error))
    return NULL;
  be = GUINT32_TO_BE ((guint32) strlen (head_text));
  g_byte_array_append (first, (const guint8 *) &be, sizeof be);
  g_byte_array_append (first, (const guint8 *) head_text, strlen (head_text));
  g_byte_array_append (first, signature, sizeof signature);
  if (!write_record (&s, first->data, first->len, 0, cancellable, error))
    return NULL;
  if (!g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, error))
    return NULL;
  while ((got = g_input_stream_read (in, buffer, CHUNK, cancellable, error)) > 0)
    if (!write_record (&s, buffer, (gsize) got, 0, cancellable, error))
      return NULL;
  if (got < 0 ||
      !write_record (&s, NULL, 0, crypto_secretstream_xchacha20poly1305_TAG_FINAL, cancellable, error) ||
      !g_output_stream_flush (out, cancellable, error))
    return NULL;
  crypto_hash_sha256_final (&s.written, file_hash);
  return g_bytes_new (file_hash, sizeof file_hash);
}

void
sd_batch_writer_free (SdBatchWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->payload);
  if (self->pending != NULL)
    g_string_free (self->pending, TRUE);
  g_clear_object (&self->io);
  if (self->tmp != NULL)
    {
      g_file_delete (self->tmp, NULL, NULL);
      g_object_unref (self->tmp);
    }
  sodium_memzero (&self->signer, sizeof self->signer);
  g_free (self);
}

/* ---- reading ---- */

struct _SdBatchReader
{
  GInputStream                            *in;
  crypto_secretstream_xchacha20poly1305_state state;
  gboolean                                 final;   /* the FINAL record was read */
  GByteArray                              *plain;   /* decrypted, not yet used */
  json_t                                  *header;
  guint8                                   signer[crypto_sign_PUBLICKEYBYTES];
  guint8                                   payload_hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_state                 hashing;
  GConverter                              *zlib;
  gboolean                                 inflated;  /* the decompressor finished */
  GByteArray                              *lines;     /* decompressed; from lines_at not yet returned */
  guint                                    lines_at;
  guint64                                  count;
  gboolean                                 done;
  GError                                  *failed;    /* once refused, refused for good */
};

static gboolean
damaged (GError    **error,
         const char *why)
{
  g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED,
               _("The batch is damaged (%s): it may have been cut short or changed after it was made. "
                 "Nothing from it was applied; export it again."), why);
  return FALSE;
}

static gboolean
read_exact (SdBatchReader *self,
            void          *buffer,
            gsize          len,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (self->in, buffer, len, &got, cancellable, error))
    return FALSE;
  return got == len || damaged (error, _("it ends too soon"));
}

/* One more record, decrypted onto self->plain. */
static gboolean
pull_record (SdBatchReader *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree guint8 *cipher = NULL;
  guint32 be, len;
  guint old = self->plain->len;
  unsigned long long plain_len;
  guint8 tag;

  if (self->final)
    return damaged (error, _("it ends too soon"));
  if (!read_exact (self, &be, sizeof be, cancellable, error))
    return FALSE;
  len = GUINT32_FROM_BE (be);
  if (len < crypto_secretstream_xchacha20poly1305_ABYTES || len > CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)
    return damaged (error, _("a record has an impossible length"));
  cipher = g_malloc (len);
  if (!read_exact (self, cipher, len, cancellable, error))
    return FALSE;
  g_byte_array_set_size (self->plain, old + len);
  if (crypto_secretstream_xchacha20poly1305_pull (&self->state, self->plain->data + old, &plain_len, &tag,
                                                  cipher, len, NULL, 0) != 0)
    {
      g_byte_array_set_size (self->plain, old);
      return damaged (error, _("a record does not authenticate"));
    }
  g_byte_array_set_size (self->plain, old + (guint) plain_len);
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    {
      guint8 extra;
      gsize more = 0;

      self->final = TRUE;
      if (!g_input_stream_read_all (self->in, &extra, 1, &more, cancellable, error))
        return FALSE;
      if (more != 0)
        return damaged (error, _("there is data after its end"));
    }
  return TRUE;
}

static gboolean
need (SdBatchReader *self,
      gsize          len,
      GCancellable  *cancellable,
      GError       **error)
{
  while (self->plain->len < len)
    if (!pull_record (self, cancellable, error))
      return FALSE;
  return TRUE;
}

static gboolean
read_header (SdBatchReader *self,
             GCancellable  *cancellable,
             GError       **error)
{
  guint32 be, len;
  const char *signer, *hash;
  json_t *format;

  if (!need (self, sizeof be, cancellable, error))
    return FALSE;
  memcpy (&be, self->plain->data, sizeof be);
  len = GUINT32_FROM_BE (be);
  if (len == 0 || len > MAX_HEADER)
    return damaged (error, _("its header has an impossible length"));
  if (!need (self, sizeof be + len + crypto_sign_BYTES, cancellable, error))
    return FALSE;
  self->header = sd_json_parse ((const char *) self->plain->data + sizeof be, len, 0, NULL);
  if (!json_is_object (self->header))
    return damaged (error, _("its header is not readable"));
  format = json_object_get (self->header, "format");
  if (!json_is_integer (format) || json_integer_value (format) < 1)
    return damaged (error, _("its header has no format"));
  if (json_integer_value (format) > SD_BATCH_FORMAT)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_TOO_NEW,
                   _("The batch was made by a newer ShelterDesk (batch format %d; this one reads %d). "
                     "Update ShelterDesk here to read it."), (int) json_integer_value (format), SD_BATCH_FORMAT);
      return FALSE;
    }
  signer = json_string_value (json_object_get (self->header, "signer"));
  hash = json_string_value (json_object_get (self->header, "payload_sha256"));
  if (signer == NULL || hash == NULL || strlen (signer) != 2 * sizeof self->signer ||
      strlen (hash) != 2 * sizeof self->payload_hash ||
      sodium_hex2bin (self->signer, sizeof self->signer, signer, strlen (signer), NULL, NULL, NULL) != 0 ||
      sodium_hex2bin (self->payload_hash, sizeof self->payload_hash, hash, strlen (hash), NULL, NULL, NULL) != 0 ||
      !json_is_integer (json_object_get (self->header, "operations")))
    return damaged (error, _("its header lacks the signer or the payload's hash"));
  if (crypto_sign_verify_detached (self->plain->data + sizeof be + len, self->plain->data + sizeof be, len,
                                   self->signer) != 0)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_BAD_SIGNATURE,
                   _("The batch’s signature does not match the key it names: it was forged or changed. "
                     "Nothing from it was applied."));
      return FALSE;
    }
  g_byte_array_remove_range (self->plain, 0, sizeof be + len + crypto_sign_BYTES);
  return TRUE;
}

SdBatchReader *
sd_batch_reader_new (GInputStream          *in,
                     const SdBatchReceiver *receiver,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autoptr(SdBatchReader) self = g_new0 (SdBatchReader, 1);
  guint8 magic[MAGIC_LEN];
  guint8 sealed[SEALED_LEN];
  guint8 session[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guint8 ss_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  gsize got = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in) && receiver != NULL, NULL);

  self->in = g_object_ref (in);
  self->plain = g_byte_array_new ();
  self->lines = g_byte_array_new ();
  self->zlib = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
  crypto_hash_sha256_init (&self->hashing);

  if (!g_input_stream_read_all (in, magic, sizeof magic, &got, cancellable, error))
    return NULL;
  if (got < MAGIC_LEN - 1 || memcmp (magic, MAGIC, MAGIC_LEN - 1) != 0)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH, _("This is not a ShelterDesk batch."));
      return NULL;
    }
  if (got < MAGIC_LEN || magic[MAGIC_LEN - 1] != (guint8) MAGIC[MAGIC_LEN - 1])
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_TOO_NEW,
                   _("The batch was made by a newer ShelterDesk. Update ShelterDesk here to read it."));
      return NULL;
    }
  if (!read_exact (self, sealed, sizeof sealed, cancellable, error))
    return NULL;
  if (crypto_box_seal_open (session, sealed, sizeof sealed, receiver->box_pk, receiver->box_sk) != 0)
    {
      g_set_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US,
                   _("The batch is sealed for another receiver (another HQ or kiosk), or damaged at its start: "
                     "it cannot be opened here."));
      return NULL;
    }
  if (!read_exact (self, ss_header, sizeof ss_header, cancellable, error))
    return NULL;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&self->state, ss_header, session) != 0)
    {
      sodium_memzero (session, sizeof session);
      damaged (error, _("its stream header is wrong"));
      return NULL;
    }
  sodium_memzero (session, sizeof session);
  if (!read_header (self, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

const json_t *
sd_batch_reader_get_header (SdBatchReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->header;
}

const guint8 *
sd_batch_reader_get_signer (SdBatchReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->signer;
}

/* Decompresses some of what is decrypted onto self->lines: one buffer's
 * worth at a time, so that a small payload that inflates hugely is read
 * line by line, never all at once. */
static gboolean
inflate_some (SdBatchReader *self,
              GError       **error)
{
  guint8 out[16 * 1024];
  gsize read = 0, written = 0;
  g_autoptr(GError) local = NULL;
  GConverterResult r;

  r = g_converter_convert (self->zlib, self->plain->data, self->plain->len, out, sizeof out,
                           self->final ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS, &read, &written, &local);
  if (r == G_CONVERTER_ERROR)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !self->final)
        return TRUE;  /* more records needed */
      return damaged (error, _("its operations do not decompress"));
    }
  crypto_hash_sha256_update (&self->hashing, self->plain->data, read);
  g_byte_array_remove_range (self->plain, 0, (guint) read);
  if (self->lines_at > 0 && self->lines_at * 2 >= self->lines->len)
    {
      g_byte_array_remove_range (self->lines, 0, self->lines_at);
      self->lines_at = 0;
    }
  g_byte_array_append (self->lines, out, (guint) written);
  if (self->lines->len - self->lines_at > MAX_LINE &&
      memchr (self->lines->data + self->lines_at, '\n', self->lines->len - self->lines_at) == NULL)
    return damaged (error, _("an operation is not readable"));
  if (r == G_CONVERTER_FINISHED)
    {
      self->inflated = TRUE;
      if (self->plain->len > 0)
        return damaged (error, _("there is data after its operations"));
    }
  return TRUE;
}

/* At the end of the operations: nothing may follow, and the payload
 * must be the one the header signs, with as many operations. */
static gboolean
check_end (SdBatchReader *self,
           GCancellable  *cancellable,
           GError       **error)
{
  guint8 hash[crypto_hash_sha256_BYTES];

  if (self->lines->len > self->lines_at)
    return damaged (error, _("its last operation is cut short"));
  while (!self->final)
    if (!pull_record (self, cancellable, error))
      return FALSE;
  if (self->plain->len > 0)
    return damaged (error, _("there is data after its operations"));
  crypto_hash_sha256_final (&self->hashing, hash);
  if (sodium_memcmp (hash, self->payload_hash, sizeof hash) != 0)
    return damaged (error, _("its operations are not the ones its header signs"));
  if ((json_int_t) self->count != json_integer_value (json_object_get (self->header, "operations")))
    return damaged (error, _("it holds another number of operations than its header says"));
  return TRUE;
}

static gpointer
fail (SdBatchReader *self,
      GError       **error)
{
  if (error != NULL && self->failed != NULL)
    *error = g_error_copy (self->failed);
  return NULL;
}

char *
sd_batch_reader_next_line (SdBatchReader *self,
                           gsize         *length,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL && length != NULL, NULL);

  if (self->failed != NULL)
    return fail (self, error);
  while (!self->done)
    {
      guint8 *start = self->lines->data + self->lines_at;
      guint avail = self->lines->len - self->lines_at;
      guint8 *nl = avail ? memchr (start, '\n', avail) : NULL;
      guint plain_before, lines_before;

      if (nl != NULL)
        {
          *nl = '\0';
          *length = (gsize) (nl - start);
          self->lines_at += (guint) *length + 1;
          self->count++;
          return (char *) start;
        }
      if (self->inflated)
        {
          if (!check_end (self, cancellable, &self->failed))
            return fail (self, error);
          self->done = TRUE;
          break;
        }
      plain_before = self->plain->len;
      lines_before = self->lines->len;
      if (!inflate_some (self, &self->failed))
        return fail (self, error);
      if (!self->inflated && self->lines->len == lines_before && self->plain->len == plain_before)
        {
          /* Nothing more from what is decrypted: the next record. */
          if (self->final)
            {
              damaged (&self->failed, _("its operations end too soon"));
              return fail (self, error);
            }
          if (!pull_record (self, cancellable, &self->failed))
            return fail (self, error);
        }
    }
  return NULL;
}

json_t *
sd_batch_reader_parse_line (SdBatchReader *self,
                            const char    *line,
                            gsize          length,
                            GError       **error)
{
  json_t *op;

  g_return_val_if_fail (self != NULL && line != NULL, NULL);

  op = sd_json_parse (line, length, 0, NULL);
  if (op == NULL)
    {
      if (self->failed == NULL)
        damaged (&self->failed, _("an operation is not readable"));
      return fail (self, error);
    }
  return op;
}

json_t *
sd_batch_reader_next (SdBatchReader *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  gsize length = 0;
  char *line;

  g_return_val_if_fail (self != NULL, NULL);

  line = sd_batch_reader_next_line (self, &length, cancellable, error);
  return line != NULL ? sd_batch_reader_parse_line (self, line, length, error) : NULL;
}

void
sd_batch_reader_free (SdBatchReader *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->in);
  g_clear_object (&self->zlib);
  g_clear_pointer (&self->plain, g_byte_array_unref);
  g_clear_pointer (&self->lines, g_byte_array_unref);
  g_clear_pointer (&self->header, json_decref);
  g_clear_error (&self->failed);
  g_free (self);
}
