/* fp-window.c — the Flagpole window: the country list, the batch's progress, the flag grid
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fp-country-row.h"
#include "fp-run-insights.h"
#include "fp-window.h"

/* How often the rate and the time left are refreshed between completions. */
#define TICK_INTERVAL_MS 500

/* The one-at-a-time times remembered for the speed-up, at most this many selections. */
#define MAX_SEQUENTIAL_TIMES 64

struct _FpWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  GtkStack *action_stack;
  GtkSearchEntry *search_entry;
  GtkLabel *selection_label;
  GtkToggleButton *selected_only_button;
  GtkStack *list_stack;
  AdwStatusPage *empty_page;
  GtkListView *country_list;
  GtkRevealer *status_revealer;
  GtkImage *status_icon;
  GtkLabel *status_title;
  GtkLabel *status_detail;
  GtkProgressBar *progress_bar;
  GtkButton *dismiss_button;
  FpFlagGrid *flag_grid;
  AdwViewStack *view_stack;
  FpRunInsights *insights;       /* the Timeline, History and Compare pages */
  double history_sequential;     /* the history's one-at-a-time time of this batch's work */

  GSettings *settings;

  /* Every code AA–ZZ as a row; the filter hides the codes no country has
   * unless the "every" preset asked for them. */
  GListStore *countries;
  GHashTable *items_by_code;
  GtkCustomFilter *filter;
  GtkFilterListModel *visible_countries;
  char *folded_query;
  gboolean show_every;
  const char *preset;
  guint n_selected;
  gboolean applying_preset;

  FpDownloadBatch *batch;
  GCancellable *cancellable;
  char *batch_key;
  FpDownloadStrategy batch_strategy;
  gboolean running;
  gboolean cancelling;
  gboolean destination_pending;
  guint tick_id;
  guint progress_tick_id;        /* a frame's tick callback, while an update waits */
  char *summary;
};

