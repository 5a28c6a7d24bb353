// Weir's page helpers: JSON fetches, REST API actions with the CSRF token, DOM building with
// textContent only (never innerHTML with data), polling and formatting.
'use strict';
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';

  /** Builds an element; children may be elements or strings (inserted as text). */
  function el(tag, attrs, ...children) {
    const svg = ['svg', 'g', 'rect', 'text', 'path', 'line', 'circle', 'title', 'polyline', 'defs', 'marker'];
    const node = svg.includes(tag)
      ? document.createElementNS('http://www.w3.org/2000/svg', tag)
      : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Reads JSON; throws an Error with the server's message. */
  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    return answer(response);
  }

  /** Calls the REST API with the session's CSRF token; throws with the problem's detail. */
  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return answer(response);
  }

  async function answer(response) {
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!response.ok) {
      const detail = json && (json.detail || json.title);
      throw new Error(detail || ('HTTP ' + response.status + ' ' + response.statusText));
    }
    return json;
  }

  /** Shows a message (or clears it) in an error element. */
  function showError(target, error) {
    const node = typeof target === 'string' ? document.getElementById(target) : target;
    if (!node) return;
    node.textContent = error ? (error.message || String(error)) : '';
  }

  /** Runs task now and then every ms while it returns true (or undefined); errors go to #page-error. */
  function poll(task, ms) {
    let timer = null;
    let failed = false;
    async function tick() {
      let again = true;
      try {
        const result = await task();
        again = result !== false;
        if (failed) showError('page-error', null);
        failed = false;
      } catch (e) {
        failed = true;
        showError('page-error', e);
      }
      if (again) timer = setTimeout(tick, ms);
    }
    tick();
    return { stop() { clearTimeout(timer); }, now() { clearTimeout(timer); tick(); } };
  }

  function stateBadge(state, extra) {
    const s = state || 'none';
    return el('span', Object.assign({ class: 'run-state state-' + s, 'data-state': s, title: s, text: s }, extra || {}));
  }

  function date(iso) {
    if (!iso) return '';
    return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '';
    const s = Math.round(seconds * 10) / 10;
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + Math.round(s % 60) + 's';
    return Math.floor(m / 60) + 'h ' + (m % 60) + 'm';
  }

  function enc(value) { return encodeURIComponent(value); }

  function taskInstanceUrl(dagId, runId, taskId, mapIndex) {
    let url = '/dags/' + enc(dagId) + '/runs/' + enc(runId) + '/tasks/' + enc(taskId);
    if (mapIndex !== undefined && mapIndex !== null && mapIndex >= 0) url += '?map_index=' + mapIndex;
    return url;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  window.Weir = { el, getJson, api, showError, poll, stateBadge, date, duration, enc, taskInstanceUrl, clear };
})();
