//! Where texts come from, for both front ends: a directory tree walked with ignore files
//! honoured ([`walk`], [`gitignore`]), git's index ([`staged`]), read through the `git`
//! command ([`git`]). Only paths and bytes come out of here: scanning is the engine's.

pub mod blobs;
pub mod git;
pub mod gitignore;
pub mod history;
pub mod provenance;
pub mod staged;
pub mod walk;
