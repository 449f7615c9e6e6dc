/* fp-responsiveness.c — how long the real window's main loop stalls during a batch of 676 codes, and its peak memory
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives FpApplication and FpWindow as a person would: the "Every code
 * AA–ZZ" preset, concurrency 100, the built-in server with no latency,
 * into a fresh folder, with the flag grid decoding a thumbnail for every
 * flag, and fresh XDG folders (fp-bench-home.c): no history of runs from
 * the user or an earlier run. Meanwhile it records two clocks on the main thread:
 *
 *   - a 1 ms timer at the priority of input events: the gap between two
 *     of its dispatches is how long an event would have waited;
 *   - the window's frame clock (a tick callback): a gap above one frame
 *     is a frame that was not drawn in time.
 *
 * When the batch has ended and the grid holds every flag, it reads the
 * process's peak resident memory (VmHWM) and prints one line of
 * "key=value" pairs that bench/bench-responsiveness turns into a table.
 */
#define G_LOG_DOMAIN "fp-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flagpole-engine.h"
#include "fp-bench-damage.h"
#include "fp-bench-home.h"
#include "fp-application-private.h"
#include "fp-flag-grid.h"
#include "fp-flag-tile-private.h"
#include "fp-window.h"
#include "fp-window-private.h"

/* The batch of the window's current run, or NULL. */
static FpDownloadBatch *
window_batch (FpWindow *window)
{
  FpRun *run = fp_window_get_run (window);

  return run != NULL ? fp_run_get_batch (run) : NULL;
}

/* The kinds of main-thread work --breakdown tells apart. */
typedef enum
{
  KIND_STARTED,                  /* the batch's "download-started" handlers */
  KIND_COMPLETED,                /* "download-completed": country row, progress, grid */
  KIND_MODEL,                    /* the grid's model changing (items-changed) */
  KIND_UPDATE,                   /* frame clock: update (tick callbacks) */
  KIND_LAYOUT,                   /* frame clock: layout phase */
  KIND_PAINT,                    /* frame clock: paint phase */
  KIND_AFTER_PAINT,              /* frame clock: after-paint */
  KIND_POLL,                     /* the main loop waiting in poll() */
  N_KINDS
} Kind;

static const char * const kind_names[N_KINDS] = {
  "started", "completed", "model", "update", "layout", "paint", "after-paint", "poll",
};

typedef struct
{
  Kind kind;
  gint64 begin;                  /* of the span under way, or 0 */
  gint64 begin_cpu;              /* the main thread's processor time then */
  gint64 total_us;
  gint64 total_cpu_us;           /* of which the thread ran: the rest it waited */
  gint64 max_us;
  guint count;
} Span;

typedef struct
{
  gint64 begin;
  gint64 end;
  Kind kind;
} Event;

/* Every span that ended, in order, to tell what each long gap held. */
static GArray *events;

/* The calling thread's processor time: unlike the clock, it does not
 * count the time the thread waited for a core or a lock. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* How long the calling thread has waited, runnable, for a core (the
 * kernel's run-queue delay, the second field of schedstat): time the
 * main thread lost to the workers and the X server, not to its own work.
 * -1 where the kernel does not keep it. */
static gint64
thread_wait_us (void)
{
  /* Opened once, on the main thread (the only caller), and read again at
   * each call: the 1 ms timer asks for it at every dispatch, and opening,
   * reading and closing the file each time was 3 % of the thread's time. */
  static int fd = -2;
  char contents[128];
  ssize_t length;
  guint64 on_cpu_ns, waiting_ns;

  if (fd == -2)
    fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || (length = pread (fd, contents, sizeof contents - 1, 0)) <= 0)
    return -1;
  contents[length] = '\0';
  if (sscanf (contents, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &on_cpu_ns, &waiting_ns) != 2)
    return -1;
  return (gint64) (waiting_ns / 1000);
}

