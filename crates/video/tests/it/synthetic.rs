//! Ground truth: motion energy follows the envelopes, the best lag is the
//! planted delay (person 1 leads), and synchrony stands above between-dyad
//! surrogates only when the movement is coupled.

use std::path::{Path, PathBuf};
use std::process::Command;

use attune_synchrony::surrogates::{Member, between_dyad_pairs, cohens_d, recombine};
use attune_synchrony::{CcfParams, Dyad, Settings, analyse};
use attune_video::ffmpeg::{self, FfmpegSource};
use attune_video::motion::{MotionEnergy, MotionSettings};
use attune_video::y4m::{self, Y4mSource};
use attune_video::{FrameSource, Roi};

use attune_test_support::scene::{self, FPS, HEIGHT, WIDTH};

const SECONDS: usize = 90;
const LAG: usize = 25; // one second

fn rois() -> Vec<Roi> {
    vec![
        Roi::parse(&format!("client=0,0,{},{HEIGHT}", WIDTH / 2)).unwrap(),
        Roi::parse(&format!("therapist={},0,{},{HEIGHT}", WIDTH / 2, WIDTH / 2)).unwrap(),
    ]
}

/// Motion energy of every frame pair from any source: (client, therapist).
fn measure(source: &mut dyn FrameSource) -> (Vec<f64>, Vec<f64>) {
    let mut me = MotionEnergy::new(rois(), MotionSettings::default(), source.info()).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    while let Some(f) = source.next_frame().unwrap() {
        if let Some(v) = me.push(f).unwrap() {
            a.push(v[0]);
            b.push(v[1]);
        }
    }
    (a, b)
}

