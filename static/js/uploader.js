// Attachments widget (documents/templates/documents/widgets/attachments.html), enhanced:
// a drop zone and a "Parcourir…" button; each file is checked here first (number, size,
// extension: the server decides anyway), then uploaded on its own with a progress bar, and the
// form only carries its id. Without this file the widget still works (files sent with the form).
(function () {
  "use strict";
  if (window.guichetUploader) { return; } // the widget template may include this file twice
  window.guichetUploader = true;

  var NAME = "%(name)s";
  var PREVIEWABLE = ["application/pdf", "image/jpeg", "image/png"];
  var EYE = '<svg class="icon-eye" aria-hidden="true" focusable="false" viewBox="0 0 24 24" ' +
    'width="20" height="20"><path d="M12 5C6.5 5 2.4 8.6 1 12c1.4 3.4 5.5 7 11 7s9.6-3.6 ' +
    "11-7c-1.4-3.4-5.5-7-11-7zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.5a2 2 0 1 0 " +
    '0-4 2 2 0 0 0 0 4z" fill="currentColor"/></svg>';

  function fill(message, name) { return message.split(NAME).join(name); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // "Retirer « facture.pdf »": the name is read by screen readers, not shown twice.
  function labelled(tag, className, visible, name) {
    var node = el(tag, className, visible + " ");
    node.appendChild(el("span", "visually-hidden", "« " + name + " »"));
    return node;
  }

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // -- Forms: nothing is sent while a file is still on its way ------------------------------
  var busyForms = [];

  function formState(form) {
    for (var i = 0; i < busyForms.length; i++) {
      if (busyForms[i].form === form) { return busyForms[i]; }
    }
    var state = { form: form, running: 0, disabled: [] };
    busyForms.push(state);
    form.addEventListener("submit", function (event) {
      if (state.running > 0) {
        event.preventDefault();
        if (state.onBusy) { state.onBusy(); }
      }
    });
    return state;
  }

  function setBusy(state, delta) {
    if (!state) { return; }
    state.running = Math.max(0, state.running + delta);
    var buttons = state.form.querySelectorAll("button, input[type=submit], input[type=image]");
    if (state.running > 0) {
      state.form.setAttribute("aria-busy", "true");
      Array.prototype.forEach.call(buttons, function (button) {
        var submits = button.tagName !== "BUTTON" || (button.getAttribute("type") || "submit") === "submit";
        if (submits && !button.disabled && !button.closest("[data-uploader]")) {
          button.disabled = true;
          state.disabled.push(button);
        }
      });
    } else {
      state.form.removeAttribute("aria-busy");
      state.disabled.forEach(function (button) { button.disabled = false; });
      state.disabled = [];
    }
  }

  // -- One widget -----------------------------------------------------------------------------
  function Uploader(root) {
    this.root = root;
    this.url = root.getAttribute("data-upload-url");
    this.name = root.getAttribute("data-name");
    this.maxFiles = parseInt(root.getAttribute("data-max-files"), 10) || 0;
    this.maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 0;
    this.accept = (root.getAttribute("data-accept") || "").split(",").map(function (ext) {
      return ext.trim().replace(/^\./, "").toLowerCase();
    }).filter(Boolean);
    this.messages = JSON.parse(root.getAttribute("data-messages") || "{}");
    this.list = root.querySelector("[data-upload-list]");
    this.empty = root.querySelector("[data-upload-empty]");
    this.errors = root.querySelector("[data-upload-errors]");
    this.status = root.querySelector("[data-upload-status]");
    this.zone = root.querySelector("[data-dropzone]");
    this.input = this.zone.querySelector("input[type=file]");
    this.form = root.closest("form");
    this.formState = this.form ? formState(this.form) : null;
    if (this.formState && !this.formState.onBusy) {
      var messages = this.messages;
      var self = this;
      this.formState.onBusy = function () { self.say(messages.busy); };
    }
    this.queue = [];
    this.current = null;
    this.buildZone();
    Array.prototype.forEach.call(this.list.querySelectorAll(".upload-item"), this.enhanceRow, this);
    root.classList.add("is-enhanced");
  }

  Uploader.prototype.buildZone = function () {
    var self = this;
    // The drag-and-drop sentence is hidden where nothing can be dropped (phones: uploader.css).
    var text = el("p", "dropzone-text");
    text.appendChild(el("span", "dropzone-drop", this.messages.drop + " "));
    var browse = el("button", "button button-secondary dropzone-browse", this.messages.browse);
    browse.type = "button";
    // The error summary links to the input; its link focuses this button instead.
    if (this.input.id) {
      browse.id = this.input.id + "_browse";
      this.input.setAttribute("data-focus-proxy", browse.id);
    }
    var describedBy = this.input.getAttribute("aria-describedby");
    if (describedBy) { browse.setAttribute("aria-describedby", describedBy); }
    text.appendChild(browse);
    this.zone.appendChild(text);
    this.browse = browse;
    // The native input stays (its label still opens it) but out of sight and of the tab order.
    this.input.classList.add("visually-hidden");
    this.input.tabIndex = -1;
    browse.addEventListener("click", function () { self.input.click(); });
    this.input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(self.input.files || []);
      // Emptied at once: the form must not send again what is uploaded here.
      self.input.value = "";
      self.add(files);
    });
    var depth = 0;
    this.zone.addEventListener("dragenter", function (event) {
      event.preventDefault();
      depth += 1;
      self.zone.classList.add("is-dragover");
    });
    this.zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      if (event.dataTransfer) { event.dataTransfer.dropEffect = "copy"; }
    });
    this.zone.addEventListener("dragleave", function () {
      depth = Math.max(0, depth - 1);
      if (depth === 0) { self.zone.classList.remove("is-dragover"); }
    });
    this.zone.addEventListener("drop", function (event) {
      event.preventDefault();
      depth = 0;
      self.zone.classList.remove("is-dragover");
      var files = event.dataTransfer ? Array.prototype.slice.call(event.dataTransfer.files) : [];
      self.add(files);
    });
  };

  // Rows the server rendered: their "Retirer" checkbox becomes a button.
  Uploader.prototype.enhanceRow = function (row) {
    var label = row.querySelector("label.upload-remove");
    var name = row.querySelector(".upload-name").textContent;
    if (label) {
      var button = this.removeButton(row, name, row.getAttribute("data-remove-url"));
      label.parentNode.replaceChild(button, label);
    }
  };

  Uploader.prototype.removeButton = function (row, name, url) {
    var self = this;
    var button = labelled("button", "button-small upload-remove", this.messages.remove, name);
    button.type = "button";
    button.addEventListener("click", function () { self.remove(row, name, url, button); });
    return button;
  };

  Uploader.prototype.rows = function () {
    return this.list.querySelectorAll(".upload-item");
  };

  Uploader.prototype.refresh = function () {
    this.empty.hidden = this.rows().length > 0;
  };

  Uploader.prototype.say = function (message) {
    // Emptied first, so that the same message twice is announced twice.
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  };

  // `offer`: the server's link that frees the files waiting in forms never sent.
  Uploader.prototype.error = function (message, offer) {
    var item = el("li", "", message);
    if (offer) {
      var link = document.createElement("a");
      link.href = offer.discard_url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = offer.discard_label;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
    }
    this.errors.appendChild(item);
  };

  // -- Adding files -------------------------------------------------------------------------
  Uploader.prototype.refusal = function (file, count) {
    var m = this.messages;
    if (this.maxFiles && count >= this.maxFiles) { return fill(m.too_many, file.name); }
    if (this.accept.length && this.accept.indexOf(extensionOf(file.name)) < 0) {
      return fill(m.not_accepted, file.name);
    }
    if (file.size === 0) { return fill(m.empty, file.name); }
    if (this.maxBytes && file.size > this.maxBytes) { return fill(m.too_large, file.name); }
    return "";
  };

  Uploader.prototype.add = function (files) {
    if (!files.length) { return; }
    this.errors.textContent = "";
    var count = this.rows().length;
    files.forEach(function (file) {
      var refused = this.refusal(file, count);
      if (refused) {
        this.error(refused);
        return;
      }
      count += 1;
      this.queue.push(this.pendingRow(file));
    }, this);
    this.refresh();
    this.next();
  };

  Uploader.prototype.pendingRow = function (file) {
    var self = this;
    var row = el("li", "upload-item is-uploading");
    var about = el("span", "upload-file");
    about.appendChild(el("span", "upload-name", file.name));
    row.appendChild(about);
    var progress = el("progress", "upload-progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", fill(this.messages.progress, file.name));
    row.appendChild(progress);
    var actions = el("span", "upload-actions");
    var cancel = labelled("button", "button-small upload-cancel", this.messages.cancel, file.name);
    cancel.type = "button";
    actions.appendChild(cancel);
    row.appendChild(actions);
    this.list.appendChild(row);
    var job = { file: file, row: row, progress: progress, actions: actions, xhr: null };
    cancel.addEventListener("click", function () { self.cancel(job); });
    setBusy(this.formState, 1);
    return job;
  };

  Uploader.prototype.next = function () {
    if (this.current || !this.queue.length) { return; }
    this.send(this.queue.shift());
  };

  Uploader.prototype.finish = function (job) {
    if (this.current === job) { this.current = null; }
    setBusy(this.formState, -1);
    this.refresh();
    this.next();
  };

  Uploader.prototype.cancel = function (job) {
    var index = this.queue.indexOf(job);
    if (index >= 0) { this.queue.splice(index, 1); }
    if (job.xhr) { job.xhr.abort(); }
    job.row.remove();
    this.say(fill(this.messages.cancelled, job.file.name));
    this.browse.focus();
    this.finish(job);
  };

  Uploader.prototype.send = function (job) {
    var self = this;
    var m = this.messages;
    var data = new FormData();
    data.append("file", job.file, job.file.name);
    var xhr = new XMLHttpRequest();
    job.xhr = xhr;
    this.current = job;
    xhr.open("POST", this.url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        job.progress.value = Math.min(99, Math.round((event.loaded / event.total) * 100));
      }
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
      if (xhr.status === 201 && answer && answer.id) {
        self.done(job, answer);
        // The server counted the upload as activity: the idle-limit dialog starts over.
        document.dispatchEvent(new CustomEvent("guichet:session-activity"));
      } else {
        var message;
        if (answer && answer.error) {
          message = answer.error;
        } else if (xhr.status === 413) {
          message = fill(m.too_large, job.file.name);
        } else if (xhr.status === 401 || xhr.status === 403 || redirected(xhr, self.url)) {
          // The session ended: 401 from the upload view (a redirect to the sign-in page, whose
          // address carries ours in "?next=", or a CSRF refusal before it).
          message = fill(m.session, job.file.name);
        } else {
          message = fill(m.failed, job.file.name);
        }
        job.row.remove();
        self.error(message, answer && answer.discard_url ? answer : null);
      }
      job.xhr = null;
      self.finish(job);
    });
    xhr.addEventListener("error", function () {
      job.row.remove();
      self.error(fill(m.failed, job.file.name));
      job.xhr = null;
      self.finish(job);
    });
    xhr.send(data);
  };

  // Whether the request ended on another page than the one asked (its path, not its query).
  function redirected(xhr, url) {
    if (!xhr.responseURL) { return false; }
    try {
      return new URL(xhr.responseURL).pathname !== new URL(url, window.location.href).pathname;
    } catch (ignored) {
      return false;
    }
  }

  Uploader.prototype.done = function (job, answer) {
    var row = job.row;
    row.classList.remove("is-uploading");
    row.setAttribute("data-file-id", answer.id);
    var hidden = el("input");
    hidden.type = "hidden";
    hidden.name = this.name;
    hidden.value = answer.id;
    row.insertBefore(hidden, row.firstChild);
    row.querySelector(".upload-file").appendChild(el("span", "upload-size", " " + answer.size_label));
    job.progress.value = 100;
    var actions = job.actions;
    actions.textContent = "";
    var preview = answer.preview_url;
    if (!preview && PREVIEWABLE.indexOf(job.file.type) >= 0 && window.URL && URL.createObjectURL) {
      preview = URL.createObjectURL(job.file);
      row.setAttribute("data-object-url", preview);
    }
    if (preview) {
      var link = labelled("a", "upload-preview", this.messages.view, answer.name);
      link.insertAdjacentHTML("afterbegin", EYE);
      link.href = preview;
      link.target = "_blank";
      link.rel = "noopener";
      if (answer.previewable === false) { link.setAttribute("download", ""); }
      actions.appendChild(link);
    }
    actions.appendChild(this.removeButton(row, answer.name, answer.remove_url));
    this.say(fill(this.messages.added, answer.name));
  };

  // -- Removing a file ------------------------------------------------------------------------
  Uploader.prototype.remove = function (row, name, url, button) {
    var self = this;
    button.disabled = true;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(this.form));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.addEventListener("load", function () {
      // 404: the file is no longer a pending upload of this person; it leaves the form anyway.
      if (xhr.status === 200 || xhr.status === 404) {
        self.dropRow(row);
        self.say(fill(self.messages.removed, name));
      } else {
        button.disabled = false;
        self.error(fill(self.messages.remove_failed, name));
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      self.error(fill(self.messages.remove_failed, name));
    });
    xhr.send(data);
  };

  Uploader.prototype.dropRow = function (row) {
    var rows = Array.prototype.slice.call(this.rows());
    var index = rows.indexOf(row);
    var objectUrl = row.getAttribute("data-object-url");
    if (objectUrl) { URL.revokeObjectURL(objectUrl); }
    row.remove();
    this.refresh();
    // Focus stays nearby: the next file's button, else the previous one, else "Parcourir…".
    var rest = this.rows();
    var neighbour = rest[Math.min(index, rest.length - 1)];
    var target = neighbour && neighbour.querySelector(".upload-remove");
    (target || this.browse).focus();
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-uploader]"), function (root) {
      if (root.getAttribute("data-enhanced")) { return; }
      root.setAttribute("data-enhanced", "true");
      root.uploader = new Uploader(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
