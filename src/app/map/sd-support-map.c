/* sd-support-map.c: listed people and shelters on the offline map, with a legend and who is not on it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-support-map-shumate.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sd-map-people.h"
#include "sd-mbtiles-source.h"
#include "sd-people-layer.h"

/* Where the map opens with no base map and nobody placed: Japan. */
#define JAPAN_LAT 36.0
#define JAPAN_LON 138.0

struct _SdSupportMap {
  GtkWidget          parent_instance;

  /* Template Widgets */
  GtkOverlay        *overlay;
  ShumateMap        *map;
  GtkBox            *legend;
  GtkMenuButton     *unplaced_button;
  GtkListBox        *unplaced_list;
  GtkLabel          *message_label;
  GtkBox            *scale_box;
  GtkLabel          *attribution_label;

  /* Owned References */
  SdStore           *store;
  SdMbtilesSource   *source;
  ShumateMapLayer   *tiles_layer;
  SdPeopleLayer     *layer;
  GCancellable      *loading;
  GtkLabel          *legend_counts[SD_N_MARKER_KINDS + 1];
  char              *tiles_problem;   /* why there is no base map, or NULL */
  gboolean           placed_once;     /* the view was fitted to the data */
  guint              fit_idle;        /* fitting it, once it has a size */
};

G_DEFINE_FINAL_TYPE (SdSupportMap, sd_support_map, GTK_TYPE_WIDGET)

enum {
  PERSON_ACTIVATED,
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the first view ---- */

/* Fits the view to the people once, when they are read and the map is on
 * the screen with a size, whichever comes last (they are often read while
 * the list is shown).  Never again by a reload: the view a user chose
 * stays when another desk's report comes in. */
static void
fit_once (SdSupportMap *self)
{
  if (self->placed_once || sd_people_layer_get_people (self->layer) == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;
  self->placed_once = TRUE;
  sd_support_map_show_whole (self);
}

/* ---- the legend and the people not on the map ---- */

static void
show_legend (SdSupportMap *self)
{
  SdMapPeople *people = sd_people_layer_get_people (self->layer);
  guint counts[SD_N_MARKER_KINDS + 1] = { 0 };  /* the last: shelters */

  sd_people_layer_count (self->layer, counts);
  for (guint i = 0; people != NULL && i < people->shelters->len; i++)
    counts[SD_N_MARKER_KINDS] += g_array_index (people->shelters, SdMapShelter, i).at.placed == SD_GEOCODE_FOUND;
  for (int k = 0; k <= SD_N_MARKER_KINDS; k++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[k]);

      gtk_label_set_text (self->legend_counts[k], text);
    }
}

static void
add_legend_row (SdSupportMap *self,
                int           kind,
                const char   *label)
{
  g_autoptr(GdkTexture) swatch = sd_people_layer_swatch (kind, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (swatch));
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *count = gtk_label_new ("0");

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  gtk_widget_set_size_request (picture, 26, 26);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "heading");
  gtk_box_append (GTK_BOX (row), picture);
  gtk_box_append (GTK_BOX (row), name);
  gtk_box_append (GTK_BOX (row), count);
  gtk_box_append (self->legend, row);
  self->legend_counts[kind] = GTK_LABEL (count);
}

