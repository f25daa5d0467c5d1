/* sd-people-layer.c: every listed person and shelter on the map, drawn as one layer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-people-layer.h"

#include <math.h>
#include <string.h>

/* Logical pixels: markers big enough to see at arm's length, a reach a
 * finger can hit. */
#define MARKER_SIZE 16
#define SHELTER_SIZE 26
#define REACH 22.0
#define TILE_SIZE 256.0

typedef struct {
  double x, y;   /* Web Mercator, 0..1 from the west and the north */
} Projected;

struct _SdPeopleLayer {
  ShumateLayer  parent_instance;

  SdMapPeople  *people;
  Projected    *person_at;     /* one per person (unused when not placed) */
  Projected    *shelter_at;
  GHashTable   *shown;
  GdkTexture   *shelter;          /* a shelter's house, at TEXTURE_SCALE */
  int           texture_scale;

  /* The people's markers drawn once into one picture around the view, at
   * one zoom: a pan only moves it, a zoom scales it until it is drawn
   * again a moment later. */
  GdkTexture   *cache;
  double        cache_zoom;
  double        cache_x, cache_y;   /* its top left, world pixels at CACHE_ZOOM */
  int           cache_width, cache_height;
  guint         redraw_id;
  gboolean      keyboard;           /* show the cross and whom Enter opens */
};

G_DEFINE_FINAL_TYPE (SdPeopleLayer, sd_people_layer, SHUMATE_TYPE_LAYER)

SdMarkerKind
sd_marker_kind_for_status (SdSupportStatus status)
{
  switch (status)
    {
    case SD_SUPPORT_SAFE_HOME:
    case SD_SUPPORT_EVACUATED:
      return SD_MARKER_CONFIRMED;
    case SD_SUPPORT_HELPING:
    case SD_SUPPORT_INJURED:
      return SD_MARKER_HELPING;
    case SD_SUPPORT_UNCONFIRMED:
    case SD_SUPPORT_MISSING:
    default:
      return SD_MARKER_UNCONFIRMED;
    }
}

static void forget_cache (SdPeopleLayer *self);
static int  nearest      (SdPeopleLayer *self, gboolean shelters, double x, double y, double reach);

