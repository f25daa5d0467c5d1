/* sd-open-csv.c: choosing a CSV file (or another kind) to import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-open-csv.h"

#include <glib/gi18n.h>

static void
chosen_cb (GtkNativeDialog *chooser,
           int              response,
           GtkWidget       *widget)
{
  SdCsvChosen chosen = g_object_get_data (G_OBJECT (chooser), "chosen");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      chosen (widget, file);
    }
  g_object_unref (chooser);
}

void
sd_open_file (GtkWidget         *widget,
              const char        *title,
              const char        *accept,
              const char        *filter_name,
              const char *const *suffixes,
              SdCsvChosen        chosen)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, accept, _("_Cancel"));
  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (suffixes[i], -1);

      gtk_file_filter_add_suffix (filter, suffixes[i]);
      gtk_file_filter_add_suffix (filter, upper);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "chosen", chosen);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chosen_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
sd_open_csv (GtkWidget   *widget,
             const char  *title,
             const char  *accept,
             SdCsvChosen  chosen)
{
  static const char *const csv[] = { "csv", NULL };

  sd_open_file (widget, title, accept, _("CSV files"), csv, chosen);
}
