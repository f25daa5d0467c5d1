/* sd-enquiry-page.c: "is my mother here?" — answered only for people who agreed to be found.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core returns only people who consented (sd_store_enquire), so this
 * page cannot show anyone else even by mistake.  When nobody is found
 * the answer is one sentence that is the same whether the person is not
 * here or is here without consent: the volunteer can read it out as it is.
 *
 * The person asking may not read Japanese: "Answer also in" shows the
 * answer and where each person is a second time, in the language chosen
 * (the evacuee catalogue, po/evacuee/), in its own glyphs, so the screen
 * can be turned to them.
 */
#include "sd-enquiry-page.h"

#include "sd-evacuee-text.h"

#include <glib/gi18n.h>

struct _SdEnquiryPage
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkSearchEntry *search_entry;
  GtkListBox     *results_box;
  GtkLabel       *answer_label;
  GtkDropDown    *language_dropdown;

  /* Owned References */
  GPtrArray      *codes;        /* the drop-down's languages; NULL first: none */
  SdStore        *store;
  GListModel     *results;
  char           *last_query;
};

G_DEFINE_FINAL_TYPE (SdEnquiryPage, sd_enquiry_page, GTK_TYPE_WIDGET)

/* Where PERSON is, in LANGUAGE (a code of sd_evacuee_languages ()), or
 * in the desk's language when NULL. */
static char *
whereabouts (SdPerson   *person,
             const char *language)
{
  const char *shelter = sd_person_get_shelter_name (person) ? sd_person_get_shelter_name (person) : "";

  switch (sd_person_get_status (person))
    {
    case SD_PERSON_STATUS_IN:
    case SD_PERSON_STATUS_OUT:
      return g_strdup_printf (language != NULL ? sd_evacuee_gettext (language, EN_("Staying at %s"))
                                               : _("Staying at %s"), shelter);
    case SD_PERSON_STATUS_LEFT:
      return g_strdup_printf (language != NULL ? sd_evacuee_gettext (language, EN_("Has left %s"))
                                               : _("Has left %s"), shelter);
    case SD_PERSON_STATUS_NONE:
    default:
      return g_strdup_printf (language != NULL ? sd_evacuee_gettext (language, EN_("Registered at %s, staying elsewhere"))
                                               : _("Registered at %s, staying elsewhere"), shelter);
    }
}

/* TEXT, marked up, in LANGUAGE's glyphs. */
static char *
in_language (const char *language,
             const char *text)
{
  return g_markup_printf_escaped ("<span lang=\"%s\">%s</span>", sd_evacuee_font_language (language), text);
}

static void
run_enquiry (SdEnquiryPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *language = sd_enquiry_page_get_language (self);
  GtkWidget *child;
  guint n;
  const char *answer;
  g_autofree char *answer_markup = NULL;

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
      g_autofree char *where = whereabouts (p, NULL);
      g_autofree char *theirs = language != NULL ? whereabouts (p, language) : NULL;
      g_autofree char *theirs_markup = theirs != NULL ? in_language (language, theirs) : NULL;
      g_autofree char *birth = sd_person_get_birth_date (p) ? sd_date_format_era (sd_person_get_birth_date (p)) : NULL;
      g_autofree char *desk = g_markup_printf_escaped ("<b>%s</b>  %s  %s\n%s", sd_person_get_name (p),
                                                       sd_person_get_kana (p) ? sd_person_get_kana (p) : "",
                                                       birth ? birth : "", where);
      g_autofree char *markup = theirs_markup != NULL ? g_strconcat (desk, "\n", theirs_markup, NULL)
                                                      : g_strdup (desk);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_list_box_append (self->results_box, label);
    }

  answer = n > 0 ? EN_("These people agreed that we may tell you they are safe.")
                 : EN_("No one who agreed to be found matches. We cannot tell you whether anyone else is here.");
  answer_markup = g_markup_escape_text (_(answer), -1);
  if (n > 0)
    {
      g_autofree char *check = g_markup_escape_text (_("Check the birth date with the person asking."), -1);
      g_autofree char *both = g_strconcat (answer_markup, " ", check, NULL);

      g_free (answer_markup);
      answer_markup = g_steal_pointer (&both);
    }
  if (language != NULL)
    {
      g_autofree char *theirs = in_language (language, sd_evacuee_gettext (language, answer));
      g_autofree char *both = g_strconcat (answer_markup, "\n", theirs, NULL);

      g_free (answer_markup);
      answer_markup = g_steal_pointer (&both);
    }
  gtk_label_set_markup (self->answer_label, answer_markup);
}

static void
language_changed_cb (SdEnquiryPage *self)
{
  run_enquiry (self);
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
  g_clear_pointer (&self->codes, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, SdEnquiryPage, language_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* "Answer also in": none, then every language offered but the desk's, each
 * in its own script. */
static void
fill_languages (SdEnquiryPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const SdEvacueeLanguage *desk = sd_evacuee_language_of_desk ();
  guint n;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);

  self->codes = g_ptr_array_new ();
  gtk_string_list_append (names, _("No other language"));
  g_ptr_array_add (self->codes, NULL);
  for (guint i = 0; i < n; i++)
    if (desk == NULL || g_strcmp0 (languages[i].code, desk->code) != 0)
      {
        gtk_string_list_append (names, languages[i].own_name);
        g_ptr_array_add (self->codes, (gpointer) languages[i].code);
      }
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->language_dropdown, 0);
}

static void
sd_enquiry_page_init (SdEnquiryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_languages (self);
  g_signal_connect_swapped (self->language_dropdown, "notify::selected", G_CALLBACK (language_changed_cb), self);
}

/* The language the answer is also shown in (a code of
 * sd_evacuee_languages ()), or NULL for none. */
const char *
sd_enquiry_page_get_language (SdEnquiryPage *self)
{
  guint selected;

  g_return_val_if_fail (SD_IS_ENQUIRY_PAGE (self), NULL);
  selected = gtk_drop_down_get_selected (self->language_dropdown);
  return self->codes != NULL && selected < self->codes->len ? g_ptr_array_index (self->codes, selected) : NULL;
}

/* Shows the answer also in LANGUAGE (NULL: only the desk's); FALSE when
 * it is not one offered. */
gboolean
sd_enquiry_page_set_language (SdEnquiryPage *self,
                              const char    *language)
{
  g_return_val_if_fail (SD_IS_ENQUIRY_PAGE (self), FALSE);

  for (guint i = 0; i < self->codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->codes, i), language) == 0)
      {
        gtk_drop_down_set_selected (self->language_dropdown, i);
        return TRUE;
      }
  return FALSE;
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

/* Forgets the enquiry, and the language of the person who asked. */
void
sd_enquiry_page_reset (SdEnquiryPage *self)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));
  /* The query first: the language's change runs the enquiry again. */
  sd_enquiry_page_set_query (self, NULL);
  gtk_drop_down_set_selected (self->language_dropdown, 0);
}

/* Focus where the first keystroke belongs: the name asked about. */
void
sd_enquiry_page_focus (SdEnquiryPage *self)
{
  g_return_if_fail (SD_IS_ENQUIRY_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