G_DEFINE_FINAL_TYPE (FpWindow, fp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_N_SELECTED,
  PROP_PRESET,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const preset_names[] = { "top20", "all", "every", "none" };

static void
show_toast (FpWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
update_selection_label (FpWindow *self)
{
  g_autofree char *text = NULL;

  /* Translators: how many countries are picked for the next download */
  text = g_strdup_printf (ngettext ("%u selected", "%u selected", self->n_selected),
                          self->n_selected);
  gtk_label_set_label (self->selection_label, text);
}

static void
set_n_selected (FpWindow *self,
                guint     n_selected)
{
  if (self->n_selected == n_selected)
    return;

  self->n_selected = n_selected;
  update_selection_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

static void
set_preset (FpWindow   *self,
            const char *preset)
{
  if (g_strcmp0 (self->preset, preset) == 0)
    return;

  self->preset = g_intern_string (preset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);
}

static void
set_running (FpWindow *self,
             gboolean  running)
{
  if (self->running == running)
    return;

  self->running = running;
  gtk_stack_set_visible_child_name (self->action_stack, running ? "cancel" : "download");
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), !running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
item_selected_changed_cb (FpCountryItem *item,
                          GParamSpec    *pspec,
                          FpWindow      *self)
{
  /* A preset changes hundreds of rows and counts once at its end. */
  if (self->applying_preset)
    return;

  if (fp_country_item_get_selected (item))
    set_n_selected (self, self->n_selected + 1);
  else
    set_n_selected (self, self->n_selected - 1);

  set_preset (self, "custom");

  /* A code no country has shows while it is selected, like the book's -e;
   * with only the selected countries shown, an unselected one goes (a
   * batch's rows stay, for their status). */
  if ((!fp_country_item_get_is_iso (item) && !self->show_every) ||
      gtk_toggle_button_get_active (self->selected_only_button))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
filter_country (gpointer item,
                gpointer user_data)
{
  FpWindow *self = user_data;
  FpCountryItem *country = item;

  /* The rows of the batch stay, so that its statuses can be watched; a
   * search looks through every country, to find one to add. */
  if (gtk_toggle_button_get_active (self->selected_only_button) &&
      self->folded_query[0] == '\0' &&
      !fp_country_item_get_selected (country) &&
      !fp_country_item_get_has_status (country))
    return FALSE;

  if (!fp_country_item_get_is_iso (country) &&
      !self->show_every &&
      !fp_country_item_get_selected (country))
    return FALSE;

  return fp_country_item_matches (country, self->folded_query);
}

static void
visible_countries_changed_cb (GListModel *model,
                              guint       position,
                              guint       removed,
                              guint       added,
                              FpWindow   *self)
{
  gboolean empty = g_list_model_get_n_items (model) == 0;

  if (empty && self->folded_query[0] == '\0')
    {
      /* Only the selected are shown, and there are none. */
      adw_status_page_set_icon_name (self->empty_page, "checkbox-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Countries Selected"));
      adw_status_page_set_description (self->empty_page, _("Pick some with the Select menu, or search for a country"));
    }
  else if (empty)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results Found"));
      adw_status_page_set_description (self->empty_page, _("Try a country’s name or its two-letter code"));
    }

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

static void
selected_only_toggled_cb (GtkToggleButton *button,
                          FpWindow        *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter),
                      gtk_toggle_button_get_active (button) ? GTK_FILTER_CHANGE_MORE_STRICT
                                                            : GTK_FILTER_CHANGE_LESS_STRICT);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   FpWindow       *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_free (self->folded_query);
  self->folded_query = fp_country_item_fold_text (stripped);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
stop_search_cb (GtkSearchEntry *entry,
                FpWindow       *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              FpWindow                 *self)
{
  gtk_list_item_set_child (list_item, fp_country_row_new ());
  /* The check box inside takes the clicks; the row itself is not an action. */
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             FpWindow                 *self)
{
  fp_country_row_set_item (FP_COUNTRY_ROW (gtk_list_item_get_child (list_item)),
                           gtk_list_item_get_item (list_item));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               FpWindow                 *self)
{
  fp_country_row_set_item (FP_COUNTRY_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* Progress */

static char *
format_counts (guint n_ok,
               guint n_not_found,
               guint n_error)
{
  g_autofree char *ok = NULL;
  g_autofree char *not_found = NULL;
  g_autofree char *errors = NULL;

  ok = g_strdup_printf (ngettext ("%u flag downloaded", "%u flags downloaded", n_ok), n_ok);
  /* Translators: flags the server does not have (HTTP 404) */
  not_found = g_strdup_printf (ngettext ("%u not found", "%u not found", n_not_found), n_not_found);
  errors = g_strdup_printf (ngettext ("%u error", "%u errors", n_error), n_error);

  /* Translators: the book's final report, as in “20 flags downloaded, 1 not found, 2 errors” */
  return g_strdup_printf (_("%s, %s, %s"), ok, not_found, errors);
}

static char *
format_time_left (double seconds)
{
  guint n;

  if (seconds < 0)
    return NULL;

  if (seconds < 1.0)
    return g_strdup (_("less than a second left"));

  n = (guint) ceil (seconds);
  if (n < 60)
    return g_strdup_printf (ngettext ("about %u second left", "about %u seconds left", n), n);

  n = (n + 59) / 60;
  return g_strdup_printf (ngettext ("about %u minute left", "about %u minutes left", n), n);
}

static char *
format_workers (FpDownloadBatch *batch)
{
  guint workers = fp_download_batch_get_workers (batch);

  if (fp_download_batch_get_strategy (batch) == FP_DOWNLOAD_STRATEGY_SEQUENTIAL || workers <= 1)
    return g_strdup (_("One at a time"));

  /* Translators: how many downloads the thread pool runs at once */
  return g_strdup_printf (ngettext ("%u at a time", "%u at a time", workers), workers);
}

/* The engine counts cancelled downloads as done; the window counts only
 * those that got an answer, so that a cancel does not fill the bar. */
static guint
count_finished (FpDownloadBatch *batch)
{
  return fp_download_batch_get_n_ok (batch) +
         fp_download_batch_get_n_not_found (batch) +
         fp_download_batch_get_n_error (batch);
}

static void
update_progress (FpWindow *self)
{
  FpDownloadBatch *batch = self->batch;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  guint n_total, n_done;
  double rate;

  g_assert (batch != NULL);

  n_total = fp_download_batch_get_n_total (batch);
  n_done = count_finished (batch);
  rate = fp_download_batch_get_rate (batch);

  /* Translators: progress of a batch, as in “13 of 20 flags” */
  title = g_strdup_printf (ngettext ("%u of %u flag", "%u of %u flags", n_total), n_done, n_total);

  if (self->cancelling)
    g_ptr_array_add (parts, g_strdup (_("Cancelling…")));
  else
    {
      g_ptr_array_add (parts, format_workers (batch));
      if (n_done > 0 && rate > 0)
        {
          /* Translators: the download rate; “/s” is “per second” */
          g_ptr_array_add (parts, g_strdup_printf (_("%.1f flags/s"), rate));
        }
      if (n_done > 0 && n_done < n_total)
        {
          char *left = format_time_left (fp_download_batch_get_seconds_left (batch));
          if (left != NULL)
            g_ptr_array_add (parts, left);
        }
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the parts of the progress detail */
  detail = g_strjoinv (_(" · "), (char **) parts->pdata);

  gtk_label_set_label (self->status_title, title);
  gtk_label_set_label (self->status_detail, detail);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 n_total > 0 ? (double) n_done / n_total : 0.0);
}

static void
cancel_progress_update (FpWindow *self)
{
  if (self->progress_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->progress_tick_id);
  self->progress_tick_id = 0;
}

static gboolean
progress_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  FpWindow *self = FP_WINDOW (widget);

  self->progress_tick_id = 0;
  if (self->batch != NULL)
    update_progress (self);

  return G_SOURCE_REMOVE;
}

/*
 * A batch without latency completes hundreds of downloads a second, more
 * than one per frame: new text in the status labels makes GTK measure the
 * window again, so the labels change at most once a frame, in the frame
 * that draws them. A window off screen has no frames and updates at once.
 */
static void
queue_progress_update (FpWindow *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      update_progress (self);
      return;
    }

  if (self->progress_tick_id == 0)
    self->progress_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), progress_tick_cb, NULL, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  FpWindow *self = user_data;

  if (self->batch != NULL)
    queue_progress_update (self);

  return G_SOURCE_CONTINUE;
}

static void
set_summary (FpWindow   *self,
             const char *icon_name,
             const char *style,
             const char *title,
             const char *detail)
{
  static const char * const styles[] = { "success", "warning", "error", "dim-label" };
  GtkWidget *icon = GTK_WIDGET (self->status_icon);

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (icon, styles[i]);

  gtk_label_set_label (self->status_title, title);
  gtk_label_set_label (self->status_detail, detail);
  gtk_widget_set_visible (icon, icon_name != NULL);
  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->status_icon, icon_name);
      gtk_widget_add_css_class (icon, style);
    }

  /* While a batch runs there is no outcome to tell yet. */
  g_free (self->summary);
  self->summary = icon_name != NULL ? g_strconcat (title, "\n", detail, NULL) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
