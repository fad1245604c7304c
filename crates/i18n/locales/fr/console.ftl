## Le cadre de la console (chaque page), les pages de connexion et la langue du compte.

page-title = { $title } · Switchboard
skip-to-content = Aller au contenu
brand-platform = Plateforme
nav-console = Console
nav-dashboard = Tableau de bord
nav-users = Utilisateurs
nav-teams = Équipes
nav-routing = Routage
nav-settings = Réglages
nav-conversations = Conversations
nav-failed = Conversations manquées
nav-dialogues = Dialogues
nav-canned = Réponses types
nav-webhooks = Webhooks
nav-api-keys = Clés d’API
nav-audit = Journal d’audit
nav-privacy = Confidentialité
nav-inbox = Boîte de réception
nav-tenants = Espaces
nav-menu = Menu
nav-group-chats = Discussions
nav-group-team = Équipe
nav-group-setup = Configuration
nav-group-data = Données et intégrations
account-link-title = Votre compte et la connexion à deux facteurs
log-out = Se déconnecter

login-title = Connexion
login-heading = Connectez-vous à votre espace
platform-login-title = Connexion à la plateforme
platform-login-heading = Connexion de l’opérateur de la plateforme
login-two-factor = La connexion à deux facteurs est activée pour { $email }. Saisissez le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.
login-code = Code
login-verify = Vérifier
login-start-again = Recommencer
login-workspace = Espace (identifiant)
login-email = E-mail
login-password = Mot de passe
login-submit = Se connecter
login-forgot = Mot de passe oublié ?
login-bad-credentials = L’adresse e-mail, le mot de passe ou l’espace de travail est incorrect.
login-wrong-code = Ce code n’est ni le code actuel de votre application d’authentification, ni un code de secours inutilisé.
login-took-too-long = La connexion a pris trop de temps : saisissez de nouveau votre mot de passe.
login-cross-site = Ce formulaire doit être envoyé depuis la page de connexion de ce site. Ouvrez la page de connexion et réessayez.

account-language-heading = Langue et fuseau horaire
account-language = Langue
account-language-browser = Celle de mon navigateur
account-timezone = Fuseau horaire
account-timezone-browser = Celui de mon navigateur
account-language-save = Enregistrer
account-language-saved = Langue et fuseau horaire enregistrés.
account-timezone-unknown = Choisissez un fuseau horaire de la liste (un nom IANA comme Europe/Paris).
account-language-unknown = Choisissez English ou Français.

account-title = Votre compte
account-signed-in-as = Connecté en tant que { $email }.
account-two-factor = Connexion à deux facteurs
account-two-factor-required = Ce serveur exige la connexion à deux facteurs pour les propriétaires et l’opérateur de la plateforme. Activez-la ci-dessous pour continuer : d’ici là, le reste de la console reste fermé à votre compte.
account-recovery-intro = Chacun de ces codes de secours vous connecte une fois si vous perdez votre téléphone. Ils ne s’affichent que maintenant : enregistrez-les ou imprimez-les.
account-enrol-step-1 = Dans votre application d’authentification (1Password, Google Authenticator, Authy…), ajoutez un compte avec cette clé, ou ouvrez-la dans l’application sur cet appareil :
account-enrol-open = L’ouvrir dans l’application
account-enrol-step-2 = Saisissez le code à 6 chiffres affiché par l’application.
account-code-from-app = Code de l’application
account-code-refused = Ce code n’est pas le bon : vérifiez l’application et réessayez.
account-two-factor-turn-on = Activer la connexion à deux facteurs
account-on = activée
account-off = désactivée
account-two-factor-on-text = La connexion demande votre mot de passe et un code de votre application d’authentification.
account-two-factor-off-code = Pour la désactiver, saisissez un code de l’application ou un code de secours
account-two-factor-turn-off = Désactiver la connexion à deux facteurs
account-two-factor-off-text = Protégez votre compte par un code d’une application d’authentification sur votre téléphone, demandé à chaque connexion.
account-two-factor-set-up = Configurer la connexion à deux facteurs
account-two-factor-now-on = La connexion à deux facteurs est activée. Gardez vos codes de secours en lieu sûr.
account-two-factor-now-off = La connexion à deux facteurs est désactivée : votre mot de passe seul vous connecte.
account-sessions = Où vous êtes connecté
account-session-since = depuis { $when }
account-this-browser = ce navigateur
account-sign-out = Déconnecter
account-sign-out-label = Déconnecter { $browser } depuis { $address }
account-sessions-help = Déconnecter ici met fin à la session de ce navigateur à sa prochaine page. Pour vous déconnecter partout, applications utilisant des jetons d’accès comprises, changez votre mot de passe.
account-session-ended = Ce navigateur est déconnecté.
account-unknown-browser = Navigateur inconnu
account-unknown-address = adresse inconnue
account-browser-on = { $browser } sur { $system }

