// Forms carrying data-confirm (removing a partner...) ask before they are sent; without JavaScript they are sent as is.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A form sent back with errors: move the focus to its summary so that screen readers announce it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
});

// A commune field (data-communes-url) proposes the communes whose name, code or postcode starts with what is
// typed, in its datalist; without JavaScript the server resolves the name and lists the candidates if needed.
// Sending the form cancels the lookup under way: its answer is of no use any more.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-communes-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    var lookup = null;
    if (input.form) {
      input.form.addEventListener("submit", function () {
        window.clearTimeout(timer);
        if (lookup) {
          lookup.abort();
        }
      });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked || !list) {
          return;
        }
        asked = text;
        lookup = new AbortController();
        fetch(input.getAttribute("data-communes-url") + "?q=" + encodeURIComponent(text),
              {credentials: "same-origin", signal: lookup.signal})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (communes) {
            list.replaceChildren.apply(list, communes.map(function (commune) {
              var option = document.createElement("option");
              option.value = commune.label;
              option.textContent = commune.code + " · " + commune.postal_codes.join(", ");
              return option;
            }));
          })
          .catch(function () {});
      }, 200);
    });
  });
});

// A job's page (data-job-status) follows its job: the JSON is read every few seconds until the job is finished,
// then the result's link appears (or opens, for a preview), or the reason of its failure. Without JavaScript the
// page refreshes itself (<noscript>).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job-status]");
  if (!box || box.getAttribute("data-job-finished") === "oui") {
    return;
  }
  var delay = 1000 * (parseInt(box.getAttribute("data-refresh-seconds"), 10) || 2);
  var part = function (name) { return box.querySelector("[data-job-" + name + "]"); };
  function show(job) {
    part("state").textContent = job.state;
    part("bar").setAttribute("aria-valuenow", job.progress.percent);
    var fill = part("fill");
    fill.style.width = job.progress.percent + "%";
    fill.textContent = job.progress.percent + " %";
    var counted = job.progress.total ? job.progress.done + " sur " + job.progress.total + " — " : "";
    part("message").textContent = counted + (job.progress.message || "");
    if (job.error) {
      fill.classList.add("bg-danger");
      part("error-text").textContent = job.error;
      part("error").hidden = false;
    }
    if (job.link) {
      var anchor = part("link-anchor");
      anchor.href = job.link.url;
      anchor.textContent = job.link.label;
      part("filename").textContent = job.link.filename || "";
      part("link").hidden = false;
    }
    if (job.finished) {
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
      var note = part("running-note");
      if (note) {
        note.hidden = true;
      }
      if (job.link && job.open_when_done) {
        window.location.assign(job.link.url);
      }
    }
  }
  function poll() {
    fetch(box.getAttribute("data-job-status"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 404 || response.redirected) {
          window.location.reload();  // expired, or signed out: the page itself says so
          return null;
        }
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (!job) {
          return;
        }
        show(job);
        if (!job.finished) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3 * delay);
      });
  }
  window.setTimeout(poll, delay);
});
