/* sd-enquiry-page.c: "is my mother here?" — answered only for people who agreed to be found.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core returns only people who consented (sd_store_enquire), so this
 * page cannot show anyone else even by mistake.  When nobody is found
 * the answer is one sentence that is the same whether the person is not
 * here or is here without consent: the volunteer can read it out as it is.
 */
#include "sd-enquiry-page.h"

#include <glib/gi18n.h>

struct _SdEnquiryPage
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkSearchEntry *search_entry;
  GtkListBox     *results_box;
  GtkLabel       *answer_label;

  /* Owned References */
  SdStore        *store;
  GListModel     *results;
  char           *last_query;
};

G_DEFINE_FINAL_TYPE (SdEnquiryPage, sd_enquiry_page, GTK_TYPE_WIDGET)

static char *
whereabouts (SdPerson *person)
{
  const char *shelter = sd_person_get_shelter_name (person) ? sd_person_get_shelter_name (person) : "";

  switch (sd_person_get_status (person))
    {
    case SD_PERSON_STATUS_IN:
    case SD_PERSON_STATUS_OUT:
      return g_strdup_printf (_("Staying at %s"), shelter);
    case SD_PERSON_STATUS_LEFT:
      return g_strdup_printf (_("Has left %s"), shelter);
    case SD_PERSON_STATUS_NONE:
    default:
      return g_strdup_printf (_("Registered at %s, staying elsewhere"), shelter);
    }
}

static void
run_enquiry (SdEnquiryPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkWidget *child;
  guint n;

  g_free (self->last_query);
  self->last_query = g_strdup (query);
  g_clear_object (&self->results);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_list_box_remove (self->results_box, child);

  if (self->store == NULL || *query == '\0')
    {
      gtk_label_set_text (self->answer_label, "");
      return;
    }

  self->results = sd_store_enquire (self->store, query, NULL);
  n = self->results ? g_list_model_get_n_items (self->results) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (self->results, i);
      g_autofree char *where = whereabouts (p);
      g_autofree char *birth = sd_person_get_birth_date (p) ? sd_date_format_era (sd_person_get_birth_date (p)) : NULL;
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s  %s\n%s", sd_person_get_name (p),
                                                         sd_person_get_kana (p) ? sd_person_get_kana (p) : "",
                                                         birth ? birth : "", where);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_list_box_append (self->results_box, label);
    }

  gtk_label_set_text (self->answer_label,
                      n > 0 ? _("These people agreed that their safety may be told. Check the birth date with the person asking.")
                            : _("No one who agreed to be found matches. We cannot tell you whether anyone else is here."));
}

static void
search_changed_cb (SdEnquiryPage *self)
{
  if (g_strcmp0 (self->last_query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    run_enquiry (self);
}

static void
sd_enquiry_page_dispose (GObject *object)
{
  SdEnquiryPage *self = SD_ENQUIRY_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ENQUIRY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (sd_enquiry_page_parent_class)->dispose (object);
}

static void
sd_enquiry_page_finalize (GObject *object)
{
  g_free (SD_ENQUIRY_PAGE (object)->last_query);

  G_OBJECT_CLASS (sd_enquiry_page_parent_class)->finalize (object);
}

static void
sd_enquiry_page_class_init (SdEnquiryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_enquiry_page_dispose;
  object_class->finalize = sd_enquiry_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-enquiry-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdEnquiryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdEnquiryPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, SdEnquiryPage, answer_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_enquiry_page_init (SdEnquiryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
sd_enquiry_page_set_store (SdEnquiryPage *self,
                           SdStore       *store)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));
  g_set_object (&self->store, store);
}

void
sd_enquiry_page_set_query (SdEnquiryPage *self,
                           const char    *query)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");
  run_enquiry (self);
}

GListModel *
sd_enquiry_page_get_results (SdEnquiryPage *self)
{
  g_return_val_if_fail (SD_IS_ENQUIRY_PAGE (self), NULL);
  return self->results;
}

const char *
sd_enquiry_page_get_answer (SdEnquiryPage *self)
{
  g_return_val_if_fail (SD_IS_ENQUIRY_PAGE (self), NULL);
  return gtk_label_get_text (self->answer_label);
}

void
sd_enquiry_page_reset (SdEnquiryPage *self)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));
  sd_enquiry_page_set_query (self, NULL);
}

/* Focus where the first keystroke belongs: the name asked about. */
void
sd_enquiry_page_focus (SdEnquiryPage *self)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
