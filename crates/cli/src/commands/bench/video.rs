//! `attune bench video`: decode-only frames per second, decode + motion
//! energy frames per second (and their ratio), and the synchrony of the 20
//! example dyads with 1,000 between-dyad surrogates, all in one run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use attune_synchrony::surrogates::{Seeded, between_dyad_pairs, recombine};
use attune_synchrony::{CcfParams, Dyad, Settings, analyse, parse_mea};
use attune_video::h264::Mp4H264Source;
use attune_video::motion::{MotionEnergy, MotionSettings};
use attune_video::{FrameSource, Roi, ffmpeg};

use crate::args::BenchVideoArgs;

/// A 640×480, 25 fps test scene of two people-sized textured blocks that
/// move, encoded with ffmpeg/libx264 (B-frames on): `seconds` long.
fn synthetic_mp4(dir: &Path, seconds: usize) -> Result<PathBuf> {
    ensure!(
        ffmpeg::available(),
        "without --file the benchmark encodes a test video and needs ffmpeg"
    );
    let (w, h) = (640usize, 480usize);
    let raw = dir.join("bench.y4m");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&raw)?);
    let frames = (0..seconds * 25).map(|t| {
        let mut f = vec![70u8; w * h];
        for (k, base) in [(0usize, 60usize), (1, 380)] {
            let shift =
                ((t as f64 / 7.0 + k as f64).sin() * 30.0 + (t as f64 / 3.1).cos() * 6.0) as i64;
            for y in 100..420 {
                for x in 0..200usize {
                    let px = (base as i64 + x as i64 + shift).clamp(0, w as i64 - 1) as usize;
                    f[y * w + px] =
                        (128.0 + 80.0 * ((x as f64) / 9.0).sin() * ((y as f64) / 13.0).cos()) as u8;
                }
            }
        }
        f
    });
    attune_video::y4m::write_mono(&mut out, w, h, 25, frames)?;
    drop(out);
    let mp4 = dir.join("bench.mp4");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(&raw)
        .args([
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-bf", "2",
        ])
        .arg(&mp4)
        .status()
        .context("running ffmpeg")?;
    ensure!(status.success(), "ffmpeg could not encode the test video");
    Ok(mp4)
}

fn decode_only(file: &Path) -> Result<(u64, f64)> {
    let started = Instant::now();
    let mut source = Mp4H264Source::open(file)?;
    let mut n = 0;
    while source.next_frame()?.is_some() {
        n += 1;
    }
    Ok((n, started.elapsed().as_secs_f64()))
}

fn decode_and_measure(file: &Path) -> Result<(u64, f64)> {
    let started = Instant::now();
    let mut source = Mp4H264Source::open(file)?;
    let (w, h) = (source.info().width, source.info().height);
    let (hw, hh) = (w / 2, h / 3);
    let rois = [
        format!("client.head=0,0,{hw},{hh}"),
        format!("client.body=0,{hh},{hw},{}", h - hh),
        format!("therapist.head={hw},0,{},{hh}", w - hw),
        format!("therapist.body={hw},{hh},{},{}", w - hw, h - hh),
    ]
    .iter()
    .map(|r| Roi::parse(r))
    .collect::<Result<Vec<_>, _>>()?;
    let settings = MotionSettings {
        median5: true,
        ..MotionSettings::default()
    };
    let mut me = MotionEnergy::new(rois, settings, source.info())?;
    let mut rows = 0u64;
    let n = attune_video::pipeline::run::<anyhow::Error>(&mut source, &mut me, |_| {
        rows += 1;
        Ok(())
    })?;
    ensure!(rows + 1 == n, "one row per frame pair");
    Ok((n, started.elapsed().as_secs_f64()))
}

fn dyads(dir: &Path) -> Result<Vec<Dyad>> {
    let mut files = Vec::new();
    for group in ["dropout", "normal"] {
        let sub = dir.join(group);
        let listing =
            std::fs::read_dir(&sub).with_context(|| format!("listing {}", sub.display()))?;
        let mut found: Vec<PathBuf> = listing.filter_map(|e| e.ok().map(|e| e.path())).collect();
        found.sort();
        files.extend(found);
    }
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).with_context(|| f.display().to_string())?;
            parse_mea(&text, &[1], &[2], 25.0).with_context(|| f.display().to_string())
        })
        .collect()
}

/// Runs `f` over `items` on both cores.
fn on_both_cores<T: Sync>(items: &[T], f: impl Fn(&T) -> f64 + Sync) -> Vec<f64> {
    let half = items.len().div_ceil(2).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(half)
            .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub fn run(args: &BenchVideoArgs) -> Result<()> {
    if cfg!(debug_assertions) {
        eprintln!(
            "note: a debug build; the figures that count come from `cargo run --release -- bench video`"
        );
    }
    let scratch = std::env::temp_dir().join(format!("attune-bench-video-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let file = match &args.file {
        Some(f) => f.clone(),
        None => synthetic_mp4(&scratch, args.seconds)?,
    };
    // Best of two runs each, alternating, so that neither gets a warmer cache.
    let mut decode = (0, f64::INFINITY);
    let mut measured = (0, f64::INFINITY);
    for _ in 0..2 {
        let d = decode_only(&file)?;
        let m = decode_and_measure(&file)?;
        decode = if d.1 < decode.1 { d } else { decode };
        measured = if m.1 < measured.1 { m } else { measured };
    }
    let fps_decode = decode.0 as f64 / decode.1;
    let fps_measured = measured.0 as f64 / measured.1;
    println!("video: {} ({} frames)", file.display(), decode.0);
    println!("  decode only (built-in H.264)          {fps_decode:>8.1} frames/s");
    println!("  decode + motion energy (4 regions, 5x5 median) {fps_measured:>8.1} frames/s");
    println!(
        "  ratio {:.2} of decode-only (target >= 0.85)",
        fps_measured / fps_decode
    );

    let all = dyads(&args.dyads)?;
    if all.len() < 2 {
        bail!("{}: need at least two dyads", args.dyads.display());
    }
    let settings = Settings {
        smooth_sec: Some(0.5),
        ccf: CcfParams::default(),
    };
    let pairs = between_dyad_pairs(all.len(), false);
    // More surrogates than distinct re-pairings: drawn again, seeded.
    let mut rng = Seeded::new(1);
    let chosen: Vec<_> = (0..args.surrogates)
        .map(|i| {
            if i < pairs.len() {
                pairs[i]
            } else {
                pairs[rng.below(pairs.len())]
            }
        })
        .collect();
    let started = Instant::now();
    let real = on_both_cores(&all, |d| {
        analyse(d, &settings).map_or(f64::NAN, |a| a.summary.grand_average)
    });
    let pseudo: Vec<Dyad> = chosen
        .iter()
        .map(|p| recombine(&all, *p, settings.ccf.mode))
        .collect::<Result<_, _>>()?;
    let surrogate = on_both_cores(&pseudo, |d| {
        analyse(d, &settings).map_or(f64::NAN, |a| a.summary.grand_average)
    });
    let secs = started.elapsed().as_secs_f64();
    let analyses = real.len() + surrogate.len();
    println!(
        "synchrony: {} dyads + {} between-dyad surrogates ({} distinct re-pairings) in {secs:.2} s on both cores: {:.1} ms per dyad analysis",
        real.len(),
        surrogate.len(),
        pairs.len().min(args.surrogates),
        1000.0 * secs / analyses as f64
    );
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
