//! The session timeline as a picture: the ID/access token lifetime with the
//! next refresh, and the whole session up to its hard end with the idle
//! deadline and the warning points, each with a moving "now" marker and
//! local times. Two lanes with their own scales, because a token lives
//! minutes while a session can last days.

use leptos::prelude::*;

use crate::browser::SessionView;
use crate::browser::{clock_time, clock_time_seconds, clock_time_with_day};
use crate::session::Millis;

/// Every instant the timeline draws (local clock). The shell builds it from
/// the session; tests pass their own.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelinePoints {
    /// Now: the "you are here" mark.
    pub now: Millis,
    /// When the tokens in hand were issued.
    pub tokens_issued_at: Option<Millis>,
    /// When the tokens in hand expire.
    pub tokens_expire_at: Option<Millis>,
    /// When the next refresh is due.
    pub next_refresh_at: Option<Millis>,
    /// The original sign-in (the session's hard end minus its validity).
    pub session_start: Option<Millis>,
    /// The session's hard end.
    pub session_end: Option<Millis>,
    /// The idle sign-out, if nobody is active before it.
    pub idle_deadline: Option<Millis>,
    /// When warnings appear (idle warning, session-end warnings).
    pub warnings: Vec<Millis>,
    /// After the hard end under re-auth in place: sign in again before this.
    pub reauth_deadline: Option<Millis>,
}

impl TimelinePoints {
    /// The points of a session as the driver reports it at `now` (every
    /// instant is the session core's).
    pub fn from_view(view: &SessionView, now: Millis) -> Self {
        TimelinePoints {
            now,
            tokens_issued_at: view.tokens_issued_at,
            tokens_expire_at: view.tokens_expire_at,
            next_refresh_at: view.next_refresh_at,
            session_start: view.session_start,
            session_end: view.session_end,
            idle_deadline: view.idle_deadline,
            warnings: view.warning_times.clone(),
            reauth_deadline: view.reauth_deadline,
        }
    }
}

/// The picture is drawn for the side panel's width (about 22rem), so
/// its 11 px labels stay readable without scaling down.
/// Whole units of the 360-wide view box: a unit is finer than a pixel of
/// the panel, and integer coordinates keep float formatting out of the build.
const LEFT: i32 = 8;
const RIGHT: i32 = 352;
const BAR_HEIGHT: i32 = 14;

/// One lane's scale: instants in `[start, end]` onto `[LEFT, RIGHT]`.
#[derive(Clone, Copy)]
struct Scale {
    start: Millis,
    end: Millis,
}

impl Scale {
    fn x(self, at: Millis) -> i32 {
        let span = (self.end.0 - self.start.0).max(1);
        let offset = (at.0 - self.start.0).clamp(0, span);
        // At most RIGHT - LEFT, so the cast cannot truncate.
        LEFT + (i64::from(RIGHT - LEFT) * offset / span) as i32
    }

    fn contains(self, at: Millis) -> bool {
        at >= self.start && at <= self.end
    }

    /// Seconds matter when the whole lane is a few minutes long.
    fn label(self, at: Millis, now: Millis) -> String {
        if self.end.0 - self.start.0 <= 15 * 60_000 {
            clock_time_seconds(at)
        } else if self.end.0 - self.start.0 <= 20 * 3_600_000 {
            clock_time(at)
        } else {
            clock_time_with_day(at, now)
        }
    }
}

/// Text anchor keeping a label inside the picture near the edges.
fn anchor(x: i32) -> &'static str {
    if x < LEFT + 50 {
        "start"
    } else if x > RIGHT - 50 {
        "end"
    } else {
        "middle"
    }
}

/// A vertical marker with a label above the bar.
fn marker(kind: &'static str, x: i32, bar_y: i32, label: String) -> impl IntoView {
    view! {
        <g class=format!("marker marker-{kind}") data-marker=kind>
            <line x1=x x2=x y1=bar_y - 6 y2=bar_y + BAR_HEIGHT + 6></line>
            <text x=x y=bar_y - 10 text-anchor=anchor(x)>{label}</text>
        </g>
    }
}

/// The "now" line of a lane.
fn now_marker(kind: &'static str, x: i32, bar_y: i32) -> impl IntoView {
    view! {
        <g class="marker marker-now" data-marker=kind>
            <line x1=x x2=x y1=bar_y - 4 y2=bar_y + BAR_HEIGHT + 4></line>
            <circle cx=x cy=bar_y + BAR_HEIGHT / 2 r="4"></circle>
        </g>
    }
}

fn tokens_lane(points: &TimelinePoints, bar_y: i32) -> Option<impl IntoView + use<>> {
    let (start, end) = (points.tokens_issued_at?, points.tokens_expire_at?);
    let scale = Scale { start, end };
    let now_x = scale.x(points.now);
    let refresh = points
        .next_refresh_at
        .filter(|at| scale.contains(*at))
        .map(|at| {
            marker(
                "next-refresh",
                scale.x(at),
                bar_y,
                format!("refresh {}", scale.label(at, points.now)),
            )
        });
    let start_label = scale.label(start, points.now);
    let end_label = format!("expires {}", scale.label(end, points.now));
    Some(view! {
        <g class="lane lane-tokens">
            <text class="lane-title" x=LEFT y=bar_y - 26>"ID & access tokens"</text>
            <rect class="bar" x=LEFT y=bar_y width=RIGHT - LEFT height=BAR_HEIGHT rx="7"></rect>
            <rect class="bar-used" x=LEFT y=bar_y width=now_x - LEFT height=BAR_HEIGHT rx="7"></rect>
            {refresh}
            <g class="marker marker-token-expiry" data-marker="token-expiry">
                <line x1=RIGHT x2=RIGHT y1=bar_y - 6 y2=bar_y + BAR_HEIGHT + 6></line>
            </g>
            {now_marker("now-tokens", now_x, bar_y)}
            <text class="edge-label" x=LEFT y=bar_y + BAR_HEIGHT + 18 text-anchor="start">{start_label}</text>
            <text class="edge-label" x=RIGHT y=bar_y + BAR_HEIGHT + 18 text-anchor="end">{end_label}</text>
        </g>
    })
}

