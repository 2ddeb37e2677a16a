// The chat page's elements and small DOM helpers. Every piece of server text
// goes in through textContent, so nothing the server says can run.

export var page = {
  log: document.getElementById("chat-log"),
  form: document.getElementById("chat-form"),
  input: document.getElementById("chat-input"),
  formGroup: document.getElementById("chat-form-group"),
  errorText: document.getElementById("chat-input-error"),
  restartButton: document.getElementById("chat-restart"),
  typing: document.getElementById("chat-typing"),
  statusRegion: document.getElementById("chat-status"),
  alertRegion: document.getElementById("chat-alert"),
  handoverTemplate: document.getElementById("handover-template"),
};
page.welcome = page.log ? page.log.querySelector("[data-welcome]") : null;

var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December"];

var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

export function visuallyHidden(text) {
  return el("span", "nhsuk-u-visually-hidden", text);
}

export function tag(text, colour) {
  return el("strong", "nhsuk-tag" + (colour ? " nhsuk-tag--" + colour : ""), text);
}

export function list(items, ordered) {
  var node = el(ordered ? "ol" : "ul");
  items.forEach(function (item) {
    appendInline(node.appendChild(el("li")), item);
  });
  return node;
}

export function asList(value) {
  if (Array.isArray(value)) {
    return value.filter(function (item) {
      return item !== null && item !== undefined && String(item).trim() !== "";
    });
  }
  return value ? [value] : [];
}

// UK phone numbers (10 or 11 digits starting 0, or 999 / 111) become tel: links.
var PHONE = /(\b0\d{2,4}(?: ?\d{2,4}){1,3}\b|\b999\b|\b111\b)/;

export function phoneLink(number) {
  var link = el("a", null, number);
  link.href = "tel:" + String(number).replace(/[^\d+]/g, "");
  return link;
}

function appendPhones(parent, text) {
  text.split(PHONE).forEach(function (part, index) {
    var digits = part.replace(/\D/g, "");
    var isPhone = index % 2 === 1 &&
      (digits === "999" || digits === "111" || digits.length === 10 || digits.length === 11);
    if (isPhone) {
      parent.appendChild(phoneLink(part));
    } else if (part) {
      parent.appendChild(document.createTextNode(part));
    }
  });
}

// Bold text between ** pairs and phone links; everything else stays plain text.
export function appendInline(parent, text) {
  String(text).split(/(\*\*[^*]+\*\*)/).forEach(function (part) {
    if (/^\*\*[^*]+\*\*$/.test(part)) {
      appendPhones(parent.appendChild(el("strong")), part.slice(2, -2));
    } else if (part) {
      appendPhones(parent, part);
    }
  });
}

// Bot text: blank lines make paragraphs, runs of "- " lines make lists,
// other newlines become line breaks.
var BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/;

export function formatText(text) {
  var fragment = document.createDocumentFragment();
  String(text || "").split(/\n\s*\n/).forEach(function (block) {
    var current = null;
    block.split("\n").forEach(function (line) {
      if (!line.trim()) {
        return;
      }
      var bullet = BULLET.exec(line);
      if (bullet) {
        var ordered = /\d/.test(bullet[0]);
        var tagName = ordered ? "OL" : "UL";
        if (!current || current.tagName !== tagName) {
          current = fragment.appendChild(el(tagName.toLowerCase()));
        }
        appendInline(current.appendChild(el("li")), line.slice(bullet[0].length));
        return;
      }
      if (current && current.tagName === "P") {
        current.appendChild(el("br"));
      } else {
        current = fragment.appendChild(el("p"));
      }
      appendInline(current, line);
    });
  });
  return fragment;
}

export function formatDate(iso) {
  var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
  if (!match) {
    return String(iso || "");
  }
  var month = MONTHS[Number(match[2]) - 1];
  return month ? Number(match[3]) + " " + month + " " + match[1] : String(iso);
}

// "BD3 9LF" -> "BD3 9", "bd39lf" -> "BD3 9", "BD3" -> "BD3". Never a full postcode.
export function postcodeSector(value) {
  var text = String(value || "").toUpperCase().trim();
  if (!text) {
    return "";
  }
  var parts = text.split(/\s+/);
  if (parts.length >= 2 && /^[A-Z]{1,2}\d[A-Z\d]?$/.test(parts[0]) && /^\d/.test(parts[1])) {
    return parts[0] + " " + parts[1].charAt(0);
  }
  var compact = text.replace(/\s+/g, "");
  var full = /^([A-Z]{1,2}\d[A-Z\d]?)(\d)[A-Z]{2}$/.exec(compact);
  if (full) {
    return full[1] + " " + full[2];
  }
  return /^[A-Z]{1,2}\d[A-Z\d]?$/.test(compact) ? compact : "";
}

export function scrollToNode(node) {
  if (node && typeof node.scrollIntoView === "function") {
    node.scrollIntoView({ block: "start", behavior: reducedMotion ? "auto" : "smooth" });
  }
}

export function announce(region, text) {
  if (!region) {
    return;
  }
  // Clear first so the same words are announced again.
  region.textContent = "";
  window.setTimeout(function () {
    region.textContent = text;
  }, 50);
}

// ---- the message form ----------------------------------------------------------

export function setTyping(on) {
  page.typing.hidden = !on;
  page.form.setAttribute("aria-busy", on ? "true" : "false");
  page.statusRegion.textContent = on ? "The navigator is typing…" : "";
}

export function showInputError(text) {
  var errorText = page.errorText;
  var input = page.input;
  errorText.textContent = "";
  if (text) {
    errorText.appendChild(visuallyHidden("Error: "));
    errorText.appendChild(document.createTextNode(text));
  }
  errorText.hidden = !text;
  page.formGroup.classList.toggle("nhsuk-form-group--error", Boolean(text));
  input.classList.toggle("nhsuk-textarea--error", Boolean(text));
  input.setAttribute("aria-describedby", text ? "chat-input-hint chat-input-error" : "chat-input-hint");
  if (text) {
    input.setAttribute("aria-invalid", "true");
  } else {
    input.removeAttribute("aria-invalid");
  }
}
