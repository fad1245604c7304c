# La liste des dialogues et l’éditeur de dialogue (console).

dialogues-intro = Un dialogue, c’est ce que le widget dit aux visiteurs : des cartes de messages, de questions et de formulaires, jusqu’au moment où un agent prend le relais. Modifiez le brouillon autant que vous voulez ; les visiteurs le voient une fois publié.
dialogues-caption = Dialogues de cet espace
dialogues-col-name = Nom
dialogues-col-cards = Cartes
dialogues-col-state = État
dialogues-empty = Aucun dialogue pour l’instant. Un dialogue accueille les visiteurs dans le widget, leur demande ce dont ils ont besoin et les confie à un agent : créez le premier ci-dessous.
dialogues-new-heading = Créer un dialogue
dialogues-name = Nom
dialogues-create = Créer le dialogue
dialogues-first-card = Bonjour ! Comment pouvons-nous vous aider ?
notice-dialogue-created = Dialogue créé, avec un message d’accueil pour commencer. Ajoutez des cartes, puis publiez-le.
notice-dialogue-deleted = Dialogue supprimé.
notice-card-saved = Modification enregistrée dans le brouillon. Publiez pour la montrer aux visiteurs.
notice-dialogue-renamed = Dialogue renommé.

state-widget = Sur le widget
state-published = Publié
state-unpublished = Modifications non publiées
state-draft = Pas encore publié

designer-title = Dialogue { $name }
designer-back = ← Tous les dialogues
designer-status-widget = Le widget utilise la version publiée de ce dialogue.
designer-status-changes = Le brouillon diffère de la version publiée : les visiteurs voient la version publiée tant que vous ne publiez pas à nouveau.
designer-status-published = Les visiteurs voient exactement ce brouillon.
designer-status-draft = Les visiteurs ne voient pas ce dialogue tant que vous ne l’avez pas publié.
designer-publish = Publier
designer-publish-changes = Publier les modifications
designer-rename-label = Nom
designer-rename = Renommer
designer-nothing-saved = Rien n’a été enregistré : corrigez la carte « { $card } ».

flow-heading = Plan
flow-title = Plan du dialogue « { $name } »
flow-hint = Chaque case est une carte, chaque flèche une branche, à partir de la première carte à gauche. Choisissez une case pour modifier sa carte.
flow-hint-drag = Faites glisser la poignée ronde d’une carte sur une autre carte pour y mener.
flow-start = Début
flow-handoff = Transfert à un agent
flow-end = Fin
flow-unreached = Non reliée
flow-unsaved = Non enregistrée
flow-error = Refusée
flow-tip = Conseil
flow-node-label = { $card }, { $kind }

cards-heading = Cartes
cards-start-hint = Chaque visiteur commence par la première carte.
kind-message = Message
kind-question = Question
kind-capture = Formulaire
kind-live-chat = Chat en direct
card-start = début
card-tip = Conseil :
card-unsaved = Non enregistrée. Ajoutez-la de nouveau, après une autre carte ou un autre choix, une fois le problème ci-dessus réglé.
card-text = Texte
card-text-live-chat = Texte avant le transfert (facultatif)
card-text-capture = Texte au-dessus du formulaire (facultatif)
card-then = Ensuite
card-ends = (la conversation s’arrête)
card-choices = Choix
card-choice = Choix { $number }
card-leads-to = mène à
card-fields = Champs
card-field-not-asked = non demandé
card-field-optional = facultatif
card-field-required = obligatoire
card-target = À qui le chat est proposé
card-target-round-robin = Tous les agents, à tour de rôle
card-target-rules = Les règles de routage
card-fallback = Message si aucun agent ne prend le chat (vide : celui de l’espace)
card-when-busy = Quand tous les agents sont occupés
card-busy-fallback = Afficher le message ci-dessus
card-busy-queue = Faire patienter le visiteur dans la file
card-max-wait = Attente maximale dans la file, en secondes (30 à 1800 ; vide : 300)
card-save = Enregistrer la carte
card-new-choice = Nouveau choix
card-add-choice = Ajouter le choix
card-delete-choice = Supprimer « { $label } »
card-delete-choice-label = Supprimer le choix « { $label } » de { $card }
card-up = ↑ Monter
card-down = ↓ Descendre
card-up-label = Monter { $card }
card-down-label = Descendre { $card }
card-delete = Supprimer
card-delete-label = Supprimer la carte { $card }
card-delete-confirm = Supprimer la carte « { $card } » ? Ce qui y menait s’arrêtera là.


add-card-heading = Ajouter une carte
add-card-kind = Type
add-card-id = Nom (lettres, chiffres, - et _)
add-card-text = Texte
add-card-after = Vient après
add-card-after-choice = { $card }, choix « { $label } »
add-card-submit = Ajouter la carte

delete-dialogue-heading = Supprimer
delete-dialogue-hint = La suppression efface le brouillon et la version publiée. C’est définitif.
delete-dialogue-submit = Supprimer ce dialogue
delete-dialogue-confirm = Supprimer le dialogue « { $name } » ? C’est définitif.

refused-after-live-chat = « { $card } » n’a pas été ajoutée : « { $live } » est une carte de chat en direct. Elle confie le visiteur à un agent, donc rien ne peut la suivre. Ajoutez « { $card } » après une autre carte ou un autre choix.
refused-back-to-start = « { $card } » ne peut pas mener à « { $start } » : chaque visiteur commence par la première carte, aucune carte ne peut donc y revenir.
refused-duplicate = Une carte s’appelle déjà « { $card } ». Choisissez un autre nom.
refused-unreached = « { $card } » ne peut plus être atteinte depuis la première carte (une branche reviendrait en arrière). Reliez-la depuis une autre carte ou un autre choix.
refused-card = La carte « { $card } » a été refusée : { $reason }

warning-no-question = Aucune question avant ce transfert : demandez aux visiteurs s’ils veulent parler à quelqu’un.
warning-no-capture = Aucun formulaire ne demande le prénom et l’e-mail avant ce transfert : les agents ne sauront pas à qui ils parlent.

# Textes par langue (les textes d’une carte pour les visiteurs qui lisent une autre langue).
card-translation = Textes pour les visiteurs en { $language }
card-translation-hint = Un champ laissé vide affiche le texte ci-dessus, en { $language }.
designer-lang-en = anglais
designer-lang-fr = français
cards-one-language = Chaque visiteur lit ces cartes en { $language }. Pour accueillir aussi des visiteurs dans une autre langue, ajoutez-la aux langues du widget.
cards-languages-link = Choisir les langues du widget
