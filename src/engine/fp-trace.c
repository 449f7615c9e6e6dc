/* fp-trace.c — a batch's timeline as Chrome trace-event JSON, which Perfetto and chrome://tracing open
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-trace"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fp-download-result.h"
#include "fp-engine-enums.h"
#include "fp-trace.h"

/*
 * The format (the "Trace Event Format" Chrome documents): an object whose
 * "traceEvents" list holds events; "ph" says what each is. Each worker
 * slot is a track (a "tid" of one "pid"), named by a thread_name metadata
 * event. A download is one complete event ("X": ts and dur, in µs from
 * the batch's start) on the track of the slot that ran it, its network
 * phases complete events nested inside it on the same track; its
 * check-and-save ran on a disk worker's thread, so it sits on that
 * thread's track. Complete events on one track must nest, never
 * overlap: a slot runs one download at a time, and a download's phases
 * lie inside it, so they do. A counter ("C") series draws the number of
 * requests in flight.
 */

#define TRACE_PID 1

static JsonNode *
metadata_event (const char *name,
                gint64      tid,
                const char *key,
                JsonNode   *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ph");
  json_builder_add_string_value (builder, "M");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, TRACE_PID);
  if (tid >= 0)
    {
      json_builder_set_member_name (builder, "tid");
      json_builder_add_int_value (builder, tid);
    }
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  json_builder_add_value (builder, value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_thread (JsonArray  *events,
            gint64      tid,
            const char *name,
            gint64      sort_index)
{
  json_array_add_element (events, metadata_event ("thread_name", tid, "name",
                                                  json_node_init_string (json_node_alloc (), name)));
  json_array_add_element (events, metadata_event ("thread_sort_index", tid, "sort_index",
                                                  json_node_init_int (json_node_alloc (), sort_index)));
}

/* A complete event; its "args" object is returned for the caller to fill. */
static JsonObject *
add_complete (JsonArray  *events,
              const char *name,
              const char *category,
              gint64      tid,
              gint64      start,
              gint64      end)
{
  JsonObject *event = json_object_new ();
  JsonObject *args = json_object_new ();

  json_object_set_string_member (event, "ph", "X");
  json_object_set_string_member (event, "name", name);
  json_object_set_string_member (event, "cat", category);
  json_object_set_int_member (event, "pid", TRACE_PID);
  json_object_set_int_member (event, "tid", tid);
  json_object_set_int_member (event, "ts", start);
  json_object_set_int_member (event, "dur", MAX (end - start, 0));
  json_object_set_object_member (event, "args", args);
  json_array_add_object_element (events, event);

  return args;
}

typedef struct {
  gint64 at;
  int change;
} Step;

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *sa = a, *sb = b;

  if (sa->at != sb->at)
    return (sa->at > sb->at) - (sa->at < sb->at);
  /* One that ends and one that starts at the same µs were not both in. */
  return sa->change - sb->change;
}

static void
add_counter (JsonArray *events,
             gint64     at,
             int        value)
{
  JsonObject *event = json_object_new ();
  JsonObject *args = json_object_new ();

  json_object_set_string_member (event, "ph", "C");
  json_object_set_string_member (event, "name", "in flight");
  json_object_set_string_member (event, "cat", "download");
  json_object_set_int_member (event, "pid", TRACE_PID);
  json_object_set_int_member (event, "ts", at);
  json_object_set_int_member (args, "requests", value);
  json_object_set_object_member (event, "args", args);
  json_array_add_object_element (events, event);
}

/* The number in flight, from the slots' spans: one event per change. */
static void
add_in_flight (JsonArray *events,
               GPtrArray *results)
{
  g_autoptr(GArray) steps = g_array_sized_new (FALSE, FALSE, sizeof (Step), results->len * 2);
  int in_flight = 0;

  for (guint i = 0; i < results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (results, i));
      Step start = { t->started, +1 }, end = { t->network_end, -1 };

      if (t->started == FP_TIMELINE_NONE || t->network_end == FP_TIMELINE_NONE)
        continue;
      g_array_append_val (steps, start);
      g_array_append_val (steps, end);
    }
  g_array_sort (steps, compare_steps);

  add_counter (events, 0, 0);
  for (guint i = 0; i < steps->len; i++)
    {
      const Step *step = &g_array_index (steps, Step, i);

      in_flight += step->change;
      /* Only the count at the end of each µs is drawn. */
      if (i + 1 < steps->len && g_array_index (steps, Step, i + 1).at == step->at)
        continue;
      add_counter (events, step->at, in_flight);
    }
}

