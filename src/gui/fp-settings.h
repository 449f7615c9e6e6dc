/* fp-settings.h — the application's settings as typed properties, and what they make: a batch configuration
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

/**
 * FpSettings:
 *
 * The one place that knows the settings schema's keys. Each key is a
 * property of the same name with its real type ("concurrency" an int,
 * "strategy" an #FpDownloadStrategy, "source" an #FpSourceKind…), read
 * from and written to GSettings as it is used, and notified when the key
 * changes; widgets bind to these properties (g_object_bind_property()),
 * nobody else reads a key by its name.
 *
 * Beyond the keys: fp_settings_dup_batch_config() is the one function from
 * the settings to a batch; fp_settings_dup_destination() resolves the
 * destination folder; the speed-up record (one-at-a-time times by work)
 * is read and written with fp_settings_lookup_sequential_time() and
 * fp_settings_record_run().
 *
 * A new key: one property in fp-settings.c's class_init, named as the key.
 */
#define FP_TYPE_SETTINGS (fp_settings_get_type ())
G_DECLARE_FINAL_TYPE (FpSettings, fp_settings, FP, SETTINGS, GObject)

FpSettings         *fp_settings_new                     (GSettings      *settings);

FpBatchConfig      *fp_settings_dup_batch_config        (FpSettings     *self,
                                                         const char * const *codes,
                                                         GError        **error);
void                fp_settings_apply_to_server         (FpSettings     *self,
                                                         FpFlagServer   *server);
FpSourceKind        fp_settings_get_source              (FpSettings     *self);
char               *fp_settings_dup_custom_url          (FpSettings     *self);
GFile              *fp_settings_dup_destination         (FpSettings     *self);
gboolean            fp_settings_get_destination_is_default (FpSettings  *self);
void                fp_settings_set_destination         (FpSettings     *self,
                                                         GFile          *folder);
void                fp_settings_reset_destination       (FpSettings     *self);

double              fp_settings_lookup_sequential_time  (FpSettings     *self,
                                                         FpBatchConfig  *config);
void                fp_settings_record_run              (FpSettings     *self,
                                                         FpRun          *run);

void                fp_settings_get_window_size         (FpSettings     *self,
                                                         int            *width,
                                                         int            *height,
                                                         gboolean       *maximized);
void                fp_settings_set_window_size         (FpSettings     *self,
                                                         int             width,
                                                         int             height,
                                                         gboolean        maximized);

G_END_DECLS
