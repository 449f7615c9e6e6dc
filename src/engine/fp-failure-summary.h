/* fp-failure-summary.h — a batch's failures grouped by cause, and a source that could not be reached at all
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

#define FP_TYPE_FAILURE_SUMMARY (fp_failure_summary_get_type ())
G_DECLARE_FINAL_TYPE (FpFailureSummary, fp_failure_summary, FP, FAILURE_SUMMARY, GObject)

FpFailureSummary *fp_failure_summary_new                 (GPtrArray        *results,
                                                          const char       *base_url,
                                                          gboolean          network_available);

guint             fp_failure_summary_get_n_failed        (FpFailureSummary *self);
guint             fp_failure_summary_get_n_causes        (FpFailureSummary *self);
guint             fp_failure_summary_get_cause_count     (FpFailureSummary *self,
                                                          guint             index);
const char       *fp_failure_summary_get_cause_message   (FpFailureSummary *self,
                                                          guint             index);
FpDownloadError   fp_failure_summary_get_cause_code      (FpFailureSummary *self,
                                                          guint             index);
char             *fp_failure_summary_format              (FpFailureSummary *self,
                                                          guint             max_causes);

gboolean          fp_failure_summary_get_unreachable     (FpFailureSummary *self);
const char       *fp_failure_summary_get_headline        (FpFailureSummary *self);
const char       *fp_failure_summary_get_advice          (FpFailureSummary *self);

gboolean          fp_failure_summary_network_available   (void);

G_END_DECLS
