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
