// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Bring the error summary to the person's attention (and to screen readers).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // A search whose form is taller than a phone's screen ("Mes remboursements santé"): once
  // searched, the page opens on its results ([data-results]) rather than on the form, as if
  // nothing had happened; a criterion that is wrong keeps the error summary in view.
  var results = document.querySelector("[data-results]");
  if (results && !summary && location.search &&
      window.matchMedia("(max-width: 39.99rem)").matches) {
    results.scrollIntoView({ block: "start" });
  }
  // A summary link moves the focus to its field, not only the scroll. A control hidden by a
  // script (the file input behind "Parcourir…") names its visible stand-in in data-focus-proxy.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    var proxy = target.getAttribute("data-focus-proxy");
    if (proxy && document.getElementById(proxy)) { target = document.getElementById(proxy); }
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
  // The menu of a narrow screen (base.html): one "Menu" button folds the header's links and the
  // member's menu. Without this script nothing is folded; on a wide screen CSS shows everything.
  var menuToggle = document.querySelector("[data-menu-toggle]");
  if (menuToggle) {
    var panels = menuToggle.getAttribute("aria-controls").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    var setMenu = function (open) {
      menuToggle.setAttribute("aria-expanded", open ? "true" : "false");
      panels.forEach(function (panel) { panel.classList.toggle("is-folded", !open); });
    };
    var menuHolds = function (element) {
      return element === menuToggle || panels.some(function (panel) { return panel.contains(element); });
    };
    setMenu(false);
    menuToggle.hidden = false;
    menuToggle.addEventListener("click", function () {
      setMenu(menuToggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes an open menu from its button or from inside it, and gives the focus back to
    // the button (a link that was focused in the menu is hidden now).
    document.addEventListener("keydown", function (event) {
      if ((event.key !== "Escape" && event.key !== "Esc") || menuToggle.getAttribute("aria-expanded") !== "true") { return; }
      if (!menuHolds(document.activeElement) || menuToggle.offsetParent === null) { return; }
      setMenu(false);
      menuToggle.focus();
    });
  }
  // A table wider than its box ([data-scroll-hint], the card's people on a phone) says that it
  // scrolls sideways: its hint (the element named in the attribute) shows only while it does.
  var scrollers = Array.prototype.slice.call(document.querySelectorAll("[data-scroll-hint]"));
  var hintScrollers = function () {
    scrollers.forEach(function (box) {
      var hint = document.getElementById(box.getAttribute("data-scroll-hint"));
      if (hint) { hint.hidden = box.scrollWidth <= box.clientWidth + 1; }
    });
  };
  if (scrollers.length) {
    hintScrollers();
    window.addEventListener("resize", hintScrollers);
  }
  // The language switch has no script on purpose: it acts only on its "Changer" button, so
  // moving through the list with the arrow keys never reloads the page under the person's feet.
});
