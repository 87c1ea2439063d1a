// Keyboard shortcuts for the queue and review pages, and the claim-length counter.
// Kept in a static file (no inline script, no eval) so a strict CSP can apply.
(function () {
  "use strict";

  function typing(event) {
    var el = event.target;
    return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  }

  function move(step) {
    var rows = items();
    if (!rows.length) return;
    var current = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    var next = Math.min(Math.max(current + step, 0), rows.length - 1);
    rows.forEach(function (r) { r.classList.remove("selected"); });
    rows[next].classList.add("selected");
    var link = rows[next].querySelector("[data-item-link]");
    if (link) link.focus();
  }

  function press(key) {
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (!target) return false;
    if (target.tagName === "SUMMARY") {
      target.parentElement.open = true;
      // The first field one can type in: the form starts with its hidden CSRF token.
      var field = target.parentElement.querySelector("input:not([type=hidden]), textarea, select");
      if (field) field.focus();
    } else {
      target.click();
    }
    return true;
  }

  function showHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "n": handled = press("n"); break;
      case "e": handled = press("e"); break;
      case "d": handled = press("d"); break;
      case "?": showHelp(); break;
      case "/":
        var search = document.getElementById("id_q");
        if (search) search.focus(); else handled = false;
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcut-help]")) showHelp();
  });

  document.addEventListener("input", function (event) {
    var counter = document.querySelector('[data-counter-for="' + event.target.id + '"]');
    if (!counter) return;
    var length = event.target.value.length;
    var limit = Number(counter.dataset.limit);
    counter.textContent = length + " characters" + (length > limit
      ? "; longer than " + limit + ", search results will cut it."
      : "; under " + limit + " reads best in search results.");
    counter.classList.toggle("error", length > limit);
  });
})();
