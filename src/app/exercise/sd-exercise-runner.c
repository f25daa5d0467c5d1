/* sd-exercise-runner.c: the exercise engine, run in a worker thread on a store of its own while the console is open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tick of the engine can take a tenth of a second and more (a wave of
 * arrivals registers households), and an SdStore belongs to the thread
 * that opened it: so the worker opens the file itself, loads the
 * scenario, makes the engine there and ticks it until told to stop.
 * Pause, speed and the facilitator's changes to injects are written by
 * the desk's own store into the file; the engine reads them at its next
 * tick, so nothing but "stop" crosses between the threads.
 *
 * The worker is a plain GThread rather than a GTask: it lives as long as
 * the console, and closing the window must wait for it (joins it), so
 * that the process never ends inside a tick.  What it wrote reaches the
 * desk's thread as reports on the desk's main context: the tables it
 * changed (SdStore::changed there, through sd_store_catch_up (), so that
 * every open desk shows what the engine played), and how it stands.  A
 * report from a worker since stopped is dropped by its generation.
 */
#include "sd-exercise-runner.h"

#include "sd-exercise.h"
#include "sd-exercise-live.h"
#include "sd-scenario.h"

/* About four times a second at a pace; as fast as possible, just long
 * enough between slices for the desk's pause to get the file. */
#define TICK_MS      250
#define FAST_TICK_MS 10

G_DEFINE_ENUM_TYPE (SdExerciseRunnerState, sd_exercise_runner_state,
  G_DEFINE_ENUM_VALUE (SD_EXERCISE_RUNNER_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (SD_EXERCISE_RUNNER_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (SD_EXERCISE_RUNNER_TICKING, "ticking"),
  G_DEFINE_ENUM_VALUE (SD_EXERCISE_RUNNER_FINISHED, "finished"),
  G_DEFINE_ENUM_VALUE (SD_EXERCISE_RUNNER_FAILED, "failed"))

/* One start: what the worker was given, and how it is told to stop. */
typedef struct {
  /* Not a reference: the runner joins the worker before it goes. */
  SdExerciseRunner *runner;
  guint             generation;
  GMainContext     *context;       /* the desk's */
  char             *db_path;
  char             *scenario_path;
  guint64           seed;
  gint64            start_at;

  GMutex            lock;
  GCond             wake;
  gboolean          stop;
} Job;

struct _SdExerciseRunner
{
  GObject                parent_instance;

  /* Owned References */
  SdStore               *store;
  GThread               *thread;
  Job                   *job;

  SdExerciseRunnerState  state;
  char                  *error;
  char                  *scenario_path;
  guint                  generation;
};

G_DEFINE_FINAL_TYPE (SdExerciseRunner, sd_exercise_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
job_free (Job *job)
{
  g_main_context_unref (job->context);
  g_free (job->db_path);
  g_free (job->scenario_path);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->wake);
  g_free (job);
}

static void
set_state (SdExerciseRunner      *self,
           SdExerciseRunnerState  state,
           const char            *error)
{
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* ---- the worker's reports, on the desk's thread ---- */

typedef struct {
  SdExerciseRunner      *runner;
  guint                  generation;
  gboolean               has_state;
  SdExerciseRunnerState  state;
  char                  *error;
  SdHlc                  hlc;
  GStrv                  tables;
} Report;

static void
report_free (gpointer data)
{
  Report *report = data;

  g_object_unref (report->runner);
  g_free (report->error);
  g_strfreev (report->tables);
  g_free (report);
}

static gboolean
report_cb (gpointer data)
{
  Report *report = data;
  SdExerciseRunner *self = report->runner;

  if (report->generation != self->generation)
    return G_SOURCE_REMOVE;
  /* Every desk hears of what the engine played, and what this desk
   * writes next is newer than it. */
  if (report->tables != NULL && report->tables[0] != NULL)
    sd_store_catch_up (self->store, report->hlc, (const char *const *) report->tables);
  if (report->has_state)
    set_state (self, report->state, report->error);
  return G_SOURCE_REMOVE;
}

static void
table_changed_cb (SdStore    *store,
                  const char *table,
                  GHashTable *tables)
{
  g_hash_table_add (tables, (gpointer) g_intern_string (table));
}

/* Sends the desk what changed since the last report (TABLES, emptied)
 * and, when HAS_STATE, how the worker stands. */
static void
post (Job                   *job,
      SdStore               *store,
      GHashTable            *tables,
      gboolean               has_state,
      SdExerciseRunnerState  state,
      const GError          *error)
{
  Report *report;
  GSource *source;
  GPtrArray *names;
  GHashTableIter iter;
  gpointer table;

  if (!has_state && g_hash_table_size (tables) == 0)
    return;
  report = g_new0 (Report, 1);
  report->runner = g_object_ref (job->runner);
  report->generation = job->generation;
  report->has_state = has_state;
  report->state = state;
  report->error = error != NULL ? g_strdup (error->message) : NULL;
  names = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, tables);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    g_ptr_array_add (names, g_strdup (table));
  g_ptr_array_add (names, NULL);
  report->tables = (GStrv) g_ptr_array_free (names, FALSE);
  g_hash_table_remove_all (tables);
  report->hlc = store != NULL ? sd_store_get_hlc (store) : 0;
  /* An idle on the desk's context, never g_main_context_invoke (): that
   * runs the function right here whenever this thread can acquire the
   * context (the desk's thread between two iterations), and the desk's
   * widgets would be touched from the worker. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, report_cb, report, report_free);
  g_source_set_static_name (source, "[sd-exercise] report");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

/* Sleeps MS milliseconds unless told to stop first; TRUE: stop. */
static gboolean
wait_for_stop (Job   *job,
               guint  ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean stop;

  g_mutex_lock (&job->lock);
  while (!job->stop && g_cond_wait_until (&job->wake, &job->lock, until))
    ;
  stop = job->stop;
  g_mutex_unlock (&job->lock);
  return stop;
}

/* As fast as possible: the next slice at once. */
static gboolean
running_flat_out (SdStore *store)
{
  SdExerciseClock clock;
  gboolean fast;

  if (!sd_exercise_get_clock (store, &clock, NULL))
    return FALSE;
  fast = clock.state == SD_EXERCISE_RUNNING && clock.speed == 0;
  sd_exercise_clock_clear (&clock);
  return fast;
}

static gpointer
run_cb (gpointer data)
{
  Job *job = data;
  g_autoptr(GHashTable) tables = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  /* Freed in the reverse order: the engine borrows the scenario. */
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdScenario) scenario = NULL;
  g_autoptr(SdExerciseEngine) engine = NULL;

  store = sd_store_open (job->db_path, SD_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (table_changed_cb), tables);
  if (store == NULL || (scenario = sd_scenario_load (job->scenario_path, &error)) == NULL ||
      (engine = sd_exercise_engine_new (store, scenario, job->seed, job->start_at, &error)) == NULL)
    {
      post (job, store, tables, TRUE, SD_EXERCISE_RUNNER_FAILED, error);
      return NULL;
    }
  post (job, store, tables, TRUE, SD_EXERCISE_RUNNER_TICKING, NULL);
  while (!wait_for_stop (job, running_flat_out (store) ? FAST_TICK_MS : TICK_MS))
    {
      if (!sd_exercise_engine_tick (engine, &error))
        {
          g_message ("The exercise engine stopped: %s", error->message);
          post (job, store, tables, TRUE, SD_EXERCISE_RUNNER_FAILED, error);
          return NULL;
        }
      if (sd_exercise_engine_is_done (engine))
        {
          post (job, store, tables, TRUE, SD_EXERCISE_RUNNER_FINISHED, NULL);
          return NULL;
        }
      post (job, store, tables, FALSE, 0, NULL);
    }
  return NULL;
}

/* ---- the desk's side ---- */

void
sd_exercise_runner_stop (SdExerciseRunner *self)
{
  g_return_if_fail (SD_IS_EXERCISE_RUNNER (self));

  if (self->job == NULL)
    return;
  g_mutex_lock (&self->job->lock);
  self->job->stop = TRUE;
  g_cond_signal (&self->job->wake);
  g_mutex_unlock (&self->job->lock);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->job, job_free);
  /* What the stopped worker still had on its way is not news any more. */
  self->generation++;
  if (self->state == SD_EXERCISE_RUNNER_LOADING || self->state == SD_EXERCISE_RUNNER_TICKING)
    set_state (self, SD_EXERCISE_RUNNER_IDLE, NULL);
}

void
sd_exercise_runner_start (SdExerciseRunner *self,
                          const char       *scenario_path,
                          guint64           seed,
                          gint64            start_at)
{
  Job *job;

  g_return_if_fail (SD_IS_EXERCISE_RUNNER (self));
  g_return_if_fail (scenario_path != NULL);

  sd_exercise_runner_stop (self);
  g_free (self->scenario_path);
  self->scenario_path = g_strdup (scenario_path);
  job = g_new0 (Job, 1);
  job->runner = self;
  job->generation = self->generation;
  job->context = g_main_context_ref_thread_default ();
  job->db_path = g_strdup (sd_store_get_path (self->store));
  job->scenario_path = g_strdup (scenario_path);
  job->seed = seed;
  job->start_at = start_at;
  g_mutex_init (&job->lock);
  g_cond_init (&job->wake);
  self->job = job;
  set_state (self, SD_EXERCISE_RUNNER_LOADING, NULL);
  self->thread = g_thread_new ("sd-exercise", run_cb, job);
}

SdExerciseRunnerState
sd_exercise_runner_get_state (SdExerciseRunner *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_RUNNER (self), SD_EXERCISE_RUNNER_IDLE);
  return self->state;
}

