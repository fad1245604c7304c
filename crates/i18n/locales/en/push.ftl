## Web Push notifications.

push-offer-title = New live chat request
push-offer-body = { $who } wants to talk to you. Accept before it expires.
push-a-visitor = A visitor