static Projected
project (double lat,
         double lon)
{
  double phi = CLAMP (lat, -85.0511, 85.0511) * G_PI / 180.0;

  return (Projected) { (lon + 180.0) / 360.0, (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0 };
}

/* Where P is in the layer now: the viewport's centre at the middle,
 * turned by its rotation. */
static void
to_widget (SdPeopleLayer *self,
           Projected      centre,
           double         world,
           double         cos_r,
           double         sin_r,
           Projected      p,
           double        *x,
           double        *y)
{
  double dx = (p.x - centre.x) * world, dy = (p.y - centre.y) * world;

  *x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 + dx * cos_r - dy * sin_r;
  *y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 + dx * sin_r + dy * cos_r;
}

typedef struct {
  Projected centre;
  double    world, cos_r, sin_r;
} View;

static View
current_view (SdPeopleLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double rotation = shumate_viewport_get_rotation (viewport);
  View view;

  view.centre = project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  view.world = TILE_SIZE * pow (2.0, shumate_viewport_get_zoom_level (viewport));
  view.cos_r = cos (rotation);
  view.sin_r = sin (rotation);
  return view;
}

void
sd_people_layer_locate (SdPeopleLayer *self,
                        double         lat,
                        double         lon,
                        double        *x,
                        double        *y)
{
  View view;

  g_return_if_fail (SD_IS_PEOPLE_LAYER (self));
  view = current_view (self);
  to_widget (self, view.centre, view.world, view.cos_r, view.sin_r, project (lat, lon), x, y);
}

/* ---- the marker pictures ---- */

static void
draw_marker (cairo_t *cr,
             int      kind,
             double   size)
{
  static const double colours[SD_N_MARKER_KINDS + 1][3] = {
    [SD_MARKER_UNCONFIRMED] = { 0.83, 0.12, 0.12 },
    [SD_MARKER_HELPING] = { 0.96, 0.62, 0.04 },
    [SD_MARKER_CONFIRMED] = { 0.18, 0.49, 0.20 },
    [SD_N_MARKER_KINDS] = { 0.08, 0.40, 0.75 },
  };
  double c = size / 2.0, r = size / 2.0 - 1.5;

  switch (kind)
    {
    case SD_MARKER_UNCONFIRMED:
      cairo_arc (cr, c, c, r, 0, 2 * G_PI);
      break;
    case SD_MARKER_HELPING:
      cairo_move_to (cr, c, 1.0);
      cairo_line_to (cr, size - 1.0, c);
      cairo_line_to (cr, c, size - 1.0);
      cairo_line_to (cr, 1.0, c);
      cairo_close_path (cr);
      break;
    case SD_MARKER_CONFIRMED:
      cairo_rectangle (cr, 2.5, 2.5, size - 5.0, size - 5.0);
      break;
    default:
      /* A house: a roof over a square. */
      cairo_move_to (cr, c, 1.5);
      cairo_line_to (cr, size - 1.5, c - 1.0);
      cairo_line_to (cr, size - 4.0, c - 1.0);
      cairo_line_to (cr, size - 4.0, size - 1.5);
      cairo_line_to (cr, 4.0, size - 1.5);
      cairo_line_to (cr, 4.0, c - 1.0);
      cairo_line_to (cr, 1.5, c - 1.0);
      cairo_close_path (cr);
      break;
    }
  cairo_set_source_rgb (cr, colours[kind][0], colours[kind][1], colours[kind][2]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

/* A picture of a marker (or legend swatch) of KIND, SIZE logical pixels
 * at SCALE. */
static GdkTexture *
marker_texture (int kind,
                int size,
                int scale)
{
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cairo_t *cr = cairo_create (surface);
  GdkTexture *texture;

  cairo_scale (cr, scale, scale);
  draw_marker (cr, kind, size);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * (gsize) (size * scale));
  texture = gdk_memory_texture_new (size * scale, size * scale, GDK_MEMORY_DEFAULT, bytes,
                                    (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

static void
ensure_shelter_texture (SdPeopleLayer *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->texture_scale == scale && self->shelter != NULL)
    return;
  g_clear_object (&self->shelter);
  self->shelter = marker_texture (SD_N_MARKER_KINDS, SHELTER_SIZE, scale);
  self->texture_scale = scale;
}

/* ---- drawing ---- */

static gboolean
person_shown (SdPeopleLayer     *self,
              const SdMapPerson *person)
{
  return person->at.placed == SD_GEOCODE_FOUND &&
         (self->shown == NULL || g_hash_table_contains (self->shown, person->id));
}

/* Draws the shown people into a new cache covering the view and half a
 * view more on each side, at the view's zoom. */
static void
draw_cache (SdPeopleLayer *self,
            const View    *view)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *marks[SD_N_MARKER_KINDS], *surface;
  g_autoptr(GBytes) bytes = NULL;
  cairo_t *cr;

  g_clear_object (&self->cache);
  self->cache_width = (int) ceil (width * 2);
  self->cache_height = (int) ceil (height * 2);
  self->cache_zoom = log2 (view->world / TILE_SIZE);
  self->cache_x = view->centre.x * view->world - width;
  self->cache_y = view->centre.y * view->world - height;
  for (int k = 0; k < SD_N_MARKER_KINDS; k++)
    {
      cairo_t *mark_cr;

      marks[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MARKER_SIZE * scale, MARKER_SIZE * scale);
      cairo_surface_set_device_scale (marks[k], scale, scale);
      mark_cr = cairo_create (marks[k]);
      draw_marker (mark_cr, k, MARKER_SIZE);
      cairo_destroy (mark_cr);
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, self->cache_width * scale, self->cache_height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  /* Confirmed first, unconfirmed last: red stays on top where they crowd. */
  for (int kind = SD_MARKER_CONFIRMED; kind >= SD_MARKER_UNCONFIRMED; kind--)
    for (guint i = 0; i < self->people->people->len; i++)
      {
        const SdMapPerson *person = &g_array_index (self->people->people, SdMapPerson, i);
        double x, y;

        if ((int) sd_marker_kind_for_status (person->status) != kind || !person_shown (self, person))
          continue;
        x = self->person_at[i].x * view->world - self->cache_x;
        y = self->person_at[i].y * view->world - self->cache_y;
        if (x < -MARKER_SIZE || y < -MARKER_SIZE || x > self->cache_width + MARKER_SIZE ||
            y > self->cache_height + MARKER_SIZE)
          continue;
        cairo_set_source_surface (cr, marks[kind], round (x - MARKER_SIZE / 2.0), round (y - MARKER_SIZE / 2.0));
        cairo_paint (cr);
      }
  cairo_destroy (cr);
  for (int k = 0; k < SD_N_MARKER_KINDS; k++)
    cairo_surface_destroy (marks[k]);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * (gsize) (self->cache_height * scale));
  self->cache = gdk_memory_texture_new (self->cache_width * scale, self->cache_height * scale, GDK_MEMORY_DEFAULT,
                                        bytes, (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
}

static gboolean
redraw_cb (gpointer data)
{
  SdPeopleLayer *self = data;

  self->redraw_id = 0;
  forget_cache (self);
  return G_SOURCE_REMOVE;
}

static void
snapshot_people (SdPeopleLayer *self,
                 GtkSnapshot   *snapshot,
                 const View    *view)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  double zoom = log2 (view->world / TILE_SIZE), s, left, top;

  if (self->cache == NULL)
    draw_cache (self, view);
  s = pow (2.0, zoom - self->cache_zoom);
  left = self->cache_x * s - (view->centre.x * view->world - width / 2.0);
  top = self->cache_y * s - (view->centre.y * view->world - height / 2.0);
  /* Panned past the picture's edge: draw it again around the view. */
  if (s == 1.0 && (left > 0 || top > 0 || left + self->cache_width < width || top + self->cache_height < height))
    {
      draw_cache (self, view);
      left = -width / 2.0;
      top = -height / 2.0;
    }
  /* Zooming: the picture scaled for now, drawn anew once it settles. */
  if (s != 1.0)
    {
      g_clear_handle_id (&self->redraw_id, g_source_remove);
      self->redraw_id = g_timeout_add (120, redraw_cb, self);
    }
  gtk_snapshot_append_texture (snapshot, self->cache,
                               &GRAPHENE_RECT_INIT (left, top, self->cache_width * s, self->cache_height * s));
}

/* The shelters in view: their houses, or (LABELS) their codes. */
static void
snapshot_shelters (SdPeopleLayer *self,
                   GtkSnapshot   *snapshot,
                   const View    *view,
                   gboolean       labels)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  g_autoptr(PangoLayout) layout = labels ? gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL) : NULL;
  GdkRGBA ink = { 0.05, 0.20, 0.45, 1.0 };

  for (guint i = 0; i < self->people->shelters->len; i++)
    {
      const SdMapShelter *shelter = &g_array_index (self->people->shelters, SdMapShelter, i);
      double x, y;

      if (shelter->at.placed != SD_GEOCODE_FOUND)
        continue;
      to_widget (self, view->centre, view->world, view->cos_r, view->sin_r, self->shelter_at[i], &x, &y);
      if (x < -100 || y < -SHELTER_SIZE || x > width + SHELTER_SIZE || y > height + SHELTER_SIZE)
        continue;
      if (!labels)
        {
          gtk_snapshot_append_texture (snapshot, self->shelter,
                                       &GRAPHENE_RECT_INIT (x - SHELTER_SIZE / 2.0, y - SHELTER_SIZE / 2.0,
                                                            SHELTER_SIZE, SHELTER_SIZE));
          continue;
        }
      pango_layout_set_text (layout, shelter->code, -1);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + SHELTER_SIZE / 2.0 + 2, y - 9));
      gtk_snapshot_append_layout (snapshot, layout, &ink);
      gtk_snapshot_restore (snapshot);
    }
}

