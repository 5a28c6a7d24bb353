// A DAG page's header: pause/unpause and trigger with a conf editor, through the REST API.
'use strict';
(function () {
  const { api, enc, showError } = window.Weir;
  const section = document.getElementById('dag');
  const dagId = section.dataset.dagId;

  const pause = document.getElementById('pause-toggle');
  if (pause && section.dataset.canAct === 'true') {
    pause.addEventListener('click', async () => {
      const paused = pause.dataset.paused !== 'true';
      pause.disabled = true;
      try {
        const dag = await api('PATCH', '/api/v1/dags/' + enc(dagId), { is_paused: paused });
        const now = dag && typeof dag.is_paused === 'boolean' ? dag.is_paused : paused;
        pause.dataset.paused = String(now);
        pause.textContent = now ? 'Unpause' : 'Pause';
        showError('page-error', null);
      } catch (e) {
        showError('page-error', e);
      } finally {
        pause.disabled = false;
      }
    });
  }

  const trigger = document.getElementById('trigger');
  const form = document.getElementById('trigger-form');
  if (trigger && form) {
    trigger.addEventListener('click', () => { form.hidden = !form.hidden; });
    document.getElementById('trigger-cancel').addEventListener('click', () => { form.hidden = true; });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const error = document.getElementById('trigger-error');
      showError(error, null);
      let conf;
      try {
        const text = document.getElementById('trigger-conf').value.trim();
        conf = text ? JSON.parse(text) : {};
      } catch (e) {
        showError(error, new Error('the conf is not valid JSON: ' + e.message));
        return;
      }
      const body = { conf };
      const logicalDate = document.getElementById('trigger-logical-date').value.trim();
      if (logicalDate) body.logical_date = logicalDate;
      const submit = document.getElementById('trigger-submit');
      submit.disabled = true;
      try {
        const run = await api('POST', '/api/v1/dags/' + enc(dagId) + '/dagRuns', body);
        form.hidden = true;
        document.dispatchEvent(new CustomEvent('weir:refresh', { detail: run }));
        if (section.dataset.tab !== 'grid' && section.dataset.tab !== 'runs') {
          location.assign('/dags/' + enc(dagId) + '/grid');
        }
      } catch (e) {
        showError(error, e);
      } finally {
        submit.disabled = false;
      }
    });
  }
})();
