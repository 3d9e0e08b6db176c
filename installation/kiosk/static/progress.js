// Asks for the job's status once a second (the live painting's latest step with it). While the state stays the same it redraws the steps and the
// place in the queue; when the state changes the page is loaded again, so the server says what it shows.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status");
  var shown = box.getAttribute("data-view");
  function draw(status) {
    var list = document.getElementById("stages");
    if (list) {
      list.textContent = "";
      status.stages.forEach(function (s) {
        var li = document.createElement("li");
        li.textContent = s.label;
        li.className = (s.done ? "done" : "") + (s.current ? " current" : "");
        if (s.current) { li.setAttribute("aria-current", "step"); }
        list.appendChild(li);
      });
    }
    document.getElementById("position").textContent = status.wait;
    // The painting as it arrives: the worker writes each step, the server says which one is the latest.
    var live = document.getElementById("live");
    if (live && status.live) {
      var img = document.getElementById("live-image");
      if (img.getAttribute("src") !== status.live.url) { img.setAttribute("src", status.live.url); }
      document.getElementById("live-step").textContent = status.live.caption;
      live.hidden = false;
    }
  }
  function poll() {
    fetch(url, {cache: "no-store", credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (status) {
      if (status.result) { window.location.assign(status.result); return; }
      if (status.welcome) { window.location.assign(status.welcome); return; }
      if (status.view !== shown) { window.location.reload(); return; }
      draw(status);
      window.setTimeout(poll, 1000);
    }).catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
}());