static void
add_download (JsonArray        *events,
              FpDownloadResult *result)
{
  const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
  const char *code = fp_download_result_get_code (result);
  FpDownloadStatus status = fp_download_result_get_status (result);
  JsonObject *args;
  gint64 start, end, queue_end = 0;

  if (t->started != FP_TIMELINE_NONE && t->slot > 0)
    {
      args = add_complete (events, code, "download", t->slot, t->started,
                           t->network_end != FP_TIMELINE_NONE ? t->network_end : t->finished);
      for (FpDownloadPhase phase = FP_DOWNLOAD_PHASE_CONNECT; phase <= FP_DOWNLOAD_PHASE_RECEIVE; phase++)
        if (fp_download_timeline_get_phase (t, phase, &start, &end))
          json_object_set_string_member (add_complete (events, fp_download_phase_to_string (phase),
                                                       "phase", t->slot, start, end),
                                         "cc", code);
    }
  else
    {
      /* Never ran: a mark on a track of its own, where it was given up. */
      args = add_complete (events, code, "download", FP_TRACE_NOT_STARTED_TID,
                           t->finished != FP_TIMELINE_NONE ? t->finished : 0,
                           t->finished != FP_TIMELINE_NONE ? t->finished : 0);
    }

  json_object_set_string_member (args, "status", fp_download_status_to_string (status));
  if (t->http_status != 0)
    json_object_set_int_member (args, "http_status", t->http_status);
  else
    json_object_set_null_member (args, "http_status");
  json_object_set_string_member (args, "message", fp_download_result_get_message (result));
  if (fp_download_result_get_url (result) != NULL)
    json_object_set_string_member (args, "url", fp_download_result_get_url (result));
  else
    json_object_set_null_member (args, "url");
  json_object_set_int_member (args, "size", (gint64) fp_download_result_get_size (result));
  json_object_set_int_member (args, "slot", t->slot);
  if (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_QUEUE, NULL, &queue_end))
    json_object_set_int_member (args, "queue_wait_us", queue_end - MAX (t->queued, 0));

  if (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_STORE, &start, &end) && t->store_slot > 0)
    {
      JsonObject *store_args = add_complete (events, fp_download_phase_to_string (FP_DOWNLOAD_PHASE_STORE),
                                             "phase", FP_TRACE_STORE_TID_BASE + t->store_slot,
                                             start, end);
      json_object_set_string_member (store_args, "cc", code);
      json_object_set_string_member (store_args, "status", fp_download_status_to_string (status));
    }
}

/**
 * fp_trace_build:
 * @results: (element-type FpDownloadResult): a batch's results
 * @n_slots: how many downloads ran at once (the batch's workers)
 * @strategy: how they ran
 * @elapsed_s: the batch's elapsed time
 *
 * Returns: (transfer full): the trace, `{"traceEvents": […], …}`
 */
JsonNode *
fp_trace_build (GPtrArray          *results,
                guint               n_slots,
                FpDownloadStrategy  strategy,
                double              elapsed_s)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *events = json_array_new ();
  JsonObject *other = json_object_new ();
  guint n_store_slots = 0;
  gboolean not_started = FALSE;
  JsonNode *node;

  g_return_val_if_fail (results != NULL, NULL);

  json_array_add_element (events, metadata_event ("process_name", -1, "name",
                                                  json_node_init_string (json_node_alloc (), "Flagpole")));

  for (guint i = 0; i < results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (results, i));

      n_store_slots = MAX (n_store_slots, t->store_slot);
      n_slots = MAX (n_slots, t->slot);
      not_started |= t->slot == 0;
    }

  for (guint slot = 1; slot <= n_slots; slot++)
    {
      g_autofree char *name = NULL;

      if (strategy == FP_DOWNLOAD_STRATEGY_THREADS || strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
        name = g_strdup_printf ("worker thread %u", slot);
      else
        name = g_strdup_printf ("%s worker %u", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, strategy), slot);
      add_thread (events, slot, name, slot);
    }
  for (guint slot = 1; slot <= n_store_slots; slot++)
    {
      g_autofree char *name = g_strdup_printf ("check-and-save thread %u", slot);

      add_thread (events, FP_TRACE_STORE_TID_BASE + slot, name, FP_TRACE_STORE_TID_BASE + slot);
    }
  if (not_started)
    add_thread (events, FP_TRACE_NOT_STARTED_TID, "never started", G_MAXINT32);

  for (guint i = 0; i < results->len; i++)
    add_download (events, g_ptr_array_index (results, i));
  add_in_flight (events, results);

  json_object_set_array_member (root, "traceEvents", events);
  json_object_set_string_member (root, "displayTimeUnit", "ms");
  json_object_set_string_member (other, "strategy", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, strategy));
  json_object_set_int_member (other, "concurrency", n_slots);
  json_object_set_int_member (other, "requested", results->len);
  json_object_set_double_member (other, "elapsed_s", elapsed_s);
  json_object_set_object_member (root, "otherData", other);

  node = json_node_init_object (json_node_alloc (), root);
  return node;
}

/* Returns: (transfer full): the trace as JSON text. */
char *
fp_trace_to_string (GPtrArray          *results,
                    guint               n_slots,
                    FpDownloadStrategy  strategy,
                    double              elapsed_s)
{
  g_autoptr(JsonNode) root = fp_trace_build (results, n_slots, strategy, elapsed_s);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * fp_trace_write_file:
 * @file: where the trace goes; replaced atomically
 *
 * Writes the trace. Blocks: call it off a window's main thread.
 */
gboolean
fp_trace_write_file (GPtrArray          *results,
                     guint               n_slots,
                     FpDownloadStrategy  strategy,
                     double              elapsed_s,
                     GFile              *file,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autofree char *text = fp_trace_to_string (results, n_slots, strategy, elapsed_s);

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error);
}
