/* sd-scan-catcher.c: a keyboard-wedge scan caught wherever the focus is.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A USB scanner in keyboard mode types the code and Enter, a key every few
 * milliseconds; nobody types eight keys in a row each under 50 ms apart.
 * Two ways to hear it, because the volunteer may be anywhere:
 *
 *  - Held: an upper-case letter (our codes start "SD", typed with Shift,
 *    which people rarely do in a Japanese input method) is kept back
 *    instead of reaching the focused field.  Keys that follow fast are
 *    kept too; Enter after at least MIN_LENGTH of them is a scan.  The
 *    first slow key, or a pause, gives the kept keys to the field after
 *    all: a person who typed a capital loses nothing.
 *  - Heard: any other fast run reaches the field as usual; if Enter ends
 *    one of MIN_LENGTH or more, it was a scan too (someone else's QR code,
 *    or ours with Caps Lock on), so the run is taken back out of the field
 *    and reported, for the desk to say what it was.
 */
#include "sd-scan-catcher.h"

#define MIN_LENGTH 8
#define DEFAULT_MAX_GAP 50

struct _SdScanCatcher
{
  GObject             parent_instance;

  GtkEventController *controller;  /* owned by the widget */
  GtkWidget          *widget;      /* weak */
  GtkWidget          *fallback;    /* weak: where held keys go when no field has the focus */
  GString            *held;        /* kept back from the field */
  GString            *heard;       /* passed to the field, fast so far */
  guint32             last_time;
  guint               max_gap;
  guint               flush_id;
  gboolean            enabled;
};

G_DEFINE_FINAL_TYPE (SdScanCatcher, sd_scan_catcher, G_TYPE_OBJECT)

enum {
  SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkEditable *
focused_editable (SdScanCatcher *self)
{
  GtkRoot *root = self->widget ? gtk_widget_get_root (self->widget) : NULL;
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return GTK_IS_EDITABLE (focus) && gtk_editable_get_editable (GTK_EDITABLE (focus)) ? GTK_EDITABLE (focus) : NULL;
}

/* The held keys were a person's after all: give them to the field. */
static void
release_held (SdScanCatcher *self)
{
  GtkEditable *editable = focused_editable (self);

  /* Typed with the focus on no field (Check-in's results, a button):
   * the held capital goes where that desk sends typing, never nowhere. */
  if (editable == NULL && self->held->len > 0 && self->fallback != NULL && gtk_widget_get_mapped (self->fallback))
    {
      gtk_widget_grab_focus (self->fallback);
      editable = focused_editable (self);
    }

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->held->len > 0 && editable != NULL)
    {
      int pos;

      gtk_editable_delete_selection (editable);
      pos = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, self->held->str, (int) self->held->len, &pos);
      gtk_editable_set_position (editable, pos);
    }
  g_string_truncate (self->held, 0);
}

static gboolean
flush_cb (gpointer data)
{
  SdScanCatcher *self = data;

  self->flush_id = 0;
  release_held (self);
  return G_SOURCE_REMOVE;
}

static void
reset (SdScanCatcher *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_string_truncate (self->held, 0);
  g_string_truncate (self->heard, 0);
}

static void
emit_scan (SdScanCatcher *self,
           const char    *text)
{
  g_autofree char *code = g_strdup (text);

  reset (self);
  g_signal_emit (self, signals[SCANNED], 0, code);
}

/* Takes the heard run back out of the field it went into. */
static void
take_back_heard (SdScanCatcher *self)
{
  GtkEditable *editable = focused_editable (self);
  const char *text;
  gsize len;

  if (editable == NULL)
    return;
  text = gtk_editable_get_text (editable);
  len = strlen (text);
  if (g_str_has_suffix (text, self->heard->str))
    gtk_editable_delete_text (editable, (int) g_utf8_strlen (text, len - self->heard->len), -1);
}

