## Les pages d’administration : tableau de bord, utilisateurs, équipes, routage, réglages,
## réponses types, conversations, conversations manquées, et la confirmation demandée avant
## une action destructrice.

## Confirmation avant une action destructrice.

confirm-cancel = Annuler

## Tableau de bord.

dash-plan = Offre
dash-engagements = Engagements
dash-unlimited = (illimité)
dash-engagements-used = Engagements utilisés
dash-engagements-help = Chaque visiteur qui demande un agent compte pour un engagement.
dash-limit-reached = La limite d’engagements est atteinte : les visiteurs qui demandent un agent reçoivent le message de repli.
dash-limit-warn = { $percent } % de la limite d’engagements est utilisé.
dash-agents = Agents
dash-available-now = { $count ->
    [one] disponible maintenant
   *[other] disponibles maintenant
}
dash-agents-permitted = { $count ->
    [one] { $count } utilisateur a l’autorisation de chat en direct.
   *[other] { $count } utilisateurs ont l’autorisation de chat en direct.
}
dash-manage-users = Gérer les utilisateurs et les autorisations
dash-now = En ce moment
dash-live-chats = { $count ->
    [one] conversation en direct
   *[other] conversations en direct
}
dash-offers-pending = { $count ->
    [one] proposition en attente de réponse
   *[other] propositions en attente de réponse
}
dash-visitors-waiting = { $count ->
    [one] visiteur dans la file d’attente
   *[other] visiteurs dans la file d’attente
}
dash-waiting-line = File d’attente
dash-waiting-empty = Personne n’attend : chaque visiteur qui a demandé un agent s’en est vu proposer un. Les visiteurs attendent ici quand tous les agents sont occupés.
dash-col-place = Rang
dash-col-chat = Conversation
dash-col-waited = Attente
dash-col-routed-to = Destiné à
dash-open-chat = Ouvrir
dash-waited = { $minutes ->
    [0] moins d’1 min
   *[other] { $minutes } min
}
dash-target-gone = un ancien agent ou une ancienne équipe
dash-target-any = N’importe quel agent
dash-failed = Conversations manquées récentes
dash-failed-empty = Aucune : chaque visiteur qui a demandé un agent en a eu un. Si cela change, la simulation de la page Routage montre à qui une conversation serait proposée.
dash-failed-empty-link = Lancer une simulation
dash-failed-all = Toutes les conversations manquées
dash-widget = Widget
dash-widget-key = Clé du widget :
dash-snippet = Placez cette balise sur chaque page de votre site où les visiteurs peuvent discuter :

## Utilisateurs.

role-name = { $role ->
    [agent] Agent
    [admin] Administrateur
    [owner] Propriétaire
   *[other] { $role }
}
users-intro = Toutes les personnes qui travaillent dans cet espace. Les agents répondent aux conversations dans la boîte de réception dès qu’ils ont l’autorisation de chat en direct ; les administrateurs et les propriétaires gèrent aussi cette console.
users-empty = Aucun utilisateur pour l’instant.
users-caption = Utilisateurs de cet espace et leur autorisation de chat en direct
users-col-name = Nom
users-col-email = E-mail
users-col-role = Rôle
users-col-status = Statut
users-col-live-chat = Chat en direct
users-edit-label = Modifier { $name }
users-status-active = actif
users-status-disabled = désactivé
users-status-invited = invité
users-allowed = autorisé
users-not-allowed = non autorisé
users-revoke = Retirer
users-revoke-label = Retirer l’autorisation de chat en direct de { $name }
users-grant = Accorder
users-grant-label = Accorder l’autorisation de chat en direct à { $name }
users-revoke-question = Retirer l’autorisation de chat en direct de { $name } ?
users-revoke-detail = Aucune conversation ne lui sera plus proposée et il ne pourra plus en prendre depuis la boîte de réception. Vous pourrez lui accorder de nouveau l’autorisation à tout moment.
users-revoke-button = Retirer l’autorisation
users-choose-grant = Choisissez d’accorder ou de retirer l’autorisation.
users-next-page = Page suivante
users-add-heading = Ajouter un utilisateur
users-invitation-link = Lien d’invitation (envoyez-le à l’utilisateur ; il est valable 7 jours) :
users-invited = Invitation créée : envoyez le lien ci-dessous au nouvel utilisateur pour qu’il choisisse son mot de passe.
users-email = E-mail
users-display-name = Nom affiché
users-password = Mot de passe
users-password-hint = (laissez vide pour obtenir un lien d’invitation)
users-grant-check = Accorder l’autorisation de chat en direct
users-add-button = Ajouter l’utilisateur
notice-user-created = Utilisateur ajouté : il peut se connecter avec le mot de passe que vous avez choisi.

