//! "Wake me when the session changes, or after a while": how API calls wait
//! for a refresh under way without polling.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::resources::OwnedTimeout;

#[derive(Default)]
pub struct Waiters {
    wakers: RefCell<Vec<Rc<RefCell<WaitState>>>>,
}

#[derive(Default)]
struct WaitState {
    done: bool,
    waker: Option<Waker>,
}

impl Waiters {
    /// Resolves at the next [`Waiters::wake_all`], or after `limit`.
    pub fn changed_or_after(&self, limit: Duration) -> impl Future<Output = ()> + use<> {
        let state = Rc::new(RefCell::new(WaitState::default()));
        self.wakers.borrow_mut().push(state.clone());
        let timed = state.clone();
        let timeout =
            OwnedTimeout::new(limit.as_millis().min(u32::MAX as u128) as u32, move || {
                finish(&timed)
            });
        Wait {
            state,
            _timeout: timeout,
        }
    }

    pub fn wake_all(&self) {
        let waiting: Vec<_> = self.wakers.borrow_mut().drain(..).collect();
        for state in waiting {
            finish(&state);
        }
    }
}

fn finish(state: &Rc<RefCell<WaitState>>) {
    let waker = {
        let mut state = state.borrow_mut();
        state.done = true;
        state.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

struct Wait {
    state: Rc<RefCell<WaitState>>,
    _timeout: OwnedTimeout,
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        if state.done {
            Poll::Ready(())
        } else {
            state.waker = Some(context.waker().clone());
            Poll::Pending
        }
    }
}
