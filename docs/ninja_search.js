/* The workbook's search box (docs/header.html): finds chapters by a tensor's name, a gradient's
   name, a chapter's name or title words, or a section of a derivation, in the index that
   docs/make_site.py writes (search_index.js). An exact match comes first, then a match at the
   start, then anywhere; among equal matches, the chapter that derives the tensor's gradient one
   step at a time comes before the fused chapter and the chapters that only read it. */
(function () {
  "use strict";

  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    var seen = {};
    (window.ninjaSearchIndex || []).forEach(function (e) {
      var kind = e.key === q ? 0 : e.key.indexOf(q) === 0 ? 1 : e.key.indexOf(q) > 0 ? 2 : -1;
      if (kind < 0 && e.title.toLowerCase().indexOf(q) >= 0) kind = 3;
      if (kind < 0) return;
      var id = e.url + "|" + e.detail;
      if (seen[id] !== undefined && found[seen[id]].kind <= kind) return;
      seen[id] = found.length;
      found.push({entry: e, kind: kind});
    });
    found.sort(function (a, b) {
      return a.kind - b.kind || a.entry.rank - b.entry.rank || (a.entry.url < b.entry.url ? -1 : 1);
    });
    return found.slice(0, 12).map(function (f) { return f.entry; });
  }

  function show(list, results, base) {
    list.innerHTML = "";
    results.forEach(function (e, k) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + e.url;
      link.className = k === 0 ? "ninja-search-first" : "";
      link.innerHTML = "<b></b><span></span>";
      link.firstChild.textContent = e.title;
      link.lastChild.textContent = " \u2014 " + e.detail;
      item.appendChild(link);
      list.appendChild(item);
    });
    list.style.display = results.length ? "block" : "none";
  }

  function start() {
    var input = document.getElementById("ninja-search-input");
    var list = document.getElementById("ninja-search-results");
    if (!input || !list) return;
    var here = document.querySelector('script[src$="search_index.js"]');
    var base = here ? here.getAttribute("src").replace(/search_index\.js$/, "") : "";
    input.addEventListener("input", function () { show(list, matches(input.value), base); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && list.firstChild) window.location.href = list.firstChild.firstChild.href;
      if (event.key === "Escape") { input.value = ""; show(list, [], base); }
    });
  }

  window.ninjaSearch = matches;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
