// FAQ answers suggested while a member writes: for any form, textarea or input carrying
// data-faq-suggest (its value, or this script's data-url, is the suggestions endpoint).
// Include it with support/partials/faq_suggest_script.html. Pages work the same without it.
(function () {
  "use strict";
  var script = document.currentScript;
  var config = (script && script.dataset) || {};
  var DELAY_MS = 400;
  var MIN_CHARS = 4;
  var MAX_CHARS = 1000;

  function fieldsOf(target) {
    if (target.matches("textarea, input")) { return [target]; }
    return Array.prototype.slice.call(
      target.querySelectorAll("textarea, input[type=text], input[type=search], input:not([type])")
    );
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function csrfToken(target) {
    var form = target.closest("form") || document.querySelector("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function attach(target) {
    var url = target.getAttribute("data-faq-suggest") || config.url;
    var fields = fieldsOf(target);
    if (!url || !fields.length) { return; }
    // A polite live region, in the page from the start so that its changes are announced.
    var region = element("div", "faq-suggest");
    region.setAttribute("aria-live", "polite");
    var last = fields[fields.length - 1];
    var anchor = last.closest(".field") || last;
    anchor.parentNode.insertBefore(region, anchor.nextSibling);

    var timer = null;
    var asked = "";
    var shown = "";
    var pending = null;

    function render(results) {
      var key = results.map(function (r) { return r.url; }).join(" ");
      if (key === shown) { return; }
      shown = key;
      region.textContent = "";
      if (!results.length) { return; }
      region.appendChild(element("p", "faq-suggest-title", config.title));
      var list = element("ul");
      results.forEach(function (result) {
        var item = element("li");
        var link = element("a", null, result.question);
        link.href = result.url;
        // A new tab: what the member has typed stays in this one.
        link.target = "_blank";
        link.rel = "noopener";
        if (config.newTab) { link.appendChild(element("span", "visually-hidden", " " + config.newTab)); }
        item.appendChild(link);
        if (result.answer) { item.appendChild(element("span", "faq-suggest-excerpt", result.answer)); }
        list.appendChild(item);
      });
      region.appendChild(list);
    }

    function ask() {
      var text = fields.map(function (f) { return f.value; }).join(" ").replace(/\s+/g, " ").trim();
      text = text.slice(0, MAX_CHARS);
      if (text.length < MIN_CHARS) { asked = ""; render([]); return; }
      if (text === asked) { return; }
      asked = text;
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      // Posted, never in the URL: what the member types stays out of every access log.
      var body = new FormData();
      body.append("q", text);
      fetch(url, {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(target) },
        credentials: "same-origin",
        signal: pending ? pending.signal : undefined
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") === -1) { return null; }
        return response.json();
      }).then(function (data) {
        if (data && data.results) { render(data.results); }
      }).catch(function () { /* suggestions are a help, never in the way */ });
    }

    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(ask, DELAY_MS);
      });
    });
    ask();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-faq-suggest]"), attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