static void
span_begin (Span *span)
{
  span->begin = g_get_monotonic_time ();
  span->begin_cpu = thread_cpu_us ();
}

static void
span_end (Span *span)
{
  gint64 now;

  if (span->begin == 0)
    return;
  now = g_get_monotonic_time ();
  span->total_us += now - span->begin;
  span->total_cpu_us += thread_cpu_us () - span->begin_cpu;
  span->max_us = MAX (span->max_us, now - span->begin);
  span->count++;
  if (events != NULL)
    g_array_append_vals (events, &(Event) { span->begin, now, span->kind }, 1);
  /* For lining up a profile with the long spans: those over
   * FP_BENCH_TIMESTAMPS ms, if it is a number, else 8. */
  if (g_getenv ("FP_BENCH_TIMESTAMPS") != NULL
      && now - span->begin > 1000 * (g_ascii_strtod (g_getenv ("FP_BENCH_TIMESTAMPS"), NULL) > 0
                                     ? g_ascii_strtod (g_getenv ("FP_BENCH_TIMESTAMPS"), NULL) : 8))
    g_printerr ("long span %s from %.6f to %.6f\n", kind_names[span->kind], span->begin / 1e6, now / 1e6);
  span->begin = 0;
}

typedef struct
{
  FpApplication *app;
  FpWindow *window;
  FpFlagGrid *grid;
  char *home;                    /* this process's XDG folders and destination */
  char *dest_dir;

  guint expected_flags;          /* ISO countries: the flags the server has */
  gboolean started;
  gboolean finished;
  gint64 start_time;
  gint64 settle_from;            /* when the window was first seen ready */
  gint64 batch_end_time;
  gint64 grid_full_time;
  gint64 start_cpu;              /* the main thread's processor time at the click */
  gint64 main_cpu_us;            /* … and from the click until the grid was full */
  gint64 start_wait;             /* the main thread's run-queue delay at the click */
  gint64 main_wait_us;           /* … and from the click until the grid was full */

  GArray *timer_gaps;            /* double, ms */
  GArray *timer_times;           /* gint64, when each gap ended */
  GArray *timer_signals;         /* guint, batch signals handled in each gap */
  GArray *timer_waits;           /* gint64, µs the thread waited for a core in each gap (--breakdown) */
  gint64 last_wait;
  guint last_signal_count;
  double start_ms;               /* activating "download": making the batch */
  GArray *frame_gaps;            /* double, ms */
  gint64 last_timer;
  gint64 last_frame;
  guint timer_source;
  guint tick_id;
  guint timeout_source;

  gsize rss_before_kb;
  gsize hwm_before_kb;

  /* --breakdown: main-thread time spent in each kind of work. */
  Span spans[N_KINDS];
  gint64 phase_mark;             /* where the frame's next phase began */
  gint64 phase_mark_cpu;
  gulong hooks[3];
  guint hook_signals[3];

  FpBenchDamage *damage;         /* --damage */
  gulong after_paint_id;
} Bench;

static gboolean opt_no_grid_view;
static gboolean opt_timeline;
static gboolean opt_breakdown;
static gboolean opt_damage;
static double opt_limit_s = 120.0;
static char *opt_strategy;

static const GOptionEntry entries[] = {
  { "hide-grid", 0, 0, G_OPTION_ARG_NONE, &opt_no_grid_view,
    "Hide the flag grid during the batch (to tell its drawing cost from the rest)", NULL },
  { "timeline", 0, 0, G_OPTION_ARG_NONE, &opt_timeline,
    "Show the Timeline page during the batch instead of the flags", NULL },
  { "breakdown", 0, 0, G_OPTION_ARG_NONE, &opt_breakdown,
    "Also time the main thread's handlers: batch signals, grid model, layout, paint", NULL },
  { "damage", 0, 0, G_OPTION_ARG_NONE, &opt_damage,
    "Also tell which widgets each frame drew again (costs main-thread time: not for timing)", NULL },
  { "strategy", 0, 0, G_OPTION_ARG_STRING, &opt_strategy,
    "How the downloads run: threads (default), async, processes or sequential", "STRATEGY" },
  { "limit", 0, 0, G_OPTION_ARG_DOUBLE, &opt_limit_s,
    "Give up after this many seconds (default 120)", "SECONDS" },
  { NULL }
};

