/* strideload: the Methods page (dashboard/pages/methods.py) is drawn after the browser looked
 * for the address's #section-N anchor, so its clientside callback scrolls there once drawn. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  methods: {
    scrollToAnchor: function () {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id ? document.getElementById(id) : null;
      if (target) {
        target.scrollIntoView();
      }
      return id || null;
    },
  },
});
