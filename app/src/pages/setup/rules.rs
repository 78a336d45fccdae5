//! The booking rules section: slot step, notice, horizon, the gap between appointments and
//! how long a phone hold lives.

use super::{error_of, number, ResultNote, SetupResource};
use super::{CARD, INPUT, PRIMARY};
use crate::api::update_rules;
use crate::contract::{BookingRulesInfo, SetupState};
use crate::i18n::*;
use crate::pages::FieldNote;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A label read from the catalogue in the current language.
type Label = fn(I18nContext<Locale>) -> &'static str;

/// The section.
#[component]
pub fn Rules(s: SetupState, state: SetupResource) -> impl IntoView {
    let r = s.rules;
    let i18n = use_i18n();
    let fields: [(&'static str, Label, RwSignal<String>); 7] = [
        (
            "step_min",
            |i| t_string!(i, setup.rules_step),
            RwSignal::new(r.step_min.to_string()),
        ),
        (
            "notice_book_min",
            |i| t_string!(i, setup.rules_notice_book),
            RwSignal::new(r.notice_book_min.to_string()),
        ),
        (
            "notice_change_min",
            |i| t_string!(i, setup.rules_notice_change),
            RwSignal::new(r.notice_change_min.to_string()),
        ),
        (
            "notice_cancel_min",
            |i| t_string!(i, setup.rules_notice_cancel),
            RwSignal::new(r.notice_cancel_min.to_string()),
        ),
        (
            "horizon_days",
            |i| t_string!(i, setup.rules_horizon),
            RwSignal::new(r.horizon_days.to_string()),
        ),
        (
            "buffer_min",
            |i| t_string!(i, setup.rules_buffer),
            RwSignal::new(r.buffer_min.to_string()),
        ),
        (
            "hold_min",
            |i| t_string!(i, setup.rules_hold),
            RwSignal::new(r.hold_min.to_string()),
        ),
    ];
    let save = Action::new(|r: &BookingRulesInfo| update_rules(*r));
    let hydrated = crate::pages::use_hydrated();
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get().filter(super::done) {
            super::applied("rules", r, state);
        }
    });
    let submit = move |_| {
        let v = |i: usize| number(&fields[i].2.get_untracked());
        save.dispatch(BookingRulesInfo {
            step_min: v(0),
            notice_book_min: v(1),
            notice_change_min: v(2),
            notice_cancel_min: v(3),
            horizon_days: v(4),
            buffer_min: v(5),
            hold_min: v(6),
        });
    };
    let error = error_of(save);
    let inputs = fields.iter().map(|&(field, label, value)| view! {
        <label class="text-sm">{move || label(i18n)}<input class=INPUT inputmode="numeric" bind:value=value/><FieldNote error field=field/></label>
    }).collect_view();
    view! {
        <section class=CARD data-testid="setup-rules">
            <h2 class="mb-2 font-semibold">{t!(i18n, setup.booking_rules)}</h2>
            <div class="grid gap-3 md:grid-cols-4">{inputs}</div>
            <button type="button" class=format!("mt-3 {PRIMARY}") disabled=move || save.pending().get() || !hydrated.get() on:click=submit>{t!(i18n, setup.save_rules)}</button>
            <super::FlashNote section="rules"/>
            <ResultNote answer=save.value() fields=&["step_min", "notice_book_min", "notice_change_min", "notice_cancel_min", "horizon_days", "buffer_min", "hold_min"] on_confirm=|| ()/>
        </section>
    }
}
