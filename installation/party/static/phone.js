"use strict";
// A phone in the room: suggest, and vote for painted images.
const root = document.getElementById("phone");
const session = root.dataset.session;
const said = document.getElementById("said");

async function post(path, body) {
  const response = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify(body)});
  return [response.ok, await response.json()];
}

document.getElementById("suggest").addEventListener("submit", async (event) => {
  event.preventDefault();
  const idea = document.getElementById("idea");
  const [ok, data] = await post(`/api/p/${session}/suggest`,
                                {kind: document.getElementById("kind").value, text: idea.value});
  said.textContent = ok ? `Sent: “${data.text}”. The prompt master will see it.` : (data.error || "refused");
  if (ok) idea.value = "";
});

async function refresh() {
  const response = await fetch(`/api/p/${session}/state`);
  if (!response.ok) return;
  const state = await response.json();
  const list = document.getElementById("images");
  list.replaceChildren(...state.steps.slice().reverse().map((step) => {
    const item = document.createElement("li");
    const img = document.createElement("img");
    img.src = step.image; img.alt = step.caption;
    const caption = document.createElement("p");
    caption.textContent = `#${step.number} ${step.caption}`;
    const button = document.createElement("button");
    button.className = "vote"; button.dataset.step = step.id;
    button.textContent = `${step.voted ? "♥" : "♡"} ${step.votes}`;
    button.addEventListener("click", async () => {
      const [ok, data] = await post(`/api/p/${session}/vote`, {step: step.id});
      if (!ok) { said.textContent = data.error || "refused"; return; }
      refresh();
    });
    item.append(img, caption, button);
    return item;
  }));
}
refresh();
setInterval(refresh, 3000);