## What every page shares: notices after a change, errors, refusals, visitors, routes.

notice-saved = Enregistré.
notice-created = Créé.
notice-deleted = Supprimé.
notice-granted = Autorisation de chat en direct accordée.
notice-revoked = Autorisation de chat en direct retirée.
notice-member-added = Membre ajouté.
notice-member-removed = Membre retiré.
notice-password-set = Votre mot de passe est choisi. Vous pouvez vous connecter.
notice-revoked-key = Clé d’API révoquée : elle ne fonctionne plus.
notice-published = Publié : le widget utilise maintenant ce dialogue.
notice-canned-created = Réponse type ajoutée : tapez / puis son raccourci dans la boîte de réception.
notice-canned-saved = Réponse type modifiée.
notice-canned-deleted = Réponse type supprimée.
notice-password-reset = Votre mot de passe est changé et toutes les connexions précédentes sont terminées. Connectez-vous avec le nouveau.
notice-reset-sent = Si un compte utilise cette adresse, un e-mail avec un lien pour choisir un nouveau mot de passe est en route. Le lien fonctionne une fois, pendant une heure.
notice-signed-out = Vous avez été déconnecté : vous vous êtes déconnecté ailleurs, votre mot de passe a changé ou votre compte a été désactivé. Reconnectez-vous pour continuer.

csrf-title = Formulaire expiré
csrf-heading = Ce formulaire a expiré
csrf-message = Rien n’a été modifié. Le formulaire a été envoyé sans jeton de sécurité valide (il vient peut-être d’une ancienne page ou d’un autre site). Revenez en arrière, rechargez la page et réessayez.
back = Retour

error-title = Erreur
error-heading = Cela n’a pas fonctionné
error-try-again = Veuillez réessayer.

form-wait = { $seconds ->
    [one] Trop de tentatives ; patientez { $seconds } seconde et réessayez.
   *[other] Trop de tentatives ; patientez { $seconds } secondes et réessayez.
}
form-gone = Cet élément n’existe plus.
form-unavailable = Le service est momentanément indisponible ; réessayez dans un instant.
form-internal = Un problème est survenu de notre côté ; il a été consigné. Veuillez réessayer.
form-correct-below = Veuillez corriger le champ signalé ci-dessous.

visitor-anonymous = Visiteur anonyme
target-agent = Agent : { $name }
target-team = Équipe : { $name }

fallback-reason = { $reason ->
    [limit_reached] la limite de conversations de l’offre était atteinte
    [no_rule_matched] aucune règle de routage ne correspondait
    [no_agent_available] aucun agent n’était disponible
    [offer_expired] la proposition n’a pas été acceptée à temps
    [declined] l’agent a refusé
    [queue_timeout] l’attente dans la file a expiré
    [outside_hours] en dehors des heures d’ouverture
   *[other] { $reason }
}
skip-reason = { $reason ->
    [inactive] compte désactivé
    [no_permission] pas d’autorisation de chat en direct
    [away] absent
    [offline] hors ligne
    [at_capacity] à pleine capacité
    [already_tried] chat déjà proposé
   *[other] { $reason }
}

## The widget's look (/console/widget).

nav-widget = Widget
notice-widget-saved = Widget enregistré : les visiteurs verront le nouveau style à leur prochaine page.
brand-title = Widget
brand-intro = L’apparence de la discussion sur votre site. L’aperçu suit vos modifications ; les visiteurs les verront une fois enregistrées.
brand-color = Couleur
brand-color-hint = (le bouton, l’en-tête, les messages du visiteur et les boutons, avec du texte blanc dessus)
brand-color-picker = Choisir une couleur
brand-color-invalid = Écrivez la couleur sous la forme #rrggbb, par exemple #1d4ed8.
brand-color-contrast = Le texte blanc sur { $color } a un contraste de { $ratio }:1, alors que le niveau AA des WCAG demande au moins 4,5:1 pour que tout le monde puisse le lire. Choisissez une couleur plus foncée.
brand-header-title = Titre
brand-header-title-hint = (vide : « Discutons » dans la langue du visiteur)
brand-greeting = Message d’accueil
brand-greeting-hint = (affiché en haut de la discussion avant la conversation ; vide : aucun)
brand-position = Position du bouton
brand-position-right = En bas à droite
brand-position-left = En bas à gauche
brand-photos = Afficher les photos des agents
brand-locales = Langues
brand-locales-hint = (les visiteurs obtiennent la langue de leur navigateur parmi celles-ci, sinon la langue par défaut de l’espace de travail)
brand-locales-none = Choisissez au moins une langue.
brand-save = Enregistrer le widget
brand-preview = Aperçu
brand-preview-hint = Une conversation d’exemple avec le style ci-dessus, telle que la verrait un visiteur dont le navigateur est dans votre langue.
