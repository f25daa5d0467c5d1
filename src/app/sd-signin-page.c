/* sd-signin-page.c: staff number and PIN, checked against the site's staff roster.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN check takes a noticeable moment on purpose (Argon2id), so it
 * runs through sd_store_sign_in_async() while the page shows a spinner
 * and refuses a second press.  Every outcome but success leaves a message
 * on the page that says what to do, and clears the PIN so the next person
 * never sees how many digits were typed.  The page emits ::signed-in;
 * what signing in opens is its container's business (the window's desks,
 * or the kiosk unlock dialog).
 */
#include "sd-pin-pad.h"
#include "sd-reflow-box.h"
#include "sd-signin-page.h"

#include <glib/gi18n.h>

struct _SdSigninPage
{
  GtkWidget     parent_instance;

  /* Template Widgets */
  GtkWidget    *box;
  GtkLabel     *heading_label;
  GtkButton    *submit_button;
  GtkEditable  *staff_entry;
  GtkEditable  *pin_entry;
  SdPinPad     *pin_pad;
  GtkLabel     *message_label;
  GtkSpinner   *spinner;

  /* Owned References */
  SdStore      *store;
  GCancellable *cancellable;
  char         *message;
  char         *locked_staff_no;  /* counting down its lockout */
  guint         lockout_tick;
};

