// What the navigator says, drawn as NHS.UK components: messages, quick-reply
// buttons, the recommendation cards, the handover summary and the outage card.
import {
  page, el, visuallyHidden, tag, list, asList, phoneLink, formatText, formatDate,
  postcodeSector, announce,
} from "./dom.js";

var RESTART_PAYLOADS = ["/restart", "/start_again"];
var TIER_LABELS = {
  urgent: "Act now: urgent safeguarding or crisis action",
  lmm_referral: "Refer to Little Minds Matter",
  lmm_consultation: "Talk it through with Little Minds Matter (consultation)",
  signpost: "Signpost to another service",
};
var ROLE_LABELS = { primary: "Best fit", also_consider: "Also consider" };
var MISSING_LABELS = {
  age: "the baby's age (or how many weeks pregnant)",
  postcode: "the postcode (the first part and one more character is enough, for example BD3 9)",
  concerns: "what worries you about the baby and family",
  consent_to_referral: "whether the family agrees to a referral",
  duration: "how long this has been going on",
};

var recommendationCount = 0;

// What a quick-reply button does: main.js sets these (send, start again).
var quickReplyActions = { choose: function () {}, restart: function () {} };

export function onQuickReply(choose, restart) {
  quickReplyActions.choose = choose;
  quickReplyActions.restart = restart;
}

export function resetRecommendations() {
  recommendationCount = 0;
}

// ---- messages ---------------------------------------------------------------

function addMessage(author, extraClass) {
  var isUser = author === "user";
  var wrapper = el("div", "chat-message " + (isUser ? "chat-message--user" : "chat-message--bot") +
    (extraClass ? " " + extraClass : ""));
  wrapper.appendChild(el("p", "chat-message__author", isUser ? "You" : "Navigator"));
  var body = el("div", "chat-message__body");
  wrapper.appendChild(body);
  page.log.appendChild(wrapper);
  return body;
}

export function addUserMessage(text) {
  var body = addMessage("user");
  body.appendChild(el("p", null, text));
}

export function addBotMessage(message) {
  var body = addMessage("bot");
  body.appendChild(formatText(message.text));
  addQuickReplies(body, message.buttons);
  return body.parentNode;
}

function addQuickReplies(parent, buttonList) {
  var seen = {};
  var buttons = asList(buttonList).filter(function (button) {
    var key = button && String(button.payload || button.title || "");
    if (!key || seen[key]) {
      return false;
    }
    seen[key] = true;
    return true;
  });
  if (buttons.length) {
    var group = el("div", "chat-quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Quick replies");
    buttons.forEach(function (button) {
      var title = String(button.title || button.payload);
      var node = el("button", "nhsuk-button nhsuk-button--secondary nhsuk-button--small", title);
      node.type = "button";
      node.addEventListener("click", function () {
        if (RESTART_PAYLOADS.indexOf(button.payload) !== -1) {
          quickReplyActions.restart(); // the page's own "Start again": a fresh conversation and id
          return;
        }
        quickReplyActions.choose(String(button.payload || title), title);
      });
      group.appendChild(node);
    });
    parent.appendChild(group);
  }
}

export function removeQuickReplies() {
  var hadFocus = false;
  Array.prototype.slice.call(page.log.querySelectorAll(".chat-quick-replies")).forEach(function (group) {
    if (group.contains(document.activeElement)) {
      hadFocus = true;
    }
    group.parentNode.removeChild(group);
  });
  return hadFocus;
}

// ---- the recommendation -----------------------------------------------------

function careCard(variant, hiddenPrefix, headingText) {
  var card = el("div", "nhsuk-card nhsuk-card--care nhsuk-card--care--" + variant);
  var container = el("div", "nhsuk-card__heading-container");
  var heading = el("h3", "nhsuk-card__heading");
  heading.tabIndex = -1;
  var span = el("span");
  span.setAttribute("role", "text");
  span.appendChild(visuallyHidden(hiddenPrefix + ": "));
  span.appendChild(document.createTextNode(headingText));
  heading.appendChild(span);
  container.appendChild(heading);
  var arrow = el("span", "nhsuk-card--care__arrow");
  arrow.setAttribute("aria-hidden", "true");
  container.appendChild(arrow);
  card.appendChild(container);
  var content = el("div", "nhsuk-card__content");
  card.appendChild(content);
  return { card: card, content: content, heading: heading };
}

