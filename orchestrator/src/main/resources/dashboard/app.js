// Grove's dashboard: the action graph laid out by the daemon (ELK), coloured by the live events,
// an action's details and logs, the runs and their timelines, and the CLI's commands as buttons.
// Everything goes through the daemon's own API with the session cookie and the CSRF token.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const $ = (selector) => document.querySelector(selector);
const KEPT_LINES = 500;
const TERMINAL = new Set(['ready', 'succeeded', 'failed', 'aborted', 'cancelled']);

const page = {
  csrf: null,
  project: null,
  projectName: null,
  actions: new Map(), // ref -> {ref, kind, type, name, version, dependencies, disabled}
  status: new Map(), // ref -> actionStatus payload (the latest, any run of this project)
  runLog: new Map(), // ref -> [{stream, line}]
  runIds: new Set(), // runs of this project
  timelines: new Map(), // runId -> Map(ref -> {start, end, state})
  runs: [],
  notActedOn: {}, // ref -> [problems]: fields Grove does not act on yet
  selected: null,
  selectedRun: null,
  watchId: null,
  podLogs: null,
  view: { x: 0, y: 0, w: 100, h: 100 },
  lastSeq: -1,
};

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Grove-CSRF'] = page.csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((data && data.message) || response.statusText);
    error.api = data;
    throw error;
  }
  return data;
}

function el(tag, attributes = {}, ...children) {
  const node = tag.startsWith('svg:')
    ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

// ---- the graph ----

// The project is read again every few seconds (the daemon answers from its cache until a file
// changes): a broken save shows its problems over the last good graph, the next good one recovers.
const GRAPH_POLL_MS = 2000;

async function loadGraph() {
  let answer;
  try {
    answer = await api('POST', '/api/v1/dashboard/layout', page.project);
  } catch (error) {
    showProblems(error.api || { message: error.message });
    return;
  }
  showProblems(null, answer.warnings);
  page.projectName = answer.project;
  $('#project').textContent = answer.project + ' · ' + answer.environment;
  page.notActedOn = answer.notActedOn || {};
  const drawn = JSON.stringify([answer.layout, page.notActedOn]);
  if (drawn === page.drawn) return;
  page.drawn = drawn;
  page.actions = new Map(answer.actions.map((action) => [action.ref, action]));
  draw(answer.layout);
  if (page.selected && page.actions.has(page.selected)) showAction(page.selected);
}

function showProblems(error, warnings = []) {
  const box = $('#problems');
  const lines = [];
  if (error) {
    const problems = error.problems || [];
    // a config error's problems say it all, each with its file and line
    if (problems.length === 0) {
      lines.push(error.message + (error.suggestion ? '\n  → ' + error.suggestion : ''));
    }
    for (const problem of problems) lines.push(describeProblem(problem));
  }
  for (const warning of warnings || []) lines.push('warning: ' + describeProblem(warning));
  box.textContent = lines.join('\n');
  box.hidden = lines.length === 0;
  box.className = error ? 'failing' : '';
}

function describeProblem(problem) {
  const at = problem.location
    ? problem.location.file + (problem.location.line > 0 ? ':' + problem.location.line : '') + ': '
    : '';
  return at + problem.message + (problem.suggestion ? '\n  → ' + problem.suggestion : '');
}

function draw(layout) {
  const edges = $('#edges');
  const nodes = $('#nodes');
  edges.replaceChildren();
  nodes.replaceChildren();
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => (i === 0 ? 'M' : 'L') + p[0] + ' ' + p[1]).join(' ');
    edges.append(el('svg:path', { class: 'edge', d, 'data-from': edge.from, 'data-to': edge.to }));
  }
  for (const node of layout.nodes) {
    const group = el(
      'svg:g',
      { class: 'node ' + node.kind.toLowerCase(), 'data-ref': node.ref, transform: `translate(${node.x},${node.y})` },
      el('svg:title', {}, node.ref + ' (' + node.type + ')' + (node.disabled ? ', disabled' : '')),
      el('svg:rect', { width: node.width, height: node.height }),
      el('svg:text', { x: 12, y: node.height / 2 + 4 }, node.label),
    );
    if (node.disabled) group.classList.add('disabled');
    if (page.notActedOn[node.ref]) {
      // a field Grove accepts but does not act on yet (spec.sync...): marked, listed in the panel
      group.classList.add('not-acted-on');
      group.append(el('svg:text', { class: 'mark', x: node.width - 14, y: 13 }, '!'));
    }
    group.addEventListener('click', (event) => {
      event.stopPropagation();
      showAction(node.ref);
    });
    nodes.append(group);
    paint(node.ref);
  }
  // at most life size: a small graph is not blown up to fill the pane
  const pane = $('#graph');
  page.view = {
    x: 0,
    y: 0,
    w: Math.max(layout.width, pane.clientWidth || 200),
    h: Math.max(layout.height, pane.clientHeight || 120),
  };
  fit();
  // when the graph was first drawn, in ms from the page's start (bench/dashboard.sh reads it)
  if (!document.body.dataset.drawnMs) {
    document.body.dataset.drawnMs = String(Math.round(performance.now()));
  }
}

