#!/usr/bin/env node
// The size of each package WeChat builds from this folder: the main package and every subpackage
// of app.json (WeChat allows 2 MB each, 20 MB in all). TDesign is counted as DevTools ships it with
// "上传时过滤无依赖文件": the components some page or component uses, with everything they need
// (their own components, JS imports, <wxs>, <import>, @import, and the npm modules they import),
// all in the main package (miniprogram_npm/ is built at the root).
//
//   node tools/package-size.js          a table
//   node tools/package-size.js --json   the figures
// tests/package-size.test.js checks the limits.
const fs = require('fs')
const path = require('path')

const ROOT = path.resolve(__dirname, '..')
const TD = path.join(ROOT, 'node_modules/tdesign-miniprogram/miniprogram_dist')
const TD_NPM = path.join(TD, 'miniprogram_npm')
const LIMIT = 2 * 1024 * 1024
const TOTAL_LIMIT = 20 * 1024 * 1024

function packIgnored(rel) {
  const project = JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8'))
  return (project.packOptions.ignore || []).some((rule) => {
    if (rule.type === 'folder') return rel === rule.value || rel.startsWith(rule.value + '/')
    if (rule.type === 'file') return rel === rule.value
    if (rule.type === 'suffix') return rel.endsWith(rule.value)
    return false
  })
}

function walk(dir, out = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => {
    const full = path.join(dir, d.name)
    const rel = path.relative(ROOT, full).split(path.sep).join('/')
    if (d.name.startsWith('.') || packIgnored(rel) || rel === 'miniprogram_npm') return
    if (d.isDirectory()) walk(full, out)
    else out.push(rel)
  })
  return out
}

const size = (file) => fs.statSync(file).size

// Every file a TDesign component needs, from its path without extension.
function tdesignClosure(entries) {
  const seen = new Set()
  const queue = []
  const add = (file) => {
    if (file && fs.existsSync(file) && !seen.has(file)) {
      seen.add(file)
      queue.push(file)
    }
  }
  const addComponent = (base) => ['.js', '.json', '.wxml', '.wxss'].forEach((ext) => add(base + ext))
  entries.forEach(addComponent)
  while (queue.length) {
    const file = queue.shift()
    const dir = path.dirname(file)
    const src = fs.readFileSync(file, 'utf8')
    if (file.endsWith('.json')) {
      const using = (JSON.parse(src).usingComponents || {})
      Object.values(using).forEach((v) => addComponent(path.resolve(dir, v)))
    } else if (file.endsWith('.js')) {
      src.replace(/(?:from\s*|require\()\s*["']([^"']+)["']/g, (m, spec) => {
        if (spec.startsWith('.')) {
          const base = path.resolve(dir, spec)
          add(fs.existsSync(base + '.js') ? base + '.js' : path.join(base, 'index.js'))
        } else {
          const pkg = path.join(TD_NPM, spec)
          add(fs.existsSync(pkg + '.js') ? pkg + '.js' : path.join(pkg, 'index.js'))
        }
        return m
      })
    } else if (file.endsWith('.wxml')) {
      src.replace(/<(?:wxs|import|include)\b[^>]*src="([^"]+)"/g, (m, spec) => add(path.resolve(dir, spec)))
    } else if (file.endsWith('.wxss')) {
      src.replace(/@import\s+["']([^"']+)["']/g, (m, spec) => add(path.resolve(dir, spec)))
    } else if (file.endsWith('.wxs')) {
      src.replace(/require\(\s*["']([^"']+\.wxs)["']\s*\)/g, (m, spec) => add(path.resolve(dir, spec)))
    }
  }
  return Array.from(seen)
}

function measure() {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'))
  const roots = (app.subPackages || []).map((sp) => ({ name: sp.name || sp.root, root: sp.root }))
  const files = walk(ROOT)
  const packages = [{ name: 'main', root: '', files: [], bytes: 0 }].concat(roots.map((r) => ({ name: r.name, root: r.root, files: [], bytes: 0 })))
  files.forEach((rel) => {
    const pkg = packages.find((p) => p.root && rel.startsWith(p.root + '/')) || packages[0]
    pkg.files.push(rel)
    pkg.bytes += size(path.join(ROOT, rel))
  })
  // TDesign components used anywhere, with what they need
  const entries = new Set()
  files
    .filter((f) => f.endsWith('.json'))
    .forEach((f) => {
      let using = {}
      try {
        using = JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8')).usingComponents || {}
      } catch (e) {
        return
      }
      Object.values(using).forEach((v) => {
        if (v.startsWith('tdesign-miniprogram/')) entries.add(path.join(TD, v.slice('tdesign-miniprogram/'.length)))
      })
    })
  const td = tdesignClosure(Array.from(entries))
  const tdBytes = td.reduce((n, f) => n + size(f), 0)
  const main = packages[0]
  main.own = main.bytes
  main.tdesign = tdBytes
  main.tdesignComponents = Array.from(entries).map((e) => path.basename(e)).sort()
  main.bytes += tdBytes
  const total = packages.reduce((n, p) => n + p.bytes, 0)
  return {
    limit: LIMIT,
    totalLimit: TOTAL_LIMIT,
    total,
    packages: packages.map((p) => ({
      name: p.name,
      root: p.root || '/',
      bytes: p.bytes,
      files: p.files.length + (p.name === 'main' ? td.length : 0),
      own: p.own,
      tdesign: p.tdesign,
      tdesignComponents: p.tdesignComponents,
    })),
  }
}

function kb(n) {
  return (n / 1024).toFixed(1) + ' KB'
}

if (require.main === module) {
  const m = measure()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(m, null, 2))
  } else {
    console.log('| package | root | size | files |')
    console.log('|---|---|---:|---:|')
    m.packages.forEach((p) =>
      console.log('| ' + p.name + ' | `' + p.root + '` | ' + kb(p.bytes) + (p.tdesign ? ' (own ' + kb(p.own) + ' + TDesign ' + kb(p.tdesign) + ')' : '') + ' | ' + p.files + ' |')
    )
    console.log('| all | | ' + kb(m.total) + ' | |')
    console.log('\nTDesign components in the main package (' + m.packages[0].tdesignComponents.length + ', with what they need): ' + m.packages[0].tdesignComponents.join(', '))
  }
}

module.exports = { measure, LIMIT, TOTAL_LIMIT }
