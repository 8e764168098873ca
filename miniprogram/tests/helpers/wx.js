// A stubbed `wx` for the tests, with a fake API behind wx.request / wx.uploadFile.
// Page code never knows it is under test: it calls wx.* as on the phone.
//
//   const { wx, api } = installWx()
//   api.on('GET /api/v1/me', () => fixtures.me())                 // 200 with this body
//   api.on('POST /api/v1/wishes/7/claim', () => fail(409, 'already_taken', '已被认领'))
//   api.on('GET /api/v1/wishes', NETWORK_DOWN)                     // wx.request fail callback
//   api.calls                                                      // what the app sent

const NETWORK_DOWN = Symbol('network down')

function reply(status, body) {
  return { __reply: true, status, body }
}

function fail(status, error, detail) {
  return reply(status, { error, detail })
}

function parseUrl(url) {
  const u = new URL(url)
  const query = {}
  u.searchParams.forEach((v, k) => {
    query[k] = v
  })
  return { path: u.pathname, query }
}

function createFakeApi() {
  const routes = []
  const calls = []
  const api = {
    calls,
    token: 'test-token',
    // `key` is "METHOD /path", where the path may hold :params ("GET /api/v1/wishes/:id").
    on(key, handler) {
      const [method, pattern] = key.split(' ')
      const names = []
      const re = new RegExp(
        '^' +
          pattern.replace(/:([a-z_]+)/g, (_, n) => {
            names.push(n)
            return '([^/]+)'
          }) +
          '$'
      )
      routes.unshift({ method, re, names, handler })
      return api
    },
    callsTo(key) {
      const [method, path] = key.split(' ')
      return calls.filter((c) => c.method === method && c.path === path)
    },
    handle(method, url, data, header) {
      const { path, query } = parseUrl(url)
      const call = { method, path, query, data, header }
      calls.push(call)
      // literal routes win over ones with :params, then the most recently added
      const ordered = routes.slice().sort((a, b) => a.names.length - b.names.length)
      for (const r of ordered) {
        if (r.method !== method) continue
        const m = r.re.exec(path)
        if (!m) continue
        const params = {}
        r.names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1])
        })
        const out = typeof r.handler === 'function' ? r.handler(Object.assign({ params }, call)) : r.handler
        if (out === NETWORK_DOWN) return NETWORK_DOWN
        if (out && out.__reply) return { statusCode: out.status, data: out.body }
        return { statusCode: method === 'POST' && path === '/api/v1/uploads' ? 201 : 200, data: out }
      }
      return { statusCode: 404, data: { error: 'not_found', detail: '测试里没有这个接口：' + method + ' ' + path } }
    },
  }
  // Login is always there unless a test replaces it.
  api.on('POST /api/v1/auth/wechat', () => ({
    access_token: api.token,
    token_type: 'bearer',
    expires_in: 604800,
    user: { id: 1, name: '测试', roles: ['resident'] },
    new_user: false,
  }))
  // Quiet defaults for what pages ask in the background; tests replace them when it matters.
  api.on('GET /api/v1/notifications/templates', { template_ids: [] })
  api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 0 })
  return api
}

function later(fn) {
  setTimeout(fn, 0)
}

