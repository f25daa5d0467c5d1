/* sd-accessible.c: the names a screen reader reads, where GTK 4.8 gets
 * them wrong by itself.
 *
 * GTK 4.8 joins a widget's label property and the names of what it is
 * labelled by, and names a widget nobody named after its class.  Read
 * through AT-SPI (tests/ui/test-accessibility.py), that made Orca say
 * "Sign _out Sign out" for every button with a mnemonic, "Stay here _I"
 * with the underscore for check boxes, "GtkToggleButton" for the button
 * inside every drop-down, and "GtkListItemWidget" for every row of a list.
 *
 * One emission hook on GtkWidget::realize mends each such widget when it
 * first joins a window, whoever made it (a template, a list's factory, a
 * dialog):
 *   - a button or check button with a mnemonic: its name is its label
 *     without the underscore, and nothing else;
 *   - the button a drop-down, a column view or a list opens with: named by
 *     that widget;
 *   - a row of a list or a column view, a child of a flow box: named by
 *     the labels it shows, so a row is read as what it says.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-accessible.h"

#include <adwaita.h>

#include <string.h>

#define WATCHED_KEY "sd-accessible-watched"

/* LABEL as a screen reader should say it: "_Sign out" → "Sign out",
 * "__" → "_", and the Japanese way of showing the key, "サインアウト(_O)",
 * → "サインアウト" (read aloud, "(O)" is only noise). */
char *
sd_accessible_strip_mnemonic (const char *label)
{
  GString *out = g_string_sized_new (label != NULL ? strlen (label) : 0);

  for (const char *p = label; p != NULL && *p != '\0'; p++)
    {
      if (p[0] == '(' && p[1] == '_' && p[2] != '\0' && g_ascii_isalnum (p[2]) && p[3] == ')')
        {
          p += 3;
          continue;
        }
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* A button's or a check button's label, as its name: GTK sets the name to
 * the label with its underscore, and a button's also lists the label child
 * the mnemonic points at. */
static void
name_from_label (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_BUTTON (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }
  if (label == NULL || !underline)
    return;

  g_autofree char *plain = sd_accessible_strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

/* Connects HANDLER to NOTIFY on WIDGET once, whatever realizes it again. */
static void
watch (GtkWidget  *widget,
       const char *notify,
       GCallback   handler)
{
  if (g_object_get_data (G_OBJECT (widget), WATCHED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), WATCHED_KEY, GINT_TO_POINTER (TRUE));
  g_signal_connect_after (widget, notify, handler, NULL);
}

static void
label_changed (GtkWidget  *widget,
               GParamSpec *pspec,
               gpointer    data)
{
  name_from_label (widget);
}

static void
mend_labelled (GtkWidget *widget)
{
  name_from_label (widget);
  /* GTK names it again each time its label changes. */
  watch (widget, "notify::label", G_CALLBACK (label_changed));
}

static gboolean
type_is (GtkWidget  *widget,
         const char *name)
{
  return g_strcmp0 (G_OBJECT_TYPE_NAME (widget), name) == 0;
}

/* Every GtkLabel under WIDGET. */
static void
collect_labels (GtkWidget *widget,
                GList    **labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        {
          /* A label whose text was never set would be read as "GtkLabel";
           * GTK keeps this name as the text changes (a list binds its rows'
           * text after they are made). */
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (child)), -1);
          *labels = g_list_prepend (*labels, child);
        }
      else
        collect_labels (child, labels);
    }
}

/* A row (or a flow box's child) is named by the labels it shows, in order. */
static void
name_by_labels (GtkWidget *row)
{
  GList *labels = NULL;

  collect_labels (row, &labels);
  if (labels == NULL)
    return;
  labels = g_list_reverse (labels);

  GValue value = G_VALUE_INIT;
  g_value_init (&value, G_TYPE_POINTER);
  g_value_set_pointer (&value, labels);
  GtkAccessibleRelation relation = GTK_ACCESSIBLE_RELATION_LABELLED_BY;
  /* GTK keeps the list (transfer full). */
  gtk_accessible_update_relation_value (GTK_ACCESSIBLE (row), 1, &relation, &value);
  g_value_unset (&value);
}

/* The row of a list or a column view that WIDGET (a cell's content) is in,
 * named again by the labels it shows: for a list's factory to call when it
 * binds, since a row out of sight is never realized. */
void
sd_accessible_name_row (GtkWidget *widget)
{
  for (GtkWidget *up = widget; up != NULL; up = gtk_widget_get_parent (up))
    if (type_is (up, "GtkListItemWidget"))
      {
        name_by_labels (up);
        return;
      }
}

/* The focusable part inside a composite (a drop-down's button, a column
 * view's list) takes the composite's name. */
static void
name_inner_by_outer (GtkWidget *outer,
                     GType      inner_type,
                     const char *inner_type_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (outer); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if ((inner_type != G_TYPE_INVALID && G_TYPE_CHECK_INSTANCE_TYPE (child, inner_type)) ||
          (inner_type_name != NULL && type_is (child, inner_type_name)))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY, outer, NULL,
                                        -1);
      else
        name_inner_by_outer (child, inner_type, inner_type_name);
    }
}

