// A real `tars serve` on a free loopback port with a temporary SQLite database, and a tiny test
// runner printing "N passed, N failed" at the end.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ADMIN_PASSWORD = 'e2e-admin-password';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class TarsServer {
  constructor({ binary, webRoot, env = {} }) {
    if (!existsSync(binary)) throw new Error(`tars binary not found: ${binary} (set TARS=path/to/tars)`);
    if (!existsSync(path.join(webRoot, 'index.html'))) {
      throw new Error(`${webRoot}/index.html missing: run npm run build first`);
    }
    this.binary = binary;
    this.webRoot = webRoot;
    this.dir = mkdtempSync(path.join(tmpdir(), 'tars-e2e-'));
    this.database = `sqlite:///${path.join(this.dir, 'tars.db')}`; // absolute: sqlite:////tmp/...
    this.extraEnv = env;
    this.output = '';
    this.process = null;
    this.port = null;
  }

  env() {
    return {
      ...process.env,
      TARS_DATABASE_URL: this.database,
      WEB_ROOT: this.webRoot,
      TARS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_LOGIN_PER_MINUTE: '0',
      RATE_LIMIT_API_PER_MINUTE: '0',
      ...this.extraEnv,
    };
  }

  seed(evaluations) {
    const out = execFileSync(this.binary, ['db', 'seed', '--evaluations', String(evaluations)], {
      env: this.env(),
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop());
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port) {
    this.port = port ?? this.port ?? (await freePort());
    const child = spawn(this.binary, ['serve'], {
      env: { ...this.env(), LISTEN: `127.0.0.1:${this.port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    child.stdout.on('data', (d) => (this.output += d));
    child.stderr.on('data', (d) => (this.output += d));
    const deadline = Date.now() + 20000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tars serve exited:\n${this.output}`);
      try {
        const r = await fetch(`${this.base}/health`);
        if (r.ok) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`tars serve did not start:\n${this.output}`);
      await sleep(100);
    }
  }

  // SIGTERM and wait for the exit.
  async stop() {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    await exited;
    clearTimeout(timer);
    this.process = null;
  }

  loginLink() {
    const match = this.output.match(/\/\?token=([A-Za-z0-9_\-.%]+)/);
    return match ? match[1] : null;
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async api(method, route, { token, body, apiKey } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    if (apiKey) headers['X-API-Key'] = apiKey;
    const r = await fetch(this.base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: r.status, body: json };
  }

  async login(username = 'admin', password = ADMIN_PASSWORD) {
    const r = await this.api('POST', '/api/v1/auth/login', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.access_token;
  }
}

export async function waitFor(what, predicate, timeoutMs = 10000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await predicate();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(intervalMs);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

// Runs the tests in order; a failing test does not stop the others. Returns the counts.
export async function runTests(tests) {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of tests) {
    const start = Date.now();
    try {
      await fn();
      passed++;
      console.log(`ok   ${name} (${Date.now() - start} ms)`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name} (${Date.now() - start} ms)\n     ${error?.stack ?? error}`);
    }
  }
  return { passed, failed };
}

// The closing line test runners print: "N passed, N failed".
export function summary({ passed, failed }) {
  return `${passed} passed, ${failed} failed`;
}
