//! One session's pages. `context` loads the session with the access check
//! that every handler here starts with; `page` shows the record (details,
//! notes, measures, videos) and takes its writes; `form` checks the details
//! form; `entry` is the paper-form entry scored live; `schedule` moves or
//! cancels a planned session; `video` uploads and shows session videos.
//! Imports run one way: everything uses `context`; `page` uses the others.

mod context;
pub mod entry;
mod form;
pub mod page;
pub mod schedule;
pub mod video;

pub(crate) use context::context;
