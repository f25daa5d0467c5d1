/* sd-self-service-page.c: the check-in kiosk turned to face evacuees, who scan their own cards.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A volunteer starts it from Check-in (its shelter and mode stay those of
 * the desk); from then on the screen is the evacuees'.  Idle, it asks for
 * a card in every language offered.  A scan goes through the check-in
 * desk as always (SdCheckinPage records it and emits ::answered); this
 * page then shows the answer to that person only, in very large type and
 * in their language (their record's, or the one they tapped): a check
 * mark, a word such as "Welcome back", their name, and "Please see the
 * desk" for anything a person must sort out.  Nothing else of anyone is
 * ever on it; after a few seconds it is idle again.  A language tapped
 * is for the one card scanned after it, or for 20 s.  Leaving it signs the volunteer out: the desk needs
 * a staff PIN again (docs in the README, "Self-service check-in").
 */
#include "sd-self-service-page.h"

#include "sd-chime.h"

#include "sd-evacuee-text.h"

#include <glib/gi18n.h>

#define ANSWER_SECONDS 6
/* A language tapped and no card scanned after it: the person went away. */
#define LANGUAGE_SECONDS 20

struct _SdSelfServicePage
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkStack   *stack;
  GtkLabel   *prompt_label;
  GtkLabel   *others_label;
  GtkImage   *answer_icon;
  GtkLabel   *answer_label;
  GtkLabel   *name_label;
  GtkFlowBox *language_box;

  GSettings  *settings;  /* "self-service-sound", "sound-device" */
  GCancellable *sounding;
  char       *language;  /* tapped, for the next card scanned */
  guint       answer_seconds;
  guint       answer_timeout;
  guint       language_timeout;
};

G_DEFINE_FINAL_TYPE (SdSelfServicePage, sd_self_service_page, GTK_TYPE_WIDGET)

/* LABEL drawn with the glyphs of TAG's language. */
static void
set_glyphs (GtkLabel   *label,
            const char *tag)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_language_new (pango_language_from_string (sd_evacuee_font_language (tag))));
  gtk_label_set_attributes (label, attrs);
}

/* The idle screen: the request in the language tapped (Japanese until
 * then) and, smaller, in every other. */
static void
show_idle (SdSelfServicePage *self)
{
  guint n;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);
  const char *chosen = self->language != NULL ? self->language : "ja";
  g_autoptr(GString) others = g_string_new (NULL);
  g_autoptr(PangoAttrList) glyphs = pango_attr_list_new ();

  /* Each in its language's glyphs, side by side. */
  for (guint i = 0; i < n; i++)
    if (!g_str_equal (languages[i].code, chosen))
      {
        PangoAttribute *attr = pango_attr_language_new (pango_language_from_string (languages[i].font_lang));

        if (others->len > 0)
          g_string_append (others, "   ");
        attr->start_index = (guint) others->len;
        g_string_append (others, sd_evacuee_gettext (languages[i].code, EN_("Please scan your card.")));
        attr->end_index = (guint) others->len;
        pango_attr_list_insert (glyphs, attr);
      }
  gtk_label_set_text (self->prompt_label, sd_evacuee_gettext (chosen, EN_("Please scan your card.")));
  set_glyphs (self->prompt_label, chosen);
  gtk_label_set_text (self->others_label, others->str);
  gtk_label_set_attributes (self->others_label, glyphs);
  /* Nothing of the last person stays in the widgets either. */
  gtk_label_set_text (self->answer_label, "");
  gtk_label_set_text (self->name_label, "");
  gtk_stack_set_visible_child_name (self->stack, "idle");
  gtk_widget_set_visible (GTK_WIDGET (self->language_box), TRUE);
}

static gboolean
answer_expired_cb (gpointer data)
{
  SdSelfServicePage *self = data;

  self->answer_timeout = 0;
  sd_self_service_page_reset (self);
  return G_SOURCE_REMOVE;
}

void
sd_self_service_page_reset (SdSelfServicePage *self)
{
  g_return_if_fail (SD_IS_SELF_SERVICE_PAGE (self));

  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  g_clear_handle_id (&self->language_timeout, g_source_remove);
  g_clear_pointer (&self->language, g_free);
  show_idle (self);
}

static gboolean
language_expired_cb (gpointer data)
{
  SdSelfServicePage *self = data;

  self->language_timeout = 0;
  g_clear_pointer (&self->language, g_free);
  if (!sd_self_service_page_get_answer_shown (self))
    show_idle (self);
  return G_SOURCE_REMOVE;
}

static void
played_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  static gboolean failing;
  g_autoptr(GError) error = NULL;

  /* Said when the cues stop being heard (not for every scan), and again
   * after they came back and stopped again: a kiosk without a speaker
   * still checks people in. */
  if (sd_chime_play_finish (result, &error))
    failing = FALSE;
  else if (!failing)
    {
      failing = TRUE;
      g_message ("Self-service sound cues are not heard: %s", error->message);
    }
}

/* The cue for an answer CSS: rising for a card recorded (or already
 * recorded), falling for anything a person must see the desk about. */
static void
sound_answer (SdSelfServicePage *self,
              const char        *css)
{
  g_autofree char *device = NULL;

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "self-service-sound"))
    return;
  device = g_settings_get_string (self->settings, "sound-device");
  sd_chime_play_async (g_strcmp0 (css, "refused") == 0 ? SD_CHIME_SEE_DESK : SD_CHIME_DONE, device,
                       self->sounding, played_cb, NULL);
}

