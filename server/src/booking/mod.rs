//! The booking domain: pure code, no I/O. Availability of slots from working hours,
//! closures, existing appointments and booking rules, in the tenant's time zone.

pub mod availability;
pub mod hours;
pub mod speech;
pub mod when;
pub mod words;
