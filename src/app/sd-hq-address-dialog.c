/* sd-hq-address-dialog.c: a kiosk's address of HQ's receiver, and HQ's certificate: set, tested, saved.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address is the database's (sd_sync_set_hq_url, the same as
 * `sync set-url`): it belongs to the site, travels with its file, and
 * the CLI's `sync push` reads it too.  HQ's certificate file stays in
 * the hq-tls-ca setting: it is a path on this computer, which a copy of
 * the database taken to another computer (a rescue, a spare kiosk) would
 * not have, and the CLI takes it per call (--tls-ca).
 *
 * "Test the connection" runs the exchange the pusher runs, fetching only
 * (SD_SYNC_CLIENT_PULL), with the address and certificate typed here,
 * before they are saved: hello alone says whether HQ answers, not whether
 * it knows this kiosk, and only a signed request for HQ's batch tells an
 * enrolled kiosk from one HQ never enrolled.  Nothing of this kiosk is
 * sent; HQ's batch, if it has one, is imported, as "Send now" would, and
 * only after the receiver proved to be this deployment's HQ.  The
 * exchange runs in SdSyncClient's worker thread; closing the dialog
 * cancels it.
 */
#include "sd-hq-address-dialog.h"
#include "sd-sync.h"
#include "sd-sync-client.h"

#include <glib/gi18n.h>

/* A test should say "no answer" in a person's patience, not libsoup's. */
#define TEST_TIMEOUT_S 10

struct _SdHqAddressDialog
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  GtkEntry        *url_entry;
  GtkLabel        *url_message;
  GtkLabel        *ca_label;
  GtkSpinner      *test_spinner;
  GtkLabel        *test_label;
  GtkWidget       *save_button;

  /* Owned References */
  SdStore         *store;
  GSettings       *settings;
  char            *ca_file;           /* NULL: the system's certificate authorities */
  GCancellable    *test_cancellable;  /* the last test's */
  GtkNativeDialog *chooser;

  SdHqTest         test;
};

G_DEFINE_FINAL_TYPE (SdHqAddressDialog, sd_hq_address_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the address ---- */

static char *
typed_url (SdHqAddressDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
}

static void
show_url_problem (SdHqAddressDialog *self,
                  const char        *problem)
{
  gboolean bad = problem != NULL;

  gtk_label_set_text (self->url_message,
                      bad ? problem : _("https:// or http://, then the host and the port, as in "
                                        "https://hq.example.jp:8443"));
  if (bad)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "hint");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "hint");
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->url_entry), GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

/* A client for what is typed, or NULL with the problem shown where it is. */
static SdSyncClient *
client_for_typed (SdHqAddressDialog *self)
{
  g_autofree char *url = typed_url (self);
  g_autoptr(SdSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (*url == '\0')
    {
      show_url_problem (self, _("Type HQ’s address first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return NULL;
    }
  if ((client = sd_sync_client_new (url, &error)) == NULL)
    {
      show_url_problem (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return NULL;
    }
  show_url_problem (self, NULL);
  if (self->ca_file != NULL && !sd_sync_client_set_tls_ca_file (client, self->ca_file, &error))
    {
      gtk_label_set_text (self->ca_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->ca_label), "error");
      return NULL;
    }
  return g_steal_pointer (&client);
}

/* ---- the test ---- */

static void
show_test (SdHqAddressDialog *self,
           SdHqTest           test,
           const char        *message)
{
  self->test = test;
  gtk_label_set_text (self->test_label, message != NULL ? message : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "warning");
  if (test == SD_HQ_TEST_KNOWN)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_label), "success");
  else if (test != SD_HQ_TEST_NONE && test != SD_HQ_TEST_RUNNING)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_label), "warning");
  gtk_spinner_set_spinning (self->test_spinner, test == SD_HQ_TEST_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hq-address.test", test != SD_HQ_TEST_RUNNING);
}

/* One test: the dialog, and the cancellable that says it no longer counts. */
typedef struct {
  SdHqAddressDialog *self;
  GCancellable      *cancellable;
} Test;

