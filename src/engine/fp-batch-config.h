/* fp-batch-config.h — everything that decides one batch, made in one place from settings or options
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-download-batch.h"
#include "fp-flag-server.h"
#include "fp-source.h"

G_BEGIN_DECLS

#define FP_TYPE_BATCH_CONFIG (fp_batch_config_get_type ())
G_DECLARE_FINAL_TYPE (FpBatchConfig, fp_batch_config, FP, BATCH_CONFIG, GObject)

FpBatchConfig      *fp_batch_config_new                 (void);

void                fp_batch_config_set_codes           (FpBatchConfig      *self,
                                                         const char * const *codes);
const char * const *fp_batch_config_get_codes           (FpBatchConfig      *self);
guint               fp_batch_config_get_n_codes         (FpBatchConfig      *self);
void                fp_batch_config_set_source          (FpBatchConfig      *self,
                                                         FpSource           *source);
FpSource           *fp_batch_config_get_source          (FpBatchConfig      *self);
void                fp_batch_config_set_destination     (FpBatchConfig      *self,
                                                         GFile              *destination);
GFile              *fp_batch_config_get_destination     (FpBatchConfig      *self);
void                fp_batch_config_set_concurrency     (FpBatchConfig      *self,
                                                         guint               concurrency);
guint               fp_batch_config_get_concurrency     (FpBatchConfig      *self);
void                fp_batch_config_set_strategy        (FpBatchConfig      *self,
                                                         FpDownloadStrategy  strategy);
FpDownloadStrategy  fp_batch_config_get_strategy        (FpBatchConfig      *self);
void                fp_batch_config_set_order           (FpBatchConfig      *self,
                                                         FpResultOrder       order);
FpResultOrder       fp_batch_config_get_order           (FpBatchConfig      *self);
void                fp_batch_config_set_timeout         (FpBatchConfig      *self,
                                                         double              timeout_s);
double              fp_batch_config_get_timeout         (FpBatchConfig      *self);

void                fp_batch_config_set_server_delay    (FpBatchConfig      *self,
                                                         double              min_s,
                                                         double              max_s);
double              fp_batch_config_get_server_min_delay (FpBatchConfig     *self);
double              fp_batch_config_get_server_max_delay (FpBatchConfig     *self);
void                fp_batch_config_set_server_error_rate (FpBatchConfig    *self,
                                                         double              error_rate);
double              fp_batch_config_get_server_error_rate (FpBatchConfig    *self);
void                fp_batch_config_apply_to_server     (FpBatchConfig      *self,
                                                         FpFlagServer       *server);

char               *fp_batch_config_dup_source_key      (FpBatchConfig      *self);
char               *fp_batch_config_dup_work_key        (FpBatchConfig      *self);
const char         *fp_batch_config_resolve_base_url    (FpBatchConfig      *self,
                                                         FpFlagServer       *server);
FpDownloadBatch    *fp_batch_config_new_batch           (FpBatchConfig      *self,
                                                         FpFlagServer       *server);

G_END_DECLS
