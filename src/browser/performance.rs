//! A performance mark the benchmarks and end-to-end tests read to know the
//! app is interactive.

/// Name of the mark set once the first interactive view is on screen.
pub const READY_MARK: &str = "session-guard-ready";

/// Marks the moment the app became interactive (idempotent enough: the
/// benchmark reads the first entry).
pub fn mark_ready() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A browser without User Timing only loses the measurement.
        let _ = performance.mark(READY_MARK);
    }
}
