use crate::model::types::Viewer;

/// The three signed-in areas of the app, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Admin,
    Portal,
    Customer,
}

impl Area {
    pub fn of_path(path: &str) -> Option<Self> {
        // No allocation: this runs on every request.
        let under = |prefix: &str| {
            path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/admin") {
            Some(Self::Admin)
        } else if under("/partners") {
            Some(Self::Portal)
        } else if under("/dashboard") || under("/onboarding") {
            Some(Self::Customer)
        } else {
            None
        }
    }

    pub fn admits(self, viewer: &Viewer) -> bool {
        match self {
            Self::Admin => viewer.is_platform_admin,
            Self::Portal => viewer.partner.is_some(),
            Self::Customer => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_areas() {
        assert_eq!(Area::of_path("/admin"), Some(Area::Admin));
        assert_eq!(Area::of_path("/admin/partners"), Some(Area::Admin));
        assert_eq!(Area::of_path("/administrator"), None);
        assert_eq!(Area::of_path("/partners/links"), Some(Area::Portal));
        assert_eq!(Area::of_path("/onboarding/workspace"), Some(Area::Customer));
        assert_eq!(Area::of_path("/register"), None);
    }
}
