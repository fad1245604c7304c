## Données et intégrations : webhooks, clés d’API, journal d’audit, confidentialité ; les
## espaces de la plateforme ; les pages de mot de passe oublié et d’invitation.

data-yes = Oui
data-no = Non
data-none = aucun
data-never = jamais
data-older = Plus anciens
data-next-page = Page suivante
data-col-actions = Actions
data-cannot-undo = Cette action est irréversible.

## Webhooks

webhooks-title = Webhooks
webhooks-intro = Switchboard envoie les événements de votre choix à votre propre URL en JSON, signés avec le secret du webhook, et réessaie quand elle ne répond pas.
webhooks-secret-heading = Secret de signature
webhooks-secret-help = Chaque envoi porte un en-tête Switchboard-Signature : le HMAC-SHA256, avec ce secret, de l’horodatage de l’en-tête, d’un point et du corps. Copiez le secret maintenant : il ne sera plus affiché.
webhooks-caption = Webhooks
webhooks-col-url = URL
webhooks-col-events = Événements
webhooks-empty = Aucun webhook pour l’instant. Ajoutez-en un ci-dessous pour envoyer les événements des conversations (une conversation sans agent, une note, un message laissé…) à vos propres outils.
webhooks-deliveries = Envois
webhooks-deliveries-of = Envois vers { $url }
webhooks-delete = Supprimer
webhooks-delete-label = Supprimer le webhook { $url }
webhooks-delete-question = Supprimer le webhook vers { $url } ? Ses événements cessent aussitôt d’être envoyés.
webhooks-delete-confirm = Supprimer le webhook
webhooks-new = Nouveau webhook
webhooks-url = URL
webhooks-url-hint = (https, accessible depuis Internet)
webhooks-events = Événements
webhooks-add = Ajouter le webhook
webhooks-added = Webhook ajouté. Copiez son secret de signature ci-dessous maintenant : il ne sera plus affiché.
webhook-event = { $event ->
    [conversation-accepted] Un agent a accepté une conversation
    [conversation-transferred] Une conversation a été transférée
    [conversation-ended] Une conversation s’est terminée
    [conversation-fallback] Une conversation n’a trouvé aucun agent
    [conversation-message_left] Un visiteur a laissé un message
    [conversation-rated] Un visiteur a noté une conversation
    [engagement-consumed] Un engagement du forfait a été utilisé
    [engagement-limit_reached] La limite d’engagements du forfait est atteinte
   *[other] { $code }
}

webhook-back = Tous les webhooks
webhook-heading = Envois
webhook-to = Vers { $url }, du plus récent au plus ancien.
webhook-caption = Envois de ce webhook
webhook-empty = Rien n’a encore été envoyé. Un envoi apparaît ici chaque fois qu’un des événements suivis se produit.
webhook-follows = Événements suivis : { $events }.
webhook-col-when = Quand
webhook-col-event = Événement
webhook-col-status = État
webhook-col-attempts = Tentatives
webhook-col-answer = Dernière réponse
webhook-col-replay = Renvoi
webhook-replay-mark = renvoi
webhook-replay = Renvoyer
webhook-replay-label = Renvoyer l’envoi du { $when }
webhook-status = { $status ->
    [pending] en attente
    [delivered] reçu
    [sent] envoyé
    [failed] échec
   *[other] { $status }
}

## Clés d’API

