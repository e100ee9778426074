/* metodbok search client. Loaded by js/metodbok.js when search is first used; loads the
   index (search-index.js, made by `metodbok build`) as a script, so it works from file://
   and under any sub-path.

   Queries are analysed exactly as src/search.rs analyses the pages: tokens are runs of
   letters and digits (a "." or ":" between two digits joins: 3.1.3.2, 2015:66), lowercased;
   tokens with a digit stay as they are; words are trimmed to Latin letters, stop words are
   dropped (the index ships elasticlunr's Swedish list) and the rest are stemmed with the
   Snowball Swedish algorithm, implemented below from its published description. A browser
   test runs every indexed token through this code and requires the index's own terms.

   A query term matches an indexed term that equals it or begins with it, so "samverkan"
   also finds "samverkansavtal"; such compound matches weigh less than exact ones. */
(function () {
  'use strict';

  const el = window.metodbok.el; // js/metodbok.js, which loads this

  /* ---- Analysis ---------------------------------------------------------------------- */

  const WORD = /[\p{Alphabetic}\p{N}]/u;
  const ASCII_DIGIT = /[0-9]/;
  const NUMERIC = /\p{N}/u;
  const TRIM = /^[^\p{Script=Latin}]+|[^\p{Script=Latin}]+$/gu;

  /** Token positions in `text` as [start, end] (UTF-16 offsets). */
  function spans(text) {
    const points = [];
    let at = 0;
    for (const ch of text) {
      points.push([at, ch]);
      at += ch.length;
    }
    const out = [];
    let start = -1;
    for (let k = 0; k < points.length; k++) {
      const c = points[k][1];
      const joins = (c === '.' || c === ':') && start >= 0 && ASCII_DIGIT.test(points[k - 1][1]) &&
        k + 1 < points.length && ASCII_DIGIT.test(points[k + 1][1]);
      if (WORD.test(c) || joins) {
        if (start < 0) start = points[k][0];
      } else if (start >= 0) {
        out.push([start, points[k][0]]);
        start = -1;
      }
    }
    if (start >= 0) out.push([start, text.length]);
    return out;
  }

  function tokenize(text) {
    return spans(text).map(function (s) { return text.slice(s[0], s[1]).toLowerCase(); });
  }

  /* Snowball Swedish (snowballstem.org/algorithms/swedish/stemmer.html). */
  const VOWELS = 'aeiouyäåö';
  const S_ENDING = 'bcdfghjklmnoprtvy';
  const MAIN_SUFFIXES = new Set(['a', 'arna', 'erna', 'heterna', 'orna', 'ad', 'e', 'ade', 'ande', 'arne', 'are',
    'aste', 'en', 'anden', 'aren', 'heten', 'ern', 'ar', 'er', 'heter', 'or', 's', 'as', 'arnas', 'ernas', 'ornas',
    'es', 'ades', 'andes', 'ens', 'arens', 'hetens', 'erns', 'at', 'andet', 'het', 'ast']);
  const PAIRS = new Set(['dd', 'gd', 'nn', 'dt', 'gt', 'kt', 'tt']);
  const OTHER_SUFFIXES = { ig: '', lig: '', els: '', fullt: 'full', 'löst': 'lös' };

  /** The longest suffix of `w` (an array of characters) in `set` that lies in R1. */
  function longestSuffix(w, p1, has) {
    for (let len = Math.min(7, w.length - p1); len > 0; len--) {
      const suffix = w.slice(w.length - len).join('');
      if (has(suffix)) return suffix;
    }
    return null;
  }

  function stem(word) {
    const w = Array.from(word);
    let p1 = w.length;
    if (w.length >= 3) {
      let i = 0;
      while (i < w.length && VOWELS.indexOf(w[i]) < 0) i++;
      while (i < w.length && VOWELS.indexOf(w[i]) >= 0) i++;
      if (i < w.length) p1 = Math.max(i + 1, 3);
    }
    const s = longestSuffix(w, p1, function (x) { return MAIN_SUFFIXES.has(x); });
    if (s === 's') {
      if (w.length >= 2 && S_ENDING.indexOf(w[w.length - 2]) >= 0) w.pop();
    } else if (s) {
      w.length -= s.length;
    }
    if (w.length - 2 >= p1 && PAIRS.has(w[w.length - 2] + w[w.length - 1])) w.pop();
    const o = longestSuffix(w, p1, function (x) { return Object.prototype.hasOwnProperty.call(OTHER_SUFFIXES, x); });
    if (o) {
      w.length -= o.length;
      w.push.apply(w, Array.from(OTHER_SUFFIXES[o]));
    }
    return w.join('');
  }

  let stopWords = new Set();

  /** The term a token is indexed under, or null for a stop word. */
  function term(token) {
    /* Longer tokens are not indexed (search.rs, MAX_TERM_CHARS). */
    if (Array.from(token).length > 64) return null;
    if (NUMERIC.test(token)) return token;
    const t = token.replace(TRIM, '');
    if (!t || stopWords.has(t)) return null;
    return stem(t);
  }

  function queryTerms(text) {
    const seen = [];
    tokenize(text.normalize('NFC')).forEach(function (t) {
      const x = term(t);
      if (x && seen.indexOf(x) < 0) seen.push(x);
    });
    return seen;
  }

  /* ---- Index and ranking ------------------------------------------------------------- */

  const BOOST = { title: 4, crumbs: 0.5, body: 1 };
  const ENTITY_BOOST = 1.5;
  const COMPOUND_WEIGHT = 0.6;
  let index = null;

  function prepare(data) {
    if (!data || data.v !== 1) throw new Error('unknown search index format');
    stopWords = new Set(data.stop);
    const vocab = new Set();
    data.post.forEach(function (p) { Object.keys(p).forEach(function (t) { vocab.add(t); }); });
    const n = data.docs.length;
    const avg = data.fields.map(function (_, f) {
      let sum = 0;
      data.len.forEach(function (l) { sum += l[f]; });
      return n ? sum / n || 1 : 1;
    });
    index = { data: data, vocab: Array.from(vocab).sort(), avg: avg, decoded: {} };
  }

  /** Postings of `t`: per field, a Map doc → count. */
  function postings(t) {
    if (index.decoded[t]) return index.decoded[t];
    const out = index.data.post.map(function (p) {
      const m = new Map();
      const list = p[t];
      if (list) {
        for (let i = 0, doc = 0; i < list.length; i += 2) {
          doc += list[i];
          m.set(doc, list[i + 1]);
        }
      }
      return m;
    });
    index.decoded[t] = out;
    return out;
  }

  /** Indexed terms that begin with `q` (binary search in the sorted vocabulary). */
  function expansions(q) {
    const v = index.vocab;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < q) lo = mid + 1; else hi = mid;
    }
    const out = [];
    for (let i = lo; i < v.length && v[i].startsWith(q); i++) out.push(v[i]);
    return out;
  }

  /** Sections matching every term of `text`, best first: [{doc, score}]. */
  function search(text) {
    const terms = queryTerms(text);
    if (!terms.length || !index) return { terms: terms, hits: [] };
    const data = index.data;
    const n = data.docs.length;
    const total = new Map();
    const matched = new Map();
    terms.forEach(function (q) {
      const best = new Map();
      expansions(q).forEach(function (t) {
        const weight = t === q ? 1 : COMPOUND_WEIGHT;
        const per = postings(t);
        const docs = new Set();
        per.forEach(function (m) { m.forEach(function (_, d) { docs.add(d); }); });
        const idf = Math.log(1 + (n - docs.size + 0.5) / (docs.size + 0.5));
        docs.forEach(function (d) {
          let s = 0;
          per.forEach(function (m, f) {
            const c = m.get(d);
            if (!c) return;
            const norm = 1 - 0.75 + 0.75 * data.len[d][f] / index.avg[f];
            s += BOOST[data.fields[f]] * idf * (c * 2.2) / (c + 1.2 * norm);
          });
          // An entry that names a thing (a page, a glossary term) outranks mentions of it.
          s *= weight * (data.docs[d][4] ? ENTITY_BOOST : 1);
          if (s > (best.get(d) || 0)) best.set(d, s);
        });
      });
      best.forEach(function (s, d) {
        total.set(d, (total.get(d) || 0) + s);
        matched.set(d, (matched.get(d) || 0) + 1);
      });
    });
    const hits = [];
    total.forEach(function (s, d) { if (matched.get(d) === terms.length) hits.push({ doc: d, score: s }); });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { terms: terms, hits: hits };
  }

  /* ---- Marking terms ----------------------------------------------------------------- */

  function matches(token, terms) {
    const t = term(token);
    return t !== null && terms.some(function (q) { return t.startsWith(q); });
  }

  /** `text` as DOM nodes with matching words in <mark>. */
  function marked(text, terms) {
    const frag = document.createDocumentFragment();
    let last = 0;
    spans(text).forEach(function (s) {
      if (!matches(text.slice(s[0], s[1]).toLowerCase(), terms)) return;
      if (s[0] > last) frag.appendChild(document.createTextNode(text.slice(last, s[0])));
      frag.appendChild(el('mark', { class: 'mb-hl', text: text.slice(s[0], s[1]) }));
      last = s[1];
    });
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  /** Up to about 180 characters of `text` around its first matching word. */
  function snippet(text, terms) {
    const all = spans(text);
    const first = all.find(function (s) { return matches(text.slice(s[0], s[1]).toLowerCase(), terms); });
    let from = first ? Math.max(0, first[0] - 60) : 0;
    if (from > 0) {
      const space = text.indexOf(' ', from);
      from = space >= 0 && space < first[0] ? space + 1 : from;
    }
    let to = Math.min(text.length, from + 180);
    if (to < text.length) {
      const cut = text.lastIndexOf(' ', to);
      if (cut > from) to = cut;
    }
    return (from > 0 ? '… ' : '') + text.slice(from, to) + (to < text.length ? ' …' : '');
  }

  /** Marks the terms of `?hl=` in the page's main content. */
  function highlightPage(terms) {
    const main = document.querySelector('main');
    if (!main || !terms.length) return;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        const p = n.parentElement;
        return p && !p.closest('script, style, mark, form') && n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (n) {
      const frag = marked(n.nodeValue, terms);
      if (frag.childNodes.length > 1 || (frag.firstChild && frag.firstChild.nodeType === 1)) n.replaceWith(frag);
    });
  }

  /* The analysis and ranking, for tests and for anyone scripting the handbook. */
  const api = window.metodbokSearch = {
    tokenize: tokenize, term: term, stem: stem, search: search, queryTerms: queryTerms,
    useIndex: prepare,
  };

  /* ---- Interface ---------------------------------------------------------------------- */

  const form = document.querySelector('form[data-search]');
  if (!form) return;
  const say = window.metodbok.strings(form);
  const root = form.getAttribute('data-root') || '';
  const onPage = form.hasAttribute('data-search-page');
  const input = form.querySelector('input[name="q"]');
  let loading = null;

  /** Loads the index once; calls back when it is ready (or failed). */
  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      if (window.metodbokSearchIndex) return resolve();
      const s = el('script', { src: form.getAttribute('data-search-index') });
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    }).then(function () { prepare(window.metodbokSearchIndex); });
    return loading;
  }

  const status = el('p', { class: 'mb-search__status', role: 'status' });
  const list = el('ol', { class: 'mb-search__list', 'aria-label': say('search_results') });
  const more = el('p', { class: 'mb-search__more' });
  const box = el('div', { class: 'mb-search__results', id: input.id + '-results' }, [status, list, more]);
  form.appendChild(box);
  box.hidden = !onPage;
  let announce = 0;

  function resultLink(doc, terms) {
    const url = doc[0];
    const hash = url.indexOf('#');
    const path = hash < 0 ? url : url.slice(0, hash);
    const anchor = hash < 0 ? '' : url.slice(hash);
    return root + path + '?hl=' + encodeURIComponent(terms.join(' ')) + anchor;
  }

  function render() {
    const q = input.value.trim();
    list.textContent = '';
    more.textContent = '';
    if (!q) {
      status.textContent = '';
      if (!onPage) box.hidden = true;
      return;
    }
    box.hidden = false;
    if (!index) {
      status.textContent = say('search_loading');
      return;
    }
    const r = search(q);
    const shown = onPage ? r.hits : r.hits.slice(0, 10);
    shown.forEach(function (h) {
      const doc = index.data.docs[h.doc];
      const a = el('a', { href: resultLink(doc, r.terms) });
      if (doc[2]) a.append(el('span', { class: 'mb-search__crumbs', text: doc[2] }), ' ');
      a.append(el('span', { class: 'mb-search__title' }, [marked(doc[1], r.terms)]));
      const li = el('li', { class: 'mb-search__result' }, [a]);
      if (doc[3]) li.append(el('p', { class: 'mb-search__snippet' }, [marked(snippet(doc[3], r.terms), r.terms)]));
      list.appendChild(li);
    });
    if (shown.length < r.hits.length) {
      more.appendChild(el('a', {
        href: form.action + '?q=' + encodeURIComponent(q),
        text: say('search_show_all', { n: r.hits.length, q: q }),
      }));
    }
    if (onPage) history.replaceState(null, '', '?q=' + encodeURIComponent(q));
    // Announce the count once typing pauses, not at every keystroke.
    const n = r.hits.length;
    const text = say(n === 0 ? 'search_none' : n === 1 ? 'search_one' : 'search_many', { n: n, q: q });
    clearTimeout(announce);
    announce = setTimeout(function () { status.textContent = text; }, onPage ? 300 : 500);
    if (!status.textContent) status.textContent = text;
  }

  function links() {
    return Array.prototype.slice.call(box.querySelectorAll('a'));
  }

  function close() {
    if (onPage) return;
    box.hidden = true;
  }

  input.addEventListener('input', render);
  input.addEventListener('focus', function () { if (input.value.trim()) render(); });
  form.addEventListener('keydown', function (e) {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && all.length && (e.target === input || at >= 0)) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus(); else all[at - 1].focus();
    } else if (e.key === 'Escape' && !box.hidden && !onPage) {
      e.preventDefault();
      close();
      input.focus();
    }
  });
  form.addEventListener('focusout', function (e) {
    if (!form.contains(e.relatedTarget)) close();
  });

  const params = new URLSearchParams(location.search);
  if (onPage) {
    form.hidden = false;
    const notice = document.querySelector('[data-search-nojs]');
    if (notice) notice.hidden = true;
    input.value = params.get('q') || '';
  }
  const hl = params.get('hl');
  if (hl) {
    // The terms arrive analysed, so marking them needs the stemmer but not the index.
    highlightPage(hl.split(/\s+/).filter(Boolean));
  }
  // The index is fetched when the reader searches, not on a page reached from a result.
  function begin() {
    input.removeEventListener('focus', begin);
    input.removeEventListener('input', begin);
    load().then(render, function () {
      box.hidden = false;
      status.textContent = say('search_failed');
    });
  }
  if (onPage || document.activeElement === input || input.value) {
    begin();
  } else {
    input.addEventListener('focus', begin);
    input.addEventListener('input', begin);
  }

  api.load = load;
})();
