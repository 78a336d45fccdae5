//! The parts of Retell's webhook body Slotline reads (unknown fields are ignored), and the
//! call update each event produces.

use crate::store::webhooks::CallUpdate;
use serde::Deserialize;

/// `{"event": "...", "call": {...}}`.
#[derive(Debug, Deserialize)]
pub struct Envelope {
    /// Event name.
    pub event: String,
    /// The call object.
    pub call: Call,
}

/// Retell's call object (fields Slotline uses).
#[derive(Debug, Default, Deserialize)]
pub struct Call {
    /// Call id.
    pub call_id: String,
    /// Agent id.
    pub agent_id: Option<String>,
    /// phone_call | web_call.
    pub call_type: Option<String>,
    /// inbound | outbound.
    pub direction: Option<String>,
    /// Caller number.
    pub from_number: Option<String>,
    /// Called number.
    pub to_number: Option<String>,
    /// Status.
    pub call_status: Option<String>,
    /// Start, ms.
    pub start_timestamp: Option<i64>,
    /// End, ms.
    pub end_timestamp: Option<i64>,
    /// Duration, ms.
    pub duration_ms: Option<i64>,
    /// Why it ended.
    pub disconnection_reason: Option<String>,
    /// Transcript.
    pub transcript: Option<String>,
    /// Recording.
    pub recording_url: Option<String>,
    /// Post-call analysis.
    pub call_analysis: Option<Analysis>,
}

impl Call {
    /// Checks the fields used before any lookup: the call id, the agent id and the called
    /// number must have Retell's form (a caller number of another form is simply not used).
    pub fn check(&self) -> Result<(), crate::input::InputError> {
        crate::input::call_id("call.call_id", &self.call_id)?;
        if let Some(agent) = self.agent_id.as_deref() {
            crate::input::agent_id("call.agent_id", agent)?;
        }
        if let Some(to) = self.to_number.as_deref().filter(|n| !n.is_empty()) {
            crate::input::e164("call.to_number", to)?;
        }
        Ok(())
    }
}

/// `call_analysis` of `call_analyzed`.
#[derive(Debug, Default, Deserialize)]
pub struct Analysis {
    /// Summary.
    pub call_summary: Option<String>,
    /// Sentiment.
    pub user_sentiment: Option<String>,
    /// Success.
    pub call_successful: Option<bool>,
    /// Voicemail.
    pub in_voicemail: Option<bool>,
    /// Custom data.
    pub custom_analysis_data: Option<serde_json::Value>,
}

/// Why a body is not a usable webhook.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// Not JSON of the expected shape.
    #[error("the body is not a Retell webhook: {0}")]
    Shape(String),
    /// The call id, agent id or called number does not have Retell's form.
    #[error("{0}")]
    CallId(#[from] crate::input::InputError),
    /// The event name is empty or not a plain identifier.
    #[error("event must be a name like call_started")]
    Event,
}

impl Envelope {
    /// Parses and checks a body.
    pub fn parse(body: &[u8]) -> Result<Self, EnvelopeError> {
        let env: Envelope =
            serde_json::from_slice(body).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
        env.call.check()?;
        if env.event.is_empty()
            || env.event.len() > 64
            || !env
                .event
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            return Err(EnvelopeError::Event);
        }
        Ok(env)
    }
}

/// A number in E.164 if it is a valid phone number; anything else is dropped.
fn e164(raw: Option<&str>) -> Option<String> {
    let parsed = phonenumber::parse(None, raw?).ok()?;
    phonenumber::is_valid(&parsed)
        .then(|| parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// Text from Retell without control characters (PostgreSQL refuses NUL in text).
fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref().map(crate::input::clean)
}

/// What applying `event` changes on the call; `None` for events Slotline only logs.
pub fn call_update(event: &str, call: &Call) -> Option<CallUpdate> {
    let base = || CallUpdate {
        agent_id: clean(&call.agent_id),
        call_type: clean(&call.call_type),
        direction: clean(&call.direction),
        from_number: e164(call.from_number.as_deref()),
        to_number: e164(call.to_number.as_deref()),
        start_ms: call.start_timestamp,
        ..CallUpdate::default()
    };
    match event {
        "call_started" => Some(CallUpdate {
            call_status: Some(clean(&call.call_status).unwrap_or_else(|| "ongoing".into())),
            ..base()
        }),
        "call_ended" => Some(CallUpdate {
            call_status: Some(clean(&call.call_status).unwrap_or_else(|| "ended".into())),
            end_ms: call.end_timestamp,
            duration_ms: call.duration_ms,
            disconnection_reason: clean(&call.disconnection_reason),
            transcript: clean(&call.transcript),
            recording_url: clean(&call.recording_url),
            ..base()
        }),
        "call_analyzed" => {
            let a = call.call_analysis.as_ref();
            Some(CallUpdate {
                end_ms: call.end_timestamp,
                duration_ms: call.duration_ms,
                transcript: clean(&call.transcript),
                recording_url: clean(&call.recording_url),
                summary: a.and_then(|a| clean(&a.call_summary)),
                sentiment: a.and_then(|a| clean(&a.user_sentiment)),
                successful: a.and_then(|a| a.call_successful),
                in_voicemail: a.and_then(|a| a.in_voicemail),
                custom_analysis: a
                    .and_then(|a| a.custom_analysis_data.as_ref())
                    .map(|v| v.to_string()),
                ..base()
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/retell/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn retells_sample_bodies_parse_and_map() {
        let ended = Envelope::parse(&sample("webhook-call_ended.json")).unwrap();
        assert_eq!(ended.event, "call_ended");
        let u = call_update(&ended.event, &ended.call).unwrap();
        assert_eq!(u.call_status.as_deref(), Some("ended"));
        assert_eq!(u.duration_ms, Some(24000));
        assert_eq!(u.from_number.as_deref(), Some("+4915112345678"));
        assert!(u.transcript.is_some());

        let analyzed = Envelope::parse(&sample("webhook-call_analyzed.json")).unwrap();
        let u = call_update(&analyzed.event, &analyzed.call).unwrap();
        assert!(u.summary.is_some());
        assert!(u.sentiment.is_some());
        assert!(u.custom_analysis.is_some());
    }

    #[test]
    fn other_events_are_only_logged() {
        assert!(call_update("transcript_updated", &Call::default()).is_none());
    }

    #[test]
    fn bad_bodies_say_what_is_wrong() {
        assert!(matches!(
            Envelope::parse(b"not json"),
            Err(EnvelopeError::Shape(_))
        ));
        assert!(matches!(
            Envelope::parse(br#"{"event":"call_started","call":{"call_id":""}}"#),
            Err(EnvelopeError::CallId(_))
        ));
        assert!(matches!(
            Envelope::parse(br#"{"event":"Drop Table","call":{"call_id":"c1"}}"#),
            Err(EnvelopeError::Event)
        ));
    }

    #[test]
    fn numbers_are_kept_only_as_valid_e164() {
        assert_eq!(
            e164(Some("+493012345670")).as_deref(),
            Some("+493012345670")
        );
        assert_eq!(e164(Some("garbage")), None);
        assert_eq!(e164(None), None);
    }
}