static void
test_free (Test *test)
{
  g_object_unref (test->self);
  g_object_unref (test->cancellable);
  g_free (test);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Test, test_free)

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Test) test = user_data;
  SdHqAddressDialog *self = test->self;
  g_autoptr(GError) error = NULL;
  g_auto(SdSyncClientResult) got = { 0 };
  g_autofree char *fingerprint = NULL;
  g_autofree char *message = NULL;
  gboolean ok = sd_sync_client_sync_finish (SD_SYNC_CLIENT (source), result, &got, &error);

  /* Closed, or the address changed since: whatever came says nothing
   * about what is typed now. */
  if (g_cancellable_is_cancelled (test->cancellable))
    return;
  if (ok)
    show_test (self, SD_HQ_TEST_KNOWN,
               _("HQ answered at this address and knows this kiosk: its changes will go there."));
  else if (g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED) &&
           g_strcmp0 (got.reason, "unknown-sender") == 0)
    {
      fingerprint = sd_sync_get_fingerprint (self->store);
      message = g_strdup_printf (_("HQ answered, but has not enrolled this kiosk yet. Take a first batch to HQ on a "
                                   "USB stick (Export to a folder…), and have HQ enrol it after comparing the "
                                   "fingerprint %s. The address can be saved now: sending starts once HQ has "
                                   "enrolled this kiosk."), fingerprint);
      show_test (self, SD_HQ_TEST_NOT_ENROLLED, message);
    }
  else if (g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_REFUSED) &&
           g_strcmp0 (got.reason, "revoked") == 0)
    show_test (self, SD_HQ_TEST_REVOKED,
               _("HQ answered, but revoked this kiosk (reported lost or stolen): HQ takes nothing from it. Ask HQ."));
  else if (g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_NOT_RECEIVER))
    show_test (self, SD_HQ_TEST_NOT_HQ,
               _("Something answers at this address, but it is not the HQ of this kiosk’s deployment. Check the "
                 "host and the port."));
  else if (g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_UNREACHABLE))
    show_test (self, SD_HQ_TEST_NO_ANSWER,
               _("No answer at this address. Check the host and the port, that HQ’s receiver is running, and this "
                 "computer’s network."));
  else if (g_error_matches (error, SD_SYNC_CLIENT_ERROR, SD_SYNC_CLIENT_ERROR_TLS))
    show_test (self, SD_HQ_TEST_UNTRUSTED,
               _("HQ answers, but its certificate is not trusted. If HQ uses a certificate of its own, choose its "
                 "file under “HQ’s certificate”."));
  else
    {
      /* HQ busy, another refusal, this kiosk's own database: its words. */
      message = g_strdup_printf (_("The test did not work: %s"), error->message);
      show_test (self, SD_HQ_TEST_FAILED, message);
    }
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdHqAddressDialog *self = SD_HQ_ADDRESS_DIALOG (widget);
  g_autoptr(SdSyncClient) client = client_for_typed (self);
  Test *test;

  if (client == NULL)
    return;
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();
  sd_sync_client_set_timeout (client, TEST_TIMEOUT_S);
  show_test (self, SD_HQ_TEST_RUNNING, _("Asking HQ…"));
  test = g_new0 (Test, 1);
  test->self = g_object_ref (self);
  test->cancellable = g_object_ref (self->test_cancellable);
  sd_sync_client_sync_async (client, self->store, SD_SYNC_CLIENT_PULL, test->cancellable, tested_cb, test);
}

/* A test says something about the address it was run with only. */
static void
url_changed_cb (SdHqAddressDialog *self)
{
  g_cancellable_cancel (self->test_cancellable);
  if (self->test != SD_HQ_TEST_NONE)
    show_test (self, SD_HQ_TEST_NONE, NULL);
  if (gtk_widget_has_css_class (GTK_WIDGET (self->url_entry), "error"))
    show_url_problem (self, NULL);
}

/* ---- HQ's certificate ---- */

