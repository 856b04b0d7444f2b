//! The chart's geometry: where a day and a count land in the SVG, and round gridlines.
use super::{BOTTOM, HEIGHT, LEFT, RIGHT, SERIES, TOP, WIDTH};
use crate::api::types::DailyPoint;

/// Maps day indices and counts to SVG coordinates.
#[derive(Clone, Copy)]
pub(super) struct Scale {
    days: usize,
    top_value: i64,
}

impl Scale {
    pub(super) fn new(points: &[DailyPoint]) -> Self {
        let highest = points.iter().flat_map(|p| SERIES.iter().map(move |s| (s.value)(p))).max().unwrap_or(0);
        Self { days: points.len(), top_value: nice_ceiling(highest) }
    }

    pub(super) fn x(self, index: usize) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        if self.days <= 1 {
            return LEFT + plot / 2.0;
        }
        LEFT + plot * index as f64 / (self.days - 1) as f64
    }

    pub(super) fn y(self, value: i64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        HEIGHT - BOTTOM - plot * value.max(0) as f64 / self.top_value as f64
    }

    /// Round gridline values from 0 to the top, at most six of them.
    pub(super) fn ticks(self) -> Vec<i64> {
        let step = nice_steps().find(|step| self.top_value / step <= 5).unwrap_or(self.top_value);
        (0..=self.top_value).step_by(step as usize).collect()
    }
}

/// 1, 2, 5, 10, 20, 50, …
fn nice_steps() -> impl Iterator<Item = i64> {
    (0..18u32).flat_map(|power| [1, 2, 5].map(|m| m * 10i64.pow(power)))
}

/// The smallest 1/2/5 × 10ⁿ at or above `value` (at least 1, so empty days still draw).
fn nice_ceiling(value: i64) -> i64 {
    nice_steps().find(|&n| n >= value).unwrap_or(value.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_rounds_up_to_a_round_number() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(17), 20);
        assert_eq!(nice_ceiling(50), 50);
    }

    #[test]
    fn ticks_are_few_and_reach_the_top() {
        let ticks = Scale { days: 3, top_value: 20 }.ticks();
        assert_eq!(ticks, vec![0, 5, 10, 15, 20]);
        assert_eq!(Scale { days: 3, top_value: 1 }.ticks(), vec![0, 1]);
    }
}