/* SETTINGS (the kiosk's) say whether, and where, the cues sound. */
void
sd_self_service_page_set_settings (SdSelfServicePage *self,
                                   GSettings         *settings)
{
  g_return_if_fail (SD_IS_SELF_SERVICE_PAGE (self));
  g_set_object (&self->settings, settings);
}

void
sd_self_service_page_show_answer (SdSelfServicePage *self,
                                  const char        *css,
                                  SdPerson          *person,
                                  const char        *answer)
{
  const char *tag;
  g_autofree char *text = NULL;

  g_return_if_fail (SD_IS_SELF_SERVICE_PAGE (self));

  /* The language tapped, else the record's; a card of nobody gets
   * やさしい日本語 and English ("und" is no language offered). */
  tag = self->language != NULL ? self->language : person != NULL ? sd_person_get_language (person) : "und";
  text = sd_evacuee_text (tag, answer != NULL ? answer : EN_("Please see the desk."));
  gtk_image_set_from_icon_name (self->answer_icon, g_strcmp0 (css, "recorded") == 0 ? "object-select-symbolic"
                                                   : g_strcmp0 (css, "repeated") == 0 ? "dialog-information-symbolic"
                                                   : "dialog-warning-symbolic");
  gtk_label_set_text (self->answer_label, text);
  set_glyphs (self->answer_label, tag);
  /* A language tapped is for the one card scanned after it. */
  g_clear_handle_id (&self->language_timeout, g_source_remove);
  g_clear_pointer (&self->language, g_free);
  gtk_label_set_text (self->name_label, person != NULL ? sd_person_get_name (person) : "");
  gtk_stack_set_visible_child_name (self->stack, "answer");
  /* The answer has the screen: the languages are for before a scan. */
  gtk_widget_set_visible (GTK_WIDGET (self->language_box), FALSE);
  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  self->answer_timeout = g_timeout_add_seconds (self->answer_seconds, answer_expired_cb, self);
  sound_answer (self, css);
}

void
sd_self_service_page_choose_language (SdSelfServicePage *self,
                                      const char        *language)
{
  g_return_if_fail (SD_IS_SELF_SERVICE_PAGE (self));

  g_free (self->language);
  self->language = g_strdup (language);
  g_clear_handle_id (&self->language_timeout, g_source_remove);
  self->language_timeout = g_timeout_add_seconds (LANGUAGE_SECONDS, language_expired_cb, self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "idle") == 0)
    show_idle (self);
}

static void
language_clicked_cb (GtkButton         *button,
                     SdSelfServicePage *self)
{
  sd_self_service_page_choose_language (self, g_object_get_data (G_OBJECT (button), "language"));
}

void
sd_self_service_page_set_answer_seconds (SdSelfServicePage *self,
                                         guint              seconds)
{
  g_return_if_fail (SD_IS_SELF_SERVICE_PAGE (self));
  self->answer_seconds = MAX (seconds, 1);
}

char *
sd_self_service_page_dup_text (SdSelfServicePage *self)
{
  g_return_val_if_fail (SD_IS_SELF_SERVICE_PAGE (self), NULL);

  /* What is shown first; then what the other screen still holds, which
   * must be nothing of anyone once idle. */
  if (sd_self_service_page_get_answer_shown (self))
    return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->answer_label), gtk_label_get_text (self->name_label));
  return g_strdup_printf ("%s\n%s%s%s%s", gtk_label_get_text (self->prompt_label), gtk_label_get_text (self->others_label),
                          *gtk_label_get_text (self->answer_label) ? "\n" : "", gtk_label_get_text (self->answer_label),
                          gtk_label_get_text (self->name_label));
}

gboolean
sd_self_service_page_get_answer_shown (SdSelfServicePage *self)
{
  g_return_val_if_fail (SD_IS_SELF_SERVICE_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "answer") == 0;
}

static void
sd_self_service_page_dispose (GObject *object)
{
  SdSelfServicePage *self = SD_SELF_SERVICE_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  g_clear_handle_id (&self->language_timeout, g_source_remove);
  g_cancellable_cancel (self->sounding);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SELF_SERVICE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_self_service_page_parent_class)->dispose (object);
}

static void
sd_self_service_page_finalize (GObject *object)
{
  SdSelfServicePage *self = SD_SELF_SERVICE_PAGE (object);

  g_free (self->language);
  g_clear_object (&self->sounding);
  G_OBJECT_CLASS (sd_self_service_page_parent_class)->finalize (object);
}

static void
sd_self_service_page_class_init (SdSelfServicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_self_service_page_dispose;
  object_class->finalize = sd_self_service_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-self-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, others_label);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, answer_icon);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, answer_label);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdSelfServicePage, language_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_self_service_page_init (SdSelfServicePage *self)
{
  guint n;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->answer_seconds = ANSWER_SECONDS;
  self->sounding = g_cancellable_new ();
  /* A button per language, each in its own script: no flags. */
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (languages[i].own_name);

      set_glyphs (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), languages[i].code);
      g_object_set_data (G_OBJECT (button), "language", (gpointer) languages[i].code);
      gtk_widget_add_css_class (button, "language-button");
      g_signal_connect (button, "clicked", G_CALLBACK (language_clicked_cb), self);
      gtk_flow_box_append (self->language_box, button);
    }
  show_idle (self);
}

SdSelfServicePage *
sd_self_service_page_new (void)
{
  return g_object_new (SD_TYPE_SELF_SERVICE_PAGE, NULL);
}
