// Browser tests: playwright-core drives Debian's Chromium against a real `tars serve` (free
// loopback port, temporary SQLite database seeded with evaluations). Screenshots of every page go
// to web/test-results/. TARS=path/to/tars (default ../build/tars), CHROMIUM (default
// /usr/bin/chromium), E2E_SEED (evaluations seeded first, default 100000).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ADMIN_PASSWORD, TarsServer, assert, runTests, sleep, summary, waitFor } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const repo = path.resolve(webDir, '..');
const binary = path.resolve(repo, process.env.TARS ?? 'build/tars');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const seedCount = Number(process.env.E2E_SEED ?? 100000);
const results = path.join(webDir, 'test-results');
mkdirSync(results, { recursive: true });

const suiteStart = Date.now();
const server = new TarsServer({
  binary,
  webRoot: path.join(webDir, 'dist'),
  // Small reconnect parameters so that the outage test is quick: delays 1, 2, 2, ... s.
  env: { WEBSOCKET_MAX_RECONNECT_DELAY: '2' },
});
const measurements = {};
let browser;
let context;
let page;
let adminToken;

const shot = (name, target = page) => target.screenshot({ path: path.join(results, `${name}.png`), fullPage: true });
const indicator = () => page.locator('.status');
const level = () => indicator().getAttribute('data-level');

async function login(target, username = 'admin', password = ADMIN_PASSWORD) {
  await target.fill('input[name=username]', username);
  await target.fill('input[name=password]', password);
  await target.click('button[type=submit]');
  await target.waitForSelector('h1:text("Overview")');
}

