/* The theme form: the colour picker and the #rrggbb field follow each other; the preview shows the colour. */
(function () {
  "use strict";
  var HEX = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i;

  function full(value) {
    value = (value || "").trim();
    if (!HEX.test(value)) { return null; }
    if (value.length === 4) { value = "#" + value[1] + value[1] + value[2] + value[2] + value[3] + value[3]; }
    return value.toLowerCase();
  }

  function init() {
    var picker = document.getElementById("accent-picker");
    if (!picker) { return; }
    var text = document.getElementById(picker.getAttribute("data-accent-for"));
    var preview = document.getElementById("theme-preview");
    function show(colour) {
      if (preview) { preview.style.setProperty("--preview-accent", colour || picker.value); }
    }
    picker.addEventListener("input", function () { text.value = picker.value; show(picker.value); });
    text.addEventListener("input", function () {
      var colour = full(text.value);
      if (colour) { picker.value = colour; }
      show(colour);
    });
    show(full(text.value));
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
