// opsbook serve: reloads this page when a build changed it (keeping the scroll position) and
// shows build problems (file:line) over the page. Served by `opsbook serve` only, never part of
// a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  var page = me.getAttribute("data-page");
  var build = me.getAttribute("data-build");
  var scrollKey = "opsbook-serve-scroll:" + location.pathname + location.search;

  // Back where the reader was before the reload.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var y = parseFloat(saved);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage off */ }

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* storage off */ }
    location.reload();
  }

  function concerns(event) {
    if (event.all || event.reload) return true;
    return (event.changed || []).some(function (rel) {
      return rel === page || rel.indexOf("assets/") === 0;
    });
  }

  var overlay = null;
  function hideProblems() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function showProblems(title, text) {
    hideProblems();
    overlay = document.createElement("div");
    overlay.id = "opsbook-serve-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "opsbook-serve-overlay-title");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.72);display:flex;" +
      "align-items:flex-start;justify-content:center;padding:6vh 16px;overflow:auto";
    var box = document.createElement("div");
    box.style.cssText = "background:#1b1f24;color:#f0f3f6;border-top:4px solid #ff6a69;border-radius:6px;max-width:960px;width:100%;" +
      "padding:16px 20px;box-shadow:0 12px 48px rgba(0,0,0,.5);font:15px/1.5 system-ui,sans-serif";
    var head = document.createElement("div");
    head.style.cssText = "display:flex;align-items:center;gap:12px";
    var h = document.createElement("h2");
    h.id = "opsbook-serve-overlay-title";
    h.style.cssText = "margin:0;font-size:18px;color:#ff8e8d;flex:1";
    h.textContent = title;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.style.cssText = "font:inherit;color:#f0f3f6;background:#30363d;border:1px solid #6e7681;border-radius:4px;padding:2px 12px;cursor:pointer";
    close.addEventListener("click", hideProblems);
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:12px 0 0;white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace;color:#f0f3f6;background:none";
    pre.textContent = text;
    var note = document.createElement("p");
    note.style.cssText = "margin:12px 0 0;color:#9da7b3;font-size:13px";
    note.textContent = "opsbook serve: fix the file and save; this page updates by itself.";
    head.appendChild(h);
    head.appendChild(close);
    box.appendChild(head);
    box.appendChild(pre);
    box.appendChild(note);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    close.focus();
  }
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideProblems(); });

  function handle(event) {
    if (event.fatal) { showProblems("The build failed", event.fatal); return; }
    if (concerns(event)) { reload(); return; }
    if (event.problems) showProblems("Errors in the runbook you edited", event.problems);
    else hideProblems();
  }

  var source = new EventSource("/__opsbook/events?page=" + encodeURIComponent(page) + "&build=" + encodeURIComponent(build));
  // Marks the page as listening (tests and the curious can see it in the DOM).
  source.addEventListener("open", function () { document.documentElement.setAttribute("data-opsbook-serve", "listening"); });
  source.addEventListener("build", function (m) { handle(JSON.parse(m.data)); });
  source.addEventListener("hello", function (m) { handle(JSON.parse(m.data)); });
})();
