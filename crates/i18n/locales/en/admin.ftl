## The admin pages: dashboard, users, teams, routing, settings, canned replies,
## conversations, failed chats, and the confirmation asked before a destructive action.

## Confirmation before a destructive action.

confirm-cancel = Cancel, keep it

## Dashboard.

dash-plan = Plan
dash-engagements = Engagements
dash-unlimited = (unlimited)
dash-engagements-used = Engagements used
dash-engagements-help = Each visitor who asks for an agent counts as one engagement.
dash-limit-reached = The engagement limit is reached: visitors asking for an agent get the fallback message.
dash-limit-warn = { $percent }% of the engagement limit is used.
dash-agents = Agents
dash-available-now = { $count ->
    [one] available now
   *[other] available now
}
dash-agents-permitted = { $count ->
    [one] { $count } user holds the live-chat permission.
   *[other] { $count } users hold the live-chat permission.
}
dash-manage-users = Manage users and permissions
dash-now = Now
dash-live-chats = { $count ->
    [one] live chat
   *[other] live chats
}
dash-offers-pending = { $count ->
    [one] offer waiting for an answer
   *[other] offers waiting for an answer
}
dash-visitors-waiting = { $count ->
    [one] visitor waiting in line
   *[other] visitors waiting in line
}
dash-waiting-line = Waiting in line
dash-waiting-empty = Nobody is waiting: every visitor who asked for an agent was offered one. Visitors wait here when every agent is busy.
dash-col-place = Place
dash-col-chat = Chat
dash-col-waited = Waited
dash-col-routed-to = Routed to
dash-open-chat = Open
dash-waited = { $minutes ->
    [0] under 1 min
   *[other] { $minutes } min
}
dash-target-gone = a former agent or team
dash-target-any = Any agent
dash-failed = Recent failed chats
dash-failed-empty = None: every visitor who asked for an agent got one. If that changes, the routing page’s dry run shows who would be offered a chat.
dash-failed-empty-link = Try a dry run
dash-failed-all = All failed chats
dash-widget = Widget
dash-widget-key = Widget key:
dash-snippet = Put this tag on every page of your site where visitors may chat:

## Users.

role-name = { $role ->
    [agent] Agent
    [admin] Admin
    [owner] Owner
   *[other] { $role }
}
users-intro = Everyone who works in this workspace. Agents answer chats in the inbox once they hold the live-chat permission; admins and owners also run this console.
users-empty = No users yet.
users-caption = Users of this workspace and their live-chat permission
users-col-name = Name
users-col-email = Email
users-col-role = Role
users-col-status = Status
users-col-live-chat = Live chat
users-edit-label = Edit { $name }
users-status-active = active
users-status-disabled = disabled
users-status-invited = invited
users-allowed = allowed
users-not-allowed = not allowed
users-revoke = Revoke
users-revoke-label = Revoke live-chat permission of { $name }
users-grant = Grant
users-grant-label = Grant live-chat permission to { $name }
users-revoke-question = Revoke { $name }’s live-chat permission?
users-revoke-detail = They will no longer be offered chats and cannot take any from the inbox. You can grant the permission again at any time.
users-revoke-button = Revoke the permission
users-choose-grant = Choose to grant or revoke.
users-next-page = Next page
users-add-heading = Add a user
users-invitation-link = Invitation link (send it to the user; it works for 7 days):
users-invited = Invitation created: send the link below to the new user so they can choose their password.
users-email = Email
users-display-name = Display name
users-password = Password
users-password-hint = (leave empty to get an invitation link)
users-grant-check = Grant the live-chat permission
users-add-button = Add user
notice-user-created = User added: they can log in with the password you chose.

## A user's page.

