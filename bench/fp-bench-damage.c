/* fp-bench-damage.c — which widgets each frame draws again, found by comparing the window's render nodes
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4 keeps each widget's render node until the widget queues a draw,
 * and the renderer redraws what differs between two frames' node trees
 * (gsk_render_node_diff, private). This walks the window's tree after
 * each frame the same way — a subtree that is the same node as last
 * frame's is unchanged — and puts each changed part on the widget that
 * owns it: the smallest widget whose bounds hold the part. It is for a
 * person finding out why frames are expensive, not for timing: it takes
 * main-thread time of its own.
 */
#define G_LOG_DOMAIN "fp-bench"

#include "config.h"

#include <string.h>

#include "fp-bench-damage.h"

struct _FpBenchDamage
{
  GtkWidget *window;             /* weak: the bench owns it */
  GdkPaintable *paintable;
  GskRenderNode *last;
  GHashTable *by_widget;         /* name → Owner */
  guint frames;
  guint frames_changed;
  double area;                   /* px², summed over frames */
  double extents_area;           /* px² of each frame's bounding box, summed */
  GString *frames_log;           /* a line a changed frame */
  cairo_region_t *frame_region;  /* this frame's, in window coordinates */
};

typedef struct
{
  guint frames;
  guint last_frame;
  double area;
} Owner;

static void
add_area (FpBenchDamage         *self,
          const graphene_rect_t *rect)
{
  cairo_rectangle_int_t box = {
    (int) floorf (rect->origin.x), (int) floorf (rect->origin.y),
    (int) ceilf (rect->origin.x + rect->size.width) - (int) floorf (rect->origin.x),
    (int) ceilf (rect->origin.y + rect->size.height) - (int) floorf (rect->origin.y),
  };

  if (box.width > 0 && box.height > 0)
    cairo_region_union_rectangle (self->frame_region, &box);
}

/* The smallest widget that holds @rect, as "Type in FpOwner". */
static char *
owner_of (FpBenchDamage         *self,
          const graphene_rect_t *rect)
{
  GtkWidget *widget = gtk_widget_pick (self->window,
                                       rect->origin.x + rect->size.width / 2,
                                       rect->origin.y + rect->size.height / 2,
                                       GTK_PICK_INSENSITIVE | GTK_PICK_NON_TARGETABLE);
  GtkWidget *owner;

  for (; widget != NULL && widget != self->window; widget = gtk_widget_get_parent (widget))
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, self->window, &bounds)
          && bounds.origin.x <= rect->origin.x + 1 && bounds.origin.y <= rect->origin.y + 1
          && bounds.origin.x + bounds.size.width >= rect->origin.x + rect->size.width - 1
          && bounds.origin.y + bounds.size.height >= rect->origin.y + rect->size.height - 1)
        break;
    }
  if (widget == NULL)
    widget = self->window;

  /* Named after the application's widget it is part of, if any. */
  for (owner = widget; owner != NULL; owner = gtk_widget_get_parent (owner))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (owner), "Fp"))
      break;
  if (owner != NULL && owner != widget)
    return g_strdup_printf ("%s in %s", G_OBJECT_TYPE_NAME (widget), G_OBJECT_TYPE_NAME (owner));
  return g_strdup (G_OBJECT_TYPE_NAME (widget));
}

static void
changed (FpBenchDamage *self,
         GskRenderNode *node,
         float          dx,
         float          dy)
{
  graphene_rect_t rect;
  g_autofree char *name = NULL;
  Owner *owner;

  if (node == NULL)
    return;
  gsk_render_node_get_bounds (node, &rect);

  rect.origin.x += dx;
  rect.origin.y += dy;
  add_area (self, &rect);

  name = owner_of (self, &rect);
  /* Each part, for a person who wants to see them all. */
  if (g_getenv ("FP_BENCH_DAMAGE_PARTS") != NULL)
    {
      g_autofree char *type = g_enum_to_string (GSK_TYPE_RENDER_NODE_TYPE, gsk_render_node_get_node_type (node));

      g_printerr ("frame %u: %s at %.0f,%.0f, %.0f x %.0f, on %s\n", self->frames, type,
                  rect.origin.x, rect.origin.y, rect.size.width, rect.size.height, name);
    }
  owner = g_hash_table_lookup (self->by_widget, name);
  if (owner == NULL)
    {
      owner = g_new0 (Owner, 1);
      g_hash_table_insert (self->by_widget, g_strdup (name), owner);
    }
  if (owner->last_frame != self->frames)
    owner->frames++;
  owner->last_frame = self->frames;
  owner->area += rect.size.width * rect.size.height;
}