static void
sd_people_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SdPeopleLayer *self = SD_PEOPLE_LAYER (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  View view;

  if (self->people == NULL || width <= 0 || height <= 0)
    return;
  ensure_shelter_texture (self);
  view = current_view (self);

  /* The houses under the people: a person at a shelter's block shows.
   * (The map keeps north up, so the people's picture is never turned.) */
  snapshot_shelters (self, snapshot, &view, FALSE);
  snapshot_people (self, snapshot, &view);
  /* Shelters' codes above everything, so they stay legible. */
  snapshot_shelters (self, snapshot, &view, TRUE);

  if (self->keyboard)
    {
      GdkRGBA ink = { 0.05, 0.05, 0.05, 0.9 };
      double cx = width / 2.0, cy = height / 2.0;
      int target = nearest (self, FALSE, cx, cy, MAX (width, height));

      gtk_snapshot_append_color (snapshot, &ink, &GRAPHENE_RECT_INIT (cx - 12, cy - 1, 24, 2));
      gtk_snapshot_append_color (snapshot, &ink, &GRAPHENE_RECT_INIT (cx - 1, cy - 12, 2, 24));
      if (target >= 0)
        {
          GskRoundedRect ring;
          double x, y;
          const float widths[4] = { 3, 3, 3, 3 };
          const GdkRGBA colours[4] = { ink, ink, ink, ink };

          to_widget (self, view.centre, view.world, view.cos_r, view.sin_r, self->person_at[target], &x, &y);
          gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (x - 15, y - 15, 30, 30), 15);
          gtk_snapshot_append_border (snapshot, &ring, widths, colours);
        }
    }
}

