/* test-batch.c: the batch file (sd-batch): round trips, and every kind of
 * damage refused before an operation is trusted.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-batch.h"
#include "sd-json.h"

#include <string.h>

typedef struct {
  SdBatchSigner   signer;
  SdBatchReceiver receiver;
} Keys;

static guint op_base;  /* make_batch writes operation (op_base + i) */

static json_t *
operation (guint i)
{
  return json_pack ("{s:i, s:i, s:s, s:{s:s, s:i}}", "site", 1, "seq", (json_int_t) i + 1, "tbl", "persons",
                    "fields", "2", i % 7 == 0 ? "山田 太郎" : "Zoé Martin", "13", (json_int_t) (i % 2));
}

/* A batch of N operations sealed to KEYS' receiver, as bytes. */
static GBytes *
make_batch (const Keys    *keys,
            const guint8  *receiver_pk,
            guint          n,
            GBytes       **file_hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdBatchWriter) writer = sd_batch_writer_new (&keys->signer, receiver_pk, &error);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  GBytes *hash;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(json_t) op = operation (op_base + i);
      g_assert_true (sd_batch_writer_add (writer, op, &error));
    }
  hash = sd_batch_writer_finish (writer, json_pack ("{s:s, s:i}", "origin", "0123abcd", "schema", 10), out, NULL,
                                 &error);
  g_assert_no_error (error);
  g_assert_nonnull (hash);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  if (file_hash != NULL)
    *file_hash = hash;
  else
    g_bytes_unref (hash);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Reads BYTES to the end: the number of operations, or -1 with ERROR. */
static gssize
read_batch (const Keys *keys,
            GBytes     *bytes,
            GError    **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(SdBatchReader) reader = sd_batch_reader_new (in, &keys->receiver, NULL, error);
  gssize n = 0;
  json_t *op;

  if (reader == NULL)
    return -1;
  while ((op = sd_batch_reader_next (reader, NULL, error)) != NULL)
    {
      g_autoptr(json_t) want = operation ((guint) n);

      g_assert_true (json_equal (op, want));
      json_decref (op);
      n++;
    }
  return error != NULL && *error != NULL ? -1 : n;
}

static void
test_round_trip (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hash = NULL;
  Keys keys;
  g_autoptr(GBytes) batch = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(SdBatchReader) reader = NULL;
  const json_t *header;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  batch = make_batch (&keys, keys.receiver.box_pk, n, &hash);
  g_test_message ("%u operations: %zu bytes (%.1f a operation)", n, g_bytes_get_size (batch),
                  n ? (double) g_bytes_get_size (batch) / n : 0.0);
  g_assert_cmpuint (g_bytes_get_size (hash), ==, 32);

  in = g_memory_input_stream_new_from_bytes (batch);
  reader = sd_batch_reader_new (in, &keys.receiver, NULL, &error);
  g_assert_no_error (error);
  header = sd_batch_reader_get_header (reader);
  g_assert_cmpstr (json_string_value (json_object_get (header, "origin")), ==, "0123abcd");
  g_assert_cmpint (json_integer_value (json_object_get (header, "schema")), ==, 10);
  g_assert_cmpint (json_integer_value (json_object_get (header, "operations")), ==, n);
  g_assert_cmpmem (sd_batch_reader_get_signer (reader), 32, keys.signer.sign_pk, 32);
  g_clear_pointer (&reader, sd_batch_reader_free);
  g_assert_cmpint (read_batch (&keys, batch, &error), ==, n);
  g_assert_no_error (error);
}

static void
test_another_receiver (void)
{
  g_autoptr(GError) error = NULL;
  SdBatchReceiver other;
  Keys keys;
  g_autoptr(GBytes) batch = NULL;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  sd_batch_receiver_generate (&other);
  batch = make_batch (&keys, other.box_pk, 10, NULL);
  g_assert_cmpint (read_batch (&keys, batch, &error), ==, -1);
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US);
}

