// opsbook search: loads the manifest, only the term shards a query needs and the fragment files
// (a few consecutive pages each) of the results as they come into view, all as <script> files so
// it works from file:// and any static server. A result links to the section where its words are.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var S = (window.OpsbookSearch = window.OpsbookSearch || {});
  var manifest = null;
  var index = {};  // term -> postings, from every shard file loaded (a file may hold several shards)
  var docs = {};
  var loading = {};
  var PAGE = 10;  // results rendered (and fragments fetched) at a time

  S.manifest = function (m) { manifest = m; };
  S.shard = function (key, terms) {
    Object.keys(terms).forEach(function (t) { index[t] = terms[t]; });
  };
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

  // Code point order, the build's (UTF-8 byte) order of terms.
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }
  function group(term) { return Array.from(term).slice(0, 2).join(""); }
  function startsWith(s, prefix) { return s.lastIndexOf(prefix, 0) === 0; }

  // Groups of terms (their first two code points) larger than a shard are split by longer prefixes:
  // the manifest lists those shards' keys; the other groups are packed into files named by their
  // first group, listed in order.
  function isSplit(g) {
    return manifest.shards.some(function (k) { return group(k) === g; });
  }
  // The file holding `term`: the longest split-shard key that is a prefix of it, else the last
  // packed file starting at or before it.
  function shardFor(term) {
    if (isSplit(group(term))) {
      var best = null;
      manifest.shards.forEach(function (k) {
        if (startsWith(term, k) && (!best || k.length > best.length)) best = k;
      });
      return best;
    }
    var lo = 0, hi = manifest.packs.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(manifest.packs[mid], term) <= 0) { found = manifest.packs[mid]; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  // The files holding terms that start with `prefix` (at most 8).
  function shardsForPrefix(prefix) {
    var keys = [];
    var own = shardFor(prefix);
    if (own) keys.push(own);
    if (isSplit(group(prefix))) {
      manifest.shards.forEach(function (k) {
        if (k.length > prefix.length && startsWith(k, prefix) && keys.length < 8) keys.push(k);
      });
    }
    return keys;
  }

  function shardPath(key) { return "search/s-" + encodeURIComponent(key).replace(/%/g, "_") + ".js"; }

  // Postings are [df, doc, score, section, ...]: section 0 is the page top, n the page's n-th
  // linkable section. Returns a promise of [{id, score, matched, section}] best first.
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
          var candidates = prefix ? Object.keys(index).filter(function (term) { return startsWith(term, t); }) : (index[t] ? [t] : []);
          candidates.slice(0, 400).forEach(function (term) {
            var p = index[term];
            var weight = term === t ? 1 : 0.7;
            for (var j = 1; j + 2 < p.length; j += 3) {
              var s = p[j + 1] * weight;
              if (!best[p[j]] || best[p[j]].score < s) best[p[j]] = { score: s, section: p[j + 2] };
            }
          });
          Object.keys(best).forEach(function (id) {
            var e = totals[id] || (totals[id] = { id: +id, score: 0, matched: 0, sections: {} });
            e.score += best[id].score;
            e.matched += 1;
            var sec = best[id].section;
            e.sections[sec] = (e.sections[sec] || 0) + best[id].score;
          });
        });
        return Object.keys(totals).map(function (k) {
          var e = totals[k];
          // The section most of the query's weight points to; the page top only when no word is in a section.
          e.section = 0;
          Object.keys(e.sections).forEach(function (sec) {
            if (+sec > 0 && (e.section === 0 || e.sections[sec] > e.sections[e.section])) e.section = +sec;
          });
          return e;
        }).sort(function (a, b) {
          return b.matched - a.matched || b.score - a.score || a.id - b.id;
        });
      });
    });
  }

  // Results `from` .. `from + count` with their fragments (the files holding them, loaded now).
  function withDocs(results, count, from) {
    var top = results.slice(from || 0, (from || 0) + count);
    var per = (manifest && manifest.per) || 1;  // pages per fragment file
    return Promise.all(top.map(function (r) { return load("search/docs/" + Math.floor(r.id / per) + ".js"); })).then(function () {
      return top.map(function (r) {
        var doc = docs[r.id];
        var section = doc && doc.h && r.section > 0 ? doc.h[r.section - 1] : null;
        return { result: r, doc: doc, section: section, href: doc ? root + doc.u + (section ? "#" + section[0] : "") : "" };
      }).filter(function (x) { return x.doc; });
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

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The title (and section) link of a result.
  function resultLink(item, tokens) {
    var a = element("a", "result-link");
    a.href = item.href;
    var title = element("span", "result-title");
    highlight(title, item.doc.t, tokens);
    a.appendChild(title);
    if (item.section) {
      var sec = element("span", "result-section");
      sec.appendChild(document.createTextNode(" › "));
      highlight(sec, item.section[1], tokens);
      a.appendChild(sec);
    }
    return a;
  }

  function resultItem(item, tokens) {
    var li = element("li");
    li.appendChild(resultLink(item, tokens));
    var meta = element("div", "result-meta");
    meta.appendChild(element("span", "url", item.doc.p));
    (item.doc.s || []).forEach(function (s) { meta.appendChild(element("span", "chip chip-service", s)); });
    (item.doc.g || []).forEach(function (g) { meta.appendChild(element("span", "chip chip-tag", "#" + g)); });
    li.appendChild(meta);
    if (item.doc.d) {
      var d = element("p", "result-desc");
      highlight(d, item.doc.d, tokens);
      li.appendChild(d);
    }
    var p = element("p", "result-excerpt");
    highlight(p, excerpt(item.doc.x, tokens), tokens);
    li.appendChild(p);
    return li;
  }

  S.query = query;
  S.withDocs = withDocs;

  // Arrow keys move between the links of `links()`; Up from the first goes back to `input`.
  function arrowKeys(container, links, input, onLast) {
    container.addEventListener("keydown", function (e) {
      var list = links();
      var at = list.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (at + 1 < list.length) list[at + 1].focus();
        else if (onLast) onLast();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (at > 0 ? list[at - 1] : input).focus();
      } else if (e.key === "Escape") {
        input.focus();
      }
    });
  }

  // Search page: ?q= runs the query on load; results render ten at a time, the next ten when the
  // end of the list comes into view, "More results" is clicked or the arrow keys pass the last.
  function searchPage() {
    var list = document.getElementById("search-results");
    if (!list) return;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    var input = document.getElementById("search-input");
    if (input) input.value = q;
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more");
    if (!q.trim()) return;
    status.textContent = "Searching…";
    var tokens = tokenize(q);
    var results = [];
    var shown = 0;
    var busy = null;
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a.result-link")); }
    function showMore(focusNext) {
      if (busy) return busy;
      if (shown >= results.length) return Promise.resolve();
      busy = withDocs(results, PAGE, shown).then(function (items) {
        shown += PAGE;
        var first = null;
        items.forEach(function (item) {
          var li = resultItem(item, tokens);
          first = first || li;
          list.appendChild(li);
        });
        if (more) more.hidden = shown >= results.length;
        busy = null;
        if (focusNext && first) first.querySelector("a").focus();
        watch();
      });
      return busy;
    }
    var observer = null;
    function watch() {
      if (!more || more.hidden || !("IntersectionObserver" in window)) return;
      if (!observer) {
        observer = new IntersectionObserver(function (entries) {
          if (entries.some(function (en) { return en.isIntersecting; })) showMore(false);
        });
      }
      observer.disconnect();
      observer.observe(more);
    }
    if (more) more.addEventListener("click", function () { showMore(true); });
    arrowKeys(list, links, input, function () { showMore(true); });
    if (input) input.addEventListener("keydown", function (e) {
      var first = links()[0];
      if (e.key === "ArrowDown" && first && document.getElementById("search-suggest").hidden) { e.preventDefault(); first.focus(); }
    });
    query(q, true).then(function (found) {
      results = found;
      status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for “" + q + "”";
      return showMore(false);
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
            var a = resultLink(item, tokens);
            a.setAttribute("role", "option");
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
    arrowKeys(box, function () { return Array.prototype.slice.call(box.children); }, input, null);
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") box.hidden = true; });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) box.hidden = true; });
  }

  searchPage();
  suggest();
})();