dismiss_clicked_cb (GtkButton *button,
                    FpWindow  *self)
{
  gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
}

static void
open_preferences_cb (AdwToast *toast,
                     FpWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
}

static void
show_failure (FpWindow   *self,
              const char *title,
              const char *reason)
{
  AdwToast *toast;

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  set_summary (self, "dialog-error-symbolic", "error", title, reason);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);

  /* Most failures are a setting (folder, source): offer the way to fix it. */
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Preferences"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (open_preferences_cb), self, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The speed-up record: how long the same codes from the same source took one at a time. */

static double
lookup_sequential_time (FpWindow   *self,
                        const char *key)
{
  g_autoptr(GVariant) times = g_settings_get_value (self->settings, "sequential-times");
  double elapsed;

  if (g_variant_lookup (times, key, "d", &elapsed))
    return elapsed;

  return -1;
}

static void
remember_sequential_time (FpWindow   *self,
                          const char *key,
                          double      elapsed)
{
  g_autoptr(GVariant) times = g_settings_get_value (self->settings, "sequential-times");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sd}"));
  GVariantIter iter;
  const char *other;
  double other_elapsed;

  g_variant_builder_add (&builder, "{sd}", key, elapsed);

  /* A bound on the record; which old entries go matters little. */
  if (g_variant_n_children (times) < MAX_SEQUENTIAL_TIMES)
    {
      g_variant_iter_init (&iter, times);
      while (g_variant_iter_next (&iter, "{&sd}", &other, &other_elapsed))
        if (g_strcmp0 (other, key) != 0)
          g_variant_builder_add (&builder, "{sd}", other, other_elapsed);
    }

  g_settings_set_value (self->settings, "sequential-times", g_variant_builder_end (&builder));
}

