use attune_media::MediaError;
use attune_store::StoreError;
use attune_synchrony::SynchronyError;
use attune_video::VideoError;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Video(#[from] VideoError),
    #[error("synchrony: {0}")]
    Synchrony(#[from] SynchronyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error("{0}")]
    Analysis(String),
}

impl WorkerError {
    /// Whether another try could succeed: the store or the disk may recover;
    /// a file that does not decode, or is too short, will not.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            WorkerError::Store(_)
                | WorkerError::Media(_)
                | WorkerError::Video(VideoError::Io { .. } | VideoError::MissingTool { .. })
        )
    }
}
