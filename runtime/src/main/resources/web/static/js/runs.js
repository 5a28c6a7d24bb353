// The runs tab: the DAG's runs filtered by state and logical date, refreshed every 5 s.
'use strict';
(function () {
  const { el, getJson, api, poll, enc, clear, date, duration, stateBadge, showError } = window.Weir;
  const canAct = document.getElementById('dag').dataset.canAct === 'true';
  const dagId = document.getElementById('dag').dataset.dagId;
  const tbody = document.querySelector('#runs tbody');
  const state = document.getElementById('run-state-filter');
  const from = document.getElementById('run-date-from');
  const to = document.getElementById('run-date-to');

  function url() {
    const query = new URLSearchParams();
    if (state.value) query.set('state', state.value);
    if (from.value) query.set('from', from.value);
    if (to.value) query.set('to', to.value);
    const text = query.toString();
    return '/ui/data/dags/' + enc(dagId) + '/runs' + (text ? '?' + text : '');
  }

  function render(data) {
    clear(tbody);
    for (const run of data.runs) {
      tbody.append(el('tr', { 'data-run-id': run.run_id, 'data-state': run.state },
        el('td', {}, stateBadge(run.state)),
        el('td', {}, el('a', { href: '/dags/' + enc(dagId) + '/graph?run_id=' + enc(run.run_id), text: run.run_id })),
        el('td', { text: run.run_type }),
        el('td', { text: date(run.logical_date) }),
        el('td', { text: date(run.start_date) }),
        el('td', { text: date(run.end_date) }),
        el('td', { text: duration(run.duration) }),
        el('td', {}, el('code', { text: run.conf || '{}' })),
        el('td', { class: 'row-actions' }, ...(canAct ? markButtons(run) : []))));
    }
    if (data.runs.length === 0) tbody.append(el('tr', {}, el('td', { colspan: 9, class: 'muted', text: 'No runs match.' })));
  }

  /** Mark success / mark failed for a run, through the REST API. */
  function markButtons(run) {
    return ['success', 'failed'].filter((state) => state !== run.state).map((state) => {
      const button = el('button', { type: 'button', class: 'mark-run', 'data-state': state, text: 'Mark ' + state });
      button.addEventListener('click', async () => {
        button.disabled = true;
        showError('action-error', null);
        try {
          await api('PATCH', '/api/v1/dags/' + enc(dagId) + '/dagRuns/' + enc(run.run_id), { state });
          refresher.now();
        } catch (e) {
          showError('action-error', new Error(run.run_id + ': ' + e.message));
          button.disabled = false;
        }
      });
      return button;
    });
  }

  const refresher = poll(async () => { render(await getJson(url())); return true; }, 5000);
  for (const input of [state, from, to]) input.addEventListener('change', () => refresher.now());
  document.addEventListener('weir:refresh', () => refresher.now());
})();
