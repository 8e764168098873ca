// Where the mini-program finds the 幸福家园 API, per WeChat environment.
//
// - develop: WeChat DevTools (and 真机调试) against `make run` on this machine. In DevTools tick
//   详情 → 本地设置 → 不校验合法域名; on a phone use the machine's LAN address instead of 127.0.0.1.
// - trial / release: the HTTPS domain registered under 开发管理 → 服务器域名 (request + uploadFile).
const API_BASE = {
  develop: 'http://127.0.0.1:8000',
  trial: 'https://happyhome.example.com',
  release: 'https://happyhome.example.com',
}

// Develop only (DevTools, 真机调试): log in as this user of the backend's fake WeChat instead of
// with wx.login's code, e.g. 'demo-dispatcher' (see the demo accounts in the top README). Every
// wx.login code is a new user to the fake WeChat, so this keeps one identity while developing.
// Ignored in trial and release builds.
const DEV_LOGIN_CODE = ''

function envVersion() {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion || 'develop'
  } catch (e) {
    return 'develop'
  }
}

module.exports = {
  get apiBase() {
    return API_BASE[envVersion()] || API_BASE.develop
  },
  get devLoginCode() {
    return envVersion() === 'develop' ? DEV_LOGIN_CODE : ''
  },
  // wx.request / wx.uploadFile timeout, milliseconds
  timeout: 15000,
  // Subscribe-message template ids (订阅消息模板 ID) per action, used only when the backend does not
  // list them itself (GET /api/v1/notifications/templates?action=…). At most 3 per action.
  // Example: { wish_claimed: ['<template id from mp.weixin.qq.com → 订阅消息>'] }
  subscribeTemplates: {},
}
