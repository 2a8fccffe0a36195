/* The album lightbox: a link of the gallery (click or Enter) opens the photo in a modal dialog; ← and → move between
   photos, Esc (or the Close button) closes it and the focus returns to the link. Without JavaScript the links
   simply open the full image. Labels come from the gallery's data-lightbox-labels (JSON). */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function mount(gallery) {
    var labels = JSON.parse(gallery.getAttribute("data-lightbox-labels") || "{}");
    var links = Array.prototype.slice.call(gallery.querySelectorAll("a[data-lightbox]"));
    if (!links.length) { return; }
    var dialog = element("dialog", "", "lightbox");
    dialog.setAttribute("aria-label", labels.dialog || "Photo viewer");
    dialog.setAttribute("aria-describedby", "lightbox-caption");
    var body = element("div", "", "lightbox-body");
    var image = element("img");
    var caption = element("p", "", "lightbox-caption");
    caption.id = "lightbox-caption";
    var position = element("p", "", "lightbox-position");
    position.setAttribute("aria-live", "polite");
    var controls = element("div", "", "lightbox-controls");
    var previous = element("button", "← " + (labels.previous || "Previous"));
    var next = element("button", (labels.next || "Next") + " →");
    var close = element("button", labels.close || "Close");
    [previous, next, close].forEach(function (button) { button.type = "button"; });
    controls.append(previous, next, close);
    body.append(image, caption, position, controls);
    dialog.appendChild(body);
    document.body.appendChild(dialog);
    var current = 0;
    var opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.href;
      image.alt = link.getAttribute("data-full-alt") || "";
      caption.textContent = link.getAttribute("data-caption") || "";
      position.textContent = (labels.position || "{n} / {total}").replace("{n}", current + 1)
        .replace("{total}", links.length);
      previous.hidden = next.hidden = links.length < 2;
    }

    function open(index, link) {
      opener = link;
      show(index);
      dialog.showModal();
      close.focus();
    }

    function finish() {
      dialog.close();
      if (opener) { links[current].focus(); }
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) { return; }  // new tab: as usual
        event.preventDefault();
        open(index, link);
      });
    });
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    close.addEventListener("click", finish);
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); finish(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { finish(); } });
  }

  function start() {
    document.querySelectorAll("[data-lightbox-labels]").forEach(mount);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
