//! A framing guard in front of the LSP transport. tower-lsp-server stops reading after the
//! first undecodable message (its framed reader ends on a decode error), so one malformed
//! message would take the server down. This guard reads frames itself: a body that is not
//! JSON gets a JSON-RPC parse error (-32700) and is dropped; bytes that are not a frame
//! (garbage, a wrong Content-Length) are skipped up to the next `Content-Length` header.
//! Responses are copied out frame by frame, so error replies never interleave with them.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Largest body accepted (a document of many megabytes fits; a bogus length does not).
const MAX_BODY: usize = 512 << 20;

/// Longest header line kept (real ones are a few dozen bytes). The rest of a longer line
/// is read and discarded up to its line break, so memory stays bounded whatever comes.
const MAX_HEADER_LINE: usize = 8 << 10;

/// Most header lines after a `Content-Length` (or after the start of a frame without one).
const MAX_HEADER_LINES: usize = 32;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// One header line: its bytes (with the line break), or that it was too long (and has been
/// discarded through its line break), or the end of input.
#[derive(Debug, PartialEq)]
enum Line {
    Text(Vec<u8>),
    TooLong,
    End,
}

/// Reads one line keeping at most [`MAX_HEADER_LINE`] bytes of it.
async fn read_line<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(match (too_long, line.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::End,
                (false, false) => Line::Text(line),
            });
        }
        let (n, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            if line.len() + n > MAX_HEADER_LINE {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(&buf[..n]);
            }
        }
        r.consume(n);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Text(line) });
        }
    }
}

/// Reads one frame's body; `Ok(None)` at end of input, `Err(())` on a malformed header.
async fn read_frame<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Option<Result<Vec<u8>, ()>>> {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    let mut lines = 0;
    loop {
        let line = match read_line(r).await? {
            Line::End => return Ok(None),
            Line::TooLong => return Ok(Some(Err(()))),
            Line::Text(line) => line,
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        // Headers may follow garbage on the same line (a short Content-Length left some);
        // the last Content-Length starts the frame's header block.
        if let Some(i) = text.find("Content-Length:") {
            len = text[i + 15..].trim().parse().ok();
            lines = 0;
        } else if !text.contains(':') {
            return Ok(Some(Err(())));
        }
        lines += 1;
        if lines > MAX_HEADER_LINES {
            return Ok(Some(Err(())));
        }
    }
    let Some(len) = len.filter(|l| *l <= MAX_BODY) else {
        return Ok(Some(Err(())));
    };
    // Grows with what actually arrives, not with what the header claims.
    let mut body = Vec::with_capacity(len.min(1 << 20));
    (&mut *r).take(len as u64).read_to_end(&mut body).await?;
    if body.len() < len {
        return Ok(None);
    }
    Ok(Some(Ok(body)))
}

/// Copies frames from `input` to `to_server`, answering undecodable ones on `replies`.
pub async fn guard_input<R, W>(input: R, mut to_server: W, replies: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(input);
    loop {
        match read_frame(&mut r).await {
            Ok(None) | Err(_) => break,
            Ok(Some(Err(()))) => {
                tracing::warn!("skipped bytes that are not an LSP message");
                let body = br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: not an LSP message (expected a Content-Length header)"}}"#;
                let _ = replies.send(frame(body));
            }
            Ok(Some(Ok(body))) => {
                if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
                    tracing::warn!("dropped a message whose body is not JSON ({} bytes)", body.len());
                    let body = br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the message body is not valid JSON"}}"#;
                    let _ = replies.send(frame(body));
                    continue;
                }
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copies the server's frames to `output`, with the guard's replies between them.
pub async fn guard_output<R, W>(from_server: R, mut output: W, mut replies: mpsc::UnboundedReceiver<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(from_server);
    let (mut server_open, mut replies_open) = (true, true);
    while server_open || replies_open {
        let bytes = tokio::select! {
            reply = replies.recv(), if replies_open => match reply {
                Some(bytes) => bytes,
                None => {
                    replies_open = false;
                    continue;
                }
            },
            msg = read_frame(&mut r), if server_open => match msg {
                Ok(Some(Ok(body))) => frame(&body),
                _ => {
                    server_open = false;
                    // Nothing more will need a reply once the server is gone.
                    replies_open = false;
                    continue;
                }
            },
        };
        if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
    let _ = output.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_long_header_line_is_discarded_in_bounded_chunks() {
        let mut input = vec![b'A'; 4 << 20];
        input.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\n{}");
        let mut r = BufReader::with_capacity(4096, &input[..]);
        // The line is read through and dropped (not returned, not kept).
        assert_eq!(read_line(&mut r).await.unwrap(), Line::TooLong);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
        assert_eq!(read_frame(&mut r).await.unwrap(), None);
    }

    #[tokio::test]
    async fn header_lines_are_counted_from_the_last_content_length() {
        let mut input = "X-A: 1\r\n".repeat(MAX_HEADER_LINES + 1).into_bytes();
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Err(())));
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
        // Many headers before a Content-Length are skipped; the frame after still reads.
        let mut input = "X-A: 1\r\n".repeat(MAX_HEADER_LINES - 1).into_bytes();
        input.extend_from_slice(b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}");
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), Some(Ok(b"{}".to_vec())));
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_length_ends_the_input() {
        let input = b"Content-Length: 100000000\r\n\r\n{}";
        let mut r = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).await.unwrap(), None);
    }
}
