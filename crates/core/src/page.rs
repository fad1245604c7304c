//! Pagination of lists: keyset pagination on the time-ordered ids, so a page is stable while
//! rows are added, and no offset scan grows with the list.

use uuid::Uuid;

use crate::ValidationError;

/// Page size when the client names none.
pub const DEFAULT_PAGE_SIZE: u64 = 50;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 200;

/// A validated page request: at most `limit` items whose id is greater than `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub after: Option<Uuid>,
}

impl PageRequest {
    pub fn parse(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, ValidationError> {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(ValidationError::new(
                "limit",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        let after = match cursor {
            None | Some("") => None,
            Some(raw) => Some(Uuid::parse_str(raw).map_err(|_| {
                ValidationError::new("cursor", "is not a cursor from a previous page")
            })?),
        };
        Ok(Self { limit, after })
    }

    /// The first page with the default size.
    pub fn first() -> Self {
        Self {
            limit: DEFAULT_PAGE_SIZE,
            after: None,
        }
    }
}

/// One page of results; `next_cursor` is set when more items may follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Uuid>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in id order: the extra row, when present,
    /// only proves that another page exists.
    pub fn from_overfetch(mut rows: Vec<T>, limit: u64, id_of: impl Fn(&T) -> Uuid) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&id_of)
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_bounded() {
        assert!(PageRequest::parse(Some(0), None).is_err());
        assert!(PageRequest::parse(Some(MAX_PAGE_SIZE + 1), None).is_err());
        assert_eq!(
            PageRequest::parse(None, None).map(|p| p.limit),
            Ok(DEFAULT_PAGE_SIZE)
        );
    }

    #[test]
    fn a_bad_cursor_is_a_validation_error_on_cursor() {
        let err = PageRequest::parse(None, Some("nope")).unwrap_err();
        assert_eq!(err.field, "cursor");
    }

    #[test]
    fn overfetch_sets_the_cursor_to_the_last_item_kept() {
        let page = Page::from_overfetch(vec![1u128, 2, 3], 2, |n| Uuid::from_u128(*n));
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(Uuid::from_u128(2)));
        let last = Page::from_overfetch(vec![1u128, 2], 2, |n| Uuid::from_u128(*n));
        assert_eq!(last.next_cursor, None);
    }
}