static char *
format_speed_up (double sequential,
                 double elapsed)
{
  double ratio;

  if (sequential <= 0 || elapsed <= 0)
    return NULL;

  ratio = sequential / elapsed;
  if (ratio >= 10)
    /* Translators: the speed-up of the thread pool, as in “14× faster than one at a time” */
    return g_strdup_printf (_("%.0f× faster than one at a time"), ratio);
  if (ratio >= 1)
    return g_strdup_printf (_("%.1f× faster than one at a time"), ratio);

  /* Translators: the thread pool was slower, as in “1.3× slower than one at a time” */
  return g_strdup_printf (_("%.1f× slower than one at a time"), 1.0 / ratio);
}

/* The batch */

static void
download_started_cb (FpDownloadBatch *batch,
                     const char      *code,
                     FpWindow        *self)
{
  FpCountryItem *item = g_hash_table_lookup (self->items_by_code, code);

  if (item != NULL)
    fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_DOWNLOADING, NULL);
}

static void
download_completed_cb (FpDownloadBatch  *batch,
                       FpDownloadResult *result,
                       FpWindow         *self)
{
  FpCountryItem *item = g_hash_table_lookup (self->items_by_code,
                                             fp_download_result_get_code (result));

  if (item != NULL)
    {
      g_autofree char *facts = fp_download_timeline_describe (fp_download_result_get_timeline (result),
                                                              fp_download_result_get_size (result));

      fp_country_item_set_facts (item, facts);
      fp_country_item_set_status (item,
                                  fp_download_result_get_status (result),
                                  fp_download_result_get_message (result));
    }

  fp_flag_grid_add_result (self->flag_grid, result);
  queue_progress_update (self);
}

/* Compare: the selection and the source, as a download would have them. */
static void
compare_requested_cb (FpWindow *self)
{
  FpApplication *app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = fp_window_dup_selected_codes (self);
  g_autoptr(FpBatchConfig) config = NULL;
  FpFlagServer *server = NULL;

  if (app == NULL)
    return;
  if (codes[0] == NULL)
    {
      show_toast (self, _("Select at least one country to compare"));
      return;
    }
  config = fp_application_dup_batch_config (app, (const char * const *) codes, &server, &error);
  if (config == NULL)
    {
      show_failure (self, _("Could not start the comparison"), error->message);
      return;
    }
  fp_run_insights_start_comparison (self->insights, config, server);
}

static void
apply_destination (FpWindow *self)
{
  FpApplication *app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GFile) destination = NULL;
  GFile *current;

  if (app == NULL)
    return;

  destination = fp_application_dup_destination (app);
  current = fp_flag_grid_get_destination (self->flag_grid);
  if (current == NULL || !g_file_equal (current, destination))
    fp_flag_grid_set_destination (self->flag_grid, destination);
}

