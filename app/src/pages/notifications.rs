//! Notifications: the outbox (status, failure reason, resend), the delivery settings and the
//! template editor with a live preview. Staff see everything; owners change it (the gateway
//! refuses staff anyway).

use super::notification_settings::INPUT;
use crate::api::{
    get_templates, list_outbox, preview_template, resend_message, set_template, ApiError,
};
use crate::contract::{
    Language, NotificationKind, NotificationTemplate, OutboxEntry, OutboxStatus, TemplateInput,
};
use crate::i18n::*;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Placeholders a template may use (names, not text: the same in both languages).
const PLACEHOLDERS: [&str; 7] = [
    "customer", "service", "staff", "date", "time", "end_time", "business",
];

type Outbox = Resource<Result<Vec<OutboxEntry>, ApiError>>;

/// The page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let outbox: Outbox = Resource::new(|| (), |_| list_outbox());
    // The editor's fields and its preview live at the page's top: a resource created inside a
    // suspended view would get another id in the browser than on the server.
    let editor = Editor {
        kind: RwSignal::new(NotificationKind::Booked),
        language: RwSignal::new(Language::De),
        subject: RwSignal::new(String::new()),
        body: RwSignal::new(String::new()),
    };
    let preview = Resource::new(move || editor.input(), preview_template);
    view! {
        <super::PageHeader
            title=move || t_string!(i18n, notifications.title)
            subtitle=move || t_string!(i18n, notifications.subtitle)
        />
        <OutboxTable outbox/>
        <super::notification_settings::SettingsForm/>
        <TemplateEditor editor preview/>
    }
}

/// The template being edited.
#[derive(Clone, Copy)]
struct Editor {
    kind: RwSignal<NotificationKind>,
    language: RwSignal<Language>,
    subject: RwSignal<String>,
    body: RwSignal<String>,
}

impl Editor {
    fn input(&self) -> TemplateInput {
        TemplateInput {
            kind: self.kind.get(),
            language: self.language.get(),
            subject: self.subject.get(),
            body: self.body.get(),
        }
    }
}

type Preview = Resource<Result<crate::contract::TemplatePreview, ApiError>>;

fn status_label(s: OutboxStatus, i18n: I18nContext<Locale>) -> &'static str {
    match s {
        OutboxStatus::Pending => t_string!(i18n, notifications.status_pending),
        OutboxStatus::Sending => t_string!(i18n, notifications.status_sending),
        OutboxStatus::Sent => t_string!(i18n, notifications.status_sent),
        OutboxStatus::Failed => t_string!(i18n, notifications.status_failed),
        OutboxStatus::Cancelled => t_string!(i18n, notifications.status_cancelled),
    }
}

fn kind_label(k: NotificationKind, i18n: I18nContext<Locale>) -> &'static str {
    match k {
        NotificationKind::Booked => t_string!(i18n, notifications.kind_booked),
        NotificationKind::Moved => t_string!(i18n, notifications.kind_moved),
        NotificationKind::Cancelled => t_string!(i18n, notifications.kind_cancelled),
        NotificationKind::Reminder => t_string!(i18n, notifications.kind_reminder),
    }
}

