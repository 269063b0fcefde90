//! The language server's latency through the real binary on a 1.5 MB document:
//! edit → publishDiagnostics (the whole text sent, as with full sync; timed from the
//! moment the encoded message is written, the client's encoding is shown apart), hover and
//! completion round trips, and a hover sent right behind an edit (answered from the
//! previous analysis while the new one runs). Prints medians.

#[allow(dead_code)]
#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use std::time::Instant;

use lsp_client::{Client, TIMEOUT, notification};
#[path = "../../ide/benches/support/workload.rs"]
mod workload;
use serde_json::{Value, json};
use workload::{generate, median};

/// Waits for the diagnostics of `version` of `uri`, dropping older ones.
fn diagnostics_of(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let found = client.pending.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == Some(version)
        });
        if let Some(index) = found {
            let message = client.pending.remove(index);
            client.pending.clear();
            return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        let message = client.next(deadline);
        client.pending.push(message);
    }
}

fn position_of(text: &str, offset: usize) -> Value {
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

fn main() {
    let text = generate(16_000);
    let uri = "file:///bench/ipsec.conf";
    let mut client = Client::start();
    client.initialize(json!({"warnings": true}));
    client.open(uri, &text);
    assert!(diagnostics_of(&mut client, uri, 1).is_empty(), "the generated file is clean");

    let last_left = text.rfind("leftid=@gw").expect("generated");
    let (mut edit, mut encode) = (Vec::new(), Vec::new());
    for version in 2..=16 {
        let changed = format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
        let params = json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]});
        // The client's own JSON encoding is timed apart: the server's time starts
        // when the message is sent.
        let start = Instant::now();
        let message = notification("textDocument/didChange", params);
        encode.push(start.elapsed());
        let start = Instant::now();
        client.send_raw(&message);
        assert!(diagnostics_of(&mut client, uri, version).is_empty());
        edit.push(start.elapsed());
    }

    let hover_at = position_of(&text, text.rfind("leftsubnet").expect("generated") + 2);
    let complete_at = position_of(&text, text.rfind("auto=").expect("generated") + 5);
    let (mut hover, mut completion) = (Vec::new(), Vec::new());
    for _ in 0..31 {
        let start = Instant::now();
        let found = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": hover_at}));
        hover.push(start.elapsed());
        assert!(found["contents"]["value"].as_str().is_some_and(|v| v.contains("leftsubnet")));
        let start = Instant::now();
        let items =
            client.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": complete_at}));
        completion.push(start.elapsed());
        assert!(items.as_array().is_some_and(|i| !i.is_empty()));
    }

    // A hover right behind an edit: the analysis of the edit is still running.
    let mut hover_during_edit = Vec::new();
    for version in 17..=26 {
        let changed = format!("{}leftid=@gw{version}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}),
        );
        let start = Instant::now();
        client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": hover_at}));
        hover_during_edit.push(start.elapsed());
        diagnostics_of(&mut client, uri, version);
    }
    client.shutdown();

    println!("document: {} bytes, 16000 conns (through `ipsecconf lsp`, JSON-RPC over pipes)", text.len());
    println!("edit sent -> publishDiagnostics received: median {:.1} ms", median(edit));
    println!("  (before sending, the client's JSON encoding of the edit: median {:.1} ms)", median(encode));
    println!("hover round trip: median {:.2} ms", median(hover));
    println!("completion round trip (value): median {:.2} ms", median(completion));
    println!("hover sent right behind an edit: median {:.2} ms", median(hover_during_edit));
}
