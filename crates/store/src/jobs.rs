//! Background jobs kept in the record, claimed with leases: a worker takes a
//! job for a while, renews its lease while it works, and a job whose worker
//! died is taken again once the lease runs out. Nothing acknowledged is lost
//! when a process stops; a job is tried a few times, then marked failed with
//! its last error.

use std::future::Future;

use attune_care::Code;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::store::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Motion energy and synchrony of a session video (`subject`: the video).
    VideoAnalysis,
}

impl Code for JobKind {
    const ALL: &'static [JobKind] = &[JobKind::VideoAnalysis];

    fn code(self) -> &'static str {
        match self {
            JobKind::VideoAnalysis => "video_analysis",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl Code for JobState {
    const ALL: &'static [JobState] = &[
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
    ];

    fn code(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
}

/// Tries before a job is marked failed.
pub const MAX_ATTEMPTS: u32 = 3;

/// A job as a worker holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: Uuid,
    pub kind: JobKind,
    pub subject: Uuid,
    /// This try included.
    pub attempt: u32,
    pub lease_until: OffsetDateTime,
}

/// Waiting before a failed try is retried: a minute, then two.
pub fn retry_delay(attempt: u32) -> Duration {
    Duration::minutes(i64::from(attempt.max(1)))
}

pub trait JobStore: Send + Sync {
    /// The oldest job ready to run (queued and due, or running with an
    /// expired lease), leased to `worker` for `lease`. Two workers never hold
    /// the same job.
    fn claim_job(
        &self,
        worker: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<Option<Job>>> + Send;

    /// Extends the lease; a conflict if `worker` no longer holds the job.
    fn renew_lease(
        &self,
        job: Uuid,
        worker: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<OffsetDateTime>> + Send;

    /// Records a failed try: queued again after [`retry_delay`], or failed
    /// for good after [`MAX_ATTEMPTS`] (or at once when not `retry`). The
    /// error must not contain client data. Returns the job's new state.
    fn fail_job(
        &self,
        job: Uuid,
        worker: &str,
        error: &str,
        retry: bool,
    ) -> impl Future<Output = Result<JobState>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_kinds_read_back() {
        for s in JobState::ALL {
            assert_eq!(crate::decode::<JobState>("state", s.code()).unwrap(), *s);
        }
        assert!(crate::decode::<JobState>("state", "paused").is_err());
        assert_eq!(
            crate::decode::<JobKind>("kind", "video_analysis").unwrap(),
            JobKind::VideoAnalysis
        );
        assert!(crate::decode::<JobKind>("kind", "x").is_err());
    }

    #[test]
    fn retries_wait_longer_each_time() {
        assert_eq!(retry_delay(0), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
    }
}
