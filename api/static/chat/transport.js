// Talking to the api: which conversation this tab holds, and sending a
// message to POST /api/v1/chat (with its timeout, and dropping late replies
// after "Start again").
import { page, showInputError, setTyping, scrollToNode } from "./dom.js";
import { addUserMessage, addError, handleReply, removeQuickReplies } from "./cards.js";

var ENDPOINT = "/api/v1/chat";
// The server issues the conversation in an HttpOnly cookie the page never
// sees. The page only keeps a random mark of the conversation it started,
// per tab (sessionStorage) and for the browser (localStorage), so that a new
// tab starts its own conversation and a tab whose conversation was replaced
// by a newer one in another tab never goes on with that other family's case.
var TAB_KEY = "navigator.conversation";
var BROWSER_KEY = "navigator.latest_conversation";
var REQUEST_TIMEOUT_MS = 30000;
var MAX_CHARS = 2000;

var pending = null; // the AbortController of the request in flight
var conversation = 0; // bumped by "Start again" so late replies are dropped
var started = stored("sessionStorage", TAB_KEY); // null: no conversation in this tab yet
var startNew = !started;

// ---- which conversation this tab holds ---------------------------------------

function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues works everywhere.
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.prototype.map.call(bytes, function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");
}

function stored(storage, key) {
  try {
    return window[storage].getItem(key);
  } catch (e) {
    return null; // storage blocked: the mark lives only as long as the page
  }
}

function store(storage, key, value) {
  try {
    window[storage].setItem(key, value);
  } catch (e) {
    /* storage blocked: keep the mark in memory only */
  }
}

// The server started the conversation this tab asked for: remember it.
function conversationStarted() {
  started = randomId();
  startNew = false;
  store("sessionStorage", TAB_KEY, started);
  store("localStorage", BROWSER_KEY, started);
}

// True when another tab or window of this browser has started a newer
// conversation since this tab started its own (the cookie is the browser's).
function replacedElsewhere() {
  var latest = stored("localStorage", BROWSER_KEY);
  return Boolean(!startNew && started && latest && latest !== started);
}

function readJson(response) {
  return response.text().then(function (text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (e) {
      return null;
    }
  });
}

export function send(message, shownText, fromQuickReply) {
  if (pending) {
    return;
  }
  var text = String(message || "").trim();
  if (!text) {
    showInputError("Type a message about the baby and family, then press Send.");
    page.input.focus();
    return;
  }
  if (text.length > MAX_CHARS) {
    showInputError("Your message is too long. Keep it under " + MAX_CHARS + " characters.");
    page.input.focus();
    return;
  }
  if (replacedElsewhere()) {
    showInputError("This conversation was replaced by one started in another tab or window. " +
      "Press Start again to begin a new conversation here.");
    page.restartButton.focus();
    return;
  }
  showInputError("");
  var focusWasInQuickReplies = removeQuickReplies();
  var keepFocusOnInput = fromQuickReply || focusWasInQuickReplies || document.activeElement === page.input;
  addUserMessage(shownText || text);
  if (!fromQuickReply) {
    page.input.value = "";
  }
  if (focusWasInQuickReplies) {
    page.input.focus({ preventScroll: true });
  }
  setTyping(true);

  var thisConversation = conversation;
  var controller = new AbortController();
  pending = controller;
  var timer = window.setTimeout(function () {
    controller.abort();
  }, REQUEST_TIMEOUT_MS);

  fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(startNew ? { message: text, new_conversation: true } : { message: text }),
    signal: controller.signal,
    credentials: "same-origin",
  }).then(function (response) {
    return readJson(response).then(function (body) {
      return { response: response, body: body };
    });
  }).then(function (result) {
    if (thisConversation !== conversation) {
      return null;
    }
    // 200 and 503 answer within a conversation (the server started it if asked).
    if (startNew && (result.response.ok || result.response.status === 503)) {
      conversationStarted();
    }
    return handleReply(result.response, result.body);
  }, function () {
    if (thisConversation !== conversation) {
      return null;
    }
    return addError("The navigator did not answer. Check your connection and try again. " +
      "If a baby is in immediate danger, call 999.");
  }).then(function (first) {
    window.clearTimeout(timer);
    if (pending === controller) {
      pending = null;
    }
    if (thisConversation !== conversation) {
      return;
    }
    setTyping(false);
    scrollToNode(first);
    if (keepFocusOnInput) {
      page.input.focus({ preventScroll: true });
    }
  });
}

// "Start again": drop any reply still on its way, and ask the server for a
// new conversation with the next message.
export function forgetConversation() {
  conversation += 1;
  if (pending) {
    pending.abort();
    pending = null;
  }
  startNew = true;
}
