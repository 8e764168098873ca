// `make screenshots` step 1: the screen specs run with the mini-program's own jest setup (babel for
// TDesign, jsdom, miniprogram-simulate), apart from `npm test` (which never needs Chromium).
const path = require('path')
const base = require('../../jest.config.js')

module.exports = Object.assign({}, base, {
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/tools/screenshots/specs'],
  testMatch: ['**/*.shot.js'],
  testTimeout: 120000,
})