## La page d’un utilisateur.

user-profile = Profil et accès
user-active = Actif (un utilisateur désactivé ne peut ni se connecter ni recevoir de conversations)
user-save = Enregistrer
user-disable-question = Désactiver { $name } ?
user-disable-detail = Il est aussitôt déconnecté partout, ne peut plus se connecter et ne reçoit plus de conversations. Ses conversations et son historique sont conservés. Vous pourrez le réactiver sur cette page.
user-disable-button = Désactiver l’utilisateur
user-image = Photo de profil
user-image-help = Les visiteurs la voient à côté du nom de l’agent dans la conversation.
user-image-alt = Photo de profil actuelle de { $name }
user-no-image = Pas encore de photo : les visiteurs ne voient que le nom de l’agent. Ajoutez-en une ci-dessous.
user-image-file = Image (PNG, JPEG ou WebP, 1 Mio au plus)
user-upload = Envoyer
user-upload-unreadable = L’envoi n’a pas pu être lu ; veuillez réessayer.
user-upload-choose = Choisissez d’abord un fichier image (PNG, JPEG ou WebP).
user-schedule = Horaires
user-schedule-help = Pendant ses horaires, l’agent est disponible ; en dehors, il est absent. S’il change lui-même sa disponibilité, son choix vaut jusqu’à la prochaine ouverture ou fermeture de ses horaires.
user-schedule-off = Pas d’horaires : la disponibilité de l’agent est celle qu’il choisit
user-schedule-on = Suivre ces horaires : disponible pendant, absent en dehors
user-schedule-save = Enregistrer les horaires
notice-user-saved = Profil et accès enregistrés.
notice-avatar-saved = Photo de profil enregistrée : les visiteurs la voient à côté du nom de cet agent.
notice-schedule-saved = Horaires enregistrés : la disponibilité de l’agent les suit désormais.

## Horaires hebdomadaires (heures d’ouverture, horaires d’un utilisateur).

week-timezone = Fuseau horaire
week-timezone-hint = (nom IANA, par ex. Europe/Paris ; l’heure d’été est suivie)
week-caption = Plages d’ouverture, à l’heure du fuseau (HH:MM ; 24:00 pour minuit ; laissez une paire vide pour aucune)
week-col-day = Jour
week-col-intervals = Plages
week-day = { $day ->
    [mon] Lundi
    [tue] Mardi
    [wed] Mercredi
    [thu] Jeudi
    [fri] Vendredi
    [sat] Samedi
    [sun] Dimanche
   *[other] { $day }
}
week-slot-from = { $day }, plage { $n }, début
week-slot-to = { $day }, plage { $n }, fin

## Équipes.

teams-intro = Les équipes regroupent des agents : une règle de routage ou la carte de chat en direct d’un dialogue peut envoyer des conversations à une équipe, qui sont alors proposées à ses membres.
teams-empty = Aucune équipe pour l’instant. Créez la première ci-dessous, puis ajoutez-y ses membres.
teams-no-members = Aucun membre pour l’instant : ajoutez les agents qui répondent aux conversations de cette équipe.
teams-remove = Retirer
teams-remove-label = Retirer { $name } de { $team }
teams-remove-question = Retirer { $name } de l’équipe « { $team } » ?
teams-remove-detail = Les conversations envoyées à cette équipe ne lui seront plus proposées. Son compte et ses conversations restent ; vous pourrez l’ajouter de nouveau à tout moment.
teams-remove-button = Retirer de l’équipe
teams-everyone-in = Tous les utilisateurs sont membres de cette équipe.
teams-add-member = Ajouter un membre
teams-add = Ajouter
teams-delete = Supprimer l’équipe
teams-delete-label = Supprimer l’équipe { $team }
teams-delete-question = Supprimer l’équipe « { $team } » ?
teams-delete-detail = Ses membres gardent leur compte, mais les règles de routage et les dialogues qui envoient des conversations à cette équipe n’y trouvent plus d’agent : donnez-leur une autre destination. Cette action est définitive.
teams-delete-button = Supprimer l’équipe
teams-choose-user = Choisissez un utilisateur à ajouter.
teams-new = Nouvelle équipe
teams-name = Nom
teams-create = Créer l’équipe
notice-team-created = Équipe créée : ajoutez-y ses membres ci-dessous.
notice-team-deleted = Équipe supprimée.
notice-team-member-added = Membre ajouté : les conversations envoyées à cette équipe peuvent maintenant lui être proposées.
notice-team-member-removed = Membre retiré de l’équipe.

