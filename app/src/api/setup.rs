//! Server functions of the set-up pages: read the whole set-up, save and archive services and
//! staff, days off and extra shifts, closures, booking rules (owners only; the gateway refuses
//! staff accounts).

use super::ApiError;
use crate::contract::{
    AddClosureParams, AddExceptionParams, ArchiveParams, BookingRulesInfo, RemoveParams,
    SaveServiceParams, SaveStaffParams, SetupResult, SetupState,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The tenant's set-up: rules, services, staff with hours and exceptions, closures.
#[server(prefix = "/api/ui", endpoint = "setup_get")]
pub async fn get_setup() -> Result<SetupState, ApiError> {
    super::backend::call("scheduling.setup", &crate::contract::NoParams {}).await
}

/// Creates or edits a service.
#[server(prefix = "/api/ui", endpoint = "setup_service_save", input = Json)]
pub async fn save_service(params: SaveServiceParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.services.save", &params).await
}

/// Archives or restores a service.
#[server(prefix = "/api/ui", endpoint = "setup_service_archive", input = Json)]
pub async fn archive_service(params: ArchiveParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.services.archive", &params).await
}

/// Creates or edits a staff member with services and weekly hours.
#[server(prefix = "/api/ui", endpoint = "setup_staff_save", input = Json)]
pub async fn save_staff(params: SaveStaffParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.staff.save", &params).await
}

/// Archives or restores a staff member.
#[server(prefix = "/api/ui", endpoint = "setup_staff_archive", input = Json)]
pub async fn archive_staff(params: ArchiveParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.staff.archive", &params).await
}

/// Adds a day off or an extra shift.
#[server(prefix = "/api/ui", endpoint = "setup_exception_add", input = Json)]
pub async fn add_exception(params: AddExceptionParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.exceptions.add", &params).await
}

/// Removes a day off or an extra shift.
#[server(prefix = "/api/ui", endpoint = "setup_exception_remove", input = Json)]
pub async fn remove_exception(params: RemoveParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.exceptions.remove", &params).await
}

/// Adds a closure of the business or a staff member.
#[server(prefix = "/api/ui", endpoint = "setup_closure_add", input = Json)]
pub async fn add_closure(params: AddClosureParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.closures.add", &params).await
}

/// Removes a closure.
#[server(prefix = "/api/ui", endpoint = "setup_closure_remove", input = Json)]
pub async fn remove_closure(params: RemoveParams) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.closures.remove", &params).await
}

/// Saves the booking rules.
#[server(prefix = "/api/ui", endpoint = "setup_rules_update", input = Json)]
pub async fn update_rules(rules: BookingRulesInfo) -> Result<SetupResult, ApiError> {
    super::backend::call("scheduling.rules.update", &rules).await
}
