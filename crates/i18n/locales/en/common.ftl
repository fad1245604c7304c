## Shared words, counts and times.

count-chats = { $count ->
    [one] { $count } chat
   *[other] { $count } chats
}

time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
time-yesterday = yesterday at { $time }
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}

# Dates: { $day } { $month } { $year }, times { $time }.
date-format = { $month } { $day }, { $year }
date-time-format = { $date }, { $time }

month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

# A label before its value ("Email: …"); French puts a space before the colon.
label-colon = { $label }:

language-en = English
language-fr = Français

copy = Copy
copied = Copied

## Lines the server writes into a conversation, in its visitor's language.

chat-ended-idle = The chat ended because nobody wrote for a while.
chat-ended-visitor-gone = The visitor left before an agent was free.
chat-ended-by-visitor = The visitor ended the chat.
chat-ended-by-agent = The agent ended the chat.
chat-ended = The chat ended.
chat-joined = { $name } joined the chat.
chat-left = { $name } left the chat.
chat-transfer-note = Transfer note for { $name }: { $text }
