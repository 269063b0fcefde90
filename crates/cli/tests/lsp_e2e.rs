//! End-to-end tests of `ipsecconf lsp`: the real binary, driven by a small JSON-RPC
//! client written here (Content-Length framing, every wait bounded by a timeout so a
//! hang fails the test instead of blocking it).

mod lsp_client;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use lsp_client::{Client, TIMEOUT};
use serde_json::{Value, json};

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipsecconf-lsp-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn position_of(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect();
    codes.sort();
    codes
}

const MAIN: &str = "config setup\n\tlogfile=/var/log/pluto.log\n\nconn base\n\tleft=192.0.2.1\n\tikev2=yes\n\nconn office\n\talso=base\n\tright=198.51.100.7\n\tright=198.51.100.8\n\tauto=start\n\nconn broken\n\talso=nowhere\n\tleft=1.2.3.4\n\tright=5.6.7.8\n";

#[test]
fn a_whole_session_from_initialize_to_exit() {
    let dir = temp_dir("session");
    let path = dir.join("ipsec.conf");
    std::fs::write(&path, MAIN).unwrap();
    let uri = uri(&path);
    let mut client = Client::start();
    let init = client.initialize(json!({"warnings": true}));
    assert_eq!(init["capabilities"]["textDocumentSync"], 1);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");

    client.open(&uri, MAIN);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["also-missing", "key-duplicate"], "{diagnostics:?}");
    let duplicate = diagnostics.iter().find(|d| d["code"] == "key-duplicate").unwrap();
    assert_eq!(duplicate["range"]["start"], json!({"line": 10, "character": 1}));
    assert_eq!(duplicate["relatedInformation"][0]["location"]["range"]["start"]["line"], 9);

    // Completion of a keyword in a conn, then of a value.
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 11, "character": 1}}),
    );
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"leftsubnet") && labels.contains(&"rightsubnet"), "{labels:?}");
    assert!(!labels.contains(&"logfile"), "a config setup keyword offered in a conn");
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position_of(MAIN, "start\n\nconn broken")}),
    );
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"start") && labels.contains(&"ondemand"), "{labels:?}");

    // Hover on a keyword shows its man page text.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": position_of(MAIN, "ikev2")}));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("ikev2") && text.len() > 100, "{text}");

    // Definition and references of `base`.
    let also_base = position_of(MAIN, "base\n\tright");
    let definition =
        client.request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": also_base}));
    assert_eq!(definition[0]["uri"], uri.as_str());
    assert_eq!(definition[0]["range"]["start"], json!({"line": 3, "character": 5}));
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(references.as_array().unwrap().len(), 1, "{references}");
    assert_eq!(references[0]["range"]["start"], json!({"line": 8, "character": 6}));

    // Rename updates the header and the also= use.
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}, "newName": "common"}),
    );
    let edits = edit["changes"][uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 2, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "common"));
    let bad = client.response(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 6}, "newName": "has space"}),
    );
    assert!(bad["error"]["message"].as_str().unwrap().contains("not a valid conn name"), "{bad}");

    // A quick fix removes the duplicate line.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": duplicate["range"], "context": {"diagnostics": [duplicate]}}),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "key-duplicate");
    let fix = &action["edit"]["changes"][uri.as_str()][0];
    assert_eq!(fix["range"], json!({"start": {"line": 10, "character": 0}, "end": {"line": 11, "character": 0}}));
    assert_eq!(fix["newText"], "");

    // An edit republishes diagnostics for the new version.
    let fixed = MAIN.replace("\tright=198.51.100.8\n", "").replace("also=nowhere\n\tleft=1.2.3.4", "also=base");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());

    // Symbols, folding, semantic tokens, links, inlay hints answer on the same document.
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["config setup", "conn base", "conn office", "conn broken"]);
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}),
    );
    let labels: Vec<&str> = hints.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["left=192.0.2.1", "ikev2=yes", "left=192.0.2.1", "ikev2=yes"]
            .iter()
            .take(labels.len())
            .copied()
            .collect::<Vec<_>>()
    );
    assert!(!labels.is_empty());
    let tokens = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": uri}}));
    assert!(tokens["data"].as_array().unwrap().len() > 5 * 20);
    client.shutdown();
}

#[test]
fn a_fragment_is_checked_in_the_context_of_the_file_that_includes_it() {
    let dir = temp_dir("fragment");
    std::fs::create_dir_all(dir.join("ipsec.d")).unwrap();
    let main = "include ipsec.d/*.conf\n\nconn base\n\tleft=192.0.2.1\n";
    let fragment = "conn road\n\talso=base\n\tright=%any\n";
    std::fs::write(dir.join("ipsec.conf"), main).unwrap();
    std::fs::write(dir.join("ipsec.d/road.conf"), fragment).unwrap();
    let fragment_uri = uri(&dir.join("ipsec.d/road.conf"));
    let mut client = Client::start();
    client.initialize(Value::Null);

    // Alone: the including file is found on disk beside ipsec.d/.
    client.open(&fragment_uri, fragment);
    assert_eq!(codes(&client.diagnostics(&fragment_uri)), Vec::<String>::new());
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": fragment_uri}, "position": position_of(fragment, "base")}),
    );
    assert_eq!(definition[0]["uri"], uri(&dir.join("ipsec.conf")));

    // With the main file open and edited (unsaved), the fragment follows its text.
    let main_uri = uri(&dir.join("ipsec.conf"));
    client.open(&main_uri, main);
    let renamed = main.replace("conn base", "conn other");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    loop {
        let diagnostics = client.diagnostics(&fragment_uri);
        if !diagnostics.is_empty() {
            assert_eq!(codes(&diagnostics), ["also-missing", "conn-missing-endpoint"]);
            break;
        }
    }
    client.shutdown();
}

