// "Demande de remboursement" (requests_app/templates/requests_app/intro/refund.html),
// enhancement only: once an object is chosen, show just the documents it asks for.
(function () {
  "use strict";
  function start() {
    var select = document.getElementById("id_topic");
    var lists = document.querySelectorAll("[data-refund-documents]");
    if (!select || !lists.length) { return; }
    function show() {
      lists.forEach(function (list) {
        list.hidden = select.value !== "" && list.getAttribute("data-refund-documents") !== select.value;
      });
    }
    select.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
