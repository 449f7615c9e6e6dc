/* fp-country-list.c — the window's country list: every code, presets, search, what is selected, the batch's statuses
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-country-list"

#include "config.h"

#include "fp-country-list.h"

/*
 * What used to be the window's own bookkeeping. Every code is an item
 * from the start (676 of them, sorted), so a search, a preset or a batch
 * only changes properties of items and tells the filter how it changed:
 * "more strict" and "less strict" let GTK look at the rows shown or
 * hidden only, not at all 676.
 */

struct _FpCountryList
{
  GObject parent_instance;

  GListStore *items;             /* FpCountryItem, every code AA–ZZ, sorted */
  GHashTable *items_by_code;     /* code → item, owned by the store */
  GtkCustomFilter *filter;
  GtkFilterListModel *visible;

  char *search_text;
  char *folded_query;
  gboolean selected_only;
  gboolean show_every;
  const char *preset;            /* interned */
  guint n_selected;
  gboolean applying_preset;

  FpRun *run;                    /* the run whose statuses the rows show */
  gboolean following;            /* and it has not finished */

  const char *status_filter;     /* interned: "all", "downloaded", "not-found", "failed" */
  guint n_downloaded;            /* rows of the batch by outcome */
  guint n_not_found;
  guint n_failed;
};

G_DEFINE_FINAL_TYPE (FpCountryList, fp_country_list, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ITEMS,
  PROP_VISIBLE,
  PROP_PRESET,
  PROP_N_SELECTED,
  PROP_SEARCH_TEXT,
  PROP_SELECTED_ONLY,
  PROP_STATUS_FILTER,
  PROP_N_DOWNLOADED,
  PROP_N_NOT_FOUND,
  PROP_N_FAILED,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const preset_names[] = { "top20", "all", "every", "none", NULL };
static const char * const status_filter_names[] = { "all", "downloaded", "not-found", "failed", NULL };

/* Whether @country passes the status filter: its row's outcome in the batch. */
static gboolean
matches_status_filter (FpCountryList *self,
                       FpCountryItem *country)
{
  FpDownloadStatus status;

  if (g_str_equal (self->status_filter, "all"))
    return TRUE;
  if (!fp_country_item_get_has_status (country))
    return FALSE;

  status = fp_country_item_get_status (country);
  if (g_str_equal (self->status_filter, "downloaded"))
    return status == FP_DOWNLOAD_STATUS_OK;
  if (g_str_equal (self->status_filter, "not-found"))
    return status == FP_DOWNLOAD_STATUS_NOT_FOUND;
  return status == FP_DOWNLOAD_STATUS_ERROR;
}

static void
set_n_selected (FpCountryList *self,
                guint          n_selected)
{
  if (self->n_selected == n_selected)
    return;

  self->n_selected = n_selected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

static void
set_preset (FpCountryList *self,
            const char    *preset)
{
  if (g_strcmp0 (self->preset, preset) == 0)
    return;

  self->preset = g_intern_string (preset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);
}

static void
item_selected_changed_cb (FpCountryItem *item,
                          GParamSpec    *pspec,
                          FpCountryList *self)
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
  if ((!fp_country_item_get_is_iso (item) && !self->show_every) || self->selected_only)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
filter_country (gpointer item,
                gpointer user_data)
{
  FpCountryList *self = user_data;
  FpCountryItem *country = item;

  /* "Failed" shows the batch's failed rows, whatever the rest says; a
   * search still narrows them. */
  if (!g_str_equal (self->status_filter, "all"))
    return matches_status_filter (self, country) &&
           fp_country_item_matches (country, self->folded_query);

  /* The rows of the batch stay, so that its statuses can be watched; a
   * search looks through every country, to find one to add. */
  if (self->selected_only &&
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
load_countries (FpCountryList *self)
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
      g_list_store_append (self->items, item);
    }
}

static void
stop_following (FpCountryList *self)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  if (self->following)
    {
      self->following = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
    }
}

static void
fp_country_list_dispose (GObject *object)
{
  FpCountryList *self = FP_COUNTRY_LIST (object);

  stop_following (self);

  if (self->items != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
      {
        g_autoptr(FpCountryItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
        g_signal_handlers_disconnect_by_data (item, self);
      }
  /* The filter calls back into this object: cut it loose first. */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);

  g_clear_object (&self->visible);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->items_by_code, g_hash_table_unref);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (fp_country_list_parent_class)->dispose (object);
}

static void
fp_country_list_finalize (GObject *object)
{
  FpCountryList *self = FP_COUNTRY_LIST (object);

  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->folded_query, g_free);

  G_OBJECT_CLASS (fp_country_list_parent_class)->finalize (object);
}

