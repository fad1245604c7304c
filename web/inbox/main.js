/* The inbox's entry module: starts the others on the /inbox page and routes each frame of the
 * agent socket, by its type, to the module that handles it. */

import { startAuth } from "./api.js";
import * as chats from "./chats.js";
import * as compose from "./compose.js";
import * as offers from "./offers.js";
import * as socket from "./socket.js";

const FRAMES = {
  hello: (f) => socket.resume(f.conversations, chats.resumeFrom),
  offer: (f) => offers.showOffer(f),
  offer_withdrawn: (f) => offers.dropOffer(f.offer_id),
  conversation_assigned: (f) => chats.assigned(f.conversation_id),
  conversation_joined: (f) => chats.joined(f.conversation_id),
  conversation_left: (f) => chats.left(f.conversation_id),
  conversation_transferred: (f) => { chats.transferred(f.conversation_id, f.to_agent_id); compose.transferDone(f); },
  transfer_failed: (f) => compose.transferFailed(f),
  message: (f) => chats.addMessage(f),
  typing: (f) => chats.showTyping(f),
  conversation_ended: (f) => chats.ended(f.conversation_id),
  availability_changed: (f) => offers.availabilityChanged(f),
  // Only an error naming a message concerns the page: that message was refused.
  error: (f) => { if (f.client_id) chats.dropUnsent(f.client_id, f.detail); }
};

const root = document.getElementById("inbox");
if (root) {
  startAuth(root);
  chats.startChats(root);
  compose.startCompose();
  offers.startOffers(root);
  chats.loadPastChats();
  socket.connect(FRAMES);
}