static gsize
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
summarize (GArray *gaps,
           double *max,
           double *p99,
           double *p50,
           guint  *over_16ms)
{
  g_autoptr(GArray) sorted = g_array_copy (gaps);

  *max = *p99 = *p50 = 0;
  *over_16ms = 0;
  if (sorted->len == 0)
    return;

  g_array_sort (sorted, compare_doubles);
  *max = g_array_index (sorted, double, sorted->len - 1);
  *p99 = g_array_index (sorted, double, MIN (sorted->len - 1, (guint) (sorted->len * 0.99)));
  *p50 = g_array_index (sorted, double, sorted->len / 2);
  for (guint i = 0; i < sorted->len; i++)
    if (g_array_index (sorted, double, i) > 16.0)
      (*over_16ms)++;
}

static void
record_gap (GArray *gaps,
            gint64 *last,
            gint64  now)
{
  if (*last != 0)
    {
      double gap_ms = (now - *last) / 1000.0;
      g_array_append_val (gaps, gap_ms);
    }
  *last = now;
}

static void
switch_painted_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  *(gint64 *) user_data = g_get_monotonic_time ();
}

static void
settled_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/*
 * With the Timeline page shown during the batch, what a person does next:
 * back to the Flags page, whose grid filled off screen. The time from the
 * switch to the end of the first frame that draws the grid (its tiles
 * made, styled and laid out in that frame), after the batch.
 */