function plainCard(headingText, headingClass, extraClass) {
  var card = el("div", "nhsuk-card" + (extraClass ? " " + extraClass : ""));
  var content = el("div", "nhsuk-card__content");
  var heading = el(headingClass === "h4" ? "h4" : "h3", "nhsuk-card__heading nhsuk-heading-s", headingText);
  heading.tabIndex = -1;
  content.appendChild(heading);
  card.appendChild(content);
  return { card: card, content: content, heading: heading };
}

function tierCard(rec) {
  var tier = rec.tier;
  var label = TIER_LABELS[tier] || "Recommendation";
  var parts;
  if (tier === "urgent") {
    parts = careCard("emergency", "Immediate action required", rec.headline || label);
    parts.content.appendChild(el("p", null, label));
  } else if (tier === "lmm_referral" || tier === "lmm_consultation") {
    parts = careCard("non-urgent", "Recommendation", label);
    if (rec.headline) {
      parts.content.appendChild(el("p", null, rec.headline));
    }
  } else {
    parts = plainCard(label, "h3", "chat-signpost");
    if (rec.headline) {
      parts.content.appendChild(el("p", null, rec.headline));
    }
  }
  var steps = asList(rec.next_steps);
  if (steps.length) {
    parts.content.appendChild(el("h4", "nhsuk-heading-xs", "What to do next"));
    parts.content.appendChild(list(steps, true));
  }
  var missing = asList(rec.missing);
  if (missing.length) {
    parts.content.appendChild(el("h4", "nhsuk-heading-xs", "To complete this answer, tell me"));
    parts.content.appendChild(list(missing.map(function (code) {
      return MISSING_LABELS[code] || String(code).replace(/_/g, " ");
    })));
  }
  var reasons = asList(rec.eligibility_reasons);
  var trace = asList(rec.trace);
  if (reasons.length || trace.length) {
    parts.content.appendChild(whyDetails(reasons, trace));
  }
  return parts;
}

function whyDetails(reasons, trace) {
  var details = el("details", "nhsuk-details");
  var summary = el("summary", "nhsuk-details__summary");
  summary.appendChild(el("span", "nhsuk-details__summary-text", "Why the navigator says this"));
  details.appendChild(summary);
  var text = el("div", "nhsuk-details__text");
  if (reasons.length) {
    text.appendChild(el("p", null, "Eligibility for Little Minds Matter:"));
    text.appendChild(list(reasons));
  }
  if (trace.length) {
    text.appendChild(el("p", null, "Pathway rules that applied:"));
    text.appendChild(list(trace.map(function (step) {
      if (!step || typeof step !== "object") {
        return String(step);
      }
      return [step.rule, step.summary].filter(Boolean).join(": ");
    })));
  }
  details.appendChild(text);
  return details;
}

function section(parent, headingText, items) {
  if (!items.length) {
    return;
  }
  parent.appendChild(el("p", "nhsuk-u-margin-bottom-1", null)).appendChild(el("strong", null, headingText));
  parent.appendChild(list(items));
}

function labelled(parent, headingText, text) {
  if (!text) {
    return;
  }
  parent.appendChild(el("p", "nhsuk-u-margin-bottom-1", null)).appendChild(el("strong", null, headingText));
  parent.appendChild(el("p", null, text));
}

function contactList(contact) {
  var items = el("ul", "chat-contact-list");
  if (contact.phone) {
    var phoneItem = el("li", null, "Phone: ");
    phoneItem.appendChild(phoneLink(contact.phone));
    if (contact.phone_uncertain) {
      var flag = tag("To be confirmed", "yellow");
      flag.classList.add("chat-tbc");
      phoneItem.appendChild(document.createTextNode(" "));
      phoneItem.appendChild(flag);
      phoneItem.appendChild(el("span", "nhsuk-body-s",
        " This number is to be confirmed by Little Minds Matter staff: check it before you rely on it."));
      if (contact.verification_note) {
        var unconfirmed = String(contact.verification_note);
        phoneItem.appendChild(el("span", "nhsuk-body-s chat-unconfirmed",
          " " + unconfirmed.charAt(0).toUpperCase() + unconfirmed.slice(1)));
      }
    }
    if (contact.phone_note) {
      phoneItem.appendChild(el("span", "nhsuk-body-s", " " + contact.phone_note));
    }
    items.appendChild(phoneItem);
  }
  if (contact.email && /^[^\s@]+@[^\s@]+$/.test(contact.email)) {
    var emailItem = el("li", null, "Email: ");
    var mail = el("a", null, contact.email);
    mail.href = "mailto:" + contact.email;
    emailItem.appendChild(mail);
    items.appendChild(emailItem);
  }
  if (contact.url && /^https?:\/\//i.test(contact.url)) {
    var urlItem = el("li", null, "Website: ");
    var anchor = el("a", null, contact.url.replace(/^https?:\/\/(www\.)?/i, "").replace(/\/$/, ""));
    anchor.href = contact.url;
    anchor.rel = "noopener noreferrer";
    urlItem.appendChild(anchor);
    items.appendChild(urlItem);
  }
  if (contact.hours) {
    items.appendChild(el("li", null, "Hours: " + contact.hours));
  }
  return items.childNodes.length ? items : null;
}

