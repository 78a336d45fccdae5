//! Users (owners): the business's owners and staff, open invitations, adding someone with an
//! invitation link or a first password, changing a role, removing.

use super::platform::{AddedNote, ModeSelect, RoleSelect};
use super::platform_text as t;
use crate::api::{add_user, change_user_role, list_users, remove_user, ApiError};
use crate::contract::{AddMode, AdminRole, TenantUsers, UserAdd, UserInfo, UserRoleChange};
use leptos::either::Either;
use leptos::prelude::*;

type Users = Resource<Result<TenantUsers, ApiError>>;

/// The page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let users: Users = Resource::new(|| (), |_| list_users());
    view! {
        <super::PageHeader title=t::users_title subtitle=t::users_subtitle/>
        <AddForm users/>
        <Suspense fallback=|| view! { <p class="text-slate-500">{t::loading}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => Either::Left(view! { <UserTable list users/> }),
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}

/// E-mail, role, mode; shows the link or the password once.
#[component]
fn AddForm(users: Users) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(AdminRole::Staff);
    let mode = RwSignal::new(AddMode::Invite);
    let hydrated = super::use_hydrated();
    let add = Action::new(|p: &UserAdd| add_user(p.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            email.set(String::new());
            users.refetch();
        }
    });
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let outcome = move || match add.value().get() {
        Some(Ok(added)) => Some(Either::Left(view! { <AddedNote added/> })),
        Some(Err(e)) => super::unplaced(&Some(e), &["email"]).map(|m| {
            Either::Right(view! { <div class="mt-2"><super::ErrorNote message=m/></div> })
        }),
        None => None,
    };
    view! {
        <section class="mb-6 rounded-xl bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-semibold">{t::add_user}</h2>
            <div class="grid gap-3 md:grid-cols-3">
                <label class="text-sm font-medium">{t::email}
                    <input class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" type="email" bind:value=email/>
                    <super::FieldNote error field="email"/>
                </label>
                <RoleSelect role/>
                <ModeSelect mode/>
            </div>
            <button type="button"
                class="mt-3 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
                disabled=move || add.pending().get() || !hydrated.get()
                on:click=move |_| { add.dispatch(UserAdd { email: email.get(), role: role.get(), mode: mode.get() }); }>
                {t::add_user_button}
            </button>
            {outcome}
        </section>
    }
}

/// Users and open invitations.
#[component]
fn UserTable(list: TenantUsers, users: Users) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let invitations = (!list.invitations.is_empty()).then(|| {
        view! {
            <h2 class="mb-2 mt-6 font-semibold">{t::invitations}</h2>
            <ul class="space-y-1 text-sm">
                {list.invitations.into_iter().map(|i| view! {
                    <li data-invitation=i.email.clone()>
                        <span class="font-medium">{i.email.clone()}</span>" · "{i.role.as_str()}" · "
                        <span class="text-slate-500">{t::expires(&i.expires_local, i.expired)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        {move || message.get().map(|m| view! { <div class="mb-2"><super::ErrorNote message=m/></div> })}
        <table class="w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
            <thead class="bg-slate-100 text-left text-slate-600">
                <tr><th class="p-2">{t::email}</th><th class="p-2">{t::role}</th><th class="p-2">{t::created}</th><th class="p-2"></th></tr>
            </thead>
            <tbody>
                {list.users.into_iter().map(|user| view! { <UserRow user users message/> }).collect_view()}
            </tbody>
        </table>
        {invitations}
    }
}

#[component]
fn UserRow(user: UserInfo, users: Users, message: RwSignal<Option<String>>) -> impl IntoView {
    let id = user.id;
    let hydrated = super::use_hydrated();
    let role = RwSignal::new(user.role);
    let set_role = Action::new(move |role: &AdminRole| {
        let role = *role;
        async move {
            let r = change_user_role(UserRoleChange { user_id: id, role }).await;
            message.set(r.err().map(|e| e.to_string()));
            users.refetch();
        }
    });
    let remove = Action::new(move |_: &()| async move {
        let r = remove_user(id).await;
        message.set(r.err().map(|e| e.to_string()));
        users.refetch();
    });
    let is_you = user.you;
    let you = move || is_you.then(t::you);
    view! {
        <tr class="border-t border-slate-100" data-user=user.email.clone()>
            <td class="p-2 font-medium">{user.email.clone()}" "<span class="text-slate-500">{you}</span></td>
            <td class="p-2">
                <select class="rounded-md border border-slate-300 px-2 py-1 text-sm" aria-label=t::role
                    disabled=move || !hydrated.get()
                    on:change=move |ev| {
                        if let Some(r) = AdminRole::parse(&event_target_value(&ev)) {
                            role.set(r);
                            set_role.dispatch(r);
                        }
                    }>
                    <option value="owner" selected=move || role.get() == AdminRole::Owner>{t::owner}</option>
                    <option value="staff" selected=move || role.get() == AdminRole::Staff>{t::staff}</option>
                </select>
            </td>
            <td class="p-2">{user.created_local.clone()}</td>
            <td class="p-2 text-right">
                {(!user.you).then(|| view! {
                    <button type="button" class="rounded-md bg-white px-2 py-1 text-xs shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
                        disabled=move || !hydrated.get()
                        on:click=move |_| { remove.dispatch(()); }>{t::remove}</button>
                })}
            </td>
        </tr>
    }
}
