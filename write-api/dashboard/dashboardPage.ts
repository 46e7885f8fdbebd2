import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { historyCharts } from "./charts/historyCharts.ts";
import type { DashboardState, RegionView } from "./dashboardView.ts";
import type { ReplicationHistory } from "./history/historySeries.ts";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const style = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.8em 1.5em;display:flex;gap:1em;align-items:baseline}
header h1{font-size:1.15em;margin:0}header small{opacity:.7}
main{max-width:92em;margin:1.2em auto;padding:0 1.5em}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:.8em 1.1em;margin-bottom:1.1em;overflow-x:auto}
h2{font-size:1em;margin:.1em 0 .6em}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;white-space:nowrap;padding:.35em .6em;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-weight:600;color:#5a6275;font-size:.85em;text-transform:uppercase;letter-spacing:.03em}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,monospace}
.pill{display:inline-block;border-radius:9px;padding:0 .55em;font-size:.85em;font-weight:600}
.equal,.up{background:#dff5e3;color:#17622b}.healed{background:#e3ecfd;color:#1d4ea3}.differs,.down{background:#fde2e1;color:#9b1c1c}
.unknown{background:#fdf3d7;color:#7a5800}
.banner{font-weight:600;font-size:1.05em}.muted{color:#7a8194}
.kv{display:flex;gap:2.5em;flex-wrap:wrap}.kv div b{display:block;font-size:1.5em;font-variant-numeric:tabular-nums}.kv code{font-size:.7em}
td.wrap{white-space:normal}
form{display:flex;gap:.6em;margin-top:.6em}input{flex:1;padding:.4em}button{padding:.4em 1em}
.error{color:#9b1c1c}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(34em,1fr));gap:.8em 1.6em}
figure.chart{margin:0}figure.chart svg[data-chart]{display:block;width:100%;height:auto}
figcaption{font-size:.95em}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.1em 1.2em;margin:.25em 0 .1em;padding:0;font-size:.85em}
.legend b{font-variant-numeric:tabular-nums}
.chart-notes{font-size:.85em;align-self:center}h2 small{font-weight:400;margin-left:.5em}`;

const shell = (nonce: string, title: string, body: Html): Html => html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style nonce="${nonce}">${style}</style>
</head>
<body>
<header><h1>edge-cqrs · replication</h1><small>write API dashboard</small></header>
<main>${body}</main>
</body>
</html>`;

/**
 * The login form: the admin token, POSTed to `/dashboard`, answered with a session cookie.
 *
 * @example
 * c.html(loginPage(nonce, "the token is not valid"), 401);
 */
export const loginPage = (nonce: string, error: string | null = null): Html =>
  shell(
    nonce,
    "Dashboard login · edge-cqrs",
    html`<section>
<h2>Sign in</h2>
<p class="muted">The dashboard shows operational data: it needs the write API's admin token (<code>ADMIN_TOKEN</code>).</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="dashboard">
<input type="password" name="token" autocomplete="current-password" placeholder="admin token" aria-label="admin token" required>
<button type="submit">Sign in</button>
</form>
</section>`,
  );

const short = (digest: string | null) => (digest ? digest.slice(0, 12) : "—");
const num = (n: number | null) => (n === null ? "—" : String(n));
const ms = (n: number | null) => (n === null ? "—" : `${n} ms`);

/** "3.2 s ago" against the state's own clock, the ISO time as the tooltip. */
const ago = (iso: string | null, at: string): Html | string => {
  if (!iso) return "—";
  const s = Math.max(0, (Date.parse(at) - Date.parse(iso)) / 1_000);
  const text = s < 60 ? `${s.toFixed(1)} s ago` : s < 3_600 ? `${Math.floor(s / 60)} min ago` : iso;
  return html`<time datetime="${iso}" title="${iso}">${text}</time>`;
};

/** A mark on a region whose views self-heal rebuilt, or found damaged and is holding off. */
const selfHealMark = (r: RegionView, at: string): Html | "" => {
  const s = r.selfHeal;
  if (!s) return "";
  const held = s.differsHeld
    ? html`<br><span class="pill differs" data-field="self-heal-held" title="the views differ from the primary's; the last switch was too recent to rebuild again">differs, heal held</span>`
    : "";
  if (s.heals === 0) return held;
  return html`<br><span class="pill healed" data-field="self-heal" title="rebuilt because its views differed from the primary's at the same watermark">self-healed ×${String(s.heals)}</span> <small class="muted">${ago(s.lastHealAt, at)}</small>${held}`;
};

const regionRow = (
  r: RegionView,
  at: string,
): Html => html`<tr data-region="${r.region}" data-agreement="${r.agreement}" data-reachable="${String(r.reachable)}">
<td><b>${r.region}</b><br><code class="muted">${r.url}</code></td>
<td>${r.runtime ?? "—"} / ${r.store ?? "—"}</td>
<td>${r.reachable ? html`<span class="pill up">reachable</span>` : html`<span class="pill down" title="${r.error ?? ""}">unreachable</span><br><small class="muted">${r.error}</small>`}</td>
<td class="n" data-field="watermark">${num(r.watermark)}</td>
<td class="n">${num(r.lagEvents)}</td>
<td class="n">${ms(r.lagMs)}</td>
<td><span class="pill ${r.agreement}">${r.agreement}</span> <code title="${r.digest ?? ""}">${short(r.digest)}</code>${r.agreementNote ? html`<br><small class="muted">${r.agreementNote}</small>` : ""}</td>
<td>${ago(r.lastApplyAt, at)}</td>
<td class="wrap">${r.lastPoison ? html`<span class="error">${r.lastPoison.message}</span><br><small class="muted">${ago(r.lastPoison.at, at)}</small>` : "—"}</td>
<td data-field="views">${r.views ? html`<code title="${r.views.active}">${short(r.views.active)}</code>${r.views.building ? html`<br><small class="muted">building ${r.views.building}</small>` : ""}` : "—"}${selfHealMark(r, at)}</td>
</tr>`;

const deadLetterSection = (state: DashboardState): Html => {
  const dlq = state.deadLetters;
  if (!dlq.available) return html`<p class="muted">${dlq.reason}</p>`;
  if (dlq.messages.length === 0) return html`<p class="muted">The dead-letter queue is empty.</p>`;
  const more = dlq.more
    ? html`<p class="muted">The queue holds more than 100 messages; the newest of the first 100 are shown.</p>`
    : "";
  return html`<table><thead><tr><th>dead-lettered</th><th>message</th><th>endpoint</th><th>last status</th><th>last response</th></tr></thead><tbody>
${dlq.messages.map(
  (m) =>
    html`<tr><td>${ago(m.createdAt, state.at)}</td><td><code>${m.messageId}</code></td><td><code>${m.url}</code></td><td>${num(m.responseStatus)}</td><td class="wrap"><code>${m.responseBody ?? ""}</code></td></tr>`,
)}
</tbody></table>${more}`;
};

/**
 * The live part of the page, served alone at `/dashboard/live` for refreshes:
 * one renderer for the first paint and every update. The charts are drawn
 * here too, server-side, so a refresh redraws them with nothing to run.
 *
 * @example
 * c.html(liveFragment(state, sampler.history(Date.now())));
 */
export const liveFragment = (state: DashboardState, history: ReplicationHistory | null): Html => {
  const agreeing = state.regions.filter((r) => r.agreement === "equal").length;
  const p = state.primary;
  return html`<section>
<p class="banner" data-testid="convergence" data-converged="${String(state.converged)}">${
    state.converged
      ? html`<span class="pill equal">converged</span> every region is at the head with the primary's digest`
      : html`<span class="pill unknown">not converged</span> ${agreeing} of ${state.regions.length} regions agree with the primary`
  }</p>
<div class="kv">
<div>primary head<b data-testid="primary-head">${p.head}</b></div>
<div>published to QStash<b data-testid="primary-published">${p.published}</b></div>
<div>inline views<b>${p.watermark}</b></div>
<div>digest<b><code title="${p.digest}">${short(p.digest)}</code></b></div>
</div>
</section>
<section>
<h2>Regions</h2>
<table><thead><tr><th>region</th><th>runtime / store</th><th>reachable</th><th>watermark</th><th>lag (events)</th><th>lag (ms)</th><th>digest vs primary</th><th>last apply</th><th>last poison</th><th>views</th></tr></thead>
<tbody>${state.regions.length === 0 ? html`<tr><td colspan="9" class="muted">No reader status URLs configured (READER_STATUS_URLS).</td></tr>` : state.regions.map((r) => regionRow(r, state.at))}</tbody></table>
</section>
${historyCharts(history)}
<section data-testid="dead-letters" data-available="${String(state.deadLetters.available)}">
<h2>Recent dead letters</h2>
${deadLetterSection(state)}
</section>
<p class="muted">Updated <time data-testid="updated-at">${state.at}</time></p>`;
};

// Refreshes the live part in place; a 401 (session expired, token rotated) goes back to the login form.
const refreshScript = `
const live = document.getElementById("live");
const every = Number(live.dataset.refreshMs);
const note = document.getElementById("refresh-note");
async function tick() {
  try {
    const res = await fetch("dashboard/live", { credentials: "same-origin", cache: "no-store" });
    if (res.status === 401) return location.reload();
    if (res.ok) { live.innerHTML = await res.text(); note.textContent = ""; }
    else note.textContent = "refresh failed: HTTP " + res.status;
  } catch (e) {
    note.textContent = "the write API is not answering";
  }
  setTimeout(tick, every);
}
setTimeout(tick, every);`;

/**
 * The whole dashboard: the live part and the script that refreshes it every `refreshMs`.
 *
 * @example
 * c.html(dashboardPage(nonce, state, history, 2_000));
 */
export const dashboardPage = (
  nonce: string,
  state: DashboardState,
  history: ReplicationHistory | null,
  refreshMs: number,
): Html =>
  shell(
    nonce,
    "Replication · edge-cqrs",
    html`<div id="live" data-refresh-ms="${refreshMs}">${liveFragment(state, history)}</div>
<p class="muted">Refreshes every ${refreshMs} ms. <span id="refresh-note" class="error"></span></p>
<form method="post" action="dashboard/logout"><button type="submit">Sign out</button></form>
<script nonce="${nonce}">${raw(refreshScript)}</script>`,
  );
