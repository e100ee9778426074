/* metodbok: the one script every page loads. It does nothing on load but wait: the search
   client (js/search.js) and its index are fetched the first time the reader uses the search
   field, on the search page, or on a page reached from a search result (?hl=…), where the
   client marks the search terms. Without this script the search form still works: it goes
   to the search page and its A–Ö register. */
(function () {
  'use strict';
  const form = document.querySelector('form[data-search]');
  if (!form) return;
  let started = false;
  function start() {
    if (started) return;
    started = true;
    const script = document.createElement('script');
    script.src = form.getAttribute('data-search-script');
    document.head.appendChild(script);
  }
  if (form.hasAttribute('data-search-page') || new URLSearchParams(location.search).has('hl')) {
    start();
  } else {
    const input = form.querySelector('input[name="q"]');
    input.addEventListener('focus', start);
    input.addEventListener('input', start);
  }
})();