static void
show_unplaced (SdSupportMap *self)
{
  SdMapPeople *people = sd_people_layer_get_people (self->layer);
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->unplaced_list))) != NULL)
    gtk_list_box_remove (self->unplaced_list, child);
  for (guint i = 0; people != NULL && i < people->people->len; i++)
    {
      const SdMapPerson *person = &g_array_index (people->people, SdMapPerson, i);
      GtkWidget *row, *box, *name, *why;

      if (person->at.placed == SD_GEOCODE_FOUND)
        continue;
      n++;
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      name = gtk_label_new (person->name);
      why = gtk_label_new (sd_geocode_result_label (person->at.placed));
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (name, "heading");
      gtk_label_set_xalign (GTK_LABEL (why), 0);
      gtk_label_set_wrap (GTK_LABEL (why), TRUE);
      gtk_widget_add_css_class (why, "dim-label");
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), why);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 8);
      gtk_widget_set_margin_end (box, 8);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_size_request (row, -1, 48);
      g_object_set_data_full (G_OBJECT (row), "person-id", g_strdup (person->id), g_free);
      gtk_list_box_append (self->unplaced_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unplaced_button), n > 0);
  if (n > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u person not on the map", "%u people not on the map",
                                                            n), n);

      gtk_menu_button_set_label (self->unplaced_button, text);
    }
}

static void
unplaced_activated_cb (SdSupportMap  *self,
                       GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "person-id");

  gtk_popover_popdown (GTK_POPOVER (gtk_menu_button_get_popover (self->unplaced_button)));
  if (id != NULL)
    g_signal_emit (self, signals[PERSON_ACTIVATED], 0, id);
}

/* ---- where the map looks ---- */

static void
show_message (SdSupportMap *self)
{
  SdMapPeople *people = sd_people_layer_get_people (self->layer);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->tiles_problem != NULL)
    g_string_append (text, self->tiles_problem);
  if (people != NULL && people->people->len > 0 && people->placed == 0)
    {
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, _("Nobody on the list could be placed: load the national address reference with "
                               "“shelterdesk-cli map import-addresses FILE.csv”."));
    }
  gtk_label_set_text (self->message_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text->len > 0);
}

void
sd_support_map_show_whole (SdSupportMap *self)
{
  ShumateViewport *viewport;
  SdMapPeople *people;
  double bounds[4] = { 0 }, width, height, zoom;
  gboolean have = FALSE;

  g_return_if_fail (SD_IS_SUPPORT_MAP (self));

  viewport = shumate_map_get_viewport (self->map);
  people = sd_people_layer_get_people (self->layer);
  /* The people first (the area that matters), else the base map's. */
  if (people != NULL && people->placed > 0)
    {
      bounds[0] = bounds[1] = 180;
      bounds[2] = bounds[3] = -180;
      for (guint i = 0; i < people->people->len; i++)
        {
          const SdMapPerson *person = &g_array_index (people->people, SdMapPerson, i);

          if (person->at.placed != SD_GEOCODE_FOUND)
            continue;
          bounds[0] = MIN (bounds[0], person->at.lon);
          bounds[1] = MIN (bounds[1], person->at.lat);
          bounds[2] = MAX (bounds[2], person->at.lon);
          bounds[3] = MAX (bounds[3], person->at.lat);
        }
      have = TRUE;
    }
  if (!have && self->source != NULL)
    have = sd_mbtiles_source_get_bounds (self->source, bounds);
  if (!have)
    {
      shumate_map_center_on (self->map, JAPAN_LAT, JAPAN_LON);
      shumate_viewport_set_zoom_level (viewport, 5);
      return;
    }
  /* The deepest zoom at which the whole box fits the widget. */
  /* A margin so the outermost markers and shelter codes show whole. */
  width = MAX (gtk_widget_get_width (GTK_WIDGET (self->map)) - 64, 256);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (self->map)) - 64, 192);
  zoom = shumate_viewport_get_max_zoom_level (viewport);
  while (zoom > shumate_viewport_get_min_zoom_level (viewport))
    {
      double world = 256.0 * pow (2.0, zoom);
      double w = (bounds[2] - bounds[0]) / 360.0 * world;
      double n = log (tan (G_PI / 4 + bounds[3] * G_PI / 360.0)), s = log (tan (G_PI / 4 + bounds[1] * G_PI / 360.0));
      double h = (n - s) / (2 * G_PI) * world;

      if (w <= width && h <= height)
        break;
      zoom -= 1;
    }
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, (bounds[1] + bounds[3]) / 2.0, (bounds[0] + bounds[2]) / 2.0);
}