static void
measure_switch_to_flags (Bench *bench)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));
  gint64 painted = 0;
  gboolean settled = FALSE;
  gint64 begin;
  gulong handler;

  /* The batch's last frames and idles first: only the switch is timed. */
  g_timeout_add_once (300, settled_cb, &settled);
  while (!settled)
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (switch_painted_cb), &painted);
  begin = g_get_monotonic_time ();
  adw_view_stack_set_visible_child_name (bench->window->view_stack, "flags");
  while (painted == 0 || !gtk_widget_get_mapped (GTK_WIDGET (bench->grid)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  g_print ("switch_ms=%.1f tiles_after_switch=%u\n", (painted - begin) / 1000.0, fp_flag_tile_get_n_tiles ());
}

static void
finish (Bench *bench)
{
  FpDownloadBatch *batch = window_batch (bench->window);
  double timer_max, timer_p99, timer_p50, frame_max, frame_p99, frame_p50;
  guint timer_over, frame_over;
  gsize hwm_kb = read_status_kb ("VmHWM:");
  gsize rss_kb = read_status_kb ("VmRSS:");

  bench->finished = TRUE;
  g_clear_handle_id (&bench->timer_source, g_source_remove);
  g_clear_handle_id (&bench->timeout_source, g_source_remove);
  if (bench->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (bench->window), bench->tick_id);
  bench->tick_id = 0;

  /* Where the memory is, mapping by mapping, for a person to read. */
  if (g_getenv ("FP_BENCH_SMAPS") != NULL)
    {
      g_autofree char *smaps = NULL;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
        g_file_set_contents (g_getenv ("FP_BENCH_SMAPS"), smaps, -1, NULL);
    }

  /* For lining up a profile (perf record -k CLOCK_MONOTONIC) with the run. */
  if (g_getenv ("FP_BENCH_TIMESTAMPS") != NULL)
    g_printerr ("measured from %.6f to %.6f (CLOCK_MONOTONIC)\n",
                bench->start_time / 1e6, g_get_monotonic_time () / 1e6);

  summarize (bench->timer_gaps, &timer_max, &timer_p99, &timer_p50, &timer_over);
  summarize (bench->frame_gaps, &frame_max, &frame_p99, &frame_p50, &frame_over);

  g_print ("requested=%u ok=%u not_found=%u error=%u flags_in_grid=%u "
           "start_ms=%.1f batch_s=%.3f grid_full_s=%.3f main_cpu_ms=%.1f main_wait_ms=%.1f "
           "timer_max_ms=%.1f timer_p99_ms=%.1f timer_p50_ms=%.2f timer_n=%u timer_over16=%u "
           "frame_max_ms=%.1f frame_p99_ms=%.1f frame_p50_ms=%.1f frame_n=%u frame_over16=%u "
           "rss_before_mb=%.1f hwm_before_mb=%.1f rss_mb=%.1f hwm_mb=%.1f "
           "tiles=%u thumbnails=%u\n",
           batch != NULL ? fp_download_batch_get_n_total (batch) : 0,
           batch != NULL ? fp_download_batch_get_n_ok (batch) : 0,
           batch != NULL ? fp_download_batch_get_n_not_found (batch) : 0,
           batch != NULL ? fp_download_batch_get_n_error (batch) : 0,
           fp_flag_grid_get_n_flags (bench->grid),
           bench->start_ms,
           (bench->batch_end_time - bench->start_time) / 1e6,
           (bench->grid_full_time - bench->start_time) / 1e6,
           bench->main_cpu_us / 1000.0, bench->main_wait_us / 1000.0,
           timer_max, timer_p99, timer_p50, bench->timer_gaps->len, timer_over,
           frame_max, frame_p99, frame_p50, bench->frame_gaps->len, frame_over,
           bench->rss_before_kb / 1024.0, bench->hwm_before_kb / 1024.0,
           rss_kb / 1024.0, hwm_kb / 1024.0,
           fp_flag_tile_get_n_tiles (), fp_flag_tile_get_n_thumbnails ());

  if (opt_timeline)
    measure_switch_to_flags (bench);

  if (bench->damage != NULL)
    {
      g_clear_signal_handler (&bench->after_paint_id, gtk_widget_get_frame_clock (GTK_WIDGET (bench->window)));
      fp_bench_damage_print (bench->damage);
      g_clear_pointer (&bench->damage, fp_bench_damage_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bench->hooks); i++)
    if (bench->hooks[i] != 0)
      g_signal_remove_emission_hook (bench->hook_signals[i], bench->hooks[i]);

  if (opt_breakdown)
    {
      g_main_context_set_poll_func (NULL, g_poll);
      for (guint i = 0; i < N_KINDS; i++)
        g_print ("span=%s count=%u total_ms=%.1f cpu_ms=%.1f max_ms=%.2f\n",
                 kind_names[i], bench->spans[i].count,
                 bench->spans[i].total_us / 1000.0, bench->spans[i].total_cpu_us / 1000.0,
                 bench->spans[i].max_us / 1000.0);
      g_print ("span=start-download count=1 total_ms=%.1f max_ms=%.2f\n",
               bench->start_ms, bench->start_ms);

      /* When the longest gaps ended, from the start of the batch. */
      for (guint round = 0; round < 5; round++)
        {
          guint longest = G_MAXUINT;

          for (guint i = 0; i < bench->timer_gaps->len; i++)
            if (g_array_index (bench->timer_gaps, double, i) >= 0
                && (longest == G_MAXUINT
                    || g_array_index (bench->timer_gaps, double, i) > g_array_index (bench->timer_gaps, double, longest)))
              longest = i;
          if (longest == G_MAXUINT)
            break;
          {
            gint64 end = g_array_index (bench->timer_times, gint64, longest);
            gint64 begin = end - (gint64) (g_array_index (bench->timer_gaps, double, longest) * 1000);
            gint64 in_gap[N_KINDS] = { 0 };
            gint64 known = 0;

            /* What the main thread did between the two ticks; the rest is
             * other sources, or the thread not running at all. */
            for (guint i = 0; i < events->len; i++)
              {
                Event *event = &g_array_index (events, Event, i);
                gint64 overlap = MIN (event->end, end) - MAX (event->begin, begin);

                if (overlap > 0)
                  in_gap[event->kind] += overlap;
              }
            g_print ("gap ms=%.1f ended_at_ms=%.1f batch_signals=%u",
                     g_array_index (bench->timer_gaps, double, longest),
                     (end - bench->start_time) / 1000.0,
                     g_array_index (bench->timer_signals, guint, longest));
            for (guint i = 0; i < N_KINDS; i++)
              {
                g_print (" %s=%.1f", kind_names[i], in_gap[i] / 1000.0);
                /* Signals nest in the batch's news; frames do not. */
                if (i != KIND_MODEL)
                  known += in_gap[i];
              }
            g_print (" other=%.1f waited=%.1f\n", MAX (0, end - begin - known) / 1000.0,
                     g_array_index (bench->timer_waits, gint64, longest) / 1000.0);
          }
          g_array_index (bench->timer_gaps, double, longest) = -1;
        }
    }

  gtk_window_destroy (GTK_WINDOW (bench->window));
}

static gboolean
done (Bench *bench)
{
  FpDownloadBatch *batch = window_batch (bench->window);
  gint64 now = g_get_monotonic_time ();

  if (batch == NULL || fp_window_get_running (bench->window))
    return FALSE;
  if (bench->batch_end_time == 0)
    bench->batch_end_time = now;

  if (fp_flag_grid_get_loading (bench->grid)
      || fp_flag_grid_get_n_flags (bench->grid) < fp_download_batch_get_n_ok (batch))
    return FALSE;
  if (bench->grid_full_time == 0)
    {
      bench->grid_full_time = now;
      bench->main_cpu_us = thread_cpu_us () - bench->start_cpu;
      bench->main_wait_us = bench->start_wait < 0 ? -1 : thread_wait_us () - bench->start_wait;
    }

  return TRUE;
}

static gboolean
timer_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->last_timer != 0)
    {
      guint signals = bench->spans[KIND_STARTED].count + bench->spans[KIND_COMPLETED].count;
      guint in_gap = signals - bench->last_signal_count;

      g_array_append_val (bench->timer_times, now);
      g_array_append_val (bench->timer_signals, in_gap);
      bench->last_signal_count = signals;
    }
  if (opt_breakdown)
    {
      gint64 wait = thread_wait_us ();

      if (bench->last_timer != 0)
        {
          gint64 waited = wait - bench->last_wait;
          g_array_append_val (bench->timer_waits, waited);
        }
      bench->last_wait = wait;
    }
  record_gap (bench->timer_gaps, &bench->last_timer, now);

  if (done (bench))
    {
      bench->timer_source = 0;
      finish (bench);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  Bench *bench = user_data;

  /* Measured when the tick runs on the main loop, like the timer: the
   * frame time GDK reports is smoothed and hides a late frame. */
  record_gap (bench->frame_gaps, &bench->last_frame, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

/* Emission hooks run before any handler of the signal; a handler connected
 * last with G_CONNECT_AFTER runs after all of them. */
static gboolean
batch_signal_hook_cb (GSignalInvocationHint *hint,
                      guint                  n_values,
                      const GValue          *values,
                      gpointer               user_data)
{
  span_begin (user_data);
  return TRUE;
}

static void
download_started_after_cb (FpDownloadBatch *batch,
                           const char      *code,
                           Bench           *bench)
{
  span_end (&bench->spans[KIND_STARTED]);
}

static void
download_completed_after_cb (FpDownloadBatch  *batch,
                             FpDownloadResult *result,
                             Bench            *bench)
{
  span_end (&bench->spans[KIND_COMPLETED]);
}

static gboolean
items_changed_hook_cb (GSignalInvocationHint *hint,
                       guint                  n_values,
                       const GValue          *values,
                       gpointer               user_data)
{
  Bench *bench = user_data;

  if (g_value_get_object (&values[0]) == fp_flag_grid_get_flags (bench->grid))
    span_begin (&bench->spans[KIND_MODEL]);
  return TRUE;
}

static void
items_changed_after_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        Bench      *bench)
{
  span_end (&bench->spans[KIND_MODEL]);
}

/* GDK paints in one dispatch: "before-paint", "update" (tick callbacks),
 * "layout", "paint", "after-paint", each phase only when asked for.
 * Handlers connected last, after GTK's own, mark where each phase ended,
 * and so where the next began. */
static void
phase_done (Bench *bench,
            Kind   kind)
{
  Span *span = &bench->spans[kind];

  span->begin = bench->phase_mark;
  span->begin_cpu = bench->phase_mark_cpu;
  span_end (span);
  bench->phase_mark = g_get_monotonic_time ();
  bench->phase_mark_cpu = thread_cpu_us ();
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *bench)
{
  bench->phase_mark = g_get_monotonic_time ();
  bench->phase_mark_cpu = thread_cpu_us ();
}

static void
updated_cb (GdkFrameClock *clock,
            Bench         *bench)
{
  phase_done (bench, KIND_UPDATE);
}

static void
laid_out_cb (GdkFrameClock *clock,
             Bench         *bench)
{
  phase_done (bench, KIND_LAYOUT);
}

static void
painted_cb (GdkFrameClock *clock,
            Bench         *bench)
{
  phase_done (bench, KIND_PAINT);
}

static void
after_painted_cb (GdkFrameClock *clock,
                  Bench         *bench)
{
  phase_done (bench, KIND_AFTER_PAINT);
}

/* The main loop's wait, timed like a span. */
static Span *poll_span;

static int
timed_poll (GPollFD *fds,
            guint    nfds,
            int      timeout)
{
  int ready;

  span_begin (poll_span);
  ready = g_poll (fds, nfds, timeout);
  span_end (poll_span);
  return ready;
}

static void
install_breakdown (Bench *bench)
{
  FpDownloadBatch *batch = window_batch (bench->window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));

  events = g_array_new (FALSE, FALSE, sizeof (Event));
  for (guint i = 0; i < N_KINDS; i++)
    bench->spans[i].kind = i;
  poll_span = &bench->spans[KIND_POLL];
  g_main_context_set_poll_func (NULL, timed_poll);

  bench->hook_signals[0] = g_signal_lookup ("download-started", FP_TYPE_DOWNLOAD_BATCH);
  bench->hooks[0] = g_signal_add_emission_hook (bench->hook_signals[0], 0,
                                                batch_signal_hook_cb, &bench->spans[KIND_STARTED], NULL);
  bench->hook_signals[1] = g_signal_lookup ("download-completed", FP_TYPE_DOWNLOAD_BATCH);
  bench->hooks[1] = g_signal_add_emission_hook (bench->hook_signals[1], 0,
                                                batch_signal_hook_cb, &bench->spans[KIND_COMPLETED], NULL);
  g_signal_connect_after (batch, "download-started", G_CALLBACK (download_started_after_cb), bench);
  g_signal_connect_after (batch, "download-completed", G_CALLBACK (download_completed_after_cb), bench);

  bench->hook_signals[2] = g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
  bench->hooks[2] = g_signal_add_emission_hook (bench->hook_signals[2], 0,
                                                items_changed_hook_cb, bench, NULL);
  g_signal_connect_after (fp_flag_grid_get_flags (bench->grid), "items-changed",
                          G_CALLBACK (items_changed_after_cb), bench);

  g_signal_connect_after (clock, "before-paint", G_CALLBACK (before_paint_cb), bench);
  g_signal_connect_after (clock, "update", G_CALLBACK (updated_cb), bench);
  g_signal_connect_after (clock, "layout", G_CALLBACK (laid_out_cb), bench);
  g_signal_connect_after (clock, "paint", G_CALLBACK (painted_cb), bench);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_painted_cb), bench);
}