static void
destination_changed_cb (GSettings  *settings,
                        const char *key,
                        FpWindow   *self)
{
  /* The grid keeps showing the running batch's folder until it ends. */
  if (self->running)
    self->destination_pending = TRUE;
  else
    apply_destination (self);
}

static void
finish_batch (FpWindow   *self,
              const char *notification_title,
              const char *notification_body)
{
  FpApplication *app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  cancel_progress_update (self);
  g_clear_object (&self->cancellable);
  self->cancelling = FALSE;
  set_running (self, FALSE);

  if (self->destination_pending)
    {
      self->destination_pending = FALSE;
      apply_destination (self);
    }

  if (app != NULL)
    fp_application_batch_finished (app, GTK_WINDOW (self), notification_title, notification_body);
}

static void
batch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FpWindow) self = user_data;
  FpDownloadBatch *batch = FP_DOWNLOAD_BATCH (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *elapsed_text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *body = NULL;
  guint n_ok, n_not_found, n_error, n_done, n_total;
  double elapsed;
  gboolean ok;

  ok = fp_download_batch_run_finish (batch, result, &error);

  /* The window was closed, or this batch is no longer the one shown. */
  if (batch != self->batch)
    return;

  /* The bar ends where the batch did, whatever update was still waiting. */
  cancel_progress_update (self);
  update_progress (self);

  n_ok = fp_download_batch_get_n_ok (batch);
  n_not_found = fp_download_batch_get_n_not_found (batch);
  n_error = fp_download_batch_get_n_error (batch);
  n_done = count_finished (batch);
  n_total = fp_download_batch_get_n_total (batch);
  elapsed = fp_download_batch_get_elapsed (batch);

  counts = format_counts (n_ok, n_not_found, n_error);
  /* Translators: the book's “Elapsed time: 0.42s” */
  elapsed_text = g_strdup_printf (_("Elapsed time: %.2f s"), elapsed);

  if (ok)
    {
      g_autofree char *speed_up = NULL;
      const char *icon = "emblem-ok-symbolic";
      const char *style = "success";

      if (self->batch_strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
        remember_sequential_time (self, self->batch_key, elapsed);
      else
        /* The history knows any earlier run one at a time of the same work. */
        speed_up = format_speed_up (self->history_sequential > 0 ? self->history_sequential
                                    : lookup_sequential_time (self, self->batch_key), elapsed);

      if (n_error > 0)
        {
          icon = "dialog-warning-symbolic";
          style = "warning";
        }
      else if (n_ok == 0)
        {
          icon = "action-unavailable-symbolic";
          style = "warning";
        }

      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      title = g_strdup (counts);
      if (speed_up != NULL)
        /* Translators: the separator between the elapsed time and the speed-up */
        detail = g_strconcat (elapsed_text, _(" · "), speed_up, NULL);
      else
        detail = g_strdup (elapsed_text);
      set_summary (self, icon, style, title, detail);

      body = g_strconcat (counts, "\n", detail, NULL);
      finish_batch (self, _("Download Finished"), body);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* What never finished is marked, so the list says what the summary says. */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->countries)); i++)
        {
          g_autoptr(FpCountryItem) item = g_list_model_get_item (G_LIST_MODEL (self->countries), i);

          if (fp_country_item_get_has_status (item) &&
              (fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_QUEUED ||
               fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_DOWNLOADING))
            fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
        }

      /* Translators: the batch was cancelled, as in “Cancelled after 7 of 20 flags” */
      title = g_strdup_printf (ngettext ("Cancelled after %u of %u flag",
                                         "Cancelled after %u of %u flags", n_total),
                               n_done, n_total);
      detail = g_strconcat (counts, _(" · "), elapsed_text, NULL);
      set_summary (self, "media-playback-stop-symbolic", "dim-label", title, detail);

      body = g_strconcat (title, "\n", detail, NULL);
      finish_batch (self, _("Download Cancelled"), body);
    }
  else
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->countries)); i++)
        {
          g_autoptr(FpCountryItem) item = g_list_model_get_item (G_LIST_MODEL (self->countries), i);
          fp_country_item_clear_status (item);
        }

      show_failure (self, _("Could not download the flags"), error->message);
      finish_batch (self, _("Download Failed"), error->message);
    }
}

