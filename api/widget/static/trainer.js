/* Outcome Coach — the trainer's live workshop page. Server-sent events from /v1/workshops/CODE/events;
   every participant text is inserted with textContent. */
(function () {
  "use strict";

  var code = document.body.getAttribute("data-code");
  var key = new URLSearchParams(location.search).get("key") || "";
  var seen = new Set();
  var MAX_FEED = 500;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function pct(x) { return Math.round((Number(x) || 0) * 100) + "%"; }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function chip(label, confidence, unsure) {
    var c = el("span", "t-chip t-chip-" + (label === "outcome" ? "outcome" : "output") + (unsure ? " t-chip-unsure" : ""));
    c.append(el("span", null, label), el("span", "t-chip-conf", pct(confidence)));
    return c;
  }

  function statementItem(s) {
    var li = el("li", "t-item");
    li.setAttribute("data-id", s.id);
    var top = el("div", "t-item-top");
    top.append(chip(s.label, s.confidence, s.needs_clarification), el("span", "t-who", s.participant),
      el("time", "t-time", time(s.at)));
    li.append(top, el("p", "t-text", s.text));
    if (s.needs_clarification) li.append(el("p", "t-flag", "The coach was unsure — worth discussing"));
    return li;
  }

  function addStatement(s) {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    var feed = $("t-feed");
    feed.prepend(statementItem(s));
    while (feed.children.length > MAX_FEED) feed.lastElementChild.remove();
    $("t-feed-empty").hidden = true;
  }

  function fill(list, items, make, empty) {
    list.replaceChildren.apply(list, items.map(make));
    $(empty).hidden = items.length > 0;
  }

  function chainItem(c) {
    var li = el("li", "t-chain");
    var steps = el("div", "t-steps");
    if (c.origin_label === "output") steps.append(el("span", "t-step t-step-output", c.origin));
    (c.rungs || []).forEach(function (r) { steps.append(el("span", "t-step t-step-mid", r)); });
    steps.append(c.outcome ? el("span", "t-step t-step-outcome", c.outcome)
      : el("span", "t-step t-step-open", "outcome not named yet"));
    li.append(steps);
    if (c.measures && c.measures.length) {
      var ms = el("ul", "t-tags t-tags-small");
      c.measures.forEach(function (m) { ms.append(el("li", "t-tag", m.name + " (" + m.kind + ")")); });
      li.append(ms);
    }
    return li;
  }

  function unsureItem(s) {
    var li = el("li", "t-unsure-item");
    li.append(chip(s.label, s.confidence, true), el("span", "t-text", s.text), el("span", "t-who", s.participant));
    return li;
  }

  var STUCK = { open: "still talking", skipped: "skipped", unresolved: "no outcome after three steps",
    commitment: "kept as a commitment" };

  function stuckItem(c) {
    var li = el("li", "t-stuck-item");
    var top = el("div", "t-item-top");
    top.append(el("span", "t-stuck-status", STUCK[c.status] || c.status), el("span", "t-who", c.participant || ""));
    li.append(top, el("p", "t-text", c.origin));
    if (c.rungs && c.rungs.length) li.append(el("p", "t-rungs", "\u2192 " + c.rungs.join(" \u2192 ")));
    return li;
  }

  function setStatus(status) {
    var label = { waiting: "Not started", live: "Open to participants", closed: "Closed" }[status] || status;
    var badge = $("t-status");
    badge.setAttribute("data-status", status);
    badge.textContent = label;
    document.body.setAttribute("data-status", status);
    $("t-start").hidden = status === "live";
    $("t-start").textContent = status === "closed" ? "Reopen" : "Start";
    $("t-close").hidden = status !== "live";
  }

  function applySummary(s) {
    var out = (s.counts && s.counts.output) || 0;
    var oc = (s.counts && s.counts.outcome) || 0;
    $("t-participants").textContent = s.participants || 0;
    $("t-statements").textContent = out + oc;
    $("t-outputs").textContent = out;
    $("t-outcomes").textContent = oc;
    var total = out + oc || 1;
    $("t-bar-out").style.width = (100 * out / total) + "%";
    $("t-bar-oc").style.width = (100 * oc / total) + "%";
    fill($("t-unsure"), s.unsure || [], unsureItem, "t-unsure-empty");
    fill($("t-stuck"), s.stuck || [], stuckItem, "t-stuck-empty");
    if (s.status) setStatus(s.status);
    fill($("t-chains"), (s.chains || []).filter(function (c) { return c.outcome || (c.rungs && c.rungs.length); }),
      chainItem, "t-chains-empty");
    fill($("t-measures"), s.measures || [], function (m) { return el("li", "t-tag", m); }, "t-measures-empty");
  }

  function setLive(state, text) {
    var live = $("t-live");
    live.setAttribute("data-state", state);
    live.textContent = text;
  }

  // export links carry the key (if any) so a plain click downloads the file
  Array.prototype.forEach.call(document.querySelectorAll("#t-exports a"), function (a) {
    var q = new URLSearchParams({ format: a.getAttribute("data-format"), download: "true" });
    if (key) q.set("key", key);
    a.href = "/v1/workshops/" + encodeURIComponent(code) + "/map?" + q.toString();
  });

  // ----- running the workshop: start, close, reset (with a confirmation dialog, never a browser confirm()) -----
  function act(action) {
    var q = key ? "?key=" + encodeURIComponent(key) : "";
    $("t-action-status").textContent = "";
    return fetch("/v1/workshops/" + encodeURIComponent(code) + "/" + action + q, {
      method: "POST", headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.detail) || ("The server answered " + res.status + "."));
        return body;
      });
    }).then(function (body) {
      setStatus(body.status);
      var said = { start: "The workshop is open: participants can join.",
        close: "Closed: nobody new can join. Everything said is kept.",
        reset: "Reset: " + body.removed + " participant session(s) removed." }[action];
      $("t-action-status").textContent = said;
      return body;
    }, function (err) { $("t-action-status").textContent = err.message || "That did not work; try again."; });
  }
  $("t-start").addEventListener("click", function () { act("start"); });
  $("t-close").addEventListener("click", function () { act("close"); });
  var dialog = $("t-reset-dialog");
  $("t-reset").addEventListener("click", function () { dialog.returnValue = ""; dialog.showModal(); });
  dialog.addEventListener("close", function () { if (dialog.returnValue === "reset") act("reset"); });
  $("t-copy").addEventListener("click", function () {
    var link = $("t-join-url").href;
    (navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject()).then(function () {
      $("t-action-status").textContent = "Link copied.";
    }, function () { $("t-action-status").textContent = "Copy the link: " + link; });
  });
  setStatus(document.body.getAttribute("data-status") || "live");

  var url = "/v1/workshops/" + encodeURIComponent(code) + "/events" + (key ? "?key=" + encodeURIComponent(key) : "");
  var source = new EventSource(url);
  source.addEventListener("open", function () { setLive("live", "Live"); });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) setLive("down", "Disconnected — reload the page");
    else setLive("connecting", "Reconnecting…");
  });
  source.addEventListener("snapshot", function (e) {
    var data = JSON.parse(e.data);
    seen.clear(); // a reconnect or a reset: the snapshot is the whole truth
    $("t-feed").replaceChildren();
    $("t-feed-empty").hidden = false;
    (data.statements || []).forEach(addStatement);
    applySummary(data);
    setLive("live", "Live");
  });
  source.addEventListener("statement", function (e) { addStatement(JSON.parse(e.data)); });
  source.addEventListener("summary", function (e) { applySummary(JSON.parse(e.data)); });
  source.addEventListener("gone", function () { source.close(); setLive("down", "This workshop no longer exists"); });
})();
