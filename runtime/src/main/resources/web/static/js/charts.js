// The charts tab: a task's duration per run, and a numeric XCom value per run, drawn as SVG.
'use strict';
(function () {
  const { el, getJson, enc, clear, date, duration, showError } = window.Weir;
  const dagId = document.getElementById('dag').dataset.dagId;
  const taskSelect = document.getElementById('chart-task');
  const xcomSelect = document.getElementById('chart-xcom');
  const base = '/ui/data/dags/' + enc(dagId) + '/charts';

  /** Draws points (oldest run first) as a line with dots; x is the run's position. */
  function draw(svg, points, format) {
    clear(svg);
    const W = Number(svg.getAttribute('width')), H = Number(svg.getAttribute('height'));
    const left = 70, right = 20, top = 16, bottom = 40;
    if (points.length === 0) {
      svg.append(el('text', { x: left, y: H / 2, class: 'muted', text: 'Nothing to chart yet.' }));
      return;
    }
    const runs = [...new Set(points.map((p) => p.run))];
    const max = Math.max(...points.map((p) => p.y), 0);
    const min = Math.min(...points.map((p) => p.y), 0);
    const span = max - min || 1;
    const x = (run) => left + (runs.length === 1 ? (W - left - right) / 2 : (runs.indexOf(run) / (runs.length - 1)) * (W - left - right));
    const y = (v) => top + (1 - (v - min) / span) * (H - top - bottom);
    svg.append(el('line', { x1: left, x2: left, y1: top, y2: H - bottom, class: 'axis-line' }));
    svg.append(el('line', { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: 'axis-line' }));
    for (const v of [min, (min + max) / 2, max]) {
      svg.append(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis', text: format(v) }));
    }
    svg.append(el('text', { x: left, y: H - 12, class: 'axis', text: date(points[0].date) }));
    svg.append(el('text', { x: W - right, y: H - 12, 'text-anchor': 'end', class: 'axis', text: date(points[points.length - 1].date) }));
    const series = new Map();
    for (const p of points) {
      if (!series.has(p.series)) series.set(p.series, []);
      series.get(p.series).push(p);
    }
    for (const list of series.values()) {
      svg.append(el('polyline', { class: 'series', points: list.map((p) => x(p.run) + ',' + y(p.y)).join(' ') }));
      for (const p of list) {
        const dot = el('circle', { cx: x(p.run), cy: y(p.y), r: 4, class: 'point state-' + (p.state || 'success'), 'data-run-id': p.run });
        dot.append(el('title', { text: p.run + '\n' + p.label }));
        svg.append(dot);
      }
    }
  }

  async function durations() {
    const svg = document.getElementById('duration-chart');
    if (!taskSelect.value) { draw(svg, [], String); return; }
    const data = await getJson(base + '/durations?task_id=' + enc(taskSelect.value));
    draw(svg, data.durations.map((d) => ({
      run: d.dag_run_id, date: d.logical_date, y: d.duration_seconds, state: d.state,
      series: d.map_index + ':' + d.try_number,
      label: (d.map_index >= 0 ? '[' + d.map_index + '] ' : '') + 'try ' + d.try_number + ' ' + d.state + ': ' + duration(d.duration_seconds),
    })), (v) => duration(v));
  }

  async function xcom() {
    const svg = document.getElementById('xcom-chart');
    if (!xcomSelect.value) { draw(svg, [], String); return; }
    const { task_id, key } = JSON.parse(xcomSelect.value);
    const data = await getJson(base + '/xcom?task_id=' + enc(task_id) + '&key=' + enc(key));
    draw(svg, data.values.map((v) => ({
      run: v.dag_run_id, date: v.logical_date, y: v.value, series: String(v.map_index),
      label: key + (v.map_index >= 0 ? '[' + v.map_index + ']' : '') + ' = ' + v.value,
    })), (v) => String(Math.round(v * 1000) / 1000));
  }

  async function start() {
    try {
      const choices = await getJson(base);
      for (const task of choices.tasks) taskSelect.append(el('option', { value: task, text: task }));
      for (const pair of choices.xcom_keys) {
        xcomSelect.append(el('option', { value: JSON.stringify(pair), text: pair.task_id + ' / ' + pair.key }));
      }
      if (choices.xcom_keys.length === 0) xcomSelect.append(el('option', { value: '', text: 'no numeric XCom yet' }));
      await Promise.all([durations(), xcom()]);
    } catch (e) {
      showError('page-error', e);
    }
  }

  taskSelect.addEventListener('change', () => durations().catch((e) => showError('page-error', e)));
  xcomSelect.addEventListener('change', () => xcom().catch((e) => showError('page-error', e)));
  start();
})();
