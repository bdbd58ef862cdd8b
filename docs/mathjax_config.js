/* Pasted by Doxygen after its own MathJax.Hub.Config call. Always use the web fonts copied into
   the site, so that a page looks the same whether or not the reader has MathJax fonts installed,
   and never fall back to image fonts (not shipped). A formula wider than its column breaks at
   its operators instead of making the page scroll sideways. */
MathJax.Hub.Config({
  "HTML-CSS": { availableFonts: [], preferredFont: null, webFont: "TeX", imageFont: null,
                linebreaks: { automatic: true, width: "container" } },
  messageStyle: "none"
});
