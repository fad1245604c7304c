## The agent's inbox (/inbox): its page, and its scripts (web/inbox/), which get the
## inbox- messages of the reader's language with the page.

inbox-title = Inbox
inbox-availability = Availability
inbox-status = { $status ->
    [available] Available
    [away] Away
   *[offline] Offline
}
inbox-save = Save
inbox-notifications = Notifications
inbox-sound = Sound
inbox-browser-notifications = Browser notifications
inbox-email-missed = Email for missed chats
inbox-connecting = Connecting…
inbox-connected = Connected
inbox-reconnecting = Reconnecting…
inbox-push-text = Enable browser notifications to receive live chat notifications
inbox-push-enable = Enable
inbox-no-permission = You do not hold the live-chat permission yet: an admin grants it in the console.
inbox-needs-js = The inbox needs JavaScript to receive chats in real time.
inbox-chats = Chats
inbox-live = Live chats
inbox-live-empty = No live chat yet. New chats appear here when you accept an offer.
inbox-team-live = Team's live chats
inbox-team-live-empty = No other live chat in the workspace.
inbox-past = Past chats
inbox-keys = Keys:
inbox-keys-switch = switch chats
inbox-keys-canned = canned responses
inbox-keys-newline = new line
inbox-no-chat = No chat selected
inbox-back = Chats
inbox-join = Join chat
inbox-leave = Leave chat
inbox-transfer = Transfer
inbox-end = End chat
inbox-end-confirm = End this chat? The visitor is told and can no longer write.
inbox-keep-chatting = Keep chatting
inbox-transfer-to = Transfer to
inbox-transfer-note = Note for them
inbox-optional = (optional)
inbox-transfer-send = Ask them
inbox-cancel = Cancel
inbox-pane-empty = Pick a chat from the list, or wait for the next visitor: offers show at the top of the page.
inbox-message = Message
inbox-placeholder = Write a message… (/ for canned responses)
inbox-note-placeholder = Write a note for your team (the visitor never sees it)…
inbox-internal-note = Internal note
inbox-attach = Attach a file
inbox-send = Send
inbox-readonly = You are watching this chat: join it to write to the visitor, write an internal note for the team, or transfer it.
inbox-visitor = Visitor
inbox-earlier = Earlier conversations
inbox-canned = Canned responses

inbox-you = You
inbox-colleague = A colleague
inbox-bot = Bot
inbox-a-visitor = A visitor
inbox-none = None
inbox-first-conversation = None: this is their first conversation.
inbox-conversation-status = { $status ->
    [ended] ended
    [fallback] fell back
    [live] live
    [completed] completed
   *[other] { $status }
}
inbox-rated = rated { $score }/5
inbox-show-earlier = { $count ->
    [one] Show { $count } earlier message
   *[other] Show { $count } earlier messages
}
inbox-preview-you = You: { $text }
inbox-preview-note = Note: { $text }
inbox-preview-bot = Bot: { $text }
inbox-preview-by = { $name }: { $text }
inbox-preview-file = File: { $name }
inbox-transferred-to = Transferred to { $name }
inbox-with = With { $name }
inbox-visitor-typing = The visitor is typing…
inbox-waits = { $minutes ->
    [0] waits <1 min
   *[other] waits { $minutes } min
}
inbox-unread = { $count ->
    [one] { $count } unread
   *[other] { $count } unread
}

inbox-field = { $name ->
    [first_name] First name
    [last_name] Last name
    [email] Email
    [job_title] Job title
    [company] Company
    [phone] Phone
   *[other] { $name }
}
inbox-customer-id = Customer ID
inbox-verified = { $id } ✓ verified
inbox-not-verified = { $id } (not verified)
inbox-location = Location
inbox-page = Page
inbox-pages-visited = Pages visited ({ $count })

inbox-wants-to-chat = wants to chat
inbox-asks-you = — { $name } asks you to take this chat
inbox-accept = Accept
inbox-decline = Decline
inbox-seconds-left = { $seconds } s left
inbox-offer-gone = This offer is no longer open.
inbox-preferences-saved = Preferences saved
inbox-availability-saved = Availability saved
inbox-not-saved = Could not save
inbox-push-unsupported = This browser cannot receive push notifications.
inbox-push-failed = Notifications could not be set up: { $reason }
inbox-push-asking = Asking the browser's push service…
inbox-push-refused = Could not enable notifications: { $reason }
inbox-away-missed = { $missed ->
    [0] You were set to Away after missing several chats in a row, so visitors are not kept waiting. Set yourself Available when you are back.
   *[other] You were set to Away after missing { $missed } chats in a row, so visitors are not kept waiting. Set yourself Available when you are back.
}
inbox-schedule-started = Your schedule has started: you are Available.
inbox-schedule-ended = { $status ->
    [away] Your schedule has ended: you are Away.
   *[other] Your schedule has ended: you are Offline.
}

inbox-note-failed = The note could not be saved.
inbox-not-connected = Not connected: the message was not sent. Try again in a moment.
inbox-no-canned-match = No canned response starts like this.
inbox-no-canned = No canned response yet: admins add the team's in the console, and anyone can add their own there.
inbox-file-too-large = This file is larger than 10 MiB.
inbox-file-failed = The file could not be sent.
inbox-team = Team: { $name }
inbox-nobody-else = Nobody else can take chats in this workspace yet.
inbox-transfer-asked = Asked { $name } to take the chat. It stays with you until they accept.
inbox-transfer-failed = The chat could not be transferred.
inbox-transfer-done = The chat was transferred to { $name }.
inbox-join-failed = Could not join the chat.
inbox-leave-failed = Could not leave the chat.
inbox-end-failed = Could not end the chat.
inbox-message-refused = The message was not sent: { $reason }
inbox-push-blocked = notifications are blocked for this site; allow them in the browser's site settings
inbox-push-timeout = the browser's push service did not answer; try again later
inbox-transcript = Messages of the chat
