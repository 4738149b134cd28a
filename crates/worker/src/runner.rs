//! The job loop: claim, run with a renewed lease, record the result or the
//! failure; between jobs, delete video files past retention. Several workers
//! (processes or tasks) may run against one store: the lease decides.

use attune_store::Code;
use std::future::Future;
use std::sync::Arc;

use attune_media::LocalMedia;
use attune_store::audit::Actor;
use attune_store::{Job, JobKind, JobState, JobStore, Store, VideoStore};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{AnalysisSettings, WorkerError, analyse_video};

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Names the lease holder in the job table: host and process.
    pub name: String,
    /// How long a claim holds before another worker may take the job; renewed
    /// at a third of it while the job runs.
    pub lease: Duration,
    /// How often an idle worker looks for work.
    pub poll: std::time::Duration,
    /// Delete a video file this long after its analysis ended; `None` keeps it.
    pub retention: Option<Duration>,
    pub analysis: AnalysisSettings,
}

impl WorkerSettings {
    pub fn named(name: impl Into<String>) -> WorkerSettings {
        WorkerSettings {
            name: name.into(),
            lease: Duration::minutes(5),
            poll: std::time::Duration::from_secs(2),
            retention: None,
            analysis: AnalysisSettings::default(),
        }
    }
}

/// What one run of [`Worker::run_next`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Analysed {
        video: Uuid,
    },
    Failed {
        video: Uuid,
        state: JobState,
        error: String,
    },
}

pub struct Worker<S> {
    store: Arc<S>,
    media: LocalMedia,
    settings: WorkerSettings,
}

fn actor() -> Actor {
    Actor::system("worker")
}

impl<S: Store + VideoStore + JobStore + 'static> Worker<S> {
    pub fn new(store: Arc<S>, media: LocalMedia, settings: WorkerSettings) -> Worker<S> {
        Worker {
            store,
            media,
            settings,
        }
    }

    /// Claims and runs one job; `None` when nothing is due.
    pub async fn run_next(&self) -> Result<Option<Outcome>, WorkerError> {
        let s = &self.settings;
        let Some(job) = self.store.claim_job(&s.name, s.lease).await? else {
            return Ok(None);
        };
        match job.kind {
            JobKind::VideoAnalysis => self.video_analysis(job).await.map(Some),
        }
    }

    async fn video_analysis(&self, job: Job) -> Result<Outcome, WorkerError> {
        let heartbeat = self.keep_lease(job.id);
        let result = self.analyse(job.subject).await;
        heartbeat.abort();
        let name = &self.settings.name;
        match result {
            Ok(analysis) => {
                self.store
                    .record_analysis(&actor(), job.id, name, &analysis)
                    .await?;
                Ok(Outcome::Analysed { video: job.subject })
            }
            Err(e) => {
                let error = e.to_string();
                let state = self
                    .store
                    .fail_job(job.id, name, &error, e.retryable())
                    .await?;
                tracing::warn!(
                    job = %job.id,
                    attempt = job.attempt,
                    state = state.code(),
                    error = %error,
                    "video analysis failed"
                );
                Ok(Outcome::Failed {
                    video: job.subject,
                    state,
                    error,
                })
            }
        }
    }

    async fn analyse(&self, video: Uuid) -> Result<attune_store::VideoAnalysis, WorkerError> {
        let v = self.store.video(&actor(), video).await?;
        if v.file_deleted_at.is_some() {
            return Err(WorkerError::Analysis(
                "the video file was deleted before it was analysed".into(),
            ));
        }
        let path = self.media.path(&v.media_key)?;
        let settings = self.settings.analysis;
        let seed = v.id.as_u64_pair().1;
        tokio::task::spawn_blocking(move || analyse_video(&path, &v.layout, &settings, seed))
            .await
            .map_err(|e| WorkerError::Analysis(format!("the analysis stopped: {e}")))?
    }

    /// Renews the lease at a third of its length until aborted.
    fn keep_lease(&self, job: Uuid) -> tokio::task::JoinHandle<()> {
        let store = Arc::clone(&self.store);
        let (name, lease) = (self.settings.name.clone(), self.settings.lease);
        let every = std::time::Duration::try_from(lease / 3)
            .unwrap_or(std::time::Duration::from_secs(60))
            .max(std::time::Duration::from_millis(100));
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if store.renew_lease(job, &name, lease).await.is_err() {
                    return;
                }
            }
        })
    }

    /// Deletes video files whose analysis ended longer ago than the retention
    /// period (the analysis stays). Returns how many were deleted.
    pub async fn sweep_retention(&self) -> Result<usize, WorkerError> {
        let Some(keep) = self.settings.retention else {
            return Ok(0);
        };
        let due = self
            .store
            .videos_past_retention(OffsetDateTime::now_utc() - keep)
            .await?;
        for (video, key) in &due {
            self.media.delete(key).await?;
            self.store.mark_video_file_deleted(&actor(), *video).await?;
        }
        Ok(due.len())
    }

    /// Runs jobs until `shutdown` completes. A job in progress at shutdown is
    /// left to its lease: another worker takes it over when the lease ends.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let work = async {
                if let Err(e) = self.sweep_retention().await {
                    tracing::error!(error = %attune_store::report(&e), "retention sweep failed");
                }
                match self.run_next().await {
                    Ok(Some(_)) => false,
                    Ok(None) => true,
                    Err(e) => {
                        tracing::error!(error = %attune_store::report(&e), "job failed");
                        true
                    }
                }
            };
            let idle = tokio::select! {
                () = &mut shutdown => return,
                idle = work => idle,
            };
            if idle {
                tokio::select! {
                    () = &mut shutdown => return,
                    () = tokio::time::sleep(self.settings.poll) => {}
                }
            }
        }
    }
}
