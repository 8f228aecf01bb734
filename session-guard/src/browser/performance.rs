//! Performance marks the benchmark and the end-to-end tests read: when the
//! app became interactive, and how late the idle warning and sign-out came
//! after their deadlines.

/// Name of the mark set each time an interactive screen (the sign-in form,
/// or the signed-in app with its editor) is on screen; the benchmark reads
/// the last one.
#[cfg(feature = "components")]
pub const READY_MARK: &str = "session-guard-ready";

/// Marks the moment the app became interactive. Called from one place, the
/// app root, when it has put such a screen in the document.
#[cfg(feature = "components")]
pub fn mark_ready() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A browser without User Timing only loses the measurement.
        let _ = performance.mark(READY_MARK);
    }
}

/// Mark set when the idle warning is shown.
pub const IDLE_WARNING_MARK: &str = "session-guard-idle-warning";
/// Mark set when the idle sign-out happens.
pub const IDLE_SIGN_OUT_MARK: &str = "session-guard-idle-sign-out";

/// Marks that something due at `due` happened at `at` (both on the driver's
/// clock, epoch milliseconds), as the mark's `detail`: `{due, at}`.
pub fn mark_deadline(name: &str, due: i64, at: i64) {
    let Some(performance) = web_sys::window().and_then(|window| window.performance()) else {
        return;
    };
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"due".into(), &(due as f64).into());
    let _ = js_sys::Reflect::set(&detail, &"at".into(), &(at as f64).into());
    let options = web_sys::PerformanceMarkOptions::new();
    options.set_detail(&detail);
    let _ = performance.mark_with_mark_options(name, &options);
}
