// The Data Explorer: search an IP address, host name or MAC address and show the assets that
// hold it now and held it before, each with its risk explained factor by factor.
import { api, ApiError } from './api.js';
import { badge, formatTime, h } from './dom.js';

const PLACEHOLDERS = {
  ip: '10.0.0.5',
  host: 'laptop-042.contoso.mock.test',
  mac: '00:1a:2b:3c:4d:5e',
};

/** Wires the search form. */
export function initExplorer() {
  const form = document.querySelector('#search-form');
  const kind = document.querySelector('#search-kind');
  kind.addEventListener('change', () => {
    document.querySelector('#search-value').placeholder = PLACEHOLDERS[kind.value];
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void search(kind.value, document.querySelector('#search-value').value.trim());
  });
}

async function search(kind, value) {
  const error = document.querySelector('#search-error');
  const results = document.querySelector('#search-results');
  error.hidden = true;
  results.setAttribute('aria-busy', 'true');
  try {
    const result = await api('GET', `/api/search?${kind}=${encodeURIComponent(value)}`);
    renderResult(result);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    error.textContent = err.message;
    error.hidden = false;
    results.replaceChildren();
  } finally {
    results.removeAttribute('aria-busy');
  }
}

function renderResult(result) {
  const parts = [
    h(
      'p',
      { class: 'meta' },
      `Searched ${result.kind} ${result.query}`,
      result.canonical !== result.query ? ` (as ${result.canonical})` : '',
    ),
    result.note ? h('p', { class: 'flash info' }, result.note) : null,
    h('h2', { class: 'holders-title' }, `Current holders (${result.current.length})`),
    result.current.length === 0
      ? h('p', { class: 'empty' }, 'No asset holds this value now.')
      : result.current.map(holderCard),
    h('h2', { class: 'holders-title' }, `Past holders (${result.past.length})`),
    result.past.length === 0
      ? h('p', { class: 'meta' }, 'No asset held it before.')
      : result.past.map(holderCard),
  ];
  document.querySelector('#search-results').replaceChildren(...parts.flat().filter(Boolean));
}

function holderCard(holder) {
  const asset = holder.asset;
  const risk = asset.risk;
  return h(
    'article',
    {
      class: 'card asset-card',
      'data-asset': asset.externalId,
      'aria-label': `Asset ${asset.name ?? asset.externalId}`,
    },
    h(
      'div',
      { class: 'card-head' },
      h('h3', {}, asset.name ?? asset.externalId),
      badge(asset.lifecycle),
      asset.hasEdr ? null : badge('unknown', 'no EDR'),
      asset.possibleDuplicateOf
        ? badge('partial', `possible duplicate of ${asset.possibleDuplicateOf}`)
        : null,
      h('span', { class: 'spacer' }),
      h(
        'span',
        { class: 'risk-score', 'data-testid': 'risk-score' },
        risk.score === null ? '?' : risk.score.toFixed(1),
      ),
      badge(risk.level, `${risk.level} risk`),
    ),
    h(
      'div',
      { class: 'asset' },
      h(
        'dl',
        {},
        ...pair('Defender id', h('code', {}, asset.externalId)),
        ...pair('OS', asset.os ?? '—'),
        ...pair('Health', asset.healthStatus ?? '—'),
        ...pair('Onboarding', asset.onboardingStatus ?? '—'),
        ...pair('Asset last seen', formatTime(asset.lastSeen)),
        ...pair(
          'Held this value',
          `${formatTime(holder.firstSeen)} → ${formatTime(holder.lastSeen)}`,
        ),
      ),
      h(
        'dl',
        {},
        ...pair('Host names', asset.hostnames.join(', ') || '—'),
        ...pair('IP addresses', asset.ipAddresses.join(', ') || '—'),
        ...pair('MAC addresses', asset.macAddresses.join(', ') || '—'),
        ...pair('Users', asset.users.join(', ') || '—'),
        ...pair(
          'Open alerts',
          asset.openAlerts.map((a) => `${a.title} (${a.severity ?? 'unknown'})`).join('; ') ||
            'none',
        ),
        ...pair(
          'Worst vulnerabilities',
          asset.worstVulnerabilities.map((v) => `${v.id} (${v.score ?? '?'})`).join(', ') || 'none',
        ),
      ),
      riskTable(risk),
    ),
  );
}

function riskTable(risk) {
  return h(
    'table',
    { class: 'risk' },
    h(
      'caption',
      {},
      `Risk ${risk.score === null ? 'unknown' : `${risk.score.toFixed(1)} of 10`}, explained`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Factor', 'Value', 'Contribution', 'Why'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      ...risk.factors.map((f) =>
        h(
          'tr',
          { class: 'risk-factor' },
          h('td', {}, f.name),
          h('td', {}, f.value),
          h('td', { class: 'num' }, formatContribution(f.contribution)),
          h('td', {}, f.explanation),
        ),
      ),
    ),
  );
}

function formatContribution(value) {
  return value > 0 ? `+${value}` : String(value);
}

function pair(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}
