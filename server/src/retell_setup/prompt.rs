//! The agent prompt, generated in German or English from the tenant's real data: business
//! name, phone-bookable services with durations, opening hours (the union of the staff's
//! hours), the team, when to call each enabled function, how to confirm details and what to
//! say when nothing is free. Uses Retell's dynamic variables for the time and caller.

use crate::scheduling::TenantView;
use app::contract::{Locale, PromptTemplate};

const DAYS_DE: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn hhmm(min: i64) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// Opening hours per ISO weekday (1 = Monday): the merged spans of every staff member.
pub fn opening_hours(view: &TenantView) -> Vec<(i64, Vec<(i64, i64)>)> {
    (1..=7)
        .map(|day| {
            let mut spans: Vec<(i64, i64)> = view
                .setup
                .staff
                .iter()
                .flat_map(|s| s.hours.iter())
                .filter(|h| h.0 == day)
                .map(|h| (h.1, h.2))
                .collect();
            spans.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::new();
            for (start, end) in spans {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            (day, merged)
        })
        .collect()
}

/// The prompt in `locale` for the tenant, mentioning only the `enabled` functions.
pub fn template(view: &TenantView, locale: Locale, enabled: &[&str]) -> PromptTemplate {
    let zone = view.tz.iana_name().unwrap_or("UTC").to_owned();
    let now_var = format!("current_time_{zone}");
    let de = locale == Locale::De;
    let phone: Vec<String> = view
        .setup
        .services
        .iter()
        .filter(|s| s.phone_bookable)
        .map(|s| {
            if de {
                format!("- {} ({} Minuten)", s.name, s.duration_min)
            } else {
                format!("- {} ({} minutes)", s.name, s.duration_min)
            }
        })
        .collect();
    let in_person: Vec<&str> = view
        .setup
        .services
        .iter()
        .filter(|s| !s.phone_bookable)
        .map(|s| s.name.as_str())
        .collect();
    let days = if de { DAYS_DE } else { DAYS_EN };
    let hours: Vec<String> = opening_hours(view)
        .into_iter()
        .map(|(day, spans)| {
            let name = days[(day - 1) as usize];
            if spans.is_empty() {
                format!("- {name}: {}", if de { "geschlossen" } else { "closed" })
            } else {
                let s: Vec<String> = spans
                    .iter()
                    .map(|(a, b)| format!("{}–{}", hhmm(*a), hhmm(*b)))
                    .collect();
                format!("- {name}: {}", s.join(", "))
            }
        })
        .collect();
    let team: Vec<String> = view
        .setup
        .staff
        .iter()
        .map(|st| {
            let offers: Vec<&str> = view
                .setup
                .services
                .iter()
                .filter(|s| st.service_ids.contains(&s.id))
                .map(|s| s.name.as_str())
                .collect();
            format!("- {} ({})", st.name, offers.join(", "))
        })
        .collect();
    let on = |f: &str| enabled.contains(&f);
    let none = if de { "- (noch keine)" } else { "- (none yet)" };
    let list = |v: &[String]| {
        if v.is_empty() {
            none.to_owned()
        } else {
            v.join("\n")
        }
    };
    let mut prompt = if de {
        format!(
            "## Rolle\nDu bist die freundliche Telefonassistenz von {name}. Du sprichst Deutsch, \
             kurz, höflich und natürlich (Sie-Form), und vereinbarst, verschiebst und stornierst \
             Termine.\n\n## Jetzt\nEs ist {{{{{now_var}}}}} ({zone}). Der Anrufer ruft von \
             {{{{user_number}}}} an.\n\n## Leistungen, die am Telefon gebucht werden können\n\
             {services}\n{in_person}\n## Öffnungszeiten\n{hours}\n\n## Team\n{team}\n\n## So gehst du vor\n",
            name = view.name,
            services = list(&phone),
            in_person = if in_person.is_empty() {
                String::new()
            } else {
                format!(
                    "Nur vor Ort zu vereinbaren (nicht am Telefon buchen): {}\n",
                    in_person.join(", ")
                )
            },
            hours = hours.join("\n"),
            team = list(&team),
        )
    } else {
        format!(
            "## Role\nYou are the friendly phone assistant of {name}. You speak English, short, \
             polite and natural, and you book, move and cancel appointments.\n\n## Now\nIt is \
             {{{{{now_var}}}}} ({zone}). The caller is calling from {{{{user_number}}}}.\n\n\
             ## Services that can be booked by phone\n{services}\n{in_person}\n## Opening hours\n\
             {hours}\n\n## Team\n{team}\n\n## How to work\n",
            name = view.name,
            services = list(&phone),
            in_person = if in_person.is_empty() {
                String::new()
            } else {
                format!(
                    "Only arranged in person (do not book by phone): {}\n",
                    in_person.join(", ")
                )
            },
            hours = hours.join("\n"),
            team = list(&team),
        )
    };
    let mut steps: Vec<&str> = Vec::new();
    if de {
        steps.push("Frage, welche Leistung gewünscht ist und wann es passt (Tag und Uhrzeit, gern ungefähr).");
        if on("check_availability") {
            steps.push("Rufe check_availability auf, bevor du eine Zeit vorschlägst oder zusagst. Nenne nur Zeiten aus der Antwort; lies ihre `message` sinngemäß vor.");
        }
        if on("collect_appointment") {
            steps.push("Wiederhole vor dem Buchen Leistung, Tag, Uhrzeit und den Namen (lass ihn buchstabieren, wenn er unklar ist) und lass dir alles bestätigen. Erst dann rufe collect_appointment auf. Die Nummer des Anrufers kennt das System; frage nur nach einer anderen Nummer, wenn der Anrufer das möchte.");
        }
        if on("change_appointment") {
            steps.push("Möchte der Anrufer einen Termin verschieben, kläre den neuen Wunschtermin, prüfe ihn mit check_availability und rufe dann change_appointment auf.");
        }
        if on("cancel_appointment") {
            steps.push("Möchte der Anrufer absagen, frage nach dem Grund, lass dir die Absage bestätigen und rufe dann cancel_appointment auf.");
        }
        steps.push("Ist zur Wunschzeit nichts frei, sag das ehrlich und biete die Alternativen aus der Antwort an. Gibt es keine, frage nach einem anderen Tag oder einer anderen Tageszeit und prüfe erneut. Versprich nie einen Termin, den das System nicht bestätigt hat.");
        steps.push("Meldet eine Funktion einen Fehler, entschuldige dich kurz und biete an, dass sich das Team meldet.");
    } else {
        steps.push("Ask which service the caller wants and when it suits them (day and time, roughly is fine).");
        if on("check_availability") {
            steps.push("Call check_availability before you propose or promise any time. Only offer times from its answer; say its `message` in your own words.");
        }
        if on("collect_appointment") {
            steps.push("Before booking, repeat service, day, time and the caller's name (ask them to spell it if unclear) and get a clear yes. Only then call collect_appointment. The system knows the caller's number; ask for another number only if the caller wants one.");
        }
        if on("change_appointment") {
            steps.push("If the caller wants to move an appointment, agree on the new time, check it with check_availability, then call change_appointment.");
        }
        if on("cancel_appointment") {
            steps.push("If the caller wants to cancel, ask for the reason, get a clear yes, then call cancel_appointment.");
        }
        steps.push("If nothing is free at the wished time, say so honestly and offer the alternatives from the answer. If there are none, ask for another day or time of day and check again. Never promise a time the system has not confirmed.");
        steps.push("If a function reports an error, apologise briefly and offer that the team will call back.");
    }
    for (i, s) in steps.iter().enumerate() {
        prompt.push_str(&format!("{}. {s}\n", i + 1));
    }
    let begin_message = if de {
        format!(
            "Guten Tag, hier ist die Terminassistenz von {}. Wie kann ich Ihnen helfen?",
            view.name
        )
    } else {
        format!(
            "Hello, this is the appointment assistant of {}. How can I help you?",
            view.name
        )
    };
    PromptTemplate {
        locale,
        prompt,
        begin_message,
        dynamic_variables: vec![now_var, "user_number".into()],
    }
}
