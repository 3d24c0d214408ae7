//! The check-in before rolling: its questions, what a "yes" to each means (broken skin
//! tonight, or a lasting condition that holds rolling until cleared), and the built-in
//! list (docs/DOMAIN.md, "skip rolling today if").

use serde::Deserialize;

/// One check-in question. In RON a plain string, or
/// `(ask: "...", broken_skin: true, lasting: true, holds_retinoids: true)`:
/// - `broken_skin`: a "yes" means broken or burnt skin: the actives that must not go on
///   such skin stay off that night too;
/// - `lasting`: a "yes" is a condition that does not pass by tomorrow (pregnancy, a
///   keloid tendency): it is journaled and holds rolling off until the person clears
///   it, and is not asked again meanwhile;
/// - `holds_retinoids`: while such a lasting "yes" stands, retinoid steps are off too
///   (pregnancy and breastfeeding).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckinItem {
    /// The question.
    pub ask: String,
    /// A "yes" means broken or burnt skin.
    pub broken_skin: bool,
    /// A "yes" holds rolling until cleared.
    pub lasting: bool,
    /// A lasting "yes" holds retinoids off too.
    pub holds_retinoids: bool,
}

impl CheckinItem {
    /// A question, broken skin or not.
    pub fn new(ask: &str, broken_skin: bool) -> CheckinItem {
        CheckinItem {
            ask: ask.into(),
            broken_skin,
            ..CheckinItem::default()
        }
    }

    /// A question whose "yes" lasts, holding retinoids off or not.
    pub fn lasting(ask: &str, holds_retinoids: bool) -> CheckinItem {
        CheckinItem {
            ask: ask.into(),
            lasting: true,
            holds_retinoids,
            ..CheckinItem::default()
        }
    }
}

impl<'de> Deserialize<'de> for CheckinItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            ask: String,
            #[serde(default)]
            broken_skin: bool,
            #[serde(default)]
            lasting: bool,
            #[serde(default)]
            holds_retinoids: bool,
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CheckinItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a question, or (ask: \"...\", broken_skin: true, lasting: true, \
                     holds_retinoids: true)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CheckinItem, E> {
                Ok(CheckinItem::new(v, false))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                m: M,
            ) -> Result<CheckinItem, M::Error> {
                let full = Full::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                if full.holds_retinoids && !full.lasting {
                    return Err(serde::de::Error::custom(format!(
                        "check-in item {:?}: holds_retinoids needs lasting: true (retinoids \
                         are held while a lasting \"yes\" stands)",
                        full.ask
                    )));
                }
                Ok(CheckinItem {
                    ask: full.ask,
                    broken_skin: full.broken_skin,
                    lasting: full.lasting,
                    holds_retinoids: full.holds_retinoids,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// What a "yes" to a built-in question means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yes {
    /// Not tonight.
    Tonight,
    /// Broken or burnt skin: not tonight, and the actives that must not go on it off.
    BrokenSkin,
    /// Lasting: rolling held until cleared.
    Lasting,
    /// Lasting, and retinoids held off too.
    LastingNoRetinoids,
}

/// The check-in a config gets when it has no `checkin`: docs/DOMAIN.md's "skip rolling
/// today if", the same list as the built-in routine's (at most ten, each marked with a
/// key). A "yes" to sunburn, a flare, or open wounds is broken skin; one to a condition
/// that does not pass by tomorrow lasts (pregnancy also holds retinoids off).
pub const BUILT_IN_CHECKIN: [(&str, Yes); 10] = [
    (
        "Active acne, an infection, warts or a cold sore (2 weeks) there?",
        Yes::Tonight,
    ),
    (
        "Eczema, psoriasis, rosacea, vitiligo there, or autoimmune disease?",
        Yes::Lasting,
    ),
    ("A tendency to keloids or raised scars?", Yes::Lasting),
    (
        "Sunburn or strong sun in 2 days, or an eczema or psoriasis flare?",
        Yes::BrokenSkin,
    ),
    (
        "Open wounds, raised moles, skin cancer or rough sun patches?",
        Yes::BrokenSkin,
    ),
    (
        "A peel or laser in 4 weeks; botox or filler there in 2?",
        Yes::Tonight,
    ),
    (
        "Waxing, threading or hair-removal cream there in 7 days?",
        Yes::Tonight,
    ),
    (
        "Blood thinners, aspirin, or a bleeding disorder?",
        Yes::Lasting,
    ),
    ("Pregnant or breastfeeding?", Yes::LastingNoRetinoids),
    (
        "Isotretinoin now or in the last 6-12 months? (ask a doctor)",
        Yes::Lasting,
    ),
];

/// The built-in check-in as questions, as a config without `checkin` gets it.
pub fn built_in_checkin() -> Vec<CheckinItem> {
    BUILT_IN_CHECKIN
        .iter()
        .map(|(ask, yes)| match yes {
            Yes::Tonight => CheckinItem::new(ask, false),
            Yes::BrokenSkin => CheckinItem::new(ask, true),
            Yes::Lasting => CheckinItem::lasting(ask, false),
            Yes::LastingNoRetinoids => CheckinItem::lasting(ask, true),
        })
        .collect()
}

/// What `check` says of a config that rolls with `checkin: []`.
pub const NO_CHECKIN: &str = "checkin is empty: nothing will be asked before rolling (leave `checkin` out for the built-in list)";
