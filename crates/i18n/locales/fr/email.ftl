## E-mails : conversations manquées (une, ou un récapitulatif), la transcription du
## visiteur, la réinitialisation d’un mot de passe, une connexion suspendue.

email-a-visitor = un visiteur
email-failed-subject = Conversation manquée avec { $who } : { $reason }
email-follow-up-subject = Message laissé après une conversation manquée par { $who }
email-failed-title = Conversation manquée
email-failed-heading = Une conversation dans { $workspace } a échoué
email-failed-intro = Une conversation dans { $workspace } a échoué : { $reason }.
email-reason = Raison
email-left-heading = Message laissé par le visiteur
email-name = Nom
email-not-given = (non indiqué)
email-reply-to = Répondre à
email-visitor-heading = Visiteur
email-missed-by = Proposée à, sans réponse de : { $agents }
email-transcript-so-far = La conversation jusqu’ici
email-no-messages = (aucun message)
email-open-conversation = Ouvrir la conversation
email-conversation-link = La conversation : { $link }
email-failed-footer = Vous recevez ce message car vous êtes destinataire des alertes de conversations manquées de cet espace, ou la conversation vous a été proposée. Les agents peuvent les désactiver dans leurs préférences de notification.

reason-limit-reached = la limite d’engagements de l’offre est atteinte
reason-no-rule-matched = aucune règle de routage ne correspondait au visiteur
reason-no-agent-available = aucun agent n’était disponible
reason-offer-expired = aucun agent n’a accepté à temps
reason-declined = l’agent a refusé
reason-queue-timeout = le visiteur a attendu dans la file et aucun agent ne s’est libéré
reason-outside-hours = la demande est arrivée en dehors des heures d’ouverture

field-first-name = Prénom
field-last-name = Nom
field-email = E-mail
field-job-title = Fonction
field-company = Entreprise
field-phone = Téléphone
field-country = Pays
field-region = Région
field-city = Ville
field-page = Page

sender-visitor = Visiteur
sender-agent = Agent
sender-bot = Bot
sender-system = Système

email-visitor-no-details = Un visiteur qui n’a rien indiqué
email-visitor-from = Un visiteur de { $place }

email-digest-subject = { $count ->
    [one] { $count } conversation manquée dans { $workspace } : { $reason }
   *[other] { $count } conversations manquées dans { $workspace } : { $reason }
}
email-digest-title = Conversations manquées
email-digest-heading = { $count ->
    [one] { $count } conversation dans { $workspace } a échoué
   *[other] { $count } conversations dans { $workspace } ont échoué
}
email-digest-why = Tant de conversations ont échoué en peu de temps qu’elles sont réunies dans ce message plutôt qu’envoyées une par une.
email-when = Quand
email-left-message = A laissé un message
email-open = Ouvrir
email-all-conversations = Voir toutes les conversations
email-all-conversations-link = Toutes les conversations : { $link }
email-digest-footer = Vous recevez ce message car vous êtes destinataire des alertes de conversations manquées de cet espace, ou les conversations vous ont été proposées. Les agents peuvent les désactiver dans leurs préférences de notification.

email-transcript-subject = Votre conversation avec { $workspace }
email-hello-name = Bonjour { $name },
email-you = Vous
email-file = (fichier)
email-hello = Bonjour,
email-transcript-intro = voici votre conversation avec { $workspace }, comme vous l’avez demandé.
email-transcript-footer = Vous recevez ce message car vous avez demandé la transcription dans la conversation sur le site de { $workspace }.

email-reset-subject = Réinitialisez votre mot de passe Switchboard ({ $workspace })
email-reset-body = Quelqu’un a demandé à réinitialiser le mot de passe de { $email } dans l’espace Switchboard { $workspace } ({ $slug }).
email-reset-action = Choisir un nouveau mot de passe
email-reset-once = Le lien ne sert qu’une fois, dans l’heure.
email-reset-ignore = Si ce n’était pas vous, ignorez ce message : votre mot de passe reste le même.

email-locked-subject = Connexion à votre compte Switchboard suspendue après des échecs
email-locked-body = { $count ->
    [one] Quelqu’un a essayé de se connecter à votre compte Switchboard { $email } avec un mauvais mot de passe ; la connexion est donc suspendue un moment (plus longtemps après chaque nouvel échec).
   *[other] Quelqu’un a essayé de se connecter à votre compte Switchboard { $email } avec un mauvais mot de passe { $count } fois de suite ; la connexion est donc suspendue un moment (plus longtemps après chaque nouvel échec).
}
email-locked-if-you = Si c’était vous, attendez une minute et réessayez, ou choisissez un nouveau mot de passe :
email-locked-new-password = Choisir un nouveau mot de passe
email-locked-not-you = Si ce n’était pas vous, votre mot de passe a tenu ; en choisir un nouveau, plus long, reste une bonne idée.
