"""An SMTP server for the tests (aiosmtpd): every message it accepts is written to
OUT_DIR as one JSON file: the envelope (mail_from, rcpt_tos), and the message as Python's
email parser reads it (subject, message_id, from, to, content_type, and the decoded text and html
parts), and whether the session was encrypted (tls). Usage:
smtp_sink.py PORT OUT_DIR [CERT KEY]: with a certificate and key it requires STARTTLS
before accepting mail. It prints "ready" once it listens, and runs until killed."""

import email
import email.policy
import json
import os
import ssl
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out_dir):
        self.out_dir = out_dir

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "content_type": message.get_content_type(),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
            "tls": session.ssl is not None,
        }
        tmp = os.path.join(self.out_dir, f".{uuid.uuid4()}.tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        # Renamed into place: a reader never sees half a message.
        os.rename(tmp, os.path.join(self.out_dir, f"{time.time_ns()}.json"))
        return "250 Message accepted for delivery"


def main():
    port, out_dir = int(sys.argv[1]), sys.argv[2]
    tls = {}
    if len(sys.argv) > 4:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(Keep(out_dir), hostname="127.0.0.1", port=port, **tls)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
