/* The public header menu (app/site/templates/site/_menu.html): a top-level item with sub-items has a disclosure
   button (aria-expanded, aria-controls). Enter or Space toggles its sub-menu, Escape closes it and returns the
   focus to the button; the sub-menu's links follow the button in the Tab order. Opening one closes the others.
   Without JavaScript the sub-menus open on hover and on focus (CSS :focus-within). */
(function () {
  "use strict";

  function mount(nav) {
    var buttons = Array.prototype.slice.call(nav.querySelectorAll(".submenu-toggle"));
    if (!buttons.length) { return; }
    nav.classList.add("menu-js");

    function submenu(button) {
      return document.getElementById(button.getAttribute("aria-controls"));
    }

    function setOpen(button, open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      var list = submenu(button);
      if (list) { list.classList.toggle("is-open", open); }
    }

    function closeAll(except) {
      buttons.forEach(function (other) {
        if (other !== except) { setOpen(other, false); }
      });
    }

    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        closeAll(button);
        setOpen(button, open);
      });
      var item = button.parentNode;
      item.addEventListener("keydown", function (event) {
        if ((event.key === "Escape" || event.key === "Esc") && button.getAttribute("aria-expanded") === "true") {
          setOpen(button, false);
          button.focus();
          event.preventDefault();
        }
      });
      item.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !item.contains(event.relatedTarget)) { setOpen(button, false); }
      });
    });

    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target)) { closeAll(null); }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("nav[data-menu]"), mount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