api-keys-title = Clés d’API
api-keys-intro = Les intégrations appellent l’API avec une clé comme jeton « bearer ». Une clé n’est affichée qu’une fois, à sa création ; révoquez-la aussitôt si elle fuite.
api-keys-docs = Lire la documentation de l’API
api-keys-new-key = Votre nouvelle clé
api-keys-key = Clé
api-keys-caption = Clés de cet espace
api-keys-col-name = Nom
api-keys-col-prefix = Préfixe
api-keys-col-created = Créée
api-keys-col-last-used = Dernière utilisation
api-keys-col-access = Accès
api-keys-col-expires = Expire
api-keys-col-status = État
api-keys-revoked = révoquée
api-keys-active = active
api-keys-revoke = Révoquer
api-keys-revoke-label = Révoquer la clé { $name }
api-keys-revoke-question = Révoquer la clé { $name } ? Toute intégration qui l’utilise sera refusée désormais.
api-keys-revoke-confirm = Révoquer la clé
api-keys-empty = Aucune clé pour l’instant. Créez-en une ci-dessous pour chaque intégration (une synchronisation CRM, un rapport…), afin de pouvoir les révoquer séparément.
api-keys-create-heading = Créer une clé
api-keys-name = Nom
api-keys-name-hint = (son usage, par exemple « Synchro CRM »)
api-keys-access = Accès
api-keys-access-read = Lecture seule (conversations, utilisateurs, équipes, rapports)
api-keys-access-write = Lecture et actions sur les conversations
api-keys-access-admin = Accès administrateur complet
api-keys-expires = Expiration
api-keys-expires-never = Jamais
api-keys-expires-30 = Dans 30 jours
api-keys-expires-90 = Dans 90 jours
api-keys-expires-365 = Dans un an
api-keys-create = Créer la clé
api-keys-created = Clé d’API créée. Copiez-la maintenant : elle ne sera plus affichée.
api-key-scope = { $scope ->
    [read] lecture
    [write] lecture et écriture
    [admin] administrateur
   *[other] { $scope }
}

## Le journal d’audit

