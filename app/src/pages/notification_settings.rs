//! The notifications page's delivery settings: SMTP server, sender, reminder hours and the SMS
//! provider. Secrets are never shown, only whether they are set; leaving a secret field empty
//! keeps it. Owners save; staff see the form disabled.

use crate::api::{get_notification_settings, set_notification_settings};
use crate::contract::{NotificationSettings, NotificationSettingsInput, SmtpTls};
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;

/// SMTP, reminders and SMS.
#[component]
pub fn SettingsForm() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = Resource::new(|| (), |_| get_notification_settings());
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <h2 class="text-lg font-semibold">{t!(i18n, notifications.settings)}</h2>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(s) => Either::Left(view! { <SettingsFields s/> }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The look of the page's inputs.
pub const INPUT: &str = "mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm";

#[component]
fn SettingsFields(s: NotificationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let owner = super::layout::is_owner();
    let email_enabled = RwSignal::new(s.email_enabled);
    let host = RwSignal::new(s.smtp_host);
    let port = RwSignal::new(s.smtp_port.to_string());
    let tls = RwSignal::new(s.smtp_tls.as_str().to_owned());
    let user = RwSignal::new(s.smtp_user);
    let password = RwSignal::new(String::new());
    let from = RwSignal::new(s.from_address);
    let hours = RwSignal::new(s.reminder_hours.to_string());
    let sms_enabled = RwSignal::new(s.sms_enabled);
    let sms_url = RwSignal::new(s.sms_url);
    let sms_token = RwSignal::new(String::new());
    let hydrated = super::use_hydrated();
    let password_set = RwSignal::new(s.smtp_password_set);
    let token_set = RwSignal::new(s.sms_token_set);
    let save = Action::new(|input: &NotificationSettingsInput| {
        let input = input.clone();
        async move { set_notification_settings(input).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            password.set(String::new());
            sms_token.set(String::new());
            password_set.set(saved.smtp_password_set);
            token_set.set(saved.sms_token_set);
        }
    });
    let given = |v: String| (!v.is_empty()).then_some(v);
    let submit = move |_| {
        save.dispatch(NotificationSettingsInput {
            email_enabled: email_enabled.get(),
            smtp_host: host.get(),
            smtp_port: port.get().trim().parse().unwrap_or(0),
            smtp_tls: SmtpTls::parse(&tls.get()).unwrap_or_default(),
            smtp_user: user.get(),
            smtp_password: given(password.get()),
            from_address: from.get(),
            reminder_hours: hours.get().trim().parse().unwrap_or(-1),
            sms_enabled: sms_enabled.get(),
            sms_url: sms_url.get(),
            sms_token: given(sms_token.get()),
        });
    };
    let secret = move |set: RwSignal<bool>| {
        move || {
            if set.get() {
                t_string!(i18n, notifications.secret_set)
            } else {
                t_string!(i18n, notifications.secret_not_set)
            }
        }
    };
    let outcome = move || match save.value().get() {
        Some(Ok(_)) => Some(Either::Left(view! {
            <p class="text-sm text-emerald-700" role="status">{t!(i18n, notifications.saved)}</p>
        })),
        Some(Err(e)) => Some(Either::Right(
            view! { <super::ErrorNote message=super::error_text(&e, i18n)/> },
        )),
        None => None,
    };
    view! {
        <fieldset class="mt-3 grid gap-3 text-sm md:grid-cols-2" disabled=!owner>
            <label class="flex items-center gap-2 font-medium md:col-span-2">
                <input type="checkbox" bind:checked=email_enabled/>
                {t!(i18n, notifications.email_enabled)}
            </label>
            <label class="font-medium">{t!(i18n, notifications.smtp_host)}
                <input class=INPUT name="smtp_host" bind:value=host/></label>
            <label class="font-medium">{t!(i18n, notifications.smtp_port)}
                <input class=INPUT name="smtp_port" inputmode="numeric" bind:value=port/></label>
            <label class="font-medium">{t!(i18n, notifications.smtp_tls)}
                <select class=INPUT name="smtp_tls" prop:value=move || tls.get()
                    on:change=move |ev| tls.set(event_target_value(&ev))>
                    <option value="starttls">"STARTTLS"</option>
                    <option value="tls">"TLS"</option>
                    <option value="none">{t!(i18n, notifications.tls_none)}</option>
                </select></label>
            <label class="font-medium">{t!(i18n, notifications.smtp_user)}
                <input class=INPUT name="smtp_user" bind:value=user/></label>
            <label class="font-medium">{t!(i18n, notifications.smtp_password)}
                <input class=INPUT name="smtp_password" type="password" autocomplete="new-password"
                    placeholder=secret(password_set) bind:value=password/></label>
            <label class="font-medium">{t!(i18n, notifications.from_address)}
                <input class=INPUT name="from_address" placeholder="Salon <termine@example.com>" bind:value=from/></label>
            <label class="font-medium">{t!(i18n, notifications.reminder_hours)}
                <input class=INPUT name="reminder_hours" inputmode="numeric" bind:value=hours/></label>
            <label class="flex items-center gap-2 font-medium md:col-span-2">
                <input type="checkbox" bind:checked=sms_enabled/>
                {t!(i18n, notifications.sms_enabled)}
            </label>
            <label class="font-medium">{t!(i18n, notifications.sms_url)}
                <input class=INPUT name="sms_url" placeholder="https://sms.example.com/send" bind:value=sms_url/></label>
            <label class="font-medium">{t!(i18n, notifications.sms_token)}
                <input class=INPUT name="sms_token" type="password" autocomplete="off"
                    placeholder=secret(token_set) bind:value=sms_token/></label>
        </fieldset>
        {owner.then(|| view! {
            <button type="button" data-testid="save-settings"
                class="mt-3 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || save.pending().get() || !hydrated.get() on:click=submit>
                {t!(i18n, notifications.save)}
            </button>
        })}
        <div class="mt-2">{outcome}</div>
    }
}
