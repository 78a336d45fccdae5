//! Set-up: services, staff with weekly hours, breaks, days off and extra shifts, closures and
//! booking rules — everything `slotline demo` seeds, made in the browser. Owners only: staff
//! accounts get a sentence instead (and the gateway refuses them anyway). A change that would
//! strand appointments first lists them and asks to confirm.

mod closures;
mod rules;
mod services;
mod staff;

use crate::api::{get_setup, ApiError};
use crate::contract::{SetupResult, SetupState};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::children::ChildrenFn;
use leptos::prelude::*;

/// The resource every section refetches after a change.
pub type SetupResource = Resource<Result<SetupState, ApiError>>;

/// What a set-up action answers.
pub type Answer = Result<SetupResult, ApiError>;

/// The page.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <super::PageHeader title=move || t_string!(i18n, setup.title) subtitle=move || t_string!(i18n, setup.subtitle)/>
        {if super::layout::is_owner() { view! { <Sections/> }.into_any() } else { view! { <StaffOnly/> }.into_any() }}
    }
}

/// What a staff account sees instead of the set-up.
#[component]
fn StaffOnly() -> impl IntoView {
    let i18n = use_i18n();
    let scheduling = |children: ChildrenFn| view! { <a class="underline" href="/admin/scheduling">{children()}</a> };
    let calendar = |children: ChildrenFn| view! { <a class="underline" href="/admin/calendar">{children()}</a> };
    view! {
        <p class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="owner-only">
            {t!(i18n, setup.owner_only, <scheduling>, <calendar>)}
        </p>
    }
}

/// An appointment a change touches: when, who, what, with whom (`reason` appended when given).
fn affected_line(
    x: &crate::contract::AppointmentInfo,
    reason: Option<String>,
    i18n: leptos_i18n::I18nContext<Locale>,
) -> impl IntoView + use<> {
    let starts = x.starts_local.clone();
    let line = t!(
        i18n,
        setup.affected_line,
        start = move || local_time(&starts, current_language()),
        customer = x.customer_name.clone(),
        service = x.service.clone(),
        staff = x.staff.clone()
    );
    view! { {line}{reason.map(|r| format!(" — {r}"))} }
}

/// The last change that was applied and the section it belongs to; kept outside the reloaded
/// sections so its sentence stays after the set-up is read again.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `services`, `staff`, `closures` or `rules`.
    pub section: &'static str,
    /// What the change did.
    pub result: SetupResult,
}

/// Records an applied change for its section and reads the set-up again.
pub fn applied(section: &'static str, result: SetupResult, state: SetupResource) {
    if let Some(flash) = use_context::<RwSignal<Option<Flash>>>() {
        flash.set(Some(Flash { section, result }));
    }
    state.refetch();
}

/// The sentence of the last applied change of a section, with the appointments it queued.
#[component]
pub fn FlashNote(section: &'static str) -> impl IntoView {
    let flash = use_context::<RwSignal<Option<Flash>>>();
    let i18n = use_i18n();
    move || {
        let f = flash
            .and_then(|f| f.get())
            .filter(|f| f.section == section)?;
        let queued = (!f.result.affected.is_empty()).then(|| {
            view! {
                <ul class="mt-1 list-disc pl-5">
                    {f.result.affected.iter().map(|a| {
                        let x = &a.appointment;
                        view! { <li>{affected_line(x, None, i18n)}</li> }
                    }).collect_view()}
                </ul>
            }
        });
        Some(
            view! { <div class="mt-3 text-sm text-emerald-800" role="status">{f.result.message.clone()}{queued}</div> },
        )
    }
}

#[component]
fn Sections() -> impl IntoView {
    let state: SetupResource = Resource::new(|| (), |_| get_setup());
    provide_context(RwSignal::new(None::<Flash>));
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(s) => view! {
                        <p class="mb-4 text-sm text-slate-500">{t!(i18n, setup.all_times_local, zone = s.time_zone.clone())}</p>
                        <services::Services s=s.clone() state/>
                        <staff::Staff s=s.clone() state/>
                        <closures::Closures s=s.clone() state/>
                        <rules::Rules s state/>
                    }.into_any(),
                    Err(e) => view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The error of an action's last answer (for the notes beside the fields).
pub fn error_of(action: Action<impl Send + Sync + 'static, Answer>) -> Signal<Option<ApiError>> {
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// A change that was not applied because it would strand appointments (they are listed, with
/// a button to apply it anyway), or an error that belongs to no field of the form.
#[component]
pub fn ResultNote(
    #[prop(into)] answer: Signal<Option<Answer>>,
    #[prop(into)] on_confirm: Callback<()>,
    fields: &'static [&'static str],
) -> impl IntoView {
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    move || {
        match answer.get() {
        Some(Ok(r)) if !r.applied => view! {
            <div class="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="confirm-change">
                <p>{r.message}</p>
                <ul class="mt-2 list-disc pl-5" data-testid="affected-appointments">
                    {r.affected.into_iter().map(|a| {
                        let x = a.appointment;
                        view! {
                            <li data-appointment-id=x.id.to_string()>
                                {affected_line(&x, Some(a.reason), i18n)}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button
                    type="button"
                    class="mt-2 rounded-md bg-amber-600 px-3 py-1 text-white hover:bg-amber-500 disabled:opacity-50"
                    disabled=move || !hydrated.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {t!(i18n, setup.apply_and_queue)}
                </button>
            </div>
        }.into_any(),
        Some(Err(e)) => match super::unplaced(&Some(e), fields) {
            Some(m) => view! { <div class="mt-3"><super::ErrorNote message=m/></div> }.into_any(),
            None => ().into_any(),
        },
        _ => ().into_any(),
    }
    }
}

/// Whether an answer is an applied change.
pub fn done(a: &Answer) -> bool {
    matches!(a, Ok(r) if r.applied)
}

/// A whole number typed into a field; text that is no number becomes -1, which the gateway
/// refuses with a sentence beside the field.
pub fn number(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(-1)
}

/// Euros typed as `45`, `45.5` or `45,50` in cents; empty is no price; anything else -1.
pub fn cents(raw: &str) -> Option<i64> {
    let raw = raw.trim().replace(',', ".");
    if raw.is_empty() {
        return None;
    }
    Some(
        raw.parse::<f64>()
            .ok()
            .filter(|e| e.is_finite() && *e >= 0.0)
            .map(|e| (e * 100.0).round() as i64)
            .unwrap_or(-1),
    )
}

/// Cents as euros for the price field.
pub fn euros(cents: Option<i64>) -> String {
    cents
        .map(|c| format!("{}.{:02}", c / 100, c % 100))
        .unwrap_or_default()
}

/// Shared classes.
pub const CARD: &str = "mb-6 rounded-xl bg-white p-5 shadow-sm";
/// Input classes.
pub const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";
/// Primary button classes.
pub const PRIMARY: &str =
    "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";
/// Secondary button classes.
pub const SECONDARY: &str =
    "rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-50";

#[cfg(test)]
mod tests {
    #[test]
    fn prices_are_read_in_euros() {
        assert_eq!(super::cents("45"), Some(4500));
        assert_eq!(super::cents("45,5"), Some(4550));
        assert_eq!(super::cents(""), None);
        assert_eq!(super::cents("free"), Some(-1));
        assert_eq!(super::euros(Some(4550)), "45.50");
    }
}
