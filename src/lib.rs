//! sasguard finds Azure SAS tokens, storage account keys and Service Bus / Event Hubs /
//! IoT keys in any text, and judges how dangerous each one is.
//!
//! Data flows one way: text → [`scan`] (tokens with byte ranges) → [`policy`] (findings
//! with rule ids and severities) → a front end ([`cli`] or [`lsp`], which never import
//! each other). The engine does no I/O; [`source`] reads the file system and git
//! for both front ends.

pub mod cli;
pub mod config;
pub mod fix;
pub mod lsp;
pub mod policy;
pub mod redact;
pub mod scan;
pub mod source;
