/* fp-batch-news.h — news of a batch's downloads, carried from any thread to the caller's, a few milliseconds at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-download-result.h"

G_BEGIN_DECLS

typedef struct _FpBatchNews FpBatchNews;

/**
 * FpBatchNewsFunc:
 * @code: (nullable): the code a worker started, or %NULL for a completion
 * @result: (nullable): the completed download, or %NULL for a start
 * @index: the download's place among the batch's codes
 * @user_data: the data given to fp_batch_news_new()
 *
 * Takes one piece of news, on the caller's thread, in the order it came.
 *
 * Returns: %FALSE when no more news is wanted (the batch ended)
 */
typedef gboolean (*FpBatchNewsFunc) (const char       *code,
                                     FpDownloadResult *result,
                                     guint             index,
                                     gpointer          user_data);

FpBatchNews *fp_batch_news_new  (GMainContext     *context,
                                 GObject          *owner,
                                 FpBatchNewsFunc   func);
void         fp_batch_news_post (FpBatchNews      *self,
                                 const char       *code,
                                 FpDownloadResult *result,
                                 guint             index);
void         fp_batch_news_stop (FpBatchNews      *self);
void         fp_batch_news_free (FpBatchNews      *self);

G_END_DECLS
