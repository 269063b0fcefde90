//! A small JSON-RPC client for `ipsecconf lsp` (Content-Length framing, every wait
//! bounded by a timeout so a hang fails instead of blocking), shared by the
//! end-to-end tests and the latency benchmark.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub pending: Vec<Value>,
}

/// A notification's JSON body. `to_vec`, not `to_string`: `Value`'s `Display` writes
/// through `fmt` a piece at a time, several times slower on a 1.5 MB text.
pub fn notification(method: &str, params: Value) -> Vec<u8> {
    let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
    serde_json::to_vec(&message).expect("a JSON value encodes")
}

impl Client {
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ipsecconf"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ipsecconf lsp");
        let stdout = child.stdout.take().expect("piped");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client { child, stdin, messages, next_id: 1, pending: Vec::new() }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(format!("Content-Length: {}\r\n\r\n", bytes.len()).as_bytes()).unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send_raw(&notification(method, params));
    }

    pub fn request_id(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&serde_json::to_vec(&message).expect("a JSON value encodes"));
        id
    }

    pub fn next(&mut self, deadline: Instant) -> Value {
        match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server within {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The whole response (result or error) to a request.
    pub fn response(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_id(method, params);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next(deadline);
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            if message.get("id").is_some() && message.get("method").is_some() {
                // A request from the server (e.g. registration): answer it.
                let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                self.send_raw(reply.to_string().as_bytes());
                continue;
            }
            self.pending.push(message);
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.response(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self
                .pending
                .iter()
                .position(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
            if let Some(index) = found {
                let message = self.pending.remove(index);
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            let message = self.next(deadline);
            self.pending.push(message);
        }
    }

    pub fn initialize(&mut self, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "ipsec-conf", "version": 1, "text": text}}),
        );
    }

    /// Sends `shutdown` and `exit` and checks the process ends by itself, successfully.
    pub fn shutdown(mut self) {
        let result = self.response("shutdown", Value::Null);
        assert_eq!(result["result"], Value::Null, "{result}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