/* The one child of a node that only wraps one, or NULL. */
static GskRenderNode *
only_child (GskRenderNode *node)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_DEBUG_NODE: return gsk_debug_node_get_child (node);
    case GSK_CLIP_NODE: return gsk_clip_node_get_child (node);
    case GSK_ROUNDED_CLIP_NODE: return gsk_rounded_clip_node_get_child (node);
    case GSK_OPACITY_NODE: return gsk_opacity_node_get_child (node);
    case GSK_COLOR_MATRIX_NODE: return gsk_color_matrix_node_get_child (node);
    case GSK_SHADOW_NODE: return gsk_shadow_node_get_child (node);
    case GSK_BLUR_NODE: return gsk_blur_node_get_child (node);
    case GSK_REPEAT_NODE: return gsk_repeat_node_get_child (node);
    default: return NULL;
    }
}

static gboolean
same_wrapper (GskRenderNode *a,
              GskRenderNode *b)
{
  graphene_rect_t ra, rb;

  switch ((int) gsk_render_node_get_node_type (a))
    {
    case GSK_CLIP_NODE:
      return graphene_rect_equal (gsk_clip_node_get_clip (a), gsk_clip_node_get_clip (b));
    case GSK_ROUNDED_CLIP_NODE:
      return graphene_rect_equal (&gsk_rounded_clip_node_get_clip (a)->bounds,
                                  &gsk_rounded_clip_node_get_clip (b)->bounds);
    case GSK_OPACITY_NODE:
      return gsk_opacity_node_get_opacity (a) == gsk_opacity_node_get_opacity (b);
    case GSK_DEBUG_NODE:
      return TRUE;
    default:
      gsk_render_node_get_bounds (a, &ra);
      gsk_render_node_get_bounds (b, &rb);
      return graphene_rect_equal (&ra, &rb);
    }
}

static gboolean
translation_of (GskRenderNode *node,
                float         *x,
                float         *y)
{
  GskTransform *transform = gsk_transform_node_get_transform (node);

  *x = *y = 0;
  if (transform == NULL)
    return TRUE;
  if (gsk_transform_get_category (transform) < GSK_TRANSFORM_CATEGORY_2D_TRANSLATE)
    return FALSE;
  gsk_transform_to_translate (transform, x, y);
  return TRUE;
}

static gboolean
same_rounded (const GskRoundedRect *a,
              const GskRoundedRect *b)
{
  return memcmp (a, b, sizeof (GskRoundedRect)) == 0;
}

/* Leaves that GSK's own diff compares by value (a new node with the same
 * look draws nothing): the backgrounds, borders and shadows a widget
 * makes anew each time it is snapshot, its textures and its text. */
