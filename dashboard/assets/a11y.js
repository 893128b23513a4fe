/* strideload: accessibility corrections applied in the page (see dashboard/a11y/__init__.py).
 *
 * Dash 4's core components ship a few ARIA mistakes that no component property can turn
 * off; until they are fixed upstream this script corrects them whenever React draws:
 *  - Checklist and RadioItems: native tick boxes and radios wrapped in role=listbox/option
 *    (a listbox must not hold focusable inputs): the roles go, the native inputs stay.
 *  - Dropdown: a focus relay hidden with aria-hidden but in the Tab order, and a button named
 *    by its value only: the button becomes the Tab stop, named by its <label> and value.
 *  - Slider: the handle and its number box get the name of the slider's <label>.
 *  - Upload: the transparent file input is named by the drop zone's text.
 * Charts (dashboard/a11y/charts.py): plotly's drawing becomes one image named by the chart's
 * name (its layers for hover and selection are hidden from screen readers).
 * And for AG Grid (dashboard/a11y/grid.py): the grid gets its name and keyboard hint, links
 * in cells leave the Tab order (the grid is one Tab stop) and Enter on such a cell follows it.
 */
(function () {
  "use strict";
  let counter = 0;

  function idOf(element, prefix) {
    if (!element.id) {
      counter += 1;
      element.id = prefix + "-" + counter;
    }
    return element.id;
  }

  function set(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function drop(element, name) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  }

  function labelFor(id) {
    return id ? document.querySelector('label[for="' + CSS.escape(id) + '"]') : null;
  }

  function fixOptionLists(root) {
    root.querySelectorAll(".dash-checklist, .dash-radioitems").forEach((list) => {
      drop(list, "role");
      list.querySelectorAll(".dash-options-list-option").forEach((option) => {
        drop(option, "role");
        drop(option, "aria-selected");
      });
    });
  }

  function fixDropdowns(root) {
    root.querySelectorAll(".dash-dropdown-wrapper").forEach((wrapper) => {
      const relay = wrapper.querySelector(":scope > .dash-dropdown-focus-target");
      const button = wrapper.querySelector(":scope > button.dash-dropdown");
      if (!button) return;
      if (relay) set(relay, "tabindex", "-1");
      set(button, "tabindex", "0");
      const label = labelFor(button.id);
      if (label) {
        const own = (button.getAttribute("aria-labelledby") || "").split(" ")
          .filter((part) => part && part !== label.id);
        set(button, "aria-labelledby", [idOf(label, "label"), ...own].join(" "));
      }
    });
  }

  function fixSliders(root) {
    root.querySelectorAll(".dash-slider-container").forEach((slider) => {
      const label = labelFor(slider.id);
      if (!label) return;
      const name = idOf(label, "label");
      slider.querySelectorAll('[role="slider"], input').forEach((control) => {
        set(control, "aria-labelledby", name);
      });
    });
  }

  function fixUploads(root) {
    root.querySelectorAll(".dropzone input[type=file]").forEach((input) => {
      const text = input.parentElement.querySelector(".dropzone-label");
      if (text) set(input, "aria-labelledby", idOf(text, "dropzone"));
    });
  }

  function fixGrids(root) {
    root.querySelectorAll("[data-grid-label]").forEach((box) => {
      const grid = box.querySelector('[role="grid"], [role="treegrid"]');
      if (grid) {
        set(grid, "aria-label", box.getAttribute("data-grid-label"));
        set(grid, "aria-describedby", box.getAttribute("data-grid-hint"));
      }
      box.querySelectorAll(".ag-cell a[href]").forEach((link) => set(link, "tabindex", "-1"));
    });
  }

  function fixCharts(root) {
    root.querySelectorAll("[data-chart-name]").forEach((box) => {
      box.querySelectorAll("svg.main-svg").forEach((svg, index) => {
        if (index === 0) {
          set(svg, "role", "img");
          set(svg, "aria-labelledby", box.getAttribute("data-chart-name"));
        } else {
          set(svg, "aria-hidden", "true");
        }
      });
    });
  }

  function fixAll() {
    scheduled = false;
    fixOptionLists(document);
    fixDropdowns(document);
    fixSliders(document);
    fixUploads(document);
    fixGrids(document);
    fixCharts(document);
  }

  let scheduled = false;
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(fixAll);
    }
  }

  // Enter on a grid cell holding a link follows the link (the link itself is no Tab stop).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey) return;
    const cell = event.target.closest && event.target.closest(".ag-cell");
    const link = cell && !cell.classList.contains("ag-cell-inline-editing")
      ? cell.querySelector("a[href]") : null;
    if (link) {
      event.preventDefault();
      link.click();
    }
  }, true);

  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["role", "aria-selected", "tabindex", "aria-labelledby", "class"],
  });
  schedule();
})();
