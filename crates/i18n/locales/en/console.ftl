## The console's frame (every page), the sign-in pages and the account's language.

page-title = { $title } · Switchboard
skip-to-content = Skip to content
brand-platform = Platform
nav-console = Console
nav-dashboard = Dashboard
nav-users = Users
nav-teams = Teams
nav-routing = Routing
nav-settings = Settings
nav-conversations = Conversations
nav-failed = Failed chats
nav-dialogues = Dialogues
nav-canned = Canned replies
nav-webhooks = Webhooks
nav-api-keys = API keys
nav-audit = Audit log
nav-privacy = Privacy
nav-inbox = Inbox
nav-tenants = Tenants
nav-menu = Menu
nav-group-chats = Chats
nav-group-team = Team
nav-group-setup = Setup
nav-group-data = Data and integrations
account-link-title = Your account and two-factor sign-in
log-out = Log out

login-title = Log in
login-heading = Log in to your workspace
platform-login-title = Platform login
platform-login-heading = Platform operator login
login-two-factor = Two-factor sign-in is on for { $email }. Enter the 6-digit code from your authenticator app, or one of your recovery codes.
login-code = Code
login-verify = Verify
login-start-again = Start again
login-workspace = Workspace (tenant slug)
login-email = Email
login-password = Password
login-submit = Log in
login-forgot = Forgot your password?
login-bad-credentials = The email, password or workspace is not correct.
login-wrong-code = That code is not the current one of your authenticator app, nor an unused recovery code.
login-took-too-long = The sign-in took too long: enter your password again.
login-cross-site = This form must be sent from this site's own login page. Open the login page and try again.

account-language-heading = Language and time zone
account-language = Language
account-language-browser = As my browser asks
account-timezone = Time zone
account-timezone-browser = As my browser says
account-language-save = Save
account-language-saved = Language and time zone saved.
account-timezone-unknown = Choose a time zone from the list (an IANA name such as Europe/Paris).
account-language-unknown = Choose English or Français.

account-title = Your account
account-signed-in-as = Signed in as { $email }.
account-two-factor = Two-factor sign-in
account-two-factor-required = This server requires two-factor sign-in for owners and the platform operator. Turn it on below to continue: until then the rest of the console stays closed to your account.
account-recovery-intro = Each of these recovery codes signs you in once if you lose your phone. They are shown only now: save or print them.
account-enrol-step-1 = In your authenticator app (1Password, Google Authenticator, Authy…), add an account with this key, or open it in the app on this device:
account-enrol-open = Open it in the app
account-enrol-step-2 = Enter the 6-digit code the app shows.
account-code-from-app = Code from the app
account-code-refused = That code is not right: check the app and try again.
account-two-factor-turn-on = Turn on two-factor sign-in
account-on = on
account-off = off
account-two-factor-on-text = Signing in takes your password and a code from your authenticator app.
account-two-factor-off-code = To turn it off, enter a code from the app or a recovery code
account-two-factor-turn-off = Turn off two-factor sign-in
account-two-factor-off-text = Protect your account with a code from an authenticator app on your phone, asked for at every sign-in.
account-two-factor-set-up = Set up two-factor sign-in
account-two-factor-now-on = Two-factor sign-in is on. Keep your recovery codes somewhere safe.
account-two-factor-now-off = Two-factor sign-in is off: your password alone signs you in.
account-sessions = Where you are signed in
account-session-since = since { $when }
account-this-browser = this browser
account-sign-out = Sign out
account-sign-out-label = Sign out { $browser } from { $address }
account-sessions-help = Signing out here ends that browser's session at its next page. To sign out everywhere, including apps using access tokens, change your password.
account-session-ended = That browser is signed out.
account-unknown-browser = Unknown browser
account-unknown-address = unknown address
account-browser-on = { $browser } on { $system }

## What every page shares: notices after a change, errors, refusals, visitors, routes.

notice-saved = Saved.
notice-created = Created.
notice-deleted = Deleted.
notice-granted = Live-chat permission granted.
notice-revoked = Live-chat permission revoked.
notice-member-added = Member added.
notice-member-removed = Member removed.
notice-password-set = Your password is set. You can log in now.
notice-revoked-key = API key revoked: it no longer works.
notice-published = Published: the widget runs this dialogue now.
notice-canned-created = Canned response added: type / and its shortcut in the inbox.
notice-canned-saved = Canned response saved.
notice-canned-deleted = Canned response deleted.
notice-password-reset = Your password is changed and every earlier sign-in ended. Log in with the new one.
notice-reset-sent = If an account uses that address, an email with a link to choose a new password is on its way. The link works once, for an hour.
notice-signed-out = You were signed out: you logged out elsewhere, your password was changed, or your account was disabled. Log in again to go on.

csrf-title = Form expired
csrf-heading = This form has expired
csrf-message = Nothing was changed. The form was sent without a valid security token (it may be from an old page or another site). Go back, reload the page and try again.
back = Back

error-title = Error
error-heading = That did not work
error-try-again = Please try again.

form-wait = { $seconds ->
    [one] Too many attempts; please wait { $seconds } second and try again.
   *[other] Too many attempts; please wait { $seconds } seconds and try again.
}
form-gone = That item no longer exists.
form-unavailable = The service is briefly unavailable; please try again in a moment.
form-internal = Something went wrong on our side; it has been logged. Please try again.
form-correct-below = Please correct the field marked below.

visitor-anonymous = Anonymous visitor
target-agent = Agent: { $name }
target-team = Team: { $name }

fallback-reason = { $reason ->
    [limit_reached] the plan's chat limit was reached
    [no_rule_matched] no routing rule matched
    [no_agent_available] no agent was available
    [offer_expired] the offer was not accepted in time
    [declined] the agent declined
    [queue_timeout] the wait in line ran out
    [outside_hours] outside business hours
   *[other] { $reason }
}
skip-reason = { $reason ->
    [inactive] account disabled
    [no_permission] no live-chat permission
    [away] away
    [offline] offline
    [at_capacity] at capacity
    [already_tried] already offered this chat
   *[other] { $reason }
}

## The widget's look (/console/widget).

nav-widget = Widget
notice-widget-saved = Widget saved: visitors see the new look on their next page.
brand-title = Widget
brand-intro = How the chat looks on your site. The preview follows your changes; visitors see them once you save.
brand-color = Colour
brand-color-hint = (the launcher, the header, the visitor's messages and the buttons, with white text on it)
brand-color-picker = Pick a colour
brand-color-invalid = Write the colour as #rrggbb, for example #1d4ed8.
brand-color-contrast = White text on { $color } has a contrast of { $ratio }:1, and WCAG AA asks for at least 4.5:1 so that everyone can read it. Choose a darker colour.
brand-header-title = Title
brand-header-title-hint = (empty: “Chat with us” in the visitor's language)
brand-greeting = Greeting
brand-greeting-hint = (shown at the top of the chat before the conversation; empty: none)
brand-position = Launcher position
brand-position-right = Bottom right
brand-position-left = Bottom left
brand-photos = Show agents' photos
brand-locales = Languages
brand-locales-hint = (visitors get their browser's language among these, else the workspace's default language)
brand-locales-none = Choose at least one language.
brand-save = Save the widget
brand-preview = Preview
brand-preview-hint = A sample conversation in the look above, as a visitor with your browser's language would see it.