static void
test_forged_signature (void)
{
  g_autoptr(GError) error = NULL;
  Keys keys, thief;
  g_autoptr(GBytes) batch = NULL;

  /* Signed with one key, naming another. */
  sd_batch_signer_generate (&keys.signer);
  sd_batch_signer_generate (&thief.signer);
  sd_batch_receiver_generate (&keys.receiver);
  memcpy (thief.signer.sign_pk, keys.signer.sign_pk, sizeof thief.signer.sign_pk);
  thief.receiver = keys.receiver;
  batch = make_batch (&thief, keys.receiver.box_pk, 10, NULL);
  g_assert_cmpint (read_batch (&keys, batch, &error), ==, -1);
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_BAD_SIGNATURE);
}

/* Cut anywhere, or one bit flipped anywhere: refused, by the opening or
 * by the last operation, never read to the end as whole. */
static void
test_damage_anywhere (void)
{
  Keys keys;
  g_autoptr(GBytes) batch = NULL;
  const guint8 *data;
  gsize size;
  guint cuts = 0, flips = 0;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  batch = make_batch (&keys, keys.receiver.box_pk, 3000, NULL);
  data = g_bytes_get_data (batch, &size);
  for (gsize at = 0; at < size; at += at < 300 ? 1 : 97)
    {
      g_autoptr(GBytes) cut = g_bytes_new (data, at);
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) flipped = NULL;

      g_assert_cmpint (read_batch (&keys, cut, &error), ==, -1);
      g_assert_true (error->domain == SD_BATCH_ERROR);
      g_clear_error (&error);
      cuts++;

      copy[at] ^= (guint8) (1u << (at % 8));
      flipped = g_bytes_new_take (g_steal_pointer (&copy), size);
      g_assert_cmpint (read_batch (&keys, flipped, &error), ==, -1);
      g_assert_true (error->domain == SD_BATCH_ERROR);
      flips++;
    }
  /* A byte more at the end. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = NULL;

    g_byte_array_append (longer, data, (guint) size);
    g_byte_array_append (longer, (const guint8 *) "x", 1);
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
    g_assert_cmpint (read_batch (&keys, bytes, &error), ==, -1);
    g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
  }
  g_test_message ("%u cuts and %u flipped bytes of a %zu-byte batch, each refused", cuts, flips, size);
}

static void
test_not_a_batch (void)
{
  Keys keys;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("name,kana\n山田,やまだ\n", 25);
  g_autoptr(GBytes) batch = NULL;
  g_autofree guint8 *copy = NULL;
  g_autoptr(GBytes) newer = NULL;
  gsize size;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  g_assert_cmpint (read_batch (&keys, text, &error), ==, -1);
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH);
  g_clear_error (&error);

  batch = make_batch (&keys, keys.receiver.box_pk, 1, NULL);
  copy = g_memdup2 (g_bytes_get_data (batch, &size), g_bytes_get_size (batch));
  copy[7] = 2;  /* a container this version does not know */
  newer = g_bytes_new_take (g_steal_pointer (&copy), size);
  g_assert_cmpint (read_batch (&keys, newer, &error), ==, -1);
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_TOO_NEW);
}

/* The plaintext of a batch (length, header, signature, payload), opened
 * as its receiver can, by the layout of docs/batch-format.md. */
static GByteArray *
open_batch (GBytes                *batch,
            const SdBatchReceiver *receiver)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (batch, &size);
  guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  crypto_secretstream_xchacha20poly1305_state state;
  GByteArray *plain = g_byte_array_new ();
  gsize at = 8;

  g_assert_cmpint (crypto_box_seal_open (key, p + at, 80, receiver->box_pk, receiver->box_sk), ==, 0);
  at += 80;
  g_assert_cmpint (crypto_secretstream_xchacha20poly1305_init_pull (&state, p + at, key), ==, 0);
  at += crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  while (at < size)
    {
      guint32 len = GUINT32_FROM_BE (*(const guint32 *) (p + at));
      guint old = plain->len;
      unsigned long long got;
      guint8 tag;

      at += 4;
      g_byte_array_set_size (plain, old + len);
      g_assert_cmpint (crypto_secretstream_xchacha20poly1305_pull (&state, plain->data + old, &got, &tag, p + at, len,
                                                                   NULL, 0), ==, 0);
      g_byte_array_set_size (plain, old + (guint) got);
      at += len;
    }
  return plain;
}

