//! The `ipsec.conf` language server over stdio, on tower-lsp-server.

mod background;
mod convert;
pub mod line_index;
pub mod loader;
mod server;
pub mod settings;
pub mod state;
mod transport;

pub use server::Server;

/// Serves the protocol on standard input and output until `exit`.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let incoming = transport::read_messages(std::io::stdin());
        let (service, socket) = tower_lsp_server::LspService::build(Server::new)
            .custom_method(transport::MALFORMED_METHOD, Server::malformed_message)
            .finish();
        transport::serve(service, socket, incoming, tokio::io::stdout()).await;
    });
    // The stdin reader may still be blocked in a read: do not wait for it after `exit`.
    runtime.shutdown_background();
    Ok(())
}
