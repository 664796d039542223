// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Bring the error summary to the person's attention (and to screen readers).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
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
  // The language switch has no script on purpose: it acts only on its "Changer" button, so
  // moving through the list with the arrow keys never reloads the page under the person's feet.
});
