/* test-batch-news.c — news from worker threads reaches the caller's thread in order, and stops when asked
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-batch-news"

#include "config.h"

#include <locale.h>

#include "flagpole-engine.h"
#include "fp-batch-news.h"
#include "fp-test-support.h"

#define N_NEWS 500

typedef struct {
  GObject *owner;
  FpBatchNews *news;
  GThread *main_thread;
  guint received;
  guint stop_after;
  gboolean in_order;
  gboolean on_main_thread;
} Watch;

static Watch watch;

static gboolean
news_cb (const char       *code,
         FpDownloadResult *result,
         guint             index,
         gpointer          user_data)
{
  g_assert_true (user_data == watch.owner);
  watch.on_main_thread &= g_thread_self () == watch.main_thread;
  /* Starts carry a code; completions a result; both their index. */
  watch.in_order &= index == watch.received;
  watch.in_order &= (index % 2 == 0) ? (code != NULL && result == NULL) : (code == NULL && result != NULL);
  watch.received++;
  return watch.stop_after == 0 || watch.received < watch.stop_after;
}

static gpointer
post_from_thread (gpointer user_data)
{
  for (guint i = 0; i < N_NEWS; i++)
    {
      if (i % 2 == 0)
        fp_batch_news_post (watch.news, "BR", NULL, i);
      else
        {
          g_autoptr(FpDownloadResult) result = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_OK, NULL);
          fp_batch_news_post (watch.news, NULL, result, i);
        }
    }
  return NULL;
}

static gboolean
all_received (gpointer user_data)
{
  return watch.received >= GPOINTER_TO_UINT (user_data);
}

static void
run_news (guint stop_after)
{
  GThread *thread;

  watch = (Watch) { .in_order = TRUE, .on_main_thread = TRUE, .stop_after = stop_after };
  watch.owner = g_object_new (G_TYPE_OBJECT, NULL);
  watch.main_thread = g_thread_self ();
  watch.news = fp_batch_news_new (g_main_context_default (), watch.owner, news_cb);

  thread = g_thread_new ("poster", post_from_thread, NULL);
  g_thread_join (thread);
  fp_test_iterate_until (all_received, GUINT_TO_POINTER (stop_after != 0 ? stop_after : N_NEWS),
                         60, "the news");
}

static void
test_news_in_order (void)
{
  run_news (0);

  g_assert_cmpuint (watch.received, ==, N_NEWS);
  g_assert_true (watch.in_order);
  g_assert_true (watch.on_main_thread);
  fp_batch_news_free (watch.news);
  g_assert_finalize_object (watch.owner);
}

/* Once the consumer wants no more (its batch ended), no more comes. */
static void
test_news_stops (void)
{
  run_news (10);
  fp_batch_news_stop (watch.news);
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  g_assert_cmpuint (watch.received, ==, 10);
  g_assert_true (watch.in_order);
  fp_batch_news_free (watch.news);
  g_assert_finalize_object (watch.owner);
}

/* Many workers post at once while the caller's thread takes the news: it
 * all arrives, once each, each worker's in the order that worker posted. */
#define N_POSTERS 4
#define N_EACH 2000

static guint many_received;
static guint many_next[N_POSTERS];
static gboolean many_in_order = TRUE;

static gboolean
news_many_cb (const char       *code,
              FpDownloadResult *result,
              guint             index,
              gpointer          user_data)
{
  guint poster = index / N_EACH;

  g_assert_cmpuint (poster, <, N_POSTERS);
  many_in_order &= index % N_EACH == many_next[poster];
  many_next[poster]++;
  many_received++;
  return TRUE;
}

static gpointer
post_many (gpointer user_data)
{
  FpBatchNews *news = ((gpointer *) user_data)[0];
  guint poster = GPOINTER_TO_UINT (((gpointer *) user_data)[1]);

  for (guint i = 0; i < N_EACH; i++)
    fp_batch_news_post (news, "BR", NULL, poster * N_EACH + i);
  return NULL;
}

static gboolean
all_many_received (gpointer user_data)
{
  return many_received >= N_POSTERS * N_EACH;
}

static void
test_news_from_many_threads (void)
{
  g_autoptr(GObject) owner = g_object_new (G_TYPE_OBJECT, NULL);
  FpBatchNews *news = fp_batch_news_new (g_main_context_default (), owner, news_many_cb);
  gpointer args[N_POSTERS][2];
  GThread *threads[N_POSTERS];

  for (guint i = 0; i < N_POSTERS; i++)
    {
      args[i][0] = news;
      args[i][1] = GUINT_TO_POINTER (i);
      threads[i] = g_thread_new ("poster", post_many, args[i]);
    }
  fp_test_iterate_until (all_many_received, NULL, 60, "the news of every poster");
  for (guint i = 0; i < N_POSTERS; i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  g_assert_cmpuint (many_received, ==, N_POSTERS * N_EACH);
  for (guint i = 0; i < N_POSTERS; i++)
    g_assert_cmpuint (many_next[i], ==, N_EACH);
  g_assert_true (many_in_order);
  fp_batch_news_free (news);
}

/* A redraw always due, as when every frame takes longer than the refresh
 * interval to paint. */
static gboolean
busy_redraw_cb (gpointer user_data)
{
  guint *n_frames = user_data;

  (*n_frames)++;
  return G_SOURCE_CONTINUE;
}

/* News still arrives behind a main loop that always has a redraw to do,
 * and the redraws still run while it does. */
static void
test_news_not_starved (void)
{
  guint n_frames = 0;
  GSource *busy = g_idle_source_new ();

  /* GDK_PRIORITY_REDRAW: above the news' idle priority. */
  g_source_set_priority (busy, G_PRIORITY_HIGH_IDLE + 20);
  g_source_set_callback (busy, busy_redraw_cb, &n_frames, NULL);
  g_source_attach (busy, NULL);

  run_news (0);
  g_assert_cmpuint (watch.received, ==, N_NEWS);
  g_assert_true (watch.in_order);
  g_assert_cmpuint (n_frames, >, 0);

  g_source_destroy (busy);
  g_source_unref (busy);
  fp_batch_news_free (watch.news);
  g_assert_finalize_object (watch.owner);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch-news/in-order", test_news_in_order);
  g_test_add_func ("/batch-news/stops", test_news_stops);
  g_test_add_func ("/batch-news/from-many-threads", test_news_from_many_threads);
  g_test_add_func ("/batch-news/not-starved", test_news_not_starved);

  return g_test_run ();
}