function serviceCard(service) {
  var parts = plainCard(service.name || "Service", "h4", "chat-service");
  var content = parts.content;
  var tags = el("p", "chat-service__role");
  tags.appendChild(tag(ROLE_LABELS[service.role] || "Service", service.role === "primary" ? "blue" : "grey"));
  if (service.needs_verification) {
    tags.appendChild(document.createTextNode(" "));
    tags.appendChild(tag("To be confirmed", "yellow"));
  }
  content.appendChild(tags);
  var remit = service.remit || {};
  section(content, "What it does", asList(remit.does));
  section(content, "What it does not do", asList(remit.does_not));
  labelled(content, "Who it is for", service.eligibility);
  labelled(content, "How to refer", service.how_to_refer);
  var contacts = contactList(service.contact || {});
  if (contacts) {
    content.appendChild(el("p", "nhsuk-u-margin-bottom-1", null)).appendChild(el("strong", null, "Contact"));
    content.appendChild(contacts);
  }
  var checked = el("p", "nhsuk-body-s chat-service__checked");
  checked.textContent = service.last_verified
    ? "Details last checked on " + formatDate(service.last_verified) + "."
    : "Date these details were last checked is not recorded.";
  if (service.needs_verification) {
    checked.textContent += " Some details are to be confirmed by Little Minds Matter staff.";
  } else if (service.stale) {
    checked.textContent += " That was a while ago: check the details before you rely on them.";
  }
  content.appendChild(checked);
  return parts.card;
}

function handoverText(rec) {
  var lines = ["Early Years Pathway Navigator: handover summary"];
  lines.push("Outcome: " + (TIER_LABELS[rec.tier] || rec.tier || "not given"));
  if (rec.headline) {
    lines.push("Summary: " + rec.headline);
  }
  lines.push("Age or stage: " + (rec.age && rec.age.text ? rec.age.text : "not given"));
  var sector = postcodeSector(rec.postcode && rec.postcode.normalised);
  lines.push("Postcode area: " + (sector || "not given"));
  var concerns = asList(rec.concerns).map(function (concern) {
    if (!concern || typeof concern !== "object") {
      return String(concern);
    }
    return (concern.label || concern.code) + (concern.red_flag ? " (red flag)" : "");
  });
  lines.push("Concerns: " + (concerns.length ? concerns.join("; ") : "none recorded"));
  if (rec.lmm_eligible === true || rec.lmm_eligible === false) {
    lines.push("Eligible for Little Minds Matter: " + (rec.lmm_eligible ? "yes" : "no"));
  } else if ("lmm_eligible" in rec) {
    lines.push("Eligible for Little Minds Matter: not known yet");
  }
  var services = asList(rec.services);
  if (services.length) {
    lines.push("", "Services:");
    services.forEach(function (service) {
      var contact = service.contact || {};
      var bits = [service.name + " (" + (ROLE_LABELS[service.role] || "service").toLowerCase() + ")"];
      if (service.how_to_refer) {
        bits.push("how to refer: " + service.how_to_refer);
      }
      if (contact.phone) {
        bits.push("phone " + contact.phone + (contact.phone_uncertain ? " (to be confirmed)" : ""));
      }
      lines.push("- " + bits.join("; "));
    });
  }
  var steps = asList(rec.next_steps);
  if (steps.length) {
    lines.push("", "Next steps:");
    steps.forEach(function (step, index) {
      lines.push(index + 1 + ". " + step);
    });
  }
  var missing = asList(rec.missing);
  if (missing.length) {
    lines.push("", "Not yet known: " + missing.map(function (code) {
      return String(code).replace(/_/g, " ");
    }).join(", "));
  }
  var stamp = "Generated " + formatDate(new Date().toISOString().slice(0, 10));
  if (rec.knowledge_version !== undefined && rec.knowledge_version !== null) {
    stamp += " from knowledge base version " + rec.knowledge_version;
  }
  lines.push("", stamp + ".");
  return lines.join("\n");
}