G_DEFINE_FINAL_TYPE (SdSigninPage, sd_signin_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_message (SdSigninPage *self,
             const char   *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_busy (SdSigninPage *self,
          gboolean      busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Read-only rather than insensitive: GTK 4.8 mishandles focus when a
   * focused entry turns insensitive, and the PIN field has focus here. */
  gtk_editable_set_editable (self->staff_entry, !busy);
  gtk_editable_set_editable (self->pin_entry, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pin_pad), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.submit", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- the wait after too many wrong PINs, counted down ---- */

static void
stop_lockout_countdown (SdSigninPage *self)
{
  g_clear_handle_id (&self->lockout_tick, g_source_remove);
  g_clear_pointer (&self->locked_staff_no, g_free);
}

static gboolean
lockout_tick_cb (gpointer data)
{
  SdSigninPage *self = data;
  guint wait = self->store != NULL ? sd_store_get_signin_wait (self->store, self->locked_staff_no) : 0;

  if (wait == 0)
    {
      self->lockout_tick = 0;
      g_clear_pointer (&self->locked_staff_no, g_free);
      set_message (self, _("You may try your PIN again now."));
      return G_SOURCE_REMOVE;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Too many wrong PINs. Wait %d second, then try again.",
                                                          "Too many wrong PINs. Wait %d seconds, then try again.",
                                                          wait), (int) wait);
    set_message (self, text);
  }
  return G_SOURCE_CONTINUE;
}

static void
start_lockout_countdown (SdSigninPage *self)
{
  stop_lockout_countdown (self);
  self->locked_staff_no = g_strstrip (g_strdup (gtk_editable_get_text (self->staff_entry)));
  self->lockout_tick = g_timeout_add_seconds (1, lockout_tick_cb, self);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdSigninPage) self = user_data;
  g_autoptr(SdStaff) staff = NULL;
  g_autoptr(GError) error = NULL;

  staff = sd_store_sign_in_finish (SD_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (self->pin_entry, "");

  if (staff == NULL)
    {
      set_message (self, error->message);
      if (error->code == SD_AUTH_ERROR_LOCKED)
        start_lockout_countdown (self);
      gtk_widget_grab_focus (GTK_WIDGET (error->code == SD_AUTH_ERROR_UNKNOWN_STAFF
                                         ? self->staff_entry : self->pin_entry));
      return;
    }

  stop_lockout_countdown (self);
  set_message (self, NULL);
  gtk_editable_set_text (self->staff_entry, "");
  g_signal_emit (self, signals[SIGNED_IN], 0, staff);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdSigninPage *self = SD_SIGNIN_PAGE (widget);
  g_autofree char *staff_no = NULL;

  if (self->store == NULL || self->cancellable != NULL)
    return;

  staff_no = g_strstrip (g_strdup (gtk_editable_get_text (self->staff_entry)));
  if (*staff_no == '\0')
    {
      set_message (self, _("Type your staff number first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->staff_entry));
      return;
    }

  set_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  sd_store_sign_in_async (self->store, staff_no, gtk_editable_get_text (self->pin_entry),
                          self->cancellable, sign_in_cb, g_object_ref (self));
}

static void
staff_activate_cb (SdSigninPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

static void
pin_activate_cb (SdSigninPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.submit", NULL);
}

static void
sd_signin_page_dispose (GObject *object)
{
  GtkWidget *child;
  SdSigninPage *self = SD_SIGNIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_lockout_countdown (self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SIGNIN_PAGE);
  /* dispose_template() in GTK 4.8 unparents only the children it bound. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sd_signin_page_parent_class)->dispose (object);
}

static void
sd_signin_page_finalize (GObject *object)
{
  SdSigninPage *self = SD_SIGNIN_PAGE (object);

  g_free (self->message);

  G_OBJECT_CLASS (sd_signin_page_parent_class)->finalize (object);
}

static void
sd_signin_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdSigninPage *self = SD_SIGNIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_BUSY: g_value_set_boolean (value, self->cancellable != NULL); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_signin_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SdSigninPage *self = SD_SIGNIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE: sd_signin_page_set_store (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_signin_page_class_init (SdSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_signin_page_dispose;
  object_class->finalize = sd_signin_page_finalize;
  object_class->get_property = sd_signin_page_get_property;
  object_class->set_property = sd_signin_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdSigninPage::signed-in:
   * @staff: who signed in
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, SD_TYPE_STAFF);

  g_type_ensure (SD_TYPE_PIN_PAD);
  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, box);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, staff_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, pin_pad);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSigninPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, staff_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);

  gtk_widget_class_install_action (widget_class, "signin.submit", NULL, submit_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_signin_page_init (SdSigninPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdStore *
sd_signin_page_get_store (SdSigninPage *self)
{
  g_return_val_if_fail (SD_IS_SIGNIN_PAGE (self), NULL);
  return self->store;
}

void
sd_signin_page_set_store (SdSigninPage *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_SIGNIN_PAGE (self));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
sd_signin_page_set_heading (SdSigninPage *self,
                            const char   *heading)
{
  g_return_if_fail (SD_IS_SIGNIN_PAGE (self));
  gtk_label_set_text (self->heading_label, heading);
}

/* What the button says (with a mnemonic): the unlock dialog's unlocks. */
void
sd_signin_page_set_submit_label (SdSigninPage *self,
                                 const char   *label)
{
  g_return_if_fail (SD_IS_SIGNIN_PAGE (self));
  gtk_button_set_label (self->submit_button, label);
}

const char *
sd_signin_page_get_submit_label (SdSigninPage *self)
{
  g_return_val_if_fail (SD_IS_SIGNIN_PAGE (self), NULL);
  return gtk_button_get_label (self->submit_button);
}

const char *
sd_signin_page_get_message (SdSigninPage *self)
{
  g_return_val_if_fail (SD_IS_SIGNIN_PAGE (self), NULL);
  return self->message;
}

gboolean
sd_signin_page_get_busy (SdSigninPage *self)
{
  g_return_val_if_fail (SD_IS_SIGNIN_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * sd_signin_page_reset:
 *
 * Forgets everything typed and any message, and cancels a check under
 * way: used when the kiosk falls idle or someone signs out.
 */
void
sd_signin_page_reset (SdSigninPage *self)
{
  g_return_if_fail (SD_IS_SIGNIN_PAGE (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
    }
  stop_lockout_countdown (self);
  gtk_editable_set_text (self->staff_entry, "");
  gtk_editable_set_text (self->pin_entry, "");
  set_message (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->staff_entry));
}

/* Fills the staff number, as a staff ID card or barcode reader would. */
void
sd_signin_page_set_staff_no (SdSigninPage *self,
                             const char   *staff_no)
{
  g_return_if_fail (SD_IS_SIGNIN_PAGE (self));

  gtk_editable_set_text (self->staff_entry, staff_no ? staff_no : "");
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
}

GtkWidget *
sd_signin_page_get_pin_pad (SdSigninPage *self)
{
  g_return_val_if_fail (SD_IS_SIGNIN_PAGE (self), NULL);
  return GTK_WIDGET (self->pin_pad);
}