/// The outbox, newest first.
#[component]
fn OutboxTable(outbox: Outbox) -> impl IntoView {
    let i18n = use_i18n();
    let owner = super::layout::is_owner();
    let resend = Action::new(|id: &i64| {
        let id = *id;
        async move { resend_message(id).await }
    });
    Effect::new(move |_| {
        if resend.value().get().is_some() {
            outbox.refetch();
        }
    });
    let row = move |e: OutboxEntry| {
        let can_resend = owner
            && matches!(
                e.status,
                OutboxStatus::Sent | OutboxStatus::Failed | OutboxStatus::Cancelled
            );
        let id = e.id;
        view! {
            <tr class="border-t border-slate-100" data-testid="outbox-row">
                <td class="py-1 pr-3">{e.created_at}</td>
                <td class="py-1 pr-3">{kind_label(e.kind, i18n)}</td>
                <td class="py-1 pr-3">{e.channel.as_str()} " · " {e.recipient}</td>
                <td class="py-1 pr-3" data-testid="outbox-status">{status_label(e.status, i18n)}</td>
                <td class="py-1 pr-3">{e.attempts}</td>
                <td class="py-1 pr-3 text-red-700">{e.last_error.unwrap_or_default()}</td>
                <td class="py-1">
                    {can_resend.then(|| view! {
                        <button type="button" class="text-indigo-600 hover:underline"
                            on:click=move |_| { resend.dispatch(id); }>
                            {t!(i18n, notifications.resend)}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <div class="flex items-center justify-between">
                <h2 class="text-lg font-semibold">{t!(i18n, notifications.outbox)}</h2>
                <button type="button" class="text-sm text-indigo-600 hover:underline"
                    on:click=move |_| outbox.refetch()>
                    {t!(i18n, notifications.refresh)}
                </button>
            </div>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match outbox.await {
                        Ok(list) if list.is_empty() => Either::Left(Either::Left(view! {
                            <p class="mt-2 text-sm text-slate-500">{t!(i18n, notifications.empty)}</p>
                        })),
                        Ok(list) => Either::Left(Either::Right(view! {
                            <table class="mt-2 w-full text-left text-sm">
                                <thead><tr class="text-slate-500">
                                    <th>{t!(i18n, notifications.column_created)}</th>
                                    <th>{t!(i18n, notifications.column_kind)}</th>
                                    <th>{t!(i18n, notifications.column_recipient)}</th>
                                    <th>{t!(i18n, notifications.column_status)}</th>
                                    <th>{t!(i18n, notifications.column_attempts)}</th>
                                    <th>{t!(i18n, notifications.column_error)}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        })),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Pick a kind and language, edit subject and text, see the result at once.
#[component]
fn TemplateEditor(editor: Editor, preview: Preview) -> impl IntoView {
    let i18n = use_i18n();
    let all = Resource::new(|| (), |_| get_templates());
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <h2 class="text-lg font-semibold">{t!(i18n, notifications.templates)}</h2>
            <p class="mt-1 text-sm text-slate-500">
                {t!(i18n, notifications.placeholders)} " "
                {PLACEHOLDERS
                    .into_iter()
                    .map(|p| view! { <code class="mr-1">{format!("{{{p}}}")}</code> })
                    .collect_view()}
            </p>
            <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match all.await {
                        Ok(list) => Either::Left(view! { <TemplateFields list editor preview/> }),
                        Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TemplateFields(
    list: Vec<NotificationTemplate>,
    editor: Editor,
    preview: Preview,
) -> impl IntoView {
    let i18n = use_i18n();
    let owner = super::layout::is_owner();
    let hydrated = super::use_hydrated();
    let stored = RwSignal::new(list);
    let Editor {
        kind,
        language,
        subject,
        body,
    } = editor;
    // Loads the chosen template into the fields.
    Effect::new(move |_| {
        let (k, l) = (kind.get(), language.get());
        if let Some(t) = stored
            .read()
            .iter()
            .find(|t| t.kind == k && t.language == l)
        {
            subject.set(t.subject.clone());
            body.set(t.body.clone());
        }
    });
    let input = move || editor.input();
    let save = Action::new(|i: &TemplateInput| {
        let i = i.clone();
        async move { set_template(i).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            stored.update(|list| {
                if let Some(t) = list
                    .iter_mut()
                    .find(|t| t.kind == saved.kind && t.language == saved.language)
                {
                    *t = saved.clone();
                }
            });
        }
    });
    let kinds = move || {
        NotificationKind::ALL
            .into_iter()
            .map(|k| view! { <option value=k.as_str()>{kind_label(k, i18n)}</option> })
            .collect_view()
    };
    view! {
        <div class="mt-3 flex flex-wrap gap-3 text-sm">
            <select class=INPUT name="template_kind" prop:value=move || kind.get().as_str()
                on:change=move |ev| {
                    if let Some(k) = NotificationKind::parse(&event_target_value(&ev)) { kind.set(k) }
                }>
                {kinds}
            </select>
            <select class=INPUT name="template_language" prop:value=move || language.get().code()
                on:change=move |ev| {
                    if let Some(l) = Language::parse(&event_target_value(&ev)) { language.set(l) }
                }>
                <option value="de">{Language::De.native_name()}</option>
                <option value="en">{Language::En.native_name()}</option>
            </select>
        </div>
        <div class="mt-3 grid gap-4 md:grid-cols-2">
            <div class="text-sm">
                <label class="block font-medium">{t!(i18n, notifications.subject)}
                    <input class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5"
                        name="template_subject" bind:value=subject/></label>
                <label class="mt-2 block font-medium">{t!(i18n, notifications.body)}
                    <textarea class="mt-1 block h-64 w-full rounded-md border border-slate-300 px-3 py-1.5 font-mono text-xs"
                        name="template_body" prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))></textarea></label>
                {owner.then(|| view! {
                    <button type="button" data-testid="save-template"
                        class="mt-2 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                        disabled=move || save.pending().get() || !hydrated.get()
                        on:click=move |_| { save.dispatch(input()); }>
                        {t!(i18n, notifications.save_template)}
                    </button>
                })}
                {move || match save.value().get() {
                    Some(Err(e)) => Some(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                    _ => None,
                }}
            </div>
            <div class="text-sm" data-testid="template-preview">
                <h3 class="font-medium">{t!(i18n, notifications.preview)}</h3>
                <Transition fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(p) => Either::Left(view! {
                                <p class="mt-1 font-semibold" data-testid="preview-subject">{p.subject}</p>
                                <pre class="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs" data-testid="preview-text">{p.text}</pre>
                            }),
                            Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                        }
                    })}
                </Transition>
            </div>
        </div>
    }
}
