## Data and integrations: webhooks, API keys, the audit log, privacy; the platform's tenants;
## the password-reset and invitation pages.

data-yes = Yes
data-no = No
data-none = none
data-never = never
data-older = Older
data-next-page = Next page
data-col-actions = Actions
data-cannot-undo = This cannot be undone.

## Webhooks

webhooks-title = Webhooks
webhooks-intro = Switchboard posts the events you choose to your own endpoint as JSON, signed with the endpoint’s secret, and retries when it does not answer.
webhooks-secret-heading = Signing secret
webhooks-secret-help = Each delivery carries a Switchboard-Signature header: the HMAC-SHA256, with this secret, of the header’s timestamp, a dot and the body. Copy the secret now: it is not shown again.
webhooks-caption = Webhook endpoints
webhooks-col-url = URL
webhooks-col-events = Events
webhooks-empty = No webhooks yet. Add one below to send chat events (a chat that fell back, a rating, a message left…) to your own systems.
webhooks-deliveries = Deliveries
webhooks-deliveries-of = Deliveries to { $url }
webhooks-delete = Delete
webhooks-delete-label = Delete the webhook { $url }
webhooks-delete-question = Delete the webhook to { $url }? Its events stop being sent at once.
webhooks-delete-confirm = Delete the webhook
webhooks-new = New webhook
webhooks-url = URL
webhooks-url-hint = (https, reachable from the internet)
webhooks-events = Events
webhooks-add = Add webhook
webhooks-added = Webhook added. Copy its signing secret below now: it is not shown again.
webhook-event = { $event ->
    [conversation-accepted] An agent accepted a chat
    [conversation-transferred] A chat was transferred
    [conversation-ended] A chat ended
    [conversation-fallback] A chat fell back (no agent took it)
    [conversation-message_left] A visitor left a message
    [conversation-rated] A visitor rated a chat
    [engagement-consumed] An engagement of the plan was used
    [engagement-limit_reached] The plan’s engagement limit was reached
   *[other] { $code }
}

webhook-back = All webhooks
webhook-heading = Deliveries
webhook-to = Sent to { $url }, newest first.
webhook-caption = Deliveries of this webhook
webhook-empty = Nothing delivered yet. A delivery appears here each time one of the events it follows happens.
webhook-follows = Events followed: { $events }.
webhook-col-when = When
webhook-col-event = Event
webhook-col-status = Status
webhook-col-attempts = Attempts
webhook-col-answer = Last answer
webhook-col-replay = Replay
webhook-replay-mark = replay
webhook-replay = Replay
webhook-replay-label = Replay the delivery of { $when }
webhook-status = { $status ->
    [pending] waiting
    [delivered] delivered
    [sent] sent
    [failed] failed
   *[other] { $status }
}

## API keys

api-keys-title = API keys
api-keys-intro = Integrators call the API with a key as a bearer token. A key is shown once, when it is created; revoke one at once if it leaks.
api-keys-docs = Read the API documentation
api-keys-new-key = Your new key
api-keys-key = Key
api-keys-caption = Keys of this workspace
api-keys-col-name = Name
api-keys-col-prefix = Prefix
api-keys-col-created = Created
api-keys-col-last-used = Last used
api-keys-col-access = Access
api-keys-col-expires = Expires
api-keys-col-status = Status
api-keys-revoked = revoked
api-keys-active = active
api-keys-revoke = Revoke
api-keys-revoke-label = Revoke the key { $name }
api-keys-revoke-question = Revoke the key { $name }? Every integration using it is refused from now on.
api-keys-revoke-confirm = Revoke the key
api-keys-empty = No keys yet. Create one below for each integration (a CRM sync, a report…), so that each can be revoked on its own.
api-keys-create-heading = Create a key
api-keys-name = Name
api-keys-name-hint = (what it is for, e.g. “CRM sync”)
api-keys-access = Access
api-keys-access-read = Read only (conversations, users, teams, reports)
api-keys-access-write = Read and act on conversations
api-keys-access-admin = Full admin access
api-keys-expires = Expires
api-keys-expires-never = Never
api-keys-expires-30 = In 30 days
api-keys-expires-90 = In 90 days
api-keys-expires-365 = In a year
api-keys-create = Create key
api-keys-created = API key created. Copy it now: it will not be shown again.
api-key-scope = { $scope ->
    [read] read
    [write] read and write
    [admin] admin
   *[other] { $scope }
}

