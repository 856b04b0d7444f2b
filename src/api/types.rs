//! Data shared by the server and the browser. Row types derive `FromRow` only on the server.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkspaceSummary {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub tier: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PartnerBadge {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
}

/// Who is looking at the page: enough for the shells to decide what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: String,
    pub email: String,
    pub is_platform_admin: bool,
    pub workspaces: Vec<WorkspaceSummary>,
    pub partner: Option<PartnerBadge>,
}

impl Viewer {
    pub fn customer_workspaces(&self) -> impl Iterator<Item = &WorkspaceSummary> {
        self.workspaces.iter().filter(|w| w.kind == "customer")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStats {
    pub users: i64,
    pub workspaces: i64,
    pub partners: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanView {
    pub id: String,
    pub name: String,
    pub price_monthly_cents: i64,
    pub currency: String,
}