static gboolean
is_modifier (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Shift_L: case GDK_KEY_Shift_R: case GDK_KEY_Caps_Lock:
    case GDK_KEY_Control_L: case GDK_KEY_Control_R: case GDK_KEY_Alt_L: case GDK_KEY_Alt_R:
    case GDK_KEY_ISO_Level3_Shift: case GDK_KEY_Meta_L: case GDK_KEY_Meta_R:
    case GDK_KEY_Super_L: case GDK_KEY_Super_R:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdScanCatcher         *self)
{
  guint32 now = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
  gboolean fast = now - self->last_time <= self->max_gap;
  gunichar c = gdk_keyval_to_unicode (keyval);
  gboolean printable = c >= 0x21 && c < 0x7f && !(state & (GDK_CONTROL_MASK | GDK_ALT_MASK));

  if (!self->enabled || is_modifier (keyval))
    return FALSE;

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
      keyval == GDK_KEY_Linefeed)  /* scanners set to end with LF */
    {
      if (self->held->len >= MIN_LENGTH && fast)
        {
          emit_scan (self, self->held->str);
          return TRUE;
        }
      if (self->held->len == 0 && self->heard->len >= MIN_LENGTH && fast)
        {
          take_back_heard (self);
          emit_scan (self, self->heard->str);
          return TRUE;
        }
      release_held (self);
      reset (self);
      return FALSE;
    }

  if (!printable)
    {
      release_held (self);
      reset (self);
      return FALSE;
    }

  self->last_time = now;
  if (self->held->len > 0)
    {
      if (fast)
        {
          g_string_append_c (self->held, (char) c);
          g_clear_handle_id (&self->flush_id, g_source_remove);
          self->flush_id = g_timeout_add (self->max_gap * 2, flush_cb, self);
          return TRUE;
        }
      release_held (self);
    }

  if (c >= 'A' && c <= 'Z' && (self->heard->len == 0 || !fast))
    {
      g_string_truncate (self->heard, 0);
      g_string_append_c (self->held, (char) c);
      self->flush_id = g_timeout_add (self->max_gap * 2, flush_cb, self);
      return TRUE;
    }

  if (!fast)
    g_string_truncate (self->heard, 0);
  g_string_append_c (self->heard, (char) c);
  return FALSE;
}

static void
sd_scan_catcher_dispose (GObject *object)
{
  SdScanCatcher *self = SD_SCAN_CATCHER (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_weak_pointer (&self->fallback);
  if (self->widget != NULL)
    {
      gtk_widget_remove_controller (self->widget, self->controller);
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }
  G_OBJECT_CLASS (sd_scan_catcher_parent_class)->dispose (object);
}

static void
sd_scan_catcher_finalize (GObject *object)
{
  SdScanCatcher *self = SD_SCAN_CATCHER (object);

  g_string_free (self->held, TRUE);
  g_string_free (self->heard, TRUE);
  G_OBJECT_CLASS (sd_scan_catcher_parent_class)->finalize (object);
}

static void
sd_scan_catcher_class_init (SdScanCatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_scan_catcher_dispose;
  object_class->finalize = sd_scan_catcher_finalize;

  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sd_scan_catcher_init (SdScanCatcher *self)
{
  self->held = g_string_new (NULL);
  self->heard = g_string_new (NULL);
  self->max_gap = DEFAULT_MAX_GAP;
  self->enabled = TRUE;
}

SdScanCatcher *
sd_scan_catcher_new (GtkWidget *widget)
{
  SdScanCatcher *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (SD_TYPE_SCAN_CATCHER, NULL);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  self->controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (self->controller, "sd-scan-catcher");
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, self->controller);
  return self;
}

void
sd_scan_catcher_set_enabled (SdScanCatcher *self,
                             gboolean       enabled)
{
  g_return_if_fail (SD_IS_SCAN_CATCHER (self));

  if (!enabled)
    {
      release_held (self);
      reset (self);
    }
  self->enabled = enabled;
}

void
sd_scan_catcher_set_max_gap (SdScanCatcher *self,
                             guint          ms)
{
  g_return_if_fail (SD_IS_SCAN_CATCHER (self));
  self->max_gap = CLAMP (ms, 5, 500);
}

/**
 * sd_scan_catcher_set_fallback:
 * @widget: (nullable): where a held key goes when no field has the focus
 *
 * Check-in sends typing to its search wherever the focus is on the desk;
 * a capital the catcher held back must go there too.
 */
void
sd_scan_catcher_set_fallback (SdScanCatcher *self,
                              GtkWidget     *widget)
{
  g_return_if_fail (SD_IS_SCAN_CATCHER (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  g_set_weak_pointer (&self->fallback, widget);
}
