/* sd-inject-strip.c: an exercise's open injects for the players at this desk, over the desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On an exercise database every desk plays for someone: a shelter's
 * intake and check-in for that shelter's players, HQ's desks for HQ.
 * The strip lists the injects delivered to them and not yet done, each
 * with its time, who sends it and what happens, and two buttons: 確認
 * (the players have seen it) and 完了 (they have dealt with it); both
 * are stamped in exercise time, and the facilitator's console times
 * them.  What the players are expected to do is not shown: that is the
 * evaluators' part of the scenario.
 *
 * The facilitator's engine runs in another process (or this one's
 * worker thread): a delivery shows here when the file says so
 * (SdLiveRefresh, at most two seconds later).  With nothing open the
 * strip takes no room.
 *
 * While it shows, its tag is the exercise's band: striped like it and
 * saying 訓練 EXERCISE, so that the window hides its own band and a
 * kiosk's 600 pixels keep room for the desk ("showing").
 */
#include "sd-inject-strip.h"

#include "sd-exercise-live.h"
#include "sd-exercise-words.h"
#include "sd-live-refresh.h"
#include "sd-scenario.h"

#include <glib/gi18n.h>

struct _SdInjectStrip
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkRevealer    *revealer;
  GtkLabel       *heading_label;
  GtkLabel       *message_label;
  GtkListBox     *list;

  /* Owned References */
  SdStore        *store;
  GListStore     *injects;       /* SdExerciseInject */
  SdLiveRefresh  *live;
  char           *shelter_code;  /* NULL: HQ's players */
  char           *shown;         /* what INJECTS hold: serials and states */
  gboolean        for_someone;
};

