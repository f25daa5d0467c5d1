/* sd-card-dialog.c: "touch your card": reads the 4 facts from a My Number card for the intake form.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Steps: touch (wait for a card, ask the tries left, spend none) → pin
 * (masked entry and on-screen pad; tries shown; a warning before the
 * last try; a blocked card gets no Read button, only 照合番号B or typing
 * by hand) → reading → ::facts-read, and the dialog closes.  A card taken
 * away before its PIN was sent is read again with the PIN already typed,
 * as soon as it is back; after the PIN was sent, the PIN is asked again,
 * since the software never spends a try on its own.  The dialog's copy of
 * the PIN is wiped with sodium_memzero().
 */
#include "sd-card-dialog.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "sd-pin-pad.h"
#include "sd-platform.h"

struct _SdCardDialog
{
  AdwWindow          parent_instance;

  GtkStack          *stack;
  GtkLabel          *touch_label;
  GtkButton         *demo_button;
  GtkLabel          *pin_heading;
  GtkLabel          *tries_label;
  GtkLabel          *warning_label;
  GtkPasswordEntry  *pin_entry;
  SdPinPad          *pin_pad;
  GtkButton         *read_button;
  GtkButton         *kind_button;
  GtkLabel          *error_label;

  SdCardReader      *reader;
  GCancellable      *cancellable;
  SdMynumberPinKind  kind;
  int                tries;
  char              *kept_pin;     /* for the retry after the card left before VERIFY */
  char              *demo_card;
  GSubprocess       *demo;  /* the demo card on the virtual reader, while it runs */
};

G_DEFINE_FINAL_TYPE (SdCardDialog, sd_card_dialog, ADW_TYPE_WINDOW)

enum {
  FACTS_READ,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_probe (SdCardDialog *self, const char *message);

static void
forget_pin (SdCardDialog *self)
{
  if (self->kept_pin != NULL)
    {
      sodium_memzero (self->kept_pin, strlen (self->kept_pin));
      g_clear_pointer (&self->kept_pin, g_free);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
}

static void
show_error (SdCardDialog *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
show_pin (SdCardDialog *self,
          int           tries)
{
  gboolean b = self->kind == SD_MYNUMBER_PIN_B;
  g_autofree char *tries_text = NULL;

  self->tries = tries;
  gtk_label_set_text (self->pin_heading,
                      b ? _("Type 照合番号B: birth date (YYMMDD), the card’s expiry year and its 4-digit security code")
                        : _("Type the card’s 4-digit PIN for card details (券面事項入力補助用暗証番号)"));
  gtk_button_set_label (self->kind_button, b ? _("Use the 4-digit _PIN instead") : _("Use 照合番号_B instead"));

  if (tries == 0)
    tries_text = g_strdup (b ? _("照合番号B is locked on this card. Type the details by hand.")
                             : _("The PIN is locked on this card. Only the municipal office can unlock it. Use 照合番号B, or type the details by hand."));
  else
    tries_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d try left", "%d tries left", tries), tries);
  gtk_label_set_text (self->tries_label, tries_text);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), tries == 1);
  /* A blocked card gets no VERIFY: nothing to type, nothing to send. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->read_button), tries > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_entry), tries > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_pad), tries > 0);
  gtk_stack_set_visible_child_name (self->stack, "pin");
  if (tries > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->kind_button));
}

static void
read_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdCardDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardFacts) facts = NULL;
  SdCardTimings timings = { 0 };
  gboolean verify_sent = FALSE;
  int tries = -1;

  facts = sd_card_reader_read_finish (SD_CARD_READER (source), result, &tries, &verify_sent, &timings, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Counts and times only: nothing read from the card is logged. */
  g_debug ("card read: %u APDUs, %" G_GINT64_FORMAT " µs on the card, %" G_GINT64_FORMAT " µs in all; %s",
           timings.n_apdus, timings.apdu_usec, timings.total_usec, error ? error->message : "read");
  if (facts != NULL)
    {
      forget_pin (self);
      g_signal_emit (self, signals[FACTS_READ], 0, facts);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN) && tries > 0)
    {
      forget_pin (self);
      show_pin (self, tries);
      gtk_label_set_text (self->tries_label, error->message);
    }
  else if (g_error_matches (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED))
    {
      forget_pin (self);
      show_pin (self, 0);
      gtk_label_set_text (self->tries_label, error->message);
    }
  else if (g_error_matches (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED))
    {
      /* Not sent: read again with the same PIN once the card is back.
       * Sent: a try may be spent; the person types it again. */
      if (verify_sent)
        forget_pin (self);
      start_probe (self, verify_sent ? _("The card was taken away. Put it back on the reader and keep it still; then type the PIN again.")
                                     : _("The card was taken away before its PIN was sent; no try was used. Put it back on the reader and keep it still."));
    }
  else
    {
      forget_pin (self);
      show_error (self, error->message);
    }
}

