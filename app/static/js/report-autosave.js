/* Drafts saved as you go: the report form is posted to its autosave address every ~30 s when it changed,
   and the answer ("Đã lưu lúc 14:05") is shown beside the Save button. Without JavaScript, Save still works. */
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.fetch || !window.FormData) { return; }
    var status = document.getElementById("autosave-status");
    var seconds = parseInt(form.getAttribute("data-autosave-seconds"), 10) || 30;
    var snapshot = function () { return new URLSearchParams(new FormData(form)).toString(); };
    var saved = snapshot();
    var busy = false;

    function show(message, failed) {
      if (!status) { return; }
      status.textContent = message;
      status.classList.toggle("error", !!failed);
    }

    function save() {
      var current = snapshot();
      if (busy || current === saved) { return; }
      busy = true;
      fetch(form.getAttribute("data-autosave"), {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) { saved = current; }
          show(body.message || "", !response.ok);
        });
      }).catch(function () {
        show(form.getAttribute("data-autosave-failed"), true);
      }).then(function () { busy = false; });
    }

    window.setInterval(save, seconds * 1000);
    form.addEventListener("submit", function () { saved = snapshot(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