G_DEFINE_FINAL_TYPE (SdInjectStrip, sd_inject_strip, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SHOWING, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
set_message (SdInjectStrip *self,
             const char    *text)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static GtkWidget *
button_for (const char *label,
            const char *accessible,
            const char *action,
            const char *serial)
{
  /* With a mnemonic: Alt and the letter acknowledges (or finishes) the
   * inject; with several in the strip, it goes from one to the next and
   * Enter presses the one it is on. */
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", serial);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "inject-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return button;
}

/* Two lines of the inject at first; a touch shows it whole (and again
 * folds it), so a long one never pushes the desk off a small screen. */
static void
text_toggled_cb (GtkToggleButton *button,
                 GtkLabel        *text)
{
  gboolean whole = gtk_toggle_button_get_active (button);

  gtk_label_set_lines (text, whole ? -1 : 2);
  gtk_label_set_ellipsize (text, whole ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
}

static GtkWidget *
inject_row (gpointer item,
            gpointer user_data)
{
  SdExerciseInject *inject = item;
  const char *serial = sd_exercise_inject_get_serial (inject);
  const char *description = sd_exercise_inject_get_description (inject);
  gboolean acknowledged = g_strcmp0 (sd_exercise_inject_get_state (inject), "acknowledged") == 0;
  gint64 delivered = sd_exercise_inject_get_delivered (inject);
  /* To the minute, as scenarios and the console's list write times. */
  g_autofree char *at = sd_scenario_format_time (delivered - delivered % 60000);
  g_autofree char *ack_name = g_strdup_printf (_("Acknowledge inject %s"), serial);
  g_autofree char *done_name = g_strdup_printf (_("Inject %s is done"), serial);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *when = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *time = gtk_label_new (at);
  GtkWidget *from = gtk_label_new (sd_exercise_inject_get_sender (inject));
  GtkWidget *more = gtk_toggle_button_new ();
  GtkWidget *text = gtk_label_new (description);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Tab goes from button to button, not through the rows. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_add_css_class (time, "inject-time");
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_label_set_xalign (GTK_LABEL (from), 0);
  gtk_label_set_ellipsize (GTK_LABEL (from), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (from), 8);
  gtk_widget_add_css_class (from, "inject-from");
  gtk_widget_set_valign (when, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (when), time);
  gtk_box_append (GTK_BOX (when), from);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  /* Its natural width is a line's, not the whole text's: the desk's
   * sidebar is not folded away for a long inject. */
  gtk_label_set_max_width_chars (GTK_LABEL (text), 30);
  gtk_label_set_lines (GTK_LABEL (text), 2);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_button_set_child (GTK_BUTTON (more), text);
  gtk_widget_set_hexpand (more, TRUE);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_add_css_class (more, "inject-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  g_signal_connect_object (more, "toggled", G_CALLBACK (text_toggled_cb), text, 0);
  gtk_box_append (GTK_BOX (box), when);
  gtk_box_append (GTK_BOX (box), more);
  if (acknowledged)
    {
      GtkWidget *state = gtk_label_new (sd_exercise_state_label ("acknowledged", NULL));

      gtk_widget_add_css_class (state, "success");
      gtk_box_append (GTK_BOX (box), state);
    }
  else
    gtk_box_append (GTK_BOX (box), button_for (_("_Acknowledge"), ack_name, "strip.acknowledge", serial));
  gtk_box_append (GTK_BOX (box), button_for (_("_Done"), done_name, "strip.done", serial));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

void
sd_inject_strip_refresh (SdInjectStrip *self)
{
  g_autoptr(GListModel) open = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n;

  g_return_if_fail (SD_IS_INJECT_STRIP (self));

  sd_live_refresh_reading (self->live);
  if (self->store != NULL && self->for_someone)
    open = sd_exercise_list_open_injects (self->store, self->shelter_code, &error);
  if (error != NULL)
    g_debug ("The exercise's injects could not be read: %s", error->message);
  n = open != NULL ? g_list_model_get_n_items (open) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (open, i);

      g_string_append_printf (shown, "%s=%s\n", sd_exercise_inject_get_serial (inject),
                              sd_exercise_inject_get_state (inject));
    }
  /* Rows are made again only when something changed: a player's finger
   * on 確認 is not pulled away by a refresh that changed nothing. */
  if (g_strcmp0 (shown->str, self->shown) != 0)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *heading = NULL;

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (open, i));
      g_list_store_splice (self->injects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->injects)), items->pdata,
                           items->len);
      g_free (self->shown);
      self->shown = g_strdup (shown->str);
      /* Translators: the strip's tag, which stands for the window's
       * exercise band while it shows: the band's words over how many
       * injects wait here */
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "EXERCISE\n%u inject", "EXERCISE\n%u injects", n), n);
      gtk_label_set_text (self->heading_label, heading);
    }
  if (gtk_revealer_get_reveal_child (self->revealer) != (n > 0))
    {
      gtk_revealer_set_reveal_child (self->revealer, n > 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING]);
    }
}

