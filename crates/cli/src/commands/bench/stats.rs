//! Throughput and latency percentiles of one benchmark run.

use std::time::Duration;

pub struct Run {
    pub requests: usize,
    pub wall: Duration,
    /// Every request's latency, sorted.
    pub latencies: Vec<Duration>,
}

impl Run {
    pub fn new(wall: Duration, mut latencies: Vec<Duration>) -> Run {
        latencies.sort();
        Run {
            requests: latencies.len(),
            wall,
            latencies,
        }
    }

    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64().max(f64::EPSILON)
    }

    /// The nearest-rank percentile (p in 0..=100).
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms = |v: u64| Duration::from_millis(v);
        let run = Run::new(Duration::from_secs(2), (1..=100).rev().map(ms).collect());
        assert_eq!(run.percentile(50.0), ms(50));
        assert_eq!(run.percentile(99.0), ms(99));
        assert_eq!(run.percentile(100.0), ms(100));
        assert_eq!(run.throughput(), 50.0);
    }
}
