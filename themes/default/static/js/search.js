/* metodbok search client. Loaded by js/metodbok.js when search is first used; loads the
   index (search-index.js, made by `metodbok build`) as a script, so it works from file://
   and under any sub-path.

   Queries are analysed exactly as src/search.rs analyses the pages: tokens are runs of
   letters and digits (a "." or ":" between two digits joins: 3.1.3.2, 2015:66), lowercased;
   tokens with a digit stay as they are; words are trimmed to Latin letters, stop words are
   dropped (the index ships elasticlunr's Swedish list) and the rest are stemmed with the
   Snowball Swedish algorithm, implemented below from its published description. A browser
   test runs every indexed token through this code and requires the index's own terms.

   Numerals that number a phase or milestone are followed by their other form ("Milstolpe
   III" also gives "3"), and every indexed term is split into compound parts against the
   index's own words, as search.rs does; the index ships the parts, and the client splits a
   query word the same way. A browser test requires both to agree on every indexed word.

   A query word matches an indexed term that equals it (weight 1), begins with it (0.6), or
   has it as a compound part (0.5; "avtal" finds "samverkansavtal"). A query compound also
   matches through its head ("kravspecifikation" finds "specifikation"), and a word that
   matches nothing finds indexed words one or two edits away (0.3). Sections that match every
   word come first; when none does, those that match the most words, each saying which it
   lacks. Sections with the same title and text are shown once. */
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

  const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi',
    'xvii', 'xviii', 'xix', 'xx'];
  let numbering = new Set(); // from the index: words after which a numeral numbers a step

  /** The other form of a numeral 1–20 after a numbering word ("milstolpe iii" → "3"). */
  function numeralVariant(previous, token) {
    if (!numbering.has(previous)) return null;
    const k = ROMAN.indexOf(token);
    if (k >= 0) return String(k + 1);
    const n = Number(token);
    return /^[0-9]+$/.test(token) && String(n) === token && n >= 1 && n <= 20 ? ROMAN[n - 1] : null;
  }

  /** The tokens of `text`, lowercased, each numbering numeral followed by its other form. */
  function tokenize(text) {
    const out = [];
    let previous = '';
    spans(text).forEach(function (s) {
      const t = text.slice(s[0], s[1]).toLowerCase();
      out.push(t);
      const v = numeralVariant(previous, t);
      if (v) out.push(v);
      previous = t;
    });
    return out;
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

  /* Compound parts (search.rs, compound_parts): the same three readings, in the same order. */
  const LINKING = 'seoau';
  const NOT_HEADS = new Set(['ing', 'ning', 'ering', 'ingen', 'bar', 'het', 'heten', 'lig', 'isk', 'ande', 'ende',
    'else', 'tion', 'ation', 'itet', 'skap', 'ner', 'ser', 'van', 'are']);
  const NOT_MODIFIERS = new Set(['för', 'före', 'över', 'till', 'fram', 'genom', 'inför', 'upp', 'under', 'mot',
    'efter', 'vid', 'bak', 'sam']);
  const MIN_PART = 3;
  const LETTERS = /^\p{Alphabetic}+$/u;

  function isWord(t) {
    return LETTERS.test(t) && Array.from(t).length >= MIN_PART;
  }

  /** The first reading of `term` as a compound of `words` (a Set): its parts, or []. */
  function split(term, words) {
    const c = Array.from(term);
    const n = c.length;
    if (n < 2 * MIN_PART) return [];
    const at = function (a, b) { return c.slice(a, b).join(''); };
    const modifier = function (x) { return words.has(x) && !NOT_MODIFIERS.has(x); };
    const head = function (x) { return Array.from(x).length >= MIN_PART && words.has(x) && !NOT_HEADS.has(x); };
    const linked = function (x) { return LINKING.indexOf(x[0]) >= 0 && Array.from(x).length > MIN_PART; };
    let i;
    for (i = n - MIN_PART; i >= MIN_PART; i--) {
      if (!modifier(at(0, i))) continue;
      if (head(at(i))) return [at(0, i), at(i)];
      if (linked(at(i)) && head(at(i + 1))) return [at(0, i), at(i + 1)];
    }
    for (i = MIN_PART; i <= n - 4; i++) if (head(at(i))) return [at(i)];
    for (i = n - 6; i >= 4; i--) {
      if (!modifier(at(0, i))) continue;
      const found = [at(0, i), at(i)];
      if (linked(at(i)) && n - i > 6) found.push(at(i + 1));
      return found;
    }
    return [];
  }

  /** All compound parts of `term`: each part found is split again. */
  function parts(term, words) {
    const out = [];
    if (!isWord(term)) return out;
    (function walk(t, depth) {
      if (depth > 4) return;
      split(t, words).forEach(function (p) {
        if (out.indexOf(p) < 0) {
          out.push(p);
          walk(p, depth + 1);
        }
      });
    })(term, 0);
    return out;
  }

  /** Edits (insert, delete, substitute, swap two neighbours) between `a` and `b`, or
      `max + 1` once it is sure to exceed `max`. */
  function distance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let before = null;
    let prev = [];
    for (let j = 0; j <= b.length; j++) prev.push(j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      let least = i;
      for (let j = 1; j <= b.length; j++) {
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        least = Math.min(least, d);
      }
      if (least > max) return max + 1;
      before = prev;
      prev = row;
    }
    return prev[b.length];
  }

  /** How many edits a word of this many letters may be from an indexed one. */
  function allowedEdits(n) {
    return n >= 8 ? 2 : n >= 5 ? 1 : 0;
  }

  /** The query's words as typed, each with its term and, for a numbering numeral, its other
      form (either matches): [{word, terms}]. Stop words and repeated words are left out. */
  function queryWords(text) {
    text = text.normalize('NFC');
    const out = [];
    let previous = '';
    spans(text).forEach(function (s) {
      const word = text.slice(s[0], s[1]);
      const t = word.toLowerCase();
      const variant = numeralVariant(previous, t);
      const terms = [term(t), variant && term(variant)].filter(function (x, k, all) { return x && all.indexOf(x) === k; });
      previous = t;
      if (terms.length && !out.some(function (w) { return w.terms[0] === terms[0]; })) out.push({ word: word, terms: terms });
    });
    return out;
  }

  function queryTerms(text) {
    return termsOf(queryWords(text));
  }

  function termsOf(words) {
    return [].concat.apply([], words.map(function (w) { return w.terms; }));
  }

  /* ---- Index and ranking ------------------------------------------------------------- */

  const BOOST = { title: 4, crumbs: 0.5, body: 1 };
  const ENTITY_BOOST = 1.5;
  const WEIGHT = { prefix: 0.6, part: 0.5, partPrefix: 0.4, head: 0.4, modifier: 0.2, fuzzy: 0.3, synonym: 0.6 };
  let index = null;

  function prepare(data) {
    if (!data || data.v !== 2) throw new Error('unknown search index format');
    stopWords = new Set(data.stop);
    numbering = new Set(data.num);
    const vocab = new Set();
    data.post.forEach(function (p) { Object.keys(p).forEach(function (t) { vocab.add(t); }); });
    const partOf = new Map();
    Object.keys(data.parts).forEach(function (t) {
      data.parts[t].forEach(function (p) {
        if (!partOf.has(p)) partOf.set(p, []);
        partOf.get(p).push(t);
      });
    });
    const n = data.docs.length;
    const avg = data.fields.map(function (_, f) {
      let sum = 0;
      data.len.forEach(function (l) { sum += l[f]; });
      return n ? sum / n || 1 : 1;
    });
    // The site's search help: the term a reader types → the handbook's terms and words.
    const synonyms = new Map();
    data.syn.forEach(function (e) { synonyms.set(e[0], { terms: e[1], word: e[2], words: e[3] }); });
    index = {
      synonyms: synonyms,
      data: data, vocab: Array.from(vocab).sort(), vocabSet: vocab, partOf: partOf,
      partList: Array.from(partOf.keys()).sort(), avg: avg, scores: new Map(), surface: null,
      words: new Set(Array.from(vocab).filter(isWord)),
    };
  }

  /** Each section's BM25 score for the indexed term `t` before its idf: {idf, scores: Map
      doc → score}. */
  function termScores(t) {
    if (index.scores.has(t)) return index.scores.get(t);
    const data = index.data;
    const n = data.docs.length;
    const per = data.post.map(function (p) {
      const m = new Map();
      const list = p[t] || [];
      for (let i = 0, doc = 0; i < list.length; i += 2) {
        doc += list[i];
        m.set(doc, list[i + 1]);
      }
      return m;
    });
    const docs = new Set();
    per.forEach(function (m) { m.forEach(function (_, d) { docs.add(d); }); });
    const scores = new Map();
    docs.forEach(function (d) {
      let s = 0;
      per.forEach(function (m, f) {
        const c = m.get(d);
        if (!c) return;
        const norm = 1 - 0.75 + 0.75 * data.len[d][f] / index.avg[f];
        s += BOOST[data.fields[f]] * (c * 2.2) / (c + 1.2 * norm);
      });
      // An entry that names a thing (a page, a glossary term) outranks mentions of it.
      scores.set(d, s * (data.docs[d][4] ? ENTITY_BOOST : 1));
    });
    const out = { idf: Math.log(1 + (n - docs.size + 0.5) / (docs.size + 0.5)), scores: scores };
    index.scores.set(t, out);
    return out;
  }

  /** Entries of the sorted list `v` that begin with `q`. */
  function expansions(v, q) {
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

  /** The indexed terms the query term `q` matches and their weights: Map term → weight. */
  function candidates(q, fuzzy) {
    const out = new Map();
    const add = function (t, w) { if (w > (out.get(t) || 0)) out.set(t, w); };
    const viaPart = function (p, w) { (index.partOf.get(p) || []).forEach(function (t) { add(t, w); }); };
    if (index.vocabSet.has(q)) add(q, 1);
    if (NUMERIC.test(q)) {
      // A number matches itself, and a section number the numbers below it (3.1 → 3.1.2).
      if (/[.:]/.test(q)) expansions(index.vocab, q + '.').forEach(function (t) { add(t, WEIGHT.prefix); });
      return out;
    }
    expansions(index.vocab, q).forEach(function (t) { add(t, WEIGHT.prefix); });
    viaPart(q, WEIGHT.part);
    // A head the index did not split off: a longer term that ends with the word typed.
    if (Array.from(q).length >= 5) index.vocab.forEach(function (t) { if (t !== q && t.endsWith(q)) add(t, WEIGHT.part); });
    if (Array.from(q).length >= 4) expansions(index.partList, q).forEach(function (p) { viaPart(p, WEIGHT.partPrefix); });
    const edits = allowedEdits(Array.from(q).length);
    if (fuzzy && !out.size && edits) {
      const near = function (t) { return distance(q, t, edits); };
      index.vocab.forEach(function (t) { const d = near(t); if (d <= edits) add(t, WEIGHT.fuzzy / d); });
      index.partList.forEach(function (p) { const d = near(p); if (d <= edits) viaPart(p, WEIGHT.fuzzy / d); });
    }
    return out;
  }

  /** Per section, the best weighted score of any term in `cands`, and the terms that met it.
      A rarer compound or longer word does not weigh more than the word typed: its idf is at
      most that of `q` when `q` is indexed. */
  function clauseScores(q, cands, factor, into) {
    const cap = index.vocabSet.has(q) ? termScores(q).idf : Infinity;
    cands.forEach(function (w, t) {
      const ts = termScores(t);
      const idf = Math.min(ts.idf, cap);
      ts.scores.forEach(function (s, d) {
        const e = into.get(d) || { score: 0, terms: [] };
        e.score = Math.max(e.score, s * idf * w * factor);
        e.terms.push(t);
        into.set(d, e);
      });
    });
    return into;
  }

  /** How one query word scores the sections: Map doc → {score, terms}. */
  function wordScores(w) {
    const out = new Map();
    const help = index.synonyms.get(w.terms[0]);
    // The site's search help: its words are found as if typed, a little below the word itself.
    if (help) help.terms.forEach(function (t) { clauseScores(t, candidates(t, false), WEIGHT.synonym, out); });
    w.terms.forEach(function (q) {
      clauseScores(q, candidates(q, true), 1, out);
      // A compound also matches through its parts: the head is needed, the first part adds.
      const sp = NUMERIC.test(q) ? [] : split(q, index.words);
      if (!sp.length) return;
      const heads = new Map();
      (sp.length === 1 ? sp : sp.slice(1)).forEach(function (h) { clauseScores(h, candidates(h, false), WEIGHT.head, heads); });
      const first = sp.length > 1 ? clauseScores(sp[0], candidates(sp[0], false), WEIGHT.modifier, new Map()) : new Map();
      heads.forEach(function (e, d) {
        const m = first.get(d);
        const score = e.score + (m ? m.score : 0);
        const had = out.get(d);
        if (!had || had.score < score) out.set(d, { score: score, terms: e.terms.concat(m ? m.terms : []) });
      });
    });
    return out;
  }

  /** Sections for `text`, best first: {words, terms, hits: [{doc, score, terms, missing, also}],
      partial}. Sections that match every word come first; when none does, those that match
      the most words, each with the words it lacks. Sections with the same title and text as a
      better one are listed under it (`also`) rather than on their own. */
  function search(text) {
    const words = queryWords(text);
    const result = { words: words, terms: termsOf(words), hits: [], partial: false, synonyms: [] };
    if (!words.length || !index) return result;
    const found = new Map();
    words.forEach(function (w, k) {
      wordScores(w).forEach(function (e, d) {
        const f = found.get(d) || { doc: d, score: 0, terms: [], matched: [] };
        f.score += e.score;
        e.terms.forEach(function (t) { if (f.terms.indexOf(t) < 0) f.terms.push(t); });
        f.matched.push(k);
        found.set(d, f);
      });
    });
    let most = 0;
    found.forEach(function (f) { most = Math.max(most, f.matched.length); });
    const hits = [];
    found.forEach(function (f) {
      if (f.matched.length !== most) return;
      f.missing = words.filter(function (_, k) { return f.matched.indexOf(k) < 0; }).map(function (w) { return w.word; });
      hits.push(f);
    });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    const docs = index.data.docs;
    const first = new Map();
    hits.forEach(function (h) {
      const key = docs[h.doc][1] + '\n' + docs[h.doc][3];
      if (first.has(key) && docs[h.doc][3]) first.get(key).also.push(h.doc);
      else {
        h.also = [];
        first.set(key, h);
        result.hits.push(h);
      }
    });
    result.partial = most < words.length;
    result.synonyms = words.map(function (w) { return index.synonyms.get(w.terms[0]); }).filter(Boolean);
    return result;
  }

  /** The first written form of every term, for suggestions: read once, when the browser is
      idle after loading the index (or when first needed), not during a keystroke. */
  function surfaceForms() {
    if (!index || index.surface) return;
    index.surface = new Map();
    const seen = new Set(); // each written form is stemmed once
    const word = /[\p{L}]+/gu;
    index.data.docs.forEach(function (d) {
      [d[1], d[3]].forEach(function (t) {
        (t.toLowerCase().match(word) || []).forEach(function (w) {
          if (seen.has(w)) return;
          seen.add(w);
          const x = term(w);
          if (x && !index.surface.has(x) && isWord(x)) index.surface.set(x, w);
        });
      });
    });
  }

  /** Up to three indexed words near the query's words, as they are written in the handbook,
      for a query that found nothing: [{word, query}]. */
  function suggestions(text) {
    if (!index) return [];
    surfaceForms();
    const out = [];
    queryWords(text).forEach(function (w) {
      const q = w.terms[0];
      const letters = Array.from(q).length;
      const max = letters >= 8 ? 3 : letters >= 5 ? 2 : 1;
      const near = [];
      // A word that begins like the one typed, a few edits from it.
      index.surface.forEach(function (word, t) {
        if (t[0] !== q[0] || t === q) return;
        const d = distance(q, t, max);
        if (d <= max) near.push({ d: d, word: word });
      });
      near.sort(function (a, b) { return a.d - b.d || a.word.localeCompare(b.word, 'sv'); });
      near.slice(0, 3).forEach(function (n) {
        out.push({ word: n.word, query: text.replace(w.word, n.word) });
      });
    });
    return out.slice(0, 3);
  }

  /* ---- Marking terms ----------------------------------------------------------------- */

  /** Whether `token` is written for one of the indexed `terms` (a Roman numeral also for
      its value). */
  function matches(token, terms) {
    const t = term(token);
    if (t === null) return false;
    const k = ROMAN.indexOf(t);
    return terms.indexOf(t) >= 0 || (k >= 0 && terms.indexOf(String(k + 1)) >= 0);
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
    useIndex: prepare, parts: parts, isWord: isWord, distance: distance, suggestions: suggestions,
  };

  /* ---- Interface ---------------------------------------------------------------------- */

  const form = document.querySelector('form[data-search]');
  if (!form) return;
  const say = window.metodbok.strings({ /* strings: search_ */ });
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
    }).then(function () {
      prepare(window.metodbokSearchIndex);
      (window.requestIdleCallback || setTimeout)(surfaceForms);
    });
    return loading;
  }

  const status = el('p', { class: 'mb-search__status', role: 'status' });
  const list = el('ol', { class: 'mb-search__list', 'aria-label': say('search_results') });
  const more = el('p', { class: 'mb-search__more' });
  const help = el('p', { class: 'mb-search__help' });
  const box = el('div', { class: 'mb-search__results', id: input.id + '-results' }, [status, help, list, more]);
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

  /** A link to search for `query` on the search page. */
  function queryLink(query, text) {
    return el('a', { href: form.action + '?q=' + encodeURIComponent(query), text: text });
  }

  /** What tells a section apart from others of the same title: the last step of its
      breadcrumbs, up to a colon ("Milstolpe III" of "Milstolpe III: Beslut om …"). */
  function place(doc) {
    const crumbs = doc[2] ? doc[2].split(' › ') : [];
    const last = crumbs.length ? crumbs[crumbs.length - 1] : doc[1];
    return last.split(': ')[0];
  }

  function result(h) {
    const docs = index.data.docs;
    const doc = docs[h.doc];
    const a = el('a', { href: resultLink(doc, h.terms) });
    // Whose text it is, unless the title says so already.
    if (doc[5] && doc[1] !== doc[5]) a.append(el('span', { class: 'mb-search__origin', text: doc[5] }), ' ');
    if (doc[2]) a.append(el('span', { class: 'mb-search__crumbs', text: doc[2] }), ' ');
    a.append(el('span', { class: 'mb-search__title' }, [marked(doc[1], h.terms)]));
    const li = el('li', { class: 'mb-search__result' }, [a]);
    if (doc[3]) li.append(el('p', { class: 'mb-search__snippet' }, [marked(snippet(doc[3], h.terms), h.terms)]));
    if (h.missing.length) {
      li.append(el('p', { class: 'mb-search__missing', text: say('search_missing', { words: h.missing.join(', ') }) }));
    }
    if (h.also.length) {
      const also = el('p', { class: 'mb-search__also' }, [say('search_also') + ' ']);
      h.also.forEach(function (d, k) {
        if (k) also.append(', ');
        also.append(el('a', { href: resultLink(docs[d], h.terms), text: place(docs[d]) }));
      });
      li.append(also);
    }
    return li;
  }

  function render() {
    const q = input.value.trim();
    list.textContent = '';
    more.textContent = '';
    help.textContent = '';
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
    shown.forEach(function (h) { list.appendChild(result(h)); });
    if (shown.length < r.hits.length) {
      more.appendChild(el('a', {
        href: form.action + '?q=' + encodeURIComponent(q),
        text: say('search_show_all', { n: r.hits.length, q: q }),
      }));
    }
    r.synonyms.forEach(function (h) {
      help.append(say('search_synonyms', { word: h.word, words: h.words.join(', ') }) + ' ');
    });
    if (!r.hits.length && r.words.length) {
      const near = suggestions(q);
      if (near.length) {
        help.append(say('search_did_you_mean') + ' ');
        near.forEach(function (n, k) {
          if (k) help.append(', ');
          help.append(queryLink(n.query, n.word));
        });
        help.append('? ');
      }
      help.append(el('a', { href: form.getAttribute('data-register'), text: say('search_browse') }));
    }
    if (onPage) history.replaceState(null, '', '?q=' + encodeURIComponent(q));
    // Announce the count once typing pauses, not at every keystroke.
    const n = r.hits.length;
    let text = say(n === 0 ? 'search_none' : n === 1 ? 'search_one' : 'search_many', { n: n, q: q });
    if (r.partial && n) text += ' ' + say('search_partial');
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
