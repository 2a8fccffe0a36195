/* A long run's page (a rollup recompute, a merge or split): poll its JSON progress every second, update the bar
   and every [data-field] named like a key of the answer; reload once it is finished (the page then shows the
   final state, an error included). Without JavaScript a meta refresh does the same. */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || box.getAttribute("data-finished") === "true" || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (run) {
        if (bar) { bar.max = run.total || 1; bar.value = run.done; }
        Object.keys(run).forEach(function (name) {
          box.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) { el.textContent = run[name]; });
        });
        if (run.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
