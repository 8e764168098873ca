// Loads a page (or component) of the mini-program into miniprogram-simulate, with the real TDesign
// components from node_modules, and drives it like WeChat would.
//
//   const { wx, api } = setup()                      // fresh modules, globals and fake API
//   api.on('GET /api/v1/me', fixtures.me())
//   const page = await openPage('pages/home/home')   // render + onLoad + onShow
//   expect(text(page)).toContain('锦华苑')
//   await tap(page, '#submit')

const path = require('path')
const { installWx, flush } = require('./wx')
const patches = require('./simulate-patches')

const ROOT = path.resolve(__dirname, '../..')
const TDESIGN = path.join(ROOT, 'node_modules/tdesign-miniprogram/miniprogram_dist')

let simulate = null
let rendered = 0

function loadSimulate() {
  simulate = require('miniprogram-simulate')
  patchNpmResolution()
  patches.apply()
}

// Fresh modules, a fresh wx stub and fake API, for one test.
function setup() {
  jest.resetModules()
  const env = installWx()
  loadSimulate()
  rendered = 0
  return env
}

// WeChat DevTools resolves "tdesign-miniprogram/button/button" in usingComponents through
// miniprogram_npm/ (built from node_modules); miniprogram-simulate only knows relative paths, so
// we rewrite those entries to the package's miniprogram_dist, relative to the component.
// (Absolute ones, "/components/list-state/list-state", it resolves from rootPath itself.)
function patchNpmResolution() {
  const utils = require('miniprogram-simulate/src/utils')
  if (utils.__npmPatched) return
  const readJson = utils.readJson
  utils.readJson = (file) => {
    const json = readJson(file)
    const using = json && json.usingComponents
    if (using) {
      Object.keys(using).forEach((key) => {
        const value = using[key]
        if (value.indexOf('tdesign-miniprogram/') === 0) {
          const target = path.join(TDESIGN, value.slice('tdesign-miniprogram/'.length))
          using[key] = path.relative(path.dirname(file), target)
        }
      })
    }
    return json
  }
  utils.__npmPatched = true
}

// Renders a page or component by its path from the mini-program root ("pages/home/home").
// A second render in the same test starts from fresh modules (like a relaunched app): the page's
// and TDesign's code must run again to register their components.
function render(route, props) {
  if (rendered++ > 0) {
    jest.resetModules()
    loadSimulate()
  }
  const id = simulate.load(path.join(ROOT, route), { compiler: 'simulate', rootPath: ROOT })
  const comp = simulate.render(id, props)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

// Renders a page and runs its lifecycle as WeChat does: onLoad(query) then onShow().
async function openPage(route, query = {}, { show = true } = {}) {
  const page = render(route)
  const inst = page.instance
  if (typeof inst.onLoad === 'function') await inst.onLoad(query)
  if (show && typeof inst.onShow === 'function') await inst.onShow()
  await flush()
  return page
}

// The visible text of a rendered node, whitespace collapsed.
function text(comp) {
  return (comp.dom ? comp.dom.textContent : '').replace(/\s+/g, ' ').trim()
}

// Finds a node by selector. Selectors do not cross component boundaries, so a path goes inside
// child components step by step: find(page, 'list-state', '#ls-retry').
function find(comp, ...selectors) {
  let node = comp
  selectors.forEach((selector) => {
    const next = node.querySelector(selector)
    if (!next) throw new Error('no node matches ' + selectors.join(' > ') + ' in: ' + text(comp).slice(0, 300))
    node = next
  })
  return node
}

// Taps a node; TDesign components are virtual hosts, so the tap goes to their first element.
async function tap(comp, ...selectors) {
  const node = find(comp, ...selectors)
  if (node.dom) {
    node.dispatchEvent('tap')
  } else {
    const inner = ['.t-button', '.t-tag', '.t-cell', '.t-switch', 'view', 'button'].reduce((found, sel) => found || node.querySelector(sel), null)
    if (!inner) throw new Error('cannot tap ' + selectors.join(' > '))
    inner.dispatchEvent('tap')
  }
  await flush()
}

// Chooses a tab of a TDesign t-tabs by its label, as a finger would.
async function selectTab(comp, selector, label) {
  const tabs = find(comp, selector)
  const items = tabs.querySelectorAll('.t-tabs__item')
  const item = Array.from(items).find((it) => (it.dom ? it.dom.textContent : '').trim() === label)
  if (!item) throw new Error('no tab "' + label + '" in ' + selector + ': ' + Array.from(items).map((it) => it.dom.textContent.trim()).join(' / '))
  item.dispatchEvent('tap')
  await flush()
}

// Taps 重新加载 of a page's error state (<page-state id="state">) or of a list's (<list-state>).
async function retry(comp, selector = '#state') {
  if (selector === '#list-state') return tap(comp, '#list-state', '#ls-state', '#ps-retry')
  return tap(comp, selector, '#ps-retry')
}

function exists(comp, ...selectors) {
  try {
    find(comp, ...selectors)
    return true
  } catch (e) {
    return false
  }
}

// An event object as WeChat passes to handlers: dataset on currentTarget, detail.
function event(dataset = {}, detail = {}) {
  return { currentTarget: { dataset }, target: { dataset }, detail }
}

module.exports = { setup, render, openPage, text, find, tap, selectTab, retry, exists, event, flush, ROOT }
