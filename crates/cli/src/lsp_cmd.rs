//! `ipsecconf lsp`: the language server on standard input and output.

use crate::{EXIT_OK, EXIT_UNREADABLE};

pub fn run() -> u8 {
    match lsp::run_stdio() {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("ipsecconf: cannot start the language server: {error}");
            EXIT_UNREADABLE
        }
    }
}
