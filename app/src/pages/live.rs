//! Live updates in the browser: one `EventSource` on `/api/live` per tab (opened by the
//! admin frame) turns the server's "something changed" events into counters that pages'
//! resources read, so they refetch when calls, appointments or health change.

use leptos::prelude::*;

/// Counters bumped by the server's events; a resource that reads one refetches when it moves.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    /// A call arrived or changed.
    pub calls: RwSignal<u32>,
    /// An appointment or a failed booking changed.
    pub appointments: RwSignal<u32>,
    /// A breaker or the webhook inbox's health changed.
    pub health: RwSignal<u32>,
}

impl Live {
    fn new() -> Self {
        Self {
            calls: RwSignal::new(0),
            appointments: RwSignal::new(0),
            health: RwSignal::new(0),
        }
    }

    /// Counts one change of `topic` (`all` after a reconnect, when changes may have been missed).
    /// Only the browser receives events.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn bump(&self, topic: &str) {
        let all = topic == "all";
        for (name, signal) in [
            ("calls", self.calls),
            ("appointments", self.appointments),
            ("health", self.health),
        ] {
            if all || topic == name {
                // A frame gone meanwhile has disposed its counters: nothing to do then.
                signal.try_update(|n| *n = n.wrapping_add(1));
            }
        }
    }
}

/// The frame's live counters (fresh ones outside the frame, which never move).
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(Live::new)
}

/// Provides the counters and, in the browser, connects them to the server's events.
pub fn provide_live() -> Live {
    let live = Live::new();
    provide_context(live);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::connect(live));
    live
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The `EventSource` itself (WASM only).
    use super::Live;
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// The tab's open source: a new frame (after signing in again) replaces it.
        static SOURCE: RefCell<Option<web_sys::EventSource>> = const { RefCell::new(None) };
    }

    /// Opens `/api/live` and bumps `live` on every `change`; a reconnect (the browser retries
    /// on its own after a dropped stream) bumps everything.
    pub fn connect(live: Live) {
        let Ok(source) = web_sys::EventSource::new("/api/live") else {
            return;
        };
        let on_change =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                live.bump(&e.data().as_string().unwrap_or_default());
            });
        let opened = Cell::new(false);
        let on_ready =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_e: web_sys::MessageEvent| {
                if opened.replace(true) {
                    live.bump("all");
                }
            });
        let _ =
            source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("ready", on_ready.as_ref().unchecked_ref());
        // The listeners live as long as the source, which lives as long as the tab.
        on_change.forget();
        on_ready.forget();
        SOURCE.with(|s| {
            if let Some(old) = s.replace(Some(source)) {
                old.close();
            }
        });
    }
}
