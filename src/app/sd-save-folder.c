/* sd-save-folder.c: where "Save PDF…" and "Save CSV…" open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The folder a file was last saved to by this desk, else the user's
 * Documents folder, else their home: never the folder the process
 * happened to be started from (a kiosk's is often / or the build tree).
 */
#include "sd-save-folder.h"

#include <glib/gi18n.h>

static GFile *last_folder;

/* Returns: (transfer full): the folder a save should open in. */
GFile *
sd_save_folder_get (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (last_folder != NULL)
    return g_object_ref (last_folder);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

/* SAVED was just written: the next save opens beside it. */
void
sd_save_folder_remember (GFile *saved)
{
  g_autoptr(GFile) parent = saved != NULL ? g_file_get_parent (saved) : NULL;

  if (parent != NULL)
    g_set_object (&last_folder, parent);
}

void
sd_save_folder_apply (GtkFileChooser *chooser)
{
  g_autoptr(GFile) folder = sd_save_folder_get ();

  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

typedef struct {
  GtkWidget          *widget;
  SdSaveFolderChosen  chosen;
  gboolean            pdf;
} Ask;

static void
ask_response_cb (GtkNativeDialog *chooser,
                 int              response,
                 Ask             *ask)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        ask->chosen (ask->widget, file, ask->pdf);
    }
  g_object_unref (ask->widget);
  g_free (ask);
  g_object_unref (chooser);
}

void
sd_save_folder_ask (GtkWidget          *widget,
                    const char         *title,
                    const char         *name,
                    gboolean            pdf,
                    SdSaveFolderChosen  chosen)
{
  GtkFileChooserNative *chooser;
  Ask *ask;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (chosen != NULL);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Modal: what is saved is what the desk showed when it asked (the
   * guide of another shelter chosen meanwhile would be written under this
   * one's file name). */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  sd_save_folder_apply (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  ask = g_new0 (Ask, 1);
  ask->widget = g_object_ref (widget);
  ask->chosen = chosen;
  ask->pdf = pdf;
  g_signal_connect (chooser, "response", G_CALLBACK (ask_response_cb), ask);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
