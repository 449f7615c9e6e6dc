/* fp-test-support.h — helpers shared by the tests: temporary folders, a fault-injecting server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

/* Keeps requests to 127.0.0.1 away from any proxy the environment names;
 * call first thing in main(), before GIO picks its proxy resolver. */
void  fp_test_keep_requests_local (void);

/* A fresh folder under the system's temporary folder; remove it with fp_test_remove_tree(). */
char *fp_test_make_temp_dir (void);
void  fp_test_remove_tree   (const char *path);

/* The names in @dir, hidden ones included, sorted; an empty vector when
 * the folder is empty or missing. */
char   **fp_test_list_dir          (const char *dir);
/* Asserts that @dir holds exactly the names given, in any order (NULL-terminated). */
void     fp_test_assert_dir_holds  (const char *dir,
                                    ...) G_GNUC_NULL_TERMINATED;

GBytes  *fp_test_load_bytes        (const char *path);
/* The Debian flag of @code (lower case), as the built-in server serves it. */
GBytes  *fp_test_load_debian_flag  (const char *code);
/* A valid 1×1 GIF89a, written out byte by byte. */
GBytes  *fp_test_tiny_gif          (void);
/* The PNG with its image data replaced by @data in one IDAT (CRCs right). */
GBytes  *fp_test_png_with_image_data (GBytes       *png,
                                      const guint8 *data,
                                      gsize         length);
/* The Debian PNG of @code whose chunks and CRCs are valid around a
 * compressed stream of noise. */
GBytes  *fp_test_corrupt_png       (const char *code);
/* A PNG of a few dozen bytes whose header claims @width × @height. */
GBytes  *fp_test_huge_png          (guint32     width,
                                    guint32     height);
/* A valid GIF (LZW without compression) with these screen and frame sizes;
 * at most @max_pixels_coded pixels are coded, fewer than the frame's
 * makes it short of pixels. */
GBytes  *fp_test_make_gif          (guint       screen_width,
                                    guint       screen_height,
                                    guint       frame_width,
                                    guint       frame_height,
                                    gsize       max_pixels_coded);
void     fp_test_write_file        (const char *path,
                                    GBytes     *bytes);
void     fp_test_assert_file_bytes (const char *path,
                                    GBytes     *expected);

/* A port on 127.0.0.1 that nothing listens on (bound then closed), so a
 * connection to it is refused. */
guint    fp_test_get_closed_port   (void);

/* Processes below @ancestor: @generation levels down, or all for 0. */
GArray  *fp_test_list_descendants  (int         ancestor,
                                    guint       generation);
/* Processes below this program, at any level: a process pool leaves none. */
guint    fp_test_count_descendants (void);

/* GAsyncReadyCallback storing a reference to the result in *(GAsyncResult **) user_data. */
void          fp_test_store_result_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
/* Iterates the thread-default main context until *@slot is set; returns it (transfer full). */
GAsyncResult *fp_test_wait_for_result (GAsyncResult **slot);

FpDownloadResult *fp_test_find_result  (FpDownloadBatch  *batch,
                                        const char       *code);
void              fp_test_assert_tries (FpDownloadBatch  *batch,
                                        const char       *code,
                                        FpDownloadStatus  status,
                                        guint             n_tries,
                                        guint             failed_status,
                                        const gint64     *waits_ms);

/* Iterates the thread-default main context until @condition holds; aborts
 * the test, naming @what, if it still does not after @timeout_s seconds
 * (a generous bound against hangs, not a speed check). */
typedef gboolean (*FpTestConditionFunc) (gpointer user_data);
void          fp_test_iterate_until   (FpTestConditionFunc condition,
                                       gpointer            user_data,
                                       guint               timeout_s,
                                       const char         *what);

/* After a cancel a batch reports at once while its workers still return:
 * iterates the thread-default main context until @object is held by the
 * caller alone (every worker's task let it go), so a test can look at the
 * disk they leave. */
void          fp_test_wait_for_workers (gpointer object);
/* The last result comes as soon as it is in; the process pool's workers
 * end a moment later, and once the batch is settled none is left. */
void          fp_test_wait_until_settled (FpDownloadBatch *batch);
/* A cancel reports at once; the workers it stops end a moment later:
 * fp_test_wait_for_workers(), then until no process is left below. */
void          fp_test_wait_for_processes_to_end (FpDownloadBatch *batch);


