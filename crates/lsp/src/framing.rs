//! Reads `Content-Length` framed messages and passes on only well-formed JSON; any
//! other frame (bad header, body that is not UTF-8 JSON) becomes a notification of
//! [`MALFORMED_METHOD`] so the server logs it and keeps running.
//!
//! Frames are read on a thread of their own with plain blocking reads into a large
//! buffer: a 1.5 MB `didChange` then arrives in one go, and is checked there, instead
//! of as dozens of small reads each handed to and from tokio's blocking pool.

use std::io::{BufRead, BufReader, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::IgnoredAny;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

pub const MALFORMED_METHOD: &str = "ipsecconf/malformedMessage";

/// Frames checked and framed again, waiting for the protocol task.
const QUEUED_FRAMES: usize = 16;

/// Reads frames from `input` on a new thread until it ends; what the returned reader
/// gives is the checked frames.
pub fn checked_frames(input: impl Read + Send + 'static) -> FrameReader {
    let (sender, receiver) = mpsc::channel(QUEUED_FRAMES);
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 20, input);
        while let Some(frame) = read_frame(&mut reader) {
            let body = match frame {
                Ok(body) if serde_json::from_slice::<IgnoredAny>(&body).is_ok() => body,
                Ok(body) => malformed(&format!("the body of {} bytes is not JSON", body.len())),
                Err(reason) => malformed(&reason),
            };
            let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            framed.extend_from_slice(&body);
            if sender.blocking_send(framed).is_err() {
                return;
            }
        }
    });
    FrameReader { receiver, chunk: Vec::new(), at: 0 }
}

/// The checked frames, as a byte stream for the protocol library.
pub struct FrameReader {
    receiver: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl AsyncRead for FrameReader {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        while this.at == this.chunk.len() {
            match this.receiver.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => (this.chunk, this.at) = (chunk, 0),
                // The input ended: so does the stream (a read of nothing).
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = buf.remaining().min(this.chunk.len() - this.at);
        buf.put_slice(&this.chunk[this.at..this.at + n]);
        this.at += n;
        Poll::Ready(Ok(()))
    }
}

fn malformed(reason: &str) -> Vec<u8> {
    serde_json::json!({"jsonrpc": "2.0", "method": MALFORMED_METHOD, "params": {"error": reason}})
        .to_string()
        .into_bytes()
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
        let input = "Content-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Type: a\r\n\r\nContent-Length: 9\r\n\r\n[1]";
        assert_eq!(frames(input), ["{}", "error: bad Content-Length `x`", "error: a header without Content-Length"]);
    }

    #[tokio::test]
    async fn the_reader_gives_checked_frames_then_ends() {
        use tokio::io::AsyncReadExt;
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\n{x}".to_vec();
        let mut out = String::new();
        checked_frames(std::io::Cursor::new(input)).read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("Content-Length: 2\r\n\r\n{}Content-Length: "), "{out}");
        assert!(out.contains(MALFORMED_METHOD) && out.contains("the body of 3 bytes is not JSON"), "{out}");
    }
}
