// The real backend for the end-to-end tests: `python -m backend` in dev mode on a fresh SQLite file,
// with the fake WeChat and the demo data, on a free loopback port. Needs the backend's virtualenv
// (`make install` at the repo root); HAVE_BACKEND says whether it is there.
const fs = require('fs')
const os = require('os')
const net = require('net')
const path = require('path')
const { spawn } = require('child_process')
const { httpCall } = require('./node-wx')

const REPO = path.resolve(__dirname, '../../..')
const PYTHON = path.join(REPO, '.venv/bin/python')
// The backend's source tree; E2E_BACKEND_DIR runs another checkout with the same virtualenv.
const BACKEND_DIR = process.env.E2E_BACKEND_DIR || REPO
const HAVE_BACKEND = fs.existsSync(PYTHON)

// a 1×1 PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64'
)

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitForHealth(base, child, logs, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the backend exited (' + child.exitCode + '):\n' + logs.join(''))
    try {
      const res = await httpCall(base + '/healthz', { timeout: 1000 })
      if (res.statusCode === 200) return
    } catch (e) {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('the backend did not answer /healthz in time:\n' + logs.join(''))
}

// Starts the backend; resolves to {base, tmp, logs, stop}. `tmp` holds the database, the uploads and
// photo.png (the PNG above) for the tests to upload.
async function startBackend(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix || 'hh-e2e-'))
  const port = await freePort()
  const base = 'http://127.0.0.1:' + port
  const logs = []
  const child = spawn(PYTHON, ['-m', 'backend'], {
    cwd: BACKEND_DIR,
    env: Object.assign({}, process.env, {
      APP_ENV: 'dev',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: 'sqlite+aiosqlite:///' + path.join(tmp, 'e2e.db'),
      UPLOAD_DIR: path.join(tmp, 'uploads'),
      WECHAT_API_BASE: '',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', (d) => logs.push(d.toString()))
  child.stderr.on('data', (d) => logs.push(d.toString()))
  async function stop() {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
      await exited
      clearTimeout(timer)
    }
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  try {
    await waitForHealth(base, child, logs)
  } catch (e) {
    await stop()
    throw e
  }
  fs.writeFileSync(path.join(tmp, 'photo.png'), PNG)
  return { base, tmp, logs, stop }
}

module.exports = { REPO, PYTHON, HAVE_BACKEND, PNG, startBackend }
