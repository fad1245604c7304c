//! Attachments (SPEC §12.3): what a file may be and how it is named. The type comes from
//! the bytes (their magic numbers), never from the name or what the client declared; only
//! images a browser shows safely and PDFs are taken. A name is what the sender's device
//! called it, kept only if it is plain: no path, no markup, no control characters, and an
//! extension that agrees with the bytes.

use crate::error::ValidationError;

/// The largest file: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The types taken, with the extensions their names may carry (the first is added to a name
/// without one).
const TYPES: [(&str, &[&str]); 5] = [
    ("image/png", &["png"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    ("application/pdf", &["pdf"]),
];

/// The types taken, as media types.
pub const CONTENT_TYPES: [&str; 5] = [TYPES[0].0, TYPES[1].0, TYPES[2].0, TYPES[3].0, TYPES[4].0];

/// A file's type by its bytes: one of the five taken, or a message saying what is.
pub fn detect(bytes: &[u8]) -> Result<&'static str, ValidationError> {
    if bytes.is_empty() {
        return Err(ValidationError::new("file", "the file is empty"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(ValidationError::new(
            "file",
            "the file is larger than 10 MiB",
        ));
    }
    let found = infer::get(bytes).map(|t| t.mime_type());
    TYPES
        .iter()
        .map(|(mime, _)| *mime)
        .find(|mime| Some(*mime) == found)
        .ok_or_else(|| {
            ValidationError::new(
                "file",
                "only PNG, JPEG, GIF and WebP images and PDF documents can be sent (this file's content is none of them)",
            )
        })
}

/// True for the types a browser shows in place (images); a PDF is offered as a download.
pub fn is_image(content_type: &str) -> bool {
    content_type.starts_with("image/")
}

/// The name a file is kept under: the last part of what the client sent, trimmed; refused
/// when it holds markup, quotes, control characters or nothing, or when its extension says
/// another type than the bytes. A name without an extension gets the type's.
pub fn clean_name(raw: &str, content_type: &str) -> Result<String, ValidationError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if base.is_empty() || base == "." || base == ".." {
        return Err(ValidationError::new("file", "the file has no name"));
    }
    if base.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new(
            "file",
            format!("the file's name is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if base
        .chars()
        .any(|c| c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
    {
        return Err(ValidationError::new(
            "file",
            "the file's name may not contain < > \" ` or control characters: rename it",
        ));
    }
    let extensions = TYPES
        .iter()
        .find(|(mime, _)| *mime == content_type)
        .map_or(&[][..], |(_, e)| *e);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            if extensions.contains(&ext.as_str()) {
                Ok(base.to_owned())
            } else {
                Err(ValidationError::new(
                    "file",
                    format!("the file is named .{ext} but its content is {content_type}"),
                ))
            }
        }
        _ => Ok(format!(
            "{base}.{}",
            extensions.first().copied().unwrap_or("bin")
        )),
    }
}

/// The `Content-Disposition` of a file: `inline` for images, `attachment` otherwise, with
/// an ASCII fallback name and the exact one percent-encoded (RFC 6266, RFC 5987).
pub fn content_disposition(name: &str, content_type: &str) -> String {
    let kind = if is_image(content_type) {
        "inline"
    } else {
        "attachment"
    };
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(detect(PNG), Ok("image/png"));
        assert_eq!(detect(PDF), Ok("application/pdf"));
        assert_eq!(detect(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Ok("image/jpeg"));
        assert_eq!(detect(b"GIF89a\x01\0\x01\0"), Ok("image/gif"));
        assert_eq!(detect(b"RIFF\x1a\0\0\0WEBPVP8 "), Ok("image/webp"));
        for bad in [
            &b"<html><script>alert(1)</script>"[..],
            b"MZ\x90\0",
            b"PK\x03\x04",
            b"",
        ] {
            assert_eq!(detect(bad).unwrap_err().field, "file");
        }
        assert!(detect(&vec![0u8; MAX_BYTES + 1]).is_err());
    }

    #[test]
    fn names_are_plain_and_agree_with_the_type() {
        assert_eq!(
            clean_name("C:\\Users\\me\\Quote 2.PDF", "application/pdf").as_deref(),
            Ok("Quote 2.PDF")
        );
        assert_eq!(
            clean_name("../../etc/photo.jpeg", "image/jpeg").as_deref(),
            Ok("photo.jpeg")
        );
        assert_eq!(
            clean_name("screenshot", "image/png").as_deref(),
            Ok("screenshot.png")
        );
        for bad in [
            "<script>alert(1)</script>.png",
            "a\"b.png",
            "x\u{0}.png",
            "",
            "/",
            "photo.html",
            "invoice.pdf",
        ] {
            assert!(clean_name(bad, "image/png").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_disposition_names_the_file_safely() {
        assert_eq!(
            content_disposition("Devis été.pdf", "application/pdf"),
            "attachment; filename=\"Devis _t_.pdf\"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9.pdf"
        );
        assert!(content_disposition("a.png", "image/png").starts_with("inline;"));
    }
}
