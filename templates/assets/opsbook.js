// opsbook portal behaviour: sidebar tree, copy buttons, theme toggle, "/" shortcut, checklists.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";

  // Sidebar: the runbook tree comes from assets/nav.js (rendered once for the whole site).
  function buildNav() {
    var host = document.getElementById("nav-tree");
    var nav = window.OPSBOOK_NAV;
    if (!host || !nav) return;
    var current = host.getAttribute("data-current");
    var groups = {};
    var order = [];
    nav.forEach(function (entry) {
      var slug = entry[0];
      var cut = slug.lastIndexOf("/");
      var folder = cut < 0 ? "" : slug.slice(0, cut);
      if (!groups[folder]) { groups[folder] = []; order.push(folder); }
      groups[folder].push(entry);
    });
    var frag = document.createDocumentFragment();
    order.forEach(function (folder) {
      var list = document.createElement("ul");
      var open = false;
      groups[folder].forEach(function (entry) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + "runbooks/" + entry[0] + ".html";
        a.textContent = entry[1];
        if (entry[0] === current) { a.setAttribute("aria-current", "page"); open = true; }
        li.appendChild(a);
        list.appendChild(li);
      });
      if (folder === "") { frag.appendChild(list); return; }
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = folder + " (" + groups[folder].length + ")";
      details.appendChild(summary);
      details.appendChild(list);
      if (open) details.open = true;
      frag.appendChild(details);
    });
    host.appendChild(frag);
  }

  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy");
    if (!button) return;
    var code = button.closest(".snippet").querySelector("pre code");
    copyText(code.getAttribute("data-copy") || code.textContent, button);
  });

  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var html = document.documentElement;
      var dark = html.dataset.theme ? html.dataset.theme === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
      html.dataset.theme = dark ? "light" : "dark";
      try { localStorage.setItem("opsbook-theme", html.dataset.theme); } catch (e) { /* private mode */ }
    });
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "textarea" && !event.target.isContentEditable) {
      var input = document.getElementById("search-input");
      if (input) { event.preventDefault(); input.focus(); input.select(); }
    }
  });

  // Checklists: ticks kept per checklist id in local storage.
  function storageKey(id) { return "opsbook-checklist:" + id; }
  function loadState(id) {
    try { return JSON.parse(localStorage.getItem(storageKey(id)) || "{}"); } catch (e) { return {}; }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-checklist]"), function (section) {
    var id = section.getAttribute("data-checklist");
    var state = loadState(id);
    var boxes = section.querySelectorAll("input[data-step]");
    Array.prototype.forEach.call(boxes, function (box) {
      var step = box.getAttribute("data-step");
      if (Object.prototype.hasOwnProperty.call(state, step)) box.checked = state[step];
      box.addEventListener("change", function () {
        var s = loadState(id);
        s[step] = box.checked;
        try { localStorage.setItem(storageKey(id), JSON.stringify(s)); } catch (e) { /* ignore */ }
      });
    });
    var reset = section.querySelector(".reset-checklist");
    if (reset) reset.addEventListener("click", function () {
      try { localStorage.removeItem(storageKey(id)); } catch (e) { /* ignore */ }
      Array.prototype.forEach.call(boxes, function (box) { box.checked = box.defaultChecked; });
    });
  });

  buildNav();
})();
