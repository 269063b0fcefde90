//! The `ipsec.conf` language server over stdio, on tower-lsp-server.

mod convert;
pub mod line_index;
pub mod loader;
mod server;
pub mod settings;
pub mod state;

pub use server::Server;

/// Serves the protocol on standard input and output until `exit`.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = tower_lsp_server::LspService::new(Server::new);
        tower_lsp_server::Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}
