// kft's web console: pages drawn from the registry's JSON API, charts drawn by the server as SVG.
// The token stays in this browser and goes with every request as a bearer header; images and
// streams are fetched with it too, since <img> and EventSource cannot send one.
'use strict';

const page = document.getElementById('page');
const ENDED = ['REJECTED', 'COMPLETED', 'EARLY_STOPPED', 'NOT_APPROVED', 'FAILED', 'CANCELLED'];
let leaving = new AbortController();

const token = () => localStorage.getItem('kft.token') || '';

function headers(extra) {
  const h = Object.assign({}, extra);
  if (token()) h.Authorization = 'Bearer ' + token();
  return h;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return body.detail || body.message || body.title || JSON.stringify(body);
  } catch (e) {
    return response.status + ' ' + response.statusText;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, Object.assign({}, options, {
    headers: headers(options.headers), signal: options.signal || leaving.signal }));
  if (!response.ok) {
    const error = new Error(response.status + ': ' + (await problemOf(response)));
    error.status = response.status;
    throw error;
  }
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    // through the style object: the page's policy forbids style attributes
    else if (k === 'width') node.style.width = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

// Says why a picture is not there (yet), in its place; the picture stays, to be shown later.
function missing(img, message) {
  img.hidden = true;
  let note = img.nextElementSibling;
  if (!note || !note.classList.contains('missing')) {
    note = el('p', { class: 'muted missing', 'data-missing': img.alt });
    img.after(note);
  }
  note.textContent = message;
}

// Shows a server-drawn picture; fetched with the token, since <img> cannot send it.
async function picture(img, url) {
  try {
    const response = await fetch(url, { headers: headers(), signal: leaving.signal });
    if (!response.ok) return missing(img, await problemOf(response));
    const blob = await response.blob();
    const typed = url.endsWith('.svg') ? new Blob([blob], { type: 'image/svg+xml' }) : blob;
    const previous = img.src;
    img.src = URL.createObjectURL(typed);
    img.hidden = false;
    if (img.nextElementSibling && img.nextElementSibling.classList.contains('missing')) {
      img.nextElementSibling.remove();
    }
    if (previous.startsWith('blob:')) URL.revokeObjectURL(previous);
  } catch (e) {
    if (e.name !== 'AbortError') missing(img, e.message);
  }
}

// Follows a server-sent event stream read through fetch (so the token can go with it): each
// event's name and JSON go to onEvent; a dropped connection is opened again (resuming after the
// last event id where the stream sends ids) until the page is left or the server refuses (4xx).
async function follow(path, onEvent) {
  let lastId = null;
  const signal = leaving.signal;
  while (!signal.aborted) {
    let reader = null;
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastId) extra['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers: headers(extra), signal });
      if (response.status >= 400 && response.status < 500) return;
      if (!response.ok) throw new Error(await problemOf(response));
      reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { name: 'message', data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, cut).replace(/\r$/, '');
          buffer = buffer.slice(cut + 1);
          if (line === '') {
            if (event.data.length) onEvent(event.name, JSON.parse(event.data.join('\n')));
            event = { name: 'message', data: [] };
          } else if (line.startsWith('event:')) event.name = line.slice(6).trim();
          else if (line.startsWith('data:')) event.data.push(line.slice(5).replace(/^ /, ''));
          else if (line.startsWith('id:')) lastId = line.slice(3).trim();
        }
      }
    } catch (e) {
      if (signal.aborted) return;
    } finally {
      if (reader) reader.cancel().catch(() => {});
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

const number = (v, digits = 4) =>
  v === null || v === undefined || Number.isNaN(v) ? '' : Number(v).toPrecision(digits);
const when = iso => (iso ? new Date(iso).toLocaleString() : '');

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
}

function progressCells(job) {
  const p = job.progress;
  const share = p && p.totalSteps ? Math.min(1, p.step / p.totalSteps) : 0;
  return [
    el('td', { class: 'progress' },
      el('span', { class: 'bar' }, el('span', { width: (100 * share).toFixed(1) + '%' })),
      ' ', el('span', { class: 'step' }, p ? p.step + '/' + p.totalSteps : '')),
    el('td', { class: 'num loss' }, p ? number(p.loss) : ''),
    el('td', { class: 'num lr' }, p ? number(p.learningRate, 3) : ''),
    el('td', { class: 'num eta' }, p ? duration(p.etaSeconds) : ''),
  ];
}