static void
fp_country_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FpCountryList *self = FP_COUNTRY_LIST (object);

  switch (prop_id)
    {
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_VISIBLE:
      g_value_set_object (value, self->visible);
      break;
    case PROP_PRESET:
      g_value_set_string (value, self->preset);
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    case PROP_SELECTED_ONLY:
      g_value_set_boolean (value, self->selected_only);
      break;
    case PROP_STATUS_FILTER:
      g_value_set_string (value, self->status_filter);
      break;
    case PROP_N_DOWNLOADED:
      g_value_set_uint (value, self->n_downloaded);
      break;
    case PROP_N_NOT_FOUND:
      g_value_set_uint (value, self->n_not_found);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, fp_country_list_get_following (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FpCountryList *self = FP_COUNTRY_LIST (object);

  switch (prop_id)
    {
    case PROP_SEARCH_TEXT:
      fp_country_list_set_search_text (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_ONLY:
      fp_country_list_set_selected_only (self, g_value_get_boolean (value));
      break;
    case PROP_STATUS_FILTER:
      fp_country_list_set_status_filter (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_list_class_init (FpCountryListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_country_list_dispose;
  object_class->finalize = fp_country_list_finalize;
  object_class->get_property = fp_country_list_get_property;
  object_class->set_property = fp_country_list_set_property;

  properties[PROP_ITEMS] =
    g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE] =
    g_param_spec_object ("visible", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESET] =
    g_param_spec_string ("preset", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ONLY] =
    g_param_spec_boolean ("selected-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Which rows of the batch show: "all", "downloaded", "not-found" or "failed". */
  properties[PROP_STATUS_FILTER] =
    g_param_spec_string ("status-filter", NULL, NULL, "all",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The batch's rows by outcome, for the filter's counts. */
  properties[PROP_N_DOWNLOADED] =
    g_param_spec_uint ("n-downloaded", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_NOT_FOUND] =
    g_param_spec_uint ("n-not-found", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FpCountryList:following:
   *
   * Whether the rows follow a batch that runs: their statuses and the
   * counts still change. It goes %FALSE once the counts are final.
   */
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_country_list_init (FpCountryList *self)
{
  self->preset = g_intern_static_string ("none");
  self->status_filter = g_intern_static_string ("all");
  self->search_text = g_strdup ("");
  self->folded_query = g_strdup ("");
  self->items = g_list_store_new (FP_TYPE_COUNTRY_ITEM);
  self->items_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  load_countries (self);

  self->filter = gtk_custom_filter_new (filter_country, self, NULL);
  self->visible = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                             g_object_ref (GTK_FILTER (self->filter)));
}

/**
 * fp_country_list_new:
 *
 * Returns: (transfer full): every code, none selected, all shown
 */
FpCountryList *
fp_country_list_new (void)
{
  return g_object_new (FP_TYPE_COUNTRY_LIST, NULL);
}

/* Every row, AA–ZZ, shown or not. */
GListModel *
fp_country_list_get_items (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);
  return G_LIST_MODEL (self->items);
}

/* The rows to show now: the search, the preset and "selected only" decide. */
GListModel *
fp_country_list_get_visible (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);
  return G_LIST_MODEL (self->visible);
}

/* Returns: (transfer none) (nullable): the row of @code, upper case. */
FpCountryItem *
fp_country_list_lookup (FpCountryList *self,
                        const char    *code)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return g_hash_table_lookup (self->items_by_code, code);
}

/**
 * fp_country_list_select_preset:
 * @preset: "top20", "all", "every" or "none"
 *
 * Selects the countries of one of the book's selections.
 *
 * Returns: FALSE when @preset is none of them
 */
gboolean
fp_country_list_select_preset (FpCountryList *self,
                               const char    *preset)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_auto(GStrv) top20 = NULL;
  GListModel *model;
  guint n_selected = 0;

  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), FALSE);

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
  model = G_LIST_MODEL (self->items);
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
fp_country_list_get_preset (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);
  return self->preset;
}

guint
fp_country_list_get_n_selected (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), 0);
  return self->n_selected;
}

/**
 * fp_country_list_dup_selected_codes:
 *
 * Returns: (transfer full): the selected codes, sorted, as the book sorts them
 */