/* ---- finding a marker ---- */

static int
nearest (SdPeopleLayer *self,
         gboolean       shelters,
         double         x,
         double         y,
         double         reach)
{
  double best = reach * reach;
  int found = -1;
  View view;
  guint n;

  if (self->people == NULL)
    return -1;
  view = current_view (self);
  n = shelters ? self->people->shelters->len : self->people->people->len;
  for (guint i = 0; i < n; i++)
    {
      double px, py, d;

      if (shelters ? g_array_index (self->people->shelters, SdMapShelter, i).at.placed != SD_GEOCODE_FOUND
                   : !person_shown (self, &g_array_index (self->people->people, SdMapPerson, i)))
        continue;
      to_widget (self, view.centre, view.world, view.cos_r, view.sin_r,
                 shelters ? self->shelter_at[i] : self->person_at[i], &px, &py);
      d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d <= best)
        {
          best = d;
          found = (int) i;
        }
    }
  return found;
}

int
sd_people_layer_person_at (SdPeopleLayer *self,
                           double         x,
                           double         y)
{
  g_return_val_if_fail (SD_IS_PEOPLE_LAYER (self), -1);
  return nearest (self, FALSE, x, y, REACH);
}

int
sd_people_layer_shelter_at (SdPeopleLayer *self,
                            double         x,
                            double         y)
{
  g_return_val_if_fail (SD_IS_PEOPLE_LAYER (self), -1);
  return nearest (self, TRUE, x, y, REACH);
}

/* ---- the data ---- */

