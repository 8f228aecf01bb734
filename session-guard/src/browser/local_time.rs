//! Instants and durations in words and numbers for people: local clock
//! times ("14:05", "09:00 tomorrow") and countdowns ("1:05"). Pure
//! formatting; the instants themselves come from the session driver.

use std::time::Duration;

use wasm_bindgen::JsValue;

use crate::session::Millis;

const DAY_MS: i64 = 86_400_000;

/// The local calendar day number of an instant (days since the epoch in the
/// browser's time zone), so "today" and "tomorrow" follow the user's clock.
fn local_day(at: Millis) -> i64 {
    let date = js_sys::Date::new(&JsValue::from_f64(at.0 as f64));
    let offset_ms = (date.get_timezone_offset() * 60_000.0) as i64;
    (at.0 - offset_ms).div_euclid(DAY_MS)
}

/// "14:05" in the browser's time zone.
pub fn clock_time(at: Millis) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.0 as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// "14:05:30": for instants a few seconds apart (short test tokens).
pub fn clock_time_seconds(at: Millis) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.0 as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// "14:05", "09:00 tomorrow", "yesterday 23:10" or "Mon 12 May, 09:00"
/// relative to `now`, always in local time.
pub fn clock_time_with_day(at: Millis, now: Millis) -> String {
    let time = clock_time(at);
    match local_day(at) - local_day(now) {
        0 => time,
        1 => format!("{time} tomorrow"),
        -1 => format!("yesterday {time}"),
        _ => {
            let date = js_sys::Date::new(&JsValue::from_f64(at.0 as f64));
            let weekday =
                ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.get_day() as usize % 7];
            let month = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][date.get_month() as usize % 12];
            format!("{weekday} {} {month}, {time}", date.get_date())
        }
    }
}

/// "4:07" (minutes:seconds) or "1:02:07" past an hour; rounds up so the
/// countdown reads "0:00" only when the deadline has passed.
pub fn countdown(remaining: Duration) -> String {
    let secs = remaining.as_millis().div_ceil(1000) as u64;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// "in 3 h 12 min", "in 45 s": a coarse distance for status text.
pub fn distance(remaining: Duration) -> String {
    let secs = remaining.as_secs();
    let (d, h, m) = (secs / 86_400, (secs / 3600) % 24, (secs / 60) % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{secs} s")
    }
}

/// The browser's wall clock now.
pub fn wall_clock_now() -> Millis {
    Millis(js_sys::Date::now() as i64)
}

/// An RFC 3339 timestamp (as the notes API sends) as an instant.
pub fn parse_instant(text: &str) -> Option<Millis> {
    let parsed = js_sys::Date::parse(text);
    (!parsed.is_nan()).then_some(Millis(parsed as i64))
}
