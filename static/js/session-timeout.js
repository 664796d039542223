// The session's idle limit, announced two minutes before it ends (RGAA 2.2, WCAG 2.2.1):
// a modal dialog (focus moved into it, Escape or "Rester connecté" extend the session,
// "Se déconnecter" signs out). Without JavaScript nothing opens, and a form sent after the
// limit is kept for after the sign-in anyway (accounts/form_resume.py).
(function () {
  "use strict";

  function start() {
    var dialog = document.getElementById("session-timeout");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var extendButton = dialog.querySelector("[data-session-extend]");
    var text = dialog.querySelector("[data-session-text]");
    var title = dialog.querySelector("[data-session-title]");
    var url = dialog.getAttribute("data-extend-url");
    var idle = parseInt(dialog.getAttribute("data-idle-seconds"), 10) * 1000;
    var warnAfter = parseInt(dialog.getAttribute("data-warn-after"), 10) * 1000;
    var tokenInput = dialog.querySelector("input[name=csrfmiddlewaretoken]");
    var warnTimer = null;
    var endTimer = null;
    var ended = false;
    var previous = null;

    function schedule(warnMs, idleMs) {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(open, warnMs);
      endTimer = window.setTimeout(expired, idleMs);
    }

    function open() {
      if (!dialog.open) {
        previous = document.activeElement;
        dialog.showModal();
      }
      extendButton.focus();
    }

    function close() {
      if (dialog.open) { dialog.close(); }
      if (previous && typeof previous.focus === "function") { previous.focus(); }
    }

    function expired() {
      ended = true;
      window.clearTimeout(warnTimer);
      text.textContent = text.getAttribute("data-expired-text");
      title.textContent = text.getAttribute("data-expired-title");
      extendButton.textContent = text.getAttribute("data-close-label");
      open();
    }

    function extend() {
      if (ended) { close(); return; }
      extendButton.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", tokenInput ? tokenInput.value : "");
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.addEventListener("load", function () {
        extendButton.disabled = false;
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
        if (xhr.status === 200 && answer) {
          close();
          schedule(answer.warn_after * 1000, answer.idle_seconds * 1000);
        } else if (xhr.status === 401 || xhr.status === 403) {
          expired();
        } else {
          text.textContent = text.getAttribute("data-failed-text");
          extendButton.focus();
        }
      });
      xhr.addEventListener("error", function () {
        extendButton.disabled = false;
        text.textContent = text.getAttribute("data-failed-text");
        extendButton.focus();
      });
      xhr.send();
    }

    extendButton.addEventListener("click", extend);
    // Escape is a way to say "I am here": it extends the session rather than leave it to end.
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      extend();
    });
    // Any request of the page's own scripts (an upload) counted as activity on the server.
    document.addEventListener("guichet:session-activity", function () {
      if (!ended && !dialog.open) { schedule(warnAfter, idle); }
    });
    schedule(warnAfter, idle);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
