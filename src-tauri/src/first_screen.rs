//! The first screen's data travels inside the page that asks for it: as the webview loads
//! `index.html`, the shell writes the `startup` data into it as a JSON data block. The page can
//! draw the map as soon as its script runs, instead of waiting for an IPC round trip (about 20 ms
//! at start-up, BENCHMARKS.md). The block is made anew on every load, so a reload shows the
//! language and kiosk state of that moment.
use std::borrow::Cow;

use tauri::http::header::CONTENT_TYPE;
use tauri::http::Response;

/// The id of the data block; `ui/src/startup.ts` reads it.
pub const BLOCK_ID: &str = "wk-startup";

/// Writes `json` into an HTML page as a data block at the end of its `<head>`. A data block
/// (`type="application/json"`) is never run, so the page's CSP (`script-src 'self'`) is unchanged.
/// `None` when the page has no `</head>`.
pub fn embed_json(html: &str, json: &str) -> Option<String> {
    let at = html.find("</head>")?;
    // JSON keeps `<` only inside strings, where `\u003c` means the same; then no text in the data
    // can end the block (`</script>`) or open a comment (`<!--`).
    let safe = json.replace('<', "\\u003c");
    let block = format!(r#"<script type="application/json" id="{BLOCK_ID}">{safe}</script>"#);
    let mut page = String::with_capacity(html.len() + block.len());
    page.push_str(&html[..at]);
    page.push_str(&block);
    page.push_str(&html[at..]);
    Some(page)
}

/// Adds the data to a response if it is the app's HTML page; every other asset passes unchanged.
/// Without data (`json` gives `None`) the page goes out as it is and says that it cannot start.
pub fn embed_in_page(
    response: &mut Response<Cow<'static, [u8]>>,
    json: impl FnOnce() -> Option<String>,
) {
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return;
    }
    let Ok(html) = std::str::from_utf8(response.body()) else {
        return;
    };
    if let Some(page) = json().and_then(|json| embed_json(html, &json)) {
        *response.body_mut() = Cow::Owned(page.into_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><head><title>W</title></head><body></body></html>";

    fn block_of(page: &str) -> &str {
        let start = page.find(&format!(r#"id="{BLOCK_ID}">"#)).expect("block") + BLOCK_ID.len() + 6;
        &page[start..start + page[start..].find("</script>").expect("end of block")]
    }

    #[test]
    fn the_block_closes_the_head_and_holds_the_same_json() {
        let json = r#"{"name":"</script><script>alert(1)</script><!--","n":[1,2]}"#;
        let page = embed_json(PAGE, json).expect("page has a head");
        assert!(page.starts_with(
            "<!doctype html><html><head><title>W</title><script type=\"application/json\""
        ));
        assert!(page.ends_with("</script></head><body></body></html>"));
        let inside = block_of(&page);
        assert!(
            !inside.contains('<'),
            "nothing in the data can end the block: {inside}"
        );
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(inside).unwrap(),
            original
        );
    }

    #[test]
    fn a_page_without_a_head_is_left_alone() {
        assert_eq!(embed_json("<p>no head</p>", "{}"), None);
    }

    #[test]
    fn only_html_responses_get_the_block() {
        let mut script = Response::builder()
            .header(CONTENT_TYPE, "text/javascript")
            .body(Cow::Borrowed(&b"console.log('</head>')"[..]))
            .unwrap();
        embed_in_page(&mut script, || {
            unreachable!("the data is only made for the page")
        });
        assert_eq!(script.body().as_ref(), b"console.log('</head>')");

        let mut page = Response::builder()
            .header(CONTENT_TYPE, "text/html")
            .body(Cow::Borrowed(PAGE.as_bytes()))
            .unwrap();
        embed_in_page(&mut page, || Some(r#"{"language":"en"}"#.to_string()));
        let html = std::str::from_utf8(page.body()).unwrap();
        assert_eq!(block_of(html), r#"{"language":"en"}"#);
    }
}
