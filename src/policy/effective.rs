//! What an account SAS's permission letters grant on each service it lists. Per the account
//! SAS permission table a letter applies only to some services and resource types (`u` to
//! queue messages and table entities, `p` to queue messages, `t f i x y` to blobs, `l` to
//! service- and container-level APIs, …); elsewhere it grants nothing.

use crate::scan::{Letters, SasParams};

/// Services in `ss` order of the reference: blob, file, queue, table.
const SERVICES: &str = "bfqt";

/// Whether permission `letter` grants anything on `service` at resource type `rt`
/// (`s` service, `c` container, `o` object).
pub fn applies(letter: char, service: char, rt: char) -> bool {
    let object = rt == 'o';
    match letter {
        'r' | 'w' => true,
        // Containers and objects, except queue messages (those are deleted by `p`).
        'd' => rt == 'c' || (object && service != 'q'),
        'l' => rt == 's' || rt == 'c',
        'a' => object && matches!(service, 'b' | 'q' | 't'),
        'c' => object && matches!(service, 'b' | 'f'),
        'u' => object && matches!(service, 'q' | 't'),
        'p' => object && service == 'q',
        't' | 'f' | 'i' | 'x' | 'y' => object && service == 'b',
        _ => false,
    }
}

/// The letters that together leave nothing meaningful withheld on a service: read, list,
/// write, delete, and creating (and, for queues, consuming) its content.
fn core(service: char) -> &'static str {
    match service {
        'q' => "rwdlap",
        't' => "rwdla",
        _ => "rwdlc",
    }
}

/// One service and the permission letters that take effect on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGrant {
    pub service: char,
    /// Effective letters, alphabetical.
    pub letters: Vec<char>,
    pub full_control: bool,
}

/// An account SAS's permissions, service by service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub services: Vec<ServiceGrant>,
    /// Granted letters that take effect on none of the services and resource types.
    pub inert: Vec<char>,
}

impl Effective {
    /// `None` unless the token carries `sp`. A missing `ss` or `srt` is read as all of them.
    pub fn of(p: &SasParams) -> Option<Effective> {
        let sp = p.permissions.as_ref()?;
        Some(Effective::compute(sp, p.services.as_ref(), p.resource_types.as_ref()))
    }

    pub fn compute(sp: &Letters, ss: Option<&Letters>, srt: Option<&Letters>) -> Effective {
        let services: Vec<char> = SERVICES.chars().filter(|s| ss.is_none_or(|l| l.has(*s))).collect();
        let types: Vec<char> = "sco".chars().filter(|t| srt.is_none_or(|l| l.has(*t))).collect();
        let grants: Vec<ServiceGrant> = services
            .iter()
            .map(|&service| {
                let letters: Vec<char> = sp
                    .letters()
                    .filter(|&c| types.iter().any(|&rt| applies(c, service, rt)))
                    .collect();
                let full_control = core(service).chars().all(|c| letters.contains(&c));
                ServiceGrant {
                    service,
                    letters,
                    full_control,
                }
            })
            .collect();
        let inert = sp
            .letters()
            .filter(|c| !grants.iter().any(|g| g.letters.contains(c)))
            .collect();
        Effective {
            services: grants,
            inert,
        }
    }

    /// Every letter that takes effect on at least one service, alphabetical.
    pub fn union(&self) -> Vec<char> {
        let mut all: Vec<char> = self.services.iter().flat_map(|g| g.letters.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// True when every listed service is under full control.
    pub fn full_control(&self) -> bool {
        !self.services.is_empty() && self.services.iter().all(|g| g.full_control)
    }

    /// The services under full control.
    pub fn full_control_of(&self) -> Vec<char> {
        self.services
            .iter()
            .filter(|g| g.full_control)
            .map(|g| g.service)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::sas::ACCOUNT_PERMISSIONS;

    fn eff(sp: &str, ss: &str, srt: &str) -> Effective {
        Effective::compute(
            &Letters::parse(sp, ACCOUNT_PERMISSIONS),
            Some(&Letters::parse(ss, SERVICES)),
            Some(&Letters::parse(srt, "sco")),
        )
    }

    fn letters(e: &Effective, service: char) -> String {
        e.services
            .iter()
            .find(|g| g.service == service)
            .unwrap()
            .letters
            .iter()
            .collect()
    }

    #[test]
    fn letters_apply_only_where_the_table_says() {
        let e = eff("rwdlacup", "bf", "sco");
        assert_eq!(letters(&e, 'b'), "acdlrw");
        assert_eq!(letters(&e, 'f'), "cdlrw");
        assert_eq!(e.inert, vec!['p', 'u']);
        assert!(e.full_control());

        let e = eff("rwdlacupitfx", "bfqt", "sco");
        assert_eq!(letters(&e, 'b'), "acdfilrtwx");
        assert_eq!(letters(&e, 'q'), "adlpruw");
        assert_eq!(letters(&e, 't'), "adlruw");
        assert!(e.inert.is_empty());
        assert!(e.full_control());
    }

    #[test]
    fn resource_types_narrow_the_letters() {
        // Object level only: no listing, and a queue's messages are deleted by `p`, not `d`.
        let e = eff("rwdlp", "q", "o");
        assert_eq!(letters(&e, 'q'), "prw");
        assert_eq!(e.inert, vec!['d', 'l']);
        assert!(!e.full_control());
        // Service level only: `c` creates blobs and files, which are objects.
        let e = eff("rlc", "b", "s");
        assert_eq!(letters(&e, 'b'), "lr");
        assert_eq!(e.inert, vec!['c']);
    }

    #[test]
    fn full_control_is_judged_per_service() {
        // Full control of blobs; on the queue, `c` grants nothing and nothing adds or consumes.
        let e = eff("rwdlc", "bq", "sco");
        assert_eq!(e.full_control_of(), vec!['b']);
        assert!(!e.full_control());
    }
}
