/*! The words every capability shares: the three strategies, the roles of the people who fill
in a self-check, the app's languages, a text in each language, and an area (municipality or
province). Plain data with the rules that belong to it; nothing of the crate beneath. */
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
/// The three ways of strengthening the "we" in a neighbourhood, in their fixed display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    Bonding,
    Bridging,
    Linking,
}

impl Strategy {
    /// Axis order for every chart and table: bonding, bridging, linking.
    pub const ALL: [Strategy; 3] = [Strategy::Bonding, Strategy::Bridging, Strategy::Linking];

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Bonding => "bonding",
            Strategy::Bridging => "bridging",
            Strategy::Linking => "linking",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who fills in a self-check; it chooses which tips they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Resident,
    Professional,
    Policy,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Professional => "professional",
            Role::Policy => "policy",
        }
    }

    /// The role as a person reads it, in reports and text output.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Resident, Lang::Nl) => "bewoner",
            (Role::Professional, Lang::Nl) => "professional",
            (Role::Policy, Lang::Nl) => "beleidsmaker",
            (Role::Resident, Lang::En) => "resident",
            (Role::Professional, Lang::En) => "professional",
            (Role::Policy, Lang::En) => "policy maker",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "resident" => Some(Role::Resident),
            "professional" => Some(Role::Professional),
            "policy" => Some(Role::Policy),
            _ => None,
        }
    }
}

/// The two languages of the app; Dutch is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub nl: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// A municipality or province: CBS code (GM0363, PV27) and official name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub code: String,
    pub name: String,
}
