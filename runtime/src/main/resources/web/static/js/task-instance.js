// A task instance: state, tries, XCom and rendered fields every 3 s; the chosen try's log tailed
// by offset (only new text is fetched and appended); clear and mark through the REST API.
'use strict';
(function () {
  const { el, getJson, api, poll, enc, clear, date, duration, showError } = window.Weir;
  const section = document.getElementById('task-instance');
  const dagId = section.dataset.dagId;
  const runId = section.dataset.runId;
  const taskId = section.dataset.taskId;
  const mapIndex = Number(section.dataset.mapIndex);
  const trySelect = document.getElementById('try');
  const log = document.getElementById('log');
  const follow = document.getElementById('log-follow');
  const query = 'run_id=' + enc(runId) + '&task_id=' + enc(taskId) + (mapIndex >= 0 ? '&map_index=' + mapIndex : '');
  const base = '/ui/data/dags/' + enc(dagId);
  // An alert's link names the try it is about (?try=N); the latest try is shown otherwise.
  const linkedTry = Number(new URLSearchParams(window.location.search).get('try')) || 0;
  let shownTry = 0;
  let offset = 0;
  let logDone = false;
  let userChoseTry = false;
  let triesShape = '';
  let refresher = null;

  function render(data) {
    const badge = document.getElementById('ti-state');
    badge.dataset.state = data.state;
    badge.textContent = data.state;
    badge.setAttribute('class', 'run-state state-' + data.state);
    showError('ti-error', data.error ? new Error(data.error) : null);
    const tries = document.querySelector('#tries tbody');
    clear(tries);
    for (const t of data.tries) {
      tries.append(el('tr', { 'data-try-number': t.try_number, 'data-state': t.state },
        el('td', { text: t.try_number }),
        el('td', {}, el('span', { class: 'run-state state-' + t.state, 'data-state': t.state, text: t.state })),
        el('td', { text: date(t.start_date) }), el('td', { text: date(t.end_date) }),
        el('td', { text: duration(t.duration) }), el('td', { text: t.hostname || '' }),
        el('td', { class: 'error', text: t.error || '' })));
    }
    const shape = data.tries.map((t) => t.try_number).join(',');
    if (shape !== triesShape) {
      triesShape = shape;
      clear(trySelect);
      for (const t of data.tries) trySelect.append(el('option', { value: t.try_number, text: 'Try ' + t.try_number }));
      const latest = data.tries.length ? data.tries[data.tries.length - 1].try_number : 0;
      if (!userChoseTry && linkedTry && data.tries.some((t) => t.try_number === linkedTry)) {
        userChoseTry = true;
        switchTry(linkedTry);
      } else if (!userChoseTry && latest !== shownTry) switchTry(latest);
      trySelect.value = String(shownTry);
    }
    const xcom = document.querySelector('#xcom tbody');
    clear(xcom);
    for (const x of data.xcom) {
      xcom.append(el('tr', { 'data-key': x.key }, el('td', { text: x.key }), el('td', { text: x.map_index }), el('td', {}, el('pre', { class: 'value', text: x.value }))));
    }
    if (data.xcom.length === 0) xcom.append(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: 'No XCom.' })));
    const rendered = document.querySelector('#rendered tbody');
    clear(rendered);
    if (!data.rendered_recorded) {
      rendered.append(el('tr', {}, el('td', { colspan: 2, class: 'muted', text: data.rendered_try_number ? 'not recorded for try ' + data.rendered_try_number : 'not recorded' })));
    } else {
      for (const [name, value] of Object.entries(data.rendered)) {
        rendered.append(el('tr', { 'data-field': name }, el('td', { text: name }), el('td', {}, el('pre', { class: 'value', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }))));
      }
    }
    return data;
  }

  function switchTry(tryNumber) {
    shownTry = tryNumber;
    offset = 0;
    logDone = false;
    log.textContent = tryNumber ? '' : 'No try has started yet.';
    logPoller.now();
    if (refresher && userChoseTry) refresher.now();
  }

  async function tailLog() {
    if (!shownTry || logDone) return true;
    const chunk = await getJson(base + '/log?' + query + '&try_number=' + shownTry + '&offset=' + offset);
    if (chunk.content) {
      log.append(document.createTextNode(chunk.content));
      if (follow.checked) log.scrollTop = log.scrollHeight;
    }
    offset = chunk.offset;
    logDone = chunk.complete;
    // Read again at once while a long log is coming in chunks.
    if (chunk.content && !chunk.complete) setTimeout(() => logPoller.now(), 0);
    return true;
  }

  const logPoller = poll(tailLog, 1500);
  // The rendered fields shown are the chosen try's.
  refresher = poll(async () => {
    render(await getJson(base + '/task-instance?' + query + (shownTry ? '&try_number=' + shownTry : '')));
    return true;
  }, 3000);
  trySelect.addEventListener('change', () => { userChoseTry = true; switchTry(Number(trySelect.value)); });

  async function act(button, call) {
    const error = document.getElementById('action-error');
    showError(error, null);
    button.disabled = true;
    try {
      await call();
      userChoseTry = false;
      refresher.now();
    } catch (e) {
      showError(error, e);
    } finally {
      button.disabled = false;
    }
  }

  if (section.dataset.canAct === 'true') {
    const options = document.getElementById('clear-options');
    document.getElementById('clear').addEventListener('click', () => { options.hidden = !options.hidden; });
    const confirm = document.getElementById('clear-confirm');
    confirm.addEventListener('click', () => act(confirm, async () => {
      await api('POST', '/api/v1/dags/' + enc(dagId) + '/clearTaskInstances', {
        dag_run_id: runId, task_ids: [taskId],
        include_downstream: document.getElementById('clear-downstream').checked,
        include_upstream: document.getElementById('clear-upstream').checked,
        only_failed: document.getElementById('clear-only-failed').checked,
        dry_run: false,
      });
      options.hidden = true;
    }));
    for (const [id, state] of [['mark-success', 'success'], ['mark-failed', 'failed']]) {
      const button = document.getElementById(id);
      button.addEventListener('click', () => act(button, () => {
        const body = { new_state: state, include_upstream: false, include_downstream: false };
        if (mapIndex >= 0) body.map_index = mapIndex;
        return api('PATCH', '/api/v1/dags/' + enc(dagId) + '/dagRuns/' + enc(runId) + '/taskInstances/' + enc(taskId), body);
      }));
    }
  }
})();
