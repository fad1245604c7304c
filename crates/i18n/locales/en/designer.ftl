# The dialogue list and the dialogue designer (console).

dialogues-intro = A dialogue is what the widget says to visitors: cards of messages, questions and forms, ending where a live agent takes over. Edit a draft as much as you like; visitors see it once it is published.
dialogues-caption = Dialogues of this workspace
dialogues-col-name = Name
dialogues-col-cards = Cards
dialogues-col-state = State
dialogues-empty = No dialogues yet. A dialogue greets visitors in the widget, asks what they need and hands them to an agent: create the first one below.
dialogues-new-heading = Create a dialogue
dialogues-name = Name
dialogues-create = Create the dialogue
dialogues-first-card = Hi! How can we help you today?
notice-dialogue-created = Dialogue created, with a greeting to start from. Add cards, then publish it.
notice-dialogue-deleted = Dialogue deleted.
notice-card-saved = Change saved in the draft. Publish to show it to visitors.
notice-dialogue-renamed = Dialogue renamed.

state-widget = On the widget
state-published = Published
state-unpublished = Unpublished changes
state-draft = Not published yet

designer-title = Dialogue { $name }
designer-back = ← All dialogues
designer-status-widget = The widget runs the published version of this dialogue.
designer-status-changes = The draft differs from the published version: visitors still see the published one until you publish again.
designer-status-published = Visitors see exactly this draft.
designer-status-draft = Visitors do not see this dialogue until you publish it.
designer-publish = Publish
designer-publish-changes = Publish the changes
designer-rename-label = Name
designer-rename = Rename
designer-nothing-saved = Nothing was saved: correct the card “{ $card }”.

flow-heading = Map
flow-title = Map of the dialogue “{ $name }”
flow-hint = Each box is a card, each arrow a branch, from the first card on the left. Select a box to edit its card.
flow-hint-drag = Drag from a card’s round handle onto another card to lead there.
flow-start = Start
flow-handoff = Hand-off to an agent
flow-end = End
flow-unreached = Not linked
flow-unsaved = Not saved
flow-error = Refused
flow-tip = Tip
flow-node-label = { $card }, { $kind }

cards-heading = Cards
cards-start-hint = The first card is where every visitor starts.
kind-message = Message
kind-question = Question
kind-capture = Form
kind-live-chat = Live chat
card-start = start
card-tip = Tip:
card-unsaved = Not saved. Add it again, after another card or choice, once the problem above is solved.
card-text = Text
card-text-live-chat = Text before the hand-off (optional)
card-text-capture = Text above the form (optional)
card-then = Then
card-ends = (the conversation ends)
card-choices = Choices
card-choice = Choice { $number }
card-leads-to = leads to
card-fields = Fields
card-field-not-asked = not asked
card-field-optional = optional
card-field-required = required
card-target = Who is offered the chat
card-target-round-robin = All agents, in turn (round robin)
card-target-rules = The routing rules
card-fallback = Message when no agent takes the chat (empty: the workspace’s)
card-when-busy = When every agent is busy
card-busy-fallback = Show the message above
card-busy-queue = Let the visitor wait in line
card-max-wait = Longest wait in line, in seconds (30–1800; empty: 300)
card-save = Save the card
card-new-choice = New choice
card-add-choice = Add the choice
card-delete-choice = Delete “{ $label }”
card-delete-choice-label = Delete the choice “{ $label }” of { $card }
card-up = ↑ Up
card-down = ↓ Down
card-up-label = Move { $card } up
card-down-label = Move { $card } down
card-delete = Delete
card-delete-label = Delete the card { $card }
card-delete-confirm = Delete the card “{ $card }”? What led to it will end there.


add-card-heading = Add a card
add-card-kind = Kind
add-card-id = Name (letters, digits, - and _)
add-card-text = Text
add-card-after = Comes after
add-card-after-choice = { $card }, choice “{ $label }”
add-card-submit = Add the card

delete-dialogue-heading = Delete
delete-dialogue-hint = Deleting removes the draft and the published version. This cannot be undone.
delete-dialogue-submit = Delete this dialogue
delete-dialogue-confirm = Delete the dialogue “{ $name }”? This cannot be undone.

refused-after-live-chat = “{ $card }” was not added: “{ $live }” is a live-chat card. It hands the visitor to an agent, so nothing can follow it. Add “{ $card }” after another card or choice.
refused-back-to-start = “{ $card }” cannot lead to “{ $start }”: every visitor starts at the first card, so no card can lead back to it.
refused-duplicate = There is already a card named “{ $card }”. Choose another name.
refused-unreached = “{ $card }” can no longer be reached from the first card (a branch would loop back). Link it from another card or choice.
refused-card = The card “{ $card }” was refused: { $reason }

warning-no-question = No question comes before this hand-off: ask visitors whether they want to talk to someone.
warning-no-capture = No form asks for the first name and email before this hand-off: agents will not know who they talk to.

# Texts per language (a card's texts for visitors who read another language).
card-translation = Texts for visitors who read { $language }
card-translation-hint = A field left blank shows the text above, in { $language }.
designer-lang-en = English
designer-lang-fr = French
cards-one-language = Every visitor reads these cards in { $language }. To greet visitors in another language too, add it to the widget’s languages.
cards-languages-link = Choose the widget’s languages
