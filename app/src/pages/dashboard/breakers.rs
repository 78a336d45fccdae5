//! The breakers' panel: each breaker's state as last recorded per instance, and the recent
//! changes (when one opened, why, when it closed).

use super::panels::History;
use super::text;
use leptos::prelude::*;

fn badge(state: &str) -> &'static str {
    match state {
        "open" => "rounded bg-rose-100 px-2 py-0.5 text-rose-800",
        "half_open" => "rounded bg-amber-100 px-2 py-0.5 text-amber-800",
        _ => "rounded bg-emerald-100 px-2 py-0.5 text-emerald-800",
    }
}

/// States and changes.
#[component]
pub fn Breakers(h: History) -> impl IntoView {
    let th = "px-3 py-2 text-left font-medium";
    let current = if h.current.is_empty() {
        view! { <p class="text-sm text-slate-500">{text::breakers_quiet()}</p> }.into_any()
    } else {
        let rows = h
            .current
            .into_iter()
            .map(|b| {
                view! {
                    <tr class="border-t border-slate-100">
                        <td class="px-3 py-2">{b.circuit}<span class="block text-xs text-slate-400">{b.instance}</span></td>
                        <td class="px-3 py-2"><span class=badge(&b.state)>{text::state(&b.state)}</span></td>
                        <td class="px-3 py-2">{b.since_local}</td>
                        <td class="px-3 py-2">{b.reason.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="w-full text-sm">
                <thead class="text-slate-500"><tr>{text::breaker_columns().map(|c| view! { <th class=th scope="col">{c}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let changes = if h.transitions.is_empty() {
        view! { <p class="text-sm text-slate-500">{text::no_changes()}</p> }.into_any()
    } else {
        let rows = h
            .transitions
            .into_iter()
            .map(|t| {
                view! {
                    <tr class="border-t border-slate-100">
                        <td class="px-3 py-2 whitespace-nowrap">{t.at_local}</td>
                        <td class="px-3 py-2">{t.circuit}</td>
                        <td class="px-3 py-2">{format!("{} → {}", text::state(&t.from), text::state(&t.to))}</td>
                        <td class="px-3 py-2">{t.reason.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="w-full text-sm">
                <thead class="text-slate-500"><tr>{text::change_columns().map(|c| view! { <th class=th scope="col">{c}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="mt-4 rounded-xl bg-white p-5 shadow-sm" data-testid="breakers">
            <h2 class="mb-2 font-medium">{text::breakers_title()}</h2>
            {current}
            <h3 class="mb-2 mt-4 text-sm font-medium text-slate-600">{text::recent_changes()}</h3>
            {changes}
        </section>
    }
}
