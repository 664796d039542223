// ODS forms of the partner space (partners/templates/partners/ods_form.html), enhanced.
// Every form works without this file: the server applies the same rules (partners/forms.py)
// and its messages, read here from the fields' data attributes, are the ones shown.
// - Nom in capitals, Prénom with a capital first letter, as they are typed;
// - the phone number grouped by two with dots (06.00.00.00.00), the date's slashes typed for you;
// - a calendar next to the date of birth (the browser's own date picker);
// - a rule broken is said next to the field when leaving it;
// - the Saisine blocks shown only when they apply; a single-choice toggle can be unticked.
(function () {
  "use strict";

  function closestField(input) { return input.closest(".field"); }

  // -- Messages next to a field ---------------------------------------------------------------
  function hintOf(input) {
    var field = closestField(input);
    return field ? field.querySelector(".js-hint") : null;
  }

  function describe(input, hint, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var index = ids.indexOf(hint.id);
    if (on && index < 0) { ids.push(hint.id); }
    if (!on && index >= 0) { ids.splice(index, 1); }
    if (ids.length) {
      input.setAttribute("aria-describedby", ids.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  // The hint is an empty live region until there is something to say (so that it is heard).
  function saying(input) {
    var hint = hintOf(input);
    return Boolean(hint && hint.textContent);
  }

  function say(input, message) {
    var hint = hintOf(input);
    if (!hint) { return; }
    if (message) {
      if (hint.textContent !== message) { hint.textContent = message; }
      input.setAttribute("aria-invalid", "true");
      describe(input, hint, true);
    } else if (hint.textContent) {
      hint.textContent = "";
      if (!closestField(input).querySelector("ul.errors")) { input.removeAttribute("aria-invalid"); }
      describe(input, hint, false);
    }
  }

  // Replace the value without moving the caret (when the length does not change).
  function replaceValue(input, value) {
    if (value === input.value) { return; }
    var start = input.selectionStart;
    var end = input.selectionEnd;
    var sameLength = value.length === input.value.length;
    input.value = value;
    if (sameLength && start !== null && document.activeElement === input) {
      input.setSelectionRange(start, end);
    }
  }

  function caretAtEnd(input) {
    return input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
  }

  // -- Nom, Prénom, Lieu de naissance ---------------------------------------------------------
  function firstLetterUpper(value) {
    var lower = value.toLowerCase();
    for (var i = 0; i < lower.length; i++) {
      if (lower[i].toUpperCase() !== lower[i].toLowerCase()) {
        return lower.slice(0, i) + lower[i].toUpperCase() + lower.slice(i + 1);
      }
    }
    return lower;
  }

  function applyCase(input) {
    var kind = input.getAttribute("data-case");
    if (kind === "upper") { replaceValue(input, input.value.toUpperCase()); }
    if (kind === "first") { replaceValue(input, firstLetterUpper(input.value)); }
  }

  function setUpText(input) {
    var allowed = new RegExp("^[" + input.getAttribute("data-characters") + "]*$");
    var message = input.getAttribute("data-characters-message");
    function check() {
      var value = input.value.replace(/[\u2019\u2018\u02bc]/g, "'").trim();
      say(input, allowed.test(value) ? "" : message);
    }
    input.addEventListener("input", function (event) {
      if (event.isComposing) { return; }
      applyCase(input);
      // Said at once when corrected; a new mistake is said when leaving the field.
      if (saying(input)) { check(); }
    });
    input.addEventListener("blur", check);
    applyCase(input);
  }

  // -- Téléphone: 06.00.00.00.00 --------------------------------------------------------------
  function groupPhone(digits) {
    return (digits.match(/\d{1,2}/g) || []).join(".");
  }

  // "+33 6 12 34 56 78" or "0033 6 ..." is the same number as "06 12 34 56 78".
  function frenchDigits(value) {
    var compact = value.replace(/[\s.\-\/()]/g, "");
    var international = /^(?:\+33|0033)0?(\d{9})$/.exec(compact);
    return international ? "0" + international[1] : compact;
  }

  function phoneProblem(input, digits) {
    if (digits === "" || /^0[1-9]\d{8}$/.test(digits)) { return ""; }
    if (/^(\+|00)/.test(digits) || /^\d{10}$/.test(digits)) {
      return input.getAttribute("data-phone-foreign-message");
    }
    return input.getAttribute("data-phone-message");
  }

  function setUpPhone(input) {
    input.addEventListener("input", function () {
      // Grouped while typed only when it starts as a national number: "+33..." is left alone.
      if (/^\s*0(?!0)/.test(input.value)) {
        var digits = input.value.replace(/\D/g, "");
        if (caretAtEnd(input) && digits.length <= 10) { input.value = groupPhone(digits); }
      }
      if (saying(input) && phoneProblem(input, frenchDigits(input.value)) === "") { say(input, ""); }
    });
    input.addEventListener("blur", function () {
      var digits = frenchDigits(input.value);
      if (/^0[1-9]\d{8}$/.test(digits)) { input.value = groupPhone(digits); }
      say(input, phoneProblem(input, digits));
    });
  }

  // -- Date de naissance: jj/mm/aaaa, typed or picked ----------------------------------------
  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function parseDay(value) {
    var match = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(value.trim());
    if (!match) { return null; }
    var day = +match[1], month = +match[2], year = +match[3];
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
      return null;
    }
    return year + "-" + pad(month) + "-" + pad(day);
  }

  var CALENDAR = '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" ' +
    'height="20"><path fill="currentColor" d="M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 ' +
    '1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3V2zm12 8H5v9h14v-9zM5 6v2h14V6H5zm2 6h2v2H7v-2zm4 ' +
    '0h2v2h-2v-2zm4 0h2v2h-2v-2z"/></svg>';

  function setUpDate(input, form) {
    var max = input.getAttribute("data-max") || "";
    var invalid = input.getAttribute("data-invalid-message");
    var future = input.getAttribute("data-future-message");

    function check() {
      var value = input.value.trim();
      if (!value) { say(input, ""); return; }
      var iso = parseDay(value) || (/^\d{8}$/.test(value) ? parseDay(
        value.slice(0, 2) + "/" + value.slice(2, 4) + "/" + value.slice(4)) : null);
      if (!iso) { say(input, invalid); return; }
      say(input, max && iso > max ? future : "");
    }

    input.addEventListener("input", function (event) {
      var typing = event.inputType && event.inputType.indexOf("insert") === 0;
      if (typing && caretAtEnd(input)) {
        // A slash typed after the one added for you is not doubled.
        var value = input.value.replace(/\/{2,}/g, "/");
        if (/^\d{2}$|^\d{2}\/\d{2}$/.test(value)) { value += "/"; }
        if (value !== input.value) { input.value = value; }
      }
      if (saying(input)) { check(); }
    });
    input.addEventListener("blur", function () {
      if (/^\d{8}$/.test(input.value.trim())) {
        var digits = input.value.trim();
        input.value = digits.slice(0, 2) + "/" + digits.slice(2, 4) + "/" + digits.slice(4);
      }
      check();
    });

    // The calendar: the browser's date picker, opened from a button beside the text input.
    var native = document.createElement("input");
    native.type = "date";
    if (native.type !== "date") { return; } // no date picker in this browser: typing only
    var row = document.createElement("div");
    row.className = "date-input-row";
    input.parentNode.insertBefore(row, input);
    row.appendChild(input);
    native.className = "date-picker-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    if (max) { native.max = max; }
    native.min = "1900-01-01";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-secondary date-picker-button";
    button.setAttribute("aria-label", form.getAttribute("data-calendar-label") || "");
    button.title = button.getAttribute("aria-label");
    button.innerHTML = CALENDAR;
    row.appendChild(button);
    row.appendChild(native);
    button.addEventListener("click", function () {
      native.value = parseDay(input.value) || "";
      if (typeof native.showPicker === "function") {
        try { native.showPicker(); return; } catch (ignored) { /* falls through */ }
      }
      native.style.pointerEvents = "auto";
      native.focus();
      native.click();
    });
    native.addEventListener("change", function () {
      var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(native.value);
      if (!match) { return; }
      input.value = match[3] + "/" + match[2] + "/" + match[1];
      native.style.pointerEvents = "";
      input.focus();
      check();
    });
  }

  // -- Commentaires: how many characters are left ------------------------------------------
  function setUpCounter(textarea, form) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    var text = form.getAttribute("data-counter-text");
    if (!max || !text) { return; }
    var counter = document.createElement("p");
    counter.className = "help counter";
    counter.id = textarea.id + "_counter";
    textarea.parentNode.insertBefore(counter, textarea.nextSibling);
    function update() {
      counter.textContent = text.replace("%(count)s", textarea.value.length);
    }
    textarea.addEventListener("input", update);
    update();
  }

  // -- Blocks shown in some cases only ---------------------------------------------------------
  function chosenValues(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
      if (el.tagName === "SELECT") {
        values.push(el.value);
      } else if ((el.type === "checkbox" || el.type === "radio")) {
        if (el.checked) { values.push(el.value); }
      } else {
        values.push(el.value);
      }
    });
    return values;
  }

  function updateBlocks(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-when]"), function (block) {
      var wanted = block.getAttribute("data-show-values").split(/\s+/);
      var chosen = chosenValues(form, block.getAttribute("data-show-when"));
      block.hidden = !chosen.some(function (value) { return wanted.indexOf(value) >= 0; });
    });
  }

  // -- A single-choice toggle ("Depuis quand dure le renoncement ?") can be unticked --------------
  function setUpDeselectable(form) {
    var last = {};
    var radios = form.querySelectorAll("input[type=radio][data-deselectable]");
    Array.prototype.forEach.call(radios, function (radio) {
      if (radio.checked) { last[radio.name] = radio; }
      radio.addEventListener("click", function () {
        if (last[radio.name] === radio) {
          radio.checked = false;
          last[radio.name] = null;
          radio.dispatchEvent(new Event("change", { bubbles: true }));
        } else {
          last[radio.name] = radio;
        }
      });
    });
  }

  // -- "Glisser/déposer ou cliquer ici pour ajouter vos fichiers." ---------------------------
  function setUpDropzoneClick(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".ods-files [data-dropzone]"), function (zone) {
      zone.addEventListener("click", function (event) {
        if (event.target.closest("button, a, label, input")) { return; }
        var input = zone.querySelector("input[type=file]");
        if (input) { input.click(); }
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ods-form]"), function (form) {
      form.classList.add("js-ods");
      Array.prototype.forEach.call(form.querySelectorAll("input[data-characters]"), setUpText);
      Array.prototype.forEach.call(form.querySelectorAll("input[data-phone]"), setUpPhone);
      Array.prototype.forEach.call(form.querySelectorAll("input[data-birth-date]"), function (input) {
        setUpDate(input, form);
      });
      Array.prototype.forEach.call(form.querySelectorAll("textarea[maxlength]"), function (area) {
        setUpCounter(area, form);
      });
      setUpDeselectable(form);
      setUpDropzoneClick(form);
      form.addEventListener("change", function () { updateBlocks(form); });
      updateBlocks(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
