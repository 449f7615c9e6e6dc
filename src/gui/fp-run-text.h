/* fp-run-text.h — what the window says about a run: its progress and its summary, in words
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

/**
 * FpRunSummary:
 * @icon_name: the symbolic icon beside the summary
 * @style: its style class: "success", "warning", "error" or "dim-label"
 * @title: the first line, as in “20 flags downloaded, 0 not found, 0 errors”
 * @detail: the second line, as in “Elapsed time: 1.42 s · 14× faster than one at a time”
 * @notification_title: the title of the notification sent when the window is not looked at
 * @notification_body: its body
 *
 * How a run ended, in the window's words: the book's final report.
 */
typedef struct
{
  const char *icon_name;
  const char *style;
  char       *title;
  char       *detail;
  const char *notification_title;
  char       *notification_body;
} FpRunSummary;

char *fp_run_text_dup_progress_title  (FpRun        *run);
char *fp_run_text_dup_progress_detail (FpRun        *run);
void  fp_run_text_summarize           (FpRun        *run,
                                       FpRunSummary *summary);
void  fp_run_summary_clear            (FpRunSummary *summary);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FpRunSummary, fp_run_summary_clear)

G_END_DECLS
