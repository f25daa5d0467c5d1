/* sd-toast.c: a message shown where the eye is, over any desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk's own message line sits under its form, often below the fold
 * of a small screen; the same words also go to the window's toast
 * overlay, at the bottom of the screen whatever is scrolled into view.
 */
#include "sd-toast.h"

/* Shows TEXT in the toast overlay that holds WIDGET (nothing when WIDGET
 * is not in one, as on a desk not yet shown).  An error stays longer. */
void
sd_toast_show (GtkWidget  *widget,
               const char *text,
               gboolean    is_error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL || text == NULL)
    return;
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, is_error ? 10 : 5);
  if (is_error)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Shows MESSAGE (NULL: nothing) on the message line LABEL of DESK,
 * marked as an error when IS_ERROR; while DESK is on screen, as a toast
 * too, since the line may be below the fold or on another tab. */
void
sd_toast_set_message (GtkLabel   *label,
                      GtkWidget  *desk,
                      const char *message,
                      gboolean    is_error)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  if (message != NULL && gtk_widget_get_mapped (desk))
    sd_toast_show (desk, message, is_error);
}
