// Polls the job's status once a second and redraws the stages; goes to the result when it is done.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status");
  function draw(status) {
    var list = document.getElementById("stages");
    list.textContent = "";
    status.stages.forEach(function (s) {
      var li = document.createElement("li");
      li.textContent = s.label;
      li.className = (s.done ? "done" : "") + (s.current ? " current" : "");
      list.appendChild(li);
    });
    var pos = document.getElementById("position");
    pos.textContent = status.position > 1 ? "Place in the queue: " + status.position
      : status.position === 1 ? "You are next." : "";
    var err = document.getElementById("error");
    if (status.error) { err.textContent = status.error; err.hidden = false; }
    var note = document.getElementById("note");
    if (status.note) { note.textContent = status.note; note.hidden = false; }
  }
  function poll() {
    fetch(url, {cache: "no-store", credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (status) {
      if (status.result) { window.location.assign(status.result); return; }
      if (status.welcome) { window.location.assign(status.welcome); return; }
      draw(status);
      if (status.state !== "failed" && status.state !== "hidden" && status.state !== "held") {
        window.setTimeout(poll, 1000);
      }
    }).catch(function () { window.setTimeout(poll, 2000); });
  }
  poll();
}());
