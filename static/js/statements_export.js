// A file being built by a background job (the statements of a long period, "Télécharger mes
// données"): ask how far it got every two seconds, say it in the page's status (read out by
// screen readers), and show the download link once ready. Without this script the page offers
// "Actualiser".
(function () {
  "use strict";
  var root = document.querySelector("[data-statements-export], [data-job-progress]");
  if (!root) return;
  var status = root.querySelector("[data-status]");
  var download = root.querySelector("[data-download]");
  var refresh = root.querySelector("[data-refresh]");
  if (!refresh) return; // already ready, or failed
  refresh.hidden = true;
  function ask() {
    fetch(root.dataset.url, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { refresh.hidden = false; return; }
        if (status.textContent !== answer.status) status.textContent = answer.status;
        if (answer.download) {
          download.querySelector("a").href = answer.download;
          download.hidden = false;
        } else if (answer.state !== "failed") {
          window.setTimeout(ask, 2000);
        }
      })
      .catch(function () { refresh.hidden = false; });
  }
  window.setTimeout(ask, 1000);
})();
