/* The article's cover: the <select> of library images works alone; this adds thumbnails — a preview of the chosen
   image and a "choose from the library" button opening a modal dialog of the images (keyboard: Tab between them,
   Enter chooses, Esc closes, the focus goes back to the button). The list comes from data-cover-images (JSON). */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function mount(select) {
    var labels = JSON.parse(select.getAttribute("data-cover-labels") || "{}");
    var url = select.getAttribute("data-cover-images");
    var thumbs = {};
    var preview = element("img", "", "cover-preview");
    preview.alt = "";
    preview.hidden = true;
    var open = element("button", labels.open || "Library…", "button");
    open.type = "button";
    var bar = element("p", "", "cover-picker");
    bar.append(open, preview);
    select.insertAdjacentElement("afterend", bar);

    function showPreview() {
      var thumb = thumbs[select.value];
      preview.hidden = !thumb;
      if (thumb) { preview.src = thumb; }
    }

    var loaded = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.images.forEach(function (image) { thumbs[String(image.id)] = image.thumb; });
        showPreview();
        return data;
      });
    // An alt text written for the cover shown when the page loaded describes that picture, not another one: choosing
    // another image empties it (the new image's library description then applies), choosing it back restores it.
    var altField = select.form ? select.form.elements.namedItem("cover_alt") : null;
    var loadedChoice = select.value;
    var loadedAlt = altField ? altField.value : "";
    function followChoice() {
      if (!altField || !loadedAlt) { return; }
      if (select.value !== loadedChoice && altField.value === loadedAlt) { altField.value = ""; }
      else if (select.value === loadedChoice && altField.value === "") { altField.value = loadedAlt; }
    }
    select.addEventListener("change", function () { followChoice(); showPreview(); });

    open.addEventListener("click", function () {
      var dialog = element("dialog", "", "image-picker");
      dialog.setAttribute("aria-labelledby", "cover-picker-title");
      var title = element("h2", labels.title || "Images");
      title.id = "cover-picker-title";
      var list = element("ul", "", "image-choices");
      var close = element("button", labels.close || "Close", "button");
      close.type = "button";
      dialog.append(title, list, close);
      document.body.appendChild(dialog);
      function finish() { dialog.close(); dialog.remove(); open.focus(); }
      close.addEventListener("click", finish);
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); finish(); });
      loaded.then(function (data) {
        var choices = data.images.filter(function (image) {
          return select.querySelector('option[value="' + image.id + '"]');
        });
        if (!choices.length) {
          var empty = element("p", (labels.none || "") + " ");
          var link = element("a", data.library);
          link.href = data.library;
          empty.appendChild(link);
          list.replaceWith(empty);
          close.focus();
          return;
        }
        choices.forEach(function (image) {
          var choose = element("button", "", "image-choice");
          choose.type = "button";
          if (String(image.id) === select.value) { choose.setAttribute("aria-pressed", "true"); }
          var thumb = element("img");
          thumb.src = image.thumb;
          thumb.alt = "";
          choose.append(thumb, element("span", image.alt || image.title));
          choose.addEventListener("click", function () {
            select.value = String(image.id);
            select.dispatchEvent(new Event("change", { bubbles: true }));
            finish();
          });
          var item = element("li");
          item.appendChild(choose);
          list.appendChild(item);
        });
        (list.querySelector('[aria-pressed="true"]') || list.querySelector("button")).focus();
      });
      dialog.showModal();
    });
  }

  function start() {
    document.querySelectorAll("select[data-cover-images]").forEach(mount);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