/* An expander is named by its label (GTK 4.8 names it "GtkExpander"). */
static void
name_expander (GtkWidget *widget)
{
  GtkExpander *expander = GTK_EXPANDER (widget);
  const char *label = gtk_expander_get_label (expander);

  if (label == NULL)
    return;

  g_autofree char *plain = gtk_expander_get_use_underline (expander) ? sd_accessible_strip_mnemonic (label)
                                                                      : g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

/* A label one can select text in takes the focus; while it is empty there
 * is nothing to select, and Tab would land on a blank read as "GtkLabel". */
static void
focus_if_text (GtkWidget *widget)
{
  GtkLabel *label = GTK_LABEL (widget);

  gtk_widget_set_focusable (widget, gtk_label_get_selectable (label) && *gtk_label_get_text (label) != '\0');
}

static void
selectable_label_changed (GtkWidget  *widget,
                          GParamSpec *pspec,
                          gpointer    data)
{
  focus_if_text (widget);
}

/* A status page scrolls its text in a scrolled window of its own, which
 * takes the focus when nothing else can: named by the page's title. */
static void
name_status_page (GtkWidget *widget)
{
  const char *title = adw_status_page_get_title (ADW_STATUS_PAGE (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SCROLLED_WINDOW (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title != NULL ? title : "", -1);
}

static void
status_title_changed (GtkWidget  *widget,
                      GParamSpec *pspec,
                      gpointer    data)
{
  name_status_page (widget);
}

/* A field named by a label with a mnemonic ("職員番号(_S)"): GTK 4.8 reads
 * the field's own name and then the label's text with its key, "職員番号
 * 職員番号(S)".  The field is named once, by the label as shown. */
static void
name_mnemonic_target (GtkWidget *widget)
{
  GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (widget));
  g_autofree char *plain = NULL;

  if (target == NULL || !gtk_label_get_use_underline (GTK_LABEL (widget)) || GTK_IS_BUTTON (target) ||
      GTK_IS_CHECK_BUTTON (target))
    return;
  plain = sd_accessible_strip_mnemonic (gtk_label_get_label (GTK_LABEL (widget)));
  if (*g_strstrip (plain) == '\0')
    return;
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

static void
mnemonic_label_changed (GtkWidget  *widget,
                        GParamSpec *pspec,
                        gpointer    data)
{
  name_mnemonic_target (widget);
}

/* The picture on an icon button (the PIN pad's backspace, the sidebar
 * button, a map's zoom) says nothing the button's name does not: GTK 4.8
 * names it after its class, and Orca read "GtkImage" before the button. */
static void
hide_button_image (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (parent != NULL && (GTK_IS_BUTTON (parent) || GTK_IS_MENU_BUTTON (parent) ||
                         GTK_IS_BUTTON (gtk_widget_get_parent (parent))))
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

static void
mend (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    mend_labelled (widget);
  else if (GTK_IS_IMAGE (widget))
    hide_button_image (widget);
  else if (GTK_IS_EXPANDER (widget))
    name_expander (widget);
  else if (GTK_IS_LABEL (widget) && gtk_label_get_mnemonic_widget (GTK_LABEL (widget)) != NULL)
    {
      name_mnemonic_target (widget);
      watch (widget, "notify::label", G_CALLBACK (mnemonic_label_changed));
    }
  else if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)))
    {
      focus_if_text (widget);
      watch (widget, "notify::label", G_CALLBACK (selectable_label_changed));
    }
  else if (ADW_IS_STATUS_PAGE (widget))
    {
      name_status_page (widget);
      watch (widget, "notify::title", G_CALLBACK (status_title_changed));
    }
  else if (GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget))
    name_inner_by_outer (widget, GTK_TYPE_TOGGLE_BUTTON, NULL);
  else if (GTK_IS_COLUMN_VIEW (widget))
    name_inner_by_outer (widget, G_TYPE_INVALID, "GtkColumnListView");
  else if (type_is (widget, "GtkListItemWidget") || GTK_IS_FLOW_BOX_CHILD (widget) ||
           GTK_IS_LIST_BOX_ROW (widget))
    name_by_labels (widget);

  /* A column view's row gets its cells after it is made. */
  GtkWidget *parent = gtk_widget_get_parent (widget);
  if (parent != NULL && type_is (parent, "GtkListItemWidget"))
    name_by_labels (parent);
}

static void
mend_tree (GtkWidget *widget)
{
  mend (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    mend_tree (child);
}

/* A window, or one of ShelterDesk's own widgets (a page, a form): all it
 * holds, shown or not yet (a stack's other pages, a hidden answer panel),
 * since AT-SPI lists those too.  Anything else: itself, as it appears. */
static gboolean
on_realize (GSignalInvocationHint *hint,
            guint                  n_params,
            const GValue          *params,
            gpointer               data)
{
  GObject *object = g_value_get_object (&params[0]);

  if (!GTK_IS_WIDGET (object))
    return TRUE;
  if (GTK_IS_ROOT (object) || g_str_has_prefix (G_OBJECT_TYPE_NAME (object), "Sd"))
    mend_tree (GTK_WIDGET (object));
  else
    mend (GTK_WIDGET (object));
  return TRUE;
}

/* Once, at start-up, before any window is made. */
void
sd_accessible_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* The signal exists once the class does. */
      gpointer klass = g_type_class_ref (GTK_TYPE_WIDGET);
      guint realize = g_signal_lookup ("realize", GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (realize, 0, on_realize, NULL, NULL);
      g_type_class_unref (klass);
      g_once_init_leave (&installed, 1);
    }
}
