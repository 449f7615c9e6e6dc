/* fp-timeline-private.h — what the tests read of the timeline view and panel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-timeline-panel.h"
#include "fp-timeline-view.h"

G_BEGIN_DECLS

guint       fp_timeline_view_get_n_frames      (FpTimelineView  *self);
const char *fp_timeline_panel_get_figure_text  (FpTimelinePanel *self,
                                                guint            index);
const char *fp_timeline_panel_get_explanation  (FpTimelinePanel *self);

G_END_DECLS