## Routage.

routing-intro = Comment un visiteur qui demande un agent en trouve un : la carte de chat en direct d’un dialogue désigne un agent, une équipe, la rotation entre tous les agents, ou ces règles personnalisées.
routing-rules = Règles personnalisées
routing-rules-help = Essayées dans cet ordre ; la première dont toutes les conditions sont remplies envoie la conversation à son agent ou à son équipe.
routing-rules-empty = Aucune règle personnalisée pour l’instant. Une règle envoie les conversations à un agent ou à une équipe selon le pays, la page ou les informations du visiteur. Ajoutez la première ci-dessous, puis testez-la avec une simulation.
routing-every-visitor = tous les visiteurs
routing-target-removed = { $kind ->
    [team] une équipe supprimée
    [agent] un agent retiré
   *[other] { $kind } (supprimé)
}
routing-up = Monter
routing-up-label = Monter { $name }
routing-down = Descendre
routing-down-label = Descendre { $name }
routing-delete = Supprimer
routing-delete-label = Supprimer la règle { $name }
routing-delete-question = Supprimer la règle « { $name } » ?
routing-delete-detail = Les conversations qu’elle aurait routées vont à la règle suivante qui correspond, ou reçoivent le message de repli. Cette action est définitive.
routing-delete-button = Supprimer la règle
routing-new-rule = Nouvelle règle
routing-name = Nom
routing-conditions = Conditions
routing-conditions-hint = Une par ligne : champ, opérateur, valeur. Champs : country, region, city, page_url, captured.company… ; opérateurs : is, is_not, one_of, contains. Laissez vide pour tous les visiteurs. Par exemple :
routing-goes-to = Destination
routing-no-targets = Aucun agent ne peut encore discuter et il n’y a aucune équipe : accordez d’abord l’autorisation de chat en direct.
routing-add-rule = Ajouter la règle
routing-dry-run = Simulation
routing-dry-help = À qui une conversation serait-elle proposée maintenant ? Rien n’est modifié.
routing-dry-mode = Routage
routing-mode-round-robin = Rotation entre tous les agents
routing-mode-custom-rules = Règles personnalisées
routing-dry-country = Pays du visiteur (par ex. FR)
routing-dry-region = Région
routing-dry-city = Ville
routing-dry-page = URL de la page
routing-dry-submit = Lancer
routing-dry-steps = Comment la décision a été prise
routing-dry-offered = La conversation serait proposée à { $name }.
routing-dry-fallback = La conversation ne serait proposée à personne : { $reason }. Le visiteur recevrait le message de repli.
routing-dry-nobody = La conversation ne serait proposée à personne.
routing-dry-rule-matched = Règle appliquée : { $name }
routing-dry-skipped = { $name } : écarté ({ $reason })
routing-dry-would-offer = { $name } : la conversation lui serait proposée
notice-rule-created = Règle ajoutée en fin de liste : montez-la pour qu’elle soit essayée plus tôt.
notice-rule-moved = Règle déplacée : les règles sont essayées dans le nouvel ordre.
notice-rule-deleted = Règle supprimée.

## Réglages.