#[test]
fn bad_input_gets_errors_never_a_crash_or_a_hang() {
    let dir = temp_dir("robust");
    std::fs::write(dir.join("a.conf"), "include b.conf\nconn a\n\tleft=1.2.3.4\n\tright=%any\n").unwrap();
    std::fs::write(dir.join("b.conf"), "include a.conf\n").unwrap();
    let mut client = Client::start();
    client.initialize(Value::Null);

    // Malformed JSON and a frame without a length: logged, and the server lives on.
    client.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    client.stdin.as_mut().unwrap().write_all(b"Content-Type: x\r\n\r\n").unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let mut logged = Vec::new();
    while logged.len() < 2 {
        let message = client.next(deadline);
        if message["method"] == "window/logMessage" {
            logged.push(message["params"]["message"].as_str().unwrap().to_string());
        }
    }
    assert!(logged[0].contains("malformed message: the body of 39 bytes is not JSON"), "{logged:?}");
    assert!(logged[1].contains("without Content-Length"), "{logged:?}");

    // JSON that is not JSON-RPC: an "invalid request" error, and the server lives on.
    client.send_raw(br#"{"hello": 1}"#);
    loop {
        let message = client.next(deadline);
        if message.get("error").is_some() {
            assert_eq!(message["error"]["code"], -32600, "{message}");
            assert!(message["id"].is_null(), "{message}");
            break;
        }
    }

    let unknown = client.response("ipsecconf/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let unopened = client.response(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.conf"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(unopened["error"]["message"].as_str().unwrap().contains("not open"), "{unopened}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.conf", "version": 3}, "contentChanges": [{"text": "x"}]}),
    );

    // Include cycle on disk.
    let a_uri = uri(&dir.join("a.conf"));
    client.open(&a_uri, &std::fs::read_to_string(dir.join("a.conf")).unwrap());
    let diagnostics = client.diagnostics(&a_uri);
    assert_eq!(codes(&diagnostics), ["include-cycle"]);
    assert!(diagnostics[0]["message"].as_str().unwrap().contains("b.conf →"), "{diagnostics:?}");
    let outside = client.response(
        "textDocument/hover",
        json!({"textDocument": {"uri": a_uri}, "position": {"line": 500, "character": 0}}),
    );
    assert!(outside["error"]["message"].as_str().unwrap().contains("outside the document"), "{outside}");

    // Binary content: control bytes, NULs and replacement characters.
    let binary: String = (0u8..=255).map(char::from).chain("\u{FFFD}\0\r\r\n".chars()).collect();
    client.open("file:///binary.conf", &binary);
    let diagnostics = client.diagnostics("file:///binary.conf");
    assert!(!diagnostics.is_empty());
    let hover = client.response(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///binary.conf"}, "position": {"line": 0, "character": 40}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");

    // A 100 MB document: kept, reported as not checked, and the server still answers.
    let line = "conn c\n\tleft=192.0.2.1\n\tright=198.51.100.1\n";
    let huge = line.repeat(100 * 1024 * 1024 / line.len());
    client.open("file:///huge.conf", &huge);
    let diagnostics = client.diagnostics("file:///huge.conf");
    assert!(diagnostics[0]["message"].as_str().unwrap().contains("not checked"), "{diagnostics:?}");
    let still = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": a_uri}, "position": {"line": 1, "character": 0}}),
    );
    assert!(still["contents"]["value"].as_str().unwrap().contains("conn"));
    client.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let text = "conn é\n\tleft=1.2.3.4\n\tright=%any\n\tikev2=maybe\nconn x\n\talso=é\n\tleft=1.2.3.4\n\tright=%any\n";
    client.open("file:///u.conf", text);
    client.diagnostics("file:///u.conf");
    // `é` is two bytes: the also= word spans UTF-8 columns 6..8.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": "file:///u.conf"}, "position": {"line": 5, "character": 7}}),
    );
    assert_eq!(
        definition[0]["range"],
        json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 7}})
    );
    client.shutdown();
}

