// Shared screen: after the page's idle time without a touch, a key or a move, leave for the visitor
// (the leave form ends the visit on the server and shows the welcome page). A page brought back from
// the browser's memory by Back is loaded again, so the server decides what it shows.
(function () {
  "use strict";
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
  var seconds = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  if (!seconds) { return; }
  var timer = null;
  function leave() {
    var form = document.getElementById("leave-form");
    if (form) { form.submit(); } else { window.location.assign("/"); }
  }
  function touched() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(leave, seconds * 1000);
  }
  ["pointerdown", "keydown", "wheel", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, touched, {passive: true});
  });
  touched();
}());