settings-chats = Chat en direct
settings-fallback = Message de repli général
settings-fallback-hint = (envoyé aux visiteurs quand aucun agent ne peut prendre la conversation)
settings-accept-timeout = Secondes dont dispose un agent pour accepter une conversation (1 à 600)
settings-max-chats = Conversations en direct simultanées par agent (1 à 100)
settings-idle-timeout = Minutes de silence avant la fin d’une conversation (1 à 1440)
settings-away-after = Passer un agent en absent après ce nombre de propositions manquées d’affilée (0 à 10 ; 0 : jamais)
settings-offer-attempts = Agents à essayer avant le message de repli (1 à 5)
settings-offer-attempts-hint = (chaque refus, expiration ou absence d’un agent fait passer la conversation à l’agent suivant ; vide : 2 pour le routage par équipe, 1 sinon)
settings-one-offer = Chaque conversation est proposée à un seul agent, puis le visiteur reçoit le message de repli. L’offre Prime essaie davantage d’agents.
settings-recipients = Destinataires des e-mails de conversations manquées
settings-recipients-hint = (une adresse par ligne ; vide : les administrateurs de l’espace)
settings-default-language = Langue par défaut
settings-default-language-hint = (pour les e-mails aux destinataires qui n’en ont choisi aucune, et les lecteurs dont le navigateur ne demande aucune des deux langues)
settings-security = Sécurité du widget et données
settings-origins = Sites où le widget peut s’afficher
settings-origins-hint = (une origine par ligne, comme https://www.example.com ; vide : n’importe quel site)
settings-identity-verification = Exiger la vérification d’identité des visiteurs connectés
settings-identity-help = Le user_id d’un visiteur doit alors être accompagné de son HMAC, calculé sur votre serveur avec le secret d’identité ci-dessous.
settings-retention = Supprimer les conversations après ce nombre de jours
settings-retention-hint = (1 à 3650 ; vide : les conserver)
settings-save = Enregistrer les réglages
settings-secret = Secret d’identité
settings-secret-new = Votre nouveau secret d’identité (affiché une seule fois) :
settings-secret-set = Un secret d’identité est défini. En créer un nouveau empêche l’actuel de vérifier les visiteurs.
settings-secret-none = Pas encore de secret d’identité. Créez-en un, puis calculez user_hash sur votre serveur : le HMAC-SHA256 en hexadécimal du user_id du visiteur.
settings-secret-make = Créer un nouveau secret d’identité
settings-secret-question = Remplacer le secret d’identité ?
settings-secret-detail = Le secret actuel cesse aussitôt de vérifier les visiteurs : tant que votre serveur ne signe pas avec le nouveau, les visiteurs connectés sont refusés si la vérification d’identité est exigée.
settings-secret-button = Créer un nouveau secret
settings-secret-made = Un nouveau secret d’identité a été créé : copiez-le maintenant, il ne sera plus affiché. L’ancien ne vérifie plus les visiteurs.
settings-hours = Heures d’ouverture
settings-hours-help = En dehors des heures d’ouverture, aucune conversation n’est proposée : un visiteur qui demande un agent reçoit le message ci-dessous.
settings-hours-off = Toujours ouvert
settings-hours-on = Ouvert uniquement pendant ces heures
settings-holidays = Jours fériés
settings-holidays-hint = (fermé toute la journée ; une date par ligne, AAAA-MM-JJ)
settings-outside-message = Message hors des heures d’ouverture
settings-outside-message-hint = (envoyé aux visiteurs qui demandent un agent pendant la fermeture)
settings-hours-save = Enregistrer les heures d’ouverture
notice-settings-saved = Réglages enregistrés : les nouvelles conversations les suivent aussitôt.
notice-hours-saved = Heures d’ouverture enregistrées : le routage les suit désormais.

## Réponses types.

canned-intro = Des réponses prêtes : dans la boîte de réception, tapez / puis le raccourci, et Entrée. Les textes peuvent utiliser
canned-intro-end = {" "}: ces variables sont remplacées pour chaque conversation.
canned-team = Celles de l’équipe
canned-team-empty-admin = Aucune pour l’instant. Ajoutez-en une ci-dessous en choisissant « Celle de l’équipe (tous les agents) » : chaque agent la reçoit.
canned-team-empty-agent = Aucune pour l’instant : les administrateurs en ajoutent pour tout le monde.
canned-mine = Les vôtres
canned-mine-empty = Aucune pour l’instant : ajoutez les réponses que vous donnez souvent.
canned-shortcut = Raccourci
canned-shortcut-example = tarifs
canned-text = Texte
canned-text-example = Bonjour {"{"}visitor.first_name{"}"}, nos tarifs sont sur …
canned-save = Enregistrer
canned-save-label = Enregistrer /{ $shortcut }
canned-delete = Supprimer
canned-delete-label = Supprimer /{ $shortcut }
canned-delete-question = Supprimer la réponse type /{ $shortcut } ?
canned-delete-detail = Plus personne ne pourra l’insérer avec son raccourci. Cette action est définitive.
canned-delete-button = Supprimer la réponse
canned-new = Nouvelle réponse type
canned-for = Pour
canned-for-me = Moi seulement
canned-for-team = Celle de l’équipe (tous les agents)
canned-add = Ajouter la réponse type

## Conversations, une conversation et sa trace de routage.

conv-status = { $status ->
    [dialogue] Dans le dialogue
    [completed] Dialogue terminé
    [routing] Recherche d’un agent
    [live] En direct
    [fallback] Manquée
    [ended] Terminée
   *[other] { $status }
}
offer-state = { $state ->
    [pending] en attente de réponse
    [accepted] acceptée
    [declined] refusée
    [expired] sans réponse à temps
    [withdrawn] retirée
   *[other] { $state }
}
conv-filter-status = Statut
conv-filter-all = Tous
conv-filter-show = Afficher
conv-empty = Aucune conversation pour l’instant. Elles apparaissent ici dès qu’un visiteur ouvre le widget sur votre site : placez sa balise sur vos pages (le tableau de bord l’affiche).
conv-empty-link = Obtenir la balise du widget
conv-empty-filtered = Aucune conversation n’a ce statut.
conv-show-all = Afficher toutes les conversations
conv-caption = Conversations, des plus récentes aux plus anciennes
conv-col-visitor = Visiteur
conv-col-status = Statut
conv-col-agent = Agent
conv-col-messages = Messages
conv-col-started = Début
conv-older = Conversations plus anciennes
conv-status-label = Statut :
conv-started = commencée le { $when }
conv-ended = terminée le { $when }
conv-agent = agent : { $name }
conv-visitor-unknown = Rien n’est encore connu : le visiteur n’a donné aucune information.
conv-customer-id = Identifiant client
conv-customer-id-value = { $verified ->
    [yes] { $id } (vérifié)
   *[other] { $id } (non vérifié)
}
conv-location = Localisation
conv-trace = Trace de routage
conv-trace-mode = Mode
conv-mode = { $mode ->
    [round_robin] Rotation entre tous les agents
    [agent] Un agent
    [team] Une équipe
    [custom_rules] Règles personnalisées
   *[other] { $mode }
}
conv-trace-no-mode = aucun : le visiteur n’a pas demandé d’agent
conv-trace-rule = Règle appliquée
conv-trace-outcome = Résultat
conv-outcome-accepted = Acceptée par { $name }
conv-outcome-fallback = Message de repli : { $reason }
conv-outcome-pending = En attente de la réponse d’un agent
conv-outcome-queued = Dans la file d’attente depuis le { $since }
conv-trace-considered = Agents envisagés
conv-trace-considered-sep = {" "}:
conv-considered-offered = conversation proposée
conv-considered-skipped = écarté : { $reason }
conv-trace-offers = Propositions
conv-offer-attempt = Essai
conv-offer-agent = Agent
conv-offer-offered = Proposée
conv-offer-result = Résultat
conv-offer-reached = Reçue par
conv-offer-not-reached = non confirmé
conv-delivered = { $channel ->
    [inbox] la boîte de réception
    [push] une notification push
   *[other] { $channel }
} à { $time }
conv-left-title = Message laissé par le visiteur
conv-rating-title = La note du visiteur
conv-earlier-title = Les autres conversations du visiteur
conv-transcript = Transcription
conv-no-messages = Aucun message pour l’instant.
conv-internal-note = Note interne
conv-file = Fichier : { $name }

## Conversations manquées.

failed-intro = Les visiteurs qui ont demandé un agent et ont reçu le message de repli à la place.
failed-empty = Aucune conversation manquée : chaque visiteur qui a demandé un agent en a eu un. Quand une conversation est manquée, elle apparaît ici et est envoyée par e-mail aux destinataires choisis dans les réglages.
failed-empty-link = Choisir les destinataires
failed-caption = Conversations manquées, des plus récentes aux plus anciennes
failed-col-when = Quand
failed-col-why = Pourquoi
failed-col-missed-by = Manquée par
failed-col-email = E-mail
failed-email-none = aucun
failed-email-sent = envoyé à { $to }
failed-email-failed = échec pour { $to }
failed-email-queued = en file pour { $to }
failed-email-pending = { $count ->
    [one] en attente pour { $to } ({ $count } essai)
   *[other] en attente pour { $to } ({ $count } essais)
}
failed-older = Conversations manquées plus anciennes

## Se déconnecter avec des conversations en direct.

logout-heading = Vous déconnecter avec des conversations ouvertes ?
logout-live = { $count ->
    [one] Vous avez encore { $count } conversation en direct. Vous déconnecter vous met hors ligne : aucune nouvelle conversation ne vous sera proposée, et le visiteur de votre conversation ouverte attend votre retour ou la reprise par un administrateur.
   *[other] Vous avez encore { $count } conversations en direct. Vous déconnecter vous met hors ligne : aucune nouvelle conversation ne vous sera proposée, et les visiteurs de vos conversations ouvertes attendent votre retour ou la reprise par un administrateur.
}
logout-anyway = Me déconnecter quand même
logout-back = Retour à la boîte de réception
settings-built-in-message = Tant que vous gardez ce message d’origine, chaque visiteur le lit dans sa langue (anglais ou français).
