// Datasets: producers, consumers and the latest events of each, refreshed every 10 s.
'use strict';
(function () {
  const { el, getJson, poll, enc, clear, date } = window.Weir;
  const tbody = document.querySelector('#datasets tbody');

  function render(data) {
    clear(tbody);
    for (const d of data.datasets) {
      const producers = el('ul', { class: 'plain' });
      for (const p of d.producers) {
        producers.append(el('li', {}, el('a', { href: '/dags/' + enc(p.dag_id) + '/graph', text: p.dag_id + '.' + p.task_id })));
      }
      const consumers = el('ul', { class: 'plain' });
      for (const c of d.consumers) consumers.append(el('li', {}, el('a', { href: '/dags/' + enc(c) + '/grid', text: c })));
      const events = el('ul', { class: 'plain events' });
      for (const e of d.events) {
        const source = e.source_dag_id ? e.source_dag_id + ' / ' + e.source_run_id + ' / ' + e.source_task_id : 'external';
        events.append(el('li', {}, el('span', { class: 'muted', text: date(e.timestamp) + ' ' }), el('span', { text: source })));
      }
      const details = el('details', {}, el('summary', { text: d.event_count + ' events' }), events);
      tbody.append(el('tr', { 'data-uri': d.uri },
        el('td', {}, el('code', { text: d.uri })), el('td', {}, producers), el('td', {}, consumers),
        el('td', { text: d.last_event_at ? date(d.last_event_at) : 'never' }), el('td', {}, details)));
    }
    if (data.datasets.length === 0) tbody.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No dataset is declared by a DAG.' })));
  }

  poll(async () => {
    // Keep open event lists open across refreshes.
    const open = new Set([...tbody.querySelectorAll('tr[data-uri] details[open]')].map((d) => d.closest('tr').dataset.uri));
    render(await getJson('/ui/data/datasets'));
    for (const tr of tbody.querySelectorAll('tr[data-uri]')) if (open.has(tr.dataset.uri)) tr.querySelector('details').open = true;
    return true;
  }, 10000);
})();
