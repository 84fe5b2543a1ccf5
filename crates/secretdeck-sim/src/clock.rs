//! The controllers' clock: simulated durations run `factor` times faster
//! than real time, so an hourly refresh or a rollout fits in a demo.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    pub factor: f64,
}

impl SimClock {
    pub fn new(factor: f64) -> Self {
        SimClock {
            factor: if factor.is_finite() && factor > 0.0 {
                factor
            } else {
                1.0
            },
        }
    }

    /// The real time to wait for `simulated` time to pass.
    pub fn real(&self, simulated: Duration) -> Duration {
        simulated.div_f64(self.factor)
    }
}

impl Default for SimClock {
    fn default() -> Self {
        SimClock::new(60.0)
    }
}