static gboolean
same_leaf (GskRenderNode *a,
           GskRenderNode *b)
{
  graphene_rect_t ra, rb;

  gsk_render_node_get_bounds (a, &ra);
  gsk_render_node_get_bounds (b, &rb);
  if (!graphene_rect_equal (&ra, &rb))
    return FALSE;

  switch ((int) gsk_render_node_get_node_type (a))
    {
    case GSK_COLOR_NODE:
      return gdk_rgba_equal (gsk_color_node_get_color (a), gsk_color_node_get_color (b));
    case GSK_TEXTURE_NODE:
      return gsk_texture_node_get_texture (a) == gsk_texture_node_get_texture (b);
    case GSK_BORDER_NODE:
      return same_rounded (gsk_border_node_get_outline (a), gsk_border_node_get_outline (b))
             && memcmp (gsk_border_node_get_widths (a), gsk_border_node_get_widths (b), 4 * sizeof (float)) == 0
             && memcmp (gsk_border_node_get_colors (a), gsk_border_node_get_colors (b), 4 * sizeof (GdkRGBA)) == 0;
    case GSK_INSET_SHADOW_NODE:
      return same_rounded (gsk_inset_shadow_node_get_outline (a), gsk_inset_shadow_node_get_outline (b))
             && gdk_rgba_equal (gsk_inset_shadow_node_get_color (a), gsk_inset_shadow_node_get_color (b))
             && gsk_inset_shadow_node_get_dx (a) == gsk_inset_shadow_node_get_dx (b)
             && gsk_inset_shadow_node_get_dy (a) == gsk_inset_shadow_node_get_dy (b)
             && gsk_inset_shadow_node_get_spread (a) == gsk_inset_shadow_node_get_spread (b)
             && gsk_inset_shadow_node_get_blur_radius (a) == gsk_inset_shadow_node_get_blur_radius (b);
    case GSK_OUTSET_SHADOW_NODE:
      return same_rounded (gsk_outset_shadow_node_get_outline (a), gsk_outset_shadow_node_get_outline (b))
             && gdk_rgba_equal (gsk_outset_shadow_node_get_color (a), gsk_outset_shadow_node_get_color (b))
             && gsk_outset_shadow_node_get_dx (a) == gsk_outset_shadow_node_get_dx (b)
             && gsk_outset_shadow_node_get_dy (a) == gsk_outset_shadow_node_get_dy (b)
             && gsk_outset_shadow_node_get_spread (a) == gsk_outset_shadow_node_get_spread (b)
             && gsk_outset_shadow_node_get_blur_radius (a) == gsk_outset_shadow_node_get_blur_radius (b);
    case GSK_TEXT_NODE:
      {
        guint na = 0, nb = 0;
        const PangoGlyphInfo *ga = gsk_text_node_get_glyphs (a, &na);
        const PangoGlyphInfo *gb = gsk_text_node_get_glyphs (b, &nb);

        return gsk_text_node_get_font (a) == gsk_text_node_get_font (b)
               && na == nb && memcmp (ga, gb, na * sizeof (PangoGlyphInfo)) == 0
               && gdk_rgba_equal (gsk_text_node_get_color (a), gsk_text_node_get_color (b))
               && graphene_point_equal (gsk_text_node_get_offset (a), gsk_text_node_get_offset (b));
      }
    default:
      return FALSE;
    }
}

static void
diff (FpBenchDamage *self,
      GskRenderNode *a,
      GskRenderNode *b,
      float          dx,
      float          dy)
{
  GskRenderNodeType type;

  if (a == b)
    return;
  if (a == NULL || b == NULL || gsk_render_node_get_node_type (a) != gsk_render_node_get_node_type (b))
    {
      changed (self, a, dx, dy);
      changed (self, b, dx, dy);
      return;
    }

  type = gsk_render_node_get_node_type (a);
  if (type == GSK_CONTAINER_NODE)
    {
      guint na = gsk_container_node_get_n_children (a);
      guint nb = gsk_container_node_get_n_children (b);
      g_autoptr(GHashTable) in_a = g_hash_table_new (NULL, NULL);
      g_autoptr(GHashTable) in_b = g_hash_table_new (NULL, NULL);
      g_autoptr(GPtrArray) gone = g_ptr_array_new ();
      g_autoptr(GPtrArray) came = g_ptr_array_new ();

      /* A child that is in both trees did not change, wherever it moved
       * in the list (the real diff is stricter about order); the rest are
       * paired in order, and what is left over changed whole. */
      for (guint i = 0; i < na; i++)
        g_hash_table_add (in_a, gsk_container_node_get_child (a, i));
      for (guint i = 0; i < nb; i++)
        g_hash_table_add (in_b, gsk_container_node_get_child (b, i));
      for (guint i = 0; i < na; i++)
        if (!g_hash_table_contains (in_b, gsk_container_node_get_child (a, i)))
          g_ptr_array_add (gone, gsk_container_node_get_child (a, i));
      for (guint i = 0; i < nb; i++)
        if (!g_hash_table_contains (in_a, gsk_container_node_get_child (b, i)))
          g_ptr_array_add (came, gsk_container_node_get_child (b, i));
      for (guint i = 0; i < MAX (gone->len, came->len); i++)
        diff (self, i < gone->len ? g_ptr_array_index (gone, i) : NULL,
              i < came->len ? g_ptr_array_index (came, i) : NULL, dx, dy);
      return;
    }

  if (type == GSK_TRANSFORM_NODE)
    {
      float ax, ay, bx, by;

      if (translation_of (a, &ax, &ay) && translation_of (b, &bx, &by) && ax == bx && ay == by)
        {
          diff (self, gsk_transform_node_get_child (a), gsk_transform_node_get_child (b), dx + ax, dy + ay);
          return;
        }
    }
  else if (only_child (a) != NULL && same_wrapper (a, b))
    {
      diff (self, only_child (a), only_child (b), dx, dy);
      return;
    }
  else if (same_leaf (a, b))
    return;

  changed (self, a, dx, dy);
  changed (self, b, dx, dy);
}

