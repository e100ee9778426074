/* metodbok serve: live reload and the error overlay. Injected into every page the preview
   server serves (never into a build). It keeps a websocket to the server, reconnecting by
   itself after a restart; a new build reloads the page, a failed build shows its errors in
   a modal dialog (focus moves to it; Escape closes it) while the last good pages stay. */
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

  function show(errors) {
    hide();
    dialog = el('dialog', { class: 'mb-live', lang: 'en', 'aria-labelledby': 'mb-live-title' });
    var n = errors.length;
    dialog.append(
      el('h2', { id: 'mb-live-title' }, 'The site did not build: ' + n + (n === 1 ? ' problem' : ' problems')),
      el('p', {}, 'The page shows the last version that built. Fix the file and save; the page reloads by itself.')
    );
    var list = el('ol');
    errors.forEach(function (e) {
      var li = el('li');
      li.append(el('p', { class: 'mb-live__where' }, e.file + (e.line ? ':' + e.line + ':' + e.column : '')));
      li.append(el('p', { class: 'mb-live__message' }, e.message));
      if (e.source_line !== null && e.source_line !== undefined) {
        li.append(el('pre', { class: 'mb-live__line', tabindex: '0', 'aria-label': 'Line ' + e.line }, e.source_line));
      }
      if (e.help) li.append(el('p', { class: 'mb-live__help' }, 'help: ' + e.help));
      list.append(li);
    });
    var close = el('button', { type: 'button' }, 'Close (Esc)');
    close.addEventListener('click', hide);
    dialog.append(list, close);
    var style = el('style', {}, '.mb-live{max-width:48rem;width:calc(100% - 2rem);border:4px solid #b00020;padding:1rem 1.5rem;' +
      'background:#fff;color:#1b1b1b;font:16px/1.5 system-ui,sans-serif}.mb-live::backdrop{background:rgba(0,0,0,.55)}' +
      '.mb-live h2{margin:0 0 .5rem;color:#8a0018}.mb-live ol{padding-left:1.25rem}.mb-live__where{font-family:monospace;font-weight:700;margin:.75rem 0 0}' +
      '.mb-live__message{margin:.25rem 0}.mb-live__line{background:#f3f3f3;color:#1b1b1b;padding:.5rem;overflow:auto;margin:.25rem 0}' +
      '.mb-live__help{margin:.25rem 0;color:#333}.mb-live button{font:inherit;font-weight:600;padding:.4rem 1rem;border:2px solid #1b1b1b;' +
      'background:#f3f3f3;color:#1b1b1b;cursor:pointer}.mb-live button:focus-visible,.mb-live__line:focus-visible{outline:3px solid #ffbf47;' +
      'box-shadow:0 0 0 6px #1b1b1b}');
    dialog.append(style);
    document.body.append(dialog);
    dialog.showModal();
    dialog.setAttribute('tabindex', '-1');
    dialog.focus();
  }

  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__metodbok/ws');
    ws.onopen = function () { wasConnected = true; };
    ws.onmessage = function (event) {
      var m = JSON.parse(event.data);
      if (m.type === 'reload' || (m.type === 'hello' && m.build !== build && !m.errors)) {
        location.reload();
      } else if (m.errors) {
        show(m.errors);
      } else if (m.type === 'hello') {
        hide();
      }
    };
    // The server stopped or restarted: try again, every half second.
    ws.onclose = function () { setTimeout(connect, wasConnected ? 500 : 1000); };
  }
  connect();
})();