static void
zoom_in_cb (SdSupportMap *self)
{
  shumate_map_zoom_in (self->map);
}

static void
zoom_out_cb (SdSupportMap *self)
{
  shumate_map_zoom_out (self->map);
}

static void
whole_cb (SdSupportMap *self)
{
  sd_support_map_show_whole (self);
}

/* ---- the base map ---- */

static void
set_tiles (SdSupportMap *self)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (self->tiles_layer != NULL)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->tiles_layer));
  self->tiles_layer = NULL;
  g_clear_object (&self->source);
  g_clear_pointer (&self->tiles_problem, g_free);
  gtk_label_set_text (self->attribution_label, "");

  path = self->store != NULL ? sd_store_get_map_tiles (self->store, &error) : NULL;
  if (path != NULL)
    self->source = sd_mbtiles_source_new (path, &error);
  if (self->source == NULL)
    {
      if (error != NULL)
        self->tiles_problem = g_strdup_printf (_("The base map cannot be shown: %s"), error->message);
      else
        self->tiles_problem = g_strdup (_("This desk has no base map: the markers are shown on a plain background. "
                                          "Add one with “shelterdesk-cli map use-tiles FILE.mbtiles”."));
      shumate_viewport_set_min_zoom_level (viewport, 3);
      shumate_viewport_set_max_zoom_level (viewport, 18);
      return;
    }
  shumate_viewport_set_reference_map_source (viewport, SHUMATE_MAP_SOURCE (self->source));
  shumate_viewport_set_min_zoom_level (viewport,
                                       shumate_map_source_get_min_zoom_level (SHUMATE_MAP_SOURCE (self->source)));
  shumate_viewport_set_max_zoom_level (viewport,
                                       shumate_map_source_get_max_zoom_level (SHUMATE_MAP_SOURCE (self->source)));
  self->tiles_layer = shumate_map_layer_new (SHUMATE_MAP_SOURCE (self->source), viewport);
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->tiles_layer), SHUMATE_LAYER (self->layer));
  if (shumate_map_source_get_license (SHUMATE_MAP_SOURCE (self->source)) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Map: %s"),
                                               shumate_map_source_get_license (SHUMATE_MAP_SOURCE (self->source)));

      gtk_label_set_text (self->attribution_label, text);
    }
}

/* ---- reading ---- */

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      data,
             GCancellable *cancellable)
{
  g_autoptr(SdStore) store = NULL;
  SdMapPeople *people = NULL;
  GError *error = NULL;

  store = sd_store_open (data, SD_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    people = sd_map_people_read (store, &error);
  if (people != NULL)
    g_task_return_pointer (task, people, (GDestroyNotify) sd_map_people_free);
  else
    g_task_return_error (task, error);
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SdSupportMap *self;
  g_autoptr(GError) error = NULL;
  SdMapPeople *people = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SD_SUPPORT_MAP (object);
  g_clear_object (&self->loading);
  if (people == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      g_signal_emit (self, signals[LOADED], 0);
      return;
    }
  sd_people_layer_set_people (self->layer, people);
  show_legend (self);
  show_unplaced (self);
  show_message (self);
  fit_once (self);
  g_signal_emit (self, signals[LOADED], 0);
}

void
sd_support_map_reload (SdSupportMap *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_SUPPORT_MAP (self));

  if (self->store == NULL)
    return;
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  task = g_task_new (self, self->loading, read_done_cb, NULL);
  g_task_set_source_tag (task, sd_support_map_reload);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (sd_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, read_thread);
}

void
sd_support_map_set_store (SdSupportMap *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));

  if (!g_set_object (&self->store, store))
    return;
  self->placed_once = FALSE;
  sd_people_layer_set_people (self->layer, NULL);
  set_tiles (self);
  show_message (self);
}

