// Start the NHS.UK frontend components (skip link, header) from a file rather
// than an inline script, so the pages work under a strict Content-Security-Policy.
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