fn y4m_bytes(frames: Vec<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    y4m::write_mono(&mut out, WIDTH, HEIGHT, FPS as u32, frames).unwrap();
    out
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

fn settings() -> Settings {
    Settings {
        smooth_sec: Some(0.5),
        ccf: CcfParams {
            lag_sec: 3.0,
            window_sec: 20.0,
            step_sec: 10.0,
            ..CcfParams::default()
        },
    }
}

struct Dyadic {
    m1: Vec<f64>,
    m2: Vec<f64>,
    frames: Vec<Vec<u8>>,
}

fn make(seed: u64, coupled: bool) -> Dyadic {
    let n = SECONDS * FPS as usize;
    let m1 = scene::envelope(n, seed);
    let m2 = if coupled {
        scene::follower(&m1, LAG, seed + 1000)
    } else {
        scene::envelope(n, seed + 5000)
    };
    let frames = scene::render(&m1, &m2);
    Dyadic { m1, m2, frames }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| !x.is_nan());
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn motion_energy_tracks_the_envelopes_and_finds_the_planted_lag() {
    let d = make(1, true);
    let bytes = y4m_bytes(d.frames);
    let mut source = Y4mSource::new(&bytes[..], "synthetic.y4m").unwrap();
    let (a, b) = measure(&mut source);
    assert_eq!(
        a.len(),
        SECONDS * FPS as usize - 1,
        "one value per frame pair"
    );
    // Row t is the change into frame t + 1, which moved by m[t + 1].
    let r1 = pearson(&a, &d.m1[1..]);
    let r2 = pearson(&b, &d.m2[1..]);
    eprintln!("tracking: r1 = {r1:.3}, r2 = {r2:.3}");
    assert!(r1 > 0.8 && r2 > 0.8, "tracking: r1 = {r1:.3}, r2 = {r2:.3}");
    let analysis = analyse(&Dyad::new(a, b, FPS).unwrap(), &settings()).unwrap();
    let lag = median(analysis.summary.best_lag.clone());
    eprintln!("best lag (median over windows): {lag} s");
    assert!(
        (lag - 1.0).abs() <= 0.2,
        "best lag {lag} s, planted +1 s (client leads)"
    );
}

#[test]
fn coupled_dyads_stand_above_their_surrogates_and_independent_ones_do_not() {
    for coupled in [true, false] {
        let dyads: Vec<Dyad> = (0..5)
            .map(|i| {
                let d = make(10 + i, coupled);
                let bytes = y4m_bytes(d.frames);
                let (a, b) = measure(&mut Y4mSource::new(&bytes[..], "synthetic.y4m").unwrap());
                Dyad::new(a, b, FPS).unwrap()
            })
            .collect();
        let grand = |d: &Dyad| analyse(d, &settings()).unwrap().summary.grand_average;
        let real: Vec<f64> = dyads.iter().map(grand).collect();
        let surrogate: Vec<f64> = between_dyad_pairs(dyads.len(), true)
            .into_iter()
            .map(|p: (Member, Member)| {
                grand(&recombine(&dyads, p, attune_synchrony::Mode::Fixed).unwrap())
            })
            .collect();
        let d = cohens_d(&real, &surrogate);
        eprintln!(
            "coupled: {coupled}; d = {d:.2} against {} surrogates",
            surrogate.len()
        );
        if coupled {
            assert!(d > 2.0, "coupled: d = {d:.2}");
        } else {
            assert!(d.abs() < 1.5, "independent: d = {d:.2}");
        }
    }
}

fn ffmpeg_or_skip() -> bool {
    if ffmpeg::available() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "ffmpeg is required under CI"
    );
    eprintln!("skipping: ffmpeg is not installed");
    false
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("attune-video-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn encode(input: &Path, output: &Path, b_frames: bool) {
    let profile: &[&str] = if b_frames {
        &["-profile:v", "high", "-bf", "2"]
    } else {
        &["-profile:v", "baseline", "-bf", "0"]
    };
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(input)
        .args(["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18"])
        .args(profile)
        .arg(output)
        .status()
        .unwrap();
    assert!(status.success(), "encoding {}", output.display());
}

#[test]
fn h264_decoded_through_ffmpeg_gives_the_same_findings() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = make(1, true);
    let raw = temp("dyad.y4m");
    std::fs::write(&raw, y4m_bytes(d.frames.clone())).unwrap();
    let (ra, rb) = measure(
        &mut Y4mSource::new(
            std::io::BufReader::new(std::fs::File::open(&raw).unwrap()),
            "dyad.y4m",
        )
        .unwrap(),
    );
    // ffmpeg reading the raw file gives exactly the raw motion energy.
    let (fa, fb) = measure(&mut FfmpegSource::open(&raw).unwrap());
    assert_eq!((fa.clone(), fb.clone()), (ra.clone(), rb.clone()));
    for b_frames in [false, true] {
        let mp4 = temp(if b_frames {
            "dyad-bframes.mp4"
        } else {
            "dyad-baseline.mp4"
        });
        encode(&raw, &mp4, b_frames);
        let (a, b) = measure(&mut FfmpegSource::open(&mp4).unwrap());
        assert_eq!(
            a.len(),
            ra.len(),
            "every frame, in display order (B-frames: {b_frames})"
        );
        let (ca, cb) = (pearson(&a, &ra), pearson(&b, &rb));
        eprintln!("H.264 (B-frames: {b_frames}) vs raw: r = {ca:.4}, {cb:.4}");
        assert!(
            ca > 0.95 && cb > 0.95,
            "H.264 vs raw: {ca:.3}, {cb:.3} (B-frames: {b_frames})"
        );
        let lag = median(
            analyse(&Dyad::new(a, b, FPS).unwrap(), &settings())
                .unwrap()
                .summary
                .best_lag,
        );
        assert!(
            (lag - 1.0).abs() <= 0.2,
            "best lag {lag} (B-frames: {b_frames})"
        );
    }
}

