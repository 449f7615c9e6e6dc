/* test-hand-off.c — items from many threads reach the context's thread, each once, each thread's in order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-hand-off"

#include "config.h"

#include <locale.h>

#include "fp-hand-off.h"
#include "fp-test-support.h"

#define N_PUSHERS 4
#define N_EACH 5000

typedef struct {
  FpHandOffLink link;
  guint pusher;
  guint seq;
} Item;

typedef struct {
  FpHandOff hand_off;
  guint received;
  guint next[N_PUSHERS];
  gboolean in_order;
  GThread *main_thread;
  gboolean on_main_thread;
} Fixture;

typedef struct {
  Fixture *f;
  guint pusher;
} Pusher;

static gpointer
push_many (gpointer data)
{
  Pusher *p = data;

  for (guint i = 0; i < N_EACH; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->pusher = p->pusher;
      item->seq = i;
      fp_hand_off_push (&p->f->hand_off, &item->link);
    }
  return NULL;
}

static gboolean
take_cb (gpointer data)
{
  Fixture *f = data;
  FpHandOffLink *link = fp_hand_off_take (&f->hand_off);

  f->on_main_thread &= g_thread_self () == f->main_thread;
  while (link != NULL)
    {
      Item *item = (Item *) link;

      link = link->next;
      f->in_order &= item->seq == f->next[item->pusher];
      f->next[item->pusher] = item->seq + 1;
      f->received++;
      g_free (item);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
all_received (gpointer data)
{
  return ((Fixture *) data)->received == N_PUSHERS * N_EACH;
}

/* The context's thread sleeps in poll() until a push wakes it: waiting
 * for the items with blocking iterations proves the wake-up. */
static void
test_hand_off_many_threads (void)
{
  Fixture f = { .in_order = TRUE, .on_main_thread = TRUE };
  Pusher pushers[N_PUSHERS];
  GThread *threads[N_PUSHERS];
  GSource *source;

  f.main_thread = g_thread_self ();
  fp_hand_off_init (&f.hand_off, NULL);
  source = fp_hand_off_source_new (&f.hand_off);
  g_source_set_callback (source, take_cb, &f, NULL);
  g_source_attach (source, NULL);
  g_assert_false (fp_hand_off_pending (&f.hand_off));

  for (guint i = 0; i < N_PUSHERS; i++)
    {
      pushers[i] = (Pusher) { &f, i };
      threads[i] = g_thread_new ("pusher", push_many, &pushers[i]);
    }
  fp_test_iterate_until (all_received, &f, 60, "every item");
  for (guint i = 0; i < N_PUSHERS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (f.received, ==, N_PUSHERS * N_EACH);
  g_assert_true (f.in_order);
  g_assert_true (f.on_main_thread);
  g_assert_false (fp_hand_off_pending (&f.hand_off));
  g_source_destroy (source);
  g_source_unref (source);
  fp_hand_off_clear (&f.hand_off);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hand-off/many-threads", test_hand_off_many_threads);

  return g_test_run ();
}
