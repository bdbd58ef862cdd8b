/* The workbook's search box (docs/header.html), over the index docs/make_site.py writes
   (search_index.js): one row per page. A page ranks by the best reason it matches, in this
   order: it derives the gradient of the tensor typed (one step at a time, then fused), its
   title or name holds the words, a section's title does, its step reads the tensor, its text
   holds the words as typed, its text holds every word. Among equals, the page whose text holds
   the words most often comes first. The list hangs from the page's body (the title area clips
   what overflows it); arrow keys move in it, Enter opens the row chosen (the first by default),
   Escape closes it. */
(function () {
  "use strict";

  var MOST = 12;
  var REASONS = ["derives", "derives, fused", "title", "section", "reads", "text", "words"];

  /* Lower case, `-` and `_` as spaces, one space between words: "Cross-entropy" finds
     "cross entropy", "bnvar_inv" finds "bnvar inv". */
  function normal(text) {
    return text.toLowerCase().replace(/[-_]/g, " ").replace(/\s+/g, " ").trim();
  }

  function count(text, q) {
    var n = 0, at = text.indexOf(q);
    while (at >= 0) { n++; at = text.indexOf(q, at + q.length); }
    return n;
  }

  /* Why page `e` matches the normalised query `q` (words `words`): [reason, detail, hits]. */
  function reason(e, q, words) {
    var tensor = q.replace(/ /g, "_");
    var names = function (list) {
      return list.some(function (t) { return t.toLowerCase() === tensor || "d" + t.toLowerCase() === tensor; });
    };
    if (names(e.derives)) return [e.fused ? 1 : 0, e.fused ? "derives it again, fused with the lines around it" : "derives its gradient", 0];
    var text = e.norm || (e.norm = normal(e.text));
    var hits = count(text, q);
    if (normal(e.title + " " + e.name + " " + e.about).indexOf(q) >= 0) return [2, e.about, hits];
    for (var k = 0; k < e.sections.length; k++)
      if (normal(e.sections[k][0]).indexOf(q) >= 0) return [3, "section: " + e.sections[k][0], hits, "#" + e.sections[k][1]];
    if (names(e.reads)) return [4, "its step reads it", hits];
    if (hits > 0) return [5, snippet(e.text, text.indexOf(q), q.length), hits];
    if (words.length > 1 && words.every(function (w) { return text.indexOf(w) >= 0; }))
      return [6, snippet(e.text, text.indexOf(words[0]), words[0].length), 0];
    return null;
  }

  /* The words around `at` in `text` (normal() keeps every character's place but for runs of
     spaces, which the index has none of). */
  function snippet(text, at, length) {
    var from = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 40)));
    var to = text.indexOf(" ", Math.min(text.length, at + length + 40));
    if (to < 0) to = text.length;
    return (from > 0 ? "\u2026" : "") + text.slice(from, to).trim() + (to < text.length ? "\u2026" : "");
  }

  function matches(query) {
    var q = normal(query);
    if (!q) return [];
    var words = q.split(" ");
    var found = [];
    (window.ninjaSearchIndex || []).forEach(function (e, order) {
      var r = reason(e, q, words);
      if (r) found.push({entry: e, rank: r[0], detail: r[1], hits: r[2], anchor: r[3] || "", order: order});
    });
    found.sort(function (a, b) { return a.rank - b.rank || b.hits - a.hits || a.order - b.order; });
    return found.slice(0, MOST).map(function (f) {
      return {url: f.entry.url + f.anchor, title: f.entry.title, detail: f.detail, reason: REASONS[f.rank]};
    });
  }

  function Box(input, list, base) {
    this.input = input;
    this.list = list;
    this.base = base;
    this.rows = [];
    this.active = 0;
  }

  Box.prototype.place = function () {
    var r = this.input.getBoundingClientRect();
    var width = Math.min(480, window.innerWidth - r.left - 8);
    this.list.style.left = r.left + "px";
    this.list.style.top = r.bottom + 4 + "px";
    this.list.style.width = Math.max(width, Math.min(r.width, window.innerWidth - 16)) + "px";
  };

  Box.prototype.show = function (query) {
    var list = this.list, base = this.base;
    this.rows = matches(query);
    this.active = 0;
    list.innerHTML = "";
    if (!query.trim()) { list.style.display = "none"; return; }
    this.rows.forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + e.url;
      link.setAttribute("data-reason", e.reason);
      link.innerHTML = "<b></b><span></span>";
      link.firstChild.textContent = e.title;
      link.lastChild.textContent = e.detail;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (!this.rows.length) {
      var none = document.createElement("li");
      none.className = "ninja-search-none";
      none.textContent = "no results for \u201c" + query.trim() + "\u201d";
      list.appendChild(none);
    }
    this.mark();
    this.place();
    list.style.display = "block";
  };

  Box.prototype.mark = function () {
    var active = this.active;
    Array.prototype.forEach.call(this.list.querySelectorAll("a"), function (a, k) {
      a.className = k === active ? "ninja-search-active" : "";
      a.setAttribute("aria-selected", k === active ? "true" : "false");
    });
  };

  Box.prototype.key = function (event) {
    var links = this.list.querySelectorAll("a");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : links.length - 1)) % links.length;
      this.mark();
      links[this.active].scrollIntoView({block: "nearest"});
      event.preventDefault();
    } else if (event.key === "Enter" && links.length) {
      event.preventDefault();
      window.location.href = links[this.active].href;
    } else if (event.key === "Escape") {
      this.input.value = "";
      this.show("");
    }
  };

  function start() {
    var input = document.getElementById("ninja-search-input");
    var list = document.getElementById("ninja-search-results");
    if (!input || !list) return;
    document.body.appendChild(list);  // out of the title area, which clips what overflows it
    var here = document.querySelector('script[src$="search_index.js"]');
    var base = here ? here.getAttribute("src").replace(/search_index\.js$/, "") : "";
    var box = new Box(input, list, base);
    input.addEventListener("input", function () { box.show(input.value); });
    input.addEventListener("focus", function () { if (input.value.trim()) box.show(input.value); });
    input.addEventListener("keydown", function (event) { box.key(event); });
    document.addEventListener("mousedown", function (event) {
      if (event.target !== input && !list.contains(event.target)) list.style.display = "none";
    });
    window.addEventListener("resize", function () { if (list.style.display === "block") box.place(); });
  }

  window.ninjaSearch = matches;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