#[test]
fn broken_files_give_errors_that_name_them() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = make(2, true);
    let raw = temp("short.y4m");
    std::fs::write(&raw, y4m_bytes(d.frames[..50].to_vec())).unwrap();
    let mp4 = temp("short.mp4");
    encode(&raw, &mp4, false);
    let bytes = std::fs::read(&mp4).unwrap();
    let truncated = temp("truncated.mp4");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let result = FfmpegSource::open(&truncated).and_then(|mut s| {
        while s.next_frame()?.is_some() {}
        Ok(())
    });
    let e = result.expect_err("a truncated MP4 is an error").to_string();
    assert!(e.contains("truncated.mp4"), "{e}");
    // The in-process decoder too, with the moov box at the front (faststart)
    // and at the end: an error naming the file, never a panic.
    let fast = temp("fast.mp4");
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(&mp4)
        .args(["-c", "copy", "-movflags", "+faststart"])
        .arg(&fast)
        .status()
        .unwrap();
    assert!(status.success());
    for source in [&bytes, &std::fs::read(&fast).unwrap()] {
        for cut in [source.len() / 3, source.len() - 100, 40] {
            let broken = temp("broken.mp4");
            std::fs::write(&broken, &source[..cut]).unwrap();
            let result = attune_video::h264::Mp4H264Source::open(&broken).and_then(|mut s| {
                while s.next_frame()?.is_some() {}
                Ok(())
            });
            let e = result.expect_err("a cut MP4 is an error").to_string();
            assert!(e.contains("broken.mp4"), "{e}");
        }
    }
    let e = FfmpegSource::open(&temp("absent.mp4"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("absent.mp4") && e.contains("no such file"),
        "{e}"
    );
}

#[test]
fn the_in_process_decoder_and_ffmpeg_give_the_same_motion_energy() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = make(3, true);
    let raw = temp("same.y4m");
    std::fs::write(&raw, y4m_bytes(d.frames[..300].to_vec())).unwrap();
    for b_frames in [false, true] {
        let mp4 = temp(if b_frames {
            "same-bframes.mp4"
        } else {
            "same-baseline.mp4"
        });
        encode(&raw, &mp4, b_frames);
        let inproc = measure(&mut attune_video::h264::Mp4H264Source::open(&mp4).unwrap());
        let piped = measure(&mut FfmpegSource::open(&mp4).unwrap());
        assert_eq!(inproc.0.len(), 299, "every frame (B-frames: {b_frames})");
        let differ = inproc
            .0
            .iter()
            .zip(&piped.0)
            .chain(inproc.1.iter().zip(&piped.1))
            .filter(|(a, b)| a != b)
            .count();
        eprintln!(
            "B-frames {b_frames}: {differ} of {} values differ",
            2 * inproc.0.len()
        );
        assert_eq!(inproc, piped, "in-process vs ffmpeg (B-frames: {b_frames})");
    }
}

#[test]
fn damaged_mp4_files_never_panic_the_decoder() {
    if !ffmpeg_or_skip() {
        return;
    }
    let d = make(4, true);
    let raw = temp("damage.y4m");
    std::fs::write(&raw, y4m_bytes(d.frames[..40].to_vec())).unwrap();
    let mp4 = temp("damage-src.mp4");
    encode(&raw, &mp4, true);
    let good = std::fs::read(&mp4).unwrap();
    let mut rng = scene::Rng::new(99);
    for i in 0..60 {
        let mut bytes = good.clone();
        if i % 2 == 0 {
            bytes.truncate((rng.unit() * good.len() as f64) as usize);
        } else {
            for _ in 0..8 {
                let at = (rng.unit() * bytes.len() as f64) as usize % bytes.len();
                bytes[at] ^= 1 << (i % 8);
            }
        }
        let path = temp(&format!("damaged-{i}.mp4"));
        std::fs::write(&path, &bytes).unwrap();
        // An error or frames; never a panic (the test would fail on one).
        if let Ok(mut s) = attune_video::h264::Mp4H264Source::open(&path) {
            while let Ok(Some(_)) = s.next_frame() {}
        }
    }
}
