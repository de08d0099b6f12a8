// The reports page: plain browser JavaScript, no build step. The API key stays in this tab's
// sessionStorage and goes out only as a Bearer header to this server's /v1 routes.
'use strict';

const KEY_STORAGE = 'qc.apiKey';
const CITY = '150100000000';
/** The rows shown on screen; the download has them all. */
const SHOWN_ROWS = 500;
/** The structure figures the chart draws (column keys of the structure report). */
const CHART_FIELDS = ['grids', 'gridBranches', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds', 'organizations', 'members', 'fullMembers', 'probationaryMembers'];
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

/** A /v1 request with the key; a refusal becomes an Error with the server's message. */
async function api(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message || `${response.status} ${response.statusText}`);
  }
  return response;
}

function fillSelect(select, divisions, emptyLabel) {
  select.replaceChildren(new Option(emptyLabel, ''));
  for (const d of divisions) select.add(new Option(d.name, d.code));
  select.disabled = divisions.length === 0;
}

async function loadChildren(code, select, emptyLabel) {
  const division = await (await api(`/v1/divisions/${code}`)).json();
  fillSelect(select, division.children || [], emptyLabel);
}

/** The scope: what was typed, else the deepest division picked, else the city. */
function scope() {
  return $('scope').value.trim() || $('community').value || $('street').value || $('district').value || '';
}

function reportUrl(format) {
  const code = scope();
  return `/v1/reports/${$('report').value}?format=${format}${code ? `&scope=${encodeURIComponent(code)}` : ''}`;
}

function cellText(value, column) {
  if (value === null || value === undefined) return '';
  if (column.format === 'percent' && typeof value === 'number') return `${(value * 100).toFixed(2)}%`;
  if (typeof value === 'number') return value.toLocaleString('zh-CN');
  return String(value);
}

function renderTable(columns, rows) {
  const table = $('table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.textContent = c.header;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows.slice(0, SHOWN_ROWS)) {
    const tr = body.insertRow();
    tr.className = row.kind;
    row.cells.forEach((value, i) => {
      const td = tr.insertCell();
      td.textContent = cellText(value, columns[i]);
      if (columns[i].format !== 'text') td.className = 'n';
    });
  }
  $('more').textContent = rows.length > SHOWN_ROWS ? `仅显示前 ${SHOWN_ROWS} 行，共 ${rows.length} 行；完整内容请下载。` : '';
}

/** The scope's own figures: the last row of the structure report (its total). */
function renderFigures(columns, total) {
  const figures = $('figures');
  figures.replaceChildren();
  columns.forEach((column, i) => {
    if (!column.key || column.key === 'code') return;
    const box = document.createElement('div');
    box.className = 'figure';
    box.dataset.field = column.key;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = column.header;
    const value = document.createElement('span');
    value.className = 'value';
    value.dataset.value = total.cells[i] === null ? '' : String(total.cells[i]);
    value.textContent = cellText(total.cells[i], column);
    box.append(label, value);
    figures.appendChild(box);
  });
}

/** A horizontal bar per structure figure, as inline SVG. */
function renderChart(columns, total) {
  const bars = CHART_FIELDS.map((field) => {
    const i = columns.findIndex((c) => c.key === field);
    return { field, label: columns[i].header, value: Number(total.cells[i]) || 0 };
  });
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = 110, barArea = 520, rowHeight = 24, width = labelWidth + barArea + 70;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(bars.length * rowHeight + 8));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', '组织体系结构图');
  bars.forEach((b, n) => {
    const y = 4 + n * rowHeight;
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('x', String(labelWidth - 8));
    label.setAttribute('y', String(y + 15));
    label.setAttribute('text-anchor', 'end');
    label.textContent = b.label;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', 'bar');
    rect.dataset.field = b.field;
    rect.setAttribute('x', String(labelWidth));
    rect.setAttribute('y', String(y + 3));
    rect.setAttribute('height', String(rowHeight - 8));
    // A figure above zero always shows at least a sliver.
    rect.setAttribute('width', String(b.value > 0 ? Math.max(2, (b.value / max) * barArea) : 0));
    const value = document.createElementNS(SVG, 'text');
    value.setAttribute('x', String(labelWidth + (b.value / max) * barArea + 6));
    value.setAttribute('y', String(y + 15));
    value.textContent = b.value.toLocaleString('zh-CN');
    svg.append(label, rect, value);
  });
  $('chart').replaceChildren(svg);
}

async function show() {
  setStatus('正在生成…');
  try {
    const report = await (await api(reportUrl('json'))).json();
    $('title').textContent = report.title;
    $('subtitle').textContent = report.subtitle;
    const total = report.rows[report.rows.length - 1];
    const isStructure = $('report').value === 'structure';
    if (isStructure && total) {
      renderFigures(report.columns, total);
      renderChart(report.columns, total);
    } else {
      $('figures').replaceChildren();
      $('chart').replaceChildren();
    }
    renderTable(report.columns, report.rows);
    $('result').classList.remove('hidden');
    setStatus(`共 ${report.rows.filter((r) => r.kind === 'data').length} 行`);
  } catch (err) {
    setStatus(err.message, true);
  }
}

/** Fetches the file with the key (a plain link could not send it) and hands it to the browser as a download. */
async function download(format) {
  setStatus('正在下载…');
  try {
    const response = await api(reportUrl(format));
    const blob = await response.blob();
    const name = `${$('report').value}${scope() ? `-${scope()}` : ''}.${format}`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    setStatus(`已下载 ${name}`);
  } catch (err) {
    setStatus(err.message, true);
  }
}

async function start() {
  $('key-state').textContent = apiKey() ? '（已保存在本标签页）' : '';
  if (!apiKey()) return;
  try {
    await loadChildren(CITY, $('district'), '（全市）');
  } catch (err) {
    setStatus(err.message, true);
  }
}

$('save-key').addEventListener('click', () => {
  sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim());
  $('api-key').value = '';
  void start();
});
$('district').addEventListener('change', async () => {
  fillSelect($('community'), [], '（全部）');
  if ($('district').value) await loadChildren($('district').value, $('street'), '（全部）').catch((err) => setStatus(err.message, true));
  else fillSelect($('street'), [], '（全部）');
});
$('street').addEventListener('change', async () => {
  if ($('street').value) await loadChildren($('street').value, $('community'), '（全部）').catch((err) => setStatus(err.message, true));
  else fillSelect($('community'), [], '（全部）');
});
$('show').addEventListener('click', () => void show());
$('download').addEventListener('click', () => void download('xlsx'));
$('download-csv').addEventListener('click', () => void download('csv'));
void start();
