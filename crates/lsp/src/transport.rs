//! Serves the protocol over standard input and output: frames are read and parsed on a
//! thread of their own, and handed to tower-lsp-server's [`LspService`] once parsed.
//!
//! tower-lsp-server's own `Server` loop parses each body as an untagged "response or
//! request", which first copies the whole message into an intermediate buffer, and its
//! frame reader stops for good at the first body that is not JSON. Here a body is read
//! with plain blocking reads into a large buffer, parsed once, straight into a request,
//! and a bad one becomes a message the server logs. The rest is as in tower-lsp-server:
//! requests go to the service, its answers and its own requests to the client go out.

use std::io::{BufRead, BufReader, Read};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::{ClientSocket, LanguageServer, LspService};
use tower_service::Service;

pub const MALFORMED_METHOD: &str = "ipsecconf/malformedMessage";

/// Messages parsed and waiting for the protocol task.
const QUEUED_MESSAGES: usize = 16;

/// A message from the client.
#[derive(Debug)]
pub enum Incoming {
    /// A request or notification (a malformed message becomes one of [`MALFORMED_METHOD`]).
    Request(Request),
    /// The client's answer to a request of the server.
    Response(Response),
    /// Valid JSON that is neither: answered with an "invalid request" error.
    Invalid,
}

/// Reads and parses messages from `input` on a new thread until it ends.
pub fn read_messages(input: impl Read + Send + 'static) -> mpsc::Receiver<Incoming> {
    let (sender, receiver) = mpsc::channel(QUEUED_MESSAGES);
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 20, input);
        while let Some(frame) = read_frame(&mut reader) {
            let message = match frame {
                Ok(body) => parse(&body),
                Err(reason) => malformed(&reason),
            };
            if sender.blocking_send(message).is_err() {
                return;
            }
        }
    });
    receiver
}

/// One message's body, parsed once.
pub fn parse(body: &[u8]) -> Incoming {
    // Nearly every message is a request or notification: parse it as one directly. A
    // response has no method (a request's method defaults to empty when missing).
    match serde_json::from_slice::<Request>(body) {
        Ok(request) if !request.method().is_empty() => return Incoming::Request(request),
        _ => {}
    }
    if let Ok(response) = serde_json::from_slice::<Response>(body) {
        return Incoming::Response(response);
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Ok(_) => Incoming::Invalid,
        Err(_) => malformed(&format!("the body of {} bytes is not JSON", body.len())),
    }
}

fn malformed(reason: &str) -> Incoming {
    Incoming::Request(Request::build(MALFORMED_METHOD).params(serde_json::json!({"error": reason})).finish())
}

/// Serves `service` with the messages from `incoming`, writing to `output`, until the
/// input ends or the client sends `exit`.
pub async fn serve<S: LanguageServer>(
    mut service: LspService<S>,
    socket: ClientSocket,
    mut incoming: mpsc::Receiver<Incoming>,
    output: impl AsyncWrite + Send + Unpin + 'static,
) {
    let (mut server_requests, mut client_responses) = socket.split();
    let (frames, mut to_write) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        let mut output = output;
        while let Some(frame) = to_write.recv().await {
            if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
                return;
            }
        }
    });
    // The server's own requests and notifications to the client (diagnostics, logs).
    let outgoing = frames.clone();
    let forward = tokio::spawn(async move {
        while let Some(request) = server_requests.next().await {
            send(&outgoing, &request);
        }
    });
    while let Some(message) = incoming.recv().await {
        match message {
            Incoming::Request(request) => {
                if std::future::poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
                    break;
                }
                // The server must stop after `exit`; some clients keep the input open.
                let exit = request.method() == "exit";
                let answer = service.call(request);
                let outgoing = frames.clone();
                // Started in arrival order on this one thread: notifications take effect in order.
                tokio::spawn(async move {
                    if let Ok(Some(response)) = answer.await {
                        send(&outgoing, &response);
                    }
                });
                if exit {
                    break;
                }
            }
            Incoming::Response(response) => {
                // An answer to no request of ours is dropped, as tower-lsp-server does.
                let _ = client_responses.send(response).await;
            }
            Incoming::Invalid => send(&frames, &Response::from_error(Id::Null, Error::invalid_request())),
        }
    }
    forward.abort();
    drop(frames);
    drop(service);
    let _ = writer.await;
}

fn send(frames: &mpsc::UnboundedSender<Vec<u8>>, message: &impl serde::Serialize) {
    let Ok(body) = serde_json::to_vec(message) else { return };
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    let _ = frames.send(frame);
}

/// The next frame's body, an error for a frame without a usable length, `None` at the end.
fn read_frame(reader: &mut impl BufRead) -> Option<Result<Vec<u8>, String>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().map_err(|_| format!("bad Content-Length `{}`", value.trim())));
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(reason)) => return Some(Err(reason)),
        None => return Some(Err("a header without Content-Length".into())),
    };
    // Room for the whole body up front, within reason: the length is the client's word.
    let mut body = Vec::with_capacity(length.min(1 << 26));
    reader.take(length as u64).read_to_end(&mut body).ok()?;
    if body.len() < length {
        return None;
    }
    Some(Ok(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut reader = input.as_bytes();
        std::iter::from_fn(|| read_frame(&mut reader))
            .map(|frame| frame.map_or_else(|e| format!("error: {e}"), |b| String::from_utf8_lossy(&b).into_owned()))
            .collect()
    }

    #[test]
    fn frames_are_read_by_their_length_and_bad_headers_are_errors() {
        let input =
            "Content-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Type: a\r\n\r\nContent-Length: 9\r\n\r\n[1]";
        assert_eq!(frames(input), ["{}", "error: bad Content-Length `x`", "error: a header without Content-Length"]);
    }

    #[test]
    fn bodies_are_requests_responses_invalid_or_malformed() {
        let kind = |body: &str| match parse(body.as_bytes()) {
            Incoming::Request(r) => format!("request {}", r.method()),
            Incoming::Response(_) => "response".to_string(),
            Incoming::Invalid => "invalid".to_string(),
        };
        assert_eq!(kind(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#), "request initialized");
        assert_eq!(kind(r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#), "request shutdown");
        assert_eq!(kind(r#"{"jsonrpc":"2.0","id":3,"result":null}"#), "response");
        assert_eq!(kind(r#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#), "response");
        assert_eq!(kind(r#"{"hello":1}"#), "invalid");
        assert_eq!(kind(r#"{"jsonrpc": "2.0", "id": 99, "method": "#), format!("request {MALFORMED_METHOD}"));
    }
}
