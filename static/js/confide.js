// Hide screen: blanks the page at once in a shared room, back with a click.
// Without JavaScript the button is a link to an empty page.
(function () {
  "use strict";
  var lastEscape = 0;

  function cover() { return document.getElementById("screen-cover"); }

  function hide() {
    var c = cover();
    if (!c) { return; }
    document.documentElement.classList.add("screen-hidden");
    c.hidden = false;
    c.querySelector("[data-show-screen]").focus();
  }

  function show() {
    var c = cover();
    if (!c) { return; }
    document.documentElement.classList.remove("screen-hidden");
    c.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-hide-screen], [data-show-screen]");
    if (!target) { return; }
    event.preventDefault();
    if (target.hasAttribute("data-hide-screen")) { hide(); } else { show(); }
  });

  // Esc twice within a second hides the screen from anywhere, even while typing.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { hide(); lastEscape = 0; } else { lastEscape = now; }
  });
}());

// Find a child as you type (the header's search box). Without JavaScript the box is a
// form that opens the "Find a child" page. What is typed is POSTed, never put in a URL.
(function () {
  "use strict";
  var form = document.querySelector("form[data-find]");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var panel = document.getElementById("find-panel");
  var timer = null;
  var asked = 0;

  function close() { panel.hidden = true; panel.innerHTML = ""; }

  function links() { return Array.prototype.slice.call(panel.querySelectorAll("a")); }

  function ask() {
    var text = input.value.trim();
    if (text.replace(/\s/g, "").length < 2) { close(); return; }
    var mine = ++asked;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Confide-Find": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (mine !== asked) { return; }  // a later search has been asked for
      panel.innerHTML = html;
      panel.hidden = !html.trim();
    }).catch(close);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });

  input.addEventListener("keydown", function (event) {
    var found = links();
    if (event.key === "ArrowDown" && found.length) {
      event.preventDefault();
      found[0].focus();
    } else if (event.key === "Enter" && found.length && !panel.hidden) {
      event.preventDefault();
      window.location.href = found[0].href;
    } else if (event.key === "Escape" && !panel.hidden) {
      close();
    }
  });

  panel.addEventListener("keydown", function (event) {
    var found = links();
    var at = found.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < found.length - 1) {
      event.preventDefault();
      found[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) { found[at - 1].focus(); } else { input.focus(); }
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { close(); }
  });
}());
