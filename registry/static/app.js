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
