## Emails: failed live chats (one, or a digest), the visitor's transcript, a password
## reset, a paused sign-in.

email-a-visitor = a visitor
email-failed-subject = Missed live chat with { $who }: { $reason }
email-follow-up-subject = Message left after a missed live chat by { $who }
email-failed-title = Missed live chat
email-failed-heading = A live chat in { $workspace } failed
email-failed-intro = A live chat in { $workspace } failed: { $reason }.
email-reason = Reason
email-left-heading = Message left by the visitor
email-name = Name
email-not-given = (not given)
email-reply-to = Reply to
email-visitor-heading = Visitor
email-missed-by = Offered to, not taken by: { $agents }
email-transcript-so-far = Transcript so far
email-no-messages = (no messages)
email-open-conversation = Open the conversation
email-conversation-link = The conversation: { $link }
email-failed-footer = You receive this because you are a recipient of this workspace's failed-action email, or the chat was offered to you. Agents can turn it off in their notification preferences.

reason-limit-reached = the plan's engagement limit is reached
reason-no-rule-matched = no routing rule matched the visitor
reason-no-agent-available = no agent was available
reason-offer-expired = no agent accepted in time
reason-declined = the agent declined
reason-queue-timeout = the visitor waited in line and no agent became free
reason-outside-hours = the request came outside business hours

field-first-name = First name
field-last-name = Last name
field-email = Email
field-job-title = Job title
field-company = Company
field-phone = Phone
field-country = Country
field-region = Region
field-city = City
field-page = Page

sender-visitor = Visitor
sender-agent = Agent
sender-bot = Bot
sender-system = System

email-visitor-no-details = A visitor who gave no details
email-visitor-from = A visitor from { $place }

email-digest-subject = { $count ->
    [one] { $count } missed live chat in { $workspace }: { $reason }
   *[other] { $count } missed live chats in { $workspace }: { $reason }
}
email-digest-title = Missed live chats
email-digest-heading = { $count ->
    [one] { $count } live chat in { $workspace } failed
   *[other] { $count } live chats in { $workspace } failed
}
email-digest-why = So many failed in a short time that they come together in this email rather than one email each.
email-when = When
email-left-message = Left a message
email-open = Open
email-all-conversations = See all conversations
email-all-conversations-link = All conversations: { $link }
email-digest-footer = You receive this because you are a recipient of this workspace's failed-action email, or the chats were offered to you. Agents can turn it off in their notification preferences.

email-transcript-subject = Your conversation with { $workspace }
email-hello-name = Hello { $name },
email-you = You
email-file = (file)
email-hello = Hello,
email-transcript-intro = here is your conversation with { $workspace }, as you asked.
email-transcript-footer = You receive this email because you asked for the transcript in the chat on { $workspace }'s website.

email-reset-subject = Reset your Switchboard password ({ $workspace })
email-reset-body = Someone asked to reset the password of { $email } in the Switchboard workspace { $workspace } ({ $slug }).
email-reset-action = Choose a new password
email-reset-once = The link works once, within an hour.
email-reset-ignore = If it was not you, ignore this email: your password stays as it is.

email-locked-subject = Sign-in to your Switchboard account paused after failed attempts
email-locked-body = { $count ->
    [one] Someone tried to sign in to your Switchboard account { $email } with a wrong password, so signing in is paused for a while (longer after each further failure).
   *[other] Someone tried to sign in to your Switchboard account { $email } with a wrong password { $count } times in a row, so signing in is paused for a while (longer after each further failure).
}
email-locked-if-you = If it was you, wait a minute and try again, or choose a new password:
email-locked-new-password = Choose a new password
email-locked-not-you = If it was not you, your password held; choosing a new, longer one is still a good idea.
