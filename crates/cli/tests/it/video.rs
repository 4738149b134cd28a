//! `attune video motion` on the real binary: MEA text and CSV out, clear
//! errors for bad regions and broken files.

use crate::{attune_in, data_dir};

fn two_frames(dir: &std::path::Path) -> std::path::PathBuf {
    // 4x2, left half changes by 50 in two pixels, right half by 5 (below 12).
    let a = vec![100u8; 8];
    let mut b = a.clone();
    b[0] = 150;
    b[4] = 150;
    b[3] = 105;
    let mut bytes = Vec::new();
    attune_video::y4m::write_mono(&mut bytes, 4, 2, 25, vec![a, b]).unwrap();
    let path = dir.join("two.y4m");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn motion_energy_as_mea_text_and_csv() {
    let dir = data_dir();
    let file = two_frames(&dir);
    let f = file.to_str().unwrap();
    let out = attune_in(
        &dir,
        &[
            "video",
            "motion",
            f,
            "--roi",
            "client=0,0,2,2",
            "--roi",
            "therapist=2,0,2,2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\t0\n");
    let out = attune_in(
        &dir,
        &[
            "video",
            "motion",
            f,
            "--roi",
            "client=0,0,2,2",
            "--percent",
            "--csv",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "time_s,client\n0.0400,50\n"
    );
    let target = dir.join("me.txt");
    let out = attune_in(
        &dir,
        &[
            "video",
            "motion",
            f,
            "--roi",
            "a=0,0,4,2",
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "2\n");
    let again = attune_in(
        &dir,
        &[
            "video",
            "motion",
            f,
            "--roi",
            "a=0,0,4,2",
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2), "never overwritten");
}

#[test]
fn bad_regions_and_broken_files_say_what_and_where() {
    let dir = data_dir();
    let file = two_frames(&dir);
    let f = file.to_str().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["--roi", "client=3,0,2,2"], "outside the 4x2 frame"),
        (&["--roi", "client=0,0,2"], "x,y,w,h"),
        (
            &["--roi", "a=0,0,1,1", "--roi", "a=1,0,1,1"],
            "two regions have this name",
        ),
    ];
    for (extra, says) in cases {
        let mut args = vec!["video", "motion", f];
        args.extend_from_slice(extra);
        let out = attune_in(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{extra:?}: {err}");
    }
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.truncate(bytes.len() - 3);
    let cut = dir.join("cut.y4m");
    std::fs::write(&cut, bytes).unwrap();
    let out = attune_in(
        &dir,
        &[
            "video",
            "motion",
            cut.to_str().unwrap(),
            "--roi",
            "a=0,0,1,1",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cut.y4m: frame 1") && err.contains("truncated"),
        "{err}"
    );
    let out = attune_in(
        &dir,
        &[
            "video",
            "motion",
            "/nonexistent/session.mp4",
            "--roi",
            "a=0,0,1,1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("session.mp4"));
}

#[test]
fn an_mp4_gives_the_same_rows_from_the_builtin_decoder_and_ffmpeg() {
    if !attune_video::ffmpeg::available() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "ffmpeg is required under CI"
        );
        return;
    }
    let dir = data_dir();
    // 32x16, 30 frames: a bright square moving right across the left half.
    let frames: Vec<Vec<u8>> = (0..30)
        .map(|t| {
            let mut f = vec![40u8; 32 * 16];
            for y in 4..12 {
                for x in 0..6 {
                    f[y * 32 + (t / 3 + x) % 16] = 220;
                }
            }
            f
        })
        .collect();
    let mut bytes = Vec::new();
    attune_video::y4m::write_mono(&mut bytes, 32, 16, 25, frames).unwrap();
    let raw = dir.join("square.y4m");
    std::fs::write(&raw, bytes).unwrap();
    let mp4 = dir.join("square.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-i",
            raw.to_str().unwrap(),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-bf",
            "2",
        ])
        .arg(&mp4)
        .status()
        .unwrap();
    assert!(status.success());
    let run = |decoder: &str| {
        let out = attune_in(
            &dir,
            &[
                "video",
                "motion",
                mp4.to_str().unwrap(),
                "--roi",
                "left=0,0,16,16",
                "--roi",
                "right=16,0,16,16",
                "--decoder",
                decoder,
            ],
        );
        assert!(
            out.status.success(),
            "{decoder}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let builtin = run("builtin");
    assert_eq!(builtin.lines().count(), 29);
    assert_eq!(builtin, run("ffmpeg"));
    assert_eq!(builtin, run("auto"));
    assert!(
        builtin.lines().any(|l| !l.starts_with("0\t")),
        "the square moves: {builtin}"
    );
}

#[test]
fn a_threshold_estimated_from_the_background() {
    let dir = data_dir();
    let file = two_frames(&dir);
    // Right half changes by 0,0,0,5: the 99 % quantile of four differences is 5.
    let out = attune_in(
        &dir,
        &[
            "video",
            "threshold",
            file.to_str().unwrap(),
            "--background",
            "bg=2,0,2,2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "5\n");
}
