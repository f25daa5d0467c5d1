/* sd-core.h: the whole public API of the ShelterDesk core library (no GTK).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-csv.h"
#include "sd-date.h"
#include "sd-desk.h"
#include "sd-error.h"
#include "sd-hlc.h"
#include "sd-intake-input.h"
#include "sd-paths.h"
#include "sd-person.h"
#include "sd-qr.h"
#include "sd-safety.h"
#include "sd-safety-import.h"
#include "sd-safety-input.h"
#include "sd-safety-sheets.h"
#include "sd-qr-sheet.h"
#include "sd-report.h"
#include "sd-scan.h"
#include "sd-seed.h"
#include "sd-serial-scanner.h"
#include "sd-shelter.h"
#include "sd-staff.h"
#include "sd-private-file.h"
#include "sd-rescue.h"
#include "sd-store.h"
#include "sd-address.h"
#include "sd-geocode.h"
#include "sd-map-people.h"
#include "sd-mbtiles.h"
#include "sd-support.h"
#include "sd-support-import.h"
#include "sd-support-sheets.h"
#include "sd-text.h"
#include "sd-uuid.h"
