/* The console's rich-text editor: Quill (vendored) over a <textarea data-editor="rich">.
   No inline script: the page loads this file, so it runs under script-src 'self'.
   Without JavaScript the textarea stays a plain, usable field. The server sanitises whatever arrives. */
(function () {
  "use strict";

  function labels(textarea) {
    try { return JSON.parse(textarea.getAttribute("data-editor-labels") || "{}"); } catch (e) { return {}; }
  }

  function nameButtons(toolbar, names) {
    toolbar.querySelectorAll("button, .ql-picker-label").forEach(function (button) {
      var format = Array.prototype.find.call(button.classList, function (c) { return c.indexOf("ql-") === 0; });
      var key = format ? format.slice(3) : "";
      if (button.value) { key += "-" + button.value; }
      if (button.classList.contains("ql-picker-label")) { key = "header"; }
      if (names[key]) {
        button.setAttribute("aria-label", names[key]);
        button.setAttribute("title", names[key]);
      }
    });
  }

  function mount(textarea) {
    var names = labels(textarea);
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.insertAdjacentElement("afterend", holder);
    textarea.hidden = true;
    var quill = new window.Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: [[{ header: [2, 3, false] }], ["bold", "italic", "underline", "strike"], ["link", "blockquote"],
                  [{ list: "ordered" }, { list: "bullet" }], ["clean"]],
        keyboard: {
          bindings: {  // Tab leaves the editor (keyboard users must not be trapped in it)
            tab: { key: "Tab", handler: function () { return true; } },
            "indent": { key: "Tab", format: ["blockquote", "indent", "list"], handler: function () { return true; } },
            "outdent": { key: "Tab", shiftKey: true, format: ["blockquote", "indent", "list"],
                         handler: function () { return true; } }
          }
        }
      }
    });
    if (textarea.value.trim()) {
      quill.clipboard.dangerouslyPasteHTML(textarea.value, "silent");  // already sanitised by the server
    }
    var root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      root.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { quill.focus(); });
    } else if (names.editor) {
      root.setAttribute("aria-label", names.editor);
    }
    var toolbar = holder.previousElementSibling;
    if (toolbar && toolbar.classList.contains("ql-toolbar")) { nameButtons(toolbar, names); }
    var tooltipInput = holder.querySelector(".ql-tooltip input[type=text]");
    if (tooltipInput && names["link-prompt"]) {
      tooltipInput.setAttribute("data-link", "https://");
      tooltipInput.setAttribute("aria-label", names["link-prompt"]);
    }
    function sync() {
      textarea.value = quill.getLength() > 1 ? quill.getSemanticHTML().replace(/&nbsp;/g, " ") : "";
    }
    quill.on("text-change", sync);
    textarea.form.addEventListener("submit", sync);
    holder.quill = quill;
  }

  function start() {
    if (!window.Quill) { return; }
    document.querySelectorAll('textarea[data-editor="rich"]').forEach(mount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