fn session_lane(points: &TimelinePoints, bar_y: i32) -> Option<impl IntoView + use<>> {
    let end = points.session_end?;
    let start = points.session_start.unwrap_or(points.now).min(points.now);
    let scale = Scale { start, end };
    let now = points.now;
    let now_x = scale.x(now);
    let warnings = points
        .warnings
        .iter()
        .filter(|at| scale.contains(**at))
        .map(|at| {
            let x = scale.x(*at);
            view! {
                <g class="marker marker-warning" data-marker="warning">
                    <polygon points=format!("{},{} {},{} {},{}", x - 5, bar_y - 8, x + 5, bar_y - 8, x, bar_y - 1)></polygon>
                </g>
            }
        })
        .collect_view();
    // The idle deadline can lie past the hard end (nothing to fear then).
    let idle = points.idle_deadline.filter(|at| *at <= end).map(|at| {
        marker(
            "idle-deadline",
            scale.x(at),
            bar_y,
            format!("idle sign-out {}", scale.label(at, now)),
        )
    });
    let reauth = points.reauth_deadline.map(|at| {
        marker(
            "reauth-deadline",
            RIGHT,
            bar_y,
            format!("sign in by {}", clock_time_seconds(at)),
        )
    });
    let start_label = format!("signed in {}", scale.label(start, now));
    let end_label = format!("ends {}", scale.label(end, now));
    Some(view! {
        <g class="lane lane-session">
            <text class="lane-title" x=LEFT y=bar_y - 26>"Session"</text>
            <rect class="bar" x=LEFT y=bar_y width=RIGHT - LEFT height=BAR_HEIGHT rx="7"></rect>
            <rect class="bar-used" x=LEFT y=bar_y width=now_x - LEFT height=BAR_HEIGHT rx="7"></rect>
            {warnings}
            {idle}
            <g class="marker marker-session-end" data-marker="session-end">
                <line x1=RIGHT x2=RIGHT y1=bar_y - 6 y2=bar_y + BAR_HEIGHT + 6></line>
            </g>
            {reauth}
            {now_marker("now-session", now_x, bar_y)}
            <text class="edge-label" x=LEFT y=bar_y + BAR_HEIGHT + 18 text-anchor="start">{start_label}</text>
            <text class="edge-label end-label" x=RIGHT y=bar_y + BAR_HEIGHT + 18 text-anchor="end">{end_label}</text>
        </g>
    })
}

/// The same facts as words, for a glance and for screen readers.
fn legend(points: &TimelinePoints) -> Vec<(&'static str, &'static str, String)> {
    let now = points.now;
    let at = |at: Millis| clock_time_with_day(at, now);
    let mut rows = Vec::new();
    if let Some(expiry) = points.tokens_expire_at {
        rows.push(("token-expiry", "ID & access tokens valid until", at(expiry)));
    }
    if let Some(refresh) = points.next_refresh_at {
        rows.push(("next-refresh", "Next refresh", at(refresh)));
    }
    if let Some(idle) = points.idle_deadline {
        rows.push(("idle-deadline", "Idle sign-out", at(idle)));
    }
    if let Some(warning) = points.warnings.iter().find(|w| **w > now) {
        rows.push(("warning", "Next warning", at(*warning)));
    }
    if let Some(end) = points.session_end {
        rows.push(("session-end", "Session ends", at(end)));
    }
    if let Some(reauth) = points.reauth_deadline {
        rows.push(("reauth-deadline", "Sign in again by", at(reauth)));
    }
    rows
}

/// The timeline (`.timeline`): an SVG picture plus a short legend.
#[component]
pub fn SessionTimeline(#[prop(into)] points: Signal<TimelinePoints>) -> impl IntoView {
    let picture = move || {
        let points = points.get();
        let tokens = tokens_lane(&points, 44);
        let session = session_lane(&points, 124);
        view! {
            <svg
                class="timeline-picture"
                viewBox="0 0 360 170"
                role="img"
                aria-label="Session timeline"
                aria-describedby="timeline-legend"
                preserveAspectRatio="xMidYMid meet"
            >
                {tokens}
                {session}
            </svg>
        }
    };
    let rows = move || {
        legend(&points.get())
            .into_iter()
            .map(|(key, name, time)| view! {
                <li data-legend=key><span class="legend-swatch" aria-hidden="true"></span>{name} " " <strong>{time}</strong></li>
            })
            .collect_view()
    };
    view! {
        <figure class="timeline">
            {picture}
            <ul class="timeline-legend" id="timeline-legend">{rows}</ul>
        </figure>
    }
}
