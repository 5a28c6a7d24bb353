// The DAG list: rows drawn from /ui/data/dags, refreshed every few seconds; search, tags, pause.
'use strict';
(function () {
  const { el, getJson, api, poll, stateBadge, date, enc, clear, showError } = window.Weir;
  const table = document.getElementById('dags');
  const tbody = table.querySelector('tbody');
  const canPause = table.dataset.canPause === 'true';
  const search = document.getElementById('dag-search');
  const params = new URLSearchParams(location.search);
  let activeTag = params.get('tags') || '';
  let last = null;

  function render(data) {
    last = data;
    const query = search.value.trim().toLowerCase();
    clear(tbody);
    for (const dag of data.dags) {
      if (query && !dag.dag_id.toLowerCase().includes(query)
          && !(dag.description || '').toLowerCase().includes(query)) continue;
      if (activeTag && !dag.tags.includes(activeTag)) continue;
      const toggle = el('input', {
        type: 'checkbox', class: 'pause-toggle', checked: !dag.is_paused,
        disabled: !canPause, title: dag.is_paused ? 'Paused: click to unpause' : 'Active: click to pause',
        'aria-label': 'Active',
      });
      toggle.addEventListener('change', () => setPaused(dag.dag_id, !toggle.checked, toggle));
      const runs = el('span', { class: 'recent-runs' });
      for (const run of dag.recent_runs.slice().reverse()) {
        runs.append(el('a', { href: '/dags/' + enc(dag.dag_id) + '/grid', title: run.run_id },
          stateBadge(run.state, { title: run.run_id + ' ' + run.state, text: '' })));
      }
      const tags = el('span', { class: 'tags' });
      for (const tag of dag.tags) tags.append(tagLink(tag));
      const name = el('td', {},
        el('a', { class: 'dag-link', href: '/dags/' + enc(dag.dag_id) + '/grid', text: dag.dag_id }));
      if (dag.description) name.append(el('div', { class: 'muted', text: dag.description }));
      if (dag.has_import_errors) name.append(el('div', { class: 'error', text: 'import error in ' + dag.file }));
      tbody.append(el('tr', { 'data-dag-id': dag.dag_id, class: dag.is_active ? '' : 'inactive' },
        el('td', {}, toggle), name,
        el('td', { text: dag.schedule || '' }),
        el('td', { text: date(dag.next_run_at) }),
        el('td', {}, runs), el('td', {}, tags)));
    }
    const tagBar = document.getElementById('tags');
    clear(tagBar);
    if (activeTag) tagBar.append(el('a', { class: 'tag clear', href: '/dags', text: '× ' + activeTag }));
    for (const tag of data.tags) if (tag !== activeTag) tagBar.append(tagLink(tag));
    const banner = document.getElementById('import-errors');
    clear(banner);
    banner.hidden = data.import_errors.length === 0;
    if (data.import_errors.length) {
      banner.append(el('strong', { text: 'Import errors' }));
      const list = el('ul');
      for (const error of data.import_errors) {
        list.append(el('li', {}, el('code', { text: error.filename + ':' + error.line }), ' ', el('span', { text: error.message })));
      }
      banner.append(list);
    }
  }

  function tagLink(tag) {
    const link = el('a', { class: 'tag' + (tag === activeTag ? ' active' : ''), href: '/dags?tags=' + enc(tag), text: tag, 'data-tag': tag });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      activeTag = activeTag === tag ? '' : tag;
      history.replaceState(null, '', activeTag ? '/dags?tags=' + enc(activeTag) : '/dags');
      if (last) render(last);
    });
    return link;
  }

  async function setPaused(dagId, paused, toggle) {
    toggle.disabled = true;
    try {
      await api('PATCH', '/api/v1/dags/' + enc(dagId), { is_paused: paused });
      refresher.now();
    } catch (e) {
      toggle.checked = paused; // back to what it was
      showError('page-error', new Error(dagId + ': ' + e.message));
    } finally {
      toggle.disabled = !canPause;
    }
  }

  search.addEventListener('input', () => { if (last) render(last); });
  const refresher = poll(async () => { render(await getJson('/ui/data/dags')); }, 5000);
})();
