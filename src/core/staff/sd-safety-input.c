/* sd-safety-input.c: one safety answer read from JSON.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-safety-input.h"
#include "sd-error.h"
#include "sd-intake-input.h"

#include <glib/gi18n-lib.h>

/* MEMBER of OBJECT as a string borrowed from it; NULL when absent or null. */
static gboolean
get_string (json_t       *object,
            const char   *member,
            const char  **out,
            GError      **error)
{
  json_t *node = json_object_get (object, member);

  *out = NULL;
  if (node == NULL || json_is_null (node))
    return TRUE;
  if (!json_is_string (node))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("“%s” must be text"), member);
      return FALSE;
    }
  *out = json_string_value (node);
  return TRUE;
}

/* A member that must be one of the codes FROM_STRING knows; *OUT is left
 * alone when it is absent and not REQUIRED. */
#define GET_CODE(object, member, required, from_string, out, choices, error) \
  G_STMT_START { \
    const char *text_ = NULL; \
    if (!get_string (object, member, &text_, error)) \
      return FALSE; \
    if (text_ == NULL && required) \
      { \
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("“%s” is missing"), member); \
        return FALSE; \
      } \
    if (text_ != NULL && !from_string (text_, out)) \
      { \
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, \
                     _("“%s” is not a value of “%s”: write one of %s"), text_, member, choices); \
        return FALSE; \
      } \
  } G_STMT_END

gboolean
sd_safety_answer_from_json (json_t              *object,
                            const char *const   *also,
                            SdAnswerVia          default_via,
                            SdSafetyAnswerSpec  *spec,
                            const char         **recorded_by_no,
                            GError             **error)
{
  static const char *const known[] = {
    "staff_no", "safety", "location", "location_note", "can_report", "means", "arrival", "message",
    "recorded_by", "via", NULL };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean can_report = FALSE;

  g_return_val_if_fail (spec != NULL && recorded_by_no != NULL, FALSE);

  *spec = (SdSafetyAnswerSpec) { 0 };
  *recorded_by_no = NULL;
  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("An answer must be one JSON object."));
      return FALSE;
    }
  for (guint i = 0; known[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) known[i]);
  for (guint i = 0; also != NULL && also[i] != NULL; i++)
    g_ptr_array_add (names, (gpointer) also[i]);
  g_ptr_array_add (names, NULL);
  if (!sd_intake_input_refuse_unknown (object, _("the answer"), (const char *const *) names->pdata, error))
    return FALSE;

  if (!get_string (object, "staff_no", &spec->staff_no, error))
    return FALSE;
  if (spec->staff_no == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("“%s” is missing"), "staff_no");
      return FALSE;
    }
  GET_CODE (object, "safety", TRUE, sd_safety_from_string, &spec->safety, "unhurt, minor, serious", error);
  GET_CODE (object, "location", TRUE, sd_where_from_string, &spec->where, "home, work, other", error);
  if (!get_string (object, "location_note", &spec->where_note, error))
    return FALSE;
  if (json_object_get (object, "can_report") == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("“%s” is missing"), "can_report");
      return FALSE;
    }
  if (!sd_intake_input_get_flag (object, _("the answer"), "can_report", &can_report, error))
    return FALSE;
  spec->can_report = can_report;
  GET_CODE (object, "means", FALSE, sd_means_from_string, &spec->means,
            "walk, bicycle, car, bus, train, other", error);
  GET_CODE (object, "arrival", FALSE, sd_arrival_from_string, &spec->arrival,
            "within_30m, within_1h, within_2h, within_3h, over_3h", error);
  if (!get_string (object, "message", &spec->message, error) ||
      !get_string (object, "recorded_by", recorded_by_no, error))
    return FALSE;
  spec->via = *recorded_by_no != NULL ? SD_ANSWER_VIA_PHONE : default_via;
  GET_CODE (object, "via", FALSE, sd_answer_via_from_string, &spec->via, "kiosk, web, phone, import", error);
  return TRUE;
}
