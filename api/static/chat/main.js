// The practitioners' chat page: sends messages to POST /api/v1/chat and shows
// the replies, quick-reply buttons and the engine's recommendation as NHS.UK
// cards. Plain DOM code in ES modules, no framework, no bundler, no inline
// HTML from the server: every piece of server text goes in through
// textContent, so nothing it says can run.
//   dom.js       the page's elements and small DOM helpers
//   cards.js     messages, quick replies, recommendation and outage cards
//   transport.js the conversation mark and sending a message
//   main.js      wiring: the form, Enter to send, "Start again"
import { page, setTyping, showInputError } from "./dom.js";
import { onQuickReply, resetRecommendations } from "./cards.js";
import { send, forgetConversation } from "./transport.js";

function startAgain() {
  forgetConversation(); // the next message asks the server for a new conversation
  resetRecommendations();
  Array.prototype.slice.call(page.log.children).forEach(function (child) {
    if (child !== page.welcome) {
      page.log.removeChild(child);
    }
  });
  setTyping(false);
  showInputError("");
  page.input.value = "";
  page.alertRegion.textContent = "";
  page.statusRegion.textContent = "Started a new conversation.";
  page.input.focus();
}

if (page.log && page.form && page.input) {
  onQuickReply(function (payload, title) {
    send(payload, title, true);
  }, startAgain);

  page.form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(page.input.value, null, false);
  });

  page.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(page.input.value, null, false);
    }
  });

  page.restartButton.addEventListener("click", startAgain);

  // Paper shows every folded remit open (print.css does it too, where the
  // browser supports ::details-content); they fold again after printing.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.slice.call(page.log.querySelectorAll("details:not([open])"));
    openedForPrint.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });
}