char **
fp_country_list_dup_selected_codes (FpCountryList *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model;

  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);

  /* The store is sorted by code, so the codes come out sorted. */
  model = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);

      if (fp_country_item_get_selected (item))
        g_strv_builder_add (builder, fp_country_item_get_code (item));
    }

  return g_strv_builder_end (builder);
}

/**
 * fp_country_list_set_search_text:
 * @text: (nullable): what the search entry holds; spaces around it do not count
 *
 * Shows the rows whose name has @text in it, accents and case aside, or
 * whose code starts with it.
 */
void
fp_country_list_set_search_text (FpCountryList *self,
                                 const char    *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FP_IS_COUNTRY_LIST (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  stripped = g_strstrip (g_strdup (text));
  g_free (self->folded_query);
  self->folded_query = fp_country_item_fold_text (stripped);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

const char *
fp_country_list_get_search_text (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);
  return self->search_text;
}

/* Whether only the selected rows (and the batch's) show, without a search. */
void
fp_country_list_set_selected_only (FpCountryList *self,
                                   gboolean       selected_only)
{
  g_return_if_fail (FP_IS_COUNTRY_LIST (self));

  selected_only = !!selected_only;
  if (self->selected_only == selected_only)
    return;

  self->selected_only = selected_only;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      selected_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ONLY]);
}

gboolean
fp_country_list_get_selected_only (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), FALSE);
  return self->selected_only;
}

static void
run_download_started_cb (FpRun         *run,
                         const char    *code,
                         FpCountryList *self)
{
  FpCountryItem *item = g_hash_table_lookup (self->items_by_code, code);

  if (item != NULL)
    fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_DOWNLOADING, NULL);
}

static void
count_outcome (FpCountryList    *self,
               FpDownloadStatus  status,
               int               delta)
{
  guint *counter = NULL;
  GParamSpec *pspec = NULL;

  switch (status)
    {
    case FP_DOWNLOAD_STATUS_OK:
      counter = &self->n_downloaded;
      pspec = properties[PROP_N_DOWNLOADED];
      break;
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      counter = &self->n_not_found;
      pspec = properties[PROP_N_NOT_FOUND];
      break;
    case FP_DOWNLOAD_STATUS_ERROR:
      counter = &self->n_failed;
      pspec = properties[PROP_N_FAILED];
      break;
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    case FP_DOWNLOAD_STATUS_CANCELLED:
    default:
      return;
    }

  *counter += delta;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
reset_counts (FpCountryList *self)
{
  GParamSpec *changed[3] = { NULL };
  guint n = 0;

  if (self->n_downloaded != 0)
    changed[n++] = properties[PROP_N_DOWNLOADED];
  if (self->n_not_found != 0)
    changed[n++] = properties[PROP_N_NOT_FOUND];
  if (self->n_failed != 0)
    changed[n++] = properties[PROP_N_FAILED];
  self->n_downloaded = self->n_not_found = self->n_failed = 0;
  for (guint i = 0; i < n; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed[i]);
}

static void
run_download_completed_cb (FpRun            *run,
                           FpDownloadResult *result,
                           FpCountryList    *self)
{
  FpCountryItem *item = g_hash_table_lookup (self->items_by_code,
                                             fp_download_result_get_code (result));

  if (item == NULL)
    return;

  /* The row's tooltip says how long it took and waited, and its size. */
  {
    g_autofree char *facts = fp_download_timeline_describe (fp_download_result_get_timeline (result),
                                                            fp_download_result_get_size (result));
    fp_country_item_set_facts (item, facts);
  }
  fp_country_item_set_status (item,
                              fp_download_result_get_status (result),
                              fp_download_result_get_message (result));
  count_outcome (self, fp_download_result_get_status (result), 1);

  /* A row filtered in by its outcome appears as the outcome comes. */
  if (!g_str_equal (self->status_filter, "all"))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
}

static void
run_finished_cb (FpRun         *run,
                 FpCountryList *self)
{
  GListModel *model = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);

      /* Nothing ran: no row claims a status. */
      if (fp_run_get_state (run) == FP_RUN_STATE_FAILED)
        fp_country_item_clear_status (item);
      /* What never finished is marked, so the list says what the summary says. */
      else if (fp_country_item_get_has_status (item) &&
               (fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_QUEUED ||
                fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_DOWNLOADING))
        fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
    }
  self->following = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

/* Returns: whether the rows follow a batch that has not finished. */
gboolean
fp_country_list_get_following (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), FALSE);
  return self->following;
}

