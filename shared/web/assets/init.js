// Progressive enhancement only: every page works without JavaScript. No inline script (the CSP forbids it).
import { initAll } from "/assets/govuk-frontend.min.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