function paint(ref) {
  const node = document.querySelector(`#nodes .node[data-ref="${CSS.escape(ref)}"]`);
  if (!node) return;
  for (const state of ['pending', 'checking', 'processing', 'ready', 'succeeded', 'failed', 'aborted', 'cancelled']) {
    node.classList.remove(state);
  }
  const status = page.status.get(ref);
  if (status) node.classList.add(status.state);
  node.classList.toggle('selected', ref === page.selected);
  node.setAttribute('data-state', status ? status.state : 'none');
}

function fit() {
  const v = page.view;
  $('#graph').setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
}

function panAndZoom() {
  const svg = $('#graph');
  let drag = null;
  svg.addEventListener('mousedown', (event) => {
    drag = { x: event.clientX, y: event.clientY, view: { ...page.view } };
  });
  window.addEventListener('mouseup', () => (drag = null));
  window.addEventListener('mousemove', (event) => {
    if (!drag) return;
    const scale = page.view.w / svg.clientWidth;
    page.view.x = drag.view.x - (event.clientX - drag.x) * scale;
    page.view.y = drag.view.y - (event.clientY - drag.y) * scale;
    fit();
  });
  svg.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const factor = event.deltaY > 0 ? 1.15 : 1 / 1.15;
      const box = svg.getBoundingClientRect();
      const fx = (event.clientX - box.left) / box.width;
      const fy = (event.clientY - box.top) / box.height;
      const v = page.view;
      const w = v.w * factor;
      const h = v.h * factor;
      page.view = { x: v.x + (v.w - w) * fx, y: v.y + (v.h - h) * fy, w, h };
      fit();
    },
    { passive: false },
  );
}

// ---- the live events ----

function connectEvents() {
  const since = page.lastSeq >= 0 ? page.lastSeq : 0;
  const socket = new WebSocket(`ws://${location.host}/api/v1/events?since=${since}`);
  socket.onopen = () => ($('#connection').textContent = 'live');
  socket.onmessage = (message) => onEvent(JSON.parse(message.data));
  socket.onclose = () => {
    $('#connection').textContent = 'reconnecting…';
    setTimeout(connectEvents, 1000);
  };
}

function onEvent(event) {
  page.lastSeq = Math.max(page.lastSeq, event.seq);
  const payload = event.payload || {};
  if (event.type === 'runStarted') {
    if (payload.project === page.projectName) page.runIds.add(event.runId);
    refreshRuns();
    return;
  }
  if (!page.runIds.has(event.runId)) return;
  const ref = event.action && event.action.ref;
  if (event.type === 'actionStatus' && ref) {
    page.status.set(ref, payload);
    track(event, ref, payload.state);
    paint(ref);
    if (ref === page.selected) showStatus(ref);
  } else if (event.type === 'log' && ref) {
    const lines = page.runLog.get(ref) || [];
    lines.push({ stream: payload.stream, line: payload.line });
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
    page.runLog.set(ref, lines);
    if (ref === page.selected) appendRunLog(payload);
  } else if (event.type === 'runFinished') {
    refreshRuns();
  }
}

function track(event, ref, state) {
  const timeline = page.timelines.get(event.runId) || new Map();
  page.timelines.set(event.runId, timeline);
  const entry = timeline.get(ref) || { start: null, end: null, state };
  if ((state === 'checking' || state === 'processing') && entry.start === null) entry.start = event.time;
  if (TERMINAL.has(state)) {
    entry.end = event.time;
    if (entry.start === null) entry.start = event.time;
  }
  if (state === 'processing' && page.runLog.has(ref)) page.runLog.set(ref, []);
  entry.state = state;
  timeline.set(ref, entry);
  if (page.selectedRun === event.runId) drawTimeline(event.runId);
}

// ---- one action ----

