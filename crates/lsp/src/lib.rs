//! The `ipsec.conf` language server over stdio, on tower-lsp-server.

mod convert;
mod framing;
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
        // Frames pass through a checker first: the protocol library stops reading at
        // the first body that is not JSON, so such bodies become a notification that
        // the server logs instead.
        let input = framing::checked_frames(std::io::stdin());
        let (service, socket) = tower_lsp_server::LspService::build(Server::new)
            .custom_method(framing::MALFORMED_METHOD, Server::malformed_message)
            .finish();
        tower_lsp_server::Server::new(input, tokio::io::stdout(), socket).serve(service).await;
    });
    // The stdin reader may still be blocked in a read: do not wait for it after `exit`.
    runtime.shutdown_background();
    Ok(())
}
