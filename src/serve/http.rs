//! The preview's HTTP side: the accept loop with its header timeout, the check that a
//! request comes from this machine's own pages, the files by path, and live reload.

use super::*;

/// Serves connections from `listener` with `app`, each closed when it takes longer than
/// [`HEADER_READ_TIMEOUT`] to send a request's headers (also between requests).
pub(super) async fn accept(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            // Out of file descriptors, or a connection reset before it was accepted: go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: axum::http::Request<hyper::body::Incoming>| {
                app.clone().oneshot(request.map(axum::body::Body::new))
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let _ = connection.await;
        });
    }
}

/// Refuses requests that do not come from this machine's own pages: when the server is bound
/// to loopback, a `Host` that is not a loopback name or address (a DNS rebinding attack names
/// its own host); and always, a websocket whose `Origin` is not the server's own address.
pub(super) async fn only_this_machine(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if shared.addr.ip().is_loopback() && !is_loopback_host(host) {
        return (StatusCode::FORBIDDEN, "This preview answers only requests to localhost or 127.0.0.1.\n")
            .into_response();
    }
    if request.uri().path() == WS_PATH
        && let Some(origin) = headers.get(header::ORIGIN)
    {
        let own = origin.to_str().ok().is_some_and(|o| is_own_origin(o, host, shared.addr));
        if !own {
            return (StatusCode::FORBIDDEN, "Only the preview's own pages may connect.\n").into_response();
        }
    }
    next.run(request).await
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), an address
/// of 127.0.0.0/8, or `[::1]`, with any port.
pub(super) fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host
            .rsplit_once(':')
            .map_or(host, |(n, port)| if port.chars().all(|c| c.is_ascii_digit()) { n } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `origin` is the address the page was served from: `http://` and the request's own
/// `Host`, on the server's port.
pub(super) fn is_own_origin(origin: &str, host: &str, addr: SocketAddr) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else { return false };
    let port_ok = rest.rsplit_once(':').is_some_and(|(_, p)| p == addr.port().to_string());
    rest.eq_ignore_ascii_case(host) && port_ok && (!addr.ip().is_loopback() || is_loopback_host(rest))
}

pub(super) async fn websocket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| client(socket, shared))
}

pub(super) async fn client(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut rx = shared.tx.subscribe();
    if socket.send(Message::Text(shared.hello().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            message = rx.recv() => match message {
                Ok(text) => if socket.send(Message::Text(text.into())).await.is_err() { break },
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if socket.send(Message::Text(shared.hello().into())).await.is_err() { break }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
}

/// `%xx` decoded; `None` where an escape is malformed, or the result is not UTF-8 or has a NUL.
pub(crate) fn percent_decode(path: &str) -> Option<String> {
    // A `%` not followed by two hex digits is refused rather than kept as it is.
    let well_formed =
        path.split('%').skip(1).all(|s| s.as_bytes().get(..2).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    if !well_formed {
        return None;
    }
    let s = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    (!s.contains('\0')).then(|| s.into_owned())
}

/// The output path a request asks for, or `None` for anything that tries to leave the site.
pub fn output_path(request_path: &str) -> Option<String> {
    let decoded = percent_decode(request_path)?;
    let rel = decoded.strip_prefix('/')?;
    if rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return None;
    }
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(if rel.is_empty() { crate::paths::ListPage::Home.url().to_string() } else { rel.to_string() })
}

pub(super) fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// A page with the live-reload client added before `</body>`.
pub(super) fn with_live_client(html: &[u8], build: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = format!("<script src=\"{LIVE_PATH}\" data-build=\"{build}\"></script>");
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

pub(super) async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let (files, build, failed) = {
        let s = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        (s.files.clone(), s.build.clone(), s.errors.is_some())
    };
    let found = output_path(uri.path()).and_then(|p| files.get(&p).map(|bytes| (p, bytes)));
    let (status, path, bytes) = match found {
        // The preview's PDF is typeset when asked for.
        Some((p, bytes)) if p == crate::paths::PRINT_PDF && bytes.is_empty() => {
            match pdf(&shared, &files, &build).await {
                Ok(bytes) => (StatusCode::OK, p, bytes.as_ref().clone()),
                Err(message) => (StatusCode::INTERNAL_SERVER_ERROR, "error.txt".to_string(), message.into_bytes()),
            }
        }
        Some((p, bytes)) => (StatusCode::OK, p, bytes.clone()),
        None => match files.get(crate::paths::NOT_FOUND) {
            Some(page) => (StatusCode::NOT_FOUND, crate::paths::NOT_FOUND.to_string(), page.clone()),
            None if failed && files.is_empty() => {
                // Nothing has built yet: a page that shows the errors and reloads when fixed.
                let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>metodbok serve</title></head>\
                            <body><main><h1>The site has not built yet</h1></main></body></html>";
                (StatusCode::SERVICE_UNAVAILABLE, "index.html".to_string(), page.as_bytes().to_vec())
            }
            None => (StatusCode::NOT_FOUND, "404.txt".to_string(), b"Not found\n".to_vec()),
        },
    };
    let mut body = if path.ends_with(".html") { with_live_client(&bytes, &build) } else { bytes };
    if status == StatusCode::NOT_FOUND && path == crate::paths::NOT_FOUND {
        // The 404 page links relative to the root, but is shown at any depth.
        body = String::from_utf8_lossy(&body).replacen("<head>", "<head><base href=\"/\">", 1).into_bytes();
    }
    (
        status,
        [
            (header::CONTENT_TYPE, content_type(&path)),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// The whole handbook's PDF, typeset from the print page of the build being shown the first
/// time it is asked for, then kept until the next build.
async fn pdf(shared: &Arc<Shared>, files: &HashMap<String, Vec<u8>>, build: &str) -> Result<Arc<Vec<u8>>, String> {
    let mut cached = shared.pdf.lock().await;
    if let Some((_, bytes)) = cached.as_ref().filter(|(b, _)| b == build) {
        return Ok(bytes.clone());
    }
    let print = String::from_utf8_lossy(files.get(crate::paths::PRINT).map_or(&[][..], Vec::as_slice)).into_owned();
    let bytes = tokio::task::spawn_blocking(move || crate::pdf::typeset_cached(&print))
        .await
        .map_err(|e| format!("typesetting the PDF failed: {e}"))??;
    let bytes = Arc::new(bytes);
    *cached = Some((build.to_string(), bytes.clone()));
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_output_are_asked_for() {
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(output_path("/faser/initiera.html").as_deref(), Some("faser/initiera.html"));
        assert_eq!(output_path("/s%C3%B6k.html").as_deref(), Some("sök.html"));
        for bad in [
            "/../metodbok.yaml",
            "/%2e%2e/metodbok.yaml",
            "/faser/..%2f..%2fmetodbok.yaml",
            "//etc/passwd",
            "/C:/x",
            "/a\\..\\b",
            "/%00",
            "/./index.html",
            "/%zz",
        ] {
            assert_eq!(output_path(bad), None, "{bad}");
        }
    }
}
