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

  // Select to fix: a selection in the article's text becomes character offsets in the
  // article, as the server counts them (code points), for "make these the item's words" or
  // "add as a new item". Each piece of the text carries where it starts (data-at).
  function position(container, node, offset) {
    var pieces = container.querySelectorAll("[data-at]");
    var last = null;
    for (var i = 0; i < pieces.length; i++) {
      var start = document.createRange();
      start.setStart(pieces[i], 0);
      if (start.comparePoint(node, offset) < 0) break;  // the point lies before this piece
      last = pieces[i];
    }
    if (!last) return pieces.length ? Number(pieces[0].dataset.at) : null;
    var before = document.createRange();
    before.setStart(last, 0);
    before.setEnd(node, offset);
    var length = Math.min(Array.from(before.toString()).length, Array.from(last.textContent).length);
    return Number(last.dataset.at) + length;
  }

  function showSelection() {
    var tool = document.querySelector("[data-select-to-fix]");
    var container = document.querySelector("[data-article-text]");
    var selection = window.getSelection();
    if (!tool || !container || !selection || selection.rangeCount === 0) return;
    var range = selection.getRangeAt(0);
    if (range.collapsed || !container.contains(range.commonAncestorContainer)) return;
    var start = position(container, range.startContainer, range.startOffset);
    var end = position(container, range.endContainer, range.endOffset);
    var text = selection.toString().trim();
    if (start === null || end === null || end <= start || !text) return;
    tool.querySelectorAll("[data-selection-start]").forEach(function (f) { f.value = start; });
    tool.querySelectorAll("[data-selection-end]").forEach(function (f) { f.value = end; });
    // The item's version as the panel shows it now (an htmx swap may have moved it on).
    var version = document.querySelector("#panel input[name=version]");
    var field = tool.querySelector("[data-selection-version]");
    if (version && field) field.value = version.value;
    tool.querySelector("[data-selection-text]").textContent = text.length > 200
      ? text.slice(0, 200) + "…" : text;
    tool.hidden = false;
  }

  document.addEventListener("mouseup", function () { window.setTimeout(showSelection, 0); });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && !typing(event)) showSelection();  // a selection made with the keyboard
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
