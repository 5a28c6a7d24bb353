// The Gantt chart of a run: one row per task instance, one bar per try, on a shared time axis.
'use strict';
(function () {
  const { el, getJson, poll, enc, taskInstanceUrl, clear, date, duration } = window.Weir;
  const dagId = document.getElementById('dag').dataset.dagId;
  const gantt = document.getElementById('gantt');
  const select = document.getElementById('gantt-run');
  const params = new URLSearchParams(location.search);
  let runId = params.get('run_id') || '';
  let shape = null;
  const LABEL = 220, WIDTH = 900, ROW = 24;

  function render(data) {
    clear(gantt);
    if (!data.run) { gantt.append(el('p', { class: 'muted', text: 'No runs yet.' })); return; }
    if (data.tries.length === 0) { gantt.append(el('p', { class: 'muted', text: 'No task of run ' + data.run.run_id + ' has started yet.' })); return; }
    const now = Date.parse(data.now);
    const start = Math.min(...data.tries.map((t) => Date.parse(t.start_date)));
    const end = Math.max(...data.tries.map((t) => (t.end_date ? Date.parse(t.end_date) : now)));
    const span = Math.max(end - start, 1000);
    const rows = [];
    for (const t of data.tries) {
      const name = t.map_index >= 0 ? t.task_id + '[' + t.map_index + ']' : t.task_id;
      if (!rows.includes(name)) rows.push(name);
    }
    const svg = el('svg', { width: LABEL + WIDTH + 20, height: rows.length * ROW + 40, class: 'gantt-chart' });
    svg.append(el('text', { x: LABEL, y: 14, class: 'axis', text: date(new Date(start).toISOString()) }));
    svg.append(el('text', { x: LABEL + WIDTH, y: 14, class: 'axis', 'text-anchor': 'end', text: '+' + duration(span / 1000) }));
    rows.forEach((name, i) => {
      svg.append(el('text', { x: 4, y: 40 + i * ROW - 8, class: 'row-label', text: name }));
      svg.append(el('line', { x1: LABEL, x2: LABEL + WIDTH, y1: 40 + i * ROW, y2: 40 + i * ROW, class: 'grid-line' }));
    });
    for (const t of data.tries) {
      const name = t.map_index >= 0 ? t.task_id + '[' + t.map_index + ']' : t.task_id;
      const from = Date.parse(t.start_date);
      const to = t.end_date ? Date.parse(t.end_date) : now;
      const x = LABEL + ((from - start) / span) * WIDTH;
      const w = Math.max(((to - from) / span) * WIDTH, 2);
      const y = 40 + rows.indexOf(name) * ROW - ROW + 4;
      // An SVG link: an HTML <a> inside <svg> is not drawn, and neither would its bar be.
      const link = document.createElementNS('http://www.w3.org/2000/svg', 'a');
      link.setAttribute('href', taskInstanceUrl(dagId, data.run.run_id, t.task_id, t.map_index));
      const bar = el('rect', {
        x, y, width: w, height: ROW - 8, rx: 3, class: 'bar state-' + t.state,
        'data-task-id': t.task_id, 'data-try-number': t.try_number, 'data-map-index': t.map_index, 'data-state': t.state,
      });
      bar.append(el('title', { text: name + ' try ' + t.try_number + ': ' + t.state + '\n' + date(t.start_date) + ' → ' + date(t.end_date) + '\n' + duration(t.duration) }));
      link.append(bar);
      svg.append(link);
    }
    gantt.append(svg);
  }

  function fillRuns(data) {
    clear(select);
    select.append(el('option', { value: '', text: 'latest run' }));
    for (const run of data.runs) {
      select.append(el('option', { value: run.run_id, selected: run.run_id === runId, text: run.run_id + ' (' + run.state + ')' }));
    }
  }

  const refresher = poll(async () => {
    const data = await getJson('/ui/data/dags/' + enc(dagId) + '/gantt' + (runId ? '?run_id=' + enc(runId) : ''));
    render(data);
    const signature = JSON.stringify(data.runs.map((r) => r.run_id));
    if (signature !== shape) { fillRuns(data); shape = signature; }
    return true;
  }, 3000);
  select.addEventListener('change', () => {
    runId = select.value;
    history.replaceState(null, '', runId ? '?run_id=' + enc(runId) : location.pathname);
    refresher.now();
  });
})();
