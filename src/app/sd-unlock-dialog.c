/* sd-unlock-dialog.c: asks for a shelter lead's PIN before a kiosk may be left.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same sign-in page as the desk's, so the PIN rules and the lock after
 * wrong PINs are the same; a volunteer's correct PIN is refused here,
 * because leaving the kiosk is a lead's decision.  Emits ::unlocked with
 * the lead who unlocked it, then closes.
 */
#include "sd-unlock-dialog.h"

#include <glib/gi18n.h>

struct _SdUnlockDialog
{
  AdwWindow     parent_instance;

  /* Template Widgets */
  SdSigninPage *signin_page;
};

G_DEFINE_FINAL_TYPE (SdUnlockDialog, sd_unlock_dialog, ADW_TYPE_WINDOW)

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
signed_in_cb (SdUnlockDialog *self,
              SdStaff        *staff)
{
  if (!sd_role_can_leave_kiosk (sd_staff_get_role (staff)))
    {
      sd_signin_page_reset (self->signin_page);
      sd_signin_page_set_heading (self->signin_page,
                                  _("Only a shelter lead or HQ can leave kiosk mode. Ask a shelter lead."));
      return;
    }
  g_signal_emit (self, signals[UNLOCKED], 0, staff);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
sd_unlock_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_UNLOCK_DIALOG);

  G_OBJECT_CLASS (sd_unlock_dialog_parent_class)->dispose (object);
}

static void
sd_unlock_dialog_class_init (SdUnlockDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_unlock_dialog_dispose;

  /**
   * SdUnlockDialog::unlocked:
   * @staff: the lead who unlocked the kiosk
   */
  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_STAFF);

  g_type_ensure (SD_TYPE_SIGNIN_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-unlock-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdUnlockDialog, signin_page);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_unlock_dialog_init (SdUnlockDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdUnlockDialog *
sd_unlock_dialog_new (GtkWindow *parent,
                      SdStore   *store)
{
  SdUnlockDialog *self = g_object_new (SD_TYPE_UNLOCK_DIALOG,
                                       "transient-for", parent,
                                       "modal", TRUE,
                                       NULL);

  sd_signin_page_set_store (self->signin_page, store);
  sd_signin_page_set_submit_label (self->signin_page, _("_Unlock"));
  sd_signin_page_set_heading (self->signin_page,
                              _("A shelter lead’s staff number and PIN are needed to leave kiosk mode."));
  return self;
}

SdSigninPage *
sd_unlock_dialog_get_signin_page (SdUnlockDialog *self)
{
  g_return_val_if_fail (SD_IS_UNLOCK_DIALOG (self), NULL);
  return self->signin_page;
}
