//! Reads `Content-Length` framed messages and passes on only well-formed JSON; any
//! other frame (bad header, body that is not UTF-8 JSON) becomes a notification of
//! [`MALFORMED_METHOD`] so the server logs it and keeps running.

use serde::de::IgnoredAny;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub const MALFORMED_METHOD: &str = "ipsecconf/malformedMessage";

/// Copies frames from `input` to `output` until `input` ends; then closes `output`.
pub async fn forward_checked(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    while let Some(frame) = read_frame(&mut reader).await {
        let body = match frame {
            Ok(body) if serde_json::from_slice::<IgnoredAny>(&body).is_ok() => body,
            Ok(body) => malformed(&format!("the body of {} bytes is not JSON", body.len())),
            Err(reason) => malformed(&reason),
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err() || output.write_all(&body).await.is_err() {
            return;
        }
    }
    let _ = output.shutdown().await;
}

fn malformed(reason: &str) -> Vec<u8> {
    serde_json::json!({"jsonrpc": "2.0", "method": MALFORMED_METHOD, "params": {"error": reason}})
        .to_string()
        .into_bytes()
}

/// The next frame's body, an error for a frame without a usable length, `None` at the end.
async fn read_frame(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Result<Vec<u8>, String>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
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
    let mut body = Vec::new();
    (&mut *reader).take(length as u64).read_to_end(&mut body).await.ok()?;
    if body.len() < length {
        return None;
    }
    Some(Ok(body))
}
