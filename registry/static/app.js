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
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-communes-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked || !list) {
          return;
        }
        asked = text;
        fetch(input.getAttribute("data-communes-url") + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
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