/*
 * FpTestServer: an HTTP/1.1 server that misbehaves on request, for the
 * faults a well-behaved libsoup SoupServer cannot produce (a body cut
 * short, a reset mid-body, a stall). It listens on 127.0.0.1 at a free
 * port, accepts on its own thread and main context, and answers each
 * connection on a thread of its own with blocking writes, closing the
 * connection after each response.
 *
 * Paths are /{fault}/{cc}/{file}; fp_test_server_dup_base_url (server,
 * fault) gives the base URL a fetcher or batch appends "/{cc}/{cc}.{ext}"
 * to. The file name is ignored: only {fault} and {cc} count.
 *
 *   ok             the Debian PNG of {cc} as image/png (404 when there is none)
 *   NNN            HTTP status NNN with its reason phrase and a text body (404, 418, 500, 503…)
 *   gif-text       a valid GIF sent as text/plain
 *   not-image      a text body sent as image/png
 *   truncated-png  the first half of the Debian PNG, with a matching Content-Length
 *   empty          200 with an empty body
 *   corrupt-png    the Debian PNG with valid chunks and CRCs around noise (404 when none)
 *   gzip, deflate  the Debian PNG encoded so, with the encoded Content-Length (404 when none)
 *   gzip-short     the same gzip's length announced, half of it sent, then a clean close
 *   close-before-answer  the request read, then a clean close with no answer
 *   reset-before-answer  the same with a reset
 *   huge-headers   a 200 with 256 KiB of headers, then the PNG
 *   bad-chunk      a chunked 200 whose first chunk size is not a number
 *   huge-png       a 30000 × 30000 PNG of a few dozen bytes
 *   huge-gif       a 65535 × 65535 GIF of a few kilobytes
 *   short          Content-Length of the whole PNG, half of it sent, then a clean close
 *   short-complete the whole PNG, but a Content-Length 1000 bytes larger, then a clean close
 *   reset          Content-Length of the whole PNG, half of it sent, then a reset (SO_LINGER 0)
 *   stall          nothing at all after the request, until the client gives up
 *   stall-body     headers and half the body, then nothing until the client gives up
 *   huge           11 MiB announced in Content-Length and sent (a PNG signature, then zeros)
 *   huge-nolength  the same without Content-Length, ended by closing the connection
 *   redirect       302 to /ok/{cc}/{file}
 *   redirect-loop  302 to the same path, forever
 *   delay-MS       waits MS milliseconds, then as ok
 *   bycode         the fault set for {cc} by fp_test_server_set_code_fault(), else ok
 *   FAULTxK        FAULT (any of the above) for the first K requests of {cc}, then ok:
 *                  503x2 fails twice with 503, stallx1 times out once, resetx1 resets once
 *   NNNxK-raS      HTTP status NNN with "Retry-After: S" for the first K requests, then ok
 */
typedef struct _FpTestServer FpTestServer;

FpTestServer *fp_test_server_new               (void);
void          fp_test_server_free              (FpTestServer *self);
guint         fp_test_server_get_port          (FpTestServer *self);
char         *fp_test_server_dup_base_url      (FpTestServer *self,
                                                const char   *fault);
void          fp_test_server_set_code_fault    (FpTestServer *self,
                                                const char   *code,
                                                const char   *fault);
guint         fp_test_server_get_request_count (FpTestServer *self);
/* The paths requested so far, in arrival order. */
char        **fp_test_server_dup_request_paths (FpTestServer *self);
/* The most requests at once that had arrived and whose answer had not begun
 * (held by a delay or the gate). */
guint         fp_test_server_get_peak_in_flight (FpTestServer *self);
void          fp_test_server_reset_counters    (FpTestServer *self);
/* Answers nothing until @n requests have arrived, then everything: see the .c. */
void          fp_test_server_hold_answers_until (FpTestServer *self,
                                                 guint         n);
gboolean      fp_test_server_get_gate_timed_out (FpTestServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FpTestServer, fp_test_server_free)

/* A fault-injecting server, and a destination folder, not made yet, in a
 * temporary folder of the test's own: for g_test_add(). */
typedef struct {
  FpTestServer *server;
  char *root;
  char *dest;
  GFile *dest_file;
} FpTestFolderFixture;

void          fp_test_folder_fixture_set_up    (FpTestFolderFixture *f,
                                                gconstpointer        data);
void          fp_test_folder_fixture_tear_down (FpTestFolderFixture *f,
                                                gconstpointer        data);

G_END_DECLS