function jobRow(job) {
  return el('tr', { 'data-job': job.jobId },
    el('td', {}, el('a', { href: '#/jobs/' + encodeURIComponent(job.jobId) }, job.jobId)),
    el('td', {}, job.modelName || ''),
    el('td', { class: 'status ' + job.status }, job.status),
    ...progressCells(job),
    el('td', { class: 'muted' }, when(job.createdAt)));
}

async function jobsPage(params) {
  const number_ = Math.max(1, parseInt(params.get('page') || '1', 10));
  const status = params.get('status') || '';
  const query = '?page=' + number_ + '&size=25' + (status ? '&status=' + encodeURIComponent(status) : '');
  const list = await api('/api/console/jobs' + query);
  const body = el('tbody', {}, list.jobs.map(jobRow));
  const pages = Math.max(1, Math.ceil(list.total / list.size));
  const go = n => '#/jobs?page=' + n + (status ? '&status=' + encodeURIComponent(status) : '');
  const statuses = ['', 'SUBMITTED', 'PREPARING', 'TRAINING', 'EVALUATING', ...ENDED];
  const filter = el('select', { id: 'status-filter', onchange: e => {
    location.hash = '#/jobs?page=1' + (e.target.value ? '&status=' + encodeURIComponent(e.target.value) : '');
  } }, statuses.map(s => el('option', s === status ? { value: s, selected: '' } : { value: s },
    s || 'every status')));
  page.replaceChildren(
    el('h1', {}, 'Jobs ', el('span', { class: 'muted', id: 'job-total' }, '(' + list.total + ')')),
    filter,
    el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, ['Job', 'Model', 'Status', 'Progress', 'Loss', 'LR', 'ETA',
        'Submitted'].map(h => el('th', {}, h)))),
      body),
    el('div', { class: 'pager' },
      number_ > 1 ? el('a', { href: go(number_ - 1), id: 'previous' }, '← newer') : '',
      el('span', {}, 'page ' + number_ + ' of ' + pages),
      number_ < pages ? el('a', { href: go(number_ + 1), id: 'next' }, 'older →') : ''));
  // the newest job shown: a job created after it is new and goes on top of the first page
  let newest = list.jobs.length ? Date.parse(list.jobs[0].createdAt) : 0;
  follow('/api/console/jobs/live', (name, job) => {
    if (name !== 'job') return;
    const row = body.querySelector('tr[data-job="' + CSS.escape(job.jobId) + '"]');
    if (row) {
      row.replaceWith(jobRow(job));
    } else if (number_ === 1 && Date.parse(job.createdAt) > newest &&
        (!status || status === job.status)) {
      newest = Date.parse(job.createdAt);
      body.prepend(jobRow(job));
      if (body.rows.length > list.size) body.lastElementChild.remove();
      document.getElementById('job-total').textContent = '(' + (++list.total) + ')';
    }
  });
}

function dataSummary(prepared) {
  if (!prepared) return el('p', { class: 'muted' }, 'The data is not prepared yet.');
  const labels = prepared.labelNames || [];
  const splits = Object.entries(prepared.splits || {});
  const dropped = Object.entries(prepared.dropped || {});
  return el('div', { id: 'data-summary' },
    el('p', {}, prepared.rowsRead + ' rows read; dropped: ' +
      (dropped.length ? dropped.map(([k, v]) => k + ' ' + v).join(', ') : 'none') +
      '; dataset sha256 ' + (prepared.datasetSha256 || '').slice(0, 12)),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'Split'), el('th', {}, 'Rows'),
        labels.map(l => el('th', {}, l)))),
      el('tbody', {}, splits.map(([name, s]) => el('tr', {},
        el('td', {}, name), el('td', { class: 'num' }, s.rows),
        labels.map(l => el('td', { class: 'num' }, (s.labelCounts || {})[l] ?? 0)))))));
}