function createWx(api) {
  const storage = new Map()
  const networkListeners = []
  const network = { isConnected: true, networkType: 'wifi' }

  const recorder = recorderManager()
  const privacyHandlers = []
  const wx = {
    // network
    request: jest.fn((opts) => {
      later(() => {
        const res = network.isConnected ? api.handle(opts.method || 'GET', opts.url, opts.data, opts.header) : NETWORK_DOWN
        if (res === NETWORK_DOWN) {
          opts.fail && opts.fail({ errMsg: 'request:fail network down' })
        } else {
          opts.success && opts.success({ statusCode: res.statusCode, data: res.data, header: {} })
        }
        opts.complete && opts.complete()
      })
      return { abort() {} }
    }),
    uploadFile: jest.fn((opts) => {
      const progress = []
      later(() => {
        // like the phone: progress events before the answer
        if (network.isConnected) progress.forEach((fn) => [50, 100].forEach((p) => fn({ progress: p, totalBytesSent: p, totalBytesExpectedToSend: 100 })))
        const res = network.isConnected
          ? api.handle('POST', opts.url, { filePath: opts.filePath, name: opts.name }, opts.header)
          : NETWORK_DOWN
        if (res === NETWORK_DOWN) {
          opts.fail && opts.fail({ errMsg: 'uploadFile:fail network down' })
        } else {
          // like the real API: data is the raw response text
          opts.success && opts.success({ statusCode: res.statusCode, data: JSON.stringify(res.data) })
        }
      })
      return {
        abort() {},
        onProgressUpdate(fn) {
          progress.push(fn)
        },
      }
    }),
    login: jest.fn((opts) => later(() => opts.success && opts.success({ code: 'test-code', errMsg: 'login:ok' }))),
    getNetworkType: jest.fn((opts) => later(() => opts.success && opts.success({ networkType: network.isConnected ? network.networkType : 'none' }))),
    onNetworkStatusChange: jest.fn((fn) => networkListeners.push(fn)),
    offNetworkStatusChange: jest.fn((fn) => {
      const i = networkListeners.indexOf(fn)
      if (i >= 0) networkListeners.splice(i, 1)
    }),

    // storage
    getStorageSync: jest.fn((key) => (storage.has(key) ? JSON.parse(storage.get(key)) : '')),
    setStorageSync: jest.fn((key, value) => {
      storage.set(key, JSON.stringify(value))
    }),
    removeStorageSync: jest.fn((key) => {
      storage.delete(key)
    }),

    // UI
    showToast: jest.fn(),
    hideToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((opts) => later(() => opts.success && opts.success({ confirm: true, cancel: false, content: '' }))),
    showActionSheet: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    startPullDownRefresh: jest.fn(),
    pageScrollTo: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    previewImage: jest.fn(),
    vibrateShort: jest.fn(),
    hideKeyboard: jest.fn(),

    // navigation
    navigateTo: jest.fn((opts) => opts && opts.success && later(opts.success)),
    redirectTo: jest.fn((opts) => opts && opts.success && later(opts.success)),
    switchTab: jest.fn((opts) => opts && opts.success && later(opts.success)),
    reLaunch: jest.fn(),
    navigateBack: jest.fn(),

    // media and subscribe messages
    chooseMedia: jest.fn((opts) =>
      later(() => opts.success && opts.success({ type: 'image', tempFiles: [{ tempFilePath: 'wxfile://tmp/photo-1.jpg', size: 1000 }] }))
    ),
    // photos kept past a restart (the visit form saves what it took offline)
    getFileSystemManager: jest.fn(() => ({
      saveFile: jest.fn((opts) =>
        later(() => opts.success && opts.success({ savedFilePath: String(opts.tempFilePath).replace('/tmp/', '/store/') }))
      ),
    })),
    makePhoneCall: jest.fn(),
    openLocation: jest.fn(),
    // WeChat's privacy agreement: the app registers a handler; __needPrivacy(api) calls it as WeChat
    // does before a private API, and resolves with what the app answered ({event: 'agree' | …})
    onNeedPrivacyAuthorization: jest.fn((fn) => privacyHandlers.push(fn)),
    openPrivacyContract: jest.fn(),
    // the phone's position (wx.getLocation, scope.userLocation); tests replace it to refuse
    getLocation: jest.fn((opts) => later(() => opts.success && opts.success({ latitude: 37.4563, longitude: 118.5821, accuracy: 12.4 }))),
    authorize: jest.fn((opts) => later(() => opts.success && opts.success({ errMsg: 'authorize:ok' }))),
    openSetting: jest.fn(),
    // one recorder per app, as on the phone: start() then stop() calls the onStop handlers with the file
    getRecorderManager: jest.fn(() => recorder),
    createInnerAudioContext: jest.fn(() => audioContext()),
    requestSubscribeMessage: jest.fn((opts) =>
      later(() => {
        const res = { errMsg: 'requestSubscribeMessage:ok' }
        ;(opts.tmplIds || []).forEach((id) => {
          res[id] = 'accept'
        })
        opts.success && opts.success(res)
        opts.complete && opts.complete(res)
      })
    ),

    // environment, as TDesign and config.js ask for it
    getAccountInfoSync: jest.fn(() => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } })),
    getSystemInfoSync: jest.fn(() => systemInfo()),
    getWindowInfo: jest.fn(() => systemInfo()),
    getDeviceInfo: jest.fn(() => systemInfo()),
    getAppBaseInfo: jest.fn(() => systemInfo()),
    getMenuButtonBoundingClientRect: jest.fn(() => ({ top: 24, bottom: 56, left: 281, right: 368, width: 87, height: 32 })),
    onMenuButtonBoundingClientRectWeightChange: jest.fn(),
    offMenuButtonBoundingClientRectWeightChange: jest.fn(),
    onThemeChange: jest.fn(),
    nextTick: jest.fn((fn) => later(fn)),
    createSelectorQuery: jest.fn(() => selectorQuery()),
    createAnimation: jest.fn(() => animation()),
    canIUse: jest.fn(() => true),

    // test controls
    __recorder: recorder,
    __needPrivacy(referrer) {
      return new Promise((resolve) => privacyHandlers.forEach((fn) => fn(resolve, { referrer })))
    },
    __storage: storage,
    __network: network,
    // Switches the network and tells the app, like the phone does.
    __setNetwork(isConnected, networkType = 'wifi') {
      network.isConnected = isConnected
      network.networkType = isConnected ? networkType : 'none'
      networkListeners.slice().forEach((fn) => fn({ isConnected, networkType: network.networkType }))
    },
  }
  return wx
}