gboolean
sd_inject_strip_get_showing (SdInjectStrip *self)
{
  g_return_val_if_fail (SD_IS_INJECT_STRIP (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

GtkWidget *
sd_inject_strip_get_band (SdInjectStrip *self)
{
  g_return_val_if_fail (SD_IS_INJECT_STRIP (self), NULL);
  return GTK_WIDGET (self->heading_label);
}

static void
sd_inject_strip_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdInjectStrip *self = SD_INJECT_STRIP (object);

  switch (prop_id)
    {
    case PROP_SHOWING:
      g_value_set_boolean (value, sd_inject_strip_get_showing (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

typedef gboolean (*PlayerStep) (SdStore *store, const char *serial, GError **error);

static gboolean
done_by_player (SdStore     *store,
                const char  *serial,
                GError     **error)
{
  return sd_exercise_mark_done (store, serial, "player", error);
}

/* 確認 and 完了, each with the inject's serial as its target. */
static const struct {
  const char *action;
  PlayerStep  step;
} player_steps[] = {
  { "strip.acknowledge", sd_exercise_acknowledge },
  { "strip.done", done_by_player },
};

static void
player_step_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdInjectStrip *self = SD_INJECT_STRIP (widget);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (player_steps); i++)
    if (g_str_equal (action_name, player_steps[i].action))
      player_steps[i].step (self->store, g_variant_get_string (parameter, NULL), &error);
  set_message (self, error != NULL ? error->message : NULL);
  sd_inject_strip_refresh (self);
}

static void
set_players (SdInjectStrip *self,
             gboolean       for_someone,
             const char    *shelter_code)
{
  if (self->for_someone == for_someone && g_strcmp0 (self->shelter_code, shelter_code) == 0)
    return;
  self->for_someone = for_someone;
  g_free (self->shelter_code);
  self->shelter_code = g_strdup (shelter_code);
  set_message (self, NULL);
  sd_inject_strip_refresh (self);
}

void
sd_inject_strip_show_for (SdInjectStrip *self,
                          const char    *shelter_code)
{
  g_return_if_fail (SD_IS_INJECT_STRIP (self));
  set_players (self, TRUE, shelter_code);
}

void
sd_inject_strip_show_none (SdInjectStrip *self)
{
  g_return_if_fail (SD_IS_INJECT_STRIP (self));
  set_players (self, FALSE, NULL);
}

void
sd_inject_strip_set_store (SdInjectStrip *self,
                           SdStore       *store)
{
  g_return_if_fail (SD_IS_INJECT_STRIP (self));

  /* Not an exercise: no strip, and nothing polled for it. */
  if (store != NULL && !sd_store_get_is_exercise (store))
    store = NULL;
  g_set_object (&self->store, store);
  sd_live_refresh_set_store (self->live, store);
  gtk_widget_set_visible (GTK_WIDGET (self), store != NULL);
  sd_inject_strip_refresh (self);
}

GListModel *
sd_inject_strip_get_injects (SdInjectStrip *self)
{
  g_return_val_if_fail (SD_IS_INJECT_STRIP (self), NULL);
  return G_LIST_MODEL (self->injects);
}

const char *
sd_inject_strip_get_message (SdInjectStrip *self)
{
  g_return_val_if_fail (SD_IS_INJECT_STRIP (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_text (self->message_label) : NULL;
}

static void
sd_inject_strip_dispose (GObject *object)
{
  SdInjectStrip *self = SD_INJECT_STRIP (object);
  GtkWidget *child;

  g_clear_pointer (&self->live, sd_live_refresh_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_INJECT_STRIP);
  /* GTK 4.8 leaves the template's top widget to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->injects);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_inject_strip_parent_class)->dispose (object);
}

static void
sd_inject_strip_finalize (GObject *object)
{
  SdInjectStrip *self = SD_INJECT_STRIP (object);

  g_free (self->shelter_code);
  g_free (self->shown);
  G_OBJECT_CLASS (sd_inject_strip_parent_class)->finalize (object);
}

static void
sd_inject_strip_class_init (SdInjectStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_inject_strip_dispose;
  object_class->finalize = sd_inject_strip_finalize;
  object_class->get_property = sd_inject_strip_get_property;

  /* Whether injects are shown (and the tag stands for the window's band). */
  properties[PROP_SHOWING] = g_param_spec_boolean ("showing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-inject-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, SdInjectStrip, revealer);
  gtk_widget_class_bind_template_child (widget_class, SdInjectStrip, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SdInjectStrip, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdInjectStrip, list);
  for (guint i = 0; i < G_N_ELEMENTS (player_steps); i++)
    gtk_widget_class_install_action (widget_class, player_steps[i].action, "s", player_step_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_inject_strip_init (SdInjectStrip *self)
{
  static const char *const tables[] = { "exercise_injects", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->injects = g_list_store_new (SD_TYPE_EXERCISE_INJECT);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->injects), inject_row, NULL, NULL);
  self->live = sd_live_refresh_new (GTK_WIDGET (self), G_CALLBACK (sd_inject_strip_refresh), tables);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