static void
show_ca (SdHqAddressDialog *self)
{
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->ca_label), "error");
  if (self->ca_file == NULL)
    gtk_label_set_text (self->ca_label, _("None: the certificate authorities this computer trusts are used."));
  else
    {
      /* Translators: a certificate file's path */
      text = g_strdup_printf (_("Trusted for HQ: %s"), self->ca_file);
      gtk_label_set_text (self->ca_label, text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hq-address.forget-ca", self->ca_file != NULL);
}

void
sd_hq_address_dialog_set_ca_file (SdHqAddressDialog *self,
                                  const char        *path)
{
  g_return_if_fail (SD_IS_HQ_ADDRESS_DIALOG (self));

  g_free (self->ca_file);
  self->ca_file = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  show_ca (self);
  url_changed_cb (self);
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     SdHqAddressDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        sd_hq_address_dialog_set_ca_file (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_ca_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdHqAddressDialog *self = SD_HQ_ADDRESS_DIALOG (widget);
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  gtk_file_filter_set_name (pem, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("HQ’s certificate"), GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), pem);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (self->chooser);
}

static void
forget_ca_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sd_hq_address_dialog_set_ca_file (SD_HQ_ADDRESS_DIALOG (widget), NULL);
}

/* ---- saving ---- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdHqAddressDialog *self = SD_HQ_ADDRESS_DIALOG (widget);
  g_autofree char *url = typed_url (self);
  g_autoptr(SdSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* An empty address forgets HQ's: batches then go by USB stick only. */
  if (*url != '\0' && (client = client_for_typed (self)) == NULL)
    return;
  if (!sd_sync_set_hq_url (self->store, *url != '\0' ? url : NULL, &error))
    {
      show_url_problem (self, error->message);
      return;
    }
  g_settings_set_string (self->settings, "hq-tls-ca", self->ca_file != NULL ? self->ca_file : "");
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- GObject ---- */

static void
sd_hq_address_dialog_dispose (GObject *object)
{
  SdHqAddressDialog *self = SD_HQ_ADDRESS_DIALOG (object);

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_HQ_ADDRESS_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sd_hq_address_dialog_parent_class)->dispose (object);
}

static void
sd_hq_address_dialog_finalize (GObject *object)
{
  SdHqAddressDialog *self = SD_HQ_ADDRESS_DIALOG (object);

  g_free (self->ca_file);

  G_OBJECT_CLASS (sd_hq_address_dialog_parent_class)->finalize (object);
}

static void
sd_hq_address_dialog_class_init (SdHqAddressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_hq_address_dialog_dispose;
  object_class->finalize = sd_hq_address_dialog_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-hq-address-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, url_message);
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, ca_label);
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, test_label);
  gtk_widget_class_bind_template_child (widget_class, SdHqAddressDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);

  gtk_widget_class_install_action (widget_class, "hq-address.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "hq-address.choose-ca", NULL, choose_ca_action);
  gtk_widget_class_install_action (widget_class, "hq-address.forget-ca", NULL, forget_ca_action);
  gtk_widget_class_install_action (widget_class, "hq-address.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_hq_address_dialog_init (SdHqAddressDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdHqAddressDialog *
sd_hq_address_dialog_new (GtkWindow *parent,
                          SdStore   *store,
                          GSettings *settings)
{
  SdHqAddressDialog *self;
  g_autofree char *url = NULL;
  g_autofree char *ca = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SD_TYPE_HQ_ADDRESS_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  url = sd_sync_get_hq_url (store);
  ca = g_settings_get_string (settings, "hq-tls-ca");
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url != NULL ? url : "");
  sd_hq_address_dialog_set_ca_file (self, ca);
  /* Enter saves what is typed (after checking it); the address is where typing goes. */
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->url_entry));
  return self;
}

SdHqTest
sd_hq_address_dialog_get_test (SdHqAddressDialog *self)
{
  g_return_val_if_fail (SD_IS_HQ_ADDRESS_DIALOG (self), SD_HQ_TEST_NONE);
  return self->test;
}

const char *
sd_hq_address_dialog_get_url_message (SdHqAddressDialog *self)
{
  g_return_val_if_fail (SD_IS_HQ_ADDRESS_DIALOG (self), NULL);
  return gtk_label_get_text (self->url_message);
}

const char *
sd_hq_address_dialog_get_test_message (SdHqAddressDialog *self)
{
  g_return_val_if_fail (SD_IS_HQ_ADDRESS_DIALOG (self), NULL);
  return gtk_label_get_text (self->test_label);
}
