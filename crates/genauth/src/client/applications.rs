//! Reading every application of the user pool, and switching a connection on and off for
//! applications (`change-ext-idp-conn-state`), one request per application.

use std::collections::BTreeSet;

use idconn_core::{Result, application_switches};

use super::api::Api;
use crate::mapping::applications::enabled_for;
use crate::wire;

/// SPEC `list-applications`: "每页数目，最大不能超过 50".
const PAGE_LIMIT: u32 = 50;

/// Every application of the user pool, page by page.
pub async fn every_application(api: &Api) -> Result<Vec<wire::Application>> {
    let mut all = Vec::new();
    for page in 1.. {
        let answer = api.list_applications(page, PAGE_LIMIT).await?;
        let got = answer.list.len();
        all.extend(answer.list);
        if got < PAGE_LIMIT as usize || all.len() as u64 >= answer.total_count {
            break;
        }
    }
    Ok(all)
}

/// Switches connection `id` on for exactly `wanted` (application ids), given the applications
/// as read before the write, one request per application whose state changes.
pub async fn converge(
    api: &Api,
    id: &str,
    applications: &[wire::Application],
    wanted: &BTreeSet<String>,
) -> Result<()> {
    for (app_id, enabled) in application_switches(&enabled_for(applications, id), wanted) {
        api.change_conn_state(id, &app_id, enabled).await?;
    }
    Ok(())
}
