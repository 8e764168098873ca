// jest 29 + miniprogram-simulate 1.6 on Node 20. TDesign ships ES modules, so babel-jest compiles
// it (and only needs to: our own code is plain CommonJS); its bundled npm deps are mapped below.
const TD_NPM = '<rootDir>/node_modules/tdesign-miniprogram/miniprogram_dist/miniprogram_npm'

module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.js'],
  transform: {
    '\\.js$': [
      'babel-jest',
      { babelrc: false, configFile: false, presets: [['@babel/preset-env', { targets: { node: '20' } }]] },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram/)'],
  moduleNameMapper: {
    '^dayjs(.*)$': TD_NPM + '/dayjs$1',
    '^tinycolor2$': TD_NPM + '/tinycolor2/index',
    '^marked$': TD_NPM + '/marked/index',
  },
  testTimeout: 30000,
}
