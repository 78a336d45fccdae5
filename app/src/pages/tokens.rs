//! API access: the tenant's API tokens for external JSON-RPC and MCP clients — create with
//! scopes and an optional expiry (the token is shown once), list, revoke — and the URLs they
//! are used at.

use crate::api::{create_token, list_tokens, revoke_token, ApiError};
use crate::contract::{codes, ApiTokenInfo, ApiTokens, CreatedToken, Scope};
use crate::i18n::*;
use crate::i18n_setup::{current_language, local_time};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

type TokensResource = Resource<Result<ApiTokens, ApiError>>;

/// What the create form sends: name, chosen scopes and the expiry field as read.
type CreateInput = (String, Vec<Scope>, Result<Option<u32>, ApiError>);

/// The expiry field: empty means the token never expires, else a whole number of days (the
/// gateway checks the range).
fn parse_days(raw: &str, i18n: I18nContext<Locale>) -> Result<Option<u32>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>()
        .map(Some)
        .map_err(|_| ApiError::Rejected {
            code: codes::INVALID_PARAMS,
            message: t_string!(i18n, tokens.expiry_invalid).into(),
            field: Some("expires_in_days".into()),
        })
}

/// The page.
#[component]
pub fn TokensPage() -> impl IntoView {
    let tokens: TokensResource = Resource::new(|| (), |_| list_tokens());
    let i18n = use_i18n();
    view! {
        <super::PageHeader
            title=move || t_string!(i18n, tokens.title)
            subtitle=move || t_string!(i18n, tokens.subtitle)
        />
        <CreateForm tokens/>
        <Suspense fallback=move || view! { <p class="text-slate-500">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) => Either::Left(view! { <TokenList list tokens/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=super::error_text(&e, i18n)/> }),
                }
            })}
        </Suspense>
    }
}

/// Name, scopes, expiry and button; shows the new token once.
#[component]
fn CreateForm(tokens: TokensResource) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let read = RwSignal::new(true);
    let book = RwSignal::new(false);
    let manage = RwSignal::new(false);
    let days = RwSignal::new(String::new());
    let hydrated = super::use_hydrated();
    let i18n = use_i18n();
    let create = Action::new(|(name, scopes, days): &CreateInput| {
        let (name, scopes, days) = (name.clone(), scopes.clone(), days.clone());
        async move { create_token(name, scopes, days?).await }
    });
    let chosen = move || {
        [
            (Scope::Read, read),
            (Scope::Book, book),
            (Scope::Manage, manage),
        ]
        .into_iter()
        .filter(|(_, on)| on.get())
        .map(|(scope, _)| scope)
        .collect::<Vec<_>>()
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            days.set(String::new());
            read.set(true);
            book.set(false);
            manage.set(false);
            tokens.refetch();
        }
    });
    let outcome = move || match create.value().get() {
        Some(Ok(CreatedToken { name, token, .. })) => EitherOf3::A(view! {
            <div class="mt-3 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm" role="status">
                <p class="font-medium text-emerald-900">{t!(i18n, tokens.created, name = name)}</p>
                <code class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="new-token">{token}</code>
            </div>
        }),
        Some(Err(e)) => EitherOf3::B(
            view! { <div class="mt-3"><super::ErrorNote message=super::error_text(&e, i18n)/></div> },
        ),
        None => EitherOf3::C(()),
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <div class="flex flex-wrap items-end gap-2">
                <label class="text-sm font-medium">
                    {t!(i18n, tokens.token_name)}
                    <input
                        class="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                        placeholder=move || t_string!(i18n, tokens.token_name_placeholder)
                        bind:value=name
                    />
                </label>
                <label class="text-sm font-medium">
                    {t!(i18n, tokens.expires_after)}
                    <input
                        class="mt-1 block w-32 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                        inputmode="numeric"
                        placeholder=move || t_string!(i18n, tokens.expires_never)
                        bind:value=days
                    />
                </label>
                <button
                    type="button"
                    class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                    disabled=move || create.pending().get() || !hydrated.get()
                    on:click=move |_| { create.dispatch((name.get(), chosen(), parse_days(&days.get(), i18n))); }
                >
                    {t!(i18n, tokens.create)}
                </button>
            </div>
            <fieldset class="mt-3 text-sm">
                <legend class="font-medium">{t!(i18n, tokens.scopes)}</legend>
                <div class="mt-1 flex flex-wrap gap-4">
                    <label class="flex items-center gap-1">
                        <input type="checkbox" bind:checked=read/>
                        "read"
                    </label>
                    <label class="flex items-center gap-1">
                        <input type="checkbox" bind:checked=book/>
                        "book"
                    </label>
                    <label class="flex items-center gap-1">
                        <input type="checkbox" bind:checked=manage/>
                        "manage"
                    </label>
                </div>
                <p class="mt-1 text-slate-500">
                    {t!(i18n, tokens.scopes_help)}
                </p>
            </fieldset>
            {outcome}
        </section>
    }
}

