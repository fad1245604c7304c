/* The agent socket: connecting, reconnecting with a growing delay, resuming conversations
 * after a (re)connection, and handing each incoming frame to the handler its type names in
 * the table given to connect(). */

import { accessToken, refreshToken } from "./api.js";
import { $, t } from "./dom.js";

let socket = null;
let retry = 0;
let frames = {};
// Set on every new connection and cleared by its first hello: messages the server had not
// acknowledged when the old connection dropped are sent once more then.
let resendUnacknowledged = false;

/** `table` maps a frame's `type` to its handler; frames of other types are ignored. */
export function connect(table) {
  frames = table;
  open();
}

function open() {
  socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/v1/ws/agent?token=" +
    encodeURIComponent(accessToken()));
  socket.onopen = () => { retry = 0; $("sb-connection").textContent = t("inbox-connected"); };
  resendUnacknowledged = true;
  socket.onmessage = (ev) => dispatch(JSON.parse(ev.data));
  socket.onclose = (ev) => {
    $("sb-connection").textContent = t("inbox-reconnecting");
    retry = Math.min(retry + 1, 6);
    // 1008: this token was revoked or has expired. Ask the session for another first; a
    // refusal means the agent logged out (elsewhere): refreshToken() goes to the login page.
    const ready = ev.code === 1008 ? refreshToken() : Promise.resolve();
    ready.then(() => setTimeout(open, 500 * retry), () => {});
  };
}

function dispatch(frame) {
  // Own keys only: a frame typed "constructor" or "toString" must not reach Object's.
  if (Object.prototype.hasOwnProperty.call(frames, frame.type)) frames[frame.type](frame);
}

export function isOpen() {
  return socket !== null && socket.readyState === WebSocket.OPEN;
}

export function send(frame) {
  socket.send(JSON.stringify(frame));
}

export function sendMessage(conversationId, body, clientId) {
  send({ type: "message", conversation_id: conversationId, body, client_id: clientId });
}

/** Answers a hello: each of the agent's conversations resumes after the last message this
 * page holds. `resumeFrom(id)` gives `{afterSeq, unacknowledged}` for one conversation; the
 * unacknowledged messages go again with their client ids, so the server drops duplicates. */
export function resume(conversations, resumeFrom) {
  conversations.forEach((h) => {
    const id = h.conversation_id;
    const point = resumeFrom(id);
    send({ type: "resume", conversation_id: id, after_seq: point.afterSeq });
    if (resendUnacknowledged) {
      point.unacknowledged.forEach((m) => sendMessage(id, m.body, m.client_id));
    }
  });
  resendUnacknowledged = false;
}
