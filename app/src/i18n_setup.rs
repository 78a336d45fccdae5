//! The UI's languages: the i18n context (German unless the admin chose otherwise), the
//! language switch, and how dates and numbers read in each language.

use crate::contract::Language;
use crate::i18n::{I18nContextProvider, Locale};
use leptos::prelude::*;
use leptos_use::{SameSite, UseCookieOptions, UseLocalesOptions};

/// The cookie that carries the chosen language (no secret; set at sign-in from the admin's
/// remembered language, and by the switch).
pub const LANGUAGE_COOKIE: &str = "slotline_lang";

/// One year, in the milliseconds `leptos_use` counts cookie ages in.
const COOKIE_MAX_AGE_MS: i64 = 365 * 24 * 3600 * 1000;

/// The i18n locale of a contract language.
pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::De => Locale::de,
        Language::En => Locale::en,
    }
}

/// The contract language of an i18n locale.
pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::de => Language::De,
        Locale::en => Language::En,
    }
}

/// Provides the i18n context to the app: the language cookie decides, and without it the
/// UI is German (the browser's Accept-Language is deliberately not consulted: Slotline's
/// businesses are German, and a server-chosen default keeps SSR and hydration in step).
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    let cookie = UseCookieOptions::default()
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(COOKIE_MAX_AGE_MS);
    let header = UseLocalesOptions::default().ssr_lang_header_getter(|| None);
    view! {
        <I18nContextProvider cookie_name=LANGUAGE_COOKIE cookie_options=cookie ssr_lang_header_getter=header>
            {children()}
        </I18nContextProvider>
    }
}

/// Buttons that switch the UI language at once; when someone is signed in the choice is
/// also remembered for them (it then follows them to other devices).
#[component]
pub fn LanguageSwitch(#[prop(optional)] signed_in: bool) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let remember = Action::new(|language: &Language| crate::api::set_language(*language));
    let hydrated = crate::pages::use_hydrated();
    view! {
        <div class="flex gap-1 text-xs" role="group" aria-label="Sprache / Language" data-testid="language-switch">
            {Language::ALL
                .into_iter()
                .map(|language| {
                    let active = move || language_of(i18n.get_locale()) == language;
                    view! {
                        <button
                            type="button"
                            lang=language.code()
                            data-language=language.code()
                            class="rounded px-2 py-0.5 ring-1 ring-slate-500 aria-pressed:bg-slate-200 aria-pressed:text-slate-900"
                            aria-pressed=move || active().to_string()
                            disabled=move || !hydrated.get()
                            on:click=move |_| {
                                i18n.set_locale(locale_of(language));
                                if signed_in {
                                    remember.dispatch(language);
                                }
                            }
                        >
                            {language.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The language the UI shows now (reactive).
pub fn current_language() -> Language {
    language_of(crate::i18n::use_i18n().get_locale())
}

/// A server time label (`YYYY-MM-DD HH:MM` or `YYYY-MM-DD`, already in the tenant's zone) as
/// the language writes it: German `09.03.2027 10:00`, English unchanged. Anything else is
/// returned as it came.
pub fn local_time(label: &str, language: Language) -> String {
    if language == Language::En {
        return label.to_string();
    }
    let (Some(date), Some(rest)) = (label.get(..10), label.get(10..)) else {
        return label.to_string();
    };
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            format!("{d}.{m}.{y}{rest}")
        }
        _ => label.to_string(),
    }
}

/// A number with the language's decimal separator and `decimals` places (`12,5` / `12.5`).
pub fn number(value: f64, decimals: usize, language: Language) -> String {
    let text = format!("{value:.decimals$}");
    match language {
        Language::De => text.replace('.', ","),
        Language::En => text,
    }
}

/// A share (0.0–1.0) as a percentage the language writes (`42,5 %` / `42.5%`).
pub fn percent(share: f64, language: Language) -> String {
    let value = number(share * 100.0, 1, language);
    match language {
        Language::De => format!("{value} %"),
        Language::En => format!("{value}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_dates_read_day_month_year() {
        assert_eq!(
            local_time("2027-03-09 10:00", Language::De),
            "09.03.2027 10:00"
        );
        assert_eq!(local_time("2027-03-09", Language::De), "09.03.2027");
        assert_eq!(
            local_time("2027-03-09 10:00", Language::En),
            "2027-03-09 10:00"
        );
        assert_eq!(local_time("gestern", Language::De), "gestern");
        assert_eq!(local_time("", Language::De), "");
    }

    #[test]
    fn numbers_use_the_languages_decimal_separator() {
        assert_eq!(percent(0.425, Language::De), "42,5 %");
        assert_eq!(percent(0.425, Language::En), "42.5%");
        assert_eq!(number(3.0, 0, Language::De), "3");
    }
}

#[cfg(test)]
mod catalogue_tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The keys of one catalogue file.
    fn keys(lang: &str, namespace: &str) -> BTreeSet<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang)
            .join(format!("{namespace}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        value
            .as_object()
            .unwrap_or_else(|| panic!("{path:?} is not an object"))
            .keys()
            .cloned()
            .collect()
    }

    #[test]
    fn every_key_exists_in_german_and_english() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/de");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let namespace = name.trim_end_matches(".json");
            let (de, en) = (keys("de", namespace), keys("en", namespace));
            let only_de: Vec<_> = de.difference(&en).collect();
            let only_en: Vec<_> = en.difference(&de).collect();
            assert!(
                only_de.is_empty() && only_en.is_empty(),
                "{namespace}: only German {only_de:?}, only English {only_en:?}"
            );
            checked += 1;
        }
        assert!(checked >= 2, "the catalogues were not found");
    }
}
