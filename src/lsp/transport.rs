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

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads one frame's body; `Ok(None)` at end of input, `Err(())` on a malformed header.
async fn read_frame<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> std::io::Result<Option<Result<Vec<u8>, ()>>> {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        // Headers may follow garbage on the same line (a short Content-Length left some).
        if let Some(i) = text.find("Content-Length:") {
            len = text[i + 15..].trim().parse().ok();
        } else if !text.contains(':') {
            return Ok(Some(Err(())));
        }
    }
    let Some(len) = len.filter(|l| *l <= MAX_BODY) else {
        return Ok(Some(Err(())));
    };
    let mut body = vec![0; len];
    r.read_exact(&mut body).await?;
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
