// Small DOM helpers. Text always goes through textContent, never innerHTML, so values from the
// API (asset names, messages) cannot inject markup.

/** Creates an element: h('td', { class: 'num' }, 'text', childNode). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function badge(state, label = state) {
  return h('span', { class: `badge ${state}` }, label);
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** Shows each API field error beside its input (`<prefix>-<field>-error`); returns those left. */
export function showFieldErrors(form, prefix, fields) {
  clearFieldErrors(form);
  const unplaced = [];
  for (const item of fields) {
    const input = form.querySelector(`#${prefix}-${item.field}`);
    const slot = form.querySelector(`#${prefix}-${item.field}-error`);
    if (!input || !slot) {
      unplaced.push(item.message);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    slot.textContent = item.message;
    slot.hidden = false;
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return unplaced;
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('[aria-invalid]'))
    input.removeAttribute('aria-invalid');
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
}

/** Shows a form-level message (e.g. sign in first). */
export function showFormError(form, message) {
  const slot = form.querySelector('.form-error');
  slot.textContent = message;
  slot.hidden = false;
}
