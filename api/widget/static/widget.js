/*! Outcome Coach widget — add it to any page with one tag:
 *    <script src="https://COACH-HOST/widget.js" data-key="oc_w_…" defer></script>
 *  Optional: data-title="…", data-api="https://…" (defaults to the script's own origin), data-open="true",
 *  data-max-chars="10000" (the server's message limit). A page URL with ?coach-join=CODE opens the widget with
 *  the workshop's join form filled in (the link and QR code on a trainer's page).
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
  var MAX_CHARS = Number(script.getAttribute("data-max-chars")) || 10000;
  var JOIN_CODE = (function () {
    try { return (new URLSearchParams(location.search).get("coach-join") || "").trim().toUpperCase(); }
    catch (e) { return ""; }
  })();
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

  var SVG_NS = "http://www.w3.org/2000/svg";
  /** A small line icon (24×24 viewBox): `d` is its path. Decorative: hidden from screen readers. */
  function icon(d, cls) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "oc-icon" + (cls ? " " + cls : ""));
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
    return svg;
  }
  var ICON = {
    chat: "M4 5h16v11H8l-4 4z",
    send: "M4 12l16-8-6 16-2.5-6.5z",
    join: "M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 12a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 19c0-3 3-5 6-5s6 2 6 5M14 14.5c.6-.3 1.3-.5 2-.5 3 0 6 2 6 5",
    plus: "M12 5v14M5 12h14",
    close: "M6 6l12 12M18 6L6 18",
    map: "M9 4L3 6v14l6-2 6 2 6-2V4l-6 2zM9 4v14M15 6v14",
    trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"
  };

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
  var focusOnReveal = null;
  function reveal() {
    shell.hidden = false;
    if (focusOnReveal) { focusOnReveal.focus(); focusOnReveal = null; }
  }
  sheet.addEventListener("load", reveal);
  sheet.addEventListener("error", reveal);
  setTimeout(reveal, 3000);

  var launcher = el("button", {
    type: "button", "class": "oc-launcher", "aria-expanded": "false", "aria-controls": "oc-panel",
    "aria-label": "Open the " + TITLE
  }, [el("span", { "class": "oc-launcher-icon" }, [icon(ICON.chat)]), el("span", { text: TITLE })]);

  var titleId = nextId("title");
  var badge = el("span", { "class": "oc-badge", hidden: true });
  var joinToggle = el("button", { type: "button", "class": "oc-action", "aria-expanded": "false",
    "aria-controls": "oc-join", "aria-label": "Join workshop", title: "Join a trainer's workshop" }, [icon(ICON.join), el("span", { text: "Join workshop" })]);
  var newButton = el("button", { type: "button", "class": "oc-action", "aria-label": "New conversation",
    title: "Start a new conversation" }, [icon(ICON.plus), el("span", { text: "New" })]);
  var closeButton = el("button", { type: "button", "class": "oc-close", "aria-label": "Close the coach" },
    [icon(ICON.close)]);

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
  var thinking = el("div", { "class": "oc-thinking", hidden: true, role: "status" }, [
    el("span", { "class": "oc-typing", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
    el("span", { text: "The coach is thinking\u2026" })
  ]);
  var status = el("div", { "class": "oc-status", role: "alert", hidden: true });
  // No maxlength: the browser would cut a long paste silently, mid-word. The widget warns and keeps it all.
  var input = el("textarea", { id: "oc-input", "class": "oc-input", rows: "2",
    placeholder: "Describe something your team delivered, or a goal\u2026",
    "aria-describedby": "oc-compose-help oc-limit" });
  var send = el("button", { type: "submit", "class": "oc-send", "aria-label": "Send" },
    [icon(ICON.send), el("span", { "class": "oc-send-label", text: "Send" })]);
  var limitNote = el("p", { id: "oc-limit", "class": "oc-limit", role: "status", "aria-live": "polite" });
  var charCount = el("span", { "class": "oc-count", "aria-hidden": "true" });
  var compose = el("form", { "class": "oc-compose", "aria-label": "Write to the coach" }, [
    el("label", { "for": "oc-input", "class": "oc-sr", text: "Your message" }),
    el("div", { "class": "oc-compose-box" }, [input, send]),
    limitNote,
    el("p", { id: "oc-compose-help", "class": "oc-help" },
      [el("span", { text: "Enter sends \u00b7 Shift+Enter for a new line" }), charCount])
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
  var deleteButton = el("button", { type: "button", "class": "oc-danger", "aria-expanded": "false",
    "aria-controls": "oc-confirm-delete", onclick: function () { confirmDelete(true); } },
    [icon(ICON.trash), el("span", { text: "Delete this conversation" })]);
  var confirmYes = el("button", { type: "button", "class": "oc-danger-solid", text: "Delete",
    onclick: function () { forget(); } });
  var confirmNo = el("button", { type: "button", "class": "oc-secondary", text: "Keep it",
    onclick: function () { confirmDelete(false); } });
  var confirmBox = el("div", { id: "oc-confirm-delete", "class": "oc-confirm", role: "alertdialog",
    "aria-labelledby": "oc-confirm-title", "aria-describedby": "oc-confirm-text", hidden: true }, [
    el("p", { id: "oc-confirm-title", "class": "oc-confirm-title", text: "Delete this conversation?" }),
    el("p", { id: "oc-confirm-text", text: "Everything you wrote and the outcome map are removed from the " +
      "coach's records. This cannot be undone." }),
    el("div", { "class": "oc-confirm-actions" }, [confirmNo, confirmYes])
  ]);
  var mapView = el("div", { id: "oc-view-map", role: "tabpanel", "aria-labelledby": "oc-tab-map",
    "class": "oc-view oc-mapview", hidden: true }, [
    el("div", { "class": "oc-map-frame", tabindex: "0", "aria-label": "Outcome map (scrolls sideways)" },
      [mapEmpty, mapImg]),
    exportRow, mapStatus,
    el("div", { "class": "oc-mapfoot" }, [
      el("p", { "class": "oc-help", text: "Deleting removes everything you wrote from the coach's records." }),
      deleteButton
    ]),
    confirmBox
  ]);

  var panel = el("section", { id: "oc-panel", "class": "oc-panel", hidden: true, "aria-labelledby": titleId,
    role: "dialog", "aria-modal": "false" }, [
    el("header", { "class": "oc-head" }, [
      el("span", { "class": "oc-avatar", "aria-hidden": "true" }, [icon(ICON.map)]),
      el("div", { "class": "oc-head-text" }, [
        el("h2", { id: titleId, "class": "oc-title", text: TITLE }),
        el("p", { "class": "oc-sub", text: "Find the outcome behind your work" })
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

  var FIT = { "close match": "Close match", "partial match": "Partial match", "drafted": "Drafted for you" };
  var FIT_HINT = {
    "close match": "A library measure that fits this outcome closely.",
    "partial match": "A library measure that fits part of this outcome: adapt it.",
    "drafted": "No library measure fitted, so this one was drafted from your words: check it with the data owner."
  };

  function measureCard(m) {
    function row(term, value) {
      return value ? [el("dt", { text: term }), el("dd", { text: value })] : [];
    }
    var fit = m.fit_label || (m.drafted ? "drafted" : "partial match");
    var more = [].concat(row("Balance with", m.balancing_measure), row("Watch for", m.gaming_risk),
      row("Baseline", m.baseline_prompt), row("Target", m.target_prompt));
    return el("article", { "class": "oc-measure" }, [
      el("header", { "class": "oc-measure-head" }, [
        el("h3", { "class": "oc-measure-name", text: m.name }),
        el("span", { "class": "oc-tags" }, [
          el("span", { "class": "oc-kind oc-kind-" + (m.kind === "leading" ? "leading" : "lagging"), text: m.kind,
            title: m.kind === "leading" ? "Moves early: a sign the outcome is coming" : "Moves late: the outcome itself" }),
          el("span", { "class": "oc-fit oc-fit-" + fit.replace(/\s+/g, "-"), text: FIT[fit] || fit,
            title: FIT_HINT[fit] || "" })
        ])
      ]),
      el("p", { "class": "oc-measure-def", text: m.definition }),
      el("dl", { "class": "oc-measure-facts" }, [].concat(
        row("Calculation", m.calculation),
        row("Owner", m.data_owner),
        row("Cadence", m.cadence),
        row("Data source", (m.data_sources || []).join(", "))
      )),
      more.length ? el("details", { "class": "oc-measure-more" }, [
        el("summary", { text: "Baseline, target and risks" }),
        el("dl", { "class": "oc-measure-facts" }, more)
      ]) : null
    ]);
  }

  var STATUS = { outcome: "Outcome reached", open: "In progress", skipped: "Skipped", unresolved: "No outcome yet",
    commitment: "Kept as a commitment" };

  /** The outcome map of a summary reply, as cards: output → steps → outcome, with its measures. */
  function mapCards(map) {
    var chains = (map.chains || []).filter(function (c) { return !(c.status === "skipped" && !(c.rungs || []).length); });
    if (!chains.length) {
      return el("p", { "class": "oc-map-none", text: "Nothing mapped yet." });
    }
    return el("div", { "class": "oc-mapcards", role: "group", "aria-label": map.title || "Outcome map" },
      chains.map(function (c, i) {
        var steps = el("ol", { "class": "oc-steps" });
        if (c.origin_label === "output") {
          steps.append(el("li", { "class": "oc-step oc-step-output" }, [
            el("span", { "class": "oc-step-kind", text: "Output" }), el("span", { text: c.origin })]));
        }
        (c.rungs || []).forEach(function (r) {
          steps.append(el("li", { "class": "oc-step oc-step-mid" }, [
            el("span", { "class": "oc-step-kind", text: "Leads to" }), el("span", { text: r })]));
        });
        steps.append(el("li", { "class": "oc-step " + (c.outcome ? "oc-step-outcome" : "oc-step-open") }, [
          el("span", { "class": "oc-step-kind", text: "Outcome" }),
          el("span", { text: c.outcome || "not named yet" })]));
        var measures = (c.measures || []).map(function (m) {
          return el("li", null, [el("span", { "class": "oc-mini-name", text: m.name }),
            el("span", { "class": "oc-mini-meta", text: [m.kind, FIT[m.fit_label] || m.fit_label, m.cadence,
              m.data_owner].filter(Boolean).join(" \u00b7 ") })]);
        });
        return el("article", { "class": "oc-mapcard" }, [
          el("header", { "class": "oc-mapcard-head" }, [
            el("span", { "class": "oc-mapcard-n", text: String(i + 1) }),
            el("span", { "class": "oc-mapcard-status oc-status-" + c.status, text: STATUS[c.status] || c.status })
          ]),
          steps,
          c.outcome_statement ? el("p", { "class": "oc-mapcard-statement", text: c.outcome_statement }) : null,
          measures.length ? el("ul", { "class": "oc-mini-measures", "aria-label": "Measures" }, measures) : null
        ]);
      }));
  }

  /** Markdown lines of a map (older replies carried the map as text): never shown raw next to the cards. */
  function isMarkdownMap(p) {
    return /^\s*(#{1,6}\s|- \*\*|\||_Nothing mapped yet\._)/.test(p);
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
    var body = reply.text || text;
    if (reply.map) {
      body = String(body || "").split(/\n{2,}/).filter(function (p) { return !isMarkdownMap(p); }).join("\n\n");
    }
    // The question comes last, after the map and the measures it is about, right above the suggestions.
    var said = paragraphs(body, reply.question);
    var asked = said.filter(function (p) { return p.classList.contains("oc-question"); });
    parts = parts.concat(said.filter(function (p) { return asked.indexOf(p) < 0; }));
    if (reply.map) parts.push(mapCards(reply.map));
    if (reply.measures && reply.measures.length) {
      parts.push(el("div", { "class": "oc-measures", role: "group", "aria-label": "Proposed measures" },
        reply.measures.map(measureCard)));
      parts.push(el("button", { type: "button", "class": "oc-secondary oc-see-map", text: "See the outcome map",
        onclick: function () { selectTab(tabMap); } }));
    }
    parts = parts.concat(asked);
    if (reply.options && reply.options.length) {
      parts.push(el("div", { "class": "oc-options", role: "group", "aria-label": "Suggestions" }, [
        el("span", { "class": "oc-options-label", text: "Similar work often serves \u2014 tap one to answer:" })
      ].concat(reply.options.map(function (o) {
        return el("button", { type: "button", "class": "oc-option", text: o, "data-option": "",
          title: "Send this as your answer", onclick: function () { submit(o); } });
      }))));
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
    // The box stays editable while the coach thinks: what the person types meanwhile is kept for the next turn.
    thinking.hidden = !on;
    log.setAttribute("aria-busy", String(on));
    [].forEach.call(root.querySelectorAll("[data-option]"), function (b) { b.disabled = on; });
    updateLimit();
  }

  /** Over the limit: say so, keep every character, and hold Send until it fits. Never cut the text. */
  function updateLimit() {
    var n = input.value.length;
    var over = n > MAX_CHARS;
    compose.classList.toggle("oc-over", over);
    charCount.textContent = n > MAX_CHARS * 0.8 ? n.toLocaleString() + " / " + MAX_CHARS.toLocaleString() : "";
    limitNote.textContent = over
      ? "Your message is " + n.toLocaleString() + " characters; the coach reads up to " + MAX_CHARS.toLocaleString() +
        " at a time. Nothing has been cut: shorten it, or send it in parts."
      : "";
    send.disabled = busy || over;
    input.setAttribute("aria-invalid", String(over));
  }

  /** Put text back in the box (a message that could not be sent), before anything typed since. */
  function restore(text) {
    var now = input.value.replace(/^\s+|\s+$/g, "");
    input.value = now ? text + "\n" + now : text;
    store("draft", input.value);
    updateLimit();
  }

  function submit(text) {
    text = String(text || "").trim();
    if (!text || busy || text.length > MAX_CHARS) return;
    var fromBox = input.value.trim() === text;
    if (!attempt || attempt.text !== text) attempt = { text: text, key: uid() };
    var key = attempt.key;
    clearStatus();
    if (fromBox) {  // the text moves to the conversation; the box is free for the next thought at once
      input.value = "";
      store("draft", null);
    }
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
      refreshMap(turn.map);
    }, function (err) {
      pending.remove();
      if (fromBox) restore(text);
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
      if (!panel.hidden) input.focus();
    });
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

  function confirmDelete(on) {
    confirmBox.hidden = !on;
    deleteButton.setAttribute("aria-expanded", String(on));
    if (on) confirmNo.focus(); else deleteButton.focus();
  }

  function forget() {
    if (!sessionId) return;
    confirmBox.hidden = true;
    deleteButton.setAttribute("aria-expanded", "false");
    json("DELETE", "/v1/sessions/" + encodeURIComponent(sessionId)).then(function () {
      sessionId = null;
      store("session", null);
      store("workshop", null);
      selectTab(tabChat);
      return startSession().then(function () {
        showStatus("Conversation deleted.", "Everything you wrote in it is gone. This is a new conversation.");
      });
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
    confirmBox.hidden = true;
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
  panel.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (!confirmBox.hidden) confirmDelete(false); else close();
  });
  compose.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(input.value); }
  });
  input.addEventListener("input", function () { store("draft", input.value || null); updateLimit(); });
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
  updateLimit();
  setWorkshop(store("workshop"));
  function mount() {
    document.body.append(host);
    if (JOIN_CODE) {  // a join link or QR code: open with the workshop's form filled in; one press joins
      open(false);
      joinCode.value = JOIN_CODE;
      showJoin(true);
      if (shell.hidden) focusOnReveal = joinName; else joinName.focus();
    } else if (store("open") || script.getAttribute("data-open") === "true") open(false);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
