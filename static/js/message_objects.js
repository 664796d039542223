// "Écrire un message" (requests_app/templates/requests_app/request_form.html), enhancement
// only: the object list offers just the objects of the chosen category. Without JavaScript it
// shows every object grouped by category, and the server checks that they match.
(function () {
  "use strict";
  function start() {
    var category = document.getElementById("id_topic");
    var object = document.getElementById("id_subject");
    if (!category || !object) { return; }
    var placeholder = object.querySelector("option[value='']");
    var groups = Array.prototype.slice.call(object.querySelectorAll("optgroup"));
    function categoryLabel() {
      var chosen = category.options[category.selectedIndex];
      return chosen && chosen.value ? chosen.textContent.trim() : "";
    }
    function show() {
      var label = categoryLabel();
      var kept = object.value;
      while (object.firstChild) { object.removeChild(object.firstChild); }
      if (placeholder) { object.appendChild(placeholder); }
      groups.forEach(function (group) {
        if (!label || group.label === label) { object.appendChild(group); }
      });
      object.value = kept;
      if (object.value !== kept) { object.value = ""; }
    }
    category.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