void
sd_support_map_set_shown (SdSupportMap *self,
                          GHashTable   *shown)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));

  sd_people_layer_set_shown (self->layer, shown);
  show_legend (self);
}

/* ---- touching a marker ---- */

gboolean
sd_support_map_activate_at (SdSupportMap *self,
                            double        x,
                            double        y)
{
  SdMapPeople *people;
  int i;

  g_return_val_if_fail (SD_IS_SUPPORT_MAP (self), FALSE);

  people = sd_people_layer_get_people (self->layer);
  i = sd_people_layer_person_at (self->layer, x, y);
  if (people == NULL || i < 0)
    return FALSE;
  g_signal_emit (self, signals[PERSON_ACTIVATED], 0, g_array_index (people->people, SdMapPerson, i).id);
  return TRUE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             SdSupportMap    *self)
{
  double lx = x, ly = y;

  if (n_press != 1)
    return;
  gtk_widget_translate_coordinates (GTK_WIDGET (self->map), GTK_WIDGET (self->layer), x, y, &lx, &ly);
  sd_support_map_activate_at (self, lx, ly);
}

/* ---- the keyboard ---- */

/* Moves the view by DX, DY parts of its size. */
static void
pan (SdSupportMap *self,
     double        dx,
     double        dy)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  double w = gtk_widget_get_width (GTK_WIDGET (self->map)), h = gtk_widget_get_height (GTK_WIDGET (self->map));
  double lat = 0, lon = 0;

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->map), w / 2.0 + dx * w, h / 2.0 + dy * h,
                                              &lat, &lon);
  shumate_map_center_on (self->map, lat, lon);
}

gboolean
sd_support_map_activate_centre (SdSupportMap *self)
{
  SdMapPeople *people;
  int i;

  g_return_val_if_fail (SD_IS_SUPPORT_MAP (self), FALSE);

  people = sd_people_layer_get_people (self->layer);
  i = sd_people_layer_person_near_centre (self->layer);
  if (people == NULL || i < 0)
    return FALSE;
  g_signal_emit (self, signals[PERSON_ACTIVATED], 0, g_array_index (people->people, SdMapPerson, i).id);
  return TRUE;
}

/* Arrows move the map an eighth of its size, + and − zoom, Home shows
 * the whole area, Enter opens the person ringed nearest the cross. */
static gboolean
key_pressed_cb (GtkEventControllerKey *keys,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdSupportMap          *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: pan (self, -0.125, 0); return TRUE;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: pan (self, 0.125, 0); return TRUE;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: pan (self, 0, -0.125); return TRUE;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: pan (self, 0, 0.125); return TRUE;
    case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add: shumate_map_zoom_in (self->map); return TRUE;
    case GDK_KEY_minus: case GDK_KEY_KP_Subtract: shumate_map_zoom_out (self->map); return TRUE;
    case GDK_KEY_Home: case GDK_KEY_KP_Home: sd_support_map_show_whole (self); return TRUE;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space: return sd_support_map_activate_centre (self);
    default: return FALSE;
    }
}

/* North stays up: a map read at arm's length by people who know the town
 * by it (and the markers are drawn fastest that way). */
static void
rotation_changed_cb (ShumateViewport *viewport)
{
  if (shumate_viewport_get_rotation (viewport) != 0.0)
    shumate_viewport_set_rotation (viewport, 0.0);
}

static void
focus_changed_cb (SdSupportMap *self)
{
  sd_people_layer_set_keyboard (self->layer, gtk_widget_has_focus (GTK_WIDGET (self->map)));
}

ShumateMap *
sd_support_map_get_map (SdSupportMap *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_MAP (self), NULL);
  return self->map;
}

GtkWidget *
sd_support_map_get_layer (SdSupportMap *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_MAP (self), NULL);
  return GTK_WIDGET (self->layer);
}