/**
 * fp_bench_damage_new:
 * @window: the window whose frames are compared
 */
FpBenchDamage *
fp_bench_damage_new (GtkWidget *window)
{
  FpBenchDamage *self = g_new0 (FpBenchDamage, 1);

  self->window = window;
  self->paintable = gtk_widget_paintable_new (window);
  self->by_widget = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->frames_log = g_string_new (NULL);
  return self;
}

/* Compares the frame just drawn with the one before: call it after paint. */
void
fp_bench_damage_frame (FpBenchDamage *self)
{
  g_autoptr(GdkPaintable) image = gdk_paintable_get_current_image (self->paintable);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_rectangle_int_t extents;

  /* At its own size: no scale between the nodes and the window. */
  gdk_paintable_snapshot (image, snapshot,
                          gdk_paintable_get_intrinsic_width (image), gdk_paintable_get_intrinsic_height (image));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  self->frames++;
  self->frame_region = cairo_region_create ();
  if (self->last != NULL)
    diff (self, self->last, node, 0, 0);
  if (!cairo_region_is_empty (self->frame_region))
    {
      GHashTableIter iter;
      gpointer key, value;

      self->frames_changed++;
      for (int i = 0; i < cairo_region_num_rectangles (self->frame_region); i++)
        {
          cairo_region_get_rectangle (self->frame_region, i, &extents);
          self->area += (double) extents.width * extents.height;
        }
      /* GDK's X11 cairo context paints, and sends the X server, the
       * bounding box of the damage (gdk_x11_cairo_context_begin_frame):
       * two small changes far apart cost the window between them. */
      cairo_region_get_extents (self->frame_region, &extents);
      self->extents_area += (double) extents.width * extents.height;
      g_string_append_printf (self->frames_log, "damage_frame=%u at=%.6f box=%dx%d+%d+%d owners=",
                              self->frames, g_get_monotonic_time () / 1e6,
                              extents.width, extents.height, extents.x, extents.y);
      g_hash_table_iter_init (&iter, self->by_widget);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Owner *) value)->last_frame == self->frames)
          {
            g_autofree char *name = g_strdelimit (g_strdup (key), " ", '_');

            g_string_append_printf (self->frames_log, "%s,", name);
          }
      g_string_append_c (self->frames_log, '\n');
    }
  g_clear_pointer (&self->frame_region, cairo_region_destroy);
  g_clear_pointer (&self->last, gsk_render_node_unref);
  self->last = node;
}

static int
by_area (gconstpointer a,
         gconstpointer b,
         gpointer      table)
{
  Owner *x = g_hash_table_lookup (table, *(const char **) a);
  Owner *y = g_hash_table_lookup (table, *(const char **) b);

  return x->area < y->area ? 1 : x->area > y->area ? -1 : 0;
}

/* Prints "damage …" lines: the whole, then each widget, largest first. */
void
fp_bench_damage_print (FpBenchDamage *self)
{
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (self->by_widget, NULL);
  guint n = g_hash_table_size (self->by_widget);
  double window_area = (double) gtk_widget_get_width (self->window) * gtk_widget_get_height (self->window);

  g_print ("damage=all frames=%u changed=%u mean_window_share=%.3f mean_box_share=%.3f\n",
           self->frames, self->frames_changed,
           self->frames > 0 && window_area > 0 ? self->area / self->frames / window_area : 0,
           self->frames > 0 && window_area > 0 ? self->extents_area / self->frames / window_area : 0);
  g_print ("%s", self->frames_log->str);
  g_qsort_with_data (names, n, sizeof (char *), by_area, self->by_widget);
  for (guint i = 0; i < n && i < 25; i++)
    {
      Owner *owner = g_hash_table_lookup (self->by_widget, names[i]);
      g_autofree char *name = g_strdelimit (g_strdup (names[i]), " ", '_');

      g_print ("damage=%s frames=%u mean_window_share=%.3f\n", name, owner->frames,
               self->frames > 0 && window_area > 0 ? owner->area / self->frames / window_area : 0);
    }
}

void
fp_bench_damage_free (FpBenchDamage *self)
{
  g_clear_pointer (&self->last, gsk_render_node_unref);
  g_clear_object (&self->paintable);
  g_clear_pointer (&self->by_widget, g_hash_table_unref);
  g_string_free (self->frames_log, TRUE);
  g_free (self);
}
