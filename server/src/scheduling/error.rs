//! Everything that can go wrong when checking, booking, moving or cancelling — mapped in one
//! place to a JSON-RPC error (gateway) and to a spoken sentence (Retell functions).

use super::Offer;
use crate::booking::speech;
use crate::booking::when::WhenError;
use crate::store::StoreError;
use app::contract::{codes, Locale, RpcError};

/// A scheduling failure.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    /// The caller named a service the business does not offer.
    #[error("no service called {asked:?}; offered are: {}", known.join(", "))]
    UnknownService {
        /// What was asked.
        asked: String,
        /// Services that exist.
        known: Vec<String>,
    },
    /// The service exists but is not bookable by phone.
    #[error("the service {0:?} cannot be booked by phone")]
    NotBookableByPhone(String),
    /// No such staff member offers this service.
    #[error("nobody called {asked:?} offers this service; ask for: {}", known.join(", "))]
    UnknownStaff {
        /// What was asked.
        asked: String,
        /// Staff who offer the service.
        known: Vec<String>,
    },
    /// The date/time phrase was not understood.
    #[error(transparent)]
    When(#[from] WhenError),
    /// A booking needs an exact time, not a part of the day.
    #[error("give an exact start time for the booking, e.g. \"14:30\"")]
    NeedExactTime,
    /// The phone number is not valid.
    #[error("{0:?} is not a valid phone number")]
    BadPhone(String),
    /// An admin's entry of a phone number not in E.164 form.
    #[error("enter the phone number in E.164 form, like +4915112345678")]
    NotE164,
    /// The customer's name is missing.
    #[error("the customer's name is missing")]
    MissingName,
    /// A cancellation by an admin needs a reason.
    #[error("say why the appointment is cancelled")]
    MissingReason,
    /// A free-text field is longer than its limit.
    #[error("{field} is too long: at most {max} characters")]
    TooLong {
        /// The field (`customer_name`, `notes`, `reason`, `email`).
        field: &'static str,
        /// Its limit.
        max: usize,
    },
    /// The requested start is not free (closed, outside hours, taken); alternatives follow.
    #[error("the requested time is not available")]
    Unavailable {
        /// Free slots near the wish.
        alternatives: Vec<Offer>,
    },
    /// Someone else took the slot a moment ago; alternatives follow.
    #[error("the requested time was just taken by someone else")]
    SlotTaken {
        /// Free slots near the wish.
        alternatives: Vec<Offer>,
    },
    /// Too close to the appointment for this action.
    #[error("this needs at least {minutes} minutes' notice")]
    TooLate {
        /// Required notice.
        minutes: i64,
    },
    /// No (matching) upcoming appointment under this phone number.
    #[error("no upcoming appointment was found for this phone number")]
    NoAppointment,
    /// Several upcoming appointments and the caller did not say which.
    #[error("there are several upcoming appointments; say which one (appointment_id)")]
    WhichOne {
        /// The candidates, spoken.
        candidates: Vec<(i64, String)>,
    },
    /// The tenant vanished.
    #[error("the business is not set up")]
    UnknownTenant,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::store::appointments::WriteError> for BookingError {
    fn from(e: crate::store::appointments::WriteError) -> Self {
        use crate::store::appointments::WriteError;
        match e {
            WriteError::SlotTaken => BookingError::SlotTaken {
                alternatives: Vec::new(),
            },
            WriteError::NotFound => BookingError::NoAppointment,
            WriteError::Store(s) => BookingError::Store(s),
        }
    }
}

/// The gateway error of a store failure in a set-up change: an outage is marked as the
/// database's (its circuit breaker counts it), a value the database refused is the caller's
/// input, anything else an internal error; details only go to the log.
pub fn store_rpc(e: &StoreError) -> RpcError {
    if let StoreError::Duplicate(what) = e {
        return RpcError::new(codes::VALIDATION, format!("{what} already exists"));
    }
    if e.is_bad_value() {
        tracing::warn!(error = %e, "the database refused a value");
        return RpcError::new(
            codes::INVALID_PARAMS,
            "a value was refused: send plain text without control characters and numbers in range",
        );
    }
    if e.is_outage() {
        tracing::error!(error = %e, "database failure while scheduling");
        return RpcError::downstream_failed(
            crate::breaker::DATABASE,
            codes::INTERNAL,
            "the database failed; please try again",
        );
    }
    tracing::error!(error = %e, "a scheduling statement failed");
    RpcError::internal("the request could not be completed; please try again")
}

impl BookingError {
    /// Stable machine code of the failure (Retell function replies).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownService { .. } => "unknown_service",
            Self::NotBookableByPhone(_) => "not_bookable_by_phone",
            Self::UnknownStaff { .. } => "unknown_staff",
            Self::When(_) => "time_not_understood",
            Self::NeedExactTime => "need_exact_time",
            Self::BadPhone(_) => "invalid_phone",
            Self::NotE164 => "invalid_phone",
            Self::MissingName => "missing_name",
            Self::MissingReason => "missing_reason",
            Self::TooLong { .. } => "too_long",
            Self::Unavailable { .. } => "not_available",
            Self::SlotTaken { .. } => "slot_taken",
            Self::TooLate { .. } => "too_late",
            Self::NoAppointment => "no_appointment",
            Self::WhichOne { .. } => "which_appointment",
            Self::UnknownTenant => "unknown_business",
            Self::Store(_) => "temporary_failure",
        }
    }

    /// The free slots offered instead, if any.
    pub fn alternatives(&self) -> &[Offer] {
        match self {
            Self::Unavailable { alternatives } | Self::SlotTaken { alternatives } => alternatives,
            _ => &[],
        }
    }

    /// The gateway error for this failure.
    pub fn rpc(&self) -> RpcError {
        let field = |f: &str| RpcError::invalid_field(f, self.to_string());
        match self {
            Self::UnknownService { known, .. } => RpcError {
                data: Some(serde_json::json!({ "field": "service", "known": known })),
                ..field("service")
            },
            Self::NotBookableByPhone(_) => field("service"),
            Self::UnknownStaff { known, .. } => RpcError {
                data: Some(serde_json::json!({ "field": "staff", "known": known })),
                ..field("staff")
            },
            Self::When(_) | Self::NeedExactTime => field("new_time"),
            Self::BadPhone(_) => field("phone"),
            Self::NotE164 => field("customer_phone"),
            Self::MissingName => field("customer_name"),
            Self::MissingReason => field("reason"),
            Self::TooLong { field: f, .. } => field(f),
            Self::Unavailable { alternatives } | Self::SlotTaken { alternatives } => RpcError {
                code: codes::SLOT_TAKEN,
                message: self.to_string(),
                data: Some(serde_json::json!({ "alternatives": alternatives })),
            },
            Self::TooLate { minutes } => RpcError {
                code: codes::TOO_LATE,
                message: self.to_string(),
                data: Some(serde_json::json!({ "notice_minutes": minutes })),
            },
            Self::NoAppointment => RpcError::new(codes::NOT_FOUND, self.to_string()),
            Self::WhichOne { candidates } => RpcError {
                data: Some(serde_json::json!({ "field": "appointment_id",
                    "candidates": candidates.iter().map(|(id, s)| serde_json::json!({"id": id, "spoken": s})).collect::<Vec<_>>() })),
                ..field("appointment_id")
            },
            Self::UnknownTenant => RpcError::new(codes::NOT_FOUND, self.to_string()),
            Self::Store(e) if e.is_outage() => {
                tracing::error!(error = %e, "database failure while scheduling");
                RpcError::downstream_failed(
                    crate::breaker::DATABASE,
                    codes::INTERNAL,
                    "the database failed; please try again",
                )
            }
            Self::Store(e) => {
                tracing::error!(error = %e, "a scheduling statement failed");
                RpcError::internal("the request could not be completed; please try again")
            }
        }
    }

    /// The sentence the agent speaks.
    pub fn speak(&self, locale: Locale) -> String {
        let de = locale == Locale::De;
        let offers = |alts: &[Offer]| {
            let spoken: Vec<String> = alts.iter().map(|o| o.spoken.clone()).collect();
            speech::list(locale, &spoken)
        };
        match self {
            Self::UnknownService { asked, known } => {
                if de {
                    format!(
                        "„{asked}“ bieten wir leider nicht an. Möglich sind: {}.",
                        speech::list(locale, known)
                    )
                } else {
                    format!(
                        "We don't offer \"{asked}\". We offer: {}.",
                        speech::list(locale, known)
                    )
                }
            }
            Self::NotBookableByPhone(s) => {
                if de {
                    format!("{s} kann leider nicht telefonisch gebucht werden.")
                } else {
                    format!("{s} cannot be booked by phone.")
                }
            }
            Self::UnknownStaff { asked, known } => {
                if de {
                    format!(
                        "{asked} bietet diese Leistung nicht an. Möglich sind: {}.",
                        speech::list(locale, known)
                    )
                } else {
                    format!(
                        "{asked} doesn't offer this service. You can ask for {}.",
                        speech::list(locale, known)
                    )
                }
            }
            Self::When(_) => {
                if de {
                    "Ich habe den Terminwunsch nicht verstanden. Welcher Tag und welche Uhrzeit passen Ihnen?".into()
                } else {
                    "I didn't catch the date or time. Which day and time would suit you?".into()
                }
            }
            Self::NeedExactTime => {
                if de {
                    "Zu welcher Uhrzeit genau soll ich den Termin eintragen?".into()
                } else {
                    "At what exact time should I book it?".into()
                }
            }
            Self::BadPhone(_) | Self::NotE164 => {
                if de {
                    "Die Telefonnummer scheint nicht zu stimmen. Können Sie sie bitte noch einmal sagen?".into()
                } else {
                    "That phone number doesn't look right. Could you say it again?".into()
                }
            }
            Self::MissingReason => {
                if de {
                    "Warum soll der Termin storniert werden?".into()
                } else {
                    "Why should the appointment be cancelled?".into()
                }
            }
            Self::MissingName => {
                if de {
                    "Auf welchen Namen darf ich den Termin eintragen?".into()
                } else {
                    "Under which name should I book the appointment?".into()
                }
            }
            Self::TooLong { field, .. } => {
                let what = match (*field, de) {
                    ("customer_name", true) => "Der Name",
                    ("customer_name", false) => "The name",
                    ("reason", true) => "Der Grund",
                    ("reason", false) => "The reason",
                    ("email", true) => "Die E-Mail-Adresse",
                    ("email", false) => "The e-mail address",
                    (_, true) => "Die Notiz",
                    (_, false) => "The note",
                };
                if de {
                    format!("{what} ist zu lang; bitte kürzer fassen.")
                } else {
                    format!("{what} is too long; please keep it shorter.")
                }
            }
            Self::Unavailable { alternatives } | Self::SlotTaken { alternatives } => {
                let lead = match (de, matches!(self, Self::SlotTaken { .. })) {
                    (true, true) => "Dieser Termin wurde gerade vergeben.",
                    (true, false) => "Zu dieser Zeit ist leider nichts frei.",
                    (false, true) => "That time was just taken.",
                    (false, false) => "That time isn't available.",
                };
                match (alternatives.is_empty(), de) {
                    (true, true) => {
                        format!("{lead} In den nächsten Wochen ist leider nichts mehr frei.")
                    }
                    (true, false) => format!("{lead} There is nothing free in the coming weeks."),
                    (false, true) => {
                        format!("{lead} Ich kann Ihnen {} anbieten.", offers(alternatives))
                    }
                    (false, false) => format!("{lead} I can offer {}.", offers(alternatives)),
                }
            }
            Self::TooLate { minutes } => {
                let hours = (minutes + 59) / 60;
                if de {
                    format!("Das ist leider nur bis {hours} Stunden vor dem Termin möglich. Bitte rufen Sie im Salon direkt an.")
                } else {
                    format!("That is only possible up to {hours} hours before the appointment. Please contact us directly.")
                }
            }
            Self::NoAppointment => {
                if de {
                    "Unter Ihrer Telefonnummer habe ich leider keinen anstehenden Termin gefunden."
                        .into()
                } else {
                    "I couldn't find an upcoming appointment under your phone number.".into()
                }
            }
            Self::WhichOne { candidates } => {
                let spoken: Vec<String> = candidates.iter().map(|(_, s)| s.clone()).collect();
                if de {
                    format!(
                        "Sie haben mehrere Termine: {}. Welchen meinen Sie?",
                        speech::list(locale, &spoken)
                    )
                } else {
                    format!(
                        "You have several appointments: {}. Which one do you mean?",
                        speech::list(locale, &spoken)
                    )
                }
            }
            Self::UnknownTenant | Self::Store(_) => {
                if de {
                    "Entschuldigung, das System ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.".into()
                } else {
                    "Sorry, the booking system is unavailable right now. Please try again in a moment.".into()
                }
            }
        }
    }
}
