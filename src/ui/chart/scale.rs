//! The charts' geometry: where a day and a value land in the SVG, and round gridlines.
use super::{BOTTOM, HEIGHT, LEFT, RIGHT, SERIES, TOP, WIDTH};
use crate::api::types::DailyPoint;

/// Maps day indices and values to SVG coordinates. Values are counted in `unit`s (1 for
/// counts, 100 for cents drawn as whole dollars), so gridlines fall on round numbers.
#[derive(Clone, Copy)]
pub(super) struct Scale {
    days: usize,
    top_value: i64,
    unit: i64,
    height: f64,
}

impl Scale {
    /// The line chart's scale: its series' highest count.
    pub(super) fn new(points: &[DailyPoint]) -> Self {
        let highest = points.iter().flat_map(|p| SERIES.iter().map(move |s| (s.value)(p))).max().unwrap_or(0);
        Self::over(points.len(), highest, 1, HEIGHT)
    }

    /// `days` days up to `highest` (in the smallest unit), in a chart `height` high.
    pub(super) fn over(days: usize, highest: i64, unit: i64, height: f64) -> Self {
        let top = (highest.max(0) + unit - 1) / unit;
        Self { days, top_value: nice_ceiling(top), unit, height }
    }

    /// The centre of day `index`'s band (bars).
    pub(super) fn band(self, index: usize) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * (index as f64 + 0.5) / self.days.max(1) as f64
    }

    /// The width of one day's band.
    pub(super) fn band_width(self) -> f64 {
        (WIDTH - LEFT - RIGHT) / self.days.max(1) as f64
    }

    pub(super) fn bottom(self) -> f64 {
        self.height - BOTTOM
    }

    pub(super) fn x(self, index: usize) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        if self.days <= 1 {
            return LEFT + plot / 2.0;
        }
        LEFT + plot * index as f64 / (self.days - 1) as f64
    }

    pub(super) fn y(self, value: i64) -> f64 {
        let plot = self.height - TOP - BOTTOM;
        self.height - BOTTOM - plot * value.max(0) as f64 / (self.top_value * self.unit) as f64
    }

    /// Round gridline values (in the smallest unit) from 0 to the top, at most six.
    pub(super) fn ticks(self) -> Vec<i64> {
        let step = nice_steps().find(|step| self.top_value / step <= 5).unwrap_or(self.top_value);
        (0..=self.top_value).step_by(step as usize).map(|t| t * self.unit).collect()
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
        let ticks = Scale::over(3, 17, 1, HEIGHT).ticks();
        assert_eq!(ticks, vec![0, 5, 10, 15, 20]);
        assert_eq!(Scale::over(3, 0, 1, HEIGHT).ticks(), vec![0, 1]);
    }

    #[test]
    fn money_ticks_fall_on_whole_dollars() {
        // $123.45 at most → gridlines every $50 up to $200, given in cents.
        let scale = Scale::over(5, 12_345, 100, 160.0);
        assert_eq!(scale.ticks(), vec![0, 5_000, 10_000, 15_000, 20_000]);
        assert_eq!(scale.y(20_000), TOP);
        assert_eq!(scale.y(-500), scale.bottom());
    }
}
