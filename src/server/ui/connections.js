// The Connections view: each connection with its status badge and configurations, and the
// dialogs that create and edit them. Errors from the API are shown beside their fields.
import { api, ApiError, getToken } from './api.js';
import { badge, clearFieldErrors, formatTime, h, showFieldErrors, showFormError } from './dom.js';

const CONNECTION_FIELDS = ['name', 'description', 'frequencyMinutes', 'hostPort', 'edgeGateway'];
const CONFIGURATION_FIELDS = [
  'name',
  'description',
  'tenantId',
  'clientId',
  'clientSecret',
  'subscriptionId',
  'cloud',
  'loginUrl',
  'apiUrl',
  'graphUrl',
  'apiScope',
  'graphScope',
  'caFile',
];
const SECRET_PLACEHOLDER = 'stored — leave empty to keep';

let editing = { connection: null, configuration: null };
let onChange = () => {};
let requireSignIn = () => {};

/** Wires the dialogs; `changed` re-renders, `signIn` opens the sign-in dialog. */
export function initConnections({ changed, signIn }) {
  onChange = changed;
  requireSignIn = signIn;
  document
    .querySelector('#new-connection')
    .addEventListener('click', () => openConnectionDialog(null));
  document.querySelector('#connection-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveConnection(event.target);
  });
  document.querySelector('#configuration-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveConfiguration(event.target);
  });
  document.querySelector('#configuration-cloud').addEventListener('change', syncCustomUrls);
  for (const button of document.querySelectorAll('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog').close());
  }
}

/** Renders connections with their status. */
export function renderConnections(connections, statuses) {
  const list = document.querySelector('#connection-list');
  if (connections.length === 0) {
    list.replaceChildren(
      h('p', { class: 'empty' }, 'No connection yet. Create one to start importing from Defender.'),
    );
    return;
  }
  const byName = new Map(statuses.map((s) => [s.connection, s]));
  list.replaceChildren(...connections.map((c) => connectionCard(c, byName.get(c.name))));
}

function connectionCard(connection, status) {
  const state = status?.state ?? 'unavailable';
  const cfgStatus = new Map((status?.configurations ?? []).map((s) => [s.configuration, s]));
  return h(
    'article',
    {
      class: 'card',
      'data-connection': connection.name,
      'aria-label': `Connection ${connection.name}`,
    },
    h(
      'div',
      { class: 'card-head' },
      h('h2', {}, connection.name),
      h('span', { 'data-testid': 'connection-status' }, badge(state)),
      h('span', { class: 'spacer' }),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () => openConnectionDialog(connection),
        },
        'Edit',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: () => openConfigurationDialog(connection.name, null),
        },
        'Add configuration',
      ),
      h(
        'button',
        { type: 'button', class: 'small', onclick: () => runNow(connection.name) },
        'Run now',
      ),
      h(
        'button',
        { type: 'button', class: 'danger small', onclick: () => deleteConnection(connection.name) },
        'Delete',
      ),
    ),
    h(
      'p',
      { class: 'meta' },
      `${connection.description || 'No description'} · every ${connection.frequencyMinutes} min · port ${connection.hostPort}`,
      connection.edgeGateway ? ` · via ${connection.edgeGateway}` : '',
    ),
    status?.state === 'error'
      ? h('p', { class: 'status-message' }, `${status.category}: ${status.message}`)
      : null,
    configurationTable(connection, cfgStatus),
  );
}