static void
forget_cache (SdPeopleLayer *self)
{
  g_clear_object (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sd_people_layer_set_people (SdPeopleLayer *self,
                            SdMapPeople   *people)
{
  g_return_if_fail (SD_IS_PEOPLE_LAYER (self));

  g_clear_pointer (&self->people, sd_map_people_free);
  g_clear_pointer (&self->person_at, g_free);
  g_clear_pointer (&self->shelter_at, g_free);
  self->people = people;
  forget_cache (self);
  if (people != NULL)
    {
      self->person_at = g_new0 (Projected, MAX (people->people->len, 1));
      for (guint i = 0; i < people->people->len; i++)
        {
          const SdMapPerson *person = &g_array_index (people->people, SdMapPerson, i);

          if (person->at.placed == SD_GEOCODE_FOUND)
            self->person_at[i] = project (person->at.lat, person->at.lon);
        }
      self->shelter_at = g_new0 (Projected, MAX (people->shelters->len, 1));
      for (guint i = 0; i < people->shelters->len; i++)
        {
          const SdMapShelter *shelter = &g_array_index (people->shelters, SdMapShelter, i);

          if (shelter->at.placed == SD_GEOCODE_FOUND)
            self->shelter_at[i] = project (shelter->at.lat, shelter->at.lon);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

SdMapPeople *
sd_people_layer_get_people (SdPeopleLayer *self)
{
  g_return_val_if_fail (SD_IS_PEOPLE_LAYER (self), NULL);
  return self->people;
}

void
sd_people_layer_set_shown (SdPeopleLayer *self,
                           GHashTable    *shown)
{
  g_return_if_fail (SD_IS_PEOPLE_LAYER (self));

  if (shown != NULL)
    g_hash_table_ref (shown);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  self->shown = shown;
  forget_cache (self);
}

void
sd_people_layer_count (SdPeopleLayer *self,
                       guint         *counts)
{
  g_return_if_fail (SD_IS_PEOPLE_LAYER (self));

  memset (counts, 0, sizeof (guint) * SD_N_MARKER_KINDS);
  if (self->people == NULL)
    return;
  for (guint i = 0; i < self->people->people->len; i++)
    {
      const SdMapPerson *person = &g_array_index (self->people->people, SdMapPerson, i);

      if (person_shown (self, person))
        counts[sd_marker_kind_for_status (person->status)]++;
    }
}

static void
viewport_changed_cb (SdPeopleLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sd_people_layer_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  SdPeopleLayer *self = SD_PEOPLE_LAYER (widget);

  if (GTK_WIDGET_CLASS (sd_people_layer_parent_class)->size_allocate != NULL)
    GTK_WIDGET_CLASS (sd_people_layer_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->cache != NULL && (width * 2 != self->cache_width || height * 2 != self->cache_height))
    g_clear_object (&self->cache);
}

static void
sd_people_layer_constructed (GObject *object)
{
  SdPeopleLayer *self = SD_PEOPLE_LAYER (object);

  G_OBJECT_CLASS (sd_people_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sd_people_layer_finalize (GObject *object)
{
  SdPeopleLayer *self = SD_PEOPLE_LAYER (object);

  g_clear_pointer (&self->people, sd_map_people_free);
  g_clear_pointer (&self->person_at, g_free);
  g_clear_pointer (&self->shelter_at, g_free);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_object (&self->shelter);
  g_clear_object (&self->cache);
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  G_OBJECT_CLASS (sd_people_layer_parent_class)->finalize (object);
}

static void
sd_people_layer_class_init (SdPeopleLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sd_people_layer_constructed;
  object_class->finalize = sd_people_layer_finalize;
  widget_class->snapshot = sd_people_layer_snapshot;
  widget_class->size_allocate = sd_people_layer_size_allocate;
}

static void
sd_people_layer_init (SdPeopleLayer *self)
{
}

SdPeopleLayer *
sd_people_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);
  return g_object_new (SD_TYPE_PEOPLE_LAYER, "viewport", viewport, NULL);
}

void
sd_people_layer_set_keyboard (SdPeopleLayer *self,
                              gboolean       keyboard)
{
  g_return_if_fail (SD_IS_PEOPLE_LAYER (self));
  self->keyboard = keyboard;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
sd_people_layer_person_near_centre (SdPeopleLayer *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));

  g_return_val_if_fail (SD_IS_PEOPLE_LAYER (self), -1);
  return nearest (self, FALSE, width / 2.0, height / 2.0, MAX (width, height));
}

/* A swatch of KIND for the legend, as the map draws it. */
GdkTexture *
sd_people_layer_swatch (int kind,
                        int scale)
{
  return marker_texture (kind, kind == SD_N_MARKER_KINDS ? SHELTER_SIZE : MARKER_SIZE, scale);
}