audit-title = Journal d’audit
audit-intro = Ce qui a été fait dans cet espace, et par qui, du plus récent au plus ancien.
audit-filters = Filtrer le journal
audit-filter-actor = Qui
audit-filter-anyone = Tout le monde
audit-filter-action = Action
audit-filter-any-action = Toutes les actions
audit-filter-from = Du
audit-filter-to = Au (inclus)
audit-filter-apply = Filtrer
audit-filter-clear = Effacer les filtres
audit-filter-bad-date = Saisissez une date comme 2026-12-01.
audit-filter-to-before-from = La date de fin est avant la date de début.
audit-caption = Entrées du journal, de la plus récente à la plus ancienne
audit-col-when = Quand
audit-col-who = Qui
audit-col-action = Action
audit-col-on = Sur
audit-col-details = Détails
audit-empty = Rien n’est encore enregistré. Les changements faits par les administrateurs, les clés d’API et l’opérateur de la plateforme (utilisateurs ajoutés, réglages enregistrés, clés révoquées…) apparaissent ici au fur et à mesure.
audit-empty-filtered = Aucune entrée ne correspond à ces filtres. Élargissez les dates, ou effacez les filtres pour tout voir.
audit-operator = Opérateur de la plateforme
audit-api-key = Clé d’API { $name }
audit-visitor = Un visiteur
audit-workspace = Cet espace
audit-conversation = Conversation
audit-removed = (supprimé)
audit-action = { $action ->
    [api_key-created] A créé une clé d’API
    [api_key-revoked] A révoqué une clé d’API
    [api_key-used] A utilisé une clé d’API
    [avatar-updated] A changé une photo de profil
    [canned_response-created] A ajouté une réponse enregistrée
    [canned_response-updated] A modifié une réponse enregistrée
    [canned_response-deleted] A supprimé une réponse enregistrée
    [conversation-joined] A rejoint une conversation
    [conversation-left] A quitté une conversation
    [dialogue-created] A créé un dialogue
    [dialogue-updated] A modifié un dialogue
    [dialogue-deleted] A supprimé un dialogue
    [dialogue-published] A publié un dialogue
    [live_chat_permission-granted] A accordé l’autorisation de chat en direct
    [live_chat_permission-revoked] A retiré l’autorisation de chat en direct
    [plan-changed] A changé le forfait
    [privacy-visitor_exported] A téléchargé les données d’un visiteur
    [privacy-visitor_erased] A effacé les données d’un visiteur
    [routing_rule-created] A ajouté une règle de routage
    [routing_rule-updated] A modifié une règle de routage
    [routing_rule-deleted] A supprimé une règle de routage
    [settings-updated] A modifié les réglages
    [settings-identity_secret_created] A créé le secret de vérification d’identité
    [team-created] A créé une équipe
    [team-renamed] A renommé une équipe
    [team-deleted] A supprimé une équipe
    [team-member_added] A ajouté un membre à une équipe
    [team-member_removed] A retiré un membre d’une équipe
    [tenant-created] A créé l’espace
    [user-created] A ajouté un utilisateur
    [user-updated] A modifié un utilisateur
    [user-disabled] A désactivé un utilisateur
    [user-enabled] A réactivé un utilisateur
    [user-deleted] A supprimé un utilisateur
    [user-invitation_accepted] A accepté une invitation
    [user-locked_out] Bloqué après des connexions échouées
    [user-logged_in] S’est connecté
    [user-password_reset] A réinitialisé son mot de passe par e-mail
    [user-recovery_code_used] A utilisé un code de secours
    [user-schedule_updated] A modifié un horaire hebdomadaire
    [user-two_factor_enabled] A activé la connexion en deux étapes
    [user-two_factor_disabled] A désactivé la connexion en deux étapes
    [webhook-created] A ajouté un webhook
    [webhook-deleted] A supprimé un webhook
    [webhook-replayed] A renvoyé un envoi de webhook
   *[other] { $code }
}
audit-detail = { $key ->
    [accept_timeout_seconds] Secondes pour accepter
    [active] Actif
    [admin] Premier administrateur
    [away_after_missed_offers] Absent après offres manquées
    [business_hours] Heures d’ouverture
    [by] Par
    [bytes] Octets
    [cards] Cartes
    [conversations] Conversations
    [default_locale] Langue par défaut
    [delivery] Envoi
    [display_name] Nom
    [email] E-mail
    [email_sha256] E-mail (haché)
    [engagement_limit] Limite d’engagements
    [event] Événement
    [events] Événements
    [expires_at] Expire
    [failed_action_recipients] E-mails des conversations manquées à
    [failed_logins] Connexions échouées
    [global_fallback_message] Message de repli modifié
    [id] Identifiant
    [identity_verification] Vérification d’identité
    [idle_timeout_minutes] Minutes d’inactivité avant la fin
    [invited] Invité
    [kind] Type
    [left] Restants
    [max_chats_per_agent] Conversations par agent
    [mime] Type
    [minutes] Minutes
    [name] Nom
    [offer_attempts] Tentatives d’offre
    [password] Mot de passe
    [plan] Forfait
    [position] Position
    [prefix] Préfixe
    [retention_days] Jours de conservation
    [role] Rôle
    [schedule] Horaire
    [scopes] Accès
    [shortcut] Raccourci
    [slug] Identifiant d’espace
    [target] Cible
    [team] Équipe
    [url] URL
    [user_id] Utilisateur
    [widget_allowed_origins] Sites du widget
   *[other] { $key }
}

## Confidentialité

privacy-title = Confidentialité
privacy-intro = Retrouvez ce qui est conservé sur un visiteur grâce à l’adresse e-mail qu’il a donnée (dans le dialogue ou avec un message laissé), téléchargez-le pour lui, ou effacez-le. Ses autres conversations depuis le même navigateur sont incluses.
privacy-email = E-mail du visiteur
privacy-find = Rechercher
privacy-nothing = Rien n’est conservé sur { $email }
privacy-found = { $count ->
    [one] { $count } conversation de { $email }
   *[other] { $count } conversations de { $email }
}
privacy-col-started = Début
privacy-col-status = État
privacy-col-messages = Messages
privacy-download = Télécharger ses données (JSON)
privacy-confirm = Je comprends que l’effacement est irréversible
privacy-confirm-needed = Cochez la case pour confirmer : l’effacement est irréversible.
privacy-erase = Tout effacer sur ce visiteur
privacy-erased = { $count ->
    [one] { $count } conversation de { $email } effacée avec ses messages.
   *[other] { $count } conversations de { $email } effacées avec leurs messages.
}
privacy-status = { $status ->
    [dialogue] dans le dialogue
    [completed] dialogue terminé
    [routing] recherche d’un agent
    [live] en direct
    [fallback] sans agent
    [ended] terminée
   *[other] { $status }
}