guint
sd_support_map_get_n_unplaced (SdSupportMap *self)
{
  SdMapPeople *people;

  g_return_val_if_fail (SD_IS_SUPPORT_MAP (self), 0);
  people = sd_people_layer_get_people (self->layer);
  return people == NULL ? 0 : people->people->len - people->placed;
}

/* ---- the widget ---- */

static gboolean
fit_idle_cb (gpointer data)
{
  SdSupportMap *self = data;

  self->fit_idle = 0;
  fit_once (self);
  return G_SOURCE_REMOVE;
}

/* The map fills the widget; this does the bin layout itself, so that a
 * new size can also fit the view if that is still to be done (after this
 * allocation rather than inside it). */
static void
sd_support_map_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  SdSupportMap *self = SD_SUPPORT_MAP (widget);

  gtk_widget_measure (GTK_WIDGET (self->overlay), orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
}

static void
sd_support_map_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SdSupportMap *self = SD_SUPPORT_MAP (widget);

  gtk_widget_allocate (GTK_WIDGET (self->overlay), width, height, baseline, NULL);
  if (!self->placed_once && self->fit_idle == 0)
    self->fit_idle = g_idle_add (fit_idle_cb, self);
}

static void
sd_support_map_map (GtkWidget *widget)
{
  SdSupportMap *self = SD_SUPPORT_MAP (widget);

  GTK_WIDGET_CLASS (sd_support_map_parent_class)->map (widget);
  if (!self->placed_once && self->fit_idle == 0)
    self->fit_idle = g_idle_add (fit_idle_cb, self);
}

static void
sd_support_map_dispose (GObject *object)
{
  SdSupportMap *self = SD_SUPPORT_MAP (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->fit_idle, g_source_remove);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SUPPORT_MAP);
  g_clear_object (&self->source);
  g_clear_pointer (&self->tiles_problem, g_free);
  G_OBJECT_CLASS (sd_support_map_parent_class)->dispose (object);
}

static void
sd_support_map_class_init (SdSupportMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_support_map_dispose;
  widget_class->measure = sd_support_map_measure;
  widget_class->size_allocate = sd_support_map_size_allocate;
  widget_class->map = sd_support_map_map;

  /* "person-activated" (id): a touch on a listed person's marker, or
   * on their name among the people not on the map. */
  signals[PERSON_ACTIVATED] = g_signal_new ("person-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* "loaded": the people and shelters were read (or failed to be). */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SHUMATE_TYPE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-support-map.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, overlay);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, map);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, legend);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, unplaced_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, unplaced_list);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, scale_box);
  gtk_widget_class_bind_template_child (widget_class, SdSupportMap, attribution_label);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, whole_cb);
  gtk_widget_class_bind_template_callback (widget_class, unplaced_activated_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_support_map_init (SdSupportMap *self)
{
  ShumateViewport *viewport;
  ShumateScale *scale;
  GtkEventController *keys, *focus;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  viewport = shumate_map_get_viewport (self->map);
  self->layer = sd_people_layer_new (viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->layer));
  scale = shumate_scale_new (viewport);
  shumate_scale_set_unit (scale, SHUMATE_UNIT_METRIC);
  gtk_box_append (self->scale_box, GTK_WIDGET (scale));
  add_legend_row (self, SD_MARKER_UNCONFIRMED, _("Unconfirmed or missing"));
  add_legend_row (self, SD_MARKER_HELPING, _("Being helped or injured"));
  add_legend_row (self, SD_MARKER_CONFIRMED, _("Safe at home or evacuated"));
  add_legend_row (self, SD_N_MARKER_KINDS, _("Shelter"));
  g_signal_connect (viewport, "notify::rotation", G_CALLBACK (rotation_changed_cb), NULL);
  gtk_widget_set_focusable (GTK_WIDGET (self->map), TRUE);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), keys);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), focus);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));
  set_tiles (self);
}

GtkWidget *
sd_support_map_new (void)
{
  return g_object_new (SD_TYPE_SUPPORT_MAP, NULL);
}
