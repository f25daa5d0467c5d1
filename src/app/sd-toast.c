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
