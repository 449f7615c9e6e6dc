/* fp-engine.c — the engine's error domains, enum names, worker priority and text domain
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-engine"

#include "config.h"

#include <errno.h>
#include <libintl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-executor.h"

G_DEFINE_QUARK (fp-engine-error-quark, fp_engine_error)
G_DEFINE_QUARK (fp-download-error-quark, fp_download_error)

/**
 * fp_enum_to_nick:
 * @enum_type: an enum type registered by glib-mkenums (FP_TYPE_…)
 * @value: one of its values
 *
 * The one way the program spells an enum value: its nick, as the type
 * registers it. Nicks are stable names, not translated: settings keys,
 * command-line keywords and JSON reports use them.
 *
 * Returns: (transfer none): the nick, or "unknown" for a value the type lacks
 */
const char *
fp_enum_to_nick (GType enum_type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* The class stays alive while the type exists, so its strings too. */
  g_return_val_if_fail (enum_value != NULL, "unknown");
  return enum_value->value_nick;
}

/**
 * fp_enum_from_nick:
 * @enum_type: an enum type registered by glib-mkenums
 * @nick: a nick, in any case
 * @value: (out) (optional): the value of @nick
 *
 * Returns: whether @enum_type has a value called @nick
 */
gboolean
fp_enum_from_nick (GType       enum_type,
                   const char *nick,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autofree char *lower = NULL;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  lower = g_ascii_strdown (nick, -1);
  enum_value = g_enum_get_value_by_nick (klass, lower);
  if (enum_value == NULL)
    return FALSE;
  if (value != NULL)
    *value = enum_value->value;
  return TRUE;
}

/**
 * fp_lower_thread_priority:
 * @nice: the nice value the calling thread should run at, 1 to 19
 *
 * Lowers the calling thread's priority, once per thread: a worker that
 * waits on the network or decodes a thumbnail can wait a millisecond, the
 * main thread drawing a window cannot. Linux gives each thread its own
 * nice value, and any thread may lower its own; elsewhere this does
 * nothing. Call it only on threads that do nothing else (an exclusive
 * GThreadPool's), since the priority is never raised again.
 */
static gboolean beside_window;

/* The lowest nice value: beside a window, workers weigh 15 against the
 * main thread's 1024 (SCHED_IDLE's 3 starved them outright while a
 * software renderer kept both cores busy, and no batch ever ended). */
#define FP_WORKER_NICE_BESIDE_WINDOW 19

/**
 * fp_set_beside_window:
 * @beside: whether the process has a window: threads that lower their
 *   priority then go to the lowest nice value
 *
 * For a process with a window: its workers then weigh as little as a
 * normal thread can (nice 19), so while the main thread draws a frame they
 * rarely take its turn. A hundred runnable workers at nice 15 together
 * outweigh one main thread at nice 0 by 3.5 to 1 (PLATFORM-NOTES); at
 * nice 19, 1.5 to 1, and most of them wait on the network. Not
 * SCHED_IDLE: behind a software renderer that keeps both cores busy,
 * idle workers never ran and the batch never ended. A command-line
 * program keeps nice 15: it has no frame to draw.
 * Call it before the first batch.
 */
void
fp_set_beside_window (gboolean beside)
{
  g_atomic_int_set (&beside_window, !!beside);
}

/* Whether fp_set_beside_window() was asked for: a process with a window. */
gboolean
fp_get_beside_window (void)
{
  return g_atomic_int_get (&beside_window);
}

void
fp_lower_thread_priority (int nice)
{
#ifdef __linux__
  static GPrivate lowered = G_PRIVATE_INIT (NULL);

  if (GPOINTER_TO_INT (g_private_get (&lowered)) >= nice)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (nice));
  if (g_atomic_int_get (&beside_window))
    nice = FP_WORKER_NICE_BESIDE_WINDOW;
  if (setpriority (PRIO_PROCESS, (id_t) gettid (), nice) != 0)
    g_debug ("Cannot lower a thread's priority to nice %d: %s", nice, g_strerror (errno));
#endif
}

static gboolean
is_executable (const char *path)
{
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

/**
 * fp_find_helper_program:
 * @name: a program of libexecdir/flagpole: "flagpole-worker", "flagpole-server"
 * @env_variable: where `meson test` names it
 *
 * Returns: (transfer full) (nullable): the program: $@env_variable, the
 *   build tree's when the running program is in a build tree (src/cli,
 *   src/gui, tests, bench), else the installed one in libexecdir/flagpole
 */
char *
fp_find_helper_program (const char *name,
                        const char *env_variable)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self_exe != NULL ? g_path_get_dirname (self_exe) : NULL;
  g_autofree char *installed = g_build_filename (FP_LIBEXECDIR, "flagpole", name, NULL);
  const char *env = g_getenv (env_variable);
  const char * const relative[] = { "../worker", "../src/worker", NULL };

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  for (guint i = 0; dir != NULL && relative[i] != NULL; i++)
    {
      g_autofree char *candidate = g_build_filename (dir, relative[i], name, NULL);
      /* Only beside a build tree's meson files, never a stray one by an installed binary. */
      g_autofree char *marker = g_build_filename (dir, relative[i], "..", "..", "build.ninja", NULL);

      if (is_executable (candidate) && g_file_test (marker, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&candidate);
    }

  if (is_executable (installed))
    return g_steal_pointer (&installed);
  return NULL;
}

/**
 * fp_download_status_to_string:
 * @status: a status
 *
 * Returns: the stable name of @status used in the command line's JSON
 *   report ("ok", "not_found", "error", …); not translated.
 */
const char *
fp_download_status_to_string (FpDownloadStatus status)
{
  return fp_enum_to_nick (FP_TYPE_DOWNLOAD_STATUS, status);
}

/**
 * fp_executor_call_soon:
 * @context: an executor's own main context
 * @func: what to run there, once (it returns %G_SOURCE_REMOVE)
 * @name: the source's static name, for profilers
 *
 * Runs @func on @context's thread before its other work (high priority),
 * from any thread: how a cancel reaches the requests of an executor that
 * runs on a context of its own.
 */
void
fp_executor_call_soon (GMainContext *context,
                       GSourceFunc   func,
                       gpointer      user_data,
                       const char   *name)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, func, user_data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
  g_source_unref (source);
}

/**
 * fp_engine_init_i18n:
 *
 * Binds the iso-codes text domain, so that country names come out in the
 * user's language. Call once, after setlocale().
 */
void
fp_engine_init_i18n (void)
{
  bindtextdomain ("iso_3166-1", ISO_CODES_LOCALEDIR);
  bind_textdomain_codeset ("iso_3166-1", "UTF-8");
}
