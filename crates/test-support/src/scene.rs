//! A synthetic dyad: the left and right halves of a 128×64 frame each hold a
//! smoothly textured patch sliding back and forth at a speed that follows an
//! envelope (pixels per frame). Motion energy grows with speed, so each
//! person's series should track their envelope.

pub const WIDTH: usize = 128;
pub const HEIGHT: usize = 64;
pub const FPS: f64 = 25.0;
const PATCH_W: f64 = 24.0;
const PATCH_H: usize = 40;

/// A seeded xorshift for repeatable envelopes and noise.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A smooth, positive envelope: a few slow sinusoids (periods 2-9 s).
pub fn envelope(frames: usize, seed: u64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    let waves: Vec<(f64, f64, f64)> = (0..4)
        .map(|_| {
            (
                2.0 + 7.0 * r.unit(),
                std::f64::consts::TAU * r.unit(),
                0.5 + r.unit(),
            )
        })
        .collect();
    (0..frames)
        .map(|t| {
            let s = t as f64 / FPS;
            let v: f64 = waves
                .iter()
                .map(|(p, ph, a)| a * (std::f64::consts::TAU * s / p + ph).sin())
                .sum();
            (1.2 + 0.9 * v).clamp(0.0, 4.0)
        })
        .collect()
}

/// `m` delayed by `lag` frames, plus a little noise.
pub fn follower(m: &[f64], lag: usize, seed: u64) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..m.len())
        .map(|t| {
            let base = if t >= lag { m[t - lag] } else { m[0] };
            (base + 0.25 * (r.unit() - 0.5)).max(0.0)
        })
        .collect()
}

fn texture(x: f64, y: usize) -> f64 {
    128.0 + 90.0 * (std::f64::consts::TAU * x / 16.0).sin() * (0.6 + 0.4 * ((y as f64) / 7.0).cos())
}

/// Frames of the scene: speeds `m1` (left) and `m2` (right), in pixels per frame.
pub fn render(m1: &[f64], m2: &[f64]) -> Vec<Vec<u8>> {
    let half = (WIDTH / 2) as f64;
    let travel = half - PATCH_W - 8.0;
    let mut pos = [0.0f64; 2];
    let mut dir = [1.0f64; 2];
    let top = (HEIGHT - PATCH_H) / 2;
    m1.iter()
        .zip(m2)
        .map(|(a, b)| {
            for (k, speed) in [*a, *b].into_iter().enumerate() {
                pos[k] += dir[k] * speed;
                if pos[k] > travel {
                    pos[k] = 2.0 * travel - pos[k];
                    dir[k] = -1.0;
                } else if pos[k] < 0.0 {
                    pos[k] = -pos[k];
                    dir[k] = 1.0;
                }
            }
            let mut f = vec![60u8; WIDTH * HEIGHT];
            for (k, offset) in [4.0, half + 4.0].into_iter().enumerate() {
                let left = offset + pos[k];
                for y in top..top + PATCH_H {
                    for x in 0..WIDTH {
                        let u = x as f64 - left;
                        if (0.0..PATCH_W).contains(&u) {
                            f[y * WIDTH + x] = texture(u, y).round().clamp(0.0, 255.0) as u8;
                        }
                    }
                }
            }
            f
        })
        .collect()
}

/// A whole test video as Y4M bytes: `seconds` long, the left person leading
/// and the right one following `lag` frames later (`None`: moving on their
/// own). Used by the video, worker, web and CLI tests.
pub fn y4m(seconds: usize, lag: Option<usize>, seed: u64) -> Vec<u8> {
    let frames = seconds * FPS as usize;
    let leader = envelope(frames, seed);
    let other = match lag {
        Some(l) => follower(&leader, l, seed + 1),
        None => envelope(frames, seed + 92),
    };
    let mut out = Vec::new();
    attune_video::y4m::write_mono(&mut out, WIDTH, HEIGHT, FPS as u32, render(&leader, &other))
        .unwrap_or_else(|e| panic!("writing to memory cannot fail: {e}"));
    out
}
