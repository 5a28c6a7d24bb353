// The grid: runs (columns, oldest left) by tasks (rows, groups foldable). Polls every 3 s while a
// run is unfinished; cells change in place when runs and tasks are the same, else it is redrawn.
'use strict';
(function () {
  const { el, getJson, poll, stateBadge, date, duration, enc, taskInstanceUrl, clear } = window.Weir;
  const section = document.getElementById('dag');
  const dagId = section.dataset.dagId;
  const grid = document.getElementById('grid');
  const collapsed = new Set(JSON.parse(sessionStorage.getItem('grid-collapsed:' + dagId) || '[]'));
  let shape = null;
  let cellsByKey = new Map();

  function key(runId, id) { return runId + '\u0000' + id; }

  function title(cell) {
    const parts = [cell.task_id || cell.group_id, cell.run_id, cell.state];
    if (cell.mapped) parts.push(cell.map_count + ' mapped: ' + Object.entries(cell.states || {}).map(([s, n]) => n + ' ' + s).join(', '));
    if (cell.duration !== undefined && cell.duration !== null) parts.push(duration(cell.duration));
    return parts.join('\n');
  }

  function applyCell(node, cell) {
    const state = cell ? cell.state : 'none';
    node.dataset.state = state;
    node.setAttribute('class', 'cell state-' + state);
    node.title = cell ? title(cell) : 'no instance';
    if (cell && cell.mapped) node.textContent = String(cell.map_count);
  }

  function build(data) {
    clear(grid);
    cellsByKey = new Map();
    const table = el('table', { class: 'grid-table' });
    const head = el('tr', {}, el('th', { class: 'task-col', text: 'Task' }));
    for (const run of data.runs) {
      head.append(el('th', { class: 'run-col', 'data-run-id': run.run_id, title: run.run_id + '\n' + date(run.logical_date) + '\n' + run.state },
        stateBadge(run.state, { text: '', class: 'run-bar run-state state-' + run.state })));
    }
    table.append(el('thead', {}, head));
    const body = el('tbody');
    for (const row of data.rows) {
      const tr = el('tr', { class: row.kind === 'group' ? 'group-row' : 'task-row', 'data-parent': row.parent || '' });
      const label = el('th', { class: 'task-col', style: 'padding-left:' + (8 + row.depth * 16) + 'px' });
      if (row.kind === 'group') {
        tr.setAttribute('data-group-id', row.id);
        const toggle = el('button', { type: 'button', class: 'fold', 'aria-expanded': String(!collapsed.has(row.id)),
          text: (collapsed.has(row.id) ? '▸ ' : '▾ ') + row.label });
        toggle.addEventListener('click', () => fold(row.id, toggle));
        label.append(toggle);
      } else {
        tr.setAttribute('data-row-task-id', row.id);
        label.append(el('span', { text: row.label, title: row.id + (row.operator ? ' (' + row.operator + ')' : '') }));
        if (row.is_mapped) label.append(el('span', { class: 'muted', text: ' [ ]' }));
      }
      tr.append(label);
      for (const run of data.runs) {
        let node;
        if (row.kind === 'group') {
          node = el('span', { 'data-run-id': run.run_id, 'data-group-id': row.id });
        } else {
          node = el('a', { 'data-run-id': run.run_id, 'data-task-id': row.id, href: taskInstanceUrl(dagId, run.run_id, row.id) });
          if (row.is_mapped) node.setAttribute('data-mapped', 'true');
        }
        applyCell(node, null);
        cellsByKey.set(key(run.run_id, (row.kind === 'group' ? 'g:' : 't:') + row.id), node);
        tr.append(el('td', {}, node));
      }
      body.append(tr);
    }
    table.append(body);
    grid.append(table);
    if (data.runs.length === 0) grid.append(el('p', { class: 'muted', text: 'No runs yet.' }));
    applyFolds();
  }

  function update(data) {
    const signature = JSON.stringify([data.runs.map((r) => r.run_id), data.rows.map((r) => r.kind + r.id)]);
    if (signature !== shape) {
      build(data);
      shape = signature;
    } else {
      for (const run of data.runs) {
        const th = grid.querySelector('th.run-col[data-run-id="' + CSS.escape(run.run_id) + '"] .run-bar');
        if (th) { th.dataset.state = run.state; th.setAttribute('class', 'run-bar run-state state-' + run.state); }
      }
    }
    for (const cell of data.cells) {
      const node = cellsByKey.get(key(cell.run_id, cell.group_id ? 'g:' + cell.group_id : 't:' + cell.task_id));
      if (!node) continue;
      applyCell(node, cell);
      if (cell.mapped) node.setAttribute('data-mapped', 'true');
      if (cell.mapped && cell.task_id && node.tagName === 'A') {
        node.setAttribute('href', taskInstanceUrl(dagId, cell.run_id, cell.task_id, (cell.map_indexes || [])[0]));
      }
    }
  }

  function fold(groupId, toggle) {
    if (collapsed.has(groupId)) collapsed.delete(groupId); else collapsed.add(groupId);
    sessionStorage.setItem('grid-collapsed:' + dagId, JSON.stringify([...collapsed]));
    toggle.textContent = (collapsed.has(groupId) ? '▸ ' : '▾ ') + toggle.textContent.slice(2);
    toggle.setAttribute('aria-expanded', String(!collapsed.has(groupId)));
    applyFolds();
  }

  /** Hides each row inside a folded group (at any depth). */
  function applyFolds() {
    const parents = new Map();
    for (const tr of grid.querySelectorAll('tr[data-group-id]')) parents.set(tr.dataset.groupId, tr.dataset.parent);
    for (const tr of grid.querySelectorAll('tbody tr')) {
      let parent = tr.dataset.parent;
      let hidden = false;
      while (parent) {
        if (collapsed.has(parent)) { hidden = true; break; }
        parent = parents.get(parent);
      }
      tr.hidden = hidden;
      tr.classList.toggle('collapsed', tr.dataset.groupId ? collapsed.has(tr.dataset.groupId) : false);
    }
  }

  let unfinished = true;
  let quietTicks = 0;
  const refresher = poll(async () => {
    // Every 3 s while a run is unfinished; otherwise every 15 s, to notice new runs.
    if (!unfinished && quietTicks++ % 5 !== 0) return true;
    const data = await getJson('/ui/data/dags/' + enc(dagId) + '/grid');
    unfinished = data.unfinished;
    update(data);
    return true;
  }, 3000);
  document.addEventListener('weir:refresh', () => { unfinished = true; refresher.now(); });
})();
