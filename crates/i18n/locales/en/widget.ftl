## The visitor's widget (web/widget.js), sent to it by GET /api/v1/widget/config.

widget-title = Chat with us
widget-subtitle = We usually reply in a few minutes
widget-launcher = { $count ->
    [0] Chat with us
    [one] Chat with us ({ $count } unread message)
   *[other] Chat with us ({ $count } unread messages)
}
widget-dialog = Chat
widget-close = Close the chat
widget-message-label = Your message
widget-placeholder = Write a message…
widget-send = Send
widget-attach = Attach an image or a PDF
widget-attach-title = Attach an image or a PDF (up to 10 MB)
widget-unavailable = The chat is unavailable right now. Please try again later.
widget-file-too-large = This file is larger than 10 MB: it was not sent.
widget-file-failed = The file could not be sent. Images (PNG, JPEG, GIF, WebP) and PDFs up to 10 MB are accepted.
widget-pdf = { $name } (PDF)
widget-went-wrong = Something went wrong. Please try again.
widget-connecting = Connecting you to an agent…
widget-no-agent = No agent is available right now.
widget-joined = { $name } joined the chat.
widget-online = Online
widget-ended = This chat has ended
widget-queue = { $minutes ->
    [0] You are number { $position } in line.
    [one] You are number { $position } in line (about { $minutes } minute).
   *[other] You are number { $position } in line (about { $minutes } minutes).
}
widget-typing = { $name } is typing…
widget-agent = Agent
widget-bot = Assistant
widget-message-refused = Your message could not be sent. Please wait a moment and try again.

widget-field = { $name ->
    [first_name] First name
    [last_name] Last name
    [email] Email
    [job_title] Job title
    [company] Company
    [phone] Phone
    [message] Message
   *[other] Name
}
widget-required = Please fill in this field.
widget-bad-email = Please enter a valid email address, such as name@example.com.
widget-check-field = Please check this field.
widget-check-form = Please check the form.

widget-leave-title = Leave us a message
widget-leave-intro = We will get back to you by email.
widget-leave-send = Send message
widget-leave-failed = Your message could not be sent. Please try again.
widget-thanks = Thanks! We got your message and will reply to { $email }.
widget-thanks-named = Thanks, { $name }! We got your message and will reply to { $email }.

widget-rate-question = How was your chat?
widget-rate-label = Your rating, 1 to 5
widget-stars = { $count ->
    [one] { $count } star
   *[other] { $count } stars
}
widget-rate-comment = Anything to add? (optional)
widget-rate-comment-label = Your comment
widget-rate-send = Send my rating
widget-rate-thanks = Thank you for your feedback!
widget-rate-failed = Your rating could not be sent. Please try again.

widget-transcript = Email me this conversation
widget-transcript-sent = The conversation is on its way to { $email }.
widget-transcript-failed = The conversation could not be emailed.
widget-new = Start a new conversation

widget-preview-bot = Hi! What can we help you with?
widget-preview-visitor = I have a question about pricing.
widget-preview-agent = Happy to help! Which plan are you looking at?
widget-preview-agent-name = Alex

# What a visitor without an agent reads while the workspace keeps its built-in messages
# (the English ones are the settings' defaults, word for word).
widget-fallback-built-in = Thanks for reaching out! All our agents are busy right now. Leave us your details and we will get back to you soon.
widget-outside-hours-built-in = Thanks for reaching out! We are outside our business hours right now, so no agent can chat. Please come back during our opening hours, or leave us your details and we will get back to you.
