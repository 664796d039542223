// The virtual advisor's panel (support/partials/advisor.html). Without this file the button is
// a link to the advisor's own page, which works the same with a reload.
(function () {
  "use strict";
  var script = document.currentScript;
  var texts = (script && script.dataset) || {};

  function init() {
    var root = document.querySelector("[data-advisor]");
    if (!root) { return; }
    var link = root.querySelector("[data-advisor-link]");
    var toggle = root.querySelector("[data-advisor-toggle]");
    var panel = root.querySelector("[data-advisor-panel]");
    var closer = root.querySelector("[data-advisor-close]");
    var form = root.querySelector("[data-advisor-form]");
    var log = root.querySelector("[data-advisor-log]");
    var list = root.querySelector("[data-advisor-list]");
    var error = root.querySelector("[data-advisor-error]");
    var input = form.querySelector("input[name=question]");
    var send = form.querySelector("button[type=submit]");

    link.hidden = true;
    toggle.hidden = false;

    function scrollToEnd() { log.scrollTop = log.scrollHeight; }

    function open() {
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      scrollToEnd();
      input.focus();
    }

    function close() {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }

    function showError(message) {
      error.textContent = message || "";
      if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }

    toggle.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
    closer.addEventListener("click", close);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") { event.preventDefault(); close(); }
    });

    // "Votre question porte-t-elle sur… ?": the entry chosen is answered in the panel too.
    list.addEventListener("submit", function (event) {
      var choice = event.target;
      if (!choice.hasAttribute("data-advisor-choice")) { return; }
      event.preventDefault();
      var body = new FormData(choice);
      if (event.submitter && event.submitter.name) { body.append(event.submitter.name, event.submitter.value); }
      post(choice, body);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.value.trim()) { showError(texts.empty); input.focus(); return; }
      post(form, new FormData(form));
    });

    function post(source, body) {
      showError("");
      send.disabled = true;
      fetch(source.action, {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Signed out meanwhile, or an error page: let the browser show it.
          source.submit();
          return null;
        }
        return response.json().then(function (data) {
          if (!response.ok) {
            var errors = (data.errors && data.errors.question) || [];
            showError(errors.length ? errors[0].message : texts.failed);
            return;
          }
          list.insertAdjacentHTML("beforeend", data.html);
          input.value = "";
          scrollToEnd();
        });
      }).catch(function () {
        showError(texts.failed);
      }).then(function () {
        send.disabled = false;
        input.focus();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
