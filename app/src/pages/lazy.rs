//! The admin pages as lazy routes: in the browser each page's code is a WASM chunk of its
//! own (cut by frontend/split), fetched the first time the page is shown, so the first load
//! carries the app's frame and not all seventeen pages. The server renders them as before.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `Route => module::Page`: a unit struct whose lazy view is the page component.
macro_rules! lazy_pages {
    ($($route:ident => $($page:ident)::+;)+) => {$(
        #[doc = concat!("The lazily loaded `", stringify!($($page)::+), "`.")]
        #[derive(Clone, Copy, Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$($page)::+/> }.into_any()
            }
        }
    )+};
}

lazy_pages! {
    Login => super::login::LoginPage;
    Invite => super::invite::InvitePage;
    Dashboard => super::dashboard::DashboardPage;
    RetellWebhook => super::retell::RetellWebhookPage;
    Calls => super::calls::CallsPage;
    CallDetail => super::call_detail::CallDetailPage;
    Calendar => super::calendar::CalendarPage;
    Appointments => super::appointments::AppointmentsPage;
    Scheduling => super::scheduling::SchedulingPage;
    Setup => super::setup::SetupPage;
    Settings => super::settings::SettingsPage;
    Tokens => super::tokens::TokensPage;
    Notifications => super::notifications::NotificationsPage;
    Monitoring => super::monitoring::MonitoringPage;
    Platform => super::platform::PlatformPage;
    Users => super::users::UsersPage;
    Password => super::password::PasswordPage;
}
