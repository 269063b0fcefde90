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

    // Three kinds of edit, each full text sent as with full sync, timed from the moment
    // the encoded message is written (the client's own encoding is timed apart):
    // a value typed in `base`, the conn every other conn appends; a line added to or
    // removed from one conn; a line added to or removed from `base` (every conn is
    // resolved again).
    let last_left = text.rfind("leftid=@gw").expect("generated");
    let value_in_base =
        |v: i64| format!("{}leftid=@gw{v}{}", &text[..last_left], &text[last_left + "leftid=@gw".len()..]);
    let one_conn = text.find("conn site8000\n").expect("generated") + "conn site8000\n".len();
    let line_in_conn = |v: i64| {
        let line = if v % 2 == 0 { format!("\tdpddelay={v}\n") } else { String::new() };
        format!("{}{line}{}", &text[..one_conn], &text[one_conn..])
    };
    let line_in_base = |v: i64| {
        let line = if v % 2 == 0 { format!("\tdpddelay={v}\n") } else { String::new() };
        format!("{text}{line}")
    };
    let mut version = 1;
    let mut encode = Vec::new();
    let mut edits = |make: &dyn Fn(i64) -> String, client: &mut Client| {
        let mut times = Vec::new();
        for _ in 0..16 {
            version += 1;
            let params =
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": make(version)}]});
            let start = Instant::now();
            let message = notification("textDocument/didChange", params);
            encode.push(start.elapsed());
            let start = Instant::now();
            client.send_raw(&message);
            assert!(diagnostics_of(client, uri, version).is_empty());
            times.push(start.elapsed());
        }
        times
    };
    let edit = edits(&value_in_base, &mut client);
    let conn_line = edits(&line_in_conn, &mut client);
    let base_line = edits(&line_in_base, &mut client);
    // Back to the generated text for what follows.
    edits(&|_| text.clone(), &mut client);

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
    for version in version + 1..=version + 10 {
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
    println!("edit sent -> publishDiagnostics received, median:");
    println!("  a value typed in the conn all others append: {:.1} ms", median(edit));
    println!("  a line added to or removed from one conn: {:.1} ms", median(conn_line));
    println!("  a line added to or removed from the conn all others append: {:.1} ms", median(base_line));
    println!("  (before sending, the client's JSON encoding of an edit: median {:.1} ms)", median(encode));
    println!("hover round trip: median {:.2} ms", median(hover));
    println!("completion round trip (value): median {:.2} ms", median(completion));
    println!("hover sent right behind an edit: median {:.2} ms", median(hover_during_edit));
}
