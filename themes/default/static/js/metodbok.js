/* metodbok: the one script every page loads. It holds the helpers the other scripts share
   (window.metodbok) and otherwise does nothing on load but wait: the search client
   (js/search.js) and its index are fetched the first time the reader uses the search field,
   on the search page, or on a page reached from a search result (?hl=…), where the client
   marks the search terms. Without this script the search form still works: it goes to the
   search page and its A–Ö register. */
(function () {
  'use strict';

  /** A new element with attributes (`text`: its text) and children (nodes or strings). */
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  /** t(key, vars) over `element`'s data-strings (JSON): the text of `key`, or the key, with
      each {name} that `vars` has replaced by its value, taken as it is. */
  function strings(element) {
    const table = JSON.parse(element.getAttribute('data-strings') || '{}');
    return function (key, vars) {
      return (table[key] || key).replace(/\{(\w+)\}/g, function (whole, name) {
        return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
      });
    };
  }

  // Here before the others run: js/checklists.js is deferred after this, js/search.js added by it.
  window.metodbok = { el: el, strings: strings };

  const form = document.querySelector('form[data-search]');
  if (!form) return;
  let started = false;
  function start() {
    if (started) return;
    started = true;
    document.head.appendChild(el('script', { src: form.getAttribute('data-search-script') }));
  }
  if (form.hasAttribute('data-search-page') || new URLSearchParams(location.search).has('hl')) {
    start();
  } else {
    const input = form.querySelector('input[name="q"]');
    input.addEventListener('focus', start);
    input.addEventListener('input', start);
  }
})();
