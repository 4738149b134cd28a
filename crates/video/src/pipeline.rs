//! Decoding and measuring on two cores: the source decodes on this thread
//! while motion energy is computed on another, frames passing through a
//! short queue. Throughput is that of the slower of the two, not their sum.

use std::sync::mpsc::sync_channel;

use crate::VideoError;
use crate::frame::{Frame, FrameSource};
use crate::motion::MotionEnergy;

/// Frames in flight between the two threads.
const QUEUE: usize = 8;

/// Runs the whole video through `me`, handing each row of values to `row`
/// (on the measuring thread) in order. Returns the number of frames read.
pub fn run<E: From<VideoError> + Send>(
    source: &mut dyn FrameSource,
    me: &mut MotionEnergy,
    mut row: impl FnMut(Vec<f64>) -> Result<(), E> + Send,
) -> Result<u64, E> {
    let (send, receive) = sync_channel::<Frame>(QUEUE);
    std::thread::scope(|s| {
        let worker = s.spawn(move || -> Result<(), E> {
            for frame in receive {
                if let Some(values) = me.push(frame)? {
                    row(values)?;
                }
            }
            Ok(())
        });
        let mut frames = 0u64;
        let mut decoding = Ok(());
        loop {
            match source.next_frame() {
                Ok(Some(f)) => {
                    frames += 1;
                    if send.send(f).is_err() {
                        break; // the worker stopped on an error; it reports it
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    decoding = Err(e);
                    break;
                }
            }
        }
        drop(send);
        let measured = worker.join().unwrap_or_else(|_| {
            Err(E::from(VideoError::Setting {
                field: "motion energy",
                message: "the measuring thread failed".into(),
            }))
        });
        measured?;
        decoding.map_err(E::from)?;
        Ok(frames)
    })
}
