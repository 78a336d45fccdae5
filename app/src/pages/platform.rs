//! The platform page (platform admins): every tenant with create, rename, suspend/resume and
//! switch, and adding a tenant's users with an invitation link or a first password.

use super::platform_text as t;
use crate::api::{
    platform_add_user, platform_create_tenant, platform_rename_tenant, platform_suspend_tenant,
    platform_switch, platform_tenants, ApiError,
};
use crate::contract::{
    AddMode, AddedUser, AdminRole, Locale, PlatformTenant, PlatformTenantCreate,
    PlatformTenantRename, PlatformUserAdd,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

type Tenants = Resource<Result<Vec<PlatformTenant>, ApiError>>;

const INPUT: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm";
const BUTTON: &str = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50";
const SMALL: &str =
    "rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50";

/// The page.
#[component]
pub fn PlatformPage() -> impl IntoView {
    let tenants: Tenants = Resource::new(|| (), |_| platform_tenants());
    view! {
        <super::PageHeader title=t::platform_title subtitle=t::platform_subtitle/>
        <CreateTenant tenants/>
        <Suspense fallback=|| view! { <p class="text-slate-500">{t::loading}</p> }>
            {move || Suspend::new(async move {
                match tenants.await {
                    Ok(list) => Either::Left(view! {
                        <TenantTable list=list.clone() tenants/>
                        <AddUser list/>
                    }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}

/// Name, slug, time zone, language.
#[component]
fn CreateTenant(tenants: Tenants) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let zone = RwSignal::new("Europe/Berlin".to_owned());
    let locale = RwSignal::new(Locale::De);
    let hydrated = super::use_hydrated();
    let create = Action::new(|p: &PlatformTenantCreate| platform_create_tenant(p.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            slug.set(String::new());
            tenants.refetch();
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let outcome = move || match create.value().get() {
        Some(Ok(created)) => Some(Either::Left(
            view! { <p role="status" class="mt-2 text-sm text-emerald-700">{t::tenant_created(&created.name)}</p> },
        )),
        Some(Err(e)) => {
            super::unplaced(&Some(e), &["name", "slug", "time_zone", "locale"]).map(|m| {
                Either::Right(view! { <div class="mt-2"><super::ErrorNote message=m/></div> })
            })
        }
        None => None,
    };
    let submit = move |_| {
        let slug = slug.get();
        create.dispatch(PlatformTenantCreate {
            name: name.get(),
            slug: (!slug.trim().is_empty()).then_some(slug),
            time_zone: zone.get(),
            locale: locale.get(),
        });
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-semibold">{t::new_tenant}</h2>
            <div class="grid gap-3 md:grid-cols-4">
                <label class="text-sm font-medium">{t::business_name}
                    <input class=INPUT bind:value=name/>
                    <super::FieldNote error field="name"/>
                </label>
                <label class="text-sm font-medium">{t::slug}
                    <input class=INPUT bind:value=slug placeholder="friseur-mueller"/>
                    <super::FieldNote error field="slug"/>
                </label>
                <label class="text-sm font-medium">{t::time_zone}
                    <input class=INPUT bind:value=zone/>
                    <super::FieldNote error field="time_zone"/>
                </label>
                <label class="text-sm font-medium">{t::language}
                    <select class=INPUT on:change=move |ev| {
                        if let Some(l) = Locale::parse(&event_target_value(&ev)) { locale.set(l); }
                    }>
                        <option value="de" selected=true>"Deutsch"</option>
                        <option value="en">"English"</option>
                    </select>
                </label>
            </div>
            <button type="button" class=format!("mt-3 {BUTTON}")
                disabled=move || create.pending().get() || !hydrated.get()
                on:click=submit>{t::create_tenant}</button>
            {outcome}
        </section>
    }
}

/// The tenants with their actions.
#[component]
fn TenantTable(list: Vec<PlatformTenant>, tenants: Tenants) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    if list.is_empty() {
        return Either::Left(view! {
            <p class="mb-6 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-500">{t::no_tenants}</p>
        });
    }
    Either::Right(view! {
        {move || message.get().map(|m| view! { <div class="mb-2"><super::ErrorNote message=m/></div> })}
        <table class="mb-6 w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
            <thead class="bg-slate-100 text-left text-slate-600">
                <tr>
                    <th class="p-2">{t::business_name}</th><th class="p-2">{t::time_zone}</th>
                    <th class="p-2">{t::language}</th><th class="p-2">{t::users}</th>
                    <th class="p-2">{t::status}</th><th class="p-2"></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|tenant| view! { <TenantRow tenant tenants message/> }).collect_view()}
            </tbody>
        </table>
    })
}

#[component]
fn TenantRow(
    tenant: PlatformTenant,
    tenants: Tenants,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = tenant.id;
    let suspended = tenant.suspended;
    let name = RwSignal::new(tenant.name.clone());
    let hydrated = super::use_hydrated();
    let done = move |r: Result<(), ApiError>| {
        message.set(r.err().map(|e| e.to_string()));
        tenants.refetch();
    };
    let rename = Action::new(move |name: &String| {
        let name = name.clone();
        async move {
            let r = platform_rename_tenant(PlatformTenantRename {
                tenant_id: id,
                name,
            })
            .await;
            done(r.map(|_| ()));
        }
    });
    let toggle = Action::new(move |_: &()| async move {
        done(platform_suspend_tenant(id, !suspended).await.map(|_| ()));
    });
    let me = use_context::<super::layout::Me>();
    let navigate = use_navigate();
    let switch = Action::new(move |_: &()| async move { platform_switch(id).await });
    Effect::new(move |_| match switch.value().get() {
        Some(Ok(_)) => {
            if let Some(me) = me {
                me.0.refetch();
            }
            navigate("/admin", Default::default());
        }
        Some(Err(e)) => message.set(Some(e.to_string())),
        None => {}
    });
    let status = if suspended {
        Either::Left(
            view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">{t::suspended}</span> },
        )
    } else {
        Either::Right(
            view! { <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{t::active}</span> },
        )
    };
    view! {
        <tr class="border-t border-slate-100" data-tenant=tenant.slug.clone()>
            <td class="p-2">
                <div class="flex items-center gap-1">
                    <input class="w-48 rounded-md border border-slate-300 px-2 py-1 text-sm" aria-label=t::business_name bind:value=name/>
                    <button type="button" class=SMALL disabled=move || !hydrated.get()
                        on:click=move |_| { rename.dispatch(name.get()); }>{t::rename}</button>
                </div>
                <div class="mt-1 font-mono text-xs text-slate-500">{tenant.slug.clone()}</div>
            </td>
            <td class="p-2">{tenant.time_zone.clone()}</td>
            <td class="p-2">{tenant.locale.as_str()}</td>
            <td class="p-2">{tenant.users}</td>
            <td class="p-2" data-testid="tenant-status">{status}</td>
            <td class="space-x-1 p-2 text-right">
                <button type="button" class=SMALL disabled=move || !hydrated.get()
                    on:click=move |_| { toggle.dispatch(()); }>
                    {move || if suspended { t::resume() } else { t::suspend() }}
                </button>
                <button type="button" class=SMALL disabled=move || !hydrated.get()
                    on:click=move |_| { switch.dispatch(()); }>{t::switch}</button>
            </td>
        </tr>
    }
}

/// Adds a user to a chosen tenant; shows the link or the password once.
#[component]
fn AddUser(list: Vec<PlatformTenant>) -> impl IntoView {
    let first = list.first().map(|t| t.id).unwrap_or_default();
    let tenant = RwSignal::new(first);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(AdminRole::Owner);
    let mode = RwSignal::new(AddMode::Invite);
    let hydrated = super::use_hydrated();
    let add = Action::new(|p: &PlatformUserAdd| platform_add_user(p.clone()));
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let submit = move |_| {
        add.dispatch(PlatformUserAdd {
            tenant_id: tenant.get(),
            email: email.get(),
            role: role.get(),
            mode: mode.get(),
        });
    };
    let outcome = move || match add.value().get() {
        Some(Ok(added)) => Some(Either::Left(view! { <AddedNote added/> })),
        Some(Err(e)) => super::unplaced(&Some(e), &["email"]).map(|m| {
            Either::Right(view! { <div class="mt-2"><super::ErrorNote message=m/></div> })
        }),
        None => None,
    };
    view! {
        <section class="rounded-xl bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-semibold">{t::add_user}</h2>
            <div class="grid gap-3 md:grid-cols-4">
                <label class="text-sm font-medium">{t::tenant}
                    <select class=INPUT on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse() { tenant.set(id); }
                    }>
                        {list.iter().map(|x| view! { <option value=x.id.to_string()>{x.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="text-sm font-medium">{t::email}
                    <input class=INPUT type="email" bind:value=email/>
                    <super::FieldNote error field="email"/>
                </label>
                <RoleSelect role/>
                <ModeSelect mode/>
            </div>
            <button type="button" class=format!("mt-3 {BUTTON}")
                disabled=move || add.pending().get() || !hydrated.get()
                on:click=submit>{t::add_user_button}</button>
            {outcome}
        </section>
    }
}

/// owner / staff.
#[component]
pub fn RoleSelect(role: RwSignal<AdminRole>) -> impl IntoView {
    view! {
        <label class="text-sm font-medium">{t::role}
            <select class=INPUT on:change=move |ev| {
                if let Some(r) = AdminRole::parse(&event_target_value(&ev)) { role.set(r); }
            }>
                <option value="owner" selected=move || role.get() == AdminRole::Owner>{t::owner}</option>
                <option value="staff" selected=move || role.get() == AdminRole::Staff>{t::staff}</option>
            </select>
        </label>
    }
}

/// Invitation link / first password.
#[component]
pub fn ModeSelect(mode: RwSignal<AddMode>) -> impl IntoView {
    view! {
        <label class="text-sm font-medium">{t::how}
            <select class=INPUT on:change=move |ev| {
                mode.set(if event_target_value(&ev) == "password" { AddMode::Password } else { AddMode::Invite });
            }>
                <option value="invite" selected=true>{t::mode_invite}</option>
                <option value="password">{t::mode_password}</option>
            </select>
        </label>
    }
}

/// The link or the first password, shown once.
#[component]
pub fn AddedNote(added: AddedUser) -> impl IntoView {
    let (text, secret) = match (added.invitation_url, added.password) {
        (Some(url), _) => (t::link_once(), url),
        (None, Some(pw)) => (t::password_once(), pw),
        (None, None) => (t::password_once(), String::new()),
    };
    view! {
        <div class="mt-3 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm" role="status">
            <p class="font-medium text-emerald-900">{added.email}": "{text}</p>
            <code class="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="user-secret">{secret}</code>
        </div>
    }
}