function configurationTable(connection, cfgStatus) {
  if (connection.configurations.length === 0) {
    return h(
      'p',
      { class: 'meta' },
      'No configuration yet: add one with the tenant and application of a Defender tenant.',
    );
  }
  const rows = connection.configurations.map((cfg) => {
    const status = cfgStatus.get(cfg.name) ?? { state: 'unavailable' };
    return h(
      'tr',
      { 'data-configuration': cfg.name },
      h('td', {}, h('strong', {}, cfg.name), h('div', { class: 'meta' }, cfg.description)),
      h('td', {}, h('code', {}, cfg.tenantId), h('div', { class: 'meta' }, cfg.cloud)),
      h(
        'td',
        {},
        badge(status.state),
        status.isRunning ? [' ', badge('running', 'running')] : null,
        status.state === 'error'
          ? h('div', { class: 'status-message' }, `${status.category}: ${status.message}`)
          : null,
        status.state === 'unavailable' && status.message
          ? h('div', { class: 'meta' }, status.message)
          : null,
      ),
      h('td', {}, formatTime(status.lastSuccessAt)),
      h('td', {}, formatTime(status.nextRunAt)),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onclick: () => openConfigurationDialog(connection.name, cfg),
          },
          'Edit',
        ),
        ' ',
        h(
          'button',
          { type: 'button', class: 'small', onclick: () => runNow(connection.name, cfg.name) },
          'Run now',
        ),
      ),
    );
  });
  return h(
    'table',
    { class: 'configurations' },
    h('caption', { class: 'visually-hidden' }, `Configurations of ${connection.name}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Configuration', 'Tenant', 'Status', 'Last success', 'Next run', 'Actions'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

function openConnectionDialog(connection) {
  if (!getToken()) return requireSignIn();
  const form = document.querySelector('#connection-form');
  clearFieldErrors(form);
  form.querySelector('.form-error').hidden = true;
  editing = { connection: connection?.name ?? null, configuration: null };
  document.querySelector('#connection-dialog-title').textContent = connection
    ? `Edit connection ${connection.name}`
    : 'New connection';
  const values = connection ?? {
    name: '',
    description: '',
    frequencyMinutes: 60,
    hostPort: 443,
    edgeGateway: '',
  };
  for (const field of CONNECTION_FIELDS) form.elements[field].value = values[field] ?? '';
  form.elements.name.readOnly = connection !== null;
  document.querySelector('#connection-dialog').showModal();
}

function openConfigurationDialog(connectionName, cfg) {
  if (!getToken()) return requireSignIn();
  const form = document.querySelector('#configuration-form');
  clearFieldErrors(form);
  form.querySelector('.form-error').hidden = true;
  editing = { connection: connectionName, configuration: cfg?.name ?? null };
  document.querySelector('#configuration-dialog-title').textContent = cfg
    ? `Edit configuration ${cfg.name} of ${connectionName}`
    : `Add configuration to ${connectionName}`;
  for (const field of CONFIGURATION_FIELDS)
    form.elements[field].value = field === 'clientSecret' ? '' : (cfg?.[field] ?? '');
  if (!cfg) form.elements.cloud.value = 'commercial';
  form.elements.clientSecret.placeholder = cfg?.hasClientSecret ? SECRET_PLACEHOLDER : '';
  syncCustomUrls();
  document.querySelector('#configuration-dialog').showModal();
}

function syncCustomUrls() {
  document.querySelector('#custom-urls').disabled =
    document.querySelector('#configuration-cloud').value !== 'custom';
}

function formValues(form, fields) {
  const body = {};
  for (const field of fields) {
    const value = form.elements[field].value.trim();
    if (value !== '') body[field] = value;
  }
  return body;
}

async function saveConnection(form) {
  const body = formValues(form, CONNECTION_FIELDS);
  const path = editing.connection
    ? `/api/connections/${encodeURIComponent(editing.connection)}`
    : '/api/connections';
  await submit(form, 'connection', () => api(editing.connection ? 'PUT' : 'POST', path, body));
}

async function saveConfiguration(form) {
  const body = formValues(form, CONFIGURATION_FIELDS);
  const base = `/api/connections/${encodeURIComponent(editing.connection)}/configurations`;
  const path = editing.configuration
    ? `${base}/${encodeURIComponent(editing.configuration)}`
    : base;
  await submit(form, 'configuration', () =>
    api(editing.configuration ? 'PUT' : 'POST', path, body),
  );
}

async function submit(form, prefix, send) {
  clearFieldErrors(form);
  form.querySelector('.form-error').hidden = true;
  try {
    await send();
    form.closest('dialog').close();
    onChange();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) {
      showFormError(form, 'Your session has no valid API token: sign in again.');
      return;
    }
    const unplaced = showFieldErrors(form, prefix, err.fields);
    if (err.fields.length === 0 || unplaced.length > 0)
      showFormError(form, unplaced.join(' ') || err.message);
  }
}

async function runNow(connection, configuration) {
  if (!getToken()) return requireSignIn();
  const path = configuration
    ? `/api/connections/${encodeURIComponent(connection)}/configurations/${encodeURIComponent(configuration)}/run`
    : `/api/connections/${encodeURIComponent(connection)}/run`;
  await guarded(() => api('POST', path));
}

async function deleteConnection(name) {
  if (!getToken()) return requireSignIn();
  if (
    !confirm(
      `Delete connection ${name}, its configurations and their history? The imported graph data stays.`,
    )
  )
    return;
  await guarded(() => api('DELETE', `/api/connections/${encodeURIComponent(name)}`));
}

async function guarded(send) {
  try {
    await send();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    document.dispatchEvent(new CustomEvent('flash', { detail: err.message }));
  }
  onChange();
}
