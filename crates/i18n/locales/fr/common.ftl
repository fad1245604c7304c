## Mots communs, nombres et heures.

count-chats = { $count ->
    [one] { $count } conversation
   *[other] { $count } conversations
}

time-just-now = à l’instant
time-minutes-ago = { $count ->
    [one] il y a { $count } minute
   *[other] il y a { $count } minutes
}
time-hours-ago = { $count ->
    [one] il y a { $count } heure
   *[other] il y a { $count } heures
}
time-yesterday = hier à { $time }
time-days-ago = { $count ->
    [one] il y a { $count } jour
   *[other] il y a { $count } jours
}

date-format = { $day } { $month } { $year }
date-time-format = { $date } à { $time }

month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.

# Une étiquette devant sa valeur (« E-mail : … ») ; espace avant les deux-points.
label-colon = { $label } :

language-en = English
language-fr = Français

copy = Copier
copied = Copié

## Lines the server writes into a conversation, in its visitor's language.

chat-ended-idle = La discussion s’est terminée faute de messages depuis un moment.
chat-ended-visitor-gone = Le visiteur est parti avant qu’un agent soit libre.
chat-ended-by-visitor = Le visiteur a terminé la discussion.
chat-ended-by-agent = L’agent a terminé la discussion.
chat-ended = La discussion est terminée.
chat-joined = { $name } a rejoint la discussion.
chat-left = { $name } a quitté la discussion.
chat-transfer-note = Note de transfert pour { $name } : { $text }
