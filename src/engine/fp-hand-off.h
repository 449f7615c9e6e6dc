/* fp-hand-off.h — items handed from any thread to one main context, without a lock
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first member of whatever is handed over. */
typedef struct _FpHandOffLink FpHandOffLink;
struct _FpHandOffLink
{
  FpHandOffLink *next;
};

typedef struct
{
  FpHandOffLink *top;          /* atomic: a stack, the latest first */
  GMainContext *context;       /* woken when the stack stops being empty */
  GThread *owner;              /* the thread that runs it, which needs no waking */
} FpHandOff;

void           fp_hand_off_init       (FpHandOff     *self,
                                       GMainContext  *context);
void           fp_hand_off_clear      (FpHandOff     *self);
void           fp_hand_off_push       (FpHandOff     *self,
                                       FpHandOffLink *link);
gboolean       fp_hand_off_pending    (FpHandOff     *self);
FpHandOffLink *fp_hand_off_take       (FpHandOff     *self);
GSource       *fp_hand_off_source_new (FpHandOff     *self);

G_END_DECLS
