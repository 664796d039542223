// "Réponse type" on the managers' "Résoudre" and "Demander un complément" pages: "Insérer" puts
// the chosen template (its placeholders already filled in by the server) into the text, at the
// cursor, without reloading the page; the manager then edits it freely. Without JavaScript the
// button reloads the page with the template in the text.
(function () {
  "use strict";
  var form = document.querySelector("form[data-answer-templates]");
  var data = document.getElementById("answer-template-texts");
  if (!form || !data) return;
  var texts = JSON.parse(data.textContent);
  form.addEventListener("submit", function (event) {
    var target = document.getElementById(form.getAttribute("data-target"));
    var text = texts[form.elements.modele.value];
    if (!target || text === undefined) return;
    event.preventDefault();
    var start = target.selectionStart, end = target.selectionEnd;
    if (typeof start !== "number" || target.value === "") {
      target.value = text;
    } else {
      target.value = target.value.slice(0, start) + text + target.value.slice(end);
    }
    target.focus();
    var caret = (target.value === text ? 0 : start) + text.length;
    target.setSelectionRange(caret, caret);
  });
})();