/* Seals PLAIN to RECEIVER as a writer would, in records of 64 KiB. */
static GBytes *
seal_batch (const guint8 *plain,
            gsize         len,
            const guint8 *receiver_pk)
{
  GByteArray *out = g_byte_array_new ();
  guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guint8 sealed[80], header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_state state;

  crypto_secretstream_xchacha20poly1305_keygen (key);
  crypto_box_seal (sealed, key, sizeof key, receiver_pk);
  crypto_secretstream_xchacha20poly1305_init_push (&state, header, key);
  g_byte_array_append (out, (const guint8 *) "SDBATCH\x01", 8);
  g_byte_array_append (out, sealed, sizeof sealed);
  g_byte_array_append (out, header, sizeof header);
  for (gsize at = 0; at <= len; at += 65536)
    {
      gsize n = MIN (65536, len - at);
      gboolean last = at + n == len;
      g_autofree guint8 *c = g_malloc (n + crypto_secretstream_xchacha20poly1305_ABYTES);
      unsigned long long clen;
      guint32 be;

      crypto_secretstream_xchacha20poly1305_push (&state, c, &clen, plain + at, n, NULL, 0, 0);
      be = GUINT32_TO_BE ((guint32) clen);
      g_byte_array_append (out, (const guint8 *) &be, 4);
      g_byte_array_append (out, c, (guint) clen);
      if (last)
        {
          crypto_secretstream_xchacha20poly1305_push (&state, c, &clen, NULL, 0, NULL, 0,
                                                      crypto_secretstream_xchacha20poly1305_TAG_FINAL);
          be = GUINT32_TO_BE ((guint32) clen);
          g_byte_array_append (out, (const guint8 *) &be, 4);
          g_byte_array_append (out, c, (guint) clen);
          break;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

/* A receiver can open a genuine batch and seal it again: the authenticated
 * stream then proves nothing about the sender.  A genuine signed header
 * with another payload of the same signer (or one byte of it changed)
 * must still be refused, by the hash the header signs. */
static void
test_genuine_header_other_payload (void)
{
  Keys keys;
  g_autoptr(GBytes) small = NULL;
  g_autoptr(GBytes) large = NULL;
  g_autoptr(GByteArray) a = NULL;
  g_autoptr(GByteArray) b = NULL;
  g_autoptr(GByteArray) forged = g_byte_array_new ();
  g_autoptr(GBytes) resealed = NULL;
  g_autoptr(GError) error = NULL;
  guint32 a_head, b_head;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  small = make_batch (&keys, keys.receiver.box_pk, 5, NULL);
  op_base = 1000;  /* as many operations, others */
  large = make_batch (&keys, keys.receiver.box_pk, 5, NULL);
  op_base = 0;
  a = open_batch (small, &keys.receiver);
  b = open_batch (large, &keys.receiver);
  a_head = 4 + GUINT32_FROM_BE (*(const guint32 *) a->data) + 64;
  b_head = 4 + GUINT32_FROM_BE (*(const guint32 *) b->data) + 64;

  /* Sealed again unchanged: read whole (the control). */
  resealed = seal_batch (a->data, a->len, keys.receiver.box_pk);
  g_assert_cmpint (read_batch (&keys, resealed, &error), ==, 5);
  g_assert_no_error (error);
  g_clear_pointer (&resealed, g_bytes_unref);

  /* The small batch's signed header over the large batch's operations. */
  g_byte_array_append (forged, a->data, a_head);
  g_byte_array_append (forged, b->data + b_head, b->len - b_head);
  resealed = seal_batch (forged->data, forged->len, keys.receiver.box_pk);
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (resealed);
    g_autoptr(SdBatchReader) reader = sd_batch_reader_new (in, &keys.receiver, NULL, &error);
    json_t *op;

    g_assert_no_error (error);  /* the header is genuine */
    while ((op = sd_batch_reader_next (reader, NULL, &error)) != NULL)
      json_decref (op);
    g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);  /* at the end: not the payload signed */
  }
}

/* Refused for good: asking again after a refusal never reads as "the
 * end, all proved". */
static void
test_refusal_sticks (void)
{
  Keys keys;
  g_autoptr(GBytes) batch = NULL;
  g_autofree guint8 *copy = NULL;
  g_autoptr(GBytes) flipped = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(SdBatchReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  json_t *op;
  guint seen = 0;

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  batch = make_batch (&keys, keys.receiver.box_pk, 2000, NULL);
  copy = g_memdup2 (g_bytes_get_data (batch, &size), g_bytes_get_size (batch));
  copy[size - 40] ^= 1;  /* in the last data record */
  flipped = g_bytes_new_take (g_steal_pointer (&copy), size);
  in = g_memory_input_stream_new_from_bytes (flipped);
  reader = sd_batch_reader_new (in, &keys.receiver, NULL, &error);
  g_assert_no_error (error);
  while ((op = sd_batch_reader_next (reader, NULL, &error)) != NULL)
    {
      json_decref (op);
      seen++;
    }
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
  for (int again = 0; again < 3; again++)
    {
      g_clear_error (&error);
      g_assert_null (sd_batch_reader_next (reader, NULL, &error));
      g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
    }
  g_assert_cmpuint (seen, <, 2000);
}

/* Limits: a header that would not fit its record is refused by the
 * writer (it made batches its own reader refused); a line longer than
 * any operation is refused by the reader, which never inflates it all. */
static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  Keys keys;
  g_autoptr(SdBatchWriter) writer = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *big = g_strnfill (70 * 1024, 'x');
  g_autofree char *huge = g_strnfill (2 * 1024 * 1024, 'y');

  sd_batch_signer_generate (&keys.signer);
  sd_batch_receiver_generate (&keys.receiver);
  writer = sd_batch_writer_new (&keys.signer, keys.receiver.box_pk, &error);
  g_assert_null (sd_batch_writer_finish (writer, json_pack ("{s:s}", "ranges", big), out, NULL, &error));
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH);
  g_clear_error (&error);
  g_clear_pointer (&writer, sd_batch_writer_free);

  writer = sd_batch_writer_new (&keys.signer, keys.receiver.box_pk, &error);
  {
    g_autoptr(json_t) op = json_pack ("{s:s}", "fields", huge);
    g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
    g_autoptr(GBytes) hash = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GInputStream) in = NULL;
    g_autoptr(SdBatchReader) reader = NULL;

    g_assert_true (sd_batch_writer_add (writer, op, &error));
    hash = sd_batch_writer_finish (writer, json_object (), sink, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (sink, NULL, NULL);
    bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
    in = g_memory_input_stream_new_from_bytes (bytes);
    reader = sd_batch_reader_new (in, &keys.receiver, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (sd_batch_reader_next (reader, NULL, &error));
    g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_data_func ("/batch/round-trip/empty", GUINT_TO_POINTER (0), test_round_trip);
  g_test_add_data_func ("/batch/round-trip/one", GUINT_TO_POINTER (1), test_round_trip);
  g_test_add_data_func ("/batch/round-trip/many-records", GUINT_TO_POINTER (200000), test_round_trip);
  g_test_add_func ("/batch/refused/another-receiver", test_another_receiver);
  g_test_add_func ("/batch/refused/forged-signature", test_forged_signature);
  g_test_add_func ("/batch/refused/damage-anywhere", test_damage_anywhere);
  g_test_add_func ("/batch/refused/not-a-batch", test_not_a_batch);
  g_test_add_func ("/batch/refused/for-good", test_refusal_sticks);
  g_test_add_func ("/batch/refused/genuine-header-other-payload", test_genuine_header_other_payload);
  g_test_add_func ("/batch/limits", test_limits);
  return g_test_run ();
}
