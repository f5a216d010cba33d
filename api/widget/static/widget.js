/*! Outcome Coach widget — add it to any page with one tag:
 *    <script src="https://COACH-HOST/widget.js" data-key="oc_w_…" defer></script>
 *  Optional: data-title="…", data-api="https://…" (defaults to the script's own origin), data-open="true".
 *  Plain JavaScript, no framework, no build step. Styles live in a shadow root, so the host page's CSS and
 *  the widget's never mix. Everything the person or the server writes is inserted with textContent or as
 *  text nodes — never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__outcomeCoachWidget) return;
  window.__outcomeCoachWidget = true;

  var API = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var KEY = (script.getAttribute("data-key") || "").trim();
  var TITLE = script.getAttribute("data-title") || "Outcome coach";
  var STORE = "outcome-coach:" + API + ":" + (KEY ? KEY.slice(0, 12) : "local");
  var UNREACHABLE = "Can't reach the coach right now.";
  var UNREACHABLE_HINT = "Check your connection. Your message is kept: press Send to try again.";

  // ----- small helpers -----------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = String(v);
      else if (k === "class") node.className = v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    [].concat(children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.append(c); // strings become text nodes
    });
    return node;
  }

  function store(name, value) {
    try {
      if (value === undefined) return localStorage.getItem(STORE + ":" + name);
      if (value === null) localStorage.removeItem(STORE + ":" + name);
      else localStorage.setItem(STORE + ":" + name, value);
    } catch (e) { /* private mode: the widget still works, it just forgets on reload */ }
    return null;
  }

  function uid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  var counter = 0;
  function nextId(p) { counter += 1; return "oc-" + p + "-" + counter; }

  function pct(x) { return Math.round((Number(x) || 0) * 100) + "%"; }

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem || {};
    this.message = (problem && problem.detail) || ("The coach answered " + status + ".");
  }

  function NetworkError() { this.message = UNREACHABLE; this.network = true; }

  function request(method, path, body, extraHeaders) {
    var headers = { Accept: "application/json" };
    if (KEY) headers.Authorization = "Bearer " + KEY;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(API + path, {
      method: method, headers: headers, mode: "cors", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      return res;
    }, function () {
      throw new NetworkError();
    }).then(function (res) {
      if (res.ok) return res;
      return res.json().then(function (p) { throw new ApiError(res.status, p); },
        function () { throw new ApiError(res.status, null); });
    });
  }

  function json(method, path, body, headers) {
    return request(method, path, body, headers).then(function (res) {
      return res.status === 204 ? null : res.json();
    });
  }

  // ----- the DOM --------------------------------------------------------------------------------------------

  var host = el("div", { "class": "outcome-coach-widget", "data-outcome-coach": "" });
  var root = host.attachShadow({ mode: "open" });
  var sheet = el("link", { rel: "stylesheet", href: API + "/widget.css" });
  var shell = el("div", { "class": "oc-root", hidden: true });
  function reveal() { shell.hidden = false; }
  sheet.addEventListener("load", reveal);
  sheet.addEventListener("error", reveal);
  setTimeout(reveal, 3000);

  var launcher = el("button", {
    type: "button", "class": "oc-launcher", "aria-expanded": "false", "aria-controls": "oc-panel",
    "aria-label": "Open the " + TITLE
  }, [el("span", { "class": "oc-launcher-dot", "aria-hidden": "true" }), el("span", { text: TITLE })]);

  var titleId = nextId("title");
  var badge = el("span", { "class": "oc-badge", hidden: true });
  var joinToggle = el("button", { type: "button", "class": "oc-action", "aria-expanded": "false",
    "aria-controls": "oc-join", text: "Join workshop" });
  var newButton = el("button", { type: "button", "class": "oc-action", text: "New", "aria-label": "New conversation", title: "Start a new conversation" });
  var closeButton = el("button", { type: "button", "class": "oc-close", "aria-label": "Close the coach", text: "\u00d7" });

  var tabChat = el("button", { type: "button", role: "tab", id: "oc-tab-chat", "class": "oc-tab",
    "aria-selected": "true", "aria-controls": "oc-view-chat", text: "Chat" });
  var tabMap = el("button", { type: "button", role: "tab", id: "oc-tab-map", "class": "oc-tab",
    "aria-selected": "false", "aria-controls": "oc-view-map", tabindex: "-1", text: "Outcome map" });

  // join a workshop
  var joinCode = el("input", { id: "oc-join-code", "class": "oc-field", name: "code", autocomplete: "off",
    maxlength: "16", spellcheck: "false", autocapitalize: "characters", placeholder: "e.g. K7QX4M", required: true });
  var joinName = el("input", { id: "oc-join-name", "class": "oc-field", name: "participant", maxlength: "100",
    autocomplete: "nickname", placeholder: "optional" });
  var joinStatus = el("p", { "class": "oc-form-status", role: "alert" });
  var joinForm = el("form", { id: "oc-join", "class": "oc-join", hidden: true, "aria-label": "Join a workshop" }, [
    el("p", { "class": "oc-join-intro", text: "Your trainer shares a short code. Your conversation joins the " +
      "workshop, and the trainer sees your statements live." }),
    el("div", { "class": "oc-join-row" }, [
      el("label", { "for": "oc-join-code", text: "Workshop code" }), joinCode,
      el("label", { "for": "oc-join-name", text: "Your name" }), joinName
    ]),
    joinStatus,
    el("div", { "class": "oc-join-actions" }, [
      el("button", { type: "submit", "class": "oc-primary", text: "Join" }),
      el("button", { type: "button", "class": "oc-secondary", text: "Cancel", onclick: function () { showJoin(false); } })
    ])
  ]);

  var log = el("div", { "class": "oc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation with the coach", tabindex: "0" });
  var thinking = el("p", { "class": "oc-thinking", hidden: true, "aria-hidden": "true" },
    [el("span", { "class": "oc-dots" }), "The coach is thinking\u2026"]);
  var status = el("div", { "class": "oc-status", role: "alert", hidden: true });
  var input = el("textarea", { id: "oc-input", "class": "oc-input", rows: "2", maxlength: "10000",
    placeholder: "Describe something your team delivered, or a goal\u2026", "aria-describedby": "oc-compose-help" });
  var send = el("button", { type: "submit", "class": "oc-send", text: "Send" });
  var compose = el("form", { "class": "oc-compose", "aria-label": "Write to the coach" }, [
    el("label", { "for": "oc-input", "class": "oc-sr", text: "Your message" }),
    input, send,
    el("p", { id: "oc-compose-help", "class": "oc-help", text: "Enter sends \u00b7 Shift+Enter for a new line" })
  ]);
  var chatView = el("div", { id: "oc-view-chat", role: "tabpanel", "aria-labelledby": "oc-tab-chat",
    "class": "oc-view" }, [log, thinking, status, compose]);

  var mapImg = el("img", { "class": "oc-map-img", alt: "", hidden: true });
  var mapEmpty = el("p", { "class": "oc-map-empty",
    text: "Nothing mapped yet. Tell the coach about your work; outputs, the outcomes they serve and their " +
      "measures appear here." });
  var mapStatus = el("p", { "class": "oc-form-status", role: "status" });
  var exportRow = el("div", { "class": "oc-exports", role: "group", "aria-label": "Export the outcome map" },
    [["md", "Markdown"], ["csv", "CSV"], ["svg", "SVG"], ["json", "JSON"]].map(function (f) {
      return el("button", { type: "button", "class": "oc-secondary", "data-format": f[0],
        text: "Download " + f[1], onclick: function () { download(f[0]); } });
    }));
  var deleteButton = el("button", { type: "button", "class": "oc-danger", text: "Delete this conversation",
    onclick: function () { forget(); } });
  var mapView = el("div", { id: "oc-view-map", role: "tabpanel", "aria-labelledby": "oc-tab-map",
    "class": "oc-view oc-mapview", hidden: true }, [
    el("div", { "class": "oc-map-frame", tabindex: "0", "aria-label": "Outcome map (scrolls sideways)" },
      [mapEmpty, mapImg]),
    exportRow, mapStatus,
    el("div", { "class": "oc-mapfoot" }, [
      el("p", { "class": "oc-help", text: "Deleting removes everything you wrote from the coach's records." }),
      deleteButton
    ])
  ]);

  var panel = el("section", { id: "oc-panel", "class": "oc-panel", hidden: true, "aria-labelledby": titleId,
    role: "dialog", "aria-modal": "false" }, [
    el("header", { "class": "oc-head" }, [
      el("div", { "class": "oc-head-text" }, [
        el("h2", { id: titleId, "class": "oc-title", text: TITLE }),
        el("p", { "class": "oc-sub", text: "From outputs to outcomes, and how to measure them" })
      ]),
      badge,
      closeButton
    ]),
    el("div", { "class": "oc-bar" }, [
      el("div", { "class": "oc-tabs", role: "tablist", "aria-label": "Views" }, [tabChat, tabMap]),
      el("div", { "class": "oc-bar-actions" }, [joinToggle, newButton])
    ]),
    joinForm,
    chatView, mapView
  ]);

  shell.append(launcher, panel);
  root.append(sheet, shell);

  // ----- rendering ------------------------------------------------------------------------------------------

  function paragraphs(text, question) {
    return String(text || "").split(/\n{2,}/).filter(function (p) { return p.trim(); }).map(function (p) {
      var isQ = question && p.trim() === String(question).trim();
      return el("p", { "class": isQ ? "oc-question" : null, text: p });
    });
  }

  function citationText(c) {
    var where = c.section && c.section !== c.title ? c.title + " \u2014 " + c.section : c.title;
    return where + (c.sources && c.sources.length ? " (" + c.sources.slice(0, 2).join("; ") + ")" : "");
  }

  function statementChip(c) {
    var whyId = nextId("why");
    var label = c.label === "outcome" ? "Outcome" : "Output";
    var evidence = (c.evidence || []).slice(0, 4).map(function (e) {
      if (e.kind === "example") {
        return el("li", null, [el("span", { "class": "oc-ev-kind", text: "Like" }),
          "\u201c" + e.text + "\u201d (" + (e.label || "") + ", " + pct(e.similarity) + " similar)"]);
      }
      return el("li", null, [el("span", { "class": "oc-ev-kind", text: "Guidance" }),
        e.citation ? citationText(e.citation) : e.text]);
    });
    var box = el("div", { id: whyId, "class": "oc-whybox", hidden: true }, [
      el("p", { text: c.rationale || "" }),
      c.needs_clarification ? el("p", { "class": "oc-unsure", text: "The coach is not sure about this one and will ask." }) : null,
      c.commitment ? el("p", { "class": "oc-note", text: "Looks like a " + c.commitment +
        ": a fair commitment, still worth naming the outcome it serves." }) : null,
      evidence.length ? el("ul", { "class": "oc-evidence" }, evidence) : null
    ]);
    var why = el("button", { type: "button", "class": "oc-why", "aria-expanded": "false", "aria-controls": whyId,
      text: "why?", "aria-label": "Why " + label.toLowerCase() + "?" });
    why.addEventListener("click", function () {
      var open = why.getAttribute("aria-expanded") !== "true";
      why.setAttribute("aria-expanded", String(open));
      box.hidden = !open;
    });
    return el("div", { "class": "oc-stmt" }, [
      el("div", { "class": "oc-stmt-row" }, [
        el("span", { "class": "oc-chip oc-chip-" + (c.label === "outcome" ? "outcome" : "output") +
          (c.needs_clarification ? " oc-chip-unsure" : ""),
          "aria-label": label + ", " + pct(c.confidence) + " confident" }, [
          el("span", { "class": "oc-chip-label", text: label }),
          el("span", { "class": "oc-chip-conf", text: pct(c.confidence) })
        ]),
        el("span", { "class": "oc-stmt-text", text: c.text }),
        why
      ]),
      box
    ]);
  }

  function measureCard(m) {
    function row(term, value) {
      return value ? [el("dt", { text: term }), el("dd", { text: value })] : [];
    }
    var more = [].concat(row("Balance with", m.balancing_measure), row("Watch for", m.gaming_risk),
      row("Baseline", m.baseline_prompt));
    return el("article", { "class": "oc-measure" }, [
      el("header", { "class": "oc-measure-head" }, [
        el("h3", { "class": "oc-measure-name", text: m.name }),
        el("span", { "class": "oc-kind oc-kind-" + (m.kind === "leading" ? "leading" : "lagging"), text: m.kind })
      ]),
      el("p", { "class": "oc-measure-def", text: m.definition }),
      el("dl", { "class": "oc-measure-facts" }, [].concat(
        row("Data", (m.data_sources || []).join(", ")),
        row("Cadence", m.cadence)
      )),
      more.length ? el("details", { "class": "oc-measure-more" }, [
        el("summary", { text: "Balancing measure and risks" }),
        el("dl", { "class": "oc-measure-facts" }, more)
      ]) : null
    ]);
  }

  function userBubble(text, pending) {
    return el("div", { "class": "oc-msg oc-msg-user" + (pending ? " oc-pending" : "") }, [
      el("span", { "class": "oc-sr", text: "You said: " }),
      el("p", { text: text })
    ]);
  }

  function coachBubble(reply, text) {
    reply = reply || {};
    var parts = [el("span", { "class": "oc-sr", text: "Coach: " })];
    if (reply.statements && reply.statements.length) {
      parts.push(el("div", { "class": "oc-stmts", role: "group", "aria-label": "How the coach read your statements" },
        reply.statements.map(statementChip)));
    }
    parts = parts.concat(paragraphs(reply.text || text, reply.question));
    if (reply.options && reply.options.length) {
      parts.push(el("div", { "class": "oc-options" }, [
        el("span", { "class": "oc-options-label", text: "Similar work often serves:" })
      ].concat(reply.options.map(function (o) {
        return el("button", { type: "button", "class": "oc-option", text: o,
          title: "Use as a starting point", onclick: function () { useOption(o); } });
      }))));
    }
    if (reply.measures && reply.measures.length) {
      parts.push(el("div", { "class": "oc-measures", role: "group", "aria-label": "Proposed measures" },
        reply.measures.map(measureCard)));
      parts.push(el("button", { type: "button", "class": "oc-secondary oc-see-map", text: "See the outcome map",
        onclick: function () { selectTab(tabMap); } }));
    }
    if (reply.citations && reply.citations.length) {
      parts.push(el("details", { "class": "oc-sources" }, [
        el("summary", { text: "Sources" }),
        el("ul", null, reply.citations.map(function (c) { return el("li", { text: citationText(c) }); }))
      ]));
    }
    return el("div", { "class": "oc-msg oc-msg-coach" }, parts);
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // A long reply (chips, question, measure cards) is read from its top: bring the person's own message and the
  // start of the answer into view rather than jumping to the bottom of the cards.
  function showReply(mine, reply) {
    var fromTop = mine.offsetTop - 8;
    if (reply.offsetTop + reply.offsetHeight - fromTop > log.clientHeight) log.scrollTop = fromTop;
    else scrollDown();
  }

  function renderTranscript(messages) {
    log.replaceChildren();
    (messages || []).forEach(function (t) {
      log.append(t.role === "user" ? userBubble(t.text) : coachBubble(t.reply, t.text));
    });
    scrollDown();
  }

  // ----- state and actions ----------------------------------------------------------------------------------

  var sessionId = store("session");
  var starting = null;
  var busy = false;
  var attempt = null; // {text, key}: a retry of the same text reuses the key, so the turn is never doubled
  var mapUrl = null;
  var mapVersion = "";

  function showStatus(message, hint) {
    status.replaceChildren(el("p", { "class": "oc-status-msg", text: message }));
    if (hint) status.append(el("p", { "class": "oc-status-hint", text: hint }));
    status.hidden = false;
  }
  function clearStatus() { status.hidden = true; status.replaceChildren(); }

  function explain(err) {
    if (err && err.network) return [UNREACHABLE, UNREACHABLE_HINT];
    if (err instanceof ApiError) {
      if (err.status === 429) return ["The coach is busy with many requests.", err.problem.hint || "Try again in a minute."];
      return [err.message, err.problem.hint || ""];
    }
    return ["Something went wrong in the widget.", "Reload the page and try again."];
  }

  function setWorkshop(code) {
    if (code) { badge.textContent = "Workshop " + code; badge.hidden = false; }
    else { badge.textContent = ""; badge.hidden = true; }
  }

  function adopt(view) {
    sessionId = view.id;
    store("session", view.id);
    store("workshop", view.workshop || null);
    setWorkshop(view.workshop);
    renderTranscript(view.messages);
    refreshMap(view.map);
  }

  function startSession(body) {
    return json("POST", "/v1/sessions", body || { mode: "coach" }).then(adopt);
  }

  function ensureSession() {
    if (starting) return starting;
    var go = sessionId
      ? json("GET", "/v1/sessions/" + encodeURIComponent(sessionId)).then(adopt, function (err) {
        if (err instanceof ApiError && err.status === 404) { sessionId = null; store("session", null); return startSession(); }
        throw err;
      })
      : startSession();
    starting = go.then(function () { clearStatus(); }, function (err) {
      var e = explain(err);
      showStatus(e[0], e[1]);
      throw err;
    }).finally(function () { starting = null; });
    return starting;
  }

  function setBusy(on) {
    busy = on;
    send.disabled = on;
    input.readOnly = on;
    thinking.hidden = !on;
    log.setAttribute("aria-busy", String(on));
  }

  function submit(text) {
    text = String(text || "").trim();
    if (!text || busy) return;
    if (!attempt || attempt.text !== text) attempt = { text: text, key: uid() };
    var key = attempt.key;
    clearStatus();
    setBusy(true);
    var pending = userBubble(text, true);
    // wait for a session that is still being started or restored (its transcript would replace this bubble)
    var ready = starting || (sessionId ? Promise.resolve() : ensureSession());
    ready.then(function () {
      log.append(pending);
      scrollDown();
      return json("POST", "/v1/sessions/" + encodeURIComponent(sessionId) + "/messages", { text: text },
        { "Idempotency-Key": key });
    }).then(function (turn) {
      pending.classList.remove("oc-pending");
      var reply = coachBubble(turn.reply);
      log.append(reply);
      showReply(pending, reply);
      attempt = null;
      input.value = "";
      store("draft", null);
      refreshMap(turn.map);
    }, function (err) {
      pending.remove();
      if (err instanceof ApiError && err.status === 404 && sessionId) {
        sessionId = null;
        store("session", null);
        showStatus("That conversation is no longer there, so a new one was started.", "Press Send again to continue.");
        ensureSession().catch(function () {});
        return;
      }
      var e = explain(err);
      showStatus(e[0], e[1]);
    }).finally(function () {
      setBusy(false);
      input.focus();
    });
  }

  function useOption(text) {
    input.value = input.value ? input.value.replace(/\s+$/, "") + " " + text : text;
    store("draft", input.value);
    input.focus();
  }

  function refreshMap(map) {
    var nodes = (map && map.nodes) || [];
    var version = nodes.map(function (n) { return n.id + ":" + n.text; }).join("|");
    if (!nodes.length) {
      mapImg.hidden = true;
      mapEmpty.hidden = false;
      mapVersion = "";
      return Promise.resolve();
    }
    if (version === mapVersion && mapUrl) return Promise.resolve();
    return request("GET", "/v1/sessions/" + encodeURIComponent(sessionId) + "/map?format=svg")
      .then(function (res) { return res.blob(); })
      .then(function (blob) {
        if (mapUrl) URL.revokeObjectURL(mapUrl);
        mapUrl = URL.createObjectURL(blob);
        mapVersion = version;
        mapImg.src = mapUrl;
        mapImg.alt = "Outcome map: " + nodes.filter(function (n) { return n.kind === "outcome"; })
          .map(function (n) { return n.text; }).join("; ");
        mapImg.hidden = false;
        mapEmpty.hidden = true;
      }, function () { /* the transcript is what matters; the map comes back on the next turn */ });
  }

  function download(format) {
    if (!sessionId) return;
    mapStatus.textContent = "";
    request("GET", "/v1/sessions/" + encodeURIComponent(sessionId) + "/map?format=" + format + "&download=true")
      .then(function (res) { return res.blob(); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = el("a", { href: url, download: "outcome-map." + format, hidden: true });
        root.append(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
        mapStatus.textContent = "Downloaded outcome-map." + format;
      }, function (err) { mapStatus.textContent = explain(err)[0]; });
  }

  function forget() {
    if (!sessionId) return;
    if (!window.confirm("Delete this conversation and everything you wrote in it?")) return;
    json("DELETE", "/v1/sessions/" + encodeURIComponent(sessionId)).then(function () {
      sessionId = null;
      store("session", null);
      store("workshop", null);
      selectTab(tabChat);
      return startSession();
    }).catch(function (err) { mapStatus.textContent = explain(err)[0]; });
  }

  function showJoin(on) {
    joinForm.hidden = !on;
    joinToggle.setAttribute("aria-expanded", String(on));
    joinStatus.textContent = "";
    if (on) joinCode.focus();
  }

  function selectTab(tab) {
    [tabChat, tabMap].forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
    });
    chatView.hidden = tab !== tabChat;
    mapView.hidden = tab !== tabMap;
    panel.classList.toggle("oc-wide", tab === tabMap);
    tab.focus();
  }

  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    store("open", "1");
    ensureSession().catch(function () {});
    if (focus !== false) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    store("open", null);
    launcher.focus();
  }

  // ----- events ---------------------------------------------------------------------------------------------

  launcher.addEventListener("click", function () { open(); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  compose.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(input.value); }
  });
  input.addEventListener("input", function () { store("draft", input.value || null); });
  newButton.addEventListener("click", function () {
    sessionId = null;
    store("session", null);
    store("workshop", null);
    selectTab(tabChat);
    startSession().then(clearStatus, function (err) { var e = explain(err); showStatus(e[0], e[1]); });
  });
  joinToggle.addEventListener("click", function () { showJoin(joinForm.hidden); });
  joinForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var code = joinCode.value.trim().toUpperCase();
    if (!code) { joinStatus.textContent = "Type the code your trainer shared."; return; }
    joinStatus.textContent = "Joining\u2026";
    startSession({ mode: "workshop", workshop: code, participant: joinName.value.trim() }).then(function () {
      showJoin(false);
      joinCode.value = "";
      selectTab(tabChat);
      input.focus();
    }, function (err) { joinStatus.textContent = explain(err).filter(Boolean).join(" "); });
  });
  [tabChat, tabMap].forEach(function (t) {
    t.addEventListener("click", function () { selectTab(t); });
    t.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") { e.preventDefault(); selectTab(t === tabChat ? tabMap : tabChat); }
    });
  });

  // ----- start ----------------------------------------------------------------------------------------------

  input.value = store("draft") || "";
  setWorkshop(store("workshop"));
  function mount() {
    document.body.append(host);
    if (store("open") || script.getAttribute("data-open") === "true") open(false);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
