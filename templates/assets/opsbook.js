// opsbook portal behaviour: sidebar tree, copy buttons, theme toggle, "/" shortcut, loading search,
// checklists.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";

  // Sidebar: the folder tree from the navigation scripts (assets/nav.js holds the top; a folder
  // marked "f" has a script of its own, loaded when it is opened, or at once when it holds the
  // current page). Scripts, not JSON, so that it works from file:// too.
  function loadNav(key, file) {
    var nav = window.OPSBOOK_NAV || {};
    if (nav[key]) return Promise.resolve(nav[key]);
    return new Promise(function (resolve) {
      var s = document.createElement("script");
      s.src = root + file;
      s.onload = function () { resolve((window.OPSBOOK_NAV || {})[key] || null); };
      s.onerror = function () { resolve(null); };
      document.head.appendChild(s);
    });
  }
  function navFile(path, part) {
    if (part <= 1) return path ? "assets/nav/" + path + ".js" : "assets/nav.js";
    return "assets/nav/" + (path || "~root") + "." + part + ".js";
  }
  function joinPath(a, b) { return a ? a + "/" + b : b; }

  function buildNav() {
    var host = document.getElementById("nav-tree");
    var top = (window.OPSBOOK_NAV || {})[""];
    if (!host || !top) return;
    var current = host.getAttribute("data-current") || "";
    var cut = current.lastIndexOf("/");
    var currentFolder = cut < 0 ? "" : current.slice(0, cut);

    function pageItem(path, entry) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var slug = joinPath(path, entry[0]);
      a.href = root + "runbooks/" + slug + ".html";
      a.textContent = entry[1];
      if (slug === current) a.setAttribute("aria-current", "page");
      li.appendChild(a);
      return li;
    }
    function pages(list, path, entries) {
      entries.forEach(function (entry) { list.appendChild(pageItem(path, entry)); });
    }
    function render(node, path, list) {
      (node.d || []).forEach(function (child) { list.appendChild(folderItem(child, joinPath(path, child.n))); });
      if (node.dm > 1) moreFolders(node, path, list);
      var shown = node.p || [];
      pages(list, path, shown);
      var here = path === currentFolder && current && !shown.some(function (e) { return joinPath(path, e[0]) === current; });
      var early = here ? pageItem(path, [current.slice(cut + 1), host.getAttribute("data-title") || current]) : null;
      if (early) list.insertBefore(early, list.firstChild);
      if (node.m > 1) {
        var li = document.createElement("li");
        var more = document.createElement("button");
        more.type = "button";
        more.className = "nav-more";
        more.textContent = "Show all " + (node.c - (node.d || []).reduce(function (n, d) { return n + d.c; }, 0));
        more.addEventListener("click", function () {
          li.remove();
          if (early) early.remove();  // it comes again in its place
          var parts = [];
          for (var k = 2; k <= node.m; ++k) parts.push(loadNav(path + "." + k, navFile(path, k)));
          Promise.all(parts).then(function (lists) { lists.forEach(function (l) { if (l) pages(list, path, l); }); });
        });
        li.appendChild(more);
        list.appendChild(li);
      }
    }
    // A folder with more subfolders than its script lists: the rest in parts, on demand, and at
    // once when the current page lies in one of them.
    function moreFolders(node, path, list) {
      var li = document.createElement("li");
      var more = document.createElement("button");
      more.type = "button";
      more.className = "nav-more";
      more.textContent = "Show " + (node.dn - (node.d || []).length) + " more folders";
      more.addEventListener("click", function () {
        more.disabled = true;
        var parts = [];
        for (var k = 2; k <= node.dm; ++k) parts.push(loadNav(path + ".d" + k, "assets/nav/" + (path || "~root") + ".d" + k + ".js"));
        Promise.all(parts).then(function (lists) {
          lists.forEach(function (l) { (l || []).forEach(function (child) { list.insertBefore(folderItem(child, joinPath(path, child.n)), li); }); });
          li.remove();
        });
      });
      li.appendChild(more);
      list.appendChild(li);
      var prefix = path ? path + "/" : "";
      var rest = current.lastIndexOf(prefix, 0) === 0 ? current.slice(prefix.length) : "";
      var first = rest.indexOf("/") < 0 ? "" : rest.slice(0, rest.indexOf("/"));
      if (first && !(node.d || []).some(function (d) { return d.n === first; })) more.click();
    }
    function folderItem(node, path) {
      var li = document.createElement("li");
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = node.n + " (" + node.c + ")";
      details.appendChild(summary);
      li.appendChild(details);
      var filled = false;
      function fill() {
        if (filled) return;
        filled = true;
        var list = document.createElement("ul");
        details.appendChild(list);
        if (!node.f) return render(node, path, list);
        loadNav(path, navFile(path, 1)).then(function (data) {
          if (data) render(data, path, list);
          var link = list.querySelector("a[aria-current]");
          if (link) reveal(link);
        });
      }
      details.addEventListener("toggle", function () { if (details.open) fill(); });
      if (current.lastIndexOf(path + "/", 0) === 0) { details.open = true; fill(); }
      return li;
    }
    // Scrolls the sidebar (not the page) to the current page's link.
    function reveal(link) {
      var bar = host.closest(".sidebar");
      if (bar && bar.scrollHeight > bar.clientHeight) bar.scrollTop = Math.max(0, link.offsetTop - bar.clientHeight / 2);
    }
    var list = document.createElement("ul");
    render(top, "", list);
    host.appendChild(list);
    var link = list.querySelector("a[aria-current]");
    if (link) reveal(link);
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

  // Search (assets/search.js, ~14 KB most page views never use): loaded at once on the search
  // page, elsewhere when the box is first focused; what was typed meanwhile is then searched.
  (function () {
    var input = document.getElementById("search-input");
    var searchPage = !!document.getElementById("search-results");
    var requested = false;
    function loadSearch() {
      if (requested) return;
      requested = true;
      var s = document.createElement("script");
      s.src = root + "assets/search.js";
      s.onload = function () {
        if (!searchPage && input && input.value) input.dispatchEvent(new Event("input"));
      };
      document.head.appendChild(s);
    }
    if (searchPage) loadSearch();
    else if (input) {
      input.addEventListener("focus", loadSearch);
      input.addEventListener("input", loadSearch);
    }
  })();

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
    var print = section.querySelector(".print-checklist");
    if (print) print.addEventListener("click", function () {
      // Only this checklist goes to paper.
      section.classList.add("print-only");
      document.body.classList.add("printing-one");
      window.print();
      document.body.classList.remove("printing-one");
      section.classList.remove("print-only");
    });
    var download = section.querySelector(".download-checklist");
    if (download) download.addEventListener("click", function () {
      // The export format of `opsbook checklist` (schemas/checklist.schema.json) with the ticks of
      // this browser; commands stay in the CLI's export.
      var steps = Array.prototype.map.call(boxes, function (box, i) {
        var text = box.parentNode.querySelector(".step-text");
        return { id: box.getAttribute("data-step"), n: i + 1, text: text ? text.textContent : "",
                 line: parseInt(box.getAttribute("data-line"), 10) || 1, checked: box.checked, commands: [] };
      });
      var doc = { version: 1, generator: "opsbook portal", checklists: [{
        id: id, title: section.getAttribute("data-title"), kind: section.getAttribute("data-kind"),
        runbook: section.getAttribute("data-runbook"), line: parseInt(section.getAttribute("data-line"), 10) || 1, steps: steps }] };
      saveFile(id.replace(/[^A-Za-z0-9]+/g, "-") + ".json", JSON.stringify(doc, null, 2) + "\n", "application/json");
    });
  });
  // checklists.html?id=ID: that checklist alone. The view comes in pages by folder: checklists.html
  // knows which folders have a page and sends the browser to the one holding ID.
  function checklistPage(id) {
    var chunks = document.getElementById("checklist-chunks");
    if (!chunks) return null;
    var runbook = id.slice(0, id.lastIndexOf("/"));
    var folder = runbook.lastIndexOf("/") < 0 ? "" : runbook.slice(0, runbook.lastIndexOf("/"));
    var best = "";
    JSON.parse(chunks.getAttribute("data-chunks")).forEach(function (p) {
      if ((folder === p || folder.lastIndexOf(p + "/", 0) === 0) && p.length > best.length) best = p;
    });
    return best ? "checklists." + best.replace(/\//g, ".") + ".html" : null;
  }
  var only = new URLSearchParams(location.search).get("id");
  var here = only && Array.prototype.some.call(document.querySelectorAll("[data-checklist]"), function (s) {
    return s.getAttribute("data-checklist") === only;
  });
  var elsewhere = only && !here ? checklistPage(only) : null;
  if (elsewhere) location.replace(root + elsewhere + "?id=" + encodeURIComponent(only));
  else if (only && document.querySelector("[data-checklist]")) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-checklist]"), function (section) {
      section.hidden = section.getAttribute("data-checklist") !== only;
    });
    var all = document.querySelector(".checklist-all");
    if (all) all.hidden = false;
  }

  function saveFile(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // "Start incident": the incident document of this runbook, as `opsbook incident new` writes
  // it. The page embeds the document rendered at build time with markers; only the markers are
  // filled in here.
  var incidentData = document.getElementById("incident-data");
  var startButton = document.getElementById("start-incident");
  if (incidentData && startButton) {
    var data = JSON.parse(incidentData.textContent);
    var form = document.getElementById("incident-form");
    var select = document.getElementById("incident-severity");
    var titleInput = document.getElementById("incident-title");
    var preview = document.getElementById("incident-preview");
    data.severities.forEach(function (s) {
      var o = document.createElement("option");
      o.value = s.key;
      o.textContent = s.label;
      select.appendChild(o);
    });
    if (data["default"]) select.value = data["default"];
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var incidentDocument = function () {
      var now = new Date();
      var started = now.getUTCFullYear() + "-" + pad(now.getUTCMonth() + 1) + "-" + pad(now.getUTCDate()) + "T" +
        pad(now.getUTCHours()) + ":" + pad(now.getUTCMinutes()) + ":" + pad(now.getUTCSeconds()) + "Z";
      var level = data.severities.filter(function (s) { return s.key === select.value; })[0] || data.severities[0];
      // One line: control characters and line separators (a pasted \x1b or \r) become spaces.
      var title = titleInput.value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").trim() || "Incident";
      var values = { title: title, title_yaml: JSON.stringify(title), severity: level.key, severity_block: level.block,
                     started: started, date: started.slice(0, 10), time: started.slice(11, 16) };
      var text = data.template.replace(/@@OPSBOOK:([a-z_]+)@@/g, function (m, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : m;
      });
      var slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, 60).replace(/-+$/, "") || "incident";
      return { name: started.slice(0, 10) + "-" + slug + ".md", text: text };
    };
    var refresh = function () { preview.textContent = incidentDocument().text; };
    startButton.addEventListener("click", function () {
      form.hidden = !form.hidden;
      if (!form.hidden) { refresh(); titleInput.focus(); }
    });
    titleInput.addEventListener("input", refresh);
    select.addEventListener("change", refresh);
    document.getElementById("incident-download").addEventListener("click", function () {
      var d = incidentDocument();
      saveFile(d.name, d.text, "text/markdown");
    });
    document.getElementById("incident-copy").addEventListener("click", function () {
      var d = incidentDocument();
      if (navigator.clipboard) navigator.clipboard.writeText(d.text);
    });
  }

  // Validation badges say how long ago the check ran ("verified live on staging 2 h ago"); the
  // exact time is in the tooltip. Without JavaScript they show the time itself.
  function age(seconds) {
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    if (seconds < 48 * 3600) return Math.floor(seconds / 3600) + " h ago";
    var days = Math.floor(seconds / 86400);
    return days + (days === 1 ? " day ago" : " days ago");
  }
  // The check history's times the same way ("verified on staging 3 h ago").
  Array.prototype.forEach.call(document.querySelectorAll("time.history-age"), function (time) {
    var at = Date.parse(time.getAttribute("datetime"));
    if (isNaN(at)) return;
    time.title = time.getAttribute("datetime");
    time.textContent = age(Math.max(0, (Date.now() - at) / 1000));
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-verified-at]"), function (badge) {
    var at = Date.parse(badge.getAttribute("data-verified-at"));
    if (isNaN(at)) return;
    badge.title = "checked " + badge.getAttribute("data-verified-at");
    badge.textContent = "verified live on " + badge.getAttribute("data-env") + " " + age(Math.max(0, (Date.now() - at) / 1000));
  });

  buildNav();
})();
