/* sd-error.h: the error domains of the core library, with codes a caller can act on.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every message put into one of these errors is meant for a person at the
 * desk: it says what went wrong and, where it can, what to do about it.  It
 * never carries personal data, because callers may log it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_STORE_ERROR (sd_store_error_quark ())
#define SD_AUTH_ERROR  (sd_auth_error_quark ())
#define SD_DATA_ERROR  (sd_data_error_quark ())

typedef enum {
  SD_STORE_ERROR_NOT_FOUND,       /* no such file, or no such record */
  SD_STORE_ERROR_NOT_A_DATABASE,  /* the file is not a ShelterDesk database */
  SD_STORE_ERROR_CORRUPT,         /* the file is damaged */
  SD_STORE_ERROR_TOO_NEW,         /* written by a newer ShelterDesk */
  SD_STORE_ERROR_READ_ONLY,       /* the file or its folder cannot be written */
  SD_STORE_ERROR_BUSY,            /* another program holds the database */
  SD_STORE_ERROR_INVALID,         /* a value the caller passed is not acceptable */
  SD_STORE_ERROR_EXISTS,          /* the code or number is already used */
  SD_STORE_ERROR_TAMPERED,        /* written outside ShelterDesk: op-log capture bypassed */
  SD_STORE_ERROR_PERMISSIONS,     /* other users of the computer can read or write the file */
  SD_STORE_ERROR_FAILED,          /* anything else SQLite reported */
  SD_STORE_ERROR_CHANGED,         /* the data changed since it was shown: look again */
} SdStoreError;

typedef enum {
  SD_AUTH_ERROR_UNKNOWN_STAFF,    /* no staff member with that number */
  SD_AUTH_ERROR_WRONG_PIN,
  SD_AUTH_ERROR_LOCKED,           /* too many wrong PINs: wait, then try again */
  SD_AUTH_ERROR_NO_PIN,           /* the account has no PIN set and cannot sign in */
  SD_AUTH_ERROR_BAD_PIN,          /* the PIN is not 4 to 8 digits */
  SD_AUTH_ERROR_NOT_ALLOWED,      /* the role may not do this */
} SdAuthError;

typedef enum {
  SD_DATA_ERROR_ENCODING,         /* text that is neither UTF-8 nor CP932 */
  SD_DATA_ERROR_SYNTAX,           /* a CSV/JSON file that does not parse */
  SD_DATA_ERROR_BAD_VALUE,        /* a field with a value that is not acceptable */
  SD_DATA_ERROR_MISSING,          /* a required file, column or field is absent */
} SdDataError;

GQuark sd_store_error_quark (void);
GQuark sd_auth_error_quark  (void);
GQuark sd_data_error_quark  (void);

G_END_DECLS