function facts(pairs) {
  return el('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function jobHead(id, view) {
  const job = view.job;
  const p = job.progress;
  const cancel = ENDED.includes(job.status)
    ? '' : el('button', { id: 'cancel', onclick: () => cancelJob(id) }, 'Cancel job');
  return [facts([
    ['Status', el('span', { class: 'status ' + job.status, id: 'job-status' }, job.status)],
    ['Reason', job.reason],
    ['Model', job.modelName],
    ['Progress', p ? el('span', { id: 'job-progress' }, 'step ' + p.step + '/' + p.totalSteps +
      ', epoch ' + number(p.epoch, 3) + ', loss ' + number(p.loss) + ', lr ' +
      number(p.learningRate, 3) + (p.etaSeconds != null ? ', ETA ' + duration(p.etaSeconds) : '')) : ''],
    ['Version', view.version ? el('a', { href: '#/models/' + encodeURIComponent(view.version.name),
      id: 'job-version' }, view.version.name + ' v' + view.version.version) : ''],
    ['Submitted', when(job.createdAt)],
  ]), cancel];
}

async function jobPage(id) {
  const charts = ['loss', 'evaluation', 'learning_rate', 'confusion_matrix'];
  const images = Object.fromEntries(charts.map(c => [c, el('img', { alt: c, class: 'chart-' + c })]));
  const head = el('div');
  const data = el('div');
  const timeline = el('ol', { id: 'timeline' });
  const spec = el('pre', { id: 'spec' });
  page.replaceChildren(el('h1', {}, 'Job ', el('code', {}, id)), head,
    el('h2', {}, 'Curves'), el('div', { class: 'charts' }, charts.map(c => images[c])),
    el('h2', {}, 'Data'), data, el('h2', {}, 'Events'), timeline, el('h2', {}, 'Spec'),
    el('details', {}, el('summary', {}, 'Spec, with its defaults'), spec));
  const signal = leaving.signal;
  let pending = null;
  let drawn = { events: -1, status: '', at: 0 };
  signal.addEventListener('abort', () => clearTimeout(pending));
  async function refresh() {
    pending = null;
    if (signal.aborted) return;
    const view = await api('/api/console/jobs/' + encodeURIComponent(id));
    head.replaceChildren(...jobHead(id, view));
    const prepared = view.timeline.find(e => e.type === 'DatasetPrepared');
    data.replaceChildren(dataSummary(prepared && prepared.event));
    timeline.replaceChildren(...view.timeline.map(e =>
      el('li', {}, el('span', { class: 'muted' }, when(e.occurredAt)), ' ', e.type)));
    spec.textContent = view.spec || '';
    // charts are the heavy part: redrawn when the story moved on, else every 10 s at most
    if (view.timeline.length !== drawn.events || view.job.status !== drawn.status ||
        Date.now() - drawn.at > 10000) {
      drawn = { events: view.timeline.length, status: view.job.status, at: Date.now() };
      for (const c of charts) {
        picture(images[c], '/api/console/jobs/' + encodeURIComponent(id) + '/charts/' + c + '.svg');
      }
    }
  }
  // the list's stream says when this job moves (no replay of its past): redraw at most every 1 s;
  // opened first, so that nothing that happens while the page loads is missed
  follow('/api/console/jobs/live', (name, job) => {
    if (name === 'job' && job.jobId === id && !pending) {
      pending = setTimeout(() => refresh().catch(() => {}), 1000);
    }
  });
  await refresh();
}

async function cancelJob(id) {
  if (!confirm('Cancel job ' + id + '? Training stops at its next step.')) return;
  try {
    await api('/api/jobs/' + encodeURIComponent(id) + '/cancel', { method: 'POST' });
  } catch (e) {
    alert(e.message);
  }
}

async function modelsPage() {
  const models = await api('/api/models');
  page.replaceChildren(el('h1', {}, 'Models'),
    models.length === 0 ? el('p', { class: 'muted' }, 'No model registered yet.') :
    el('table', { id: 'models' },
      el('thead', {}, el('tr', {}, ['Model', 'Latest version', 'Aliases', 'Updated']
        .map(h => el('th', {}, h)))),
      el('tbody', {}, models.map(m => el('tr', { 'data-model': m.name },
        el('td', {}, el('a', { href: '#/models/' + encodeURIComponent(m.name) }, m.name)),
        el('td', { class: 'num' }, m.latestVersion ?? ''),
        el('td', {}, Object.entries(m.aliases || {}).map(([a, v]) => a + ' → v' + v).join(', ')),
        el('td', { class: 'muted' }, when(m.updatedAt)))))));
}

async function download(name, version) {
  const response = await fetch('/api/models/' + encodeURIComponent(name) + '/versions/' + version +
    '/archive', { headers: headers() });
  if (!response.ok) return alert(await problemOf(response));
  const link = el('a', { href: URL.createObjectURL(await response.blob()),
    download: name + '-' + version + '.zip' });
  link.click();
}

function versionRow(name, v, metrics) {
  return el('tr', { 'data-version': v.version },
    el('td', { class: 'num' }, v.version),
    el('td', { class: 'status ' + v.status }, v.status),
    el('td', {}, v.method || ''),
    metrics.map(m => el('td', { class: 'num' }, number((v.testMetrics || {})[m]))),
    el('td', {}, Object.keys(v.aliases || {}).join(', ')),
    el('td', {}, el('a', { href: '#/jobs/' + encodeURIComponent(v.jobId) }, 'job')),
    el('td', {}, v.status === 'READY' ? [
      el('button', { onclick: () => download(name, v.version) }, 'download'), ' ',
      el('button', { class: 'show-card', onclick: () => showVersion(name, v) }, 'card & lineage')] : ''));
}

// Where a version came from: its job, base model, checkpoint and the exact data it saw.
function lineage(v) {
  const l = v.lineage || {};
  const d = l.datasetPrepared || {};
  const batches = Object.entries(d.splits || {}).filter(([, s]) => s.offsets).map(([split, s]) =>
    ['Batches of ' + split, 'kft.batches partition ' + s.offsets.partition + ', offsets ' +
      s.offsets.fromOffset + ' to ' + s.offsets.untilOffset + ' (' + s.rows + ' rows)']);
  return el('div', { id: 'lineage' },
    facts([
      ['Job', el('a', { href: '#/jobs/' + encodeURIComponent(v.jobId) }, v.jobId)],
      ['Base model', l.baseModel],
      ['Checkpoint', l.checkpoint],
      ['Dataset sha256', d.datasetSha256],
      ['Source files sha256', d.sourceSha256],
      ['Tokenizer sha256', d.tokenizerSha256],
      ...batches,
    ]),
    el('details', {}, el('summary', {}, 'Everything recorded'),
      el('pre', {}, JSON.stringify(l, null, 2))));
}

async function showVersion(name, v) {
  const target = document.getElementById('version-detail');
  const card = el('div', { class: 'card', id: 'card' }, 'loading…');
  target.replaceChildren(el('h2', {}, name + ' v' + v.version + ': lineage'), lineage(v),
    el('h2', {}, 'Model card'), card);
  try {
    // parsed in a template, where nothing loads: the pictures are then fetched with the token
    const html = document.createElement('template');
    html.innerHTML = await api('/api/console/models/' + encodeURIComponent(name) + '/versions/' +
      v.version + '/card');
    const pictures = [...html.content.querySelectorAll('img')].map(img => {
      const url = img.getAttribute('src');
      img.removeAttribute('src');
      return [img, url];
    });
    card.replaceChildren(html.content);
    pictures.forEach(([img, url]) => { if (url && url.startsWith('/api/')) picture(img, url); });
  } catch (e) {
    card.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function modelPage(name) {
  const base = '/api/models/' + encodeURIComponent(name);
  const [versions, history] = await Promise.all([api(base + '/versions'), api(base + '/alias-history')]);
  // the headline scores, as the charts draw them; every figure is in the version's files
  const metrics = [...new Set(versions.flatMap(v => Object.keys(v.testMetrics || {})))]
    .filter(m => /^test_(accuracy|f1|f1_macro|precision|recall|mcc|roc_auc)$/.test(m)).sort();
  const chart = el('img', { alt: 'metric across versions', id: 'metric-chart' });
  const show = metric => picture(chart, '/api/console/models/' + encodeURIComponent(name) +
    '/charts/' + encodeURIComponent(metric.replace(/^test_/, '')) + '.svg');
  const choose = el('select', { id: 'metric', onchange: e => show(e.target.value) },
    metrics.map(m => el('option', { value: m }, m.replace(/^test_/, ''))));
  const aliasName = el('input', { id: 'alias-name', placeholder: 'alias, e.g. champion' });
  const aliasVersion = el('select', { id: 'alias-version' },
    versions.filter(v => v.status === 'READY').map(v => el('option', { value: v.version }, 'v' + v.version)));
  const aliasError = el('p', { class: 'error', id: 'alias-error' });
  async function moveAlias(e) {
    e.preventDefault();
    try {
      await api(base + '/aliases/' + encodeURIComponent(aliasName.value.trim()), {
        method: 'PUT', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ version: Number(aliasVersion.value) }) });
      route();
    } catch (err) {
      aliasError.textContent = err.message;
    }
  }
  page.replaceChildren(el('h1', {}, 'Model ', el('code', {}, name)),
    el('table', { id: 'versions' },
      el('thead', {}, el('tr', {}, ['Version', 'Status', 'Method', ...metrics, 'Aliases', 'Job', '']
        .map(h => el('th', {}, h)))),
      el('tbody', {}, [...versions].reverse().map(v => versionRow(name, v, metrics)))),
    el('h2', {}, 'A metric across versions'), choose, el('div', { class: 'charts' }, chart),
    el('h2', {}, 'Aliases'),
    el('form', { id: 'alias-form', onsubmit: moveAlias }, aliasName, ' → ', aliasVersion, ' ',
      el('button', { type: 'submit' }, 'Move alias')), aliasError,
    el('table', { id: 'alias-history' },
      el('thead', {}, el('tr', {}, ['When', 'Alias', 'From', 'To', 'By'].map(h => el('th', {}, h)))),
      el('tbody', {}, [...history].reverse().map(h => el('tr', {},
        el('td', { class: 'muted' }, when(h.at)), el('td', {}, h.alias),
        el('td', {}, h.fromVersion ? 'v' + h.fromVersion : '—'),
        el('td', {}, h.toVersion ? 'v' + h.toVersion : '—'), el('td', {}, h.actor))))),
    el('div', { id: 'version-detail' }));
  if (metrics.length) show(metrics[0]);
}

function annotated(text, checked) {
  const byLine = new Map();
  const all = [...checked.problems.map(p => [p, 'problem']), ...checked.warnings.map(p => [p, 'warning'])];
  for (const [p, kind] of all) {
    const list = byLine.get(p.line) || [];
    list.push(el('div', { class: kind }, (kind === 'warning' ? 'warning: ' : '') +
      (p.path ? p.path + ': ' : '') + p.message));
    byLine.set(p.line, list);
  }
  const whole = byLine.get(0) || [];
  return el('div', { id: 'annotated' }, whole,
    el('ol', { class: 'annotated' }, text.split('\n').map((line, i) => el('li', {
      'data-line': i + 1, class: byLine.has(i + 1) ? 'has-problem' : null },
    el('code', {}, line || ' '), byLine.get(i + 1) || []))));
}

function submitPage() {
  const text = el('textarea', { id: 'spec-text', spellcheck: 'false',
    placeholder: 'Paste a job spec (YAML or JSON), or choose a file' });
  const file = el('input', { type: 'file', id: 'spec-file', accept: '.yaml,.yml,.json',
    onchange: async e => { text.value = await e.target.files[0].text(); } });
  const result = el('div', { id: 'submit-result' });
  async function check() {
    const checked = await api('/api/console/validate', { method: 'POST',
      headers: { 'Content-Type': 'application/yaml' }, body: text.value });
    result.replaceChildren(el('p', { class: checked.valid ? 'muted' : 'error', id: 'verdict' },
      checked.valid ? 'The spec is valid.' : checked.problems.length + ' problem(s):'),
    annotated(text.value, checked));
    return checked;
  }
  async function submit() {
    try {
      if (!(await check()).valid) return;
      const made = await api('/api/jobs', { method: 'POST',
        headers: { 'Content-Type': 'application/yaml' }, body: text.value });
      location.hash = '#/jobs/' + encodeURIComponent(made.jobId);
    } catch (e) {
      result.prepend(el('p', { class: 'error', id: 'submit-error' }, e.message));
    }
  }
  page.replaceChildren(el('h1', {}, 'Submit a job'), file, text,
    el('p', {}, el('button', { id: 'validate', onclick: () => check().catch(e => alert(e.message)) },
      'Validate'), ' ', el('button', { id: 'submit', onclick: () => submit() }, 'Submit')),
    result);
}

async function route() {
  leaving.abort();
  leaving = new AbortController();
  const [path, query] = (location.hash.slice(1) || '/jobs').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('header nav a').forEach(a =>
    a.classList.toggle('current', a.id === 'nav-' + parts[0]));
  try {
    if (parts[0] === 'jobs' && parts[1]) await jobPage(parts[1]);
    else if (parts[0] === 'models' && parts[1]) await modelPage(parts[1]);
    else if (parts[0] === 'models') await modelsPage();
    else if (parts[0] === 'submit') submitPage();
    else await jobsPage(new URLSearchParams(query || ''));
  } catch (e) {
    if (e.name === 'AbortError') return;
    page.replaceChildren(el('p', { class: 'error', id: 'page-error' }, e.message,
      e.status === 401 || e.status === 403 ? ' (set a token above)' : ''));
  }
}

document.getElementById('token').value = token();
document.getElementById('token-form').addEventListener('submit', e => {
  e.preventDefault();
  localStorage.setItem('kft.token', document.getElementById('token').value.trim());
  route();
});
window.addEventListener('hashchange', route);
route();
