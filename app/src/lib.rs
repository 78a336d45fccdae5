//! Slotline's admin UI: the SSR shell, the routed pages, the server functions and the
//! shared contract types used by the server, the WASM SPA and the tests.
#![recursion_limit = "256"]

pub mod api;
pub mod contract;
#[cfg(feature = "ssr")]
pub mod gateway;
pub mod i18n_setup;
mod pages;

/// The generated catalogue (`i18n::Locale`, `use_i18n`, `t!`): `load_locales!` reads
/// `[package.metadata.leptos-i18n]`; its build.rs successor would pull ICU's data exporter
/// into every build for formatting features Slotline does not use (docs/decisions.md).
#[allow(deprecated)]
mod catalogue {
    leptos_i18n::load_locales!();
}
pub use catalogue::i18n;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The routed admin application (hydrated in the browser).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/slotline.css"/>
        <Title text="Slotline"/>
        <i18n_setup::LanguageProvider>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("") view=|| view! { <Redirect path="/admin"/> }/>
                <Route path=path!("/admin/login") view=pages::login::LoginPage/>
                <Route path=path!("/admin/invite/:token") view=pages::invite::InvitePage/>
                <ParentRoute path=path!("/admin") view=pages::layout::AdminLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("retell-webhook") view=pages::retell::RetellWebhookPage/>
                    <Route path=path!("calls") view=pages::calls::CallsPage/>
                    <Route path=path!("calls/:id") view=pages::call_detail::CallDetailPage/>
                    <Route path=path!("calendar") view=pages::calendar::CalendarPage/>
                    <Route path=path!("appointments") view=pages::appointments::AppointmentsPage/>
                    <Route path=path!("scheduling") view=pages::scheduling::SchedulingPage/>
                    <Route path=path!("setup") view=pages::setup::SetupPage/>
                    <Route path=path!("settings") view=pages::settings::SettingsPage/>
                    <Route path=path!("api-access") view=pages::tokens::TokensPage/>
                    <Route path=path!("notifications") view=pages::notifications::NotificationsPage/>
                    <Route path=path!("monitoring") view=pages::monitoring::MonitoringPage/>
                    <Route path=path!("platform") view=pages::platform::PlatformPage/>
                    <Route path=path!("users") view=pages::users::UsersPage/>
                    <Route path=path!("password") view=pages::password::PasswordPage/>
                </ParentRoute>
            </Routes>
        </Router>
        </i18n_setup::LanguageProvider>
    }
}
