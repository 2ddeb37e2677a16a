// What the navigator says, drawn as NHS.UK components: messages, quick-reply
// buttons, the recommendation cards, the handover summary and the outage card.
import {
  page, el, visuallyHidden, tag, list, asList, phoneLink, formatText, formatDate,
  postcodeSector, announce,
} from "./dom.js";

var RESTART_PAYLOADS = ["/restart", "/start_again"];

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
//
// Short first: the tier, one sentence saying what to do now and the primary
// service's contact and how to refer fit on the first phone screen. The other
// services follow as a compact "also consider" list whose remits fold open on
// demand, then the handover summary (copy, print, or open as a one-page
// referral or consultation request). The words come from the engine's
// ``presentation`` (pathways/presentation.py): the page keeps no copy of them.

function words(rec) {
  var given = rec.presentation && typeof rec.presentation === "object" ? rec.presentation : {};
  return {
    tierLabel: given.tier_label || "Recommendation",
    doNow: given.do_now || rec.headline || "",
    primary: given.primary_service || null,
    checked: given.checked && typeof given.checked === "object" ? given.checked : {},
    missing: asList(given.missing),
    handover: given.handover || "",
  };
}

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

// The tier and what to do now: the answer's first lines.
function tierCard(rec, said) {
  var tier = rec.tier;
  var parts;
  if (tier === "urgent") {
    parts = careCard("emergency", "Immediate action required", said.tierLabel);
  } else if (tier === "lmm_referral" || tier === "lmm_consultation") {
    parts = careCard("non-urgent", "Recommendation", said.tierLabel);
  } else {
    parts = plainCard(said.tierLabel, "h3", "chat-signpost");
  }
  if (said.doNow) {
    var now = parts.content.appendChild(el("p", "chat-do-now"));
    now.appendChild(visuallyHidden("What to do now: "));
    now.appendChild(document.createTextNode(said.doNow));
  }
  if (tier === "urgent" && rec.headline && rec.headline !== said.doNow) {
    parts.content.appendChild(el("p", null, rec.headline));
  }
  return parts;
}

// Next steps and what is missing, after the primary service.
function stepsSection(rec, said) {
  var box = el("div", "chat-steps");
  var steps = asList(rec.next_steps);
  if (steps.length) {
    box.appendChild(el("h4", "nhsuk-heading-xs", "What to do next"));
    box.appendChild(list(steps, true));
  }
  if (said.missing.length) {
    box.appendChild(el("h4", "nhsuk-heading-xs", "To complete this answer, tell me"));
    box.appendChild(list(said.missing));
  }
  var reasons = asList(rec.eligibility_reasons);
  var trace = asList(rec.trace);
  if (reasons.length || trace.length) {
    box.appendChild(whyDetails(reasons, trace));
  }
  return box.childNodes.length ? box : null;
}

// hiddenText: said to screen readers after the summary (which service it is).
function foldable(summaryText, className, hiddenText) {
  var details = el("details", "nhsuk-details" + (className ? " " + className : ""));
  var summary = el("summary", "nhsuk-details__summary");
  var label = summary.appendChild(el("span", "nhsuk-details__summary-text", summaryText));
  if (hiddenText) {
    label.appendChild(visuallyHidden(" (" + hiddenText + ")"));
  }
  details.appendChild(summary);
  var text = el("div", "nhsuk-details__text");
  details.appendChild(text);
  return { details: details, text: text };
}

