// opsbook search: loads the manifest, only the term shards a query needs and the fragment files
// (a few consecutive pages each) of the results shown, all as <script> files so it works from
// file:// and any static server.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var S = (window.OpsbookSearch = window.OpsbookSearch || {});
  var manifest = null;
  var shards = {};
  var docs = {};
  var loading = {};

  S.manifest = function (m) { manifest = m; };
  S.shard = function (key, terms) { shards[key] = terms; };
  S.doc = function (id, d) { docs[id] = d; };

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = root + path;
        s.async = true;
        s.onload = function () { resolve(true); };
        s.onerror = function () { resolve(false); };
        document.head.appendChild(s);
      });
    }
    return loading[path];
  }

  function tokenize(text) {
    var out = [];
    var re = /[a-z0-9\u0080-\uffff]+/g;
    var m;
    var lower = text.toLowerCase();
    while ((m = re.exec(lower)) !== null) {
      if (m[0].length >= 2 && m[0].length <= 40) out.push(m[0]);
    }
    return out;
  }

  // The shard holding `term`: the longest shard key that is a prefix of it.
  function shardFor(term) {
    var best = null;
    manifest.shards.forEach(function (k) {
      if (term.lastIndexOf(k, 0) === 0 && (!best || k.length > best.length)) best = k;
    });
    return best;
  }

  function shardsForPrefix(prefix) {
    var keys = [];
    var own = shardFor(prefix);
    if (own) keys.push(own);
    manifest.shards.forEach(function (k) {
      if (k.length > prefix.length && k.lastIndexOf(prefix, 0) === 0 && keys.length < 8) keys.push(k);
    });
    return keys;
  }

  function shardPath(key) { return "search/s-" + encodeURIComponent(key).replace(/%/g, "_") + ".js"; }

  // Returns a promise of [{id, score, matched}] best first.
  function query(text, prefixLast) {
    return load("search/manifest.js").then(function () {
      if (!manifest) return [];
      var tokens = tokenize(text);
      if (!tokens.length) return [];
      var needed = {};
      tokens.forEach(function (t, i) {
        var keys = (prefixLast && i === tokens.length - 1) ? shardsForPrefix(t) : [shardFor(t)];
        keys.forEach(function (k) { if (k) needed[k] = true; });
      });
      return Promise.all(Object.keys(needed).map(function (k) { return load(shardPath(k)); })).then(function () {
        var totals = {};
        tokens.forEach(function (t, i) {
          var prefix = prefixLast && i === tokens.length - 1;
          var best = {};
          Object.keys(needed).forEach(function (k) {
            var terms = shards[k];
            if (!terms) return;
            var candidates = prefix ? Object.keys(terms).filter(function (term) { return term.lastIndexOf(t, 0) === 0; }) : (terms[t] ? [t] : []);
            candidates.slice(0, 50).forEach(function (term) {
              var p = terms[term];
              var weight = term === t ? 1 : 0.7;
              for (var j = 1; j + 1 < p.length; j += 2) {
                var s = p[j + 1] * weight;
                if (!best[p[j]] || best[p[j]] < s) best[p[j]] = s;
              }
            });
          });
          Object.keys(best).forEach(function (id) {
            var e = totals[id] || (totals[id] = { id: +id, score: 0, matched: 0 });
            e.score += best[id];
            e.matched += 1;
          });
        });
        return Object.keys(totals).map(function (k) { return totals[k]; }).sort(function (a, b) {
          return b.matched - a.matched || b.score - a.score || a.id - b.id;
        });
      });
    });
  }

  function withDocs(results, count) {
    var top = results.slice(0, count);
    var per = (manifest && manifest.per) || 1;  // pages per fragment file
    return Promise.all(top.map(function (r) { return load("search/docs/" + Math.floor(r.id / per) + ".js"); })).then(function () {
      return top.map(function (r) { return { result: r, doc: docs[r.id] }; }).filter(function (x) { return x.doc; });
    });
  }

  // Appends `text` to `parent`, wrapping query words in <mark> (text nodes only: no HTML injection).
  function highlight(parent, text, tokens) {
    var lower = text.toLowerCase();
    var pos = 0;
    while (pos < text.length) {
      var next = -1;
      var len = 0;
      tokens.forEach(function (t) {
        var i = lower.indexOf(t, pos);
        if (i >= 0 && (next < 0 || i < next)) { next = i; len = t.length; }
      });
      if (next < 0) break;
      parent.appendChild(document.createTextNode(text.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + len);
      parent.appendChild(mark);
      pos = next + len;
    }
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function excerpt(text, tokens) {
    var lower = text.toLowerCase();
    var at = -1;
    tokens.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0) return text.slice(0, 200);
    var start = Math.max(0, at - 80);
    return (start > 0 ? "…" : "") + text.slice(start, start + 240) + "…";
  }

  S.query = query;
  S.withDocs = withDocs;

  // Search page: ?q= runs the query on load.
  function searchPage() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    var input = document.getElementById("search-input");
    if (input) input.value = q;
    var status = document.getElementById("search-status");
    if (!q.trim()) return;
    status.textContent = "Searching…";
    var tokens = tokenize(q);
    query(q, true).then(function (results) {
      return withDocs(results, 50).then(function (items) {
        status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for “" + q + "”";
        items.forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = root + item.doc.u;
          highlight(a, item.doc.t, tokens);
          li.appendChild(a);
          var url = document.createElement("div");
          url.className = "url";
          url.textContent = item.doc.p;
          li.appendChild(url);
          var p = document.createElement("p");
          highlight(p, excerpt(item.doc.x, tokens), tokens);
          li.appendChild(p);
          list.appendChild(li);
        });
      });
    });
  }

  // Type-ahead under the search box.
  function suggest() {
    var input = document.getElementById("search-input");
    var box = document.getElementById("search-suggest");
    if (!input || !box) return;
    var timer = null;
    var seq = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value;
        var mine = ++seq;
        if (q.trim().length < 2) { box.hidden = true; return; }
        query(q, true).then(function (results) { return withDocs(results, 8); }).then(function (items) {
          if (mine !== seq) return;
          box.textContent = "";
          var tokens = tokenize(q);
          items.forEach(function (item) {
            var a = document.createElement("a");
            a.href = root + item.doc.u;
            a.setAttribute("role", "option");
            highlight(a, item.doc.t, tokens);
            var small = document.createElement("small");
            small.textContent = item.doc.p;
            a.appendChild(small);
            box.appendChild(a);
          });
          box.hidden = items.length === 0;
        });
      }, 60);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !box.hidden && box.firstChild) { e.preventDefault(); box.firstChild.focus(); }
      if (e.key === "Escape") box.hidden = true;
    });
    box.addEventListener("keydown", function (e) {
      var a = document.activeElement;
      if (e.key === "ArrowDown" && a.nextSibling) { e.preventDefault(); a.nextSibling.focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (a.previousSibling || input).focus(); }
      if (e.key === "Escape") { box.hidden = true; input.focus(); }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) box.hidden = true; });
  }

  searchPage();
  suggest();
})();