function copyText(text, textarea) {
  function fallback() {
    textarea.focus();
    textarea.select();
    try {
      return Promise.resolve(document.execCommand("copy"));
    } catch (e) {
      return Promise.resolve(false);
    }
  }
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(function () {
      return true;
    }, fallback);
  }
  return fallback();
}

function handoverCard(rec) {
  recommendationCount += 1;
  var card = page.handoverTemplate.content.firstElementChild.cloneNode(true);
  var id = "handover-text-" + recommendationCount;
  var label = card.querySelector("[data-role=label]");
  var textarea = card.querySelector("[data-role=text]");
  var button = card.querySelector("[data-role=copy]");
  var status = card.querySelector("[data-role=status]");
  label.htmlFor = id;
  textarea.id = id;
  textarea.value = handoverText(rec);
  button.addEventListener("click", function () {
    copyText(textarea.value, textarea).then(function (ok) {
      status.textContent = ok
        ? "Copied. Paste it into the referral or consultation form."
        : "Could not copy automatically. The text is selected: press Ctrl and C (or Cmd and C on a Mac) to copy it.";
      status.classList.toggle("chat-handover__status--failed", !ok);
      if (!ok) {
        textarea.focus();
        textarea.select();
      }
    });
  });
  return card;
}

function urgentAnnouncement(rec) {
  return "Urgent: " + (rec.headline || TIER_LABELS.urgent);
}

export function addRecommendation(rec, quiet) {
  var wrapper = el("div", "chat-message chat-message--bot chat-recommendation");
  wrapper.setAttribute("data-tier", rec.tier || "");
  wrapper.appendChild(el("p", "chat-message__author", "Navigator recommendation"));
  var tier = tierCard(rec);
  wrapper.appendChild(tier.card);
  var services = asList(rec.services);
  if (services.length) {
    wrapper.appendChild(el("h3", "nhsuk-heading-s", services.length === 1 ? "Service" : "Services"));
    services.forEach(function (service) {
      wrapper.appendChild(serviceCard(service));
    });
  }
  if (page.handoverTemplate && rec.tier) {
    wrapper.appendChild(handoverCard(rec));
  }
  page.log.appendChild(wrapper);
  if (rec.tier === "urgent" && !quiet) {
    announce(page.alertRegion, urgentAnnouncement(rec));
  }
  return wrapper;
}

// ---- when the chat service is down (503) -------------------------------------

function outageParts(body) {
  var texts = [];
  var earlier = [];
  var contacts = [];
  var recommendation = null;
  function collect(source) {
    if (!source) {
      return;
    }
    if (typeof source === "string") {
      texts.push(source);
      return;
    }
    if (typeof source !== "object") {
      return;
    }
    asList(source.messages).forEach(function (message) {
      if (typeof message === "string") {
        texts.push(message);
      } else if (message && isRecommendationText(message)) {
        earlier.push(message.text); // the urgent guidance: shown as cards
      } else if (message) {
        texts.push(message.text); // the direct contacts and anything else
      }
    });
    if (typeof source.message === "string") {
      texts.push(source.message);
    }
    contacts = contacts.concat(asList(source.contacts));
    if (source.recommendation && typeof source.recommendation === "object") {
      recommendation = source.recommendation;
    }
    if (source.detail && !asList(source.messages).length) {
      collect(source.detail);
    }
  }
  collect(body);
  if (!recommendation) {
    texts = earlier.concat(texts); // no cards to show them: keep them in view
    earlier = [];
  }
  texts = texts.filter(Boolean);
  earlier = earlier.filter(Boolean);
  return { texts: texts, earlier: earlier, contacts: contacts, recommendation: recommendation };
}

export function addOutage(body) {
  var parts = outageParts(body);
  var wrapper = el("div", "chat-message chat-message--bot chat-outage");
  wrapper.appendChild(el("p", "chat-message__author", "Navigator"));
  var card = el("div", "nhsuk-card nhsuk-card--warning");
  var content = el("div", "nhsuk-card__content");
  var heading = el("h3", "nhsuk-card__heading", "The navigator cannot answer right now");
  heading.tabIndex = -1;
  content.appendChild(heading);
  (parts.texts.length ? parts.texts : ["The chat service is not available. Use the contacts below, and try again later."])
    .forEach(function (text) {
      content.appendChild(formatText(text));
    });
  if (parts.contacts.length) {
    var items = el("ul", "chat-contact-list chat-outage__contacts");
    parts.contacts.forEach(function (contact) {
      if (!contact || typeof contact !== "object") {
        items.appendChild(el("li", null, String(contact)));
        return;
      }
      var item = el("li");
      item.appendChild(el("strong", null, contact.name || contact.label || "Contact"));
      var when = contact.when || contact.description || contact.hours || contact.note;
      if (when) {
        item.appendChild(document.createTextNode(" (" + when + ")"));
      }
      var details = contactList(contact);
      if (details) {
        item.appendChild(details);
      }
      items.appendChild(item);
    });
    content.appendChild(items);
  }
  card.appendChild(content);
  wrapper.appendChild(card);
  page.log.appendChild(wrapper);
  var rec = parts.recommendation;
  var outageNews = "The navigator cannot answer right now. Contacts to use instead are shown.";
  announce(page.alertRegion, rec && rec.tier === "urgent" ? urgentAnnouncement(rec) + " " + outageNews : outageNews);
  if (rec) {
    var cards = addRecommendation(rec, true);
    addPlainTextVersion(cards, parts.earlier.map(function (text) {
      return { text: text };
    }));
  }
  return wrapper;
}