/// Endpoints and the table of tokens.
#[component]
fn TokenList(list: ApiTokens, tokens: TokensResource) -> impl IntoView {
    let i18n = use_i18n();
    let message = RwSignal::new(None::<ApiError>);
    let rows = if list.tokens.is_empty() {
        Either::Left(view! {
            <p class="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-500">
                {t!(i18n, tokens.no_tokens)}
            </p>
        })
    } else {
        Either::Right(view! {
            <table class="w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
                <thead class="bg-slate-100 text-left text-slate-600">
                    <tr>
                        <th class="p-2">{t!(i18n, tokens.column_name)}</th>
                        <th class="p-2">{t!(i18n, tokens.column_scopes)}</th>
                        <th class="p-2">{t!(i18n, tokens.column_created)}</th>
                        <th class="p-2">{t!(i18n, tokens.column_status)}</th>
                        <th class="p-2"></th>
                    </tr>
                </thead>
                <tbody>
                    {list.tokens.into_iter().map(|t| view! { <TokenRow t tokens message/> }).collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <dl class="mb-4 grid gap-1 text-sm">
            <div><dt class="inline font-medium">"JSON-RPC: "</dt><dd class="inline font-mono" data-testid="gateway-url">{list.gateway_url}</dd></div>
            <div><dt class="inline font-medium">"MCP (Streamable HTTP): "</dt><dd class="inline font-mono" data-testid="mcp-url">{list.mcp_url}</dd></div>
            <div class="text-slate-500">{t!(i18n, tokens.send_token_as, header = "Authorization: Bearer <token>")}</div>
        </dl>
        {move || message.get().map(|e| view! { <p class="mb-2 text-sm text-rose-700" role="alert">{super::error_text(&e, i18n)}</p> })}
        {rows}
    }
}

/// A server time label in the language the UI shows now.
fn when(at: &str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let at = at.to_owned();
    move || local_time(&at, current_language())
}

#[component]
fn TokenRow(
    t: ApiTokenInfo,
    tokens: TokensResource,
    message: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = t.id;
    let hydrated = super::use_hydrated();
    let revoke = Action::new(move |_: &()| async move {
        match revoke_token(id).await {
            Ok(_) => message.set(None),
            Err(e) => message.set(Some(e)),
        }
        tokens.refetch();
    });
    let status = match (&t.revoked_local, &t.expires_local) {
        (Some(at), _) => EitherOf3::A(
            view! { <span class="text-slate-500">{t!(i18n, tokens.revoked_at, at = when(at))}</span> },
        ),
        (None, Some(at)) if t.expired => EitherOf3::B(
            view! { <span class="text-amber-700">{t!(i18n, tokens.expired_at, at = when(at))}</span> },
        ),
        (None, expires) => {
            let expires = expires.as_ref().map(|at| {
                view! { <span class="ml-2 text-xs text-slate-500">{t!(i18n, tokens.expires_at, at = when(at))}</span> }
            });
            EitherOf3::C(view! {
                <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{t!(i18n, tokens.active)}</span>
                {expires}
            })
        }
    };
    let scopes = t
        .scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let action = t.revoked_local.is_none().then(|| view! {
        <button
            type="button"
            class="rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            disabled=move || !hydrated.get()
            on:click=move |_| { revoke.dispatch(()); }
        >
            {t!(i18n, tokens.revoke)}
        </button>
    });
    view! {
        <tr class="border-t border-slate-100" data-token-name=t.name.clone()>
            <td class="p-2 font-medium">{t.name.clone()}</td>
            <td class="p-2" data-testid="token-scopes">{scopes}</td>
            <td class="p-2">{when(&t.created_local)}</td>
            <td class="p-2">{status}</td>
            <td class="p-2 text-right">{action}</td>
        </tr>
    }
}
