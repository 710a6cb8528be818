// The dashboard: reads the API only (docs/api.md), every second; no build step, no library.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const cards = new Map();
let historyAt = 0;

function el(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function statusClass(status) {
  if (status === "PING_OK") return "ok";
  if (["PING_FAILING", "PING_FAILED", "FAILOVER_RUNNING", "SWITCH_RUNNING", "INITIALIZING_MONITOR"].includes(status)) return "warn";
  return "bad";
}

function semiClass(s) {
  if (s.state !== "up") return "down";
  if (s.semiSync === "on") return "semi-on";
  if (s.semiSync === "off") return "semi-off";
  return "semi-none";
}

/** The master on top, its replicas below with an arrow from the master to each; other servers at the end. */
function drawTopology(svg, app) {
  svg.replaceChildren();
  const defs = el("defs");
  const markerId = `arrowhead-${app.name}`;
  const marker = el("marker", { id: markerId, markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: "auto" });
  marker.appendChild(el("path", { d: "M0,0 L8,4 L0,8 z", fill: "#555" }));
  defs.appendChild(marker);
  svg.appendChild(defs);
  const master = app.servers.find(s => `${s.host}:${s.port}` === app.master);
  const others = app.servers.filter(s => s !== master);
  const width = Math.max(svg.clientWidth || 500, 300);
  const pos = new Map();
  if (master) pos.set(master, { x: width / 2, y: 40 });
  others.forEach((s, i) => pos.set(s, { x: (width / (others.length + 1)) * (i + 1), y: 150 }));
  for (const s of others) {
    if (master && s.replicatingFrom === app.master) {
      const a = pos.get(master), b = pos.get(s);
      svg.appendChild(el("line", { class: "arrow", x1: a.x, y1: a.y + 28, x2: b.x, y2: b.y - 30, "marker-end": `url(#${markerId})` }));
    }
  }
  for (const [s, p] of pos) {
    const g = el("g", { class: `server ${s === master ? "master" : s.role} ${semiClass(s)}`, "data-server": s.name,
      transform: `translate(${p.x - 75},${p.y - 28})` });
    g.appendChild(el("rect", { class: "box", width: 150, height: 56 }));
    g.appendChild(el("text", { x: 75, y: 16 }, `${s.name} (${s === master ? "master" : s.role})`));
    g.appendChild(el("text", { x: 75, y: 32 }, `${s.host}:${s.port}`));
    const detail = s.state !== "up" ? s.state : s.role === "replica"
      ? `IO ${s.ioThread} SQL ${s.sqlThread ? "Yes" : "No"} lag ${s.lagSeconds ?? "?"} s` : `semi-sync ${s.semiSync}`;
    g.appendChild(el("text", { x: 75, y: 48, class: "detail" }, detail));
    const title = el("title", {}, s.error || s.gtidExecuted || "");
    g.appendChild(title);
    svg.appendChild(g);
  }
}

function card(name) {
  if (!cards.has(name)) {
    const node = document.getElementById("app-template").content.firstElementChild.cloneNode(true);
    node.dataset.app = name;
    node.id = `app-${name}`;
    document.getElementById("apps").appendChild(node);
    cards.set(name, node);
  }
  return cards.get(name);
}

function render(app) {
  const c = card(app.name);
  c.querySelector(".name").textContent = app.name;
  const st = c.querySelector(".status");
  st.textContent = app.status;
  st.className = `status ${statusClass(app.status)}`;
  c.querySelector(".master").textContent = app.master || "none";
  c.querySelector(".detector").textContent = `${app.detector.code}${app.detector.lastCheckMillis != null ? ` (last check ${app.detector.lastCheckMillis} ms)` : ""}`;
  const problem = c.querySelector(".problem");
  problem.hidden = !app.problem;
  problem.textContent = app.problem || "";
  drawTopology(c.querySelector(".topology"), app);
  const f = c.querySelector(".failover");
  f.hidden = !app.failover;
  if (app.failover) {
    c.querySelector(".dead").textContent = app.failover.master;
    c.querySelector(".phase").textContent = app.failover.phase;
    const ol = c.querySelector(".steps");
    ol.replaceChildren(...app.failover.steps.map(stepItem));
  }
  const rj = c.querySelector(".rejoin");
  rj.hidden = app.needsRejoin.length === 0;
  rj.textContent = app.needsRejoin.map(n => `needs rejoin: ${n.server}: ${n.message}`).join("\n");
}

function stepItem(s) {
  const li = document.createElement("li");
  li.className = s.outcome;
  li.textContent = `${s.name}${s.server ? " on " + s.server : ""}: ${s.millis} ms${s.outcome !== "ok" ? " (" + s.outcome + (s.detail ? ": " + s.detail : "") + ")" : ""}`;
  return li;
}

function renderHistory(name, history) {
  const body = card(name).querySelector(".history tbody");
  body.replaceChildren(...history.map(h => {
    const tr = document.createElement("tr");
    const took = Date.parse(h.ended) - Date.parse(h.started);
    for (const v of [new Date(h.started).toLocaleString(), h.kind, h.master, h.newMaster || "", h.cause, h.outcome, `${took} ms`]) {
      const td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    }
    tr.title = `${h.started}\n` + h.steps.map(s => `${s.phase} / ${s.name}${s.server ? " " + s.server : ""}: ${s.millis} ms ${s.outcome}`).join("\n");
    return tr;
  }));
}

async function refresh() {
  try {
    const r = await fetch("api/apps", { cache: "no-store" });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
    body.apps.forEach(render);
    for (const [name, node] of cards) if (!body.apps.some(a => a.name === name)) { node.remove(); cards.delete(name); }
    const p = document.getElementById("problems");
    p.hidden = body.problems.length === 0;
    p.textContent = body.problems.map(x => `${x.file}: ${x.message}`).join("\n");
    document.getElementById("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
    if (Date.now() - historyAt > 5000) {
      historyAt = Date.now();
      for (const a of body.apps) {
        const h = await fetch(`api/apps/${encodeURIComponent(a.name)}/history`, { cache: "no-store" });
        if (h.ok) renderHistory(a.name, (await h.json()).history);
      }
    }
  } catch (e) {
    document.getElementById("updated").textContent = `cannot reach the API: ${e.message}`;
  }
}

// one refresh at a time: a slow answer is never drawn over a newer one
async function loop() {
  await refresh();
  setTimeout(loop, 1000);
}
loop();
