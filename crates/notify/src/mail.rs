//! Email: the SMTP transport (lettre) and the failed-action email's templates (askama, an
//! HTML part and a text part).
//!
//! `SWITCHBOARD_SMTP_URL` names the server and how to reach it, as lettre reads it:
//! `smtps://user:pass@host:465` (TLS), `smtp://user:pass@host:587?tls=required` (STARTTLS),
//! `smtp://host:25` (plain, for a local relay or a test sink).

use std::time::Duration;

use askama::Template;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use switchboard_i18n::Texts;

/// How long one SMTP command may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Why an email could not be built or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad SMTP URL: {0}")]
    Url(String),
    #[error("bad CA certificate: {0}")]
    Certificate(String),
    #[error("bad address {0:?}")]
    Address(String),
    #[error("building the message: {0}")]
    Build(String),
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// Sends email through one SMTP server, with a pool of connections.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold the SMTP password: only the sender is shown.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// One email: its recipients, subject and both parts.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    /// Unique and the same on every attempt to send this email: its `Message-ID` is made of
    /// it, so a receiver can tell a resend after a crash from another email.
    pub id: &'a str,
    pub to: &'a [String],
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

impl Mailer {
    /// Checks an SMTP URL without connecting (and without a runtime).
    pub fn check_url(url: &str) -> Result<(), MailError> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(|_| ())
            .map_err(|e| MailError::Url(e.to_string()))
    }

    /// A mailer for `url` (see the module's doc), sending as `from` (`Name <address>` or an
    /// address). `extra_root`: a CA certificate (PEM) trusted besides the public ones, for
    /// a server whose certificate a private CA signed. Its connection pool runs on the
    /// current Tokio runtime.
    pub fn new(url: &str, from: &str, extra_root: Option<&[u8]>) -> Result<Self, MailError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(TIMEOUT));
        if let Some(tls) = extra_root.map(|pem| tls_with_root(url, pem)).transpose()? {
            builder = builder.tls(tls);
        }
        let from = from
            .parse()
            .map_err(|_| MailError::Address(from.to_owned()))?;
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one email: accepted by the SMTP server, or why not.
    pub async fn send(&self, email: &Email<'_>) -> Result<(), MailError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .message_id(Some(format!("<{}@{}>", email.id, self.from.email.domain())))
            .subject(email.subject);
        for to in email.to {
            let to: Mailbox = to.parse().map_err(|_| MailError::Address(to.clone()))?;
            builder = builder.to(to);
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(
                email.text.to_owned(),
                email.html.to_owned(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Smtp(e.to_string()))?;
        Ok(())
    }
}

/// The TLS mode `url` asks for (as lettre reads it), trusting `pem` too; plain SMTP keeps
/// lettre's choice (`Tls::None`).
fn tls_with_root(url: &str, pem: &[u8]) -> Result<Tls, MailError> {
    // lettre reads a PEM without any certificate as an empty list: refuse it here.
    if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(MailError::Certificate("no certificate in the PEM".into()));
    }
    let parsed = url::Url::parse(url).map_err(|e| MailError::Url(e.to_string()))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| MailError::Url("no host".into()))?
        .trim_matches(['[', ']'])
        .to_owned();
    let certificate =
        Certificate::from_pem(pem).map_err(|e| MailError::Certificate(e.to_string()))?;
    let parameters = || {
        TlsParameters::builder(host.clone())
            .add_root_certificate(certificate.clone())
            .build_rustls()
            .map_err(|e| MailError::Certificate(e.to_string()))
    };
    let mode = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    Ok(match (parsed.scheme(), mode.as_deref()) {
        ("smtps", _) => Tls::Wrapper(parameters()?),
        (_, Some("required")) => Tls::Required(parameters()?),
        (_, Some("opportunistic")) => Tls::Opportunistic(parameters()?),
        _ => Tls::None,
    })
}

/// An email's text and HTML parts, rendered.
fn both(text: &impl Template, html: &impl Template) -> Result<(String, String), MailError> {
    let build = |e: askama::Error| MailError::Build(e.to_string());
    Ok((text.render().map_err(build)?, html.render().map_err(build)?))
}

/// A line of the transcript.
#[derive(Debug, Clone)]
pub struct TranscriptLine {
    /// `visitor`, `agent` or `system`.
    pub sender: String,
    /// When, as the reader reads it.
    pub at: String,
    pub body: String,
}