const tests = [
  [
    'the login form validates, shows the server error, then logs in and connects',
    async () => {
      await page.goto(`${server.base}/`);
      await page.waitForSelector('form[aria-labelledby=login-title]');
      await page.click('button[type=submit]');
      await page.waitForSelector('#username-error');
      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', 'wrong password');
      await page.click('button[type=submit]');
      const alert = await page.waitForSelector('[role=alert]');
      assert((await alert.textContent()).includes('401'), 'the 401 is shown in place');
      await shot('01-login');
      await page.fill('input[name=password]', ADMIN_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('h1:text("Overview")');
      await waitFor('the indicator to turn green', async () => (await level()) === 'ok');
      assert((await indicator().textContent()).includes('Live'), 'indicator says Live in words');
      // Admin sees the Admin page in the navigation.
      assert(await page.locator('nav >> text=Admin').isVisible(), 'admin navigation');
      await page.evaluate(() => (window.__marker = 'no reload'));
    },
  ],
  [
    'the overview shows the four agents (or that the orchestrator is not running) and recent evaluations',
    async () => {
      await page.waitForSelector('text=Recent evaluations');
      // tars serve runs the orchestrator on ops_sim by default.
      const agents = await server.api('GET', '/api/v1/agents', { token: adminToken });
      assert(agents.status === 200, `GET /api/v1/agents: ${agents.status}`);
      await waitFor('four agent cards', async () => (await page.locator('.card').count()) === 4);
      await page.waitForSelector('table >> tbody tr');
      await shot('02-overview');
    },
  ],
  [
    'the evaluations page renders its first page of 100 000 rows quickly and pages',
    async () => {
      // A full load of /evaluations: navigation start to the first row on screen.
      const fresh = await context.newPage();
      await fresh.goto(`${server.base}/evaluations`);
      await fresh.waitForSelector('[data-testid=evaluations-table] tbody tr');
      measurements.evaluationsFullLoad = await fresh.evaluate(() => {
        const round = (x) => Math.round(x);
        const nav = performance.getEntriesByType('navigation')[0];
        const api = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/api/v1/'))
          .map((e) => `${new URL(e.name).pathname}${new URL(e.name).search.slice(0, 30)}: start ${round(e.startTime)} ms, took ${round(e.duration)} ms`);
        const mark = performance.getEntriesByName('tars:evaluations-rows')[0];
        return { firstRowsRenderedMs: round(mark.startTime), documentMs: round(nav.responseEnd), domContentLoadedMs: round(nav.domContentLoadedEventEnd), api };
      });
      await fresh.close();
      // Client-side navigation from the overview: click to first rows rendered.
      await page.evaluate(() => performance.clearMarks());
      const clickedAt = await page.evaluate(() => performance.now());
      await page.click('nav >> text=Evaluations');
      await page.waitForSelector('[data-testid=evaluations-table] tbody tr');
      measurements.evaluationsNavigationMs = await page.evaluate(
        (t) => Math.round(performance.getEntriesByName('tars:evaluations-rows')[0].startTime - t),
        clickedAt,
      );
      const label = await page.textContent('[data-testid=page-label]');
      assert(label.includes(`of ${(Math.ceil((seedCount + 0) / 50) || 1).toLocaleString('en-US')}`), `page label ${label}`);
      const firstId = await page.getAttribute('[data-testid=evaluations-table] tbody tr', 'data-id');
      await page.click('button:text("Next ›")');
      await waitFor('page 2', async () => (await page.textContent('[data-testid=page-label]')).startsWith('Page 2 '));
      await waitFor('new rows', async () => (await page.getAttribute('[data-testid=evaluations-table] tbody tr', 'data-id')) !== firstId);
      const t1 = Date.now();
      await page.click('button:text("Last »")');
      await waitFor('last page', async () => {
        const text = await page.textContent('[data-testid=page-label]');
        const [, a, b] = text.match(/Page ([\d,]+) of ([\d,]+)/) ?? [];
        if (!a || a !== b) throw new Error(`label "${text}"`);
        return true;
      });
      await page.waitForSelector('[data-testid=evaluations-table] tbody tr');
      measurements.evaluationsLastPageMs = Date.now() - t1;
      // Filters go to the server.
      await page.fill('input[name=agent_id]', 'synthetic-7');
      await page.click('button:text("Apply filters")');
      await waitFor('filtered rows', async () => {
        const agents = await page.$$eval('[data-testid=evaluations-table] tbody tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent));
        return agents.length > 0 && agents.every((a) => a === 'synthetic-7');
      });
      await shot('03-evaluations');
      await page.click('button:text("Clear")');
    },
  ],
  [
    'a submitted evaluation goes to completed on the evaluations page without a reload',
    async () => {
      await page.click('nav >> text=Evaluations');
      await page.waitForSelector('[data-testid=evaluations-table] tbody tr');
      const submitted = await server.api('POST', '/api/v1/evaluations', {
        token: adminToken,
        // LunarLander's heuristic for 300 episodes runs for a few seconds: long enough to be seen
        // running before it completes.
        body: { policy: 'heuristic', environment: 'LunarLander-v3', episodes: 300, agent_id: 'e2e-live' },
      });
      assert(submitted.status === 202, `submitted: ${submitted.status}`);
      const id = submitted.body.id;
      const row = `[data-testid=evaluations-table] tbody tr[data-id="${id}"]`;
      await page.waitForSelector(row, { timeout: 10000 });
      measurements.liveFirstSeenStatus = await page.getAttribute(`${row} [data-status]`, 'data-status');
      await page.waitForSelector(`${row} [data-status=completed]`, { timeout: 60000 });
      assert((await page.evaluate(() => window.__marker)) === 'no reload', 'the page was not reloaded');
      await shot('04-evaluation-completed-live');
      await page.click(`${row} a`);
      await page.waitForSelector('text=Regression verdict');
      await page.waitForSelector('svg[aria-label^="Returns of 300 episodes"]');
      await shot('05-evaluation-detail');
    },
  ],
  [
    'coordination, environments and agent pages render (or say that the orchestrator is not running)',
    async () => {
      await page.click('nav >> text=Coordination');
      await page.waitForSelector('h1:text("Coordination")');
      await page.waitForSelector('text=Hypervolume over time');
      await sleep(300);
      await shot('06-coordination');
      await page.click('nav >> text=Environments');
      await page.waitForSelector('th:text("CartPole-v1")');
      await shot('07-environments');
      await page.evaluate(() => {
        history.pushState(null, '', '/agents/policy');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await page.waitForSelector('h1:has-text("Agent policy")');
      await sleep(300);
      await shot('08-agent-policy');
      assert((await page.evaluate(() => window.__marker)) === 'no reload', 'client-side navigation only');
    },
  ],
  [
    'the overview keeps up with 10 updates per second per chart',
    async () => {
      // The orchestrator publishes agent.status once per episode and orchestration.step at its own
      // pace, so to give every chart 10 updates a second, synthetic messages are injected into the
      // app's own connection exactly as they arrive from the socket (on top of the real ones).
      await page.click('nav >> text=Overview');
      await page.waitForSelector('h1:text("Overview")');
      const stats = await page.evaluate(async () => {
        const live = window.__tarsLive;
        const agents = [
          ['policy', 'dqn', { loss: 0.5, epsilon: 0.1 }],
          ['consensus', 'a2c', { loss: 0.3, entropy: 1.2 }],
          ['ethical', 'ppo', { loss: 0.2, entropy: 1.5, approx_kl: 0.01, clip_fraction: 0.1 }],
          ['resource', 'ddpg', { critic_loss: 0.4, noise_sigma: 0.2 }],
        ];
        const frames = [];
        let running = true;
        const tick = (t) => {
          frames.push(t);
          if (running) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        let longTasks = 0;
        let longest = 0;
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            longTasks++;
            longest = Math.max(longest, e.duration);
          }
        });
        try {
          observer.observe({ entryTypes: ['longtask'] });
        } catch {}
        const start = performance.now();
        let handled = 0;
        for (let i = 0; i < 100; ++i) {
          const t0 = performance.now();
          for (const [id, algorithm, metrics] of agents) {
            live.received(JSON.stringify({ type: 'update', channel: 'agent.status', data: {
              id, role: id, algorithm, episode: i, steps: i * 200, last_episode_reward: Math.sin(i / 5) * 50 + i,
              reward_mean_10: i, reward_mean_100: i / 2, metrics, memory_bytes: 1 << 20 } }));
          }
          live.received(JSON.stringify({ type: 'update', channel: 'orchestration.step', data: {
            step: i, episode: Math.floor(i / 10), global_reward: Math.cos(i / 7),
            rewards: { policy: 1, consensus: Math.sin(i), ethical: 0.5, resource: -0.2 },
            actions: {}, conflicts: i % 7 === 0 ? [{ type: 'x' }] : [], nash: { converged: i % 3 !== 0 } } }));
          handled += performance.now() - t0;
          await new Promise((r) => setTimeout(r, Math.max(0, start + (i + 1) * 100 - performance.now())));
        }
        running = false;
        observer.disconnect();
        const seconds = (performance.now() - start) / 1000;
        let maxGap = 0;
        for (let i = 1; i < frames.length; ++i) maxGap = Math.max(maxGap, frames[i] - frames[i - 1]);
        return { seconds, fps: frames.length / seconds, maxFrameGapMs: maxGap, longTasks, longestTaskMs: longest,
                 handlerMsPerBatch: handled / 100 };
      });
      measurements.overviewStream = stats;
      const cards = await page.locator('.card').count();
      assert(cards === 4, `four agent cards, got ${cards}`);
      assert((await page.locator('.card .chart').count()) === 4, 'a reward chart per agent');
      await shot('09-overview-streaming');
    },
  ],
  [
    'server stopped: indicator goes yellow then red; restarted on the same port: green again without a reload',
    async () => {
      await page.click('nav >> text=Evaluations');
      await page.waitForSelector('[data-testid=evaluations-table] tbody tr');
      assert((await level()) === 'ok', 'green before');
      const stoppedAt = Date.now();
      await server.stop();
      await waitFor('yellow', async () => (await level()) === 'warn', 5000, 50);
      measurements.yellowAfterMs = Date.now() - stoppedAt;
      assert(/Reconnecting|Connecting/.test(await indicator().textContent()), 'says reconnecting in words');
      await page.waitForSelector('.status >> text=Retry now');
      await shot('10-reconnecting');
      await waitFor('red', async () => (await level()) === 'down', 15000, 50);
      measurements.redAfterMs = Date.now() - stoppedAt;
      assert((await indicator().textContent()).includes('Offline'), 'says offline in words');
      await page.waitForSelector('.stale');
      await shot('11-offline-stale');
      const restartAt = Date.now();
      await server.start(server.port);
      await waitFor('green again', async () => (await level()) === 'ok', 10000, 50);
      measurements.greenAfterRestartMs = Date.now() - restartAt;
      assert((await page.evaluate(() => window.__marker)) === 'no reload', 'no reload');
      // The resync refetched the page: no stale marks left.
      await waitFor('fresh data', async () => (await page.locator('.stale').count()) === 0, 5000);
      // The new server needs a new token? No: the signing key is in the database.
      await shot('12-reconnected');
      // The browser reports its reconnection and the lost connection's duration.
      adminToken = await server.login();
      const metrics = await waitFor('browser telemetry in /metrics', async () => {
        const text = (await server.api('GET', '/metrics')).body;
        const m = String(text).match(/tars_websocket_reconnections_total\{source="browser"\} (\d+)/);
        return m && Number(m[1]) >= 1 ? text : null;
      }, 10000, 250);
      assert(/tars_websocket_connection_duration_seconds_count\{source="browser"\} [1-9]/.test(metrics), 'browser durations observed');
    },
  ],
  [
    'a tab hidden for long closes its socket; visible again it reconnects at once and refetches',
    async () => {
      await page.click('nav >> text=Evaluations');
      await page.waitForSelector('[data-testid=evaluations-table] tbody tr');
      await waitFor('green', async () => (await level()) === 'ok');
      // Headless Chromium never hides a tab by itself: the page is told it is hidden the way a
      // browser tells it (document.hidden + visibilitychange), with the 60 s shortened to 0.5 s.
      await page.evaluate(() => performance.clearResourceTimings());
      const requestsBefore = 0;
      await page.evaluate(() => {
        window.__tarsLive.opts.hiddenCloseMs = 500;
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await waitFor('paused', async () => (await indicator().getAttribute('data-state')) === 'paused', 5000, 50);
      assert((await indicator().textContent()).includes('Paused'), 'says paused in words');
      await shot('17-hidden-paused');
      const shownAt = Date.now();
      await page.evaluate(() => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await waitFor('green at once', async () => (await level()) === 'ok', 5000, 20);
      measurements.visibleToGreenMs = Date.now() - shownAt;
      await waitFor('the list refetched', async () =>
        (await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/evaluations?')).length)) > requestsBefore);
      assert((await page.evaluate(() => window.__marker)) === 'no reload', 'no reload');
      await page.evaluate(() => {
        window.__tarsLive.opts.hiddenCloseMs = 60000;
        delete document.hidden;
      });
    },
  ],
  [
    'an admin creates an API key (shown once), uses it, and revokes it',
    async () => {
      await page.click('nav >> text=Admin');
      await page.click('role=tab[name="API keys"]');
      await page.click('button:text("Create API key")');
      await page.waitForSelector('text=required'); // validated before sending
      await page.fill('input[name=key-name]', 'e2e-key');
      await page.selectOption('select[name=key-role]', 'developer');
      await page.click('button:text("Create API key")');
      const secret = (await page.textContent('[data-testid=api-key-secret] .secret-value')).trim();
      assert(secret.length > 20, 'the secret is shown');
      await shot('13-admin-api-key-created');
      const me = await server.api('GET', '/api/v1/auth/me', { apiKey: secret });
      assert(me.status === 200 && me.body.kind === 'api_key', `the key works: ${me.status}`);
      page.once('dialog', (dialog) => dialog.accept());
      await page.click('tr[data-key-name="e2e-key"] >> button:text("Revoke")');
      await page.waitForSelector('tr[data-key-name="e2e-key"] >> text=revoked');
      const after = await server.api('GET', '/api/v1/auth/me', { apiKey: secret });
      assert(after.status === 401, `revoked key refused: ${after.status}`);
      await page.click('button:text("Done")');
      for (const tab of ['Users', 'Signing keys', 'Audit log']) {
        await page.click(`role=tab[name="${tab}"]`);
        await page.waitForSelector(`[role=tabpanel] h2`);
        await page.waitForSelector(`[role=tabpanel] tbody tr`);
        await shot(`14-admin-${tab.toLowerCase().replace(' ', '-')}`);
      }
    },
  ],
  [
    'the one-time login link logs a new browser in; a viewer sees no Admin page',
    async () => {
      const token = server.loginLink();
      assert(token, 'the first start printed a login link');
      const other = await browser.newContext();
      const linkPage = await other.newPage();
      await linkPage.goto(`${server.base}/?token=${token}`);
      await linkPage.waitForSelector('h1:text("Overview")');
      assert(!(await linkPage.url()).includes('token='), 'the token left the address bar');
      await other.close();
      // A viewer.
      const created = await server.api('POST', '/api/v1/admin/users', {
        token: adminToken,
        body: { username: 'vera', password: 'viewer-password', role: 'viewer' },
      });
      assert(created.status === 201, `viewer created: ${created.status}`);
      const viewer = await browser.newContext();
      const viewerPage = await viewer.newPage();
      await viewerPage.goto(`${server.base}/`);
      await login(viewerPage, 'vera', 'viewer-password');
      assert((await viewerPage.locator('nav >> text=Admin').count()) === 0, 'no Admin link for viewers');
      await viewerPage.click('nav >> text=Evaluations');
      assert((await viewerPage.locator('text=+ New evaluation').count()) === 0, 'viewers cannot submit');
      await viewer.close();
    },
  ],
  [
    'dark theme and keyboard navigation',
    async () => {
      await page.click('nav >> text=Overview');
      await page.click('button:has-text("theme")'); // system → light
      await page.click('button:has-text("theme")'); // light → dark
      assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'dark theme set');
      await shot('15-overview-dark');
      await page.click('button:has-text("theme")'); // back to system
      // The skip link comes before the brand; then the navigation, in order, by keyboard alone.
      await page.focus('.brand');
      await page.keyboard.press('Shift+Tab');
      assert((await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to content', 'skip link first');
      await page.keyboard.press('Tab'); // brand
      await page.keyboard.press('Tab'); // Overview
      await page.keyboard.press('Tab'); // Evaluations
      await page.keyboard.press('Enter');
      await page.waitForSelector('h1:text("Evaluations")');
    },
  ],
  [
    'a developer edits a hot hyperparameter and the agent reports it',
    async () => {
      const agents = await server.api('GET', '/api/v1/agents', { token: adminToken });
      assert(agents.status === 200, `GET /api/v1/agents: ${agents.status}`);
      // Find a hot numeric hyperparameter with bounds and set a new in-bounds value.
      let target;
      for (const listed of agents.body.agents) {
        const agent = (await server.api('GET', `/api/v1/agents/${listed.id}`, { token: adminToken })).body;
        const hp = (agent.hyperparameters ?? []).find((h) => h.class === 'hot' && h.type === 'number' && h.min !== undefined && h.max !== undefined);
        if (hp) {
          target = { id: agent.id, hp };
          break;
        }
      }
      assert(target, 'an agent has a hot bounded number');
      const { id, hp } = target;
      await page.evaluate((to) => {
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, `/agents/${id}`);
      await page.waitForSelector(`#hp-${hp.name}`);
      // Out of bounds: refused before sending.
      await page.fill(`#hp-${hp.name}`, String(hp.max * 10 + 1));
      await page.click('button:has-text("Apply")');
      await page.waitForSelector(`#hp-${hp.name}-error`);
      const value = String((Number(hp.min) + Number(hp.max)) / 2);
      await page.fill(`#hp-${hp.name}`, value);
      await page.click('button:has-text("Apply")');
      await page.waitForSelector('text=Applied');
      await waitFor('the agent reports the new value', async () => {
        const agent = (await server.api('GET', `/api/v1/agents/${id}`, { token: adminToken })).body;
        return Number(agent.hyperparameters.find((h) => h.name === hp.name).value) === Number(value);
      });
      await shot('16-agent-hyperparameter-applied');
    },
  ],
];

let counts = { passed: 0, failed: 1 };
try {
  if (seedCount > 0) {
    const seeded = server.seed(seedCount);
    measurements.seed = seeded;
  }
  await server.start();
  adminToken = await server.login();
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  // E2E_ONLY=regex runs the first test (the login) and the matching ones.
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  counts = await runTests(only ? tests.filter(([name], i) => i === 0 || only.test(name)) : tests);
} catch (error) {
  console.log(`e2e setup failed: ${error?.stack ?? error}\n${server.output}`);
} finally {
  await browser?.close().catch(() => {});
  await server.cleanup();
  measurements.suiteSeconds = (Date.now() - suiteStart) / 1000;
  writeFileSync(path.join(results, 'measurements.json'), JSON.stringify(measurements, null, 2));
  console.log('measurements:', JSON.stringify(measurements));
}
console.log(summary(counts));
process.exit(counts.failed === 0 ? 0 : 1);
