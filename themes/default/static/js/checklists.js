/* metodbok checklists. Loaded only on pages with a checklist, on the phase overview and on
   the storage page ("Mina utvecklingsinsatser"). Without it a checklist is a plain,
   printable list; with it every item gets a native checkbox and an optional note, and each
   checklist a one-line status (progress, the initiative, a link to manage it, print and CSV).
   The management of initiatives, files and the progress of every step are on the storage
   page only, so that the guidance comes first everywhere else.

   What the reader enters is kept in localStorage and nowhere else: no cookies, no requests.
   Keys are namespaced by this copy of the handbook (its root URL, so two copies opened from
   disk, which share one storage origin in Chromium, never see each other's ticks), the
   method's edition and the checklist:
     metodbok|<root>|<edition>|initiatives            {format, current, list: [{id, name}]}
     metodbok|<root>|<edition>|i|<initiative>|<list>  {format, items: {<item>: {done, note}}}
   Stored data that cannot be read is moved to a key ending in |aside|<time>, never dropped;
   ticks of items a checklist no longer has are kept, reported and exported. */
(function () {
  'use strict';

  const script = document.currentScript;
  const el = window.metodbok.el; // js/metodbok.js, loaded before this
  const t = window.metodbok.strings({ /* strings: cl_ */ });
  const storedUrl = script.getAttribute('data-stored');
  const pageTitle = script.getAttribute('data-page') || document.title;
  // The page's file name without .html ("identifiera-behov"), for the names of its exports.
  const pageName = decodeURIComponent(location.pathname.split('/').pop() || '').replace(/\.html$/, '');
  const root = new URL(script.getAttribute('data-root') || './', location.href).href;
  const NS = 'metodbok|' + root + '|' + (script.getAttribute('data-version') || '');
  const FORMAT = 1;

  /* ---- Storage ----------------------------------------------------------------------- */

  const store = (function () {
    try {
      const probe = NS + '|probe';
      localStorage.setItem(probe, '1');
      localStorage.removeItem(probe);
      return localStorage;
    } catch {
      return null;
    }
  })();
  /* What could not be stored (no storage, or storage full) is kept here, over what is
     stored, for as long as the page is open; it is in every export. */
  const memory = {};
  const problems = [];
  let onUnsaved = function () {};

  function getRaw(k) {
    if (k in memory) return memory[k];
    return store ? store.getItem(k) : null;
  }
  /* Writes `v`, and anything an earlier write could not store; what still does not fit
     (the browser's storage is full) stays in memory and the reader is told. */
  function setRaw(k, v) {
    memory[k] = v;
    if (!store) return;
    let failed = false;
    Object.keys(memory).forEach(function (key) {
      try {
        store.setItem(key, memory[key]);
        delete memory[key];
      } catch {
        failed = true;
      }
    });
    onUnsaved(failed);
  }
  function removeRaw(k) {
    delete memory[k];
    if (store) store.removeItem(k);
  }
  function keys() {
    const out = Object.keys(memory);
    if (!store) return out;
    for (let i = 0; i < store.length; i++) if (!(store.key(i) in memory)) out.push(store.key(i));
    return out;
  }

  /** The JSON under `k` if `valid` accepts it; anything else is set aside, not lost. */
  function read(k, valid) {
    const raw = getRaw(k);
    if (raw === null) return null;
    try {
      const v = JSON.parse(raw);
      if (valid(v)) return v;
    } catch { /* set aside below */ }
    setRaw(k + '|aside|' + new Date().toISOString(), raw);
    removeRaw(k);
    problems.push(t('cl_corrupt'));
    return null;
  }

  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function validInitiatives(v) {
    return isObject(v) && v.format === FORMAT && Array.isArray(v.list) &&
      v.list.every(function (x) { return isObject(x) && typeof x.id === 'string' && typeof x.name === 'string'; });
  }
  function validState(v) { return isObject(v) && v.format === FORMAT && isObject(v.items); }

  const INITIATIVES = NS + '|initiatives';

  function initiatives() {
    let v = read(INITIATIVES, validInitiatives);
    if (!v || !v.list.length) v = { format: FORMAT, current: 'standard', list: [{ id: 'standard', name: t('cl_default_name') }] };
    if (!v.list.some(function (x) { return x.id === v.current; })) v.current = v.list[0].id;
    return v;
  }
  function saveInitiatives(v) { setRaw(INITIATIVES, JSON.stringify(v)); }
  function current() {
    const v = initiatives();
    return v.list.filter(function (x) { return x.id === v.current; })[0];
  }

  function prefix(initiative) { return NS + '|i|' + initiative + '|'; }
  function stateKey(initiative, checklist) { return prefix(initiative) + checklist; }
  function state(checklist) {
    return read(stateKey(current().id, checklist), validState) || { format: FORMAT, items: {} };
  }
  function entry(s, item) {
    const e = s.items[item];
    return { done: isObject(e) && e.done === true, note: isObject(e) && typeof e.note === 'string' ? e.note : '' };
  }
  function update(checklist, item, change) {
    const v = initiatives();
    saveInitiatives(v); // the default initiative is stored once it holds something
    const s = state(checklist);
    const e = entry(s, item);
    Object.keys(change).forEach(function (k) { e[k] = change[k]; });
    if (!e.done && !e.note) delete s.items[item]; else s.items[item] = e;
    setRaw(stateKey(v.current, checklist), JSON.stringify(s));
  }
  function removeInitiativeData(id) {
    keys().filter(function (k) { return k.indexOf(prefix(id)) === 0; }).forEach(removeRaw);
  }

  /* ---- The page's checklists --------------------------------------------------------- */

  const fieldsets = Array.prototype.slice.call(document.querySelectorAll('fieldset[data-checklist]'));
  const overview = Array.prototype.slice.call(document.querySelectorAll('[data-progress]'));
  if (!fieldsets.length && !overview.length) return;

  const items = [];
  const lists = [];
  const known = {};
  // The checklist changed last: where the reader is told if the change could not be stored.
  let changed = null;

  fieldsets.forEach(function (fs) {
    const cid = fs.getAttribute('data-checklist');
    known[cid] = known[cid] || {};
    fs.classList.add('mb-checklist--enhanced');
    const mine = [];
    fs.querySelectorAll('.mb-checklist__items > li[data-item]').forEach(function (li) {
      const id = li.getAttribute('data-item');
      known[cid][id] = true;
      const text = li.querySelector('.mb-checklist__text');
      const words = text.textContent.replace(/\s+/g, ' ').trim();
      const box = el('input', { type: 'checkbox', class: 'mb-check__box', id: li.id + '--klar' });
      const label = el('label', { class: 'mb-check__label', for: box.id });
      text.replaceWith(label);
      label.append(text);
      const printState = el('span', { class: 'mb-check__print' });
      li.prepend(box, printState);
      const note = el('input', { type: 'text', class: 'mb-check__note-input', id: li.id + '--anteckning', maxlength: '500', autocomplete: 'off' });
      const details = el('details', { class: 'mb-check__note' }, [
        el('summary', {}, [t('cl_note'), el('span', { class: 'mb-visually-hidden', text: ': ' + words })]),
        el('label', { class: 'mb-visually-hidden', for: note.id, text: t('cl_note_label', { item: words }) }),
        note,
      ]);
      const printNote = el('span', { class: 'mb-check__print mb-check__print-note' });
      li.append(details, printNote);
      li.classList.add('mb-check');
      box.addEventListener('change', function () { changed = cid; update(cid, id, { done: box.checked }); refresh(); });
      note.addEventListener('input', function () { changed = cid; update(cid, id, { note: note.value }); refresh(); });
      const it = { cid: cid, id: id, words: words, box: box, note: note, details: details, printState: printState, printNote: printNote, fs: fs };
      items.push(it);
      mine.push(it);
    });
    // A live region only after the first count, so that loading the page announces nothing.
    const count = el('span', { class: 'mb-checklist__count' });
    const who = el('strong');
    const print = el('button', { type: 'button', class: 'mb-checklist__print', text: t('cl_print') });
    print.addEventListener('click', function () { printOne(fs); });
    const csv = el('button', { type: 'button', class: 'mb-checklist__csv', text: t('cl_export_csv') });
    csv.addEventListener('click', exportCsv);
    const tools = el('p', { class: 'mb-checklist__tools' }, [
      count, el('span', {}, [' · ' + t('cl_initiative') + ': ', who]), ' ',
      el('a', { href: storedUrl + '#mb-insatser', text: t('cl_manage_link') }), ' ', print, ' ', csv,
    ]);
    const aside = el('p', { class: 'mb-notice mb-checklist__aside', hidden: '' });
    // Told at once (role="alert") when a tick or note of this checklist could not be stored.
    const unsaved = el('div', { class: 'mb-checklist__unsaved', role: 'alert' });
    const legend = fs.querySelector('legend');
    legend.after(tools, aside, unsaved);
    // Ticks kept aside are reported once, at the first fieldset of their checklist.
    const first = !lists.some(function (l) { return l.cid === cid; });
    lists.push({ cid: cid, fs: fs, items: mine, count: count, who: who, aside: aside, unsaved: unsaved, first: first, title: legend.textContent.trim() });
  });

  // The phase overview and the storage page: each step's progress, beside its name.
  overview.forEach(function (li) {
    (li.querySelector('.mb-steps__heading') || li).append(' ', el('span', { class: 'mb-steps__progress' }));
  });

  /* ---- The panel: which initiative, files, clearing ---------------------------------- */

  const status = el('p', { class: 'mb-initiative__status', role: 'status' });
  const select = el('select', { id: 'mb-initiative-select' });
  const currentName = el('strong');
  const newName = el('input', { type: 'text', id: 'mb-initiative-new', autocomplete: 'off' });
  const rename = el('input', { type: 'text', id: 'mb-initiative-rename', autocomplete: 'off' });
  const file = el('input', { type: 'file', id: 'mb-initiative-import', accept: '.json,application/json' });

  function button(text, onClick, cls) {
    const b = el('button', { type: 'button', class: 'mb-button' + (cls ? ' ' + cls : ''), text: text });
    b.addEventListener('click', onClick);
    return b;
  }
  function row(children) { return el('div', { class: 'mb-initiative__row' }, children); }

  const panel = el('section', { class: 'mb-initiative', 'aria-labelledby': 'mb-initiative-title' }, [
    el('h2', { id: 'mb-initiative-title', text: t('cl_panel_title') }),
    el('p', { class: 'mb-initiative__current' }, [t('cl_initiative') + ': ', currentName]),
    row([el('label', { for: select.id, text: t('cl_switch') }), select]),
    el('details', { class: 'mb-initiative__more' }, [
      el('summary', { text: t('cl_manage') }),
      row([el('label', { for: newName.id, text: t('cl_new_label') }), newName, button(t('cl_create'), create)]),
      row([el('label', { for: rename.id, text: t('cl_rename_label') }), rename, button(t('cl_rename'), renameCurrent)]),
      row([button(t('cl_delete'), deleteCurrent)]),
    ]),
    el('details', { class: 'mb-initiative__more' }, [
      el('summary', { text: t('cl_files') }),
      row([button(t('cl_export_json'), exportJson), button(t('cl_export_all_csv'), exportAllCsv)]),
      row([el('label', { for: file.id, text: t('cl_import') }), file]),
      row([button(t('cl_clear'), clearCurrent, 'mb-button--warning')]),
    ]),
    el('p', { class: 'mb-initiative__intro', text: t('cl_panel_intro') }),
    status,
  ]);
  // The panel has a place on the storage page only; elsewhere what must be said (stored
  // data that could not be read, no storage) is said before the page's first checklist.
  const home = document.querySelector('[data-initiatives]');
  if (home) home.append(panel);
  else if (fieldsets.length) fieldsets[0].before(status);

  select.addEventListener('change', function () {
    const v = initiatives();
    v.current = select.value;
    saveInitiatives(v);
    say('cl_switched', current().name);
    refresh();
  });
  file.addEventListener('change', function () {
    const f = file.files[0];
    if (f) f.text().then(importJson).catch(function () { status.textContent = t('cl_import_failed'); });
    file.value = '';
  });

  function say(key, name) { status.textContent = t(key, { name: name }); }

  function create() {
    const name = newName.value.trim();
    if (!name) { newName.focus(); return; }
    const v = initiatives();
    const id = 'u' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
    v.list.push({ id: id, name: name });
    v.current = id;
    saveInitiatives(v);
    newName.value = '';
    say('cl_created', name);
    refresh();
  }
  function renameCurrent() {
    const name = rename.value.trim();
    if (!name) { rename.focus(); return; }
    const v = initiatives();
    v.list.forEach(function (x) { if (x.id === v.current) x.name = name; });
    saveInitiatives(v);
    rename.value = '';
    say('cl_renamed', name);
    refresh();
  }
  function deleteCurrent() {
    const v = initiatives();
    const gone = current();
    if (!window.confirm(t('cl_delete_confirm', { name: gone.name }))) return;
    removeInitiativeData(gone.id);
    v.list = v.list.filter(function (x) { return x.id !== gone.id; });
    v.current = v.list.length ? v.list[0].id : 'standard';
    if (v.list.length) saveInitiatives(v); else removeRaw(INITIATIVES);
    say('cl_deleted', gone.name);
    refresh();
  }
  function clearCurrent() {
    const c = current();
    if (!window.confirm(t('cl_clear_confirm', { name: c.name }))) return;
    removeInitiativeData(c.id);
    say('cl_cleared', c.name);
    refresh();
  }

  /* ---- Files ------------------------------------------------------------------------- */

  function download(name, text, type) {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: type })), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function fileName(name, ext) {
    return (name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'markeringar') + ext;
  }
  function csvFile(rows, name) {
    const cell = function (s) { return '"' + String(s).replace(/"/g, '""') + '"'; };
    const head = [t('cl_csv_checklist'), t('cl_csv_item'), t('cl_csv_id'), t('cl_csv_state'), t('cl_csv_note')];
    // Semicolons and a byte order mark: what spreadsheet programs set to Swedish expect.
    const text = '\ufeff' + [head].concat(rows).map(function (r) { return r.map(cell).join(';'); }).join('\r\n') + '\r\n';
    download(fileName(name, '.csv'), text, 'text/csv');
  }
  function csvRow(checklist, e, text, id) {
    return [checklist, text, id, e.done ? t('cl_done') : t('cl_not_done'), e.note];
  }

  function exportJson() {
    const c = current();
    const checklists = {};
    keys().forEach(function (k) {
      if (k.indexOf(prefix(c.id)) !== 0 || k.indexOf('|aside|') >= 0) return;
      const s = read(k, validState);
      if (s) checklists[k.slice(prefix(c.id).length)] = s.items;
    });
    const data = { kind: 'metodbok-initiative', format: FORMAT, edition: NS.split('|').pop(), exported: new Date().toISOString(), initiative: c, checklists: checklists };
    download(fileName(c.name, '.json'), JSON.stringify(data, null, 2) + '\n', 'application/json');
  }

  function importJson(text) {
    let data;
    try { data = JSON.parse(text); } catch { data = null; }
    if (!isObject(data) || data.kind !== 'metodbok-initiative' || data.format !== FORMAT || !isObject(data.initiative) ||
        typeof data.initiative.id !== 'string' || typeof data.initiative.name !== 'string' || !isObject(data.checklists)) {
      status.textContent = t('cl_import_failed');
      return;
    }
    const v = initiatives();
    const id = data.initiative.id;
    removeInitiativeData(id);
    if (!v.list.some(function (x) { return x.id === id; })) v.list.push({ id: id, name: data.initiative.name });
    v.list.forEach(function (x) { if (x.id === id) x.name = data.initiative.name; });
    v.current = id;
    saveInitiatives(v);
    Object.keys(data.checklists).forEach(function (cid) {
      if (isObject(data.checklists[cid])) setRaw(stateKey(id, cid), JSON.stringify({ format: FORMAT, items: data.checklists[cid] }));
    });
    say('cl_imported', data.initiative.name);
    refresh();
  }

  /* The page's checklists, each row naming its page and checklist; the file is named after
     the page and the initiative ("identifiera-behov-min-utvecklingsinsats.csv"). */
  function exportCsv() {
    const rows = [];
    lists.forEach(function (l) {
      const s = state(l.cid);
      l.items.forEach(function (it) { rows.push(csvRow(pageTitle + ' – ' + l.title, entry(s, it.id), it.words, it.id)); });
    });
    csvFile(rows, pageName + '-' + current().name);
  }

  /* The whole initiative: every checklist the storage page lists (phases, milestones, a
     site's own and supplements' checklists, by name), then anything else stored for the
     initiative (a checklist no longer in the handbook), by its ids. */
  function exportAllCsv() {
    const rows = [];
    const done = {};
    overview.forEach(function (li) {
      const cid = li.getAttribute('data-progress');
      const ids = (li.getAttribute('data-items') || '').split(' ').filter(Boolean);
      let texts = [];
      try { texts = JSON.parse(li.getAttribute('data-texts') || '[]'); } catch { texts = []; }
      const s = state(cid);
      ids.forEach(function (id, i) { rows.push(csvRow(li.getAttribute('data-title') || cid, entry(s, id), texts[i] || id, id)); });
      done[cid] = true;
    });
    const p = prefix(current().id);
    keys().filter(function (k) { return k.indexOf(p) === 0 && k.indexOf('|aside|') < 0; }).sort().forEach(function (k) {
      const cid = k.slice(p.length);
      if (done[cid]) return;
      const s = state(cid);
      Object.keys(s.items).forEach(function (id) { rows.push(csvRow(cid, entry(s, id), id, id)); });
    });
    csvFile(rows, current().name);
  }

  /* ---- Printing one checklist -------------------------------------------------------- */

  function printOne(fs) {
    document.body.classList.add('mb-print-one');
    fs.classList.add('mb-print-target');
    for (let e = fs.parentElement; e && e !== document.body; e = e.parentElement) e.classList.add('mb-print-path');
    window.addEventListener('afterprint', function done() {
      window.removeEventListener('afterprint', done);
      document.body.classList.remove('mb-print-one');
      document.querySelectorAll('.mb-print-target, .mb-print-path').forEach(function (x) { x.classList.remove('mb-print-target', 'mb-print-path'); });
    });
    window.print();
  }

  /* ---- Showing the state ------------------------------------------------------------- */

  function refresh() {
    const v = initiatives();
    const c = current();
    currentName.textContent = c.name;
    select.textContent = '';
    v.list.forEach(function (x) {
      const o = el('option', { value: x.id, text: x.name });
      if (x.id === v.current) o.selected = true;
      select.append(o);
    });
    const states = {};
    const get = function (cid) { return states[cid] || (states[cid] = state(cid)); };
    items.forEach(function (it) {
      const e = entry(get(it.cid), it.id);
      it.box.checked = e.done;
      if (document.activeElement !== it.note) it.note.value = e.note;
      if (e.note) it.details.open = true;
      it.printState.textContent = (e.done ? '☑ ' + t('cl_done') : '☐ ' + t('cl_not_done')) + ': ';
      it.printNote.textContent = e.note ? t('cl_note') + ': ' + e.note : '';
    });
    lists.forEach(function (l) {
      const done = l.items.filter(function (it) { return it.box.checked; }).length;
      // Printed with its states only when something in it is ticked or noted.
      l.fs.classList.toggle('mb-checklist--marked', l.items.some(function (it) { return it.box.checked || it.note.value; }));
      const text = t('cl_progress', { done: done, total: l.items.length });
      if (l.count.textContent !== text) l.count.textContent = text;
      l.who.textContent = c.name;
      const unknown = Object.keys(get(l.cid).items).filter(function (id) { return !known[l.cid][id]; }).length;
      l.aside.hidden = unknown === 0 || !l.first;
      l.aside.textContent = unknown ? t('cl_aside', { n: unknown }) : '';
    });
    overview.forEach(function (li) {
      const ids = (li.getAttribute('data-items') || '').split(' ').filter(Boolean);
      const s = get(li.getAttribute('data-progress'));
      const done = ids.filter(function (id) { return entry(s, id).done; }).length;
      li.querySelector('.mb-steps__progress').textContent = t('cl_progress', { done: done, total: ids.length });
    });
    if (!store) status.textContent = t('cl_no_storage');
    else if (!Object.keys(memory).length) onUnsaved(false);
    if (problems.length) status.textContent = problems.splice(0).join(' ');
  }

  /* Storage full: the change is kept on the page, and the reader is told where they made
     it, with a way to keep it (the export, which holds what is kept on the page). */
  onUnsaved = function (failed) {
    lists.forEach(function (l) {
      const show = failed && l.cid === changed;
      if (show && !l.unsaved.firstChild) {
        const save = button(t('cl_export_json'), exportJson);
        l.unsaved.append(el('div', { class: 'mb-notice' }, [el('p', { text: t('cl_not_saved') }), save]));
      } else if (!failed && l.unsaved.firstChild) {
        l.unsaved.textContent = '';
      }
    });
    if (failed && !changed) status.textContent = t('cl_not_saved');
  };

  // Another tab changed something of this handbook: show it here too.
  window.addEventListener('storage', function (e) {
    if (e.key === null || e.key.indexOf(NS + '|') === 0) refresh();
  });

  refresh();
  lists.forEach(function (l) { l.count.setAttribute('aria-live', 'polite'); });
})();
