// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Bring the error summary to the person's attention (and to screen readers).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Language switch: apply on change, the button stays for people without JavaScript.
  var lang = document.getElementById("lang-select");
  if (lang) { lang.addEventListener("change", function () { lang.form.submit(); }); }
});
