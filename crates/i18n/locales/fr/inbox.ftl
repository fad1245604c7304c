## The agent's inbox (/inbox): its page, and its scripts (web/inbox/), which get the
## inbox- messages of the reader's language with the page.

inbox-title = Boîte de réception
inbox-availability = Disponibilité
inbox-status = { $status ->
    [available] Disponible
    [away] Absent
   *[offline] Hors ligne
}
inbox-save = Enregistrer
inbox-notifications = Notifications
inbox-sound = Son
inbox-browser-notifications = Notifications du navigateur
inbox-email-missed = E-mail pour les discussions manquées
inbox-connecting = Connexion…
inbox-connected = Connecté
inbox-reconnecting = Reconnexion…
inbox-push-text = Activez les notifications du navigateur pour être prévenu des nouvelles discussions
inbox-push-enable = Activer
inbox-no-permission = Vous n’avez pas encore l’autorisation de chat en direct : un administrateur l’accorde dans la console.
inbox-needs-js = La boîte de réception a besoin de JavaScript pour recevoir les discussions en temps réel.
inbox-chats = Discussions
inbox-live = Discussions en cours
inbox-live-empty = Aucune discussion en cours. Les nouvelles discussions apparaissent ici quand vous acceptez une proposition.
inbox-team-live = Discussions en cours de l’équipe
inbox-team-live-empty = Aucune autre discussion en cours dans l’espace de travail.
inbox-past = Discussions passées
inbox-keys = Raccourcis :
inbox-keys-switch = changer de discussion
inbox-keys-canned = réponses types
inbox-keys-newline = nouvelle ligne
inbox-no-chat = Aucune discussion sélectionnée
inbox-back = Discussions
inbox-join = Rejoindre
inbox-leave = Quitter
inbox-transfer = Transférer
inbox-end = Terminer
inbox-end-confirm = Terminer cette discussion ? Le visiteur en est averti et ne peut plus écrire.
inbox-keep-chatting = Continuer la discussion
inbox-transfer-to = Transférer à
inbox-transfer-note = Note pour la personne
inbox-optional = (facultatif)
inbox-transfer-send = Lui demander
inbox-cancel = Annuler
inbox-pane-empty = Choisissez une discussion dans la liste, ou attendez le prochain visiteur : les propositions s’affichent en haut de la page.
inbox-message = Message
inbox-placeholder = Écrivez un message… (/ pour les réponses types)
inbox-note-placeholder = Écrivez une note pour votre équipe (le visiteur ne la voit jamais)…
inbox-internal-note = Note interne
inbox-attach = Joindre un fichier
inbox-send = Envoyer
inbox-readonly = Vous observez cette discussion : rejoignez-la pour écrire au visiteur, écrivez une note interne pour l’équipe ou transférez-la.
inbox-visitor = Visiteur
inbox-earlier = Conversations précédentes
inbox-canned = Réponses types

inbox-you = Vous
inbox-colleague = Un collègue
inbox-bot = Robot
inbox-a-visitor = Un visiteur
inbox-none = Aucune
inbox-first-conversation = Aucune : c’est sa première conversation.
inbox-conversation-status = { $status ->
    [ended] terminée
    [fallback] sans agent
    [live] en cours
    [completed] achevée
   *[other] { $status }
}
inbox-rated = note { $score }/5
inbox-show-earlier = { $count ->
    [one] Afficher { $count } message précédent
   *[other] Afficher { $count } messages précédents
}
inbox-preview-you = Vous : { $text }
inbox-preview-note = Note : { $text }
inbox-preview-bot = Robot : { $text }
inbox-preview-by = { $name } : { $text }
inbox-preview-file = Fichier : { $name }
inbox-transferred-to = Transférée à { $name }
inbox-with = Avec { $name }
inbox-visitor-typing = Le visiteur écrit…
inbox-waits = { $minutes ->
    [0] attend depuis <1 min
   *[other] attend depuis { $minutes } min
}
inbox-unread = { $count ->
    [one] { $count } non lu
   *[other] { $count } non lus
}

inbox-field = { $name ->
    [first_name] Prénom
    [last_name] Nom
    [email] E-mail
    [job_title] Fonction
    [company] Entreprise
    [phone] Téléphone
   *[other] { $name }
}
inbox-customer-id = Identifiant client
inbox-verified = { $id } ✓ vérifié
inbox-not-verified = { $id } (non vérifié)
inbox-location = Localisation
inbox-page = Page
inbox-pages-visited = Pages visitées ({ $count })

inbox-wants-to-chat = souhaite discuter
inbox-asks-you = — { $name } vous demande de prendre cette discussion
inbox-accept = Accepter
inbox-decline = Refuser
inbox-seconds-left = encore { $seconds } s
inbox-offer-gone = Cette proposition n’est plus ouverte.
inbox-preferences-saved = Préférences enregistrées
inbox-availability-saved = Disponibilité enregistrée
inbox-not-saved = Enregistrement impossible
inbox-push-unsupported = Ce navigateur ne peut pas recevoir de notifications push.
inbox-push-failed = Les notifications n’ont pas pu être configurées : { $reason }
inbox-push-asking = Demande au service push du navigateur…
inbox-push-refused = Impossible d’activer les notifications : { $reason }
inbox-away-missed = { $missed ->
    [0] Vous êtes passé en Absent après plusieurs discussions manquées d’affilée, pour ne pas faire attendre les visiteurs. Repassez en Disponible à votre retour.
   *[other] Vous êtes passé en Absent après { $missed } discussions manquées d’affilée, pour ne pas faire attendre les visiteurs. Repassez en Disponible à votre retour.
}
inbox-schedule-started = Votre horaire a commencé : vous êtes Disponible.
inbox-schedule-ended = { $status ->
    [away] Votre horaire est terminé : vous êtes Absent.
   *[other] Votre horaire est terminé : vous êtes Hors ligne.
}

inbox-note-failed = La note n’a pas pu être enregistrée.
inbox-not-connected = Non connecté : le message n’a pas été envoyé. Réessayez dans un instant.
inbox-no-canned-match = Aucune réponse type ne commence ainsi.
inbox-no-canned = Aucune réponse type pour l’instant : les administrateurs ajoutent celles de l’équipe dans la console, et chacun peut y ajouter les siennes.
inbox-file-too-large = Ce fichier dépasse 10 Mio.
inbox-file-failed = Le fichier n’a pas pu être envoyé.
inbox-team = Équipe : { $name }
inbox-nobody-else = Personne d’autre ne peut encore prendre de discussions dans cet espace de travail.
inbox-transfer-asked = { $name } a été sollicité pour prendre la discussion. Elle reste à vous jusqu’à son acceptation.
inbox-transfer-failed = La discussion n’a pas pu être transférée.
inbox-transfer-done = La discussion a été transférée à { $name }.
inbox-join-failed = Impossible de rejoindre la discussion.
inbox-leave-failed = Impossible de quitter la discussion.
inbox-end-failed = Impossible de terminer la discussion.
inbox-message-refused = Le message n’a pas été envoyé : { $reason }
inbox-push-blocked = les notifications sont bloquées pour ce site ; autorisez-les dans les réglages du site du navigateur
inbox-push-timeout = le service push du navigateur n’a pas répondu ; réessayez plus tard
inbox-transcript = Messages de la discussion
