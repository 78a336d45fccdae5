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
    path, Lazy, SsrMode,
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
                <Route path=path!("/admin/login") view={Lazy::<pages::lazy::Login>::new()}/>
                <Route path=path!("/admin/invite/:token") view={Lazy::<pages::lazy::Invite>::new()}/>
                <ParentRoute path=path!("/admin") view=pages::layout::AdminLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<pages::lazy::Dashboard>::new()}/>
                    <Route path=path!("retell-webhook") view={Lazy::<pages::lazy::RetellWebhook>::new()}/>
                    <Route path=path!("calls") view={Lazy::<pages::lazy::Calls>::new()}/>
                    <Route path=path!("calls/:id") view={Lazy::<pages::lazy::CallDetail>::new()}/>
                    <Route path=path!("calendar") view={Lazy::<pages::lazy::Calendar>::new()}/>
                    <Route path=path!("appointments") view={Lazy::<pages::lazy::Appointments>::new()}/>
                    <Route path=path!("scheduling") view={Lazy::<pages::lazy::Scheduling>::new()}/>
                    <Route path=path!("setup") view={Lazy::<pages::lazy::Setup>::new()}/>
                    <Route path=path!("settings") view={Lazy::<pages::lazy::Settings>::new()}/>
                    <Route path=path!("api-access") view={Lazy::<pages::lazy::Tokens>::new()}/>
                    <Route path=path!("notifications") view={Lazy::<pages::lazy::Notifications>::new()}/>
                    <Route path=path!("monitoring") view={Lazy::<pages::lazy::Monitoring>::new()}/>
                    <Route path=path!("platform") view={Lazy::<pages::lazy::Platform>::new()}/>
                    <Route path=path!("users") view={Lazy::<pages::lazy::Users>::new()}/>
                    <Route path=path!("password") view={Lazy::<pages::lazy::Password>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
        </i18n_setup::LanguageProvider>
    }
}