static void
start_read (SdCardDialog *self,
            const char   *pin)
{
  gtk_stack_set_visible_child_name (self->stack, "reading");
  sd_card_reader_read_async (self->reader, self->kind, pin, self->cancellable, read_done, g_object_ref (self));
}

static void
probe_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdCardDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  int tries = sd_card_reader_probe_finish (SD_CARD_READER (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tries < 0)
    {
      show_error (self, error->message);
      return;
    }
  if (self->kept_pin != NULL && tries > 0)
    start_read (self, self->kept_pin);
  else
    show_pin (self, tries);
}

static void
start_probe (SdCardDialog *self,
             const char   *message)
{
  if (self->reader == NULL)
    return;
  gtk_label_set_text (self->touch_label, message ? message : _("Put the My Number card flat on the reader."));
  gtk_stack_set_visible_child_name (self->stack, "touch");
  /* Waits for as long as the dialog is open. */
  sd_card_reader_probe_async (self->reader, self->kind, 0, self->cancellable, probe_done, g_object_ref (self));
}

static void
read_clicked_cb (SdCardDialog *self)
{
  char *pin;

  if (self->tries <= 0)
    {
      forget_pin (self);  /* a locked card: nothing is sent, nothing kept */
      return;
    }
  /* Copied before forget_pin() empties the entry it points into. */
  pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));
  forget_pin (self);
  self->kept_pin = pin;
  start_read (self, self->kept_pin);
}

static void
kind_clicked_cb (SdCardDialog *self)
{
  forget_pin (self);
  self->kind = self->kind == SD_MYNUMBER_PIN ? SD_MYNUMBER_PIN_B : SD_MYNUMBER_PIN;
  start_probe (self, NULL);
}

static void
retry_clicked_cb (SdCardDialog *self)
{
  start_probe (self, NULL);
}

static void
by_hand_clicked_cb (SdCardDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
demo_clicked_cb (SdCardDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self->demo_card, "35963", "--name", "見本 はな子",
                         "--address", "みなと川市港町3丁目8-14", "--birth", "19850412",
                         "--sex", "2", "--pin", "1234", NULL };

  if (self->demo != NULL)
    return;
  self->demo = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  if (self->demo == NULL)
    show_error (self, error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), FALSE);
}

static void
stop_demo_card (SdCardDialog *self)
{
  if (self->demo != NULL)
    {
      sd_platform_stop_process (self->demo);
      g_subprocess_wait (self->demo, NULL, NULL);
      g_clear_object (&self->demo);
    }
}

static void
sd_card_dialog_dispose (GObject *object)
{
  SdCardDialog *self = SD_CARD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  stop_demo_card (self);
  forget_pin (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_CARD_DIALOG);
  G_OBJECT_CLASS (sd_card_dialog_parent_class)->dispose (object);
}

static void
sd_card_dialog_finalize (GObject *object)
{
  SdCardDialog *self = SD_CARD_DIALOG (object);

  g_clear_object (&self->reader);
  g_clear_object (&self->cancellable);
  g_free (self->demo_card);
  G_OBJECT_CLASS (sd_card_dialog_parent_class)->finalize (object);
}

static void
sd_card_dialog_class_init (SdCardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_card_dialog_dispose;
  object_class->finalize = sd_card_dialog_finalize;

  /**
   * SdCardDialog::facts-read:
   * @facts: (type gpointer): the SdCardFacts read, valid during emission
   */
  signals[FACTS_READ] = g_signal_new ("facts-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (SD_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-card-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, touch_label);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, demo_button);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, pin_heading);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, tries_label);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, read_button);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, kind_button);
  gtk_widget_class_bind_template_child (widget_class, SdCardDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, read_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, by_hand_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, demo_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_card_dialog_init (SdCardDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->kind = SD_MYNUMBER_PIN;
}

SdCardDialog *
sd_card_dialog_new (GtkWindow  *parent,
                    const char *reader_spec,
                    const char *demo_card)
{
  SdCardDialog *self = g_object_new (SD_TYPE_CARD_DIALOG,
                                     "transient-for", parent,
                                     "modal", TRUE,
                                     NULL);
  g_autoptr(GError) error = NULL;

  self->demo_card = g_strdup (demo_card);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_button), demo_card != NULL);
  self->reader = sd_card_reader_new_from_spec (reader_spec, &error);
  if (self->reader == NULL)
    show_error (self, error->message);
  else
    start_probe (self, NULL);
  return self;
}

const char *
sd_card_dialog_get_step (SdCardDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sd_card_dialog_get_message (SdCardDialog *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (step, "touch"))
    return gtk_label_get_text (self->touch_label);
  if (g_str_equal (step, "pin"))
    return gtk_label_get_text (self->tries_label);
  return gtk_label_get_text (self->error_label);
}

GtkEditable *
sd_card_dialog_get_pin_entry (SdCardDialog *self)
{
  return GTK_EDITABLE (self->pin_entry);
}

/* Whether the "last try" warning is on screen. */
gboolean
sd_card_dialog_get_last_try_warned (SdCardDialog *self)
{
  g_return_val_if_fail (SD_IS_CARD_DIALOG (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label));
}
