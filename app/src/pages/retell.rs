//! The seed's `/admin/retell-webhook` page: where Retell must send events and calls.

use crate::api::get_dashboard;
use leptos::either::Either;
use leptos::prelude::*;

/// Shows the webhook URL and the custom-function base URL to enter at Retell.
#[component]
pub fn RetellWebhookPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_dashboard());
    view! {
        <super::PageHeader title="Retell webhook" subtitle="Connect your Retell agent to Slotline."/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        let functions = o.webhook_url.replace("/api/webhooks/retell", "/api/mcp/gateway/retell/functions/");
                        Either::Left(view! {
                            <dl class="max-w-2xl space-y-4 rounded-xl bg-white p-6 shadow-sm text-sm">
                                <div>
                                    <dt class="font-medium">"Webhook URL (agent setting webhook_url)"</dt>
                                    <dd><code class="break-all">{o.webhook_url}</code></dd>
                                </div>
                                <div>
                                    <dt class="font-medium">"Custom function base URL"</dt>
                                    <dd><code class="break-all">{functions}</code></dd>
                                </div>
                                <div>
                                    <dt class="font-medium">"Retell API key"</dt>
                                    <dd>{if o.retell_api_key_set { "stored (encrypted)" } else { "not set yet" }}</dd>
                                </div>
                            </dl>
                        })
                    }
                    Err(e) => Either::Right(view! { <super::ErrorNote message=e.to_string()/> }),
                }
            })}
        </Suspense>
    }
}