/**
 * fp_window_start_download:
 *
 * Starts a batch of the selected codes with the settings as they are now.
 * Does nothing while a batch runs.
 */
void
fp_window_start_download (FpWindow *self)
{
  FpApplication *app;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = NULL;
  g_autoptr(FpBatchConfig) config = NULL;
  g_autoptr(FpDownloadBatch) batch = NULL;
  FpFlagServer *server = NULL;

  g_return_if_fail (FP_IS_WINDOW (self));

  if (self->running)
    return;

  app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_return_if_fail (app != NULL);

  codes = fp_window_dup_selected_codes (self);
  if (codes[0] == NULL)
    {
      show_toast (self, _("Select at least one country to download"));
      return;
    }

  config = fp_application_dup_batch_config (app, (const char * const *) codes, &server, &error);
  if (config == NULL)
    {
      show_failure (self, _("Could not start the download"), error->message);
      return;
    }

  batch = fp_batch_config_new_batch (config, server);
  g_signal_connect_object (batch, "download-started", G_CALLBACK (download_started_cb), self, 0);
  g_signal_connect_object (batch, "download-completed", G_CALLBACK (download_completed_cb), self, 0);

  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_set_object (&self->batch, batch);
  g_free (self->batch_key);
  self->batch_key = fp_batch_config_dup_work_key (config);
  self->batch_strategy = fp_download_batch_get_strategy (batch);
  self->history_sequential = fp_run_insights_follow_batch (self->insights, config, batch);
  self->cancellable = g_cancellable_new ();
  self->cancelling = FALSE;
  self->destination_pending = FALSE;

  /* Only this batch's rows show a status: the batch is the selection. One
   * pass, and a row whose status stays as it is hears nothing. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->countries)); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (G_LIST_MODEL (self->countries), i);

      fp_country_item_set_facts (item, NULL);
      if (fp_country_item_get_selected (item))
        fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_QUEUED, NULL);
      else
        fp_country_item_clear_status (item);
    }

  apply_destination (self);

  /* The list shows the batch, so that each status can be seen to change.
   * Rows now have a status exactly when they are selected, so only rows of
   * an earlier batch that are no longer selected can go: "more strict"
   * makes the filter look at the rows shown, not at all 676, and the list
   * keeps the rows it has. */
  if (gtk_toggle_button_get_active (self->selected_only_button))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  else
    gtk_toggle_button_set_active (self->selected_only_button, TRUE);

  set_summary (self, NULL, NULL, "", "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  set_running (self, TRUE);
  update_progress (self);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);

  /* On a narrow window the list covers the grid; the point now is the grid. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);

  self->tick_id = g_timeout_add (TICK_INTERVAL_MS, tick_cb, self);
  fp_download_batch_run_async (batch, self->cancellable, batch_done_cb, g_object_ref (self));
}

/**
 * fp_window_cancel_download:
 *
 * Cancels the running batch: queued downloads never start, running ones
 * abort; the summary then says what finished.
 */
void
fp_window_cancel_download (FpWindow *self)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  if (!self->running || self->cancelling)
    return;

  self->cancelling = TRUE;
  g_cancellable_cancel (self->cancellable);
  update_progress (self);
}

/**
 * fp_window_select_preset:
 * @preset: "top20", "all", "every" or "none"
 *
 * Selects the countries of one of the book's selections.
 *
 * Returns: FALSE when @preset is none of them
 */
