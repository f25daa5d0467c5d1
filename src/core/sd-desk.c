/* sd-desk.c: the desks of ShelterDesk and which staff role may use each.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-desk.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const struct {
  const char *id;
  const char *label;
} roles[] = {
  [SD_ROLE_VOLUNTEER] = { "volunteer", N_("Volunteer") },
  [SD_ROLE_LEAD] = { "lead", N_("Shelter lead") },
  [SD_ROLE_HQ] = { "hq", N_("Headquarters") },
};

static const struct {
  const char *id;
  const char *label;
  guint roles;  /* bit (1 << SdRole) for each role allowed */
} desks[] = {
  [SD_DESK_INTAKE] = { "intake", N_("Intake"), 0x7 },
  [SD_DESK_CHECKIN] = { "checkin", N_("Check-in"), 0x7 },
  [SD_DESK_ENQUIRY] = { "enquiry", N_("Enquiries"), 0x7 },
  [SD_DESK_REPORT] = { "report", N_("Status report"), 0x6 },
  /* Everyone answers a roll-call; sd_role_can_review_safety() says who sees the others' answers. */
  [SD_DESK_STAFF_SAFETY] = { "staff-safety", N_("Staff safety"), 0x7 },
  /* Everyone prints the guide; sd_role_can_edit_shelter_guide() says who writes it. */
  [SD_DESK_GUIDE] = { "guide", N_("Shelter guide"), 0x7 },
  [SD_DESK_SUPPORT] = { "support", N_("Support list"), 0x6 },
  [SD_DESK_HQ] = { "hq", N_("HQ"), 0x4 },
  [SD_DESK_EXERCISE] = { "exercise", N_("Exercise"), 0x4 },
  [SD_DESK_SYNC] = { "sync", N_("Sync"), 0x6 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (desks) == SD_N_DESKS);

const char *
sd_role_to_string (SdRole role)
{
  g_return_val_if_fail (role <= SD_ROLE_HQ, NULL);
  return roles[role].id;
}

gboolean
sd_role_from_string (const char *text,
                     SdRole     *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (text, roles[i].id) == 0)
      {
        *out_role = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_role_get_label (SdRole role)
{
  g_return_val_if_fail (role <= SD_ROLE_HQ, NULL);
  return _(roles[role].label);
}

const char *
sd_desk_to_string (SdDesk desk)
{
  g_return_val_if_fail (desk < SD_N_DESKS, NULL);
  return desks[desk].id;
}

gboolean
sd_desk_from_string (const char *text,
                     SdDesk     *out_desk)
{
  for (guint i = 0; i < SD_N_DESKS; i++)
    if (g_strcmp0 (text, desks[i].id) == 0)
      {
        *out_desk = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_desk_get_label (SdDesk desk)
{
  g_return_val_if_fail (desk < SD_N_DESKS, NULL);
  return _(desks[desk].label);
}

gboolean
sd_role_allows_desk (SdRole role,
                     SdDesk desk)
{
  g_return_val_if_fail (desk < SD_N_DESKS, FALSE);
  return role <= SD_ROLE_HQ && (desks[desk].roles & (1u << role)) != 0;
}

gboolean
sd_role_can_leave_kiosk (SdRole role)
{
  return role == SD_ROLE_LEAD || role == SD_ROLE_HQ;
}

gboolean
sd_role_can_review_safety (SdRole role)
{
  return role == SD_ROLE_LEAD || role == SD_ROLE_HQ;
}

gboolean
sd_role_can_open_rollcall (SdRole role)
{
  return role == SD_ROLE_HQ;
}

gboolean
sd_role_can_edit_shelter_guide (SdRole role)
{
  return role == SD_ROLE_LEAD || role == SD_ROLE_HQ;
}

gboolean
sd_role_can_import_support_list (SdRole role)
{
  return role == SD_ROLE_HQ;
}
