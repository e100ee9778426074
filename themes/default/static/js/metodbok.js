/* metodbok: the one script every page loads. It holds the helpers the other scripts share
   (window.metodbok), turns the narrow screen's menu link into a button, folds a long
   "on this page" on a narrow screen, and otherwise does nothing on load but wait: the search client
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

  /** t(key, vars) over `table`, the interface strings a script carries (the build writes
      them in, see STRINGS_ASKED in src/theme.rs): the text of `key`, or the key, with each
      {name} that `vars` has replaced by its value, taken as it is. */
  function strings(table) {
    return function (key, vars) {
      return (table[key] || key).replace(/\{(\w+)\}/g, function (whole, name) {
        return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
      });
    };
  }

  // Here before the others run: js/checklists.js is deferred after this, js/search.js added by it.
  window.metodbok = { el: el, strings: strings };

  // The menu on a narrow screen: without scripts a link to the menu (which :target shows),
  // with them a button that opens and closes it.
  const menu = document.querySelector('a[data-menu]');
  const nav = menu && document.getElementById(menu.getAttribute('href').slice(1));
  if (nav) {
    const button = el('button', { type: 'button', class: menu.className, 'aria-expanded': 'false', 'aria-controls': nav.id, text: menu.textContent });
    menu.replaceWith(button);
    button.addEventListener('click', function () {
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('mb-nav--open', open);
    });
  }

  // "On this page" folds to its first line on a narrow screen when it is long.
  const toc = document.querySelector('details.mb-toc');
  if (toc && toc.querySelectorAll('li').length > 5 && window.matchMedia('(max-width: 47.99rem)').matches) toc.open = false;

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
