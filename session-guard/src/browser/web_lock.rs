//! One refresh for all tabs: the refresh runs under a Web Lock
//! (`navigator.locks`), so a second tab waits, then re-reads storage and finds
//! the tokens already renewed.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// Runs `task` while holding the lock `name` in every tab of this origin.
/// Without Web Locks (old browsers), or if the lock request fails, the task
/// just runs; re-reading storage first still avoids most duplicate refreshes.
pub async fn with_lock<T: 'static>(name: &str, task: impl AsyncFnOnce() -> T + 'static) -> T {
    let task = Rc::new(RefCell::new(Some(task)));
    if let Some(locks) = lock_manager() {
        let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
        let (slot, pending) = (result.clone(), task.clone());
        let callback = Closure::once(move |_lock: JsValue| -> js_sys::Promise {
            future_to_promise(async move {
                let next = pending.borrow_mut().take();
                if let Some(task) = next {
                    let value = task().await;
                    *slot.borrow_mut() = Some(value);
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        // The lock is released when the callback's promise settles.
        let _ = JsFuture::from(locks.request(name, callback.as_ref().unchecked_ref())).await;
        drop(callback);
        let value = result.borrow_mut().take();
        if let Some(value) = value {
            return value;
        }
    }
    let unguarded = task.borrow_mut().take();
    match unguarded {
        Some(task) => task().await,
        // The callback took the task and did not finish: only a trap gets here.
        None => unreachable!("a lock task that started always stores its result"),
    }
}

fn lock_manager() -> Option<web_sys::LockManager> {
    let navigator = web_sys::window()?.navigator();
    let has_locks = js_sys::Reflect::get(&navigator, &"locks".into())
        .ok()
        .is_some_and(|locks| !locks.is_undefined());
    has_locks.then(|| navigator.locks())
}
