// Entry of the web UI: views by URL hash, the sign-in dialog, and polling of status and runs.
import { api, ApiError, getToken, setToken, takeTokenFromLocation } from './api.js';
import { initConnections, renderConnections } from './connections.js';
import { initExplorer } from './explorer.js';
import { renderRuns } from './runs.js';

const VIEWS = ['connections', 'runs', 'explorer'];
// Status moves from unavailable to connected within seconds of the first import; poll often.
const POLL_MS = 2000;

function currentView() {
  const name = location.hash.replace('#', '');
  return VIEWS.includes(name) ? name : 'connections';
}

function showView() {
  const view = currentView();
  for (const name of VIEWS) document.querySelector(`#view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  void refresh();
}

async function refresh() {
  try {
    const view = currentView();
    if (view === 'connections') {
      const [connections, statuses] = await Promise.all([
        api('GET', '/api/connections'),
        api('GET', '/api/status'),
      ]);
      renderConnections(connections, statuses);
    } else if (view === 'runs') {
      renderRuns(await api('GET', '/api/runs?limit=100'));
    }
    if (document.querySelector('#flash').dataset.kind === 'offline') flash('');
  } catch (err) {
    if (err instanceof ApiError) flash(err.message);
    else flash('The service cannot be reached; is mde-car serve still running?', 'offline');
  }
}

function flash(message, kind = 'notice') {
  const el = document.querySelector('#flash');
  el.dataset.kind = kind;
  el.textContent = message;
  el.hidden = !message;
}

function showSession() {
  const signedIn = Boolean(getToken());
  document.querySelector('#session-state').textContent = signedIn ? 'Signed in' : 'Read-only';
  document.querySelector('#sign-in').hidden = signedIn;
  document.querySelector('#sign-out').hidden = !signedIn;
}

function openSignIn() {
  const dialog = document.querySelector('#sign-in-dialog');
  document.querySelector('#token-error').hidden = true;
  document.querySelector('#token-input').value = '';
  dialog.showModal();
}

async function signIn(event) {
  event.preventDefault();
  const input = document.querySelector('#token-input');
  const error = document.querySelector('#token-error');
  setToken(input.value.trim());
  try {
    await api('POST', '/api/session');
    document.querySelector('#sign-in-dialog').close();
    showSession();
  } catch (err) {
    setToken(null);
    input.setAttribute('aria-invalid', 'true');
    error.textContent =
      err instanceof ApiError && err.status === 401
        ? 'That token is not right; copy it again from the api-token file.'
        : String(err.message);
    error.hidden = false;
    input.focus();
  }
}

function start() {
  takeTokenFromLocation();
  showSession();
  initConnections({ changed: () => void refresh(), signIn: openSignIn });
  initExplorer();
  document.querySelector('#sign-in').addEventListener('click', openSignIn);
  document.querySelector('#sign-out').addEventListener('click', () => {
    setToken(null);
    showSession();
  });
  document.querySelector('#sign-in-form').addEventListener('submit', (event) => void signIn(event));
  document.querySelector('#refresh-runs').addEventListener('click', () => void refresh());
  document.addEventListener('flash', (event) => flash(event.detail));
  window.addEventListener('hashchange', showView);
  showView();
  setInterval(() => {
    // Do not redraw under an open dialog or while the person is reading the explorer.
    if (
      !document.querySelector('dialog[open]') &&
      !document.querySelector('#run-list details[open]')
    )
      void refresh();
  }, POLL_MS);
}

start();
