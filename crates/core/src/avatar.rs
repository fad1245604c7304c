//! Profile images (SPEC §3): PNG, JPEG or WebP, at most 1 MiB, with a header that parses
//! and sane dimensions. The declared content type is not trusted; the bytes decide.

use crate::ValidationError;

pub const MAX_AVATAR_BYTES: usize = 1024 * 1024;
/// Larger images are useless as avatars and costly for every widget that shows them.
pub const MAX_AVATAR_SIDE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
    Webp,
}

impl ImageType {
    pub const fn mime(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Webp => "image/webp",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        match mime {
            "image/png" => Some(ImageType::Png),
            "image/jpeg" => Some(ImageType::Jpeg),
            "image/webp" => Some(ImageType::Webp),
            _ => None,
        }
    }
}

/// Checks an uploaded avatar and tells its real type.
pub fn validate_avatar(bytes: &[u8]) -> Result<ImageType, ValidationError> {
    const FIELD: &str = "avatar";
    if bytes.is_empty() {
        return Err(ValidationError::new(FIELD, "is empty"));
    }
    if bytes.len() > MAX_AVATAR_BYTES {
        return Err(ValidationError::new(FIELD, "must be at most 1 MiB"));
    }
    let kind = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => ImageType::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageType::Jpeg,
        Ok(imagesize::ImageType::Webp) => ImageType::Webp,
        _ => {
            return Err(ValidationError::new(
                FIELD,
                "must be a PNG, JPEG or WebP image",
            ));
        }
    };
    let size = imagesize::blob_size(bytes)
        .map_err(|_| ValidationError::new(FIELD, "is not a readable image"))?;
    if size.width == 0 || size.height == 0 {
        return Err(ValidationError::new(FIELD, "has no pixels"));
    }
    if size.width > MAX_AVATAR_SIDE || size.height > MAX_AVATAR_SIDE {
        return Err(ValidationError::new(
            FIELD,
            format!("must be at most {MAX_AVATAR_SIDE}x{MAX_AVATAR_SIDE} pixels"),
        ));
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest valid PNG header: signature and an IHDR chunk of a 1x1 image.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        png.extend_from_slice(&[0, 0, 0, 13]);
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        png.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89]);
        png
    }

    #[test]
    fn a_png_is_accepted_and_typed_by_its_bytes() {
        assert_eq!(validate_avatar(&tiny_png()), Ok(ImageType::Png));
    }

    #[test]
    fn non_images_and_oversized_files_are_refused() {
        assert!(validate_avatar(b"").is_err());
        assert!(validate_avatar(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
        assert!(validate_avatar(b"GIF89a\x01\x00\x01\x00").is_err());
        let mut big = tiny_png();
        big.resize(MAX_AVATAR_BYTES + 1, 0);
        assert_eq!(
            validate_avatar(&big).unwrap_err().message,
            "must be at most 1 MiB"
        );
    }
}
