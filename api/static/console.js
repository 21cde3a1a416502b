// The console's only script: confirmation prompts, copying a new key, and live job updates over
// server-sent events. Served from this origin (the pages' CSP allows no inline script).
"use strict";
(function () {
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target.getAttribute && event.target.getAttribute("data-copy");
    if (!target || !navigator.clipboard) return;
    var button = event.target;
    navigator.clipboard.writeText(document.getElementById(target).textContent).then(function () {
      button.textContent = "Copied";
    });
  });

  var table = document.querySelector("[data-job-stream]");
  if (!table || !window.EventSource) return;
  var rows = {};
  table.querySelectorAll("tr[data-job-id]").forEach(function (tr) {
    rows[tr.getAttribute("data-job-id")] = tr;
  });
  var url = "/console/jobs/stream?ids=" + Object.keys(rows).join(",") +
    "&newest=" + encodeURIComponent(table.getAttribute("data-newest") || "0");
  var source = new EventSource(url);

  source.addEventListener("job", function (event) {
    var job = JSON.parse(event.data);
    var tr = rows[String(job.id)];
    if (!tr) return;
    var status = tr.querySelector('[data-field="status"] .status');
    var bar = tr.querySelector('[data-field="progress"] progress');
    var changed = status.textContent !== job.status || Number(bar.value) !== job.progress;
    status.textContent = job.status;
    status.className = "status s-" + job.status;
    bar.value = job.progress;
    tr.querySelector('[data-field="progress-text"]').textContent =
      Math.round(job.progress * 100) + "%";
    tr.querySelector('[data-field="updated"]').textContent =
      job.updated_at.slice(0, 19).replace("T", " ");
    if (changed) {
      tr.classList.remove("changed");
      void tr.offsetWidth; // restart the highlight animation
      tr.classList.add("changed");
      var note = document.getElementById("timeline-note");
      if (note) note.hidden = false;
    }
  });

  source.addEventListener("newest", function () {
    var note = document.getElementById("new-jobs");
    if (note) note.hidden = false;
  });

  source.addEventListener("logout", function () {
    source.close();
    window.location.reload();
  });
})();
