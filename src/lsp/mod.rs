//! The language server: the only layer that knows LSP types. It adapts the engine's byte
//! ranges to positions in the negotiated encoding at its edge.

pub mod document;
pub mod position;
