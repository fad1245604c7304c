//! axe-core in the browser tests: its script, a check of the page in view, and the look
//! every console page gets (it fits a phone, screenshots at both widths, axe).

use fantoccini::Client;

use crate::helpers::browser::{both_widths, fits_its_width, until};

/// axe-core's script, installed by scripts/test.sh (`npm ci` in tests/browser).
pub fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (scripts/test.sh installs it with npm)"))
}

/// Checks the page with axe-core (WCAG 2 A and AA rules); returns its serious and critical
/// violations, named.
pub async fn axe(browser: &Client, source: &str, name: &str) -> Vec<String> {
    browser.execute(source, vec![]).await.unwrap();
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(r.passes.length === 0 ? ['axe checked nothing'] :
                 r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).join(', '))),
                     e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{name}: {}", v.as_str().unwrap_or_default()))
        .collect()
}

/// Nothing scrolls sideways on a phone; screenshots `name` at both widths; axe's serious
/// findings join `found`.
pub async fn inspect(browser: &Client, axe_js: &str, name: &str, found: &mut Vec<String>) {
    browser.set_window_size(390, 844).await.unwrap();
    assert!(
        fits_its_width(browser).await,
        "{name} scrolls sideways on a phone"
    );
    both_widths(browser, name).await;
    found.extend(axe(browser, axe_js, name).await);
}

/// Goes to `url`, waits until `ready` (a JS expression) holds, then [`inspect`]s the page as
/// `name`.
pub async fn visit_and_inspect(
    browser: &Client,
    url: &str,
    ready: &str,
    axe_js: &str,
    name: &str,
    found: &mut Vec<String>,
) {
    browser.goto(url).await.unwrap();
    until(browser, &format!("{name}: {ready}"), ready).await;
    inspect(browser, axe_js, name, found).await;
}
