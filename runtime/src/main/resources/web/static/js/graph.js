// The graph: tasks laid out by dagre, coloured by the chosen run's states; groups fold into one
// node and unfold into a frame around their tasks. States refresh every 3 s while the run is
// unfinished, in place.
'use strict';
(function () {
  const { el, getJson, poll, enc, taskInstanceUrl, clear } = window.Weir;
  const dagId = document.getElementById('dag').dataset.dagId;
  const svg = document.getElementById('graph');
  const select = document.getElementById('graph-run');
  const params = new URLSearchParams(location.search);
  const collapsed = new Set();
  const PRIORITY = ['failed', 'upstream_failed', 'up_for_retry', 'up_for_reschedule', 'running', 'queued', 'scheduled', 'none', 'skipped', 'removed', 'success'];
  let data = null;
  let runId = params.get('run_id') || '';

  function summary(states) {
    for (const state of PRIORITY) if (states.includes(state)) return state;
    return 'none';
  }

  function parentsOf(groups) {
    const parents = new Map();
    for (const group of groups) parents.set(group.group_id, group.parent);
    return parents;
  }

  /** The outermost folded group holding a task or group, else null. */
  function foldedAncestor(groupId, parents) {
    let found = null;
    for (let g = groupId; g; g = parents.get(g)) if (collapsed.has(g)) found = g;
    return found;
  }

  function render() {
    clear(svg);
    const parents = parentsOf(data.groups);
    const g = new dagre.graphlib.Graph({ compound: true });
    g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 50, marginx: 16, marginy: 24 });
    g.setDefaultEdgeLabel(() => ({}));
    const visible = new Map();
    for (const group of data.groups) {
      const folded = foldedAncestor(group.group_id, parents);
      if (folded && folded !== group.group_id) continue;
      if (folded === group.group_id) {
        g.setNode('g:' + group.group_id, { kind: 'folded', id: group.group_id, label: group.label + ' ▸', width: width(group.label) + 20, height: 34 });
      } else {
        g.setNode('c:' + group.group_id, { kind: 'cluster', id: group.group_id, label: group.label });
      }
    }
    for (const group of data.groups) {
      if (group.parent && g.hasNode('c:' + group.parent)) {
        if (g.hasNode('c:' + group.group_id)) g.setParent('c:' + group.group_id, 'c:' + group.parent);
        if (g.hasNode('g:' + group.group_id)) g.setParent('g:' + group.group_id, 'c:' + group.parent);
      }
    }
    for (const task of data.tasks) {
      const folded = foldedAncestor(task.group, parents);
      if (folded) { visible.set(task.task_id, 'g:' + folded); continue; }
      visible.set(task.task_id, 't:' + task.task_id);
      g.setNode('t:' + task.task_id, { kind: 'task', task, label: task.label, width: width(task.label), height: 34 });
      if (task.group) g.setParent('t:' + task.task_id, 'c:' + task.group);
    }
    const seen = new Set();
    for (const edge of data.edges) {
      const from = visible.get(edge.from);
      const to = visible.get(edge.to);
      if (from === to || seen.has(from + '>' + to)) continue;
      seen.add(from + '>' + to);
      g.setEdge(from, to);
    }
    dagre.layout(g);
    const size = g.graph();
    svg.setAttribute('width', Math.max(size.width || 0, 200));
    svg.setAttribute('height', Math.max(size.height || 0, 80));
    svg.append(el('defs', {}, el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' },
      el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }))));
    const clusters = el('g', { class: 'clusters' });
    const edges = el('g', { class: 'edges' });
    const nodes = el('g', { class: 'nodes' });
    svg.append(clusters, edges, nodes);
    const headers = [];
    for (const id of g.nodes()) {
      const n = g.node(id);
      if (!n || n.kind !== 'cluster') continue;
      // The frame is drawn on its own; the group's element is its header strip, which folds it.
      const left = n.x - n.width / 2, top = n.y - n.height / 2 - 16;
      clusters.append(el('rect', { class: 'group-frame', x: left, y: top, width: n.width, height: n.height + 16, rx: 6 }));
      const frame = el('g', { class: 'group', 'data-group-id': n.id, transform: 'translate(' + left + ',' + top + ')' },
        el('rect', { class: 'group-header', width: n.width, height: 16, rx: 6 }),
        el('text', { x: 8, y: 12, class: 'group-label', text: n.label + ' ▾' }),
        el('title', { text: 'group ' + n.id + ': click to fold' }));
      frame.addEventListener('click', () => { collapsed.add(n.id); render(); });
      headers.push(frame);
    }
    for (const e of g.edges()) {
      const points = g.edge(e).points;
      const d = points.map((p, i) => (i === 0 ? 'M' : 'L') + p.x + ' ' + p.y).join(' ');
      edges.append(el('path', { class: 'edge', d, 'marker-end': 'url(#arrow)', 'data-from': e.v, 'data-to': e.w }));
    }
    for (const id of g.nodes()) {
      const n = g.node(id);
      if (!n || n.kind === 'cluster') continue;
      const box = el('g', { transform: 'translate(' + (n.x - n.width / 2) + ',' + (n.y - n.height / 2) + ')' },
        el('rect', { width: n.width, height: n.height, rx: 5 }),
        el('text', { x: 10, y: 21, text: n.label }));
      if (n.kind === 'task') {
        box.setAttribute('class', 'node');
        box.setAttribute('data-task-id', n.task.task_id);
        if (n.task.is_mapped) box.setAttribute('data-mapped', 'true');
        box.append(el('title', { text: n.task.task_id + ' (' + n.task.operator + ')' }));
        box.addEventListener('click', () => {
          if (data.run) location.assign(taskInstanceUrl(dagId, data.run.run_id, n.task.task_id));
        });
      } else {
        box.setAttribute('class', 'group folded');
        box.setAttribute('data-group-id', n.id);
        box.append(el('title', { text: 'group ' + n.id + ': click to unfold' }));
        box.addEventListener('click', () => { collapsed.delete(n.id); render(); });
      }
      nodes.append(box);
    }
    // Headers above edges and nodes, so that a click on one always reaches it.
    svg.append(el('g', { class: 'group-headers' }, ...headers));
    paint();
  }

  function width(label) { return Math.max(60, label.length * 7.2 + 24); }

  /** Colours nodes and folded groups by the run's states. */
  function paint() {
    const byTask = new Map(data.tasks.map((t) => [t.task_id, t]));
    for (const node of svg.querySelectorAll('g.node')) {
      const task = byTask.get(node.dataset.taskId);
      const state = task ? task.state : 'none';
      node.dataset.state = state;
      node.setAttribute('class', 'node state-' + state);
      const label = node.querySelector('text');
      label.textContent = task.label + (task.is_mapped && task.map_count !== null && task.map_count !== undefined ? ' [' + task.map_count + ']' : '');
    }
    for (const folded of svg.querySelectorAll('g.group.folded')) {
      const prefix = folded.dataset.groupId + '.';
      const states = data.tasks.filter((t) => t.group && (t.group === folded.dataset.groupId || t.group.startsWith(prefix))).map((t) => t.state);
      const state = summary(states);
      folded.dataset.state = state;
      folded.setAttribute('class', 'group folded state-' + state);
    }
  }

  function fillRuns() {
    clear(select);
    select.append(el('option', { value: '', text: 'latest run' }));
    for (const run of data.runs) {
      select.append(el('option', { value: run.run_id, selected: run.run_id === runId, text: run.run_id + ' (' + run.state + ')' }));
    }
  }

  let shape = null;
  const refresher = poll(async () => {
    data = await getJson('/ui/data/dags/' + enc(dagId) + '/graph' + (runId ? '?run_id=' + enc(runId) : ''));
    const signature = JSON.stringify(data.runs.map((r) => r.run_id));
    if (shape === null) render();
    else paint();
    if (signature !== shape) { fillRuns(); shape = signature; }
    return true;
  }, 3000);
  select.addEventListener('change', () => {
    runId = select.value;
    history.replaceState(null, '', runId ? '?run_id=' + enc(runId) : location.pathname);
    refresher.now();
  });
  document.addEventListener('weir:refresh', () => refresher.now());
})();
