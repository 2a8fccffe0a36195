/* A recompute run's page: poll its JSON progress every second and update the bar; reload once it is finished
   (the page then shows the final state, an error included). Without JavaScript a meta refresh does the same. */
(function () {
  "use strict";
  var box = document.getElementById("rollup-run");
  if (!box || box.getAttribute("data-finished") === "true" || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  function show(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = value; }
  }
  function poll() {
    fetch(box.getAttribute("data-progress-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (run) {
        bar.max = run.total || 1;
        bar.value = run.done;
        ["status_label", "done", "total", "rows_changed"].forEach(function (name) { show(name, run[name]); });
        if (run.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