/// The transcript a visitor asked for by email (SPEC §12.3): what they saw, never a note.
#[derive(Debug, Clone)]
pub struct VisitorTranscript {
    /// The reader's language.
    pub tx: Texts,
    pub workspace: String,
    /// The visitor's first name, when they gave it.
    pub name: Option<String>,
    pub lines: Vec<TranscriptLine>,
}

#[derive(Template)]
#[template(path = "visitor_transcript.html")]
struct VisitorTranscriptHtml<'a> {
    t: &'a VisitorTranscript,
    tx: Texts,
}

#[derive(Template)]
#[template(path = "visitor_transcript.txt")]
struct VisitorTranscriptText<'a> {
    t: &'a VisitorTranscript,
    tx: Texts,
}

impl VisitorTranscript {
    pub fn subject(&self) -> String {
        self.tx
            .t1("email-transcript-subject", "workspace", &self.workspace)
    }

    /// The text and HTML parts.
    pub fn render(&self) -> Result<(String, String), MailError> {
        both(
            &VisitorTranscriptText {
                t: self,
                tx: self.tx,
            },
            &VisitorTranscriptHtml {
                t: self,
                tx: self.tx,
            },
        )
    }
}

/// What the failed-action email says.
#[derive(Debug, Clone)]
pub struct FailedAction {
    /// The reader's language.
    pub tx: Texts,
    pub workspace: String,
    /// Why the chat failed, in words.
    pub reason: String,
    /// What the visitor told (captured fields) and where they were: `(label, value)`.
    pub visitor: Vec<(String, String)>,
    /// The agents who were offered the chat and did not take it.
    pub missed_by: Vec<String>,
    pub transcript: Vec<TranscriptLine>,
    /// The conversation in the console.
    pub link: String,
    /// The message the visitor left after the fallback (SPEC §12.2), once they did.
    pub left_message: Option<LeftMessage>,
}

/// What a visitor left after a fallback: the sales team's lead.
#[derive(Debug, Clone)]
pub struct LeftMessage {
    pub name: Option<String>,
    /// Where to answer.
    pub email: String,
    pub message: String,
    /// When, as shown (UTC).
    pub at: String,
}

#[derive(Template)]
#[template(path = "failed_action.html")]
struct FailedActionHtml<'a> {
    f: &'a FailedAction,
    tx: Texts,
}

#[derive(Template)]
#[template(path = "failed_action.txt")]
struct FailedActionText<'a> {
    f: &'a FailedAction,
    tx: Texts,
}

impl FailedAction {
    /// The subject line.
    pub fn subject(&self) -> String {
        let label = self.tx.t("field-email");
        let who = self
            .visitor
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| self.tx.t("email-a-visitor"));
        self.tx
            .t2("email-failed-subject", "who", who, "reason", &self.reason)
    }

    /// The subject of the follow-up sent when the visitor leaves a message after the
    /// failed-action email went out.
    pub fn follow_up_subject(&self) -> String {
        let who = self
            .left_message
            .as_ref()
            .map_or_else(|| self.tx.t("email-a-visitor"), |m| m.email.clone());
        self.tx.t1("email-follow-up-subject", "who", who)
    }

    /// The text and HTML parts.
    pub fn render(&self) -> Result<(String, String), MailError> {
        both(
            &FailedActionText {
                f: self,
                tx: self.tx,
            },
            &FailedActionHtml {
                f: self,
                tx: self.tx,
            },
        )
    }
}

/// One chat of a digest.
#[derive(Debug, Clone)]
pub struct DigestChat {
    /// Who the visitor is, as far as they said (name, email, company), else where they were.
    pub visitor: String,
    /// When the chat failed, as shown (UTC).
    pub at: String,
    /// The conversation in the console.
    pub link: String,
    /// What the visitor left after the fallback, if they did: where to answer, and the
    /// message.
    pub left_message: Option<(String, String)>,
}

/// Failed chats of one reason sent together: at most one email per recipient and reason
/// every few minutes when failures flood.
#[derive(Debug, Clone)]
pub struct FailedActionDigest {
    /// The reader's language.
    pub tx: Texts,
    pub workspace: String,
    /// Why the chats failed, in words.
    pub reason: String,
    /// Oldest first.
    pub chats: Vec<DigestChat>,
    /// The conversations in the console.
    pub link: String,
}

