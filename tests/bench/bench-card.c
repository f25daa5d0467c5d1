/* bench-card.c: from a card on the reader to the filled intake form, against bare PC/SC doing the same APDUs.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Through the real pcscd and vpcd, with the emulated card present (under
 * Xvfb, because the form is a real widget).  Each run is the desk's own
 * path: probe (connect, select the application, tries) then read
 * (VERIFY, EF 0002) on GTask worker threads, then filling a member form.
 * The typing of the PIN is not counted.  The floor is the same 6 APDUs
 * sent with SCardConnect/SCardTransmit and nothing else, in the same run,
 * on a PC/SC context made once, as SdCardReader keeps its own for its
 * whole life (a floor that made and released a context every run would
 * pay pcscd a round trip ShelterDesk does not).  200 runs, so that p95
 * is a measured sample and not the second-worst of 30.  Prints a table;
 * never asserts on time.
 */
#include <gtk/gtk.h>
#include <winscard.h>

#include "sd-card-fixture.h"
#include "sd-member-form.h"

#define RUNS 200

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, cmp);
  return v[n / 2];
}

static double
p95 (double *v, int n)
{
  qsort (v, n, sizeof *v, cmp);
  return v[(int) (n * 0.95)];
}

/* The floor: the same APDUs, bare, on CONTEXT. */
static double
bare_pcsc (SCARDCONTEXT context)
{
  static const guint8 apdus[][32] = {
    { 0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08 },
    { 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x11 },
    { 0x00, 0x20, 0x00, 0x80 },
    { 0x00, 0x20, 0x00, 0x80, 0x04, '4', '8', '2', '6' },
    { 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x02 },
    { 0x00, 0xB0, 0x00, 0x00, 0x00 },
  };
  static const gsize lens[] = { 15, 7, 4, 9, 7, 5 };
  SCARDHANDLE handle;
  DWORD protocol;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (SCardConnect (context, "Virtual PCD 00 00", SCARD_SHARE_SHARED,
                                 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle, &protocol), ==, SCARD_S_SUCCESS);
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      guint8 r[260];
      DWORD got = sizeof r;

      g_assert_cmpint (SCardTransmit (handle, SCARD_PCI_T1, apdus[i], lens[i], NULL, r, &got), ==, SCARD_S_SUCCESS);
    }
  SCardDisconnect (handle, SCARD_RESET_CARD);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int argc, char *argv[])
{
  g_autofree char *skip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = NULL;
  double total[RUNS], apdu[RUNS], overhead[RUNS], floor_ms[RUNS];
  guint max_apdus = 0;
  SCARDCONTEXT context;
  GPid card;

  gtk_init ();
  if (!sd_card_fixture_pcscd_start (&skip))
    {
      g_print ("card benchmark skipped: %s\n", skip);
      return 0;
    }
  card = sd_card_fixture_put_card (SD_VPCD_PORT_0, NULL, NULL);
  reader = sd_card_reader_new_from_spec ("pcsc", &error);
  g_assert_no_error (error);
  g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context), ==, SCARD_S_SUCCESS);

  for (int i = 0; i < RUNS; i++)
    {
      SdCardTimings probe = { 0 }, read = { 0 };
      g_autoptr(SdCardFacts) facts = NULL;
      SdMemberForm *form = g_object_ref_sink (sd_member_form_new (1));
      SdPersonSpec spec = { 0 };
      gint64 start = g_get_monotonic_time ();

      g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, &probe, &error), ==, 3);
      facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, &read, &error);
      g_assert_no_error (error);
      spec.name = facts->name;
      spec.birth_date = facts->birth_date;
      spec.sex = facts->sex;
      spec.address = facts->address;
      sd_member_form_fill (form, &spec);
      total[i] = (g_get_monotonic_time () - start) / 1000.0;
      apdu[i] = (probe.apdu_usec + read.apdu_usec) / 1000.0;
      overhead[i] = total[i] - apdu[i];
      max_apdus = MAX (max_apdus, probe.n_apdus + read.n_apdus);
      g_object_unref (form);

      floor_ms[i] = bare_pcsc (context);
    }
  SCardReleaseContext (context);
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
  sd_card_fixture_pcscd_stop ();

  {
    double t50 = median (total, RUNS), t95 = p95 (total, RUNS);
    double a50 = median (apdu, RUNS), o50 = median (overhead, RUNS), f50 = median (floor_ms, RUNS);
    double f95 = p95 (floor_ms, RUNS);

    g_print ("\nMy Number card, real pcscd + vpcd, emulated card, %d runs\n\n", RUNS);
    g_print ("| what | median | p95 |\n|---|---|---|\n");
    g_print ("| card present → filled form (ShelterDesk) | %.1f ms | %.1f ms |\n", t50, t95);
    g_print ("|   of which the card's APDU round trips | %.1f ms | |\n", a50);
    g_print ("|   of which ShelterDesk (connect, threads, parsing, form) | %.1f ms | |\n", o50);
    g_print ("| floor: bare SCardConnect + the same 6 SCardTransmit, one context | %.1f ms | %.1f ms |\n",
             f50, f95);
    g_print ("| ratio to floor | %.2f× | %.2f× |\n", t50 / f50, t95 / f95);
    g_print ("| APDUs per read (most seen) | %u | target ≤ 7 |\n", max_apdus);
    g_print ("\ntarget: under 300 ms: %s\n", t95 < 300 ? "met" : "NOT met");
  }
  return 0;
}
