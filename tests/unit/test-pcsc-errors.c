/* test-pcsc-errors.c: what PC/SC's return codes become, on Linux (pcsc-lite) and Windows (WinSCard).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The codes are written as numbers, as Windows documents them, so the
 * test also proves that the headers of both systems agree with them.
 */
#include "sd-card-reader-private.h"
#include "sd-card.h"

#include <string.h>

typedef struct {
  unsigned long rc;
  const char   *name;
  int           code;  /* SdCardError, or -1 for success */
} Case;

static const Case cases[] = {
  { 0x00000000UL, "SCARD_S_SUCCESS", -1 },
  { 0x8010001DUL, "SCARD_E_NO_SERVICE", SD_CARD_ERROR_NO_READER },
  { 0x8010001EUL, "SCARD_E_SERVICE_STOPPED", SD_CARD_ERROR_NO_READER },
  { 0x8010002EUL, "SCARD_E_NO_READERS_AVAILABLE", SD_CARD_ERROR_NO_READER },
  { 0x80100009UL, "SCARD_E_UNKNOWN_READER", SD_CARD_ERROR_NO_READER },
  { 0x80100003UL, "SCARD_E_INVALID_HANDLE", SD_CARD_ERROR_NO_READER },
  { 0x8010000BUL, "SCARD_E_SHARING_VIOLATION", SD_CARD_ERROR_NO_READER },
  { 0x8010000CUL, "SCARD_E_NO_SMARTCARD", SD_CARD_ERROR_NO_CARD },
  { 0x8010000AUL, "SCARD_E_TIMEOUT", SD_CARD_ERROR_NO_CARD },
  { 0x80100069UL, "SCARD_W_REMOVED_CARD", SD_CARD_ERROR_REMOVED },
  { 0x80100068UL, "SCARD_W_RESET_CARD", SD_CARD_ERROR_REMOVED },
  { 0x80100016UL, "SCARD_E_NOT_TRANSACTED", SD_CARD_ERROR_REMOVED },
  { 0x80100066UL, "SCARD_W_UNRESPONSIVE_CARD", SD_CARD_ERROR_REMOVED },
  { 0x80100067UL, "SCARD_W_UNPOWERED_CARD", SD_CARD_ERROR_REMOVED },
  { 0x80100017UL, "SCARD_E_READER_UNAVAILABLE", SD_CARD_ERROR_REMOVED },
  { 0x80100002UL, "SCARD_E_CANCELLED", SD_CARD_ERROR_CANCELLED },
  { 0x80100004UL, "SCARD_E_INVALID_PARAMETER", SD_CARD_ERROR_PROTOCOL },
#ifdef G_OS_WIN32
  /* The service's pipe broken (it stopped with the last reader). */
  { 0x8007006DUL, "HRESULT_FROM_WIN32 (ERROR_BROKEN_PIPE)", SD_CARD_ERROR_NO_READER },
  { 0x0000006DUL, "ERROR_BROKEN_PIPE", SD_CARD_ERROR_NO_READER },
#endif
};

/* CODE as the platform's LONG carries it: 32 bits on Windows (so
 * negative), a 64-bit long with pcsc-lite (so positive). */
static long
as_long (unsigned long code)
{
  return sizeof (long) == 4 ? (long) (gint32) (guint32) code : (long) code;
}

static void
test_codes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = _sd_pcsc_set_error (as_long (cases[i].rc), &error);

      g_test_message ("%s", cases[i].name);
      if (cases[i].code < 0)
        {
          g_assert_true (ok);
          g_assert_no_error (error);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, SD_CARD_ERROR, cases[i].code);
      /* A message a volunteer can act on: a sentence, never just a number. */
      g_assert_cmpuint (strlen (error->message), >, 30);
    }
}

/* An unknown code is shown, so that a helpdesk can look it up. */
static void
test_unknown_code_shown (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (_sd_pcsc_set_error (as_long (0x80100004UL), &error));
  g_assert_nonnull (strstr (error->message, "80100004"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pcsc/codes", test_codes);
  g_test_add_func ("/pcsc/unknown-code-shown", test_unknown_code_shown);
  return g_test_run ();
}
