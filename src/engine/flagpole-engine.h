/* flagpole-engine.h — everything the GUI, the CLI and the tests use of the engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-batch-config.h"
#include "fp-comparison.h"
#include "fp-country.h"
#include "fp-country-catalog.h"
#include "fp-download-batch.h"
#include "fp-download-error.h"
#include "fp-download-result.h"
#include "fp-download-timeline.h"
#include "fp-engine-enums.h"
#include "fp-engine-types.h"
#include "fp-failure-summary.h"
#include "fp-flag-fetcher.h"
#include "fp-flag-server.h"
#include "fp-image-check.h"
#include "fp-retry-policy.h"
#include "fp-run-history.h"
#include "fp-run-record.h"
#include "fp-run.h"
#include "fp-source.h"
#include "fp-trace.h"

G_BEGIN_DECLS

/* Binds the iso_3166-1 text domain so country names come translated. */
void fp_engine_init_i18n (void);

G_END_DECLS
