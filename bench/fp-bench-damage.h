/* fp-bench-damage.h — which widgets each frame draws again, found by comparing the window's render nodes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _FpBenchDamage FpBenchDamage;

FpBenchDamage *fp_bench_damage_new   (GtkWidget     *window);
void           fp_bench_damage_frame (FpBenchDamage *self);
void           fp_bench_damage_print (FpBenchDamage *self);
void           fp_bench_damage_free  (FpBenchDamage *self);

G_END_DECLS
