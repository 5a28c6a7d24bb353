// Connections, variables and pools: tables from /ui/data, edits through the REST API (Op and up).
// Secrets never come to the page: passwords and extras are write-only, secret variables show ***.
'use strict';
(function () {
  const { el, getJson, api, poll, enc, clear, showError } = window.Weir;
  const section = document.getElementById('admin');
  const kind = section.dataset.kind;
  const canEdit = section.dataset.canEdit === 'true';
  const form = document.getElementById('edit-form');
  const tbody = document.querySelector('#' + kind + ' tbody');
  const KINDS = {
    connections: {
      id: 'connection_id', api: '/api/v1/connections',
      cells: (c) => [c.connection_id, c.conn_type, c.host, c.port, c.schema, c.login, c.has_password ? '(set)' : '', c.has_extra ? '(set)' : '', c.description],
      numbers: ['port'], writeOnly: ['password', 'extra'],
    },
    variables: {
      id: 'key', api: '/api/v1/variables',
      cells: (v) => [v.key, v.value, v.description], numbers: [], writeOnly: [],
    },
    pools: {
      id: 'name', api: '/api/v1/pools',
      cells: (p) => [p.name, p.slots, p.description], numbers: ['slots'], writeOnly: [],
    },
  };
  const spec = KINDS[kind];
  let editing = null;

  function render(data) {
    clear(tbody);
    for (const row of data[kind]) {
      const tr = el('tr', { 'data-id': row[spec.id] });
      for (const value of spec.cells(row)) tr.append(el('td', { text: value === null || value === undefined ? '' : value }));
      if (canEdit) {
        const edit = el('button', { type: 'button', class: 'edit', text: 'Edit' });
        edit.addEventListener('click', () => open(row));
        const remove = el('button', { type: 'button', class: 'delete', text: 'Delete' });
        remove.addEventListener('click', () => destroy(row[spec.id], remove));
        tr.append(el('td', { class: 'row-actions' }, edit, ' ', remove));
      }
      tbody.append(tr);
    }
  }

  function open(row) {
    editing = row ? row[spec.id] : null;
    form.reset();
    showError('form-error', null);
    for (const input of form.elements) {
      if (!input.name) continue;
      input.disabled = false;
      if (row && !spec.writeOnly.includes(input.name) && row[input.name] !== undefined && row[input.name] !== null) {
        // A secret variable's value stays unknown here: editing it means typing a new one.
        input.value = kind === 'variables' && input.name === 'value' && row.is_secret ? '' : row[input.name];
      }
      if (row && input.name === spec.id) input.disabled = true;
    }
    form.hidden = false;
  }

  async function destroy(id, button) {
    if (!window.confirm('Delete ' + id + '?')) return;
    button.disabled = true;
    try {
      await api('DELETE', spec.api + '/' + enc(id));
      refresher.now();
    } catch (e) {
      showError('page-error', e);
      button.disabled = false;
    }
  }

  if (canEdit) {
    document.getElementById('create').addEventListener('click', () => open(null));
    document.getElementById('cancel').addEventListener('click', () => { form.hidden = true; });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const input of form.elements) {
        if (!input.name || input.disabled) continue;
        const value = input.value;
        if (value === '' && (editing !== null || spec.writeOnly.includes(input.name))) continue;
        if (spec.numbers.includes(input.name)) body[input.name] = value === '' ? null : Number(value);
        else if (input.name === 'extra') {
          try { body.extra = JSON.parse(value); } catch (e) { showError('form-error', new Error('extra is not valid JSON: ' + e.message)); return; }
        } else body[input.name] = value;
      }
      try {
        if (editing === null) await api('POST', spec.api, body);
        else await api('PATCH', spec.api + '/' + enc(editing), body);
        form.hidden = true;
        refresher.now();
      } catch (e) {
        showError('form-error', e);
      }
    });
  }

  const refresher = poll(async () => {
    if (!form || form.hidden) render(await getJson('/ui/data/' + kind));
    return true;
  }, 10000);
})();
