## The visitor's widget (web/widget.js), sent to it by GET /api/v1/widget/config.

widget-title = Discutons
widget-subtitle = Nous répondons généralement en quelques minutes
widget-launcher = { $count ->
    [0] Discuter avec nous
    [one] Discuter avec nous ({ $count } message non lu)
   *[other] Discuter avec nous ({ $count } messages non lus)
}
widget-dialog = Discussion
widget-close = Fermer la discussion
widget-message-label = Votre message
widget-placeholder = Écrivez un message…
widget-send = Envoyer
widget-attach = Joindre une image ou un PDF
widget-attach-title = Joindre une image ou un PDF (10 Mo au plus)
widget-unavailable = La discussion est indisponible pour le moment. Veuillez réessayer plus tard.
widget-file-too-large = Ce fichier dépasse 10 Mo : il n’a pas été envoyé.
widget-file-failed = Le fichier n’a pas pu être envoyé. Sont acceptés les images (PNG, JPEG, GIF, WebP) et les PDF jusqu’à 10 Mo.
widget-pdf = { $name } (PDF)
widget-went-wrong = Un problème est survenu. Veuillez réessayer.
widget-connecting = Nous vous mettons en relation avec un agent…
widget-no-agent = Aucun agent n’est disponible pour le moment.
widget-joined = { $name } a rejoint la discussion.
widget-online = En ligne
widget-ended = Cette discussion est terminée
widget-queue = { $minutes ->
    [0] Votre place dans la file : { $position }.
    [one] Votre place dans la file : { $position } (environ { $minutes } minute d’attente).
   *[other] Votre place dans la file : { $position } (environ { $minutes } minutes d’attente).
}
widget-typing = { $name } écrit…
widget-agent = Agent
widget-bot = Assistant
widget-message-refused = Votre message n’a pas pu être envoyé. Patientez un instant et réessayez.

widget-field = { $name ->
    [first_name] Prénom
    [last_name] Nom
    [email] E-mail
    [job_title] Fonction
    [company] Entreprise
    [phone] Téléphone
    [message] Message
   *[other] Nom
}
widget-required = Veuillez remplir ce champ.
widget-bad-email = Veuillez saisir une adresse e-mail valide, par exemple nom@exemple.fr.
widget-check-field = Veuillez vérifier ce champ.
widget-check-form = Veuillez vérifier le formulaire.

widget-leave-title = Laissez-nous un message
widget-leave-intro = Nous vous répondrons par e-mail.
widget-leave-send = Envoyer le message
widget-leave-failed = Votre message n’a pas pu être envoyé. Veuillez réessayer.
widget-thanks = Merci ! Nous avons bien reçu votre message et répondrons à { $email }.
widget-thanks-named = Merci, { $name } ! Nous avons bien reçu votre message et répondrons à { $email }.

widget-rate-question = Comment s’est passée cette discussion ?
widget-rate-label = Votre note, de 1 à 5
widget-stars = { $count ->
    [one] { $count } étoile
   *[other] { $count } étoiles
}
widget-rate-comment = Quelque chose à ajouter ? (facultatif)
widget-rate-comment-label = Votre commentaire
widget-rate-send = Envoyer ma note
widget-rate-thanks = Merci pour votre avis !
widget-rate-failed = Votre note n’a pas pu être envoyée. Veuillez réessayer.

widget-transcript = M’envoyer cette discussion par e-mail
widget-transcript-sent = La discussion est en route vers { $email }.
widget-transcript-failed = La discussion n’a pas pu être envoyée par e-mail.
widget-new = Commencer une nouvelle discussion

widget-preview-bot = Bonjour ! Comment pouvons-nous vous aider ?
widget-preview-visitor = J’ai une question sur les tarifs.
widget-preview-agent = Avec plaisir ! Quelle offre vous intéresse ?
widget-preview-agent-name = Alex

# Ce que lit un visiteur sans agent tant que l’espace garde ses messages d’origine.
widget-fallback-built-in = Merci de nous avoir contactés ! Tous nos agents sont occupés pour le moment. Laissez-nous vos coordonnées et nous reviendrons vers vous très vite.
widget-outside-hours-built-in = Merci de nous avoir contactés ! Nous sommes en dehors de nos heures d’ouverture : aucun agent ne peut discuter pour le moment. Revenez pendant nos horaires, ou laissez-nous vos coordonnées et nous reviendrons vers vous.
