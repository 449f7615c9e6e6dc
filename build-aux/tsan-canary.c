/* tsan-canary.c — shows that the TSan build still sees a race in Flagpole's own code
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by the TSan build's "tsan" suite. "race": two threads add to one
 * counter with nothing ordering them; TSan must report it (the test is
 * expected to fail). "locked": the same under a GMutex and with the result
 * handed back through a GThreadPool and a GAsyncQueue; TSan must not
 * report it, which shows build-aux/tsan-glib-annotations.c and
 * build-aux/tsan.supp hide GLib's hand-offs and nothing more.
 */
#include <glib.h>

static int counter;
static GMutex lock;
static gboolean locked;

static gpointer
add_cb (gpointer user_data)
{
  for (int i = 0; i < 1000; i++)
    {
      if (locked)
        g_mutex_lock (&lock);
      counter++;
      if (locked)
        g_mutex_unlock (&lock);
    }
  return NULL;
}

typedef struct {
  int value;
} Job;

static void
job_cb (gpointer data,
        gpointer user_data)
{
  Job *job = data;

  job->value *= 2;
  g_async_queue_push (user_data, job);
}

int
main (int   argc,
      char *argv[])
{
  GThread *a, *b;

  locked = argc > 1 && g_str_equal (argv[1], "locked");
  a = g_thread_new ("canary-a", add_cb, NULL);
  b = g_thread_new ("canary-b", add_cb, NULL);
  g_thread_join (a);
  g_thread_join (b);

  if (locked)
    {
      GAsyncQueue *done = g_async_queue_new ();
      GThreadPool *pool = g_thread_pool_new (job_cb, done, 2, FALSE, NULL);
      Job *job = g_new0 (Job, 1);

      job->value = 21;
      g_thread_pool_push (pool, job, NULL);
      job = g_async_queue_pop (done);
      g_assert_cmpint (job->value, ==, 42);
      g_free (job);
      g_thread_pool_free (pool, FALSE, TRUE);
      g_async_queue_unref (done);
    }
  return counter == 2000 ? 0 : 1;
}