user-profile = Profile and access
user-active = Active (a disabled user cannot log in or be offered chats)
user-save = Save
user-disable-question = Disable { $name }?
user-disable-detail = They are signed out everywhere at once, cannot log in, and are no longer offered chats. Their conversations and history stay. You can enable them again on this page.
user-disable-button = Disable the user
user-image = Profile image
user-image-help = Visitors see it beside the agent’s name in the chat.
user-image-alt = Current profile image of { $name }
user-no-image = No image yet: visitors see the agent’s name only. Upload one below.
user-image-file = Image (PNG, JPEG or WebP, at most 1 MiB)
user-upload = Upload
user-upload-unreadable = The upload could not be read; please try again.
user-upload-choose = Choose an image file (PNG, JPEG or WebP) first.
user-schedule = Schedule
user-schedule-help = Inside their schedule the agent is available, outside it away. When they change their availability themselves, their choice holds until the schedule next opens or closes.
user-schedule-off = No schedule: the agent’s availability is what they choose
user-schedule-on = Follow this schedule: available inside it, away outside it
user-schedule-save = Save schedule
notice-user-saved = Profile and access saved.
notice-avatar-saved = Profile image saved: visitors see it beside this agent’s name.
notice-schedule-saved = Schedule saved: the agent’s availability follows it from now on.

## Weekly hours (business hours, a user's schedule).

week-timezone = Time zone
week-timezone-hint = (IANA name, e.g. Europe/Paris; daylight-saving time is followed)
week-caption = Opening intervals, on the time zone’s clock (HH:MM; 24:00 for midnight; leave a pair empty for none)
week-col-day = Day
week-col-intervals = Intervals
week-day = { $day ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
    [sun] Sunday
   *[other] { $day }
}
week-slot-from = { $day }, interval { $n }, from
week-slot-to = { $day }, interval { $n }, to

## Teams.

teams-intro = Teams group agents: a routing rule or a dialogue’s live-chat card can send chats to a team, and they are offered to its members.
teams-empty = No teams yet. Create the first one below, then add its members.
teams-no-members = No members yet: add the agents who answer this team’s chats.
teams-remove = Remove
teams-remove-label = Remove { $name } from { $team }
teams-remove-question = Remove { $name } from the team “{ $team }”?
teams-remove-detail = Chats sent to this team will no longer be offered to them. Their account and their chats stay; you can add them again at any time.
teams-remove-button = Remove from the team
teams-everyone-in = Every user is a member of this team.
teams-add-member = Add member
teams-add = Add
teams-delete = Delete team
teams-delete-label = Delete team { $team }
teams-delete-question = Delete the team “{ $team }”?
teams-delete-detail = Its members keep their accounts, but routing rules and dialogues that send chats to this team find no agent there any more: give them another destination. This cannot be undone.
teams-delete-button = Delete the team
teams-choose-user = Choose a user to add.
teams-new = New team
teams-name = Name
teams-create = Create team
notice-team-created = Team created: add its members below.
notice-team-deleted = Team deleted.
notice-team-member-added = Member added: chats sent to this team can now be offered to them.
notice-team-member-removed = Member removed from the team.

## Routing.

routing-intro = How a visitor who asks for an agent finds one: a dialogue’s live-chat card names an agent, a team, round-robin over all agents, or these custom rules.
routing-rules = Custom rules
routing-rules-help = Tried in this order; the first whose conditions all hold sends the chat to its agent or team.
routing-rules-empty = No custom rules yet. A rule sends chats to an agent or a team by the visitor’s country, page or details. Add the first below, then test it with a dry run.
routing-every-visitor = every visitor
routing-target-removed = { $kind ->
    [team] a deleted team
    [agent] a removed agent
   *[other] { $kind } (removed)
}
routing-up = Up
routing-up-label = Move { $name } up
routing-down = Down
routing-down-label = Move { $name } down
routing-delete = Delete
routing-delete-label = Delete rule { $name }
routing-delete-question = Delete the rule “{ $name }”?
routing-delete-detail = Chats it would have routed go to the next rule that matches, or get the fallback message. This cannot be undone.
routing-delete-button = Delete the rule
routing-new-rule = New rule
routing-name = Name
routing-conditions = Conditions
routing-conditions-hint = One per line: field, operator, value. Fields: country, region, city, page_url, captured.company…; operators: is, is_not, one_of, contains. Leave empty to match every visitor. For example:
routing-goes-to = Goes to
routing-no-targets = No agent may chat yet and there are no teams: grant the live-chat permission first.
routing-add-rule = Add rule
routing-dry-run = Dry run
routing-dry-help = Who would be offered a chat now? Nothing is changed.
routing-dry-mode = Routing
routing-mode-round-robin = Round-robin over all agents
routing-mode-custom-rules = Custom rules
routing-dry-country = Visitor’s country (e.g. FR)
routing-dry-region = Region
routing-dry-city = City
routing-dry-page = Page URL
routing-dry-submit = Run
routing-dry-steps = How it was decided
routing-dry-offered = { $name } would be offered the chat.
routing-dry-fallback = Nobody would be offered the chat: { $reason }. The visitor would get the fallback message.
routing-dry-nobody = Nobody would be offered the chat.
routing-dry-rule-matched = Rule matched: { $name }
routing-dry-skipped = { $name }: skipped ({ $reason })
routing-dry-would-offer = { $name }: would be offered the chat
notice-rule-created = Rule added at the end of the list: move it up to try it sooner.
notice-rule-moved = Rule moved: rules are tried in the new order.
notice-rule-deleted = Rule deleted.