## The audit log

audit-title = Audit log
audit-intro = What was done in this workspace, and by whom, newest first.
audit-filters = Filter the log
audit-filter-actor = Who
audit-filter-anyone = Anyone
audit-filter-action = Action
audit-filter-any-action = Any action
audit-filter-from = From
audit-filter-to = To (included)
audit-filter-apply = Filter
audit-filter-clear = Clear the filters
audit-filter-bad-date = Enter a date such as 2026-12-01.
audit-filter-to-before-from = The end date is before the start date.
audit-caption = Audit entries, newest first
audit-col-when = When
audit-col-who = Who
audit-col-action = Action
audit-col-on = On
audit-col-details = Details
audit-empty = Nothing recorded yet. Changes made by admins, API keys and the platform operator (users added, settings saved, keys revoked…) are listed here as they happen.
audit-empty-filtered = No entry matches these filters. Widen the dates, or clear the filters to see everything.
audit-operator = Platform operator
audit-api-key = API key { $name }
audit-visitor = A visitor
audit-workspace = This workspace
audit-conversation = Conversation
audit-removed = (removed)
audit-action = { $action ->
    [api_key-created] Created an API key
    [api_key-revoked] Revoked an API key
    [api_key-used] Used an API key
    [avatar-updated] Changed a profile picture
    [canned_response-created] Added a canned response
    [canned_response-updated] Changed a canned response
    [canned_response-deleted] Deleted a canned response
    [conversation-joined] Joined a chat
    [conversation-left] Left a chat
    [dialogue-created] Created a dialogue
    [dialogue-updated] Changed a dialogue
    [dialogue-deleted] Deleted a dialogue
    [dialogue-published] Published a dialogue
    [live_chat_permission-granted] Granted the live-chat permission
    [live_chat_permission-revoked] Revoked the live-chat permission
    [plan-changed] Changed the plan
    [privacy-visitor_exported] Downloaded a visitor’s data
    [privacy-visitor_erased] Erased a visitor’s data
    [routing_rule-created] Added a routing rule
    [routing_rule-updated] Changed a routing rule
    [routing_rule-deleted] Deleted a routing rule
    [settings-updated] Changed the settings
    [settings-identity_secret_created] Created the identity-verification secret
    [team-created] Created a team
    [team-renamed] Renamed a team
    [team-deleted] Deleted a team
    [team-member_added] Added a team member
    [team-member_removed] Removed a team member
    [tenant-created] Created the workspace
    [user-created] Added a user
    [user-updated] Changed a user
    [user-disabled] Disabled a user
    [user-enabled] Enabled a user
    [user-deleted] Deleted a user
    [user-invitation_accepted] Accepted an invitation
    [user-locked_out] Locked out after failed logins
    [user-logged_in] Logged in
    [user-password_reset] Reset their password by email
    [user-recovery_code_used] Used a recovery code
    [user-schedule_updated] Changed a weekly schedule
    [user-two_factor_enabled] Turned on two-factor sign-in
    [user-two_factor_disabled] Turned off two-factor sign-in
    [webhook-created] Added a webhook
    [webhook-deleted] Deleted a webhook
    [webhook-replayed] Replayed a webhook delivery
   *[other] { $code }
}
audit-detail = { $key ->
    [accept_timeout_seconds] Seconds to accept
    [active] Active
    [admin] First admin
    [away_after_missed_offers] Away after missed offers
    [business_hours] Business hours
    [by] By
    [bytes] Bytes
    [cards] Cards
    [conversations] Conversations
    [default_locale] Default language
    [delivery] Delivery
    [display_name] Name
    [email] Email
    [email_sha256] Email (hashed)
    [engagement_limit] Engagement limit
    [event] Event
    [events] Events
    [expires_at] Expires
    [failed_action_recipients] Failed-chat emails to
    [failed_logins] Failed logins
    [global_fallback_message] Fallback message changed
    [id] Id
    [identity_verification] Identity verification
    [idle_timeout_minutes] Idle minutes before ending
    [invited] Invited
    [kind] Kind
    [left] Left
    [max_chats_per_agent] Chats per agent
    [mime] Type
    [minutes] Minutes
    [name] Name
    [offer_attempts] Offer attempts
    [password] Password
    [plan] Plan
    [position] Position
    [prefix] Prefix
    [retention_days] Days kept
    [role] Role
    [schedule] Schedule
    [scopes] Access
    [shortcut] Shortcut
    [slug] Slug
    [target] Target
    [team] Team
    [url] URL
    [user_id] User
    [widget_allowed_origins] Widget sites
   *[other] { $key }
}

