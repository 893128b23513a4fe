/* Functions the grids' column definitions name (dash-ag-grid looks them up here). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* Markdown links "[42](/activities/42)" compared by their text as numbers (42 < 100). */
dagfuncs.byLinkNumber = function (a, b) {
  const number = (link) => Number(String(link).slice(1, String(link).indexOf("]")));
  return number(a) - number(b);
};