static void
damage_after_paint_cb (GdkFrameClock *clock,
                       Bench         *bench)
{
  fp_bench_damage_frame (bench->damage);
}

static gboolean
give_up_cb (gpointer user_data)
{
  Bench *bench = user_data;

  g_printerr ("fp-responsiveness: no result after %.0f s (grid holds %u flags)\n",
              opt_limit_s, fp_flag_grid_get_n_flags (bench->grid));
  bench->timeout_source = 0;
  fp_bench_home_clear (g_steal_pointer (&bench->home));
  exit (1);
}

#define SETTLE_US (1 * G_USEC_PER_SEC)

static gboolean click_download_cb (gpointer user_data);

static gboolean
start_batch_cb (gpointer user_data)
{
  Bench *bench = user_data;

  /* The window is on screen and the (empty) folder listed: the baseline. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (bench->window)) || fp_flag_grid_get_loading (bench->grid))
    return G_SOURCE_CONTINUE;

  /* A person clicks once the window has settled, not in the tenth of a
   * second after it appeared. libadwaita's style manager turns animations
   * off as it loads its style sheet and back on 250 ms later, and that
   * restyles the whole window (15 ms here); GTK loads the icon theme from
   * an idle. So the click comes a second after the window was first seen,
   * and only once the main loop has nothing else to do. */
  /* The preset is chosen first, as a person chooses it before clicking
   * Download: the list's 676 rows are laid out before the batch, not in
   * the frame of the click. */
  if (bench->settle_from == 0)
    {
      g_action_group_activate_action (G_ACTION_GROUP (bench->app), "select", g_variant_new_string ("every"));
      /* As a person watching the requests would: the page is shown before
       * the click (its switcher's transition and first layout are over by
       * then), and the grid, off screen, fills from idles. */
      if (opt_timeline)
        {
          adw_view_stack_set_visible_child_name (bench->window->view_stack, "timeline");
          if (g_strcmp0 (adw_view_stack_get_visible_child_name (bench->window->view_stack), "timeline") != 0)
            g_error ("The window has no Timeline page");
        }
      bench->settle_from = g_get_monotonic_time ();
    }
  if (g_get_monotonic_time () - bench->settle_from < SETTLE_US)
    return G_SOURCE_CONTINUE;
  g_idle_add_full (G_PRIORITY_LOW, click_download_cb, bench, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
click_download_cb (gpointer user_data)
{
  Bench *bench = user_data;
  GActionGroup *actions = G_ACTION_GROUP (bench->app);

  bench->rss_before_kb = read_status_kb ("VmRSS:");
  bench->hwm_before_kb = read_status_kb ("VmHWM:");
  /* The same map at the click, to tell what the batch added. */
  if (g_getenv ("FP_BENCH_SMAPS_BEFORE") != NULL)
    {
      g_autofree char *smaps = NULL;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
        g_file_set_contents (g_getenv ("FP_BENCH_SMAPS_BEFORE"), smaps, -1, NULL);
    }

  if (opt_no_grid_view)
    gtk_widget_set_visible (GTK_WIDGET (bench->grid), FALSE);

  bench->started = TRUE;
  bench->start_time = g_get_monotonic_time ();
  bench->start_cpu = thread_cpu_us ();
  bench->start_wait = thread_wait_us ();

  bench->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (bench->window), tick_cb, bench, NULL);
  /* The priority of input events: what a click would wait behind. */
  bench->timer_source = g_timeout_add_full (G_PRIORITY_DEFAULT, 1, timer_cb, bench, NULL);
  bench->timeout_source = g_timeout_add_seconds ((guint) opt_limit_s, give_up_cb, bench);

  {
    gint64 before = g_get_monotonic_time ();

    g_action_group_activate_action (actions, "download", NULL);
    bench->start_ms = (g_get_monotonic_time () - before) / 1000.0;
  }
  if (opt_breakdown && window_batch (bench->window) != NULL)
    install_breakdown (bench);
  if (opt_damage)
    {
      bench->damage = fp_bench_damage_new (GTK_WIDGET (bench->window));
      bench->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (bench->window)),
                                                "after-paint", G_CALLBACK (damage_after_paint_cb), bench);
    }
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              Bench        *bench)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (bench->window != NULL || !FP_IS_WINDOW (window))
    return;

  bench->window = FP_WINDOW (window);
  bench->grid = fp_window_get_flag_grid (bench->window);
  g_timeout_add (50, start_batch_cb, bench);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) all_codes = NULL;
  Bench bench = { 0 };
  char *app_argv[] = { argv[0], NULL };
  int status;
  int strategy = FP_DOWNLOAD_STRATEGY_THREADS;

  /* Never the user's history of runs, nor one left by an earlier run. */
  bench.home = fp_bench_home_new (&error);
  if (bench.home == NULL)
    {
      g_printerr ("fp-responsiveness: %s\n", error->message);
      return 1;
    }

  setlocale (LC_ALL, "");
  /* Never the user's own settings, and the schema of this build tree. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", FP_BENCH_SCHEMA_DIR, TRUE);
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fp_engine_init_i18n ();

  context = g_option_context_new ("— the window's responsiveness during a batch of 676 codes");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      fp_bench_home_clear (bench.home);
      return 2;
    }
  if (opt_strategy != NULL && !fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, opt_strategy, &strategy))
    {
      g_printerr ("Unknown strategy \u201c%s\u201d: threads, async, processes or sequential\n", opt_strategy);
      fp_bench_home_clear (bench.home);
      return 2;
    }

  bench.timer_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  bench.timer_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.timer_signals = g_array_new (FALSE, FALSE, sizeof (guint));
  bench.timer_waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.frame_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  bench.dest_dir = g_build_filename (bench.home, "flags", NULL);
  if (g_mkdir (bench.dest_dir, 0700) != 0)
    g_error ("Cannot make %s: %s", bench.dest_dir, g_strerror (errno));
  all_codes = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  bench.expected_flags = g_strv_length (all_codes);

  bench.app = fp_application_new ();
  /* A user's running Flagpole must not receive this run. */
  g_application_set_flags (G_APPLICATION (bench.app), G_APPLICATION_NON_UNIQUE);

  settings = g_object_ref (fp_application_get_gsettings (bench.app));
  g_settings_set_int (settings, "concurrency", 100);
  g_settings_set_enum (settings, "strategy", strategy);
  g_settings_set_string (settings, "source", "builtin");
  g_settings_set_double (settings, "server-min-delay", 0);
  g_settings_set_double (settings, "server-max-delay", 0);
  g_settings_set_double (settings, "server-error-rate", 0);
  g_settings_set_string (settings, "destination", bench.dest_dir);

  g_signal_connect_after (bench.app, "activate", G_CALLBACK (activated_cb), &bench);
  status = g_application_run (G_APPLICATION (bench.app), 1, app_argv);

  if (!bench.finished)
    {
      g_printerr ("fp-responsiveness: the window closed before the batch ended\n");
      status = 1;
    }

  g_clear_object (&bench.app);
  g_free (bench.dest_dir);
  g_array_unref (bench.timer_gaps);
  g_array_unref (bench.timer_times);
  g_array_unref (bench.timer_signals);
  g_array_unref (bench.timer_waits);
  g_array_unref (bench.frame_gaps);
  fp_bench_home_clear (bench.home);
  return status;
}
