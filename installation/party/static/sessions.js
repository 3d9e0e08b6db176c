"use strict";
// The host's first page: start a party with a theme.
document.getElementById("start").addEventListener("submit", async (event) => {
  event.preventDefault();
  const theme = document.getElementById("theme").value.trim();
  const response = await fetch("/api/host/sessions", {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({theme}),
  });
  const data = await response.json();
  if (!response.ok) { document.getElementById("error").textContent = data.error || data.detail || "refused"; return; }
  window.location.href = data.host_url;
});
