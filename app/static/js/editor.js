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

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  /* The image button: a modal dialog listing the union's library (newest first); choosing one inserts it with the
     alt text kept in the library. The list comes from the data-editor-images URL (JSON). */
  function imagePicker(url, names) {
    return function () {
      var quill = this.quill;
      var range = quill.getSelection(true);
      var dialog = element("dialog", "", "image-picker");
      dialog.setAttribute("aria-labelledby", "image-picker-title");
      var title = element("h2", names["image-dialog"] || "Images");
      title.id = "image-picker-title";
      var list = element("ul", "", "image-choices");
      var close = element("button", names.close || "Close", "button");
      close.type = "button";
      dialog.append(title, list, close);
      document.body.appendChild(dialog);
      function finish() { dialog.close(); dialog.remove(); quill.focus(); }
      close.addEventListener("click", finish);
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); finish(); });
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.images.length) {
            var empty = element("p", (names["image-none"] || "") + " ");
            var link = element("a", names["image-library"] || data.library);
            link.href = data.library;
            empty.appendChild(link);
            list.replaceWith(empty);
            return;
          }
          data.images.forEach(function (image) {
            var choose = element("button", "", "image-choice");
            choose.type = "button";
            var thumb = element("img");
            thumb.src = image.thumb;
            thumb.alt = "";
            choose.append(thumb, element("span", image.alt || image.title));
            choose.addEventListener("click", function () {
              var index = range ? range.index : quill.getLength() - 1;
              quill.insertEmbed(index, "image", image.src, "user");
              quill.formatText(index, 1, "alt", image.alt, "user");
              quill.setSelection(index + 1, 0, "silent");
              finish();
            });
            var item = element("li");
            item.appendChild(choose);
            list.appendChild(item);
          });
          var first = list.querySelector("button");
          if (first) { first.focus(); }
        });
      dialog.showModal();
    };
  }

  /* The video button: a dialog asking for a YouTube or Vimeo address; the player is embedded through the
     privacy-enhanced address (the server rewrites and allow-lists it again on save). */
  function embedAddress(address) {
    var url;
    try { url = new URL(address.trim()); } catch (e) { return null; }
    var host = url.hostname.replace(/^(www\.|m\.)/, "");
    var parts = url.pathname.split("/").filter(Boolean);
    var id = null;
    if (host === "youtube.com" || host === "youtube-nocookie.com") {
      if (parts[0] === "watch") { id = url.searchParams.get("v"); }
      else if (parts.length === 2 && ["embed", "shorts", "live"].indexOf(parts[0]) >= 0) { id = parts[1]; }
    } else if (host === "youtu.be" && parts.length === 1) {
      id = parts[0];
    }
    if (id) { return /^[A-Za-z0-9_-]{6,20}$/.test(id) ? "https://www.youtube-nocookie.com/embed/" + id : null; }
    if (host === "vimeo.com" || host === "player.vimeo.com") {
      var last = parts[parts.length - 1] || "";
      if (/^[0-9]+$/.test(last)) { return "https://player.vimeo.com/video/" + last + "?dnt=1"; }
    }
    return null;
  }

  function videoDialog(names) {
    return function () {
      var quill = this.quill;
      var range = quill.getSelection(true);
      var dialog = element("dialog", "", "video-dialog");
      dialog.setAttribute("aria-labelledby", "video-dialog-title");
      var title = element("h2", names["video-dialog"] || "Video");
      title.id = "video-dialog-title";
      var form = element("form");
      form.method = "dialog";
      var label = element("label", names["video-address"] || "URL");
      label.setAttribute("for", "video-address");
      var input = element("input");
      input.type = "url";
      input.id = "video-address";
      input.placeholder = "https://www.youtube.com/watch?v=…";
      var error = element("p", "", "errors");
      error.setAttribute("role", "alert");
      var insert = element("button", names["video-insert"] || "OK", "button primary");
      insert.type = "submit";
      var close = element("button", names.close || "Close", "button");
      close.type = "button";
      form.append(label, input, error, insert, close);
      dialog.append(title, form);
      document.body.appendChild(dialog);
      function finish() { dialog.close(); dialog.remove(); quill.focus(); }
      close.addEventListener("click", finish);
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); finish(); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var src = embedAddress(input.value);
        if (!src) { error.textContent = names["video-invalid"] || ""; input.focus(); return; }
        var index = range ? range.index : quill.getLength() - 1;
        quill.insertEmbed(index, "video", src, "user");
        finish();
        // the cursor goes right after the player (a block embed may land after the current line)
        var after = index + 1;
        quill.root.querySelectorAll("iframe").forEach(function (frame) {
          var at = quill.getIndex(window.Quill.find(frame));
          if (at >= index && at < after + 1) { after = at + 1; }
        });
        quill.setSelection(after, 0, "user");
      });
      dialog.showModal();
      input.focus();
    };
  }

  function mount(textarea) {
    var names = labels(textarea);
    var images = textarea.getAttribute("data-editor-images");
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.insertAdjacentElement("afterend", holder);
    textarea.hidden = true;
    var tools = [[{ header: [2, 3, false] }], ["bold", "italic", "underline", "strike"], ["link", "blockquote"],
                 [{ list: "ordered" }, { list: "bullet" }], ["clean"]];
    if (images) { tools[2].push("image"); }
    tools[2].push("video");
    var quill = new window.Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: { container: tools, handlers: images ? { image: imagePicker(images, names), video: videoDialog(names) }
                                            : { video: videoDialog(names) } },
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

  /* Quill writes a video as a plain link in its semantic HTML; the content keeps the player itself (the server
     allow-lists the address again). */
  function registerVideo() {
    var Video = window.Quill.import("formats/video");
    class Player extends Video {
      html() {
        var frame = document.createElement("iframe");
        frame.setAttribute("src", this.domNode.getAttribute("src") || "");
        frame.setAttribute("allowfullscreen", "");
        return frame.outerHTML;
      }
    }
    window.Quill.register(Player, true);
  }

  function start() {
    if (!window.Quill) { return; }
    registerVideo();
    document.querySelectorAll('textarea[data-editor="rich"]').forEach(mount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