gboolean
fp_window_select_preset (FpWindow   *self,
                         const char *preset)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_auto(GStrv) top20 = NULL;
  GListModel *model;
  guint n_selected = 0;

  g_return_val_if_fail (FP_IS_WINDOW (self), FALSE);

  if (preset == NULL || !g_strv_contains (preset_names, preset))
    return FALSE;

  if (g_str_equal (preset, "top20"))
    {
      top20 = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
      wanted = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; top20[i] != NULL; i++)
        g_hash_table_add (wanted, top20[i]);
    }

  self->applying_preset = TRUE;
  model = G_LIST_MODEL (self->countries);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);
      gboolean selected;

      if (wanted != NULL)
        selected = g_hash_table_contains (wanted, fp_country_item_get_code (item));
      else if (g_str_equal (preset, "all"))
        selected = fp_country_item_get_is_iso (item);
      else
        selected = g_str_equal (preset, "every");

      fp_country_item_set_selected (item, selected);
      n_selected += selected;
    }
  self->applying_preset = FALSE;

  self->show_every = g_str_equal (preset, "every");
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  set_n_selected (self, n_selected);
  set_preset (self, preset);

  return TRUE;
}

/* "top20", "all", "every", "none", or "custom" once the user changed a row. */
const char *
fp_window_get_preset (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->preset;
}

/**
 * fp_window_focus_search:
 *
 * Shows the country list, even on a narrow window, and puts the focus in its search.
 */
void
fp_window_focus_search (FpWindow *self)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
fp_window_set_search_text (FpWindow   *self,
                           const char *text)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* The entry reports changes after a delay; the filter must not wait for it. */
  search_changed_cb (self->search_entry, self);
}

gboolean
fp_window_get_running (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), FALSE);

  return self->running;
}

guint
fp_window_get_n_selected (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), 0);

  return self->n_selected;
}

/**
 * fp_window_dup_selected_codes:
 *
 * Returns: (transfer full): the selected codes, sorted, as the book sorts them
 */
char **
fp_window_dup_selected_codes (FpWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model;

  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  /* The store is sorted by code, so the codes come out sorted. */
  model = G_LIST_MODEL (self->countries);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);

      if (fp_country_item_get_selected (item))
        g_strv_builder_add (builder, fp_country_item_get_code (item));
    }

  return g_strv_builder_end (builder);
}

/* Every row, AA–ZZ, shown or not. */
GListModel *
fp_window_get_countries (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->countries);
}

/* The rows the list shows now: the search and the "every" preset decide. */
GListModel *
fp_window_get_visible_countries (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->visible_countries);
}

FpCountryItem *
fp_window_lookup_country (FpWindow   *self,
                          const char *code)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return g_hash_table_lookup (self->items_by_code, code);
}

FpFlagGrid *
fp_window_get_flag_grid (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->flag_grid;
}

/* The running batch, or the last one, or NULL. */
FpDownloadBatch *
fp_window_get_batch (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->batch;
}

/* The last batch's outcome: its title and detail, one line each, or NULL. */
const char *
fp_window_get_summary (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->summary;
}

/* The progress as the status area says it, as in "13 of 20 flags". */
const char *
fp_window_get_progress_text (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return gtk_label_get_label (self->status_title);
}

double
fp_window_get_progress_fraction (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), 0.0);

  return gtk_progress_bar_get_fraction (self->progress_bar);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  fp_window_focus_search (FP_WINDOW (widget));
}

static void
load_countries (FpWindow *self)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) every = fp_country_catalog_dup_every_code (catalog);

  for (guint i = 0; every[i] != NULL; i++)
    {
      g_autoptr(FpCountry) country = NULL;
      g_autoptr(FpCountryItem) item = NULL;
      FpCountry *known = fp_country_catalog_lookup (catalog, every[i]);

      country = known != NULL ? g_object_ref (known) : fp_country_new (every[i], NULL);
      item = fp_country_item_new (country);
      g_signal_connect (item, "notify::selected", G_CALLBACK (item_selected_changed_cb), self);
      g_hash_table_insert (self->items_by_code, (char *) fp_country_item_get_code (item), item);
      g_list_store_append (self->countries, item);
    }
}

