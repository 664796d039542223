/* "Historique des demandes" on a narrow screen: the filter form folds behind a "Filtrer" button,
   so that the first request is on the first screen. The form stays open while a criterion is
   applied or wrong, and on wider screens; without JavaScript it is always open. After a search
   the page shows its results. */
(function () {
  "use strict";
  var form = document.getElementById("ph-filters");
  var toggle = document.querySelector(".ph-filters-toggle");
  if (!form || !toggle) return;
  var narrow = window.matchMedia("(max-width: 39.99rem)");

  function show(open) {
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function layout() {
    if (narrow.matches) {
      toggle.hidden = false;
      show(form.hasAttribute("data-filters-active"));
    } else {
      toggle.hidden = true;
      show(true);
    }
  }

  toggle.addEventListener("click", function () {
    var open = form.hidden;
    show(open);
    if (open) {
      var first = form.querySelector("select, input");
      if (first) first.focus();
    }
  });
  if (narrow.addEventListener) narrow.addEventListener("change", layout);
  layout();

  // After "Rechercher" (or a page of the results) the open form is taller than a phone's
  // screen: bring the results into view, so the search does not look as if nothing happened.
  // A criterion that is wrong keeps the page on the error summary instead.
  if (narrow.matches && form.hasAttribute("data-filters-active") && location.search &&
      !document.querySelector("[data-error-summary]")) {
    var results = document.querySelector(".ph-bar-top, .empty-state");
    if (results) results.scrollIntoView({ block: "start" });
  }
})();
