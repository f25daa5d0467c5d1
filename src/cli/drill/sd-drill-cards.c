/* sd-drill-cards.c: the drill's card station: each card holder's My Number card on a real reader, read as the desk reads it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The station is a card emulator that stays on the reader and becomes
 * the next person's card on a line of standard input (tests/card's
 * vpcd-card --swap, on pcscd's virtual reader).  Each read goes through
 * pcscd and the reader's driver, with the PIN, exactly as the intake
 * desk's; what comes back must be what was put on the card.
 */
#include "sd-drill-cards.h"

#include <glib/gi18n.h>

#include "sd-cli-card.h"
#include "sd-error.h"

/* The station's own PIN: any four digits the emulator is started with. */
#define STATION_PIN "2580"

struct _SdDrillCards {
  SdCardReader     *reader;
  GSubprocess      *emulator;
  GOutputStream    *to_card;
  GDataInputStream *from_card;
  SdCardFacts       facts;      /* the last read, until the next */
  guint             reads;
  gint64            read_us;
};

SdDrillCards *
sd_drill_cards_new (const char  *reader,
                    const char  *emulator,
                    GError     **error)
{
  g_autoptr(SdDrillCards) cards = g_new0 (SdDrillCards, 1);
  g_autofree char *spec = g_strconcat ("pcsc:", reader, NULL);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  if (!g_shell_parse_argv (emulator, NULL, &argv, error))
    return NULL;
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, "--swap");
  g_ptr_array_add (args, "--pin");
  g_ptr_array_add (args, STATION_PIN);
  g_ptr_array_add (args, NULL);
  cards->emulator = g_subprocess_newv ((const char *const *) args->pdata,
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (cards->emulator == NULL)
    return NULL;
  cards->to_card = g_object_ref (g_subprocess_get_stdin_pipe (cards->emulator));
  cards->from_card = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cards->emulator));
  if ((cards->reader = sd_card_reader_new_from_spec (spec, error)) == NULL)
    return NULL;
  return g_steal_pointer (&cards);
}

void
sd_drill_cards_free (SdDrillCards *cards)
{
  if (cards == NULL)
    return;
  if (cards->emulator != NULL)
    {
      /* The end of its input ends it; a kill if it does not listen. */
      g_output_stream_close (cards->to_card, NULL, NULL);
      g_subprocess_force_exit (cards->emulator);
      g_subprocess_wait (cards->emulator, NULL, NULL);
    }
  g_clear_object (&cards->to_card);
  g_clear_object (&cards->from_card);
  g_clear_object (&cards->emulator);
  g_clear_object (&cards->reader);
  sd_card_facts_clear (&cards->facts);
  g_free (cards);
}

static const char *
sex_code (SdSex sex)
{
  switch (sex)
    {
    case SD_SEX_MALE: return "1";
    case SD_SEX_FEMALE: return "2";
    default: return "9";
    }
}

/* The next person's card goes on the reader. */
static gboolean
put_card (SdDrillCards        *cards,
          const SdPersonSpec  *person,
          GError             **error)
{
  g_autofree char *birth = person->birth_date != NULL ? g_strdup (person->birth_date) : NULL;
  g_autofree char *line = NULL;
  g_autofree char *answer = NULL;
  char *w = birth;

  /* YYYY-MM-DD on the person, YYYYMMDD on the card. */
  for (const char *r = birth; r != NULL && *r != '\0'; r++)
    if (*r != '-')
      *w++ = *r;
  if (w != NULL)
    *w = '\0';
  line = g_strdup_printf ("%s\t%s\t%s\t%s\n", person->name, person->address, birth != NULL ? birth : "",
                          sex_code (person->sex));
  if (!g_output_stream_write_all (cards->to_card, line, strlen (line), NULL, NULL, error) ||
      !g_output_stream_flush (cards->to_card, NULL, error))
    return FALSE;
  answer = g_data_input_stream_read_line_utf8 (cards->from_card, NULL, NULL, error);
  if (answer == NULL || !g_str_equal (answer, "ok"))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                     _("The drill's card station stopped: no card could be put on the reader."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_drill_cards_read (SdPersonSpec  *person,
                     gpointer       user_data,
                     GError       **error)
{
  SdDrillCards *cards = user_data;
  g_autoptr(GError) local = NULL;
  SdCardFacts *facts;
  gint64 t0;

  if (!put_card (cards, person, error))
    return FALSE;
  t0 = g_get_monotonic_time ();
  /* The first read waits for pcscd to see the card; then it stays. */
  facts = sd_cli_read_card (cards->reader, SD_MYNUMBER_PIN, STATION_PIN, cards->reads == 0 ? 20 : 5, TRUE, &local);
  if (facts == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("The card reader did not read a card: %s"),
                   local->message);
      return FALSE;
    }
  cards->read_us += g_get_monotonic_time () - t0;
  sd_card_facts_clear (&cards->facts);
  cards->facts = *facts;
  g_free (facts);
  /* What the desk would fill in must be what is on the card. */
  if (g_strcmp0 (cards->facts.name, person->name) != 0 || g_strcmp0 (cards->facts.address, person->address) != 0 ||
      g_strcmp0 (cards->facts.birth_date, person->birth_date) != 0 || cards->facts.sex != person->sex)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("The card reader read other facts than those on the card (read %u)."), cards->reads + 1);
      return FALSE;
    }
  person->name = cards->facts.name;
  person->address = cards->facts.address;
  person->birth_date = cards->facts.birth_date;
  person->sex = cards->facts.sex;
  cards->reads++;
  return TRUE;
}

guint
sd_drill_cards_get_reads (SdDrillCards *cards,
                          double       *seconds)
{
  if (seconds != NULL)
    *seconds = cards->read_us / 1e6;
  return cards->reads;
}
