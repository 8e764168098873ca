// The screens of `make screenshots`: screen(page, state, spec) registers one jest test per mode
// (standard, 长辈模式) that stubs wx and the API as the mini-program's own tests do, with realistic
// data, renders the real page (and the custom tab bar on tab pages) and writes
// screenshots/<page>--<state>--<mode>.html for shoot.js.
//
// spec: { route, query, tab, title, routes(api, wx), before(wx, api), after(page, wx, api),
//         wait: false (a loading state: onLoad is started, not awaited), offline: true }
const path = require('path')
const lib = require('./lib')

const MP = lib.MP
const helpers = require(MP + '/tests/helpers/page')
const wxHelpers = require(MP + '/tests/helpers/wx')
const fx = require(MP + '/tests/helpers/fixtures')

const TDESIGN = path.join(MP, 'node_modules/tdesign-miniprogram/miniprogram_dist')
const MODES = (process.env.SHOT_MODES || 'standard,elder').split(',')

function patchNpm() {
  const utils = require('miniprogram-simulate/src/utils')
  if (utils.__npmPatched) return
  const readJson = utils.readJson
  utils.readJson = (file) => {
    const json = readJson(file)
    const using = json && json.usingComponents
    if (using) {
      Object.keys(using).forEach((key) => {
        const value = using[key]
        if (value.indexOf('tdesign-miniprogram/') === 0) using[key] = path.relative(path.dirname(file), path.join(TDESIGN, value.slice(20)))
      })
    }
    return json
  }
  utils.__npmPatched = true
}

function renderRoute(route) {
  const simulate = require('miniprogram-simulate')
  patchNpm()
  lib.patchSimulate()
  const id = simulate.load(path.join(MP, route), { compiler: 'simulate', rootPath: MP })
  const comp = simulate.render(id)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

async function openPage(route, query, wait) {
  const page = renderRoute(route)
  const inst = page.instance
  if (wait === false) {
    // a loading state: the request never answers; onLoad is left running
    if (typeof inst.onLoad === 'function') inst.onLoad(query)
    if (typeof inst.onShow === 'function') inst.onShow()
    await helpers.flush(6)
    return page
  }
  if (typeof inst.onLoad === 'function') await inst.onLoad(query)
  if (typeof inst.onShow === 'function') await inst.onShow()
  await helpers.flush(10)
  return page
}

async function renderTabBar(key) {
  jest.resetModules()
  const bar = renderRoute('custom-tab-bar/index')
  // (a loading state never answers: do not wait for it)
  const soon = (p) => Promise.race([p.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 300))])
  await soon(require(MP + '/services/session').load({ silent: true }))
  await soon(require(MP + '/services/inbox').refresh())
  await helpers.flush(6)
  bar.instance.update(key)
  await helpers.flush(4)
  return bar
}

// Requests to these "METHOD /path" never get an answer (loading states).
function hang(wx, ...keys) {
  const request = wx.request.getMockImplementation()
  wx.request.mockImplementation((opts) => {
    const u = new URL(opts.url)
    if (keys.some((k) => k === (opts.method || 'GET') + ' ' + u.pathname)) return { abort() {} }
    return request(opts)
  })
}

function screen(page, state, spec) {
  MODES.forEach((mode) => {
    const name = page + '--' + state + '--' + mode
    test(name, async () => {
      const { wx, api } = helpers.setup()
      lib.patchSimulate()
      lib.clearStyles()
      // 长辈模式 chosen on 我的 (or not); the first-launch offer answered unless the spec wants it
      wx.setStorageSync('hh_elder_mode', mode === 'elder' ? 'on' : spec.elderChoice === undefined ? 'off' : spec.elderChoice)
      if (!spec.offer) wx.setStorageSync('hh_elder_offer', 'done')
      if (spec.offline) wx.__setNetwork(false)
      if (spec.routes) spec.routes(api, wx)
      if (spec.before) await spec.before(wx, api)
      const p = await openPage(spec.route, spec.query || {}, spec.wait)
      if (spec.after) await spec.after(p, wx, api)
      await helpers.flush(8)
      const titleCall = wx.setNavigationBarTitle.mock.calls.slice(-1)[0]
      const title = spec.title || (titleCall && titleCall[0].title) || lib.pageJson(spec.route).navigationBarTitleText || '幸福家园'
      let css = lib.appCss() + '\n' + lib.collectStyles()
      let tabDom = null
      const pageDom = p.dom
      if (spec.tab) {
        const bar = await renderTabBar(spec.tab)
        css = css + '\n' + lib.collectStyles()
        tabDom = bar.dom
      }
      lib.writeScreen(name, { pageDom, tabDom, css, title, back: !spec.tab, meta: { page, state, mode, route: spec.route } })
    })
  })
}

// ---- time and fixture helpers for realistic data
const HOUR = 3600e3
const DAY = 24 * HOUR
const ago = (ms) => new Date(Date.now() - ms).toISOString()
const ahead = (ms) => new Date(Date.now() + ms).toISOString()

module.exports = { screen, hang, fx, helpers, wxHelpers, HOUR, DAY, ago, ahead, MP }
