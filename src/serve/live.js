/* metodbok serve: live reload and the error overlay. Injected into every page the preview
   server serves (never into a build). It keeps a websocket to the server, reconnecting by
   itself after a restart; a new build reloads the page, a failed build shows its errors in
   a modal dialog (focus moves to it; Escape closes it) while the last good pages stay, and a
   good build's notices (a statement not ready to publish, national texts to review) are
   shown once per build the same way. Its words come from the site's interface strings. */
(function () {
  'use strict';
  var build = document.currentScript.getAttribute('data-build');
  var dialog = null;
  var wasConnected = false;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function hide() {
    if (dialog) {
      if (dialog.open) dialog.close();
      dialog.remove();
      dialog = null;
    }
  }

  // The overlay's words, in the site's language: the server sends them (the theme's
  // `live_*` interface strings) with every message, so none are written here.
  var t = {};
  function w(key) { return t[key] || key; }

  function item(e) {
    var li = el('li');
    li.append(el('p', { class: 'mb-live__where' }, e.file + (e.line ? ':' + e.line + ':' + e.column : '')));
    li.append(el('p', { class: 'mb-live__message' }, e.message));
    if (e.source_line !== null && e.source_line !== undefined) {
      li.append(el('pre', { class: 'mb-live__line', tabindex: '0', 'aria-label': w('live_line') + ' ' + e.line }, e.source_line));
    }
    if (e.help) li.append(el('p', { class: 'mb-live__help' }, w('live_help') + ': ' + e.help));
    return li;
  }

  function list(items) {
    var ol = el('ol');
    items.forEach(function (e) { ol.append(item(e)); });
    return ol;
  }

  var STYLE = '.mb-live{max-width:48rem;width:calc(100% - 2rem);border:4px solid #b00020;padding:1rem 1.5rem;' +
    'background:#fff;color:#1b1b1b;font:16px/1.5 system-ui,sans-serif}.mb-live::backdrop{background:rgba(0,0,0,.55)}' +
    '.mb-live h2{margin:0 0 .5rem;color:#8a0018}.mb-live h3{margin:1rem 0 .25rem;font-size:1.05rem}.mb-live ol{padding-left:1.25rem}' +
    '.mb-live__where{font-family:monospace;font-weight:700;margin:.75rem 0 0;overflow-wrap:anywhere}' +
    '.mb-live__message{margin:.25rem 0;overflow-wrap:anywhere}.mb-live__line{background:#f3f3f3;color:#1b1b1b;padding:.5rem;overflow:auto;margin:.25rem 0}' +
    '.mb-live__help{margin:.25rem 0;color:#333}.mb-live button{font:inherit;font-weight:600;padding:.4rem 1rem;border:2px solid #1b1b1b;' +
    'background:#f3f3f3;color:#1b1b1b;cursor:pointer}.mb-live button:focus-visible,.mb-live__line:focus-visible{outline:3px solid #ffbf47;' +
    'box-shadow:0 0 0 6px #1b1b1b}.mb-live--notice{border-color:#8a4b00}.mb-live--notice h2{color:#6b3a00}' +
    // The dialog takes focus so a screen reader starts at its title; its border already marks
    // it, so the page's focus band (for links and buttons) is not drawn over all of it.
    '.mb-live[tabindex]:focus-visible{background:#fff;color:#1b1b1b;outline:none;box-shadow:none}';

  function open(d) {
    var close = el('button', { type: 'button' }, w('live_close'));
    close.addEventListener('click', hide);
    d.append(close, el('style', {}, STYLE));
    document.body.append(d);
    d.showModal();
    d.setAttribute('tabindex', '-1');
    d.focus();
  }

  function show(errors) {
    hide();
    var n = errors.length;
    dialog = el('dialog', { class: 'mb-live', lang: t.lang || 'en', 'aria-labelledby': 'mb-live-title' });
    dialog.append(
      el('h2', { id: 'mb-live-title' }, w('live_failed_title').replace('{n}', n)),
      el('p', {}, w('live_failed_text')),
      list(errors)
    );
    open(dialog);
  }

  // What a good build found that does not stop the preview: an accessibility statement
  // that cannot be published yet, national texts changed since the copy's last review.
  // Shown once per build (closing it keeps it closed until the next build).
  function notify(notices) {
    if (!notices) return;
    var blocked = notices.unpublishable || [], review = notices.warnings || [];
    if (!blocked.length && !review.length) { hide(); return; }
    var key = 'mb-live-seen-' + build;
    try { if (sessionStorage.getItem(key)) return; sessionStorage.setItem(key, '1'); } catch (e) { /* storage off */ }
    hide();
    dialog = el('dialog', { class: 'mb-live mb-live--notice', lang: t.lang || 'en', 'aria-labelledby': 'mb-live-title' });
    dialog.append(el('h2', { id: 'mb-live-title' }, w('live_notices_title').replace('{n}', blocked.length + review.length)));
    if (blocked.length) {
      dialog.append(el('h3', {}, w('live_unpublishable')), list(blocked));
    }
    if (review.length) {
      dialog.append(el('h3', {}, w('live_review')), list(review));
    }
    open(dialog);
  }

  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__metodbok/ws');
    ws.onopen = function () { wasConnected = true; };
    ws.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.t) t = m.t;
      if (m.type === 'reload' || (m.type === 'hello' && m.build !== build && !m.errors)) {
        location.reload();
      } else if (m.errors) {
        show(m.errors);
      } else if (m.type === 'hello') {
        hide();
        notify(m.notices);
      }
    };
    // The server stopped or restarted: try again, every half second.
    ws.onclose = function () { setTimeout(connect, wasConnected ? 500 : 1000); };
  }
  connect();
})();