/* The application, and so the settings, come after construction (GtkWindow's
 * "application" is not a construct property): set up once they are there. */
static void
application_changed_cb (FpWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  int width, height;

  if (self->settings != NULL || !FP_IS_APPLICATION (app))
    return;

  self->settings = g_object_ref (fp_application_get_settings (FP_APPLICATION (app)));
  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "changed::destination",
                           G_CALLBACK (destination_changed_cb), self, 0);
  apply_destination (self);
}

static gboolean
fp_window_close_request (GtkWindow *window)
{
  FpWindow *self = FP_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);
  int width, height;

  if (self->settings == NULL)
    return GTK_WINDOW_CLASS (fp_window_parent_class)->close_request (window);

  /* A maximized size is the screen's, not one worth restoring. */
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (window, &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  return GTK_WINDOW_CLASS (fp_window_parent_class)->close_request (window);
}

static void
fp_window_dispose (GObject *object)
{
  FpWindow *self = FP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  cancel_progress_update (self);

  if (self->countries != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->countries)); i++)
        {
          g_autoptr(FpCountryItem) item = g_list_model_get_item (G_LIST_MODEL (self->countries), i);
          g_signal_handlers_disconnect_by_data (item, self);
        }
    }
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);

  if (self->insights != NULL)
    g_signal_handlers_disconnect_by_data (self->insights, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_WINDOW);
  g_clear_object (&self->insights);

  g_clear_object (&self->visible_countries);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->items_by_code, g_hash_table_unref);
  g_clear_object (&self->countries);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fp_window_parent_class)->dispose (object);
}

static void
fp_window_finalize (GObject *object)
{
  FpWindow *self = FP_WINDOW (object);

  g_clear_pointer (&self->folded_query, g_free);
  g_clear_pointer (&self->batch_key, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (fp_window_parent_class)->finalize (object);
}

static void
fp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FpWindow *self = FP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;
    case PROP_PRESET:
      g_value_set_string (value, self->preset);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_window_class_init (FpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fp_window_dispose;
  object_class->finalize = fp_window_finalize;
  object_class->get_property = fp_window_get_property;
  window_class->close_request = fp_window_close_request;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESET] =
    g_param_spec_string ("preset", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FP_TYPE_FLAG_GRID);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, action_stack);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, selected_only_button);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, country_list);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_title);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_detail);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, flag_grid);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_only_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
}

static void
fp_window_init (FpWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The user's history of runs, read on a worker thread. */
  self->insights = fp_run_insights_new (NULL);
  fp_run_insights_attach (self->insights, self->view_stack);
  g_signal_connect_swapped (self->insights, "compare-requested", G_CALLBACK (compare_requested_cb), self);

  self->preset = g_intern_static_string ("none");
  self->folded_query = g_strdup ("");
  self->countries = g_list_store_new (FP_TYPE_COUNTRY_ITEM);
  self->items_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  load_countries (self);

  self->filter = gtk_custom_filter_new (filter_country, self, NULL);
  self->visible_countries = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->countries)),
                                                       g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (self->visible_countries, "items-changed",
                           G_CALLBACK (visible_countries_changed_cb), self, 0);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), self);
  gtk_list_view_set_factory (self->country_list, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->visible_countries)));
  gtk_list_view_set_model (self->country_list, GTK_SELECTION_MODEL (selection));

  update_selection_label (self);
  fp_window_select_preset (self, "top20");

  /* The list opens on what the Download button will fetch. */
  gtk_toggle_button_set_active (self->selected_only_button, TRUE);

  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
}

/**
 * fp_window_new:
 * @application: the application the window belongs to
 *
 * Returns: (transfer none): a new window, owned by @application
 */
FpWindow *
fp_window_new (FpApplication *application)
{
  g_return_val_if_fail (FP_IS_APPLICATION (application), NULL);

  return g_object_new (FP_TYPE_WINDOW, "application", application, NULL);
}
