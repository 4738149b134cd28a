//! `attune video motion`: motion energy from a video file, with a progress
//! line (frames, frames per second, time left when known) on a terminal.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use attune_video::motion::{MotionEnergy, MotionSettings};
use attune_video::output::{csv_header, csv_row, mea_row, person_columns};
use attune_video::{Decoder, FrameSource, Roi};

use crate::args::{DecoderChoice, MotionArgs, ThresholdArgs};

fn is_y4m(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("y4m"))
}

/// Frames in a Y4M file, from its size (each frame: marker line + planes).
fn y4m_frames(path: &Path, width: usize, height: usize) -> Option<u64> {
    let size = std::fs::metadata(path).ok()?.len();
    let per = (width * height) as u64 + 6;
    Some(size / per)
}

struct Progress {
    on: bool,
    started: Instant,
    total: Option<u64>,
    last: Instant,
}

impl Progress {
    fn tick(&mut self, done: u64) {
        if !self.on || self.last.elapsed().as_millis() < 200 {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let fps = done as f64 / secs;
        let eta = self
            .total
            .filter(|t| *t > done && fps > 0.0)
            .map_or(String::new(), |t| {
                format!(", {:.0} s left", (t - done) as f64 / fps)
            });
        let of = self.total.map_or(String::new(), |t| format!(" of ~{t}"));
        eprint!("\r{done}{of} frames, {fps:.0} fps{eta}   ");
    }

    fn done(&self, frames: u64) {
        if self.on {
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!(
                "\r{frames} frames in {secs:.1} s ({:.0} fps)            ",
                frames as f64 / secs.max(1e-3)
            );
        }
    }
}

fn decoder(choice: DecoderChoice) -> Decoder {
    match choice {
        DecoderChoice::Auto => Decoder::Auto,
        DecoderChoice::Builtin => Decoder::Builtin,
        DecoderChoice::Ffmpeg => Decoder::Ffmpeg,
    }
}

fn open(path: &Path, choice: DecoderChoice) -> Result<Box<dyn FrameSource>> {
    Ok(attune_video::open(path, decoder(choice))?.0)
}

pub fn motion(args: &MotionArgs) -> Result<()> {
    let rois = args
        .rois
        .iter()
        .map(|r| Roi::parse(r))
        .collect::<Result<Vec<_>, _>>()?;
    let mut source = open(&args.file, args.decoder)?;
    let info = source.info().clone();
    let settings = MotionSettings {
        threshold: args.threshold,
        median5: args.median,
        percent: args.percent,
        every: args.every,
    };
    let mut me = MotionEnergy::new(rois, settings, &info)?;
    let rate = me.rate(info.fps);
    let mut out: Box<dyn Write + Send> = match &args.out {
        Some(path) => {
            if path.exists() {
                bail!("{} exists already; choose another --out", path.display());
            }
            Box::new(BufWriter::new(
                File::create(path).with_context(|| format!("creating {}", path.display()))?,
            ))
        }
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    if args.csv {
        csv_header(&mut out, me.rois())?;
    }
    let mut progress = Progress {
        on: std::io::stderr().is_terminal(),
        started: Instant::now(),
        total: is_y4m(&args.file)
            .then(|| y4m_frames(&args.file, info.width, info.height))
            .flatten(),
        last: Instant::now(),
    };
    let mut rows = 0u64;
    let csv = args.csv;
    let frames = attune_video::pipeline::run::<anyhow::Error>(&mut *source, &mut me, |values| {
        if csv {
            csv_row(&mut out, rows, rate, &values)?;
        } else {
            mea_row(&mut out, &values)?;
        }
        rows += 1;
        progress.tick(rows + 1);
        Ok(())
    })?;
    out.flush()?;
    progress.done(frames);
    if frames < 2 {
        bail!(
            "{}: fewer than two frames; no motion to measure",
            args.file.display()
        );
    }
    if args.out.is_some() || std::io::stderr().is_terminal() {
        let people: Vec<String> = person_columns(me.rois())
            .into_iter()
            .map(|(p, cols)| {
                let list: Vec<String> = cols.iter().map(ToString::to_string).collect();
                format!("{p}: columns {}", list.join(","))
            })
            .collect();
        eprintln!("{rows} rows at {rate} Hz; {}", people.join("; "));
    }
    Ok(())
}

pub fn threshold(args: &ThresholdArgs) -> Result<()> {
    let roi = Roi::parse(&args.background)?;
    let mut source = open(&args.file, args.decoder)?;
    let e = attune_video::threshold::estimate(&mut *source, &roi, args.quantile)?;
    println!("{}", e.threshold);
    eprintln!(
        "{} % of {} grey-level changes in '{}' over {} frames are at most {}: use --threshold {}",
        args.quantile * 100.0,
        e.differences,
        roi.name,
        e.frames,
        e.threshold,
        e.threshold
    );
    Ok(())
}