const char *
sd_exercise_runner_get_error (SdExerciseRunner *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_RUNNER (self), NULL);
  return self->error;
}

const char *
sd_exercise_runner_get_scenario_path (SdExerciseRunner *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_RUNNER (self), NULL);
  return self->scenario_path;
}

/* ---- GObject ---- */

static void
sd_exercise_runner_dispose (GObject *object)
{
  SdExerciseRunner *self = SD_EXERCISE_RUNNER (object);

  sd_exercise_runner_stop (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_exercise_runner_parent_class)->dispose (object);
}

static void
sd_exercise_runner_finalize (GObject *object)
{
  SdExerciseRunner *self = SD_EXERCISE_RUNNER (object);

  g_free (self->error);
  g_free (self->scenario_path);
  G_OBJECT_CLASS (sd_exercise_runner_parent_class)->finalize (object);
}

static void
sd_exercise_runner_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SdExerciseRunner *self = SD_EXERCISE_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_exercise_runner_class_init (SdExerciseRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_exercise_runner_dispose;
  object_class->finalize = sd_exercise_runner_finalize;
  object_class->get_property = sd_exercise_runner_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SD_TYPE_EXERCISE_RUNNER_STATE, SD_EXERCISE_RUNNER_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_exercise_runner_init (SdExerciseRunner *self)
{
}

SdExerciseRunner *
sd_exercise_runner_new (SdStore *store)
{
  SdExerciseRunner *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_EXERCISE_RUNNER, NULL);
  self->store = g_object_ref (store);
  return self;
}