## Les espaces de la plateforme

platform-title = Espaces
platform-caption = Espaces, leurs forfaits et leurs limites d’engagements
platform-col-name = Nom
platform-col-slug = Identifiant
platform-col-used = Engagements utilisés
platform-col-plan = Forfait et limite
platform-unlimited = illimité
platform-used-of = { $used } sur { $limit }
platform-used-unlimited = { $used } (illimité)
platform-plan-of = Forfait de { $name }
platform-limit-of = Limite d’engagements de { $name } (vide : illimitée)
platform-save = Enregistrer
platform-save-label = Enregistrer le forfait de { $name }
platform-empty = Aucun espace pour l’instant. Créez le premier ci-dessous : son premier administrateur peut se connecter aussitôt avec l’identifiant, l’e-mail et le mot de passe choisis.
platform-new = Nouvel espace
platform-name = Nom de l’entreprise
platform-slug = Identifiant (utilisé à la connexion)
platform-limit = Limite d’engagements (vide : 100 en Select, illimitée en Prime)
platform-admin-email = E-mail du premier administrateur
platform-admin-name = Nom du premier administrateur
platform-admin-password = Mot de passe du premier administrateur
platform-plan = Forfait
platform-plan-select = Select (évaluation, engagements limités)
platform-plan-prime = Prime
platform-create = Créer l’espace
platform-limit-invalid = Saisissez un nombre entier, ou laissez le champ vide.
platform-plan-name = { $plan ->
    [select] Select
    [prime] Prime
   *[other] { $plan }
}

## Messages après un changement sur ces pages

notice-webhook-deleted = Webhook supprimé : ses événements ne sont plus envoyés.
notice-webhook-replayed = Renvoi programmé : le même contenu repart dans un nouvel envoi.
notice-tenant-created = Espace créé : son premier administrateur peut se connecter dès maintenant.
notice-plan-saved = Forfait et limite d’engagements enregistrés.

## Pages sans connexion : mot de passe oublié, invitation

reset-title = Réinitialiser votre mot de passe
reset-choose = Choisissez un nouveau mot de passe
reset-new-password = Nouveau mot de passe (au moins 10 caractères)
reset-again = Le même mot de passe, à nouveau
reset-mismatch = Les deux mots de passe ne sont pas identiques.
reset-set = Enregistrer le nouveau mot de passe
reset-signs-out = Tous les appareils connectés à ce compte seront déconnectés.
reset-forgot = Mot de passe oublié ?
reset-intro = Saisissez votre espace et votre adresse e-mail : nous vous envoyons un lien pour choisir un nouveau mot de passe.
reset-workspace = Espace (identifiant)
reset-workspace-hint = (laissez vide si vous ne vous en souvenez pas)
reset-email = E-mail
reset-send = M’envoyer un lien
reset-back = Retour à la connexion
reset-link-gone = Ce lien n’est pas valide
reset-link-gone-text = Il a déjà servi, il a expiré (les liens sont valables une heure) ou il a été coupé. Demandez-en un nouveau.

invitation-title = Choisissez votre mot de passe
invitation-heading = Choisissez votre mot de passe
invitation-invited = Vous êtes invité dans { $workspace } sur Switchboard en tant que { $email }.
invitation-workspace = Vous vous connecterez à l’espace « { $slug } ».
invitation-password = Nouveau mot de passe (au moins 10 caractères)
invitation-set = Enregistrer le mot de passe
invitation-gone-title = Invitation
invitation-gone = Cette invitation n’est pas valide
invitation-gone-text = Elle a peut-être expiré ou déjà servi. Demandez-en une nouvelle à un administrateur de votre espace.