function whyDetails(reasons, trace) {
  var fold = foldable("Why the navigator says this", "chat-why");
  if (reasons.length) {
    fold.text.appendChild(el("p", null, "Eligibility for Little Minds Matter:"));
    fold.text.appendChild(list(reasons));
  }
  if (trace.length) {
    fold.text.appendChild(el("p", null, "Pathway rules that applied:"));
    fold.text.appendChild(list(trace.map(function (step) {
      if (!step || typeof step !== "object") {
        return String(step);
      }
      return [step.rule, step.summary].filter(Boolean).join(": ");
    })));
  }
  return fold.details;
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

// The remit ("does / does not / who for"), folded until asked for.
function remitDetails(service, withHowToRefer) {
  var fold = foldable("What it does and who it is for", "chat-remit", service.name || "");
  var remit = service.remit || {};
  section(fold.text, "What it does", asList(remit.does));
  section(fold.text, "What it does not do", asList(remit.does_not));
  labelled(fold.text, "Who it is for", service.eligibility);
  if (withHowToRefer) {
    labelled(fold.text, "How to refer", service.how_to_refer);
  }
  return fold.text.childNodes.length ? fold.details : null;
}

function checkedLine(service, said) {
  var text = said.checked[service.id];
  if (!text) {
    text = service.last_verified
      ? "Details last checked on " + formatDate(service.last_verified) + "."
      : "Date these details were last checked is not recorded.";
  }
  return el("p", "nhsuk-body-s chat-service__checked", text);
}

// The primary service: how to refer and its contact in view, the remit folded.
function primaryCard(service, said) {
  var parts = plainCard(service.name || "Service", "h4", "chat-service chat-service--primary");
  var content = parts.content;
  var tags = el("p", "chat-service__role");
  tags.appendChild(tag("Best fit", "blue"));
  if (service.needs_verification) {
    tags.appendChild(document.createTextNode(" "));
    tags.appendChild(tag("To be confirmed", "yellow"));
  }
  content.appendChild(tags);
  labelled(content, "How to refer", service.how_to_refer);
  var contacts = contactList(service.contact || {});
  if (contacts) {
    content.appendChild(el("p", "nhsuk-u-margin-bottom-1", null)).appendChild(el("strong", null, "Contact"));
    content.appendChild(contacts);
  }
  var remit = remitDetails(service, false);
  if (remit) {
    content.appendChild(remit);
  }
  content.appendChild(checkedLine(service, said));
  return parts.card;
}

// Every other service, one compact item each.
function alsoConsider(services, said) {
  var box = el("div", "chat-also");
  box.appendChild(el("h4", "nhsuk-heading-s", "Also consider"));
  var items = el("ul", "nhsuk-list chat-also__list");
  services.forEach(function (service) {
    var item = el("li", "chat-also__item chat-service");
    var name = item.appendChild(el("p", "chat-also__name"));
    name.appendChild(el("strong", null, service.name || "Service"));
    if (service.role === "primary") {
      name.appendChild(document.createTextNode(" "));
      name.appendChild(tag("Also a good fit", "blue"));
    }
    if (service.needs_verification) {
      name.appendChild(document.createTextNode(" "));
      name.appendChild(tag("To be confirmed", "yellow"));
    }
    if (service.reason) {
      item.appendChild(el("p", "nhsuk-body-s chat-also__reason", service.reason));
    }
    var contact = service.contact || {};
    if (contact.phone) {
      var phone = item.appendChild(el("p", "chat-also__phone", "Phone: "));
      phone.appendChild(phoneLink(contact.phone));
      if (contact.phone_uncertain) {
        phone.appendChild(document.createTextNode(" (to be confirmed)"));
      }
    }
    var fold = foldable("What it does, who it is for, how to refer", "chat-remit", service.name || "");
    var remit = service.remit || {};
    section(fold.text, "What it does", asList(remit.does));
    section(fold.text, "What it does not do", asList(remit.does_not));
    labelled(fold.text, "Who it is for", service.eligibility);
    labelled(fold.text, "How to refer", service.how_to_refer);
    var contacts = contactList(contact);
    if (contacts) {
      fold.text.appendChild(el("p", "nhsuk-u-margin-bottom-1", null)).appendChild(el("strong", null, "Contact"));
      fold.text.appendChild(contacts);
    }
    fold.text.appendChild(checkedLine(service, said));
    item.appendChild(fold.details);
    items.appendChild(item);
  });
  box.appendChild(items);
  return box;
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

// The fields of the one-page request (POST /request, opened in a new tab):
// only what the engine worked out (tier, codes, ids, its reading of age and
// the postcode sector), never anything typed, and never in a URL.
function requestFields(rec) {
  var fields = [["tier", rec.tier]];
  if (rec.age && rec.age.text) {
    fields.push(["age", rec.age.text]);
  }
  var sector = postcodeSector(rec.postcode && rec.postcode.normalised);
  if (sector) {
    fields.push(["postcode_sector", sector]);
  }
  asList(rec.concerns).forEach(function (concern) {
    if (concern && concern.code) {
      fields.push(["concern", concern.code]);
    }
  });
  if (rec.lmm_eligible === true || rec.lmm_eligible === false) {
    fields.push(["lmm_eligible", rec.lmm_eligible ? "yes" : "no"]);
  }
  asList(rec.trace).some(function (step) {
    if (step && /^R-/.test(String(step.rule || ""))) {
      fields.push(["rule", step.rule]);
      return true;
    }
    return false;
  });
  asList(rec.services).forEach(function (service) {
    if (service && service.id) {
      fields.push([service.role === "primary" ? "primary" : "also", service.id]);
    }
  });
  asList(rec.missing).forEach(function (code) {
    fields.push(["missing", code]);
  });
  if (rec.knowledge_version !== undefined && rec.knowledge_version !== null) {
    fields.push(["knowledge_version", rec.knowledge_version]);
  }
  return fields;
}

function handoverCard(rec, said) {
  recommendationCount += 1;
  var card = page.handoverTemplate.content.firstElementChild.cloneNode(true);
  var id = "handover-text-" + recommendationCount;
  var label = card.querySelector("[data-role=label]");
  var textarea = card.querySelector("[data-role=text]");
  var button = card.querySelector("[data-role=copy]");
  var print = card.querySelector("[data-role=print]");
  var status = card.querySelector("[data-role=status]");
  var form = card.querySelector("[data-role=request]");
  label.htmlFor = id;
  textarea.id = id;
  textarea.value = said.handover;
  var printed = card.querySelector("[data-role=printed]");
  if (printed) {
    printed.textContent = said.handover;
  }
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
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
  if (form) {
    requestFields(rec).forEach(function (pair) {
      var input = el("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = String(pair[1]);
      form.appendChild(input);
    });
  }
  return card;
}

function urgentAnnouncement(rec) {
  return "Urgent: " + (rec.headline || words(rec).tierLabel);
}

export function addRecommendation(rec, quiet) {
  var said = words(rec);
  var wrapper = el("div", "chat-message chat-message--bot chat-recommendation");
  wrapper.setAttribute("data-tier", rec.tier || "");
  wrapper.appendChild(el("p", "chat-message__author", "Navigator recommendation"));
  wrapper.appendChild(tierCard(rec, said).card);
  var services = asList(rec.services);
  var primary = services.filter(function (service) {
    return service.id === said.primary;
  })[0] || services.filter(function (service) {
    return service.role === "primary";
  })[0] || services[0];
  if (primary) {
    wrapper.appendChild(primaryCard(primary, said));
  }
  var steps = stepsSection(rec, said);
  if (steps) {
    wrapper.appendChild(steps);
  }
  var others = services.filter(function (service) {
    return service !== primary;
  });
  if (others.length) {
    wrapper.appendChild(alsoConsider(others, said));
  }
  if (page.handoverTemplate && rec.tier && said.handover) {
    wrapper.appendChild(handoverCard(rec, said));
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