/// `text` with protocol edits applied (positions in UTF-16 code units).
fn apply_edits(text: &str, edits: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let rest = &text[start..];
        let within = rest.char_indices().find(|(_, c)| {
            let found = units >= character || *c == '\n';
            units += c.len_utf16();
            found
        });
        start + within.map_or(rest.len(), |(i, _)| i)
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("an array of edits")
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

/// `ipsecconf fmt` of `text`, through standard input.
fn fmt_cli(text: &str, args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
        .arg("fmt")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start ipsecconf fmt");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "ipsecconf fmt failed");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn formatting_and_range_formatting_give_what_ipsecconf_fmt_writes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/lsp/messy.conf");
    let text = std::fs::read_to_string(&path).expect("fixture test_data/lsp/messy.conf");
    let doc = "file:///etc/messy.conf";
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": text.lines().count(), "character": 0}});

    // No indent setting: the editor's options decide.
    let mut client = Client::start();
    client.initialize(json!({"libreswanVersion": "4", "warnings": true}));
    client.open(doc, &text);
    let spaces = json!({"tabSize": 4, "insertSpaces": true});
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": doc}, "options": spaces}));
    assert_eq!(edits.as_array().map(Vec::len), Some(1), "one edit around the changes: {edits}");
    assert_eq!(apply_edits(&text, &edits), fmt_cli(&text, &["--indent-spaces", "4"]));
    let tabs = json!({"tabSize": 8, "insertSpaces": false});
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": doc}, "options": tabs}));
    let formatted = fmt_cli(&text, &[]);
    assert_eq!(apply_edits(&text, &edits), formatted);
    let range = json!({"textDocument": {"uri": doc}, "range": whole, "options": tabs});
    assert_eq!(apply_edits(&text, &client.request("textDocument/rangeFormatting", range)), formatted);

    // Formatted text: no edits.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 2}, "contentChanges": [{"text": formatted}]}),
    );
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": doc}, "options": tabs}));
    assert_eq!(edits, json!([]));

    // The setting overrides the editor's options, nested as VS Code sends it.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"ipsecconf": {"indent": 2}}}));
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": doc}, "options": tabs}));
    let two_spaces = fmt_cli(&text, &["--indent-spaces", "2"]);
    assert_eq!(apply_edits(&formatted, &edits), two_spaces);

    // Range formatting of one section changes only that section's lines.
    let line = position_of(&formatted, "also=base");
    let range = json!({"start": line, "end": line});
    let request = json!({"textDocument": {"uri": doc}, "range": range, "options": tabs});
    let edits = client.request("textDocument/rangeFormatting", request);
    let changed = apply_edits(&formatted, &edits);
    let differing: Vec<(&str, &str)> = formatted.lines().zip(changed.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(differing, [("\talso=base", "  also=base"), ("\tright=%any", "  right=%any")]);
    assert_eq!(changed.lines().count(), formatted.lines().count());
    client.shutdown();

    // Set at start-up, flat.
    let mut client = Client::start();
    client.initialize(json!({"indent": "tab", "rootDir": null}));
    client.open(doc, &text);
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": doc}, "options": spaces}));
    assert_eq!(apply_edits(&text, &edits), formatted);
    client.shutdown();
}

#[test]
fn rapid_edits_end_with_the_diagnostics_of_the_last_text() {
    let mut client = Client::start();
    client.initialize(json!({"warnings": true}));
    let doc = "file:///etc/rapid.conf";
    let body: String = (0..2000).map(|i| format!("conn c{i}\n\tleft=192.0.2.1\n\tright=%any\n\n")).collect();
    client.open(doc, &body);
    for version in 2..=12 {
        let text = format!("{body}conn last\n\tleft=192.0.2.{version}\n\tright=%any\n\tnosuchkey{version}=1\n");
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc, "version": version}, "contentChanges": [{"text": text}]}),
        );
        // Requests keep being answered while analyses run.
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": 1, "character": 2}}),
        );
        assert!(hover["contents"]["value"].as_str().unwrap().contains("left"), "{hover}");
    }
    let mut versions = Vec::new();
    loop {
        let deadline = Instant::now() + TIMEOUT;
        let found = client.pending.iter().position(|m| m["method"] == "textDocument/publishDiagnostics");
        let Some(index) = found else {
            let message = client.next(deadline);
            client.pending.push(message);
            continue;
        };
        let message = client.pending.remove(index);
        let version = message["params"]["version"].as_i64().expect("diagnostics carry the version");
        versions.push(version);
        if version == 12 {
            let diagnostics = message["params"]["diagnostics"].as_array().unwrap();
            let messages: Vec<&str> = diagnostics.iter().map(|d| d["message"].as_str().unwrap()).collect();
            assert!(
                messages.len() == 1 && messages[0].contains("nosuchkey12"),
                "{:?}",
                &messages[..messages.len().min(3)]
            );
            break;
        }
    }
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "published out of order: {versions:?}");
    // Completion waits for the analysis of the text it is asked about.
    let text = format!("{body}conn last\n\tright=%any\n\tauto=\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 13}, "contentChanges": [{"text": text}]}),
    );
    let at = json!({"line": text.lines().count() - 1, "character": 6});
    let items = client.request("textDocument/completion", json!({"textDocument": {"uri": doc}, "position": at}));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"ondemand") && labels.contains(&"start"), "{labels:?}");
    client.shutdown();
}