/**
 * fp_country_list_follow_run:
 * @run: a run about to start, made from the selected codes
 *
 * Shows @run in the rows: the selected ones become queued, the others
 * forget an earlier batch; each then changes as its download starts and
 * completes; at the end, those that never finished say cancelled, and if
 * the run could not run at all no row keeps a status. "Selected only"
 * comes on, so that the batch is what the list shows.
 */
static void
follow (FpCountryList *self,
        FpRun         *run,
        gboolean       retry)
{
  const char * const *codes = fp_batch_config_get_codes (fp_run_get_config (run));
  g_autoptr(GHashTable) in_run = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *model;

  stop_following (self);
  self->run = g_object_ref (run);
  self->following = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
  if (!retry)
    reset_counts (self);
  g_signal_connect_object (run, "download-started", G_CALLBACK (run_download_started_cb), self, 0);
  g_signal_connect_object (run, "download-completed", G_CALLBACK (run_download_completed_cb), self, 0);
  g_signal_connect_object (run, "finished", G_CALLBACK (run_finished_cb), self, 0);

  for (guint i = 0; codes[i] != NULL; i++)
    g_hash_table_add (in_run, (gpointer) codes[i]);

  /* Only this batch's rows show a status: the batch is the selection (a
   * retry's rows are the failed ones; the others keep what they got). One
   * pass, and a row whose status stays as it is hears nothing. */
  model = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);

      if (g_hash_table_contains (in_run, fp_country_item_get_code (item)))
        {
          if (retry && fp_country_item_get_has_status (item))
            count_outcome (self, fp_country_item_get_status (item), -1);
          fp_country_item_set_facts (item, NULL);
          fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_QUEUED, NULL);
        }
      else if (!retry)
        fp_country_item_clear_status (item);
    }

  /* Rows now have a status exactly when they are selected, so only rows
   * of an earlier batch that are no longer selected can go: "more strict"
   * looks at the rows shown, not at all 676, and keeps the rows it has. */
  if (!g_str_equal (self->status_filter, "all"))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  else if (self->selected_only)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  else
    fp_country_list_set_selected_only (self, TRUE);
}

void
fp_country_list_follow_run (FpCountryList *self,
                            FpRun         *run)
{
  g_return_if_fail (FP_IS_COUNTRY_LIST (self));
  g_return_if_fail (FP_IS_RUN (run));

  follow (self, run, FALSE);
}

/**
 * fp_country_list_follow_retry:
 * @run: a run about to start, made from fp_country_list_dup_failed_codes()
 *
 * Like fp_country_list_follow_run(), but the rows outside @run keep their
 * outcome, and the counts go on from the batch being retried.
 */
void
fp_country_list_follow_retry (FpCountryList *self,
                              FpRun         *run)
{
  g_return_if_fail (FP_IS_COUNTRY_LIST (self));
  g_return_if_fail (FP_IS_RUN (run));

  follow (self, run, TRUE);
}

/**
 * fp_country_list_set_status_filter:
 * @status_filter: "all", "downloaded", "not-found" or "failed"
 *
 * Shows only the rows of the batch with that outcome ("all" shows what
 * the search and "selected only" say), as the counts
 * (#FpCountryList:n-downloaded, :n-not-found, :n-failed) tell.
 */
void
fp_country_list_set_status_filter (FpCountryList *self,
                                   const char    *status_filter)
{
  g_return_if_fail (FP_IS_COUNTRY_LIST (self));
  g_return_if_fail (status_filter != NULL && g_strv_contains (status_filter_names, status_filter));

  if (g_str_equal (self->status_filter, status_filter))
    return;

  self->status_filter = g_intern_string (status_filter);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
}

const char *
fp_country_list_get_status_filter (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), "all");
  return self->status_filter;
}

guint
fp_country_list_get_n_downloaded (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), 0);
  return self->n_downloaded;
}

guint
fp_country_list_get_n_not_found (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), 0);
  return self->n_not_found;
}

guint
fp_country_list_get_n_failed (FpCountryList *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), 0);
  return self->n_failed;
}

/**
 * fp_country_list_dup_failed_codes:
 *
 * Returns: (transfer full): the codes whose download failed in the batch
 *   shown, sorted: what Retry Failed downloads again
 */
char **
fp_country_list_dup_failed_codes (FpCountryList *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model;

  g_return_val_if_fail (FP_IS_COUNTRY_LIST (self), NULL);

  model = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (model, i);

      if (fp_country_item_get_has_status (item) &&
          fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_ERROR)
        g_strv_builder_add (builder, fp_country_item_get_code (item));
    }

  return g_strv_builder_end (builder);
}
