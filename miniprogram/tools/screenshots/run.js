#!/usr/bin/env node
// `make screenshots`: render every screen (jest + miniprogram-simulate, specs/*.shot.js) to HTML,
// then shoot and measure them with Chromium (shoot.js). Needs Debian's chromium and
// fonts-noto-cjk (apt-get install -y chromium fonts-noto-cjk). Output in miniprogram/screenshots/.
// SHOT_ONLY=<part of a name> renders only the matching screens; SHOT_MODES=standard|elder one mode.
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')

const MP = path.resolve(__dirname, '../..')
const OUT = process.env.SHOT_DIR || path.join(MP, 'screenshots')
const only = process.env.SHOT_ONLY || ''

if (!fs.existsSync(process.env.CHROMIUM || '/usr/bin/chromium')) {
  console.error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM)')
  process.exit(1)
}
fs.mkdirSync(OUT, { recursive: true })
// a full run starts clean, so no stale screen survives a renamed state
if (!only) fs.readdirSync(OUT).filter((f) => /\.(html|png)$/.test(f)).forEach((f) => fs.unlinkSync(path.join(OUT, f)))

const args = [require.resolve('jest/bin/jest'), '-c', path.join(__dirname, 'jest.config.js'), '--silent']
if (only) args.push('-t', only.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
const jest = spawnSync(process.execPath, args, {
  cwd: MP,
  stdio: 'inherit',
  env: process.env,
})
if (jest.status !== 0) {
  console.error('rendering the screens failed')
  process.exit(jest.status || 1)
}
const shoot = spawnSync(process.execPath, [path.join(__dirname, 'shoot.js'), only], { cwd: MP, stdio: 'inherit', env: process.env })
process.exit(shoot.status === null ? 1 : shoot.status)
