// A `wx` for Node: wx.request and wx.uploadFile over Node's http module against a real backend,
// wx.login answering a fixed code (the backend's fake WeChat turns "demo-member" into that user),
// storage in memory, and toasts recorded. The e2e test drives services/api.js through it.
const fs = require('fs')
const http = require('http')
const path = require('path')

function httpCall(url, { method = 'GET', headers = {}, body = null, timeout = 15000 }) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    if (body) req.write(body)
    req.end()
  })
}

function createNodeWx(code) {
  const storage = new Map()
  const networkListeners = []
  const wx = {
    code,
    toasts: [],
    logins: 0,
    // the phone's network: off makes wx.request / wx.uploadFile fail as without signal
    online: true,

    request(opts) {
      if (!wx.online) {
        setImmediate(() => opts.fail && opts.fail({ errMsg: 'request:fail no network' }))
        return
      }
      const headers = Object.assign({}, opts.header || {})
      let body = null
      if (opts.data !== undefined && opts.data !== null && (opts.method || 'GET') !== 'GET') {
        body = Buffer.from(JSON.stringify(opts.data), 'utf8')
        headers['content-length'] = body.length
      }
      httpCall(opts.url, { method: opts.method || 'GET', headers, body, timeout: opts.timeout }).then(
        (res) => {
          let data = res.text
          if (/json/.test(res.headers['content-type'] || '')) {
            try {
              data = JSON.parse(res.text)
            } catch (e) {
              // keep the text
            }
          }
          opts.success && opts.success({ statusCode: res.statusCode, data, header: res.headers })
        },
        (err) => opts.fail && opts.fail({ errMsg: 'request:fail ' + err.message })
      )
    },

    uploadFile(opts) {
      if (!wx.online) {
        setImmediate(() => opts.fail && opts.fail({ errMsg: 'uploadFile:fail no network' }))
        return
      }
      const boundary = '----hh' + Date.now().toString(16)
      const file = fs.readFileSync(opts.filePath)
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; filename="${path.basename(opts.filePath)}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
        'utf8'
      )
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')
      const body = Buffer.concat([head, file, tail])
      const headers = Object.assign({}, opts.header || {}, {
        'content-type': 'multipart/form-data; boundary=' + boundary,
        'content-length': body.length,
      })
      httpCall(opts.url, { method: 'POST', headers, body, timeout: opts.timeout }).then(
        (res) => opts.success && opts.success({ statusCode: res.statusCode, data: res.text }),
        (err) => opts.fail && opts.fail({ errMsg: 'uploadFile:fail ' + err.message })
      )
    },

    login(opts) {
      wx.logins += 1
      setImmediate(() => opts.success({ code: wx.code, errMsg: 'login:ok' }))
    },

    getNetworkType: (opts) => setImmediate(() => opts.success({ networkType: wx.online ? 'wifi' : 'none' })),
    onNetworkStatusChange: (fn) => networkListeners.push(fn),
    offNetworkStatusChange: (fn) => {
      const i = networkListeners.indexOf(fn)
      if (i >= 0) networkListeners.splice(i, 1)
    },
    // the signal goes and comes back, and the app is told
    setNetwork(online) {
      wx.online = online
      networkListeners.slice().forEach((fn) => fn({ isConnected: online, networkType: online ? 'wifi' : 'none' }))
    },

    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    showToast: (opts) => wx.toasts.push(opts.title),
    getAccountInfoSync: () => ({ miniProgram: { envVersion: 'develop' } }),
  }
  return wx
}

module.exports = { createNodeWx, httpCall }