export function addError(text) {
  var body = addMessage("bot", "chat-message--error");
  body.appendChild(el("p", null, text));
  return body.parentNode;
}

export function errorDetail(body) {
  if (!body) {
    return "";
  }
  if (typeof body.detail === "string") {
    return body.detail;
  }
  if (Array.isArray(body.detail)) {
    return body.detail.map(function (item) {
      return item && item.msg ? item.msg : "";
    }).filter(Boolean).join(" ");
  }
  return typeof body.message === "string" ? body.message : "";
}


// On the turn that carries a recommendation, the bot's text messages spell
// out the same answer: the cards show it, and the text stays one click away
// (collapsed) for anyone who prefers it. Their buttons stay visible.
export function addPlainTextVersion(wrapper, messages) {
  var texts = messages.map(function (message) {
    return message && message.text;
  }).filter(Boolean);
  if (texts.length) {
    var details = el("details", "nhsuk-details chat-plain-text");
    var summary = el("summary", "nhsuk-details__summary");
    summary.appendChild(el("span", "nhsuk-details__summary-text", "Read this answer as plain text"));
    details.appendChild(summary);
    var inner = el("div", "nhsuk-details__text");
    texts.forEach(function (text) {
      inner.appendChild(formatText(text));
    });
    details.appendChild(inner);
    wrapper.appendChild(details);
  }
  var buttons = [];
  messages.forEach(function (message) {
    buttons = buttons.concat(asList(message && message.buttons));
  });
  addQuickReplies(wrapper, buttons);
}

// Which of the turn's messages spell out the recommendation (the cards show
// those) and which say something else, such as a question asked in the same
// turn, which must stay in view. The api marks each message with its kind;
// a message without one is plain text and is shown, never hidden.
var RECOMMENDATION_KINDS = ["recommendation", "handover", "urgent"];

function isRecommendationText(message) {
  return RECOMMENDATION_KINDS.indexOf(message && message.kind) !== -1;
}

function splitRecommendationText(messages) {
  var parts = { before: [], recommendation: [], after: [] };
  messages.forEach(function (message) {
    if (isRecommendationText(message)) {
      parts.recommendation.push(message);
    } else if (parts.recommendation.length) {
      parts.after.push(message);
    } else {
      parts.before.push(message);
    }
  });
  return parts;
}

export function handleReply(response, body) {
  var first = null;
  function keep(node) {
    first = first || node;
  }
  if (response.status === 503) {
    keep(addOutage(body || {}));
  } else if (response.ok && body) {
    var messages = asList(body.messages).filter(function (message) {
      return message && (message.text || asList(message.buttons).length);
    });
    var rec = body.recommendation && typeof body.recommendation === "object" ? body.recommendation : null;
    if (rec) {
      var parts = splitRecommendationText(messages);
      parts.before.forEach(function (message) {
        keep(addBotMessage(message));
      });
      var wrapper = addRecommendation(rec);
      addPlainTextVersion(wrapper, parts.recommendation);
      keep(wrapper);
      parts.after.forEach(function (message) {
        addBotMessage(message);
      });
    } else {
      messages.forEach(function (message) {
        keep(addBotMessage(message));
      });
    }
    if (!first) {
      keep(addBotMessage({ text: "Sorry, I have no answer to that. Try saying it another way, or press Start again." }));
    }
  } else if (response.status === 422 || response.status === 400) {
    keep(addError("I could not send that. " + (errorDetail(body) || "Check the message and try again.")));
  } else if (response.status === 429) {
    keep(addError("Too many messages in a short time. Wait a moment, then try again."));
  } else {
    keep(addError("Something went wrong (error " + response.status + "). Try again. " +
      "If a baby is in immediate danger, call 999."));
  }
  return first;
}