## Settings.

settings-chats = Live chat
settings-fallback = Global fallback message
settings-fallback-hint = (sent to visitors when no agent can take the chat)
settings-accept-timeout = Seconds an agent has to accept a chat (1–600)
settings-max-chats = Live chats per agent at once (1–100)
settings-idle-timeout = Minutes of silence before a chat ends (1–1440)
settings-away-after = Set an agent away after this many missed offers in a row (0–10; 0: never)
settings-offer-attempts = Agents to try before the fallback (1–5)
settings-offer-attempts-hint = (each decline, expiry or agent going away moves the chat to the next agent; empty: 2 for team routing, 1 otherwise)
settings-one-offer = Each chat is offered to one agent, then the visitor gets the fallback message. The prime plan tries more agents.
settings-recipients = Failed-action email recipients
settings-recipients-hint = (one address per line; empty: the workspace’s admins)
settings-default-language = Default language
settings-default-language-hint = (for emails to recipients who chose none, and readers whose browser asks for neither language)
settings-security = Widget security and data
settings-origins = Sites the widget may run on
settings-origins-hint = (one origin per line, such as https://www.example.com; empty: any site)
settings-identity-verification = Require identity verification for logged-in visitors
settings-identity-help = A visitor’s user_id must then come with its HMAC, made on your server with the identity secret below.
settings-retention = Delete conversations after this many days
settings-retention-hint = (1–3650; empty: keep them)
settings-save = Save settings
settings-secret = Identity secret
settings-secret-new = Your new identity secret (shown once):
settings-secret-set = An identity secret is set. Making a new one stops the current one from verifying visitors.
settings-secret-none = No identity secret yet. Make one, then compute user_hash as the hex HMAC-SHA256 of the visitor’s user_id on your server.
settings-secret-make = Make a new identity secret
settings-secret-question = Replace the identity secret?
settings-secret-detail = The current secret stops verifying visitors at once: until your server signs with the new one, logged-in visitors are refused when identity verification is required.
settings-secret-button = Make a new secret
settings-secret-made = A new identity secret was made: copy it now, it is not shown again. The previous one no longer verifies visitors.
settings-hours = Business hours
settings-hours-help = Outside business hours nobody is offered a chat: a visitor who asks for an agent gets the message below.
settings-hours-off = Always open
settings-hours-on = Open only during these hours
settings-holidays = Holidays
settings-holidays-hint = (closed all day; one date per line, YYYY-MM-DD)
settings-outside-message = Outside-hours message
settings-outside-message-hint = (sent to visitors who ask for an agent while you are closed)
settings-hours-save = Save business hours
notice-settings-saved = Settings saved: new chats follow them at once.
notice-hours-saved = Business hours saved: routing follows them from now on.

## Canned replies.

canned-intro = Prepared answers: in the inbox, type / and the shortcut, then Enter. Texts may use
canned-intro-end = : they are filled in for each chat.
canned-team = The team’s
canned-team-empty-admin = None yet. Add one below with “The team’s (every agent)” chosen: every agent gets it.
canned-team-empty-agent = None yet: admins add them for everyone.
canned-mine = Your own
canned-mine-empty = None yet: add the answers you give often.
canned-shortcut = Shortcut
canned-shortcut-example = pricing
canned-text = Text
canned-text-example = Hi {"{"}visitor.first_name{"}"}, our prices are at …
canned-save = Save
canned-save-label = Save /{ $shortcut }
canned-delete = Delete
canned-delete-label = Delete /{ $shortcut }
canned-delete-question = Delete the canned reply /{ $shortcut }?
canned-delete-detail = Nobody can insert it with its shortcut any more. This cannot be undone.
canned-delete-button = Delete the reply
canned-new = New canned reply
canned-for = For
canned-for-me = Only me
canned-for-team = The team’s (every agent)
canned-add = Add canned reply

## Conversations, one conversation and its routing trace.

conv-status = { $status ->
    [dialogue] In the dialogue
    [completed] Dialogue completed
    [routing] Finding an agent
    [live] Live
    [fallback] Missed
    [ended] Ended
   *[other] { $status }
}
offer-state = { $state ->
    [pending] waiting for an answer
    [accepted] accepted
    [declined] declined
    [expired] not answered in time
    [withdrawn] withdrawn
   *[other] { $state }
}
conv-filter-status = Status
conv-filter-all = All
conv-filter-show = Show
conv-empty = No conversations yet. They appear here as soon as a visitor opens the widget on your site: put its tag on your pages (the dashboard shows it).
conv-empty-link = Get the widget’s tag
conv-empty-filtered = No conversation has this status.
conv-show-all = Show all conversations
conv-caption = Conversations, newest first
conv-col-visitor = Visitor
conv-col-status = Status
conv-col-agent = Agent
conv-col-messages = Messages
conv-col-started = Started
conv-older = Older conversations
conv-status-label = Status:
conv-started = started { $when }
conv-ended = ended { $when }
conv-agent = agent { $name }
conv-visitor-unknown = Nothing known yet: the visitor gave no details.
conv-customer-id = Customer ID
conv-customer-id-value = { $verified ->
    [yes] { $id } (verified)
   *[other] { $id } (not verified)
}
conv-location = Location
conv-trace = Routing trace
conv-trace-mode = Mode
conv-mode = { $mode ->
    [round_robin] Round-robin over all agents
    [agent] One agent
    [team] A team
    [custom_rules] Custom rules
   *[other] { $mode }
}
conv-trace-no-mode = none: the visitor did not ask for an agent
conv-trace-rule = Rule matched
conv-trace-outcome = Outcome
conv-outcome-accepted = Accepted by { $name }
conv-outcome-fallback = Fallback: { $reason }
conv-outcome-pending = Waiting for an agent’s answer
conv-outcome-queued = Waiting in line since { $since }
conv-trace-considered = Agents considered
conv-trace-considered-sep = :
conv-considered-offered = offered the chat
conv-considered-skipped = skipped: { $reason }
conv-trace-offers = Offers
conv-offer-attempt = Attempt
conv-offer-agent = Agent
conv-offer-offered = Offered
conv-offer-result = Result
conv-offer-reached = Reached by
conv-offer-not-reached = not confirmed
conv-delivered = { $channel ->
    [inbox] the inbox
    [push] a push notification
   *[other] { $channel }
} at { $time }
conv-left-title = Message left by the visitor
conv-rating-title = The visitor’s rating
conv-earlier-title = The visitor’s other conversations
conv-transcript = Transcript
conv-no-messages = No messages yet.
conv-internal-note = Internal note
conv-file = File: { $name }

## Failed chats.

failed-intro = Visitors who asked for an agent and got the fallback message instead.
failed-empty = No failed chats: every visitor who asked for an agent got one. When one fails, it is listed here and emailed to the recipients chosen in the settings.
failed-empty-link = Choose who is emailed
failed-caption = Failed chats, newest first
failed-col-when = When
failed-col-why = Why
failed-col-missed-by = Missed by
failed-col-email = Email
failed-email-none = none
failed-email-sent = sent to { $to }
failed-email-failed = failed for { $to }
failed-email-queued = queued for { $to }
failed-email-pending = { $count ->
    [one] pending for { $to } ({ $count } try)
   *[other] pending for { $to } ({ $count } tries)
}
failed-older = Older failed chats

## Logging out with live chats.

logout-heading = Log out with chats still open?
logout-live = { $count ->
    [one] You still have { $count } live chat. Logging out sets you offline: no new chats will be offered to you, and the visitor in your open chat waits until you come back or an admin takes over.
   *[other] You still have { $count } live chats. Logging out sets you offline: no new chats will be offered to you, and the visitors in your open chats wait until you come back or an admin takes over.
}
logout-anyway = Log out anyway
logout-back = Back to the inbox
settings-built-in-message = While you keep this built-in message, each visitor reads it in their own language (English or French).