#[derive(Template)]
#[template(path = "failed_action_digest.html")]
struct DigestHtml<'a> {
    d: &'a FailedActionDigest,
    tx: Texts,
}

#[derive(Template)]
#[template(path = "failed_action_digest.txt")]
struct DigestText<'a> {
    d: &'a FailedActionDigest,
    tx: Texts,
}

impl FailedActionDigest {
    pub fn subject(&self) -> String {
        switchboard_i18n::text(
            self.tx.locale(),
            "email-digest-subject",
            &[
                ("count", self.chats.len().into()),
                ("workspace", (&self.workspace).into()),
                ("reason", (&self.reason).into()),
            ],
        )
    }

    /// The text and HTML parts.
    pub fn render(&self) -> Result<(String, String), MailError> {
        both(
            &DigestText {
                d: self,
                tx: self.tx,
            },
            &DigestHtml {
                d: self,
                tx: self.tx,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FailedAction {
        FailedAction {
            tx: Texts::default(),
            workspace: "Acme".into(),
            reason: "no agent accepted in time".into(),
            visitor: vec![
                ("First name".into(), "<b>Ann</b>".into()),
                ("Email".into(), "ann@example.com".into()),
            ],
            missed_by: vec!["Bo".into()],
            transcript: vec![TranscriptLine {
                sender: "visitor".into(),
                at: "2026-12-02 10:00".into(),
                body: "hello <script>".into(),
            }],
            link: "https://sb.example.com/console/conversations/1".into(),
            left_message: None,
        }
    }

    #[test]
    fn a_left_message_is_in_both_parts_escaped_in_the_html_one() {
        let f = FailedAction {
            left_message: Some(LeftMessage {
                name: Some("Ann <i>".into()),
                email: "ann@example.com".into(),
                message: "Call me <b>back</b>\nplease".into(),
                at: "2026-12-02 10:01:00 UTC".into(),
            }),
            ..sample()
        };
        let (text, html) = f.render().unwrap();
        assert!(text.contains("Message left by the visitor"), "{text}");
        assert!(text.contains("Call me <b>back</b>"), "{text}");
        assert!(text.contains("Reply to: ann@example.com"), "{text}");
        assert!(
            html.contains("Call me &#60;b&#62;back&#60;/b&#62;"),
            "{html}"
        );
        assert!(html.contains("mailto:ann@example.com"), "{html}");
        assert!(!html.contains("<i>"), "{html}");
        assert_eq!(
            f.follow_up_subject(),
            "Message left after a missed live chat by ann@example.com"
        );
        let (plain, _) = sample().render().unwrap();
        assert!(!plain.contains("Message left"), "{plain}");
    }

    #[test]
    fn the_html_part_escapes_what_the_visitor_wrote_and_the_text_part_keeps_it() {
        let (text, html) = sample().render().unwrap();
        assert!(html.contains("&#60;b&#62;Ann&#60;/b&#62;"), "{html}");
        assert!(html.contains("hello &#60;script&#62;"), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(text.contains("First name: <b>Ann</b>"), "{text}");
        assert!(text.contains("hello <script>"), "{text}");
        assert!(text.contains("Bo"));
        assert_eq!(
            sample().subject(),
            "Missed live chat with ann@example.com: no agent accepted in time"
        );
    }

    #[tokio::test]
    async fn a_bad_url_or_sender_is_refused() {
        assert!(Mailer::check_url("smtp://127.0.0.1:2525").is_ok());
        assert!(Mailer::check_url("http://127.0.0.1").is_err());
        assert!(matches!(
            Mailer::new("ftp://x", "a@example.com", None),
            Err(MailError::Url(_))
        ));
        assert!(matches!(
            Mailer::new("smtp://127.0.0.1:25", "not an address", None),
            Err(MailError::Address(_))
        ));
        assert!(Mailer::new("smtp://127.0.0.1:25", "Switchboard <sb@example.com>", None).is_ok());
        assert!(matches!(
            Mailer::new(
                "smtp://127.0.0.1:25?tls=required",
                "sb@example.com",
                Some(b"not a certificate")
            ),
            Err(MailError::Certificate(_))
        ));
    }
}