function showAction(ref) {
  const previous = page.selected;
  page.selected = ref;
  if (previous && previous !== ref) paint(previous);
  paint(ref);
  selectTab('action');
  const action = page.actions.get(ref);
  const tab = $('#tab-action');
  tab.replaceChildren();
  if (!action) return;
  const command = { Build: 'build', Deploy: 'deploy', Test: 'test', Run: 'run' }[action.kind];
  const start = el('button', { id: 'start-action' }, command + ' ' + action.name);
  start.addEventListener('click', () => startRun(command, [action.name]));
  const deps = el('dd');
  for (const dependency of action.dependencies) {
    const link = el('a', { href: '#' }, dependency);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      showAction(dependency);
    });
    deps.append(link, ' ');
  }
  tab.append(
    el('h2', {}, ref),
    el(
      'dl',
      {},
      el('dt', {}, 'type'), el('dd', {}, action.type),
      el('dt', {}, 'version'), el('dd', {}, action.version),
      el('dt', {}, 'depends on'), action.dependencies.length ? deps : el('dd', {}, '—'),
      el('dt', {}, 'state'),
      el('dd', { id: 'action-state' }),
      action.disabled ? el('dt', {}, 'disabled') : null,
      action.disabled ? el('dd', {}, 'in this environment') : null,
    ),
    start,
    el('div', { id: 'action-error-box' }),
  );
  const ignored = page.notActedOn[ref] || [];
  if (ignored.length) {
    tab.append(
      el(
        'div',
        { class: 'not-acted-on', id: 'not-acted-on' },
        'Grove does not act on: ' + ignored.map(describeProblem).join('\n'),
      ),
    );
  }
  showStatus(ref);
  tab.append(el('h3', {}, 'Run log'), el('pre', { class: 'log', id: 'run-log' }));
  for (const line of page.runLog.get(ref) || []) appendRunLog(line);
  if (action.kind === 'Test' || action.kind === 'Run') showResult(action);
  showSpec(action);
  if (page.podLogs) {
    page.podLogs.close();
    page.podLogs = null;
  }
  if (action.kind === 'Deploy') followPodLogs(action);
}

/** The selected action's state and error, as the events change them. */
function showStatus(ref) {
  const status = page.status.get(ref);
  const state = $('#action-state');
  if (state) {
    state.textContent = status
      ? status.state + (status.detail ? ' (' + status.detail + ')' : '')
      : 'not run yet';
  }
  const box = $('#action-error-box');
  if (!box) return;
  box.replaceChildren();
  if (status && status.error) {
    box.append(
      el(
        'div',
        { class: 'error', id: 'action-error' },
        status.error.code + ': ' + status.error.message,
        el('div', { class: 'suggestion' }, '→ ' + status.error.suggestion),
      ),
    );
  }
}

function appendRunLog(line) {
  const pre = $('#run-log');
  if (!pre) return;
  pre.append(el('span', { class: line.stream }, line.line + '\n'));
  pre.scrollTop = pre.scrollHeight;
}

async function showSpec(action) {
  const box = el('pre', { class: 'spec', id: 'action-spec' });
  $('#tab-action').append(el('h3', {}, 'Spec (resolved)'), box);
  try {
    const answer = await api('POST', '/api/v1/dashboard/action', {
      project: page.project,
      ref: action.ref,
    });
    box.textContent = JSON.stringify(answer.spec, null, 2);
  } catch (error) {
    box.textContent = error.message;
  }
}

async function showResult(action) {
  const box = el('div', { id: 'last-result' });
  $('#tab-action').append(el('h3', {}, 'Last result'), box);
  try {
    const result = await api('POST', '/api/v1/results', {
      project: page.project,
      kind: action.kind.toLowerCase(),
      name: action.name,
    });
    box.append(
      (result.exitCode === 0 ? 'passed' : 'failed (exit code ' + result.exitCode + ')') +
        ' at ' + result.finishedAt +
        (result.version === result.currentVersion ? '' : ' (outdated)'),
      el('pre', { class: 'log' }, result.log),
    );
  } catch (error) {
    box.append(error.message);
  }
}

function followPodLogs(action) {
  const pre = el('pre', { class: 'log', id: 'pod-logs' });
  $('#tab-action').append(el('h3', {}, 'Pod logs'), pre);
  const socket = new WebSocket(`ws://${location.host}/api/v1/logs`);
  page.podLogs = socket;
  socket.onopen = () =>
    socket.send(JSON.stringify({ project: page.project, names: [action.name], follow: true, tail: 100 }));
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    const text =
      data.type === 'line'
        ? data.pod + ' ' + data.line
        : data.type === 'note'
          ? '# ' + data.message
          : data.type === 'error'
            ? '! ' + data.error.message + (data.error.suggestion ? ' → ' + data.error.suggestion : '')
            : null;
    if (text === null) return;
    pre.append(text + '\n');
    pre.scrollTop = pre.scrollHeight;
  };
}