## Privacy

privacy-title = Privacy
privacy-intro = Find what is stored about a visitor by the email address they gave (in the dialogue or with a message they left), download it for them, or erase it. Their other conversations from the same browser are included.
privacy-email = Visitor’s email
privacy-find = Find
privacy-nothing = Nothing stored about { $email }
privacy-found = { $count ->
    [one] { $count } conversation of { $email }
   *[other] { $count } conversations of { $email }
}
privacy-col-started = Started
privacy-col-status = Status
privacy-col-messages = Messages
privacy-download = Download their data (JSON)
privacy-confirm = I understand that erasing cannot be undone
privacy-confirm-needed = Tick the box to confirm: erasing cannot be undone.
privacy-erase = Erase everything about this visitor
privacy-erased = { $count ->
    [one] Erased { $count } conversation of { $email } with their messages.
   *[other] Erased { $count } conversations of { $email } with their messages.
}
privacy-status = { $status ->
    [dialogue] in the dialogue
    [completed] dialogue completed
    [routing] looking for an agent
    [live] live
    [fallback] fell back
    [ended] ended
   *[other] { $status }
}

## The platform's tenants

platform-title = Tenants
platform-caption = Tenants, their plans and engagement limits
platform-col-name = Name
platform-col-slug = Slug
platform-col-used = Engagements used
platform-col-plan = Plan and limit
platform-unlimited = unlimited
platform-used-of = { $used } of { $limit }
platform-used-unlimited = { $used } (unlimited)
platform-plan-of = Plan of { $name }
platform-limit-of = Engagement limit of { $name } (empty: unlimited)
platform-save = Save
platform-save-label = Save the plan of { $name }
platform-empty = No tenants yet. Create the first one below: its first admin can log in at once with the slug, email and password you choose.
platform-new = New tenant
platform-name = Company name
platform-slug = Slug (used at login)
platform-limit = Engagement limit (empty: 100 on select, unlimited on prime)
platform-admin-email = First admin’s email
platform-admin-name = First admin’s name
platform-admin-password = First admin’s password
platform-plan = Plan
platform-plan-select = Select (evaluation, limited engagements)
platform-plan-prime = Prime
platform-create = Create tenant
platform-limit-invalid = Enter a whole number, or leave it empty.
platform-plan-name = { $plan ->
    [select] Select
    [prime] Prime
   *[other] { $plan }
}

## Notices after a change on these pages

notice-webhook-deleted = Webhook deleted: its events are no longer sent.
notice-webhook-replayed = Replay queued: the same body goes out again as a new delivery.
notice-tenant-created = Tenant created: its first admin can log in now.
notice-plan-saved = Plan and engagement limit saved.

## Anonymous pages: resetting a password, accepting an invitation

reset-title = Reset your password
reset-choose = Choose a new password
reset-new-password = New password (at least 10 characters)
reset-again = The same password again
reset-mismatch = The two passwords are not the same.
reset-set = Set the new password
reset-signs-out = Every device signed in to this account is signed out.
reset-forgot = Forgot your password?
reset-intro = Enter your workspace and email address: we email you a link to choose a new password.
reset-workspace = Workspace (tenant slug)
reset-workspace-hint = (leave empty if you do not remember it)
reset-email = Email
reset-send = Email me a link
reset-back = Back to log in
reset-link-gone = This link is not valid
reset-link-gone-text = It was used already, it expired (links work for an hour), or it was cut short. Ask for a new one.

invitation-title = Choose your password
invitation-heading = Choose your password
invitation-invited = You are invited to { $workspace } on Switchboard as { $email }.
invitation-workspace = You will sign in to the workspace “{ $slug }”.
invitation-password = New password (at least 10 characters)
invitation-set = Set password
invitation-gone-title = Invitation
invitation-gone = This invitation is not valid
invitation-gone-text = It may have expired or been used already. Ask an admin of your workspace for a new one.