function systemInfo() {
  return {
    windowWidth: 375,
    windowHeight: 667,
    screenWidth: 375,
    screenHeight: 667,
    pixelRatio: 2,
    statusBarHeight: 20,
    safeArea: { top: 20, bottom: 667, left: 0, right: 375, width: 375, height: 647 },
    platform: 'devtools',
    SDKVersion: '3.4.0',
    version: '8.0.50',
    theme: 'light',
  }
}

// wx.getRecorderManager(): start() begins, stop() ends with {tempFilePath, duration, fileSize};
// __finish(ms) ends it as if the time limit was reached; __fail(errMsg) reports an error.
function recorderManager() {
  const handlers = { start: [], stop: [], error: [] }
  let startedAt = 0
  let options = null
  let recording = false
  const r = {
    start: jest.fn((opts) => {
      options = opts
      recording = true
      startedAt = Date.now()
      handlers.start.forEach((fn) => fn())
    }),
    stop: jest.fn(() => r.__finish(r.__duration || Math.max(1500, Date.now() - startedAt))),
    pause: jest.fn(),
    resume: jest.fn(),
    onStart: jest.fn((fn) => handlers.start.push(fn)),
    onStop: jest.fn((fn) => handlers.stop.push(fn)),
    onError: jest.fn((fn) => handlers.error.push(fn)),
    onFrameRecorded: jest.fn(),
    onInterruptionBegin: jest.fn(),
    onInterruptionEnd: jest.fn(),
    __duration: 0,
    __options: () => options,
    __isRecording: () => recording,
    __finish(ms) {
      recording = false
      const res = { tempFilePath: 'wxfile://tmp/voice-1.mp3', duration: ms, fileSize: 24000 }
      later(() => handlers.stop.forEach((fn) => fn(res)))
    },
    __fail(errMsg) {
      recording = false
      later(() => handlers.error.forEach((fn) => fn({ errMsg })))
    },
  }
  return r
}

function audioContext() {
  const handlers = { ended: [], stop: [], error: [] }
  const a = {
    src: '',
    play: jest.fn(),
    stop: jest.fn(() => handlers.stop.forEach((fn) => fn())),
    pause: jest.fn(),
    destroy: jest.fn(),
    onEnded: (fn) => handlers.ended.push(fn),
    onStop: (fn) => handlers.stop.push(fn),
    onError: (fn) => handlers.error.push(fn),
    __end: () => handlers.ended.forEach((fn) => fn()),
  }
  return a
}

function selectorQuery() {
  const q = {
    in: () => q,
    select: () => q,
    selectAll: () => q,
    selectViewport: () => q,
    boundingClientRect: () => q,
    scrollOffset: () => q,
    fields: () => q,
    exec: (cb) => later(() => cb && cb([])),
  }
  return q
}

function animation() {
  const a = new Proxy({}, { get: (t, k) => (k === 'export' ? () => ({ actions: [] }) : () => a) })
  return a
}

// Installs fresh globals for one test: wx, getApp (with the real app.js), getCurrentPages.
function installWx() {
  const api = createFakeApi()
  const wx = createWx(api)
  global.wx = wx
  let app = null
  global.App = (options) => {
    app = options
  }
  global.getApp = () => app || { globalData: {} }
  global.getCurrentPages = () => []
  return { wx, api }
}

// Lets pending promises, timers of 0 ms and setData round-trips run.
async function flush(rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

module.exports = { installWx, createFakeApi, createWx, flush, reply, fail, NETWORK_DOWN }
