## Notifications Web Push.

push-offer-title = Nouvelle demande de conversation
push-offer-body = { $who } souhaite vous parler. Acceptez avant l’expiration.
push-a-visitor = Un visiteur
