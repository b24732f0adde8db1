// The Run history view: one row per run (including skipped ones), with counts, outcome and
// duration, and the full summary on demand.
import { badge, formatDuration, formatTime, h } from './dom.js';

/** Renders the history rows. */
export function renderRuns(runs) {
  const list = document.querySelector('#run-list');
  if (runs.length === 0) {
    list.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        'No run yet. Runs appear here as soon as a configuration starts importing.',
      ),
    );
    return;
  }
  const head = [
    'Started',
    'Connection / configuration',
    'Trigger',
    'Outcome',
    'Duration',
    'Machines read',
    'Records written',
    'Details',
  ];
  list.replaceChildren(
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Run history, newest first'),
      h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...runs.map(runRow)),
    ),
  );
}

function runRow(run) {
  const summary = run.summary;
  const written = summary ? Object.values(summary.written ?? {}).reduce((a, b) => a + b, 0) : null;
  const machines = summary?.entities?.machines?.read ?? null;
  return h(
    'tr',
    { 'data-outcome': run.outcome },
    h('td', {}, formatTime(run.startedAt)),
    h('td', {}, `${run.connection} / ${run.configuration}`),
    h('td', {}, run.trigger, summary?.mode ? h('div', { class: 'meta' }, summary.mode) : null),
    h('td', {}, badge(run.outcome)),
    h('td', { class: 'num' }, formatDuration(run.durationMs)),
    h('td', { class: 'num' }, machines ?? '—'),
    h('td', { class: 'num' }, written ?? '—'),
    h(
      'td',
      {},
      run.reason ? h('div', {}, run.reason) : null,
      summary ? summaryDetails(summary) : null,
    ),
  );
}

function summaryDetails(summary) {
  const entityRows = Object.entries(summary.entities ?? {}).map(([name, counts]) =>
    h(
      'tr',
      {},
      h('td', {}, name),
      h('td', { class: 'num' }, counts.read),
      h('td', { class: 'num' }, counts.written),
      h('td', { class: 'num' }, counts.deactivated),
      h(
        'td',
        {},
        Object.entries(counts.skipped ?? {})
          .map(([reason, n]) => `${reason}: ${n}`)
          .join(', ') || '—',
      ),
    ),
  );
  const calls = Object.entries(summary.apiCalls ?? {})
    .map(([family, n]) => `${family} ${n}`)
    .join(', ');
  return h(
    'details',
    {},
    h('summary', {}, 'Summary'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Entity', 'Read', 'Written', 'Deactivated', 'Skipped'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h('tbody', {}, ...entityRows),
    ),
    h(
      'p',
      { class: 'meta' },
      `API calls: ${calls || 'none'} · throttle waits: ${summary.throttleWaits} · retries: ${summary.retries}`,
    ),
    (summary.disabled ?? []).length > 0
      ? h(
          'p',
          { class: 'meta' },
          `Disabled: ${summary.disabled.map((d) => `${d.part} (${d.reason})`).join('; ')}`,
        )
      : null,
  );
}
