// Talking to the api: which conversation this tab holds, and sending a
// message to POST /api/v1/chat (with its timeout, and dropping late replies
// after "Start again").
import { page, el, showInputError, setTyping, scrollToNode } from "./dom.js";
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
// When the api is busy (503 or 429 with Retry-After) the page waits that long
// and sends the same message again, at most this many times.
var BUSY_RETRIES = 2;
var MAX_BUSY_WAIT_SECONDS = 30;

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

// Seconds the api asked us to wait (Retry-After on a 503 or 429), or null.
function busyWait(response) {
  if (response.status !== 503 && response.status !== 429) {
    return null;
  }
  var seconds = Number(response.headers.get("Retry-After"));
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_BUSY_WAIT_SECONDS ? seconds : null;
}

// "The navigator is busy — trying again in N seconds", counting down, with a
// button to try at once. Resolves true to send again, false if the send was
// dropped meanwhile ("Start again").
function waitWhileBusy(seconds, signal) {
  var notice = el("div", "chat-message chat-message--bot chat-busy");
  notice.appendChild(el("p", "chat-message__author", "Navigator"));
  var body = el("div", "chat-message__body");
  var line = el("p");
  var now = el("button", "nhsuk-button nhsuk-button--secondary nhsuk-button--small", "Try again now");
  now.type = "button";
  body.appendChild(line);
  body.appendChild(now);
  notice.appendChild(body);
  page.log.appendChild(notice);
  scrollToNode(notice);
  return new Promise(function (resolve) {
    var left = seconds;
    var ticker = null;
    function show() {
      line.textContent = "The navigator is busy — trying again in " + left +
        (left === 1 ? " second." : " seconds.");
    }
    function done(again) {
      window.clearInterval(ticker);
      signal.removeEventListener("abort", dropped);
      if (notice.parentNode) {
        notice.parentNode.removeChild(notice);
      }
      resolve(again);
    }
    function dropped() {
      done(false);
    }
    show();
    page.statusRegion.textContent = line.textContent;
    ticker = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        done(true);
      } else {
        show();
      }
    }, 1000);
    now.addEventListener("click", function () {
      done(true);
    });
    signal.addEventListener("abort", dropped);
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
  var timer = null;

  // One try; when the api is busy, wait as it asks and try again (at most
  // BUSY_RETRIES times). Resolves to the first node of what was shown.
  function attempt(retriesLeft) {
    timer = window.setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    return fetch(ENDPOINT, {
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
      window.clearTimeout(timer);
      if (thisConversation !== conversation) {
        return null;
      }
      // 200 and 503 answer within a conversation (the server started it if asked).
      if (startNew && (result.response.ok || result.response.status === 503)) {
        conversationStarted();
      }
      var wait = busyWait(result.response);
      if (wait !== null && retriesLeft > 0) {
        return waitWhileBusy(wait, controller.signal).then(function (again) {
          return again && thisConversation === conversation ? attempt(retriesLeft - 1) : null;
        });
      }
      if (wait !== null && !fromQuickReply && !page.input.value) {
        page.input.value = text; // still busy: the message is kept to send by hand
      }
      return handleReply(result.response, result.body);
    }, function () {
      window.clearTimeout(timer);
      if (thisConversation !== conversation) {
        return null;
      }
      return addError("The navigator did not answer. Check your connection and try again. " +
        "If a baby is in immediate danger, call 999.");
    });
  }

  attempt(BUSY_RETRIES).then(function (first) {
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