// ---- runs ----

async function startRun(command, names) {
  try {
    const run = await api('POST', '/api/v1/runs', { project: page.project, command, names });
    page.runIds.add(run.runId);
    page.selectedRun = run.runId;
    refreshRuns();
  } catch (error) {
    showProblems(error.api || { message: error.message });
  }
}

async function refreshRuns() {
  let runs;
  try {
    runs = await api('GET', '/api/v1/runs');
  } catch (error) {
    return;
  }
  page.runs = runs.filter((run) => run.project === page.projectName);
  const list = $('#runs');
  list.replaceChildren();
  for (const run of page.runs.slice().reverse()) {
    page.runIds.add(run.runId);
    const item = el(
      'li',
      { 'data-run': run.runId, class: run.runId === page.selectedRun ? 'selected' : '' },
      el(
        'span',
        { class: 'state-' + (run.result ? run.result.result : run.state) },
        run.result ? run.result.result : run.state,
      ),
      run.command,
      el('span', {}, run.runId),
      el('span', {}, new Date(run.startedAt).toLocaleTimeString()),
    );
    if (run.state === 'running') {
      const cancel = el('button', {}, 'cancel');
      cancel.addEventListener('click', async (event) => {
        event.stopPropagation();
        await api('POST', `/api/v1/runs/${run.runId}/cancel`, {});
        refreshRuns();
      });
      item.append(cancel);
    }
    item.addEventListener('click', () => {
      page.selectedRun = run.runId;
      refreshRuns();
    });
    list.append(item);
  }
  if (page.selectedRun) drawTimeline(page.selectedRun);
}

function drawTimeline(runId) {
  const box = $('#timeline');
  box.replaceChildren();
  const timeline = page.timelines.get(runId);
  if (!timeline || timeline.size === 0) return;
  const entries = [...timeline.entries()].filter(([, e]) => e.start !== null);
  const first = Math.min(...entries.map(([, e]) => e.start));
  const last = Math.max(...entries.map(([, e]) => e.end || Date.now()));
  const span = Math.max(last - first, 1);
  for (const [ref, entry] of entries.sort((a, b) => a[1].start - b[1].start)) {
    const end = entry.end || Date.now();
    const bar = el(
      'div',
      { class: 'bar ' + entry.state },
      el(
        'span',
        {
          style: `left:${(100 * (entry.start - first)) / span}%;width:${Math.max((100 * (end - entry.start)) / span, 0.5)}%`,
        },
        ref + ' ' + ((end - entry.start) / 1000).toFixed(1) + ' s',
      ),
    );
    box.append(bar);
  }
}

// ---- watch ----

async function toggleWatch() {
  const button = $('#watch');
  try {
    if (page.watchId) {
      await api('POST', `/api/v1/watches/${page.watchId}/stop`, {});
      page.watchId = null;
    } else {
      const watch = await api('POST', '/api/v1/watches', {
        run: { project: page.project, command: 'deploy', names: [] },
      });
      page.watchId = watch.watchId;
    }
  } catch (error) {
    showProblems(error.api || { message: error.message });
  }
  button.classList.toggle('on', page.watchId !== null);
  button.textContent = page.watchId ? 'Stop watch' : 'Watch';
}

function selectTab(name) {
  for (const button of document.querySelectorAll('aside nav button')) {
    button.classList.toggle('current', button.dataset.tab === name);
  }
  $('#tab-action').hidden = name !== 'action';
  $('#tab-runs').hidden = name !== 'runs';
}

async function main() {
  const session = await api('GET', '/api/v1/dashboard/session');
  page.csrf = session.csrf;
  page.project = session.project;
  for (const button of document.querySelectorAll('header button[data-command]')) {
    button.addEventListener('click', () => startRun(button.dataset.command, []));
  }
  $('#watch').addEventListener('click', toggleWatch);
  for (const button of document.querySelectorAll('aside nav button')) {
    button.addEventListener('click', () => selectTab(button.dataset.tab));
  }
  panAndZoom();
  await loadGraph();
  while (!page.projectName) {
    // the project does not load yet: its problems are shown; wait for a good save
    await new Promise((resolve) => setTimeout(resolve, GRAPH_POLL_MS));
    await loadGraph();
  }
  setInterval(loadGraph, GRAPH_POLL_MS);
  connectEvents();
  refreshRuns();
}

main().catch((error) => showProblems({ message: 'The dashboard cannot start: ' + error.message }));
